package dev.tabard.issuer.store;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * What differs between the engines under {@link JdbcIssuerStore}: where a transaction's connection comes from, how it
 * holds a lock every instance on the database honours, and how reads run. Everything else is shared SQL.
 */
interface Database extends AutoCloseable {

    /** The audit chain's lock: every audited transaction holds it, so the chain's end is read and extended by one at a time. */
    long CHAIN_LOCK = 0x7461_6261_7264_0001L;
    /** Held for a whole first-start bootstrap, on its own connection. */
    long BOOTSTRAP_LOCK = 0x7461_6261_7264_0002L;

    /**
     * The lock for writes to one kind of single-use value, which bounds hold across instances only when serialized. Its
     * high half differs from the chain's and the bootstrap's, so it never waits on them.
     */
    static long oneUseLock(String kind) {
        return 0x7461_6262_0000_0000L | (kind.hashCode() & 0xffff_ffffL);
    }

    /** SQL run on a connection. */
    @FunctionalInterface
    interface Sql<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} as one transaction that holds the lock {@code lockKey} from its start to its end, then commits;
     * any exception rolls the whole of it back. A lock taken here is released by the commit, the rollback, or the
     * death of the connection (a killed process leaves no lock and no half-written transaction).
     *
     * @throws IllegalStateException on a database failure, after the rollback
     */
    <T> T write(long lockKey, Sql<T> work);

    /** Runs {@code work} outside any write transaction; it sees the last commit. */
    <T> T read(Sql<T> work);

    /** Runs {@code work} while no other instance on this database runs its own; see {@link IssuerStore#bootstrapping}. */
    <T> T exclusively(Supplier<T> work);

    @Override
    void close();

    /**
     * What a failed statement means to a caller: a database that does not answer (no connection, or one cut or
     * refused) is {@code SERVICE_UNAVAILABLE}, which the caller may retry and the HTTP layer answers with 503, never
     * a 500; anything else is a fault of the issuer's.
     */
    static RuntimeException failure(SQLException e) {
        if (unreachable(e)) {
            return new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "the issuer's database does not answer; retry shortly"
                    + " (the operator finds the cause in the issuer's log)");
        }
        return new IllegalStateException("issuer store: " + e.getMessage(), e);
    }

    /**
     * SQLSTATE class 08 (connection exception), 57P (the server shutting down or refusing) and 53 (out of resources, such
     * as too many connections), and the JDBC connection exceptions, the pool's timeout among them.
     */
    private static boolean unreachable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P") || s.getSQLState().startsWith("53"))) {
                return true;
            }
        }
        return false;
    }
}
