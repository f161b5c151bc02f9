package dev.tabard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.AgentIdentity;
import dev.tabard.wallet.CheckedCredential;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The lines {@code wallet list} prints: a verified credential with its validity and {@code active}; one that no longer
 * counts with the status that says why (expired, revoked, suspended, or {@code status unknown} when its status list
 * could not be read). What a line says about the agent comes from the signed credential only.
 */
final class WalletListing {

    /** The word for a credential the verifier refused for its dates or status, by the first such problem. */
    private static final Map<ProblemType, String> STATUS = Map.of(ProblemType.CREDENTIAL_EXPIRED, "expired",
            ProblemType.CREDENTIAL_NOT_YET_VALID, "not yet valid", ProblemType.CREDENTIAL_REVOKED, "revoked",
            ProblemType.CREDENTIAL_SUSPENDED, "suspended", ProblemType.STATUS_RETRIEVAL_ERROR, "status unknown",
            ProblemType.STATUS_VERIFICATION_ERROR, "status unknown", ProblemType.STATUS_LIST_LENGTH_ERROR, "status unknown");

    private WalletListing() {
    }

    /** The line for a credential that verified, {@code token} being its signed form. */
    static String active(CheckedCredential c, String token) {
        AgentIdentity a = c.agent().orElseThrow();
        return WalletCommand.printable(a.credentialId().map(Object::toString).orElse(c.rowId()) + "  " + a.organization() + "  "
                + new TreeSet<>(a.capabilities()) + "  valid from " + validFrom(token).orElse("-") + " until "
                + a.validUntil().map(Object::toString).orElse("-") + "  active");
    }

    /** The line for a credential refused for its dates or status, or empty when it was refused for anything else. */
    static Optional<String> inactive(CheckedCredential c) {
        for (Problem p : c.result().errors()) {
            String status = STATUS.get(p.type());
            if (status != null) {
                return Optional.of(WalletCommand.printable(c.rowId() + "  " + status + ": " + p.detail()));
            }
        }
        return Optional.empty();
    }

    /** The {@code validFrom} (VC 2.0) or {@code nbf} of a vc+jwt whose signature has been verified. */
    static Optional<String> validFrom(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode payload = JsonCodec.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            if (payload.path("validFrom").isTextual()) {
                return Optional.of(payload.get("validFrom").asText());
            }
            if (payload.path("nbf").canConvertToLong()) {
                return Optional.of(java.time.Instant.ofEpochSecond(payload.get("nbf").asLong()).toString());
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // verified means it parsed; a form without a JWT payload has no date to show here
        }
    }
}
