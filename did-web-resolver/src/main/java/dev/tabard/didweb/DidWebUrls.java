package dev.tabard.didweb;

import dev.tabard.did.Did;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.IDN;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * did:web ⇄ https URL, per the did:web method spec: the first segment is the host with an optional
 * percent-encoded port ({@code %3A}); further {@code :}-separated segments are the path; no path means
 * {@code /.well-known/did.json}. Internationalized names are written as their A-labels (punycode).
 * Empty segments, dot segments, user information, bad percent-encoding and IP literals are refused.
 */
public final class DidWebUrls {

    public static final String METHOD = "web";

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z0-9._~!$&'()*+,;=@-]|%[0-9A-Fa-f]{2})+");

    private DidWebUrls() {
    }

    /**
     * The URL of a did:web's document.
     *
     * @throws ProblemException {@code INVALID_DID} naming the rule the DID breaks
     */
    public static URI toUrl(Did did) {
        Objects.requireNonNull(did, "did");
        if (!did.method().equals(METHOD)) {
            throw invalid(did + " is not a did:web");
        }
        String[] segments = did.methodSpecificId().split(":", -1);
        String authority = segments[0];
        String host = authority;
        String port = null;
        int pct = authority.toLowerCase(Locale.ROOT).indexOf("%3a");
        if (pct >= 0) {
            host = authority.substring(0, pct);
            port = authority.substring(pct + 3);
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) == 0 || Integer.parseInt(port) > 65535) {
                throw invalid("port in " + did + " must be 1..65535");
            }
        }
        checkHost(host, did);
        StringBuilder url = new StringBuilder("https://").append(host.toLowerCase(Locale.ROOT));
        if (port != null) {
            url.append(':').append(port);
        }
        if (segments.length == 1) {
            url.append("/.well-known");
        }
        for (int i = 1; i < segments.length; i++) {
            String s = segments[i];
            if (s.isEmpty()) {
                throw invalid("empty path segment in " + did);
            }
            if (!SEGMENT.matcher(s).matches()) {
                throw invalid("invalid character or percent-encoding in path segment '" + s + "' of " + did);
            }
            String decoded = decodeDots(s);
            if (decoded.equals(".") || decoded.equals("..")) {
                throw invalid("dot segment in " + did);
            }
            if (s.toLowerCase(Locale.ROOT).contains("%2f")) {
                throw invalid("encoded '/' in path segment of " + did);
            }
            url.append('/').append(s);
        }
        url.append("/did.json");
        return URI.create(url.toString());
    }

    /**
     * The did:web for a public https URL: {@code https://example.com:8443/orgs/acme} gives
     * {@code did:web:example.com%3A8443:orgs:acme}. A trailing {@code /did.json} or
     * {@code /.well-known/did.json} is dropped.
     */
    public static Did fromUrl(URI url) {
        Objects.requireNonNull(url, "url");
        if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || url.getRawUserInfo() != null
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("a did:web comes from an https URL with a host and nothing else: " + url);
        }
        StringBuilder id = new StringBuilder(url.getHost().toLowerCase(Locale.ROOT));
        if (url.getPort() != -1 && url.getPort() != 443) {
            id.append("%3A").append(url.getPort());
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        if (path.endsWith("/.well-known/did.json")) {
            path = path.substring(0, path.length() - "/.well-known/did.json".length());
        } else if (path.endsWith("/did.json")) {
            path = path.substring(0, path.length() - "/did.json".length());
        }
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                id.append(':').append(s);
            }
        }
        Did did = Did.parse("did:web:" + id);
        toUrl(did); // applies the same rules both ways
        return did;
    }

    private static void checkHost(String host, Did did) {
        if (host.isEmpty()) {
            throw invalid("empty host in " + did);
        }
        if (host.indexOf('@') >= 0 || host.indexOf('%') >= 0) {
            throw invalid("user information or percent-encoding in the host of " + did);
        }
        if (host.matches("[0-9.]+") || host.startsWith("[")) {
            throw invalid("did:web names a domain, not an IP address: " + did);
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.length() > 253) {
            throw invalid("host name too long in " + did);
        }
        for (String label : lower.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw invalid("host label '" + label + "' of " + did + " is not a valid DNS label");
            }
            if (label.startsWith("xn--")) {
                // IDN.toUnicode hands back its input when decoding fails, so round-trip instead
                String unicode = IDN.toUnicode(label, IDN.USE_STD3_ASCII_RULES);
                boolean ok = !unicode.equals(label);
                try {
                    ok &= IDN.toASCII(unicode, IDN.USE_STD3_ASCII_RULES).equals(label);
                } catch (IllegalArgumentException e) {
                    ok = false;
                }
                if (!ok) {
                    throw invalid("host label '" + label + "' of " + did + " is not valid punycode");
                }
            }
        }
    }

    private static String decodeDots(String s) {
        return s.replaceAll("(?i)%2e", ".");
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_DID, detail);
    }
}
