package dev.tabard.fetch;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link SafeFetcher} may do. The defaults are for fetching from strangers: HTTPS only, public
 * addresses only, 256 KiB, 2 s to connect, 5 s in all, at most 3 same-origin redirects.
 *
 * @param maxBodyBytes largest body read, counted on the bytes actually received
 * @param connectTimeout per connection attempt
 * @param totalTimeout for the whole exchange, redirects included
 * @param maxRedirects hops followed, each checked like the first request
 * @param crossOriginRedirects whether a redirect may change scheme, host or port
 * @param allowedHosts hosts (lower-case names or IP literals) that may resolve to non-public addresses,
 *     such as {@code localhost} for tests and demos
 * @param plainHttpHosts hosts that may be reached over plain HTTP
 * @param trustedCertificates certificates trusted in addition to the JDK's CAs
 */
public record FetchPolicy(int maxBodyBytes, Duration connectTimeout, Duration totalTimeout, int maxRedirects,
                          boolean crossOriginRedirects, Set<String> allowedHosts, Set<String> plainHttpHosts,
                          List<X509Certificate> trustedCertificates) {

    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;

    public FetchPolicy {
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || totalTimeout.isNegative() || totalTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxRedirects < 0 || maxRedirects > 10) {
            throw new IllegalArgumentException("maxRedirects must be 0..10");
        }
        allowedHosts = Set.copyOf(allowedHosts);
        plainHttpHosts = Set.copyOf(plainHttpHosts);
        trustedCertificates = List.copyOf(trustedCertificates);
    }

    public static FetchPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code host} is on the allow-list for non-public addresses. */
    public boolean allowsHost(String host) {
        return allowedHosts.contains(host.toLowerCase(Locale.ROOT));
    }

    public boolean allowsPlainHttp(String host) {
        return plainHttpHosts.contains(host.toLowerCase(Locale.ROOT));
    }

    /** Single-use builder. */
    public static final class Builder {
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration totalTimeout = Duration.ofSeconds(5);
        private int maxRedirects = 3;
        private boolean crossOriginRedirects;
        private final Set<String> allowedHosts = new LinkedHashSet<>();
        private final Set<String> plainHttpHosts = new LinkedHashSet<>();
        private final List<X509Certificate> trusted = new ArrayList<>();

        private Builder() {
        }

        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder totalTimeout(Duration timeout) {
            this.totalTimeout = timeout;
            return this;
        }

        public Builder maxRedirects(int redirects) {
            this.maxRedirects = redirects;
            return this;
        }

        public Builder crossOriginRedirects(boolean allowed) {
            this.crossOriginRedirects = allowed;
            return this;
        }

        /** Lets {@code host} resolve to loopback, private or other non-public addresses. */
        public Builder allowHost(String host) {
            allowedHosts.add(host.toLowerCase(Locale.ROOT));
            return this;
        }

        /** Lets {@code host} be reached over plain HTTP (local development only). */
        public Builder allowPlainHttp(String host) {
            plainHttpHosts.add(host.toLowerCase(Locale.ROOT));
            return this;
        }

        /** Trusts {@code certificate} as a TLS trust anchor, in addition to the JDK's CAs. */
        public Builder trustCertificate(X509Certificate certificate) {
            trusted.add(Objects.requireNonNull(certificate, "certificate"));
            return this;
        }

        public FetchPolicy build() {
            return new FetchPolicy(maxBodyBytes, connectTimeout, totalTimeout, maxRedirects, crossOriginRedirects,
                    allowedHosts, plainHttpHosts, trusted);
        }
    }
}
