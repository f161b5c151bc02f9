package dev.tabard.issuer.store;

import java.util.Objects;

/**
 * Where the PostgreSQL store is: a JDBC URL of the form {@code jdbc:postgresql://host[:port]/database}, and the role
 * to log in as. {@link #toString()} leaves the password out, so settings can be logged.
 */
public record DatabaseSettings(String jdbcUrl, String user, String password) {

    private static final String PREFIX = "jdbc:postgresql://";

    /**
     * @throws IllegalArgumentException when {@code jdbcUrl} does not start {@code jdbc:postgresql://}
     */
    public DatabaseSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!jdbcUrl.startsWith(PREFIX)) {
            throw new IllegalArgumentException("the database URL must have the form " + PREFIX + "host[:port]/database");
        }
    }

    @Override
    public String toString() {
        // a URL may carry a password in its query, so the query is left out too
        int query = jdbcUrl.indexOf('?');
        return "DatabaseSettings[jdbcUrl=" + (query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…") + ", user=" + user
                + ", password=(hidden)]";
    }
}
