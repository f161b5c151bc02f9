package dev.tabard.issuer.http;

import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import io.javalin.http.Context;
import java.util.Set;

/**
 * Bearer tokens for the admin API. Only their SHA-256 hashes are stored; a presented token is hashed and
 * compared in constant time against each. Roles: {@code issue} (agents, issuance), {@code revoke} (status
 * changes), {@code admin} (everything, including tokens and keys).
 */
final class AdminAuth {

    static final Set<String> ROLES = Set.of("issue", "revoke", "admin");

    private final IssuerStore store;

    AdminAuth(IssuerStore store) {
        this.store = store;
    }

    /** The caller's role, which must be {@code role} or {@code admin}; returns the actor name for the audit log. */
    String require(Context ctx, String role) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 512) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ProblemException(ProblemType.UNAUTHORIZED, "an admin token is required (Authorization: Bearer …)");
        }
        String hash = IssuerService.tokenHash(header.substring(7).trim());
        String granted = store.adminRole(hash).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return new ProblemException(ProblemType.UNAUTHORIZED, "unknown admin token");
        });
        if (!granted.equals(role) && !granted.equals("admin")) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this token's role (" + granted + ") does not allow " + role);
        }
        return "token:" + hash.substring(0, 12);
    }
}
