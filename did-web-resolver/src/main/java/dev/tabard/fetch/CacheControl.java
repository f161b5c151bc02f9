package dev.tabard.fetch;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code Cache-Control} directives a client cache acts on (RFC 9111 §5.2.2), read from every field line of a
 * response. A client keeps what it fetched from strangers, so a directive that cannot be read makes the response
 * stale rather than long-lived: a malformed or repeated {@code max-age} reads as zero (RFC 9111 §4.2.1, §1.2.2).
 *
 * <p>Made only by {@link #parse} and {@link #of}; immutable.
 */
public final class CacheControl {

    /** RFC 9111 §1.2.2: a delta-seconds larger than this is taken as this. */
    public static final long MAX_DELTA_SECONDS = 2_147_483_648L;

    private final boolean noStore;
    private final boolean noCache;
    private final Optional<Duration> maxAge;

    private CacheControl(boolean noStore, boolean noCache, Optional<Duration> maxAge) {
        this.noStore = noStore;
        this.noCache = noCache;
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    }

    /** The response must not be kept at all. */
    public boolean noStore() {
        return noStore;
    }

    /** The response may be kept but must be revalidated before each use. */
    public boolean noCache() {
        return noCache;
    }

    /** How long the response is fresh, when the server said so. */
    public Optional<Duration> maxAge() {
        return maxAge;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheControl c && c.noStore == noStore && c.noCache == noCache && c.maxAge.equals(maxAge);
    }

    @Override
    public int hashCode() {
        return Objects.hash(noStore, noCache, maxAge);
    }

    @Override
    public String toString() {
        return "CacheControl[noStore=" + noStore + ", noCache=" + noCache + ", maxAge=" + maxAge.map(Duration::toString).orElse("none")
                + "]";
    }

    /**
     * The directives of a response's {@code Cache-Control} field lines, joined as RFC 9110 §5.3 says; empty when the
     * response has none.
     */
    public static Optional<CacheControl> of(FetchedResource response) {
        List<String> lines = Objects.requireNonNull(response, "response").headers().get("cache-control");
        if (lines == null || lines.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parse(String.join(",", lines)));
    }

    /** Parses a field value; unknown directives ({@code public}, {@code private}, {@code s-maxage}, …) are ignored. */
    public static CacheControl parse(String value) {
        Objects.requireNonNull(value, "value");
        boolean noStore = false;
        boolean noCache = false;
        Optional<Duration> maxAge = Optional.empty();
        for (String directive : value.toLowerCase(Locale.ROOT).split(",")) {
            String d = directive.trim();
            int eq = d.indexOf('=');
            String name = (eq < 0 ? d : d.substring(0, eq)).trim();
            switch (name) {
                case "no-store" -> noStore = true;
                case "no-cache" -> noCache = true;
                case "max-age" -> maxAge = Optional.of(maxAge.isPresent() || eq < 0 ? Duration.ZERO : seconds(d.substring(eq + 1)));
                default -> {
                    // not a directive a client cache acts on
                }
            }
        }
        return new CacheControl(noStore, noCache, maxAge);
    }

    private static Duration seconds(String raw) {
        String v = raw.trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        if (v.isEmpty() || v.length() > 19 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(Math.min(Long.parseLong(v), MAX_DELTA_SECONDS));
    }
}
