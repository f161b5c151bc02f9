package dev.tabard.issuer;

import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Admin tokens: made here, shown once, and stored only as a keyed hash ({@link IssuerStore#putAdminToken}). The admin
 * API mints them for an admin, and an operator who lost every token mints one from the data directory.
 */
public final class AdminTokens {

    /** The roles a token may have: {@code issue} (agents, issuance), {@code revoke} (status changes), {@code admin} (all). */
    public static final Set<String> ROLES = Set.of("issue", "revoke", "admin");

    private AdminTokens() {
    }

    /** A new random token, {@code tabard_} and 32 random bytes in base64url. */
    public static String generate(SecureRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return "tabard_" + Base64Url.encode(b);
    }

    /** The SHA-256 of a token in hex, as the store is given it. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes a token with {@code role}, stores it under {@code name} with an audit entry by {@code actor}, and returns it:
     * the only time it is seen.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} (pointer {@code /role}) for a role not in {@link #ROLES},
     *     or (pointer {@code /name}) for a blank name or one over 256 characters
     */
    public static String mint(IssuerStore store, String name, String role, String actor, SecureRandom random) {
        Objects.requireNonNull(store, "store");
        if (name == null || name.isBlank() || name.length() > 256) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/name", "name must be a non-empty string up to 256 characters"));
        }
        if (!ROLES.contains(role)) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/role", "role is issue, revoke or admin"));
        }
        String token = generate(random);
        store.putAdminToken(name, hash(token), role, new IssuerStore.Audit(actor, "admin.token.create", name,
                JsonCodec.writeString(Map.of("role", role))));
        return token;
    }
}
