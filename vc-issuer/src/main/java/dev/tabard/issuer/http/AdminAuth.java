package dev.tabard.issuer.http;

import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import io.javalin.http.Context;
import java.util.Set;

/**
 * Bearer tokens for the admin API. The store keeps only a keyed hash of each (HMAC-SHA-256 of its SHA-256 under a
 * per-installation key outside the database); a presented token is hashed the same way and compared in constant time
 * against each. Tokens an operator supplies must pass {@link dev.tabard.issuer.AdminTokenStrength}. Roles: {@code issue} (agents, issuance), {@code revoke} (status
 * changes), {@code admin} (everything, including tokens and keys).
 */
final class AdminAuth {

    static final Set<String> ROLES = dev.tabard.issuer.AdminTokens.ROLES;

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
        IssuerStore.AdminToken granted = store.adminToken(IssuerService.tokenHash(header.substring(7).trim())).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return new ProblemException(ProblemType.UNAUTHORIZED, "unknown admin token");
        });
        if (!granted.role().equals(role) && !granted.role().equals("admin")) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this token's role (" + granted.role() + ") does not allow " + role);
        }
        // the token's name, not a prefix of its hash: the audit log must give no help to guessing the token
        return "token:" + granted.name();
    }
}
