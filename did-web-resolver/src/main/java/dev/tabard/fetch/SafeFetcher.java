package dev.tabard.fetch;

import dev.tabard.crypto.Bytes;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.Proxy;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.EventListener;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP client for URLs that strangers choose (did:web documents, status lists, OpenID4VCI
 * endpoints). Thread-safe and immutable apart from its connection counter.
 *
 * <p>okhttp speaks HTTP (1.1, or 2 where the server offers it); this class decides where it may go. The client's
 * only resolver is {@link CheckedDns}: it resolves a host once and hands over only the addresses {@link FetchPolicy}
 * allows, so the connection goes to an address that was checked and there is no window for DNS rebinding. IP
 * literals, which never reach a resolver, are judged here before the call. Redirects are followed here rather than
 * by the client, so every hop is checked like the first. TLS trusts the JDK's CAs plus the policy's certificates and
 * verifies the host name. One deadline covers the whole exchange, redirects included, and a body is read against
 * the size limit as it arrives, never buffered past it.
 *
 * <p>No cookies, no cache, no proxy from the environment, no automatic retry (a request is sent once), and no
 * connection kept for a later call: each exchange opens its own, as {@link #connections()} counts.
 */
public final class SafeFetcher {

    private static final Logger log = LoggerFactory.getLogger(SafeFetcher.class);
    private static final int MAX_HEADERS = 100;
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "accept");

    private final FetchPolicy policy;
    private final OkHttpClient client;
    private final AtomicLong connections = new AtomicLong();

    public SafeFetcher(FetchPolicy policy) {
        this(policy, AddressRules::resolve);
    }

    /** A fetcher whose names are resolved by {@code lookup}; tests stand in for DNS with it. */
    SafeFetcher(FetchPolicy policy, CheckedDns.HostLookup lookup) {
        this.policy = Objects.requireNonNull(policy, "policy");
        TrustContexts.Tls tls = TrustContexts.client(policy.trustedCertificates());
        this.client = new OkHttpClient.Builder()
                .dns(new CheckedDns(policy, lookup))
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .fastFallback(false) // one address at a time, in the order checked
                // nothing kept: a kept connection the server has since closed would fail a request that is not retried
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .sslSocketFactory(tls.socketFactory(), tls.trustManager())
                .connectTimeout(policy.connectTimeout())
                .readTimeout(policy.totalTimeout())
                .writeTimeout(policy.totalTimeout())
                .eventListenerFactory(call -> {
                    CallEvents events = call.request().tag(CallEvents.class);
                    return events != null ? events : EventListener.NONE;
                })
                .build();
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
            HttpUrl url = checkUri(current);
            FetchedResource response = once(method, current, url, body, accepted, headers, deadline);
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

    /**
     * Checks what can be checked before a connection: scheme, user information, fragment, and IP literals (which no
     * resolver sees). Returns the URL the client will fetch, whose host must be the very host judged here.
     */
    private HttpUrl checkUri(URI uri) {
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
        String host = uri.getHost();
        boolean literal = AddressRules.isIpLiteral(host);
        if (literal && !policy.allowsHost(host)) {
            throw refused("IP address literals are not fetched unless allow-listed: " + host);
        }
        HttpUrl url = HttpUrl.parse(uri.toString());
        // the client resolves its own reading of the host; a name it would spell differently was not the one judged
        if (url == null || (!literal && !url.host().equals(host.toLowerCase(Locale.ROOT)))) {
            throw refused("not a URL this client fetches as written: " + uri);
        }
        return url;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null && b.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private FetchedResource once(String method, URI uri, HttpUrl url, byte[] body, Set<String> accepted,
                                 Map<String, String> headers, long deadline) {
        String where = uri.getHost() + ":" + port(uri);
        CallEvents events = new CallEvents(connections);
        Request.Builder request = new Request.Builder().url(url).tag(CallEvents.class, events)
                .header("User-Agent", "tabard")
                .header("Accept-Encoding", "identity"); // sizes are counted on the bytes received, not inflated ones
        if (!accepted.isEmpty()) {
            request.header("Accept", String.join(", ", accepted));
        }
        headers.forEach(request::header);
        request.method(method, body == null ? null : RequestBody.create(body, (MediaType) null));
        Call call = client.newCall(request.build());
        call.timeout().timeout(remainingNanos(deadline), TimeUnit.NANOSECONDS);
        try (Response response = call.execute()) {
            Headers received = response.headers();
            if (received.size() > MAX_HEADERS) {
                throw new ProblemException(ProblemType.FETCH_FAILED, "too many response headers from " + uri);
            }
            Map<String, List<String>> names = new LinkedHashMap<>();
            for (int i = 0; i < received.size(); i++) {
                names.computeIfAbsent(received.name(i).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(received.value(i));
            }
            Map<String, List<String>> frozen = new LinkedHashMap<>();
            names.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            int status = response.code();
            byte[] content = method.equals("HEAD") || status == 204 || status == 304 ? new byte[0]
                    : status >= 200 && status < 300 ? body(call, response.body(), uri) : errorBody(call, response.body(), uri);
            return new FetchedResource(uri, status, frozen, Bytes.copyFrom(content));
        } catch (CheckedDns.Refused e) {
            throw refused(e.getMessage());
        } catch (UnknownHostException e) {
            throw failed(e, "cannot resolve host " + uri.getHost());
        } catch (InterruptedIOException e) {
            throw failed(e, events.connected()
                    ? where + " timed out: no complete answer within " + policy.totalTimeout().toMillis() + " ms (fetching "
                            + uri + "); try again later"
                    : where + " timed out: no connection within " + policy.connectTimeout().toMillis() + " ms; try again later");
        } catch (SSLHandshakeException | SSLPeerUnverifiedException e) {
            throw failed(e, "the TLS handshake with " + where + " failed: its certificate is not trusted for that "
                    + "name, or it offers no TLS 1.2 or 1.3");
        } catch (SSLException e) {
            throw failed(e, "the TLS connection with " + where + " failed while fetching " + uri);
        } catch (ConnectException e) {
            throw failed(e, where + " refused the connection; try again later");
        } catch (ProtocolException e) {
            throw failed(e, where + " sent a malformed HTTP response to " + uri);
        } catch (IOException e) {
            throw failed(e, events.connected()
                    ? where + " reset or closed the connection while answering " + uri + "; try again later"
                    : where + " could not be reached; try again later");
        }
    }

    /**
     * A success body, read as it arrives and refused once it passes the limit: a declared length over the limit is
     * refused unread, and an undeclared one (chunked, or until close) is cut off at the first byte past it. A refusal
     * cancels the call, which closes the connection at once: closing the response alone would first drain the rest
     * of the body for the connection's sake.
     */
    private byte[] body(Call call, ResponseBody body, URI uri) throws IOException {
        int max = policy.maxBodyBytes();
        if (body.contentLength() > max) {
            call.cancel();
            throw tooLarge(uri, max);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = body.byteStream()) {
            for (int n; (n = in.read(buf, 0, (int) Math.min(buf.length, max + 1L - out.size()))) != -1; ) {
                out.write(buf, 0, n);
                if (out.size() > max) {
                    call.cancel();
                    throw tooLarge(uri, max);
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * The body of a response that is not a success. The caller judges such a response by its status, so a body
     * that is too large, badly framed or cut off is dropped instead of hiding that status behind another problem.
     */
    private byte[] errorBody(Call call, ResponseBody body, URI uri) {
        try {
            return body(call, body, uri);
        } catch (ProblemException | IOException e) {
            return new byte[0];
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

    private static long remainingNanos(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new ProblemException(ProblemType.FETCH_FAILED, "fetch deadline passed");
        }
        return left;
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(ProblemType.FETCH_REFUSED, detail);
    }

    private static ProblemException tooLarge(URI uri, int max) {
        return new ProblemException(ProblemType.INPUT_TOO_LARGE, "body from " + uri + " exceeds " + max + " bytes");
    }
}
