package dev.tabard.did;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Objects;
import java.util.Optional;

/**
 * A DID URL: {@code did path-abempty [ "?" query ] [ "#" fragment ]} (DID Core §3.2), with RFC 3986
 * rules for the path, query and fragment characters.
 *
 * @param did the DID
 * @param path empty or starting with '/'
 * @param query without the '?'
 * @param fragment without the '#'
 */
public record DidUrl(Did did, String path, Optional<String> query, Optional<String> fragment) {

    public DidUrl {
        Objects.requireNonNull(did, "did");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(fragment, "fragment");
        if (!path.isEmpty() && (path.charAt(0) != '/' || badIndex(path, "/") >= 0)) {
            throw new IllegalArgumentException("invalid DID URL path");
        }
        if (query.isPresent() && badIndex(query.get(), "/?") >= 0) {
            throw new IllegalArgumentException("invalid DID URL query");
        }
        if (fragment.isPresent() && badIndex(fragment.get(), "/?") >= 0) {
            throw new IllegalArgumentException("invalid DID URL fragment");
        }
    }

    /**
     * Parses an absolute DID URL.
     *
     * @throws ProblemException {@code INVALID_DID_URL} naming what is wrong and where
     */
    public static DidUrl parse(String url) {
        Objects.requireNonNull(url, "url");
        if (url.length() > Did.MAX_LENGTH) {
            throw invalid("DID URL longer than " + Did.MAX_LENGTH + " characters");
        }
        int end = url.length();
        int hash = url.indexOf('#');
        Optional<String> fragment = Optional.empty();
        if (hash >= 0) {
            fragment = Optional.of(url.substring(hash + 1));
            end = hash;
        }
        int q = url.indexOf('?');
        Optional<String> query = Optional.empty();
        if (q >= 0 && q < end) {
            query = Optional.of(url.substring(q + 1, end));
            end = q;
        }
        int slash = url.indexOf('/');
        String path = "";
        if (slash >= 0 && slash < end) {
            path = url.substring(slash, end);
            end = slash;
        }
        Did did;
        try {
            did = Did.parse(url.substring(0, end));
        } catch (ProblemException e) {
            throw invalid(e.problem().detail());
        }
        int bad = path.isEmpty() ? -1 : badIndex(path, "/");
        if (bad >= 0) {
            throw invalid("invalid character or escape in path at index " + (end + bad));
        }
        if (query.isPresent() && (bad = badIndex(query.get(), "/?")) >= 0) {
            throw invalid("invalid character or escape in query at index " + (q + 1 + bad));
        }
        if (fragment.isPresent() && (bad = badIndex(fragment.get(), "/?")) >= 0) {
            throw invalid("invalid character or escape in fragment at index " + (hash + 1 + bad));
        }
        return new DidUrl(did, path, query, fragment);
    }

    /**
     * Resolves {@code reference} against {@code base} (RFC 3986 §5 for the forms DID documents use: an
     * absolute DID URL, {@code #fragment}, {@code ?query}, {@code /path}).
     *
     * @throws ProblemException {@code INVALID_DID_URL} when the result is not a valid DID URL
     */
    public static DidUrl resolve(Did base, String reference) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(reference, "reference");
        if (reference.startsWith("#") || reference.startsWith("?") || reference.startsWith("/")) {
            return parse(base + reference);
        }
        return parse(reference);
    }

    public static Optional<DidUrl> tryParse(String url) {
        try {
            return Optional.of(parse(url));
        } catch (ProblemException e) {
            return Optional.empty();
        }
    }

    /** True when this URL is the DID itself, with nothing appended. */
    public boolean isBareDid() {
        return path.isEmpty() && query.isEmpty() && fragment.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(did.toString()).append(path);
        query.ifPresent(v -> sb.append('?').append(v));
        fragment.ifPresent(v -> sb.append('#').append(v));
        return sb.toString();
    }

    /** RFC 3986 pchar plus {@code extra}; returns the first bad index or -1. */
    private static int badIndex(String s, String extra) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || !Did.isHex(s.charAt(i + 1)) || !Did.isHex(s.charAt(i + 2))) {
                    return i;
                }
                i += 2;
            } else if (!(Did.isAlnum(c) || "-._~!$&'()*+,;=:@".indexOf(c) >= 0 || extra.indexOf(c) >= 0)) {
                return i;
            }
        }
        return -1;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_DID_URL, detail);
    }
}
