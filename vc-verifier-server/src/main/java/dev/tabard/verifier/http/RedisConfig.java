package dev.tabard.verifier.http;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a {@link RedisStore} connects: {@code redis://HOST:PORT} or {@code rediss://HOST:PORT} (TLS), with an optional
 * {@code user:password@} and {@code /DB}, and the key prefix under which this deployment's keys live (several
 * deployments may share one Redis). Immutable; {@link #toString()} never shows the password.
 *
 * <pre>{@code
 * RedisConfig config = RedisConfig.parse("rediss://redis.internal:6380").withPassword(secret).withPrefix("rp-eu:");
 * }</pre>
 */
public final class RedisConfig {

    public static final int DEFAULT_PORT = 6379;
    /** The default prefix of every key. */
    public static final String DEFAULT_PREFIX = "tabard:verifier:";
    /**
     * Connecting and each command give up after this long: a verifier waiting on a stalled Redis holds a request
     * slot, so it answers 503 quickly instead.
     */
    public static final Duration TIMEOUT = Duration.ofMillis(500);

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9:._-]{1,64}");
    private static final int MAX_URL = 2_048;

    private final boolean tls;
    private final String host;
    private final int port;
    private final Optional<String> user;
    private final Optional<String> password;
    private final int database;
    private final String prefix;

    private RedisConfig(boolean tls, String host, int port, Optional<String> user, Optional<String> password, int database, String prefix) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.database = database;
        this.prefix = prefix;
    }

    /**
     * Reads {@code redis://[user:password@]host[:port][/db]} or the same with {@code rediss://}.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} naming what is wrong with the URL (never echoing a password)
     */
    public static RedisConfig parse(String url) {
        Objects.requireNonNull(url, "url");
        if (url.length() > MAX_URL) {
            throw bad("is longer than " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw bad("is not a URL (expected redis://HOST:PORT or rediss://HOST:PORT)");
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw bad("must start with redis:// or rediss:// (TLS)");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw bad("names no host (expected " + scheme + "://HOST:PORT)");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw bad("must not carry a query or fragment");
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        int database = 0;
        String path = Optional.ofNullable(uri.getPath()).orElse("");
        if (!path.isEmpty() && !path.equals("/")) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw bad("path must be a database number, such as /0");
            }
            if (database < 0 || database > 15_999) {
                throw bad("database number out of range");
            }
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            String u = decode(colon < 0 ? info : info.substring(0, colon));
            user = u.isEmpty() ? Optional.empty() : Optional.of(u);
            if (colon >= 0 && colon + 1 < info.length()) {
                password = Optional.of(decode(info.substring(colon + 1)));
            } else if (colon < 0) {
                // redis://secret@host is the usual short form: one user-info part is the password, for the default user
                password = user;
                user = Optional.empty();
            }
        }
        return new RedisConfig(scheme.equals("rediss"), host, port, user, password, database, DEFAULT_PREFIX);
    }

    /** The same, authenticating with {@code password} (for example from an environment variable) instead of the URL's. */
    public RedisConfig withPassword(String password) {
        Objects.requireNonNull(password, "password");
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        return new RedisConfig(tls, host, port, user, Optional.of(password), database, prefix);
    }

    /**
     * The same, with every key under {@code prefix} ({@link #DEFAULT_PREFIX} by default): 1 to 64 letters, digits or
     * {@code :._-}.
     */
    public RedisConfig withPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("a key prefix is 1 to 64 letters, digits or :._-");
        }
        return new RedisConfig(tls, host, port, user, password, database, prefix);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** Whether the connection is TLS ({@code rediss://}). */
    public boolean tls() {
        return tls;
    }

    public int database() {
        return database;
    }

    public String prefix() {
        return prefix;
    }

    Optional<String> user() {
        return user;
    }

    Optional<String> password() {
        return password;
    }

    /** The URL without any password, and whether one is set. */
    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + user.map(u -> u + "@").orElse("") + host + ":" + port + "/" + database
                + (password.isPresent() ? " (with password)" : "") + " prefix " + prefix;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static ProblemException bad(String what) {
        return new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the Redis URL " + what);
    }
}
