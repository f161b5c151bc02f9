package dev.tabard.did;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Objects;
import java.util.Optional;

/**
 * A decentralized identifier that can only be valid: {@code did:<method>:<method-specific-id>} per the
 * DID Core ABNF (§3.1). No path, query or fragment: those make a {@link DidUrl}.
 *
 * @param method lower-case letters and digits
 * @param methodSpecificId idchars ({@code ALPHA / DIGIT / . / - / _ / pct-encoded}) and inner colons
 * @see <a href="https://www.w3.org/TR/did-core/#did-syntax">DID Core §3.1</a>
 */
public record Did(String method, String methodSpecificId) {

    /** Longer identifiers are refused before any other processing. */
    public static final int MAX_LENGTH = 2048;

    public Did {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(methodSpecificId, "methodSpecificId");
        String error = methodError(method);
        if (error == null) {
            int at = idError(methodSpecificId);
            error = at < 0 ? null : "invalid character or escape in method-specific id at index " + at;
            if (methodSpecificId.isEmpty()) {
                error = "empty method-specific id";
            } else if (methodSpecificId.endsWith(":")) {
                error = "method-specific id ends with ':'";
            }
        }
        if (error == null && 4 + method.length() + 1 + methodSpecificId.length() > MAX_LENGTH) {
            error = "DID longer than " + MAX_LENGTH + " characters";
        }
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
    }

    /**
     * Parses a DID.
     *
     * @throws ProblemException {@code INVALID_DID} naming what is wrong and where
     */
    public static Did parse(String did) {
        Objects.requireNonNull(did, "did");
        if (did.length() > MAX_LENGTH) {
            throw invalid("DID longer than " + MAX_LENGTH + " characters");
        }
        if (!did.startsWith("did:")) {
            throw invalid("a DID starts with 'did:'");
        }
        int colon = did.indexOf(':', 4);
        if (colon < 0) {
            throw invalid("missing ':' after the method name");
        }
        String method = did.substring(4, colon);
        String methodError = methodError(method);
        if (methodError != null) {
            throw invalid(methodError + " (index 4)");
        }
        String msid = did.substring(colon + 1);
        if (msid.isEmpty()) {
            throw invalid("empty method-specific id");
        }
        int at = idError(msid);
        if (at >= 0) {
            char c = msid.charAt(at);
            throw invalid((c == '%' ? "bad percent-encoding" : "character '" + printable(c) + "' not allowed")
                    + " at index " + (colon + 1 + at));
        }
        if (msid.endsWith(":")) {
            throw invalid("method-specific id ends with ':'");
        }
        return new Did(method, msid);
    }

    /** The lenient twin of {@link #parse}: empty instead of a problem. */
    public static Optional<Did> tryParse(String did) {
        try {
            return Optional.of(parse(did));
        } catch (ProblemException e) {
            return Optional.empty();
        }
    }

    /** This DID with a fragment, e.g. a verification method id. */
    public DidUrl withFragment(String fragment) {
        return new DidUrl(this, "", Optional.empty(), Optional.of(fragment));
    }

    /** The DID URL with no path, query or fragment. */
    public DidUrl toUrl() {
        return new DidUrl(this, "", Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        return "did:" + method + ":" + methodSpecificId;
    }

    static String methodError(String method) {
        if (method.isEmpty()) {
            return "empty method name";
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return "method name may contain only a-z and 0-9, found '" + printable(c) + "'";
            }
        }
        return null;
    }

    /** Index of the first invalid character (or bad escape) in a method-specific id, or -1. */
    static int idError(String msid) {
        for (int i = 0; i < msid.length(); i++) {
            char c = msid.charAt(i);
            if (c == '%') {
                if (i + 2 >= msid.length() || !isHex(msid.charAt(i + 1)) || !isHex(msid.charAt(i + 2))) {
                    return i;
                }
                i += 2;
            } else if (!(isAlnum(c) || c == '.' || c == '-' || c == '_' || c == ':')) {
                return i;
            }
        }
        return -1;
    }

    static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_DID, detail);
    }
}
