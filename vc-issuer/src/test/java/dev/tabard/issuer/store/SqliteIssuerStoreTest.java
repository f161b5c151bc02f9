package dev.tabard.issuer.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;

/** The store contract on a SQLite file in a temporary directory. */
class SqliteIssuerStoreTest extends IssuerStoreContract {

    @Override
    IssuerStore open(Clock clock) {
        return SqliteIssuerStore.open(dir.resolve("issuer.db"), clock, new SecureRandom());
    }

    @Override
    Connection raw() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db"));
    }
}
