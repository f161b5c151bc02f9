package dev.tabard.fetch;

import dev.tabard.crypto.Bytes;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A response as fetched: the final URI after redirects, the status, the headers (names lower-cased) and
 * the body.
 */
public record FetchedResource(URI uri, int status, Map<String, List<String>> headers, Bytes body) {

    public FetchedResource {
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The media type without parameters, lower-cased. */
    public Optional<String> mediaType() {
        return header("content-type").map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT));
    }

    /** The longest entity-tag kept and sent back in {@code If-None-Match}. */
    public static final int MAX_ETAG_LENGTH = 256;

    /**
     * The entity-tag, strong or weak, when it is well formed (RFC 9110 §8.8.3) and at most {@link #MAX_ETAG_LENGTH}
     * characters: a value a client sends back as {@code If-None-Match} must not carry anything a server put there to
     * break the next request.
     */
    public Optional<String> etag() {
        return header("etag").filter(FetchedResource::entityTag);
    }

    private static boolean entityTag(String tag) {
        String opaque = tag.startsWith("W/") ? tag.substring(2) : tag;
        return tag.length() <= MAX_ETAG_LENGTH && opaque.length() >= 2 && opaque.startsWith("\"") && opaque.endsWith("\"")
                && opaque.substring(1, opaque.length() - 1).chars().allMatch(c -> c == 0x21 || (c >= 0x23 && c <= 0x7e));
    }

    /** The {@code Cache-Control} directives, all field lines read; empty when the server sent none. */
    public Optional<CacheControl> cacheControl() {
        return CacheControl.of(this);
    }

    /**
     * How long the response may be reused: {@code no-store}/{@code no-cache} give zero, then
     * {@code max-age}, then {@code Expires} against {@code now}; empty when the server says nothing.
     */
    public Optional<Duration> freshness(Instant now) {
        Optional<CacheControl> cc = cacheControl();
        if (cc.isPresent() && (cc.get().noStore() || cc.get().noCache())) {
            return Optional.of(Duration.ZERO);
        }
        if (cc.isPresent() && cc.get().maxAge().isPresent()) {
            return cc.get().maxAge();
        }
        Optional<String> expires = header("expires");
        if (expires.isPresent()) {
            try {
                Instant at = ZonedDateTime.parse(expires.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e) {
                return Optional.of(Duration.ZERO);
            }
        }
        return Optional.empty();
    }
}
