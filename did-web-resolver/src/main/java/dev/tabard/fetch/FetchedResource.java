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

    public Optional<String> etag() {
        return header("etag");
    }

    /**
     * How long the response may be reused: {@code no-store}/{@code no-cache} give zero, then
     * {@code max-age}, then {@code Expires} against {@code now}; empty when the server says nothing.
     */
    public Optional<Duration> freshness(Instant now) {
        Optional<String> cc = header("cache-control");
        if (cc.isPresent()) {
            for (String directive : cc.get().toLowerCase(Locale.ROOT).split(",")) {
                String d = directive.trim();
                if (d.equals("no-store") || d.equals("no-cache")) {
                    return Optional.of(Duration.ZERO);
                }
                if (d.startsWith("max-age=")) {
                    try {
                        return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(d.substring(8).trim()))));
                    } catch (NumberFormatException e) {
                        return Optional.of(Duration.ZERO);
                    }
                }
            }
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
