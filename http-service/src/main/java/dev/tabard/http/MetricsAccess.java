package dev.tabard.http;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may read {@code GET /metrics}. Metrics tell an outsider how busy the service is and which problems its
 * callers hit, so by default they are not served: {@link #notServed()}. An operator turns them on with a bearer
 * token ({@link #bearerToken(String)}; Prometheus sends it with {@code authorization: credentials}), or with a
 * separate listen address that only the scraper reaches ({@link #separateListener(InetSocketAddress)}), or both.
 *
 * @param token the bearer token required on the service's own port, if any
 * @param listener an address serving {@code /metrics} (and nothing else) without a token, if any
 */
public record MetricsAccess(Optional<String> token, Optional<InetSocketAddress> listener) {

    /**
     * Sixteen characters: a token is compared in constant time, but a short one is guessed; 16 random characters of
     * base64 are 96 bits.
     */
    public static final int MIN_TOKEN_LENGTH = 16;

    public MetricsAccess {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(listener, "listener");
        token.ifPresent(t -> {
            if (t.length() < MIN_TOKEN_LENGTH || !t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("a metrics token is at least " + MIN_TOKEN_LENGTH
                        + " printable ASCII characters without spaces (for example: openssl rand -base64 24)");
            }
        });
    }

    /** The default: {@code /metrics} answers 404 on every port. */
    public static MetricsAccess notServed() {
        return new MetricsAccess(Optional.empty(), Optional.empty());
    }

    /** {@code /metrics} on the service's port, for requests carrying {@code Authorization: Bearer token}. */
    public static MetricsAccess bearerToken(String token) {
        return new MetricsAccess(Optional.of(Objects.requireNonNull(token, "token")), Optional.empty());
    }

    /** {@code /metrics} on its own address (such as 127.0.0.1:9464) without a token, and nowhere else. */
    public static MetricsAccess separateListener(InetSocketAddress address) {
        return new MetricsAccess(Optional.empty(), Optional.of(Objects.requireNonNull(address, "address")));
    }

    /** Also serve on {@code address}, without a token. */
    public MetricsAccess withSeparateListener(InetSocketAddress address) {
        return new MetricsAccess(token, Optional.of(Objects.requireNonNull(address, "address")));
    }

    /**
     * Refuses a request to {@code /metrics} on the service's port unless {@code authorization} (the header's value,
     * if sent) carries the token, compared in constant time.
     *
     * @throws ProblemException {@code ROUTE_NOT_FOUND} when no token is configured, {@code UNAUTHORIZED} when the
     *     token is missing or wrong
     */
    void authorize(Optional<String> authorization) {
        if (token.isEmpty()) {
            throw new ProblemException(ProblemType.ROUTE_NOT_FOUND, "metrics are not served here; start the server with a metrics "
                    + "token (--metrics-token or its environment variable) or a metrics listen address (--metrics-listen)");
        }
        byte[] given = authorization.filter(a -> a.startsWith("Bearer ")).map(a -> a.substring("Bearer ".length()).trim())
                .orElse("").getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token.get().getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "metrics need the metrics token: send Authorization: Bearer <token>");
        }
    }

    @Override
    public String toString() {
        return "MetricsAccess[token=" + (token.isPresent() ? "(set)" : "none") + ", listener=" + listener.map(Object::toString).orElse("none")
                + "]";
    }
}
