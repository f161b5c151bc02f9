package dev.tabard.fetch;

import dev.tabard.crypto.Bytes;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 client for URLs that strangers choose (did:web documents, status lists, OpenID4VCI
 * endpoints). Thread-safe and immutable apart from its connection counter.
 *
 * <p>It resolves the host itself, checks every address against {@link FetchPolicy}, and connects to the
 * address it checked, so there is no window for DNS rebinding. That is why it speaks HTTP over its own
 * socket: Java 17's {@code java.net.http} client resolves names on its own and cannot be pinned to an
 * address. TLS uses the host name for SNI and certificate checks. Every limit is enforced on bytes
 * actually read, chunked bodies included, against one deadline for the whole exchange.
 */
public final class SafeFetcher {

    private static final Logger log = LoggerFactory.getLogger(SafeFetcher.class);
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_HEADERS = 100;
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "accept");

    private final FetchPolicy policy;
    private final SSLSocketFactory tls;
    private final AtomicLong connections = new AtomicLong();

    public SafeFetcher(FetchPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.tls = TrustContexts.socketFactory(policy.trustedCertificates());
    }

    public FetchPolicy policy() {
        return policy;
    }

    /** TCP connections opened so far; lets a test prove that an offline path made none. */
    public long connections() {
        return connections.get();
    }

    /**
     * GETs {@code uri}. A 200 response must carry one of {@code acceptedMediaTypes}; other statuses come back
     * as they are for the caller to judge.
     *
     * @throws ProblemException {@code FETCH_REFUSED} when the policy forbids the scheme, host, address or a
     *     redirect; {@code INPUT_TOO_LARGE} past the body limit; {@code REPRESENTATION_NOT_SUPPORTED} for
     *     another media type; {@code FETCH_FAILED} for DNS, connection, TLS, timeout or protocol errors
     */
    public FetchedResource get(URI uri, Set<String> acceptedMediaTypes) {
        return get(uri, acceptedMediaTypes, Map.of());
    }

    /** GET with extra request headers, such as {@code If-None-Match}. */
    public FetchedResource get(URI uri, Set<String> acceptedMediaTypes, Map<String, String> headers) {
        return exchange("GET", uri, null, acceptedMediaTypes, headers);
    }

    /** POSTs a JSON body (OpenID4VCI token and credential requests). */
    public FetchedResource postJson(URI uri, byte[] json, Set<String> acceptedMediaTypes, Map<String, String> headers) {
        Objects.requireNonNull(json, "json");
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putIfAbsent("Content-Type", "application/json");
        return exchange("POST", uri, json, acceptedMediaTypes, all);
    }

    /** POSTs an {@code application/x-www-form-urlencoded} body (the OAuth token endpoint). */
    public FetchedResource postForm(URI uri, String form, Set<String> acceptedMediaTypes, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        return exchange("POST", uri, form.getBytes(StandardCharsets.US_ASCII), acceptedMediaTypes, all);
    }

    private FetchedResource exchange(String method, URI uri, byte[] body, Set<String> accepted,
                                     Map<String, String> headers) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(accepted, "acceptedMediaTypes");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (RESERVED_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT)) || !token(h.getKey())
                    || h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header not allowed: " + h.getKey());
            }
        }
        long deadline = System.nanoTime() + policy.totalTimeout().toNanos();
        URI current = uri;
        for (int hop = 0; ; hop++) {
            checkUri(current);
            FetchedResource response = once(method, current, body, accepted, headers, deadline);
            int s = response.status();
            boolean redirect = s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
            if (!redirect || response.header("location").isEmpty()) {
                checkMediaType(response, accepted);
                return response;
            }
            if (hop >= policy.maxRedirects()) {
                throw refused("more than " + policy.maxRedirects() + " redirects from " + uri);
            }
            URI next;
            try {
                next = current.resolve(response.header("location").get().trim());
            } catch (IllegalArgumentException e) {
                throw new ProblemException(ProblemType.FETCH_FAILED, "malformed redirect location from " + current);
            }
            if (!policy.crossOriginRedirects() && !sameOrigin(current, next)) {
                throw refused("cross-origin redirect from " + current + " to " + next);
            }
            if (s == 303 || ((s == 301 || s == 302) && method.equals("POST"))) {
                method = "GET";
                body = null;
            }
            current = next;
        }
    }

    private void checkUri(URI uri) {
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw refused("not an absolute URL with a host: " + uri);
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("URLs with user information are not fetched: " + uri);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http")) {
            if (!policy.allowsPlainHttp(uri.getHost())) {
                throw refused("plain HTTP is not allowed for " + uri.getHost());
            }
        } else if (!scheme.equals("https")) {
            throw refused("only https URLs are fetched, not " + scheme);
        }
        if (uri.getRawFragment() != null) {
            throw refused("a fetched URL has no fragment: " + uri);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null && b.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private FetchedResource once(String method, URI uri, byte[] body, Set<String> accepted, Map<String, String> headers,
                                 long deadline) {
        String host = uri.getHost();
        boolean allowListed = policy.allowsHost(host);
        if (!allowListed && AddressRules.isIpLiteral(host)) {
            throw refused("IP address literals are not fetched unless allow-listed: " + host);
        }
        InetAddress[] addresses;
        try {
            addresses = AddressRules.resolve(host);
        } catch (UnknownHostException e) {
            throw new ProblemException(ProblemType.FETCH_FAILED, "cannot resolve host " + host);
        }
        List<InetAddress> candidates = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (allowListed || AddressRules.isPublic(a)) {
                candidates.add(a);
            }
        }
        if (candidates.isEmpty()) {
            throw refused(host + " resolves only to non-public addresses (" + addresses[0].getHostAddress()
                    + "); allow-list the host to reach it");
        }
        Socket socket = connect(candidates, port(uri), deadline, host);
        try (socket) {
            Socket s = socket;
            if (uri.getScheme().equalsIgnoreCase("https")) {
                s = handshake(socket, host, port(uri), deadline);
            }
            OutputStream out = s.getOutputStream();
            out.write(request(method, uri, body, accepted, headers));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return HttpResponseReader.read(new DeadlineInputStream(s, deadline), uri, policy.maxBodyBytes(),
                    method.equals("HEAD"));
        } catch (SocketTimeoutException e) {
            throw failed(e, host + ":" + port(uri) + " timed out: no complete answer within " + policy.totalTimeout().toMillis()
                    + " ms (fetching " + uri + "); try again later");
        } catch (SSLHandshakeException e) {
            throw failed(e, "the TLS handshake with " + host + ":" + port(uri) + " failed: its certificate is not trusted for that "
                    + "name, or it offers no TLS 1.2 or 1.3");
        } catch (SSLException e) {
            throw failed(e, "the TLS connection with " + host + ":" + port(uri) + " failed while fetching " + uri);
        } catch (IOException e) {
            throw failed(e, host + ":" + port(uri) + " reset or closed the connection while answering " + uri + "; try again later");
        }
    }

    /**
     * A fetch that failed on the network: the detail names the host and what happened, in our words; the library's
     * message goes to the DEBUG log only (STYLE "Errors").
     */
    private static ProblemException failed(IOException cause, String detail) {
        log.atDebug().setMessage("fetch failed: {}").addArgument(detail).setCause(cause).log();
        return new ProblemException(ProblemType.FETCH_FAILED, detail);
    }

    private Socket connect(List<InetAddress> candidates, int port, long deadline, String host) {
        IOException last = null;
        for (InetAddress address : candidates) {
            long remaining = remainingMillis(deadline);
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port),
                        (int) Math.min(remaining, policy.connectTimeout().toMillis()));
                connections.incrementAndGet();
                return socket;
            } catch (IOException e) {
                last = e;
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
        }
        String what = last instanceof SocketTimeoutException ? "timed out: no connection within "
                + policy.connectTimeout().toMillis() + " ms"
                : last instanceof ConnectException ? "refused the connection" : "could not be reached";
        throw failed(last == null ? new IOException("no address") : last, host + ":" + port + " " + what + "; try again later");
    }

    private SSLSocket handshake(Socket plain, String host, int port, long deadline) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(plain, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        if (!AddressRules.isIpLiteral(host)) {
            params.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(params);
        ssl.setSoTimeout((int) remainingMillis(deadline));
        ssl.startHandshake();
        return ssl;
    }

    private static byte[] request(String method, URI uri, byte[] body, Set<String> accepted, Map<String, String> headers) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(uri.getHost());
        if (uri.getPort() != -1) {
            sb.append(':').append(uri.getPort());
        }
        sb.append("\r\n");
        if (!accepted.isEmpty()) {
            sb.append("Accept: ").append(String.join(", ", accepted)).append("\r\n");
        }
        sb.append("User-Agent: tabard\r\nConnection: close\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (body != null) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void checkMediaType(FetchedResource response, Set<String> accepted) {
        if (response.status() != 200 || accepted.isEmpty()) {
            return;
        }
        String type = response.mediaType().orElse("");
        if (!accepted.contains(type)) {
            throw new ProblemException(ProblemType.REPRESENTATION_NOT_SUPPORTED,
                    response.uri() + " answered with media type '" + type + "', expected one of " + accepted);
        }
    }

    private static boolean token(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
    }

    static long remainingMillis(long deadline) {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new ProblemException(ProblemType.FETCH_FAILED, "fetch deadline passed");
        }
        return ms;
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(ProblemType.FETCH_REFUSED, detail);
    }

    /** Sets the socket timeout to what is left before every read, so a slow drip cannot outlast the deadline. */
    private static final class DeadlineInputStream extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        DeadlineInputStream(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        private void arm() throws IOException {
            long ms = (deadline - System.nanoTime()) / 1_000_000;
            if (ms <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout((int) Math.min(ms, Integer.MAX_VALUE));
        }

        @Override
        public int read() throws IOException {
            arm();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return in.read(b, off, len);
        }
    }

    /** Reads one HTTP/1.1 response within limits. */
    static final class HttpResponseReader {
        private HttpResponseReader() {
        }

        static FetchedResource read(InputStream raw, URI uri, int maxBody, boolean head) throws IOException {
            InputStream in = new java.io.BufferedInputStream(raw, 8192);
            int[] budget = {MAX_HEADER_BYTES};
            while (true) {
                String statusLine = line(in, budget);
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                    throw new ProblemException(ProblemType.FETCH_FAILED, "not an HTTP/1.x response from " + uri);
                }
                int status;
                try {
                    status = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    throw new ProblemException(ProblemType.FETCH_FAILED, "bad status line from " + uri);
                }
                Map<String, List<String>> headers = new LinkedHashMap<>();
                int count = 0;
                for (String l = line(in, budget); !l.isEmpty(); l = line(in, budget)) {
                    if (++count > MAX_HEADERS) {
                        throw new ProblemException(ProblemType.FETCH_FAILED, "too many response headers from " + uri);
                    }
                    int colon = l.indexOf(':');
                    if (colon <= 0) {
                        throw new ProblemException(ProblemType.FETCH_FAILED, "malformed response header from " + uri);
                    }
                    headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(l.substring(colon + 1).trim());
                }
                if (status >= 100 && status < 200) {
                    continue;
                }
                byte[] body = head || status == 204 || status == 304 ? new byte[0]
                        : status >= 200 && status < 300 ? body(in, headers, uri, maxBody) : errorBody(in, headers, uri, maxBody);
                Map<String, List<String>> frozen = new LinkedHashMap<>();
                headers.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
                return new FetchedResource(uri, status, frozen, Bytes.copyFrom(body));
            }
        }

        /**
         * The body of a response that is not a success. The caller judges such a response by its status, so a body
         * that is too large, badly framed or cut off is dropped instead of hiding that status behind another problem.
         */
        private static byte[] errorBody(InputStream in, Map<String, List<String>> headers, URI uri, int max) {
            try {
                return body(in, headers, uri, max);
            } catch (ProblemException | IOException e) {
                return new byte[0];
            }
        }

        private static byte[] body(InputStream in, Map<String, List<String>> headers, URI uri, int max) throws IOException {
            List<String> te = headers.get("transfer-encoding");
            List<String> cl = headers.get("content-length");
            if (te != null) {
                if (cl != null || !te.get(te.size() - 1).equalsIgnoreCase("chunked")) {
                    throw new ProblemException(ProblemType.FETCH_FAILED, "unsupported transfer encoding from " + uri);
                }
                return chunked(in, uri, max);
            }
            if (cl != null) {
                long length;
                try {
                    length = Long.parseLong(cl.get(0));
                } catch (NumberFormatException e) {
                    throw new ProblemException(ProblemType.FETCH_FAILED, "bad Content-Length from " + uri);
                }
                if (cl.stream().distinct().count() > 1 || length < 0) {
                    throw new ProblemException(ProblemType.FETCH_FAILED, "bad Content-Length from " + uri);
                }
                if (length > max) {
                    throw tooLarge(uri, max);
                }
                byte[] out = in.readNBytes((int) length);
                if (out.length != length) {
                    throw new ProblemException(ProblemType.FETCH_FAILED, "body from " + uri + " ended early");
                }
                return out;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (out.size() + n > max) {
                    throw tooLarge(uri, max);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }

        private static byte[] chunked(InputStream in, URI uri, int max) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int[] budget = {MAX_HEADER_BYTES};
            while (true) {
                String sizeLine = line(in, budget).split(";", 2)[0].trim();
                int size;
                try {
                    size = Integer.parseInt(sizeLine, 16);
                } catch (NumberFormatException e) {
                    throw new ProblemException(ProblemType.FETCH_FAILED, "bad chunk size from " + uri);
                }
                if (size < 0 || out.size() + (long) size > max) {
                    throw tooLarge(uri, max);
                }
                if (size == 0) {
                    for (String l = line(in, budget); !l.isEmpty(); l = line(in, budget)) {
                        // trailers are read and dropped
                    }
                    return out.toByteArray();
                }
                byte[] chunk = in.readNBytes(size);
                if (chunk.length != size) {
                    throw new ProblemException(ProblemType.FETCH_FAILED, "chunked body from " + uri + " ended early");
                }
                out.write(chunk);
                if (!line(in, budget).isEmpty()) {
                    throw new ProblemException(ProblemType.FETCH_FAILED, "malformed chunk from " + uri);
                }
            }
        }

        private static String line(InputStream in, int[] budget) throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new ProblemException(ProblemType.FETCH_FAILED, "connection closed mid-response");
                }
                if (--budget[0] < 0) {
                    throw new ProblemException(ProblemType.FETCH_FAILED, "response headers too large");
                }
                if (c == '\n') {
                    int len = sb.length();
                    return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                }
                sb.append((char) c);
            }
        }

        private static ProblemException tooLarge(URI uri, int max) {
            return new ProblemException(ProblemType.INPUT_TOO_LARGE, "body from " + uri + " exceeds " + max + " bytes");
        }
    }
}
