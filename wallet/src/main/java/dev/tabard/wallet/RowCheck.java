package dev.tabard.wallet;

import dev.tabard.codec.Timestamps;
import dev.tabard.did.Did;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.AgentIdentity;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.wallet.store.StoredCredential;
import dev.tabard.wallet.store.WalletStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a wallet row is what its signed credential says: the columns are written by {@link Wallet#store} from the
 * verified credential, so any difference means the file was edited after the credential was stored.
 */
final class RowCheck {

    /** The types {@link Wallet#store} records for every credential it holds. */
    static final Set<String> STORED_TYPES = Set.of("VerifiableCredential", "AgentCredential");

    private RowCheck() {
    }

    /** {@code verification} of the row's token, failed as well when the row is not for {@code wallet} or contradicts it. */
    static VerificationResult check(WalletStore.Row row, VerificationResult verification, Did wallet) {
        if (!verification.verified()) {
            return verification;
        }
        AgentIdentity agent = verification.agent().orElse(null);
        List<Problem> errors = new ArrayList<>();
        if (agent == null) {
            errors.add(Problem.of(ProblemType.MALFORMED_VALUE_ERROR, "the row holds a credential that is not an AgentCredential;"
                    + " the wallet stores only AgentCredentials, so the file was edited"));
        } else if (!agent.agent().equals(wallet)) {
            errors.add(Problem.of(ProblemType.HOLDER_MISMATCH, "the credential is for " + agent.agent() + ", not this wallet ("
                    + wallet + "); it was copied into the file"));
        } else {
            Optional<StoredCredential> columns = WalletStore.parse(row);
            if (columns.isEmpty()) {
                errors.add(altered("a column does not parse"));
            } else {
                StoredCredential c = columns.get();
                agent.credentialId().filter(id -> !id.toString().equals(c.id()))
                        .ifPresent(id -> errors.add(altered("its id is not the credential's (" + id + ")")));
                if (!c.issuer().equals(agent.organization().toString())) {
                    errors.add(altered("its issuer is not the credential's (" + agent.organization() + ")"));
                }
                Set<String> expected = SdJwtHolding.isSdJwt(row.token()) ? SdJwtHolding.STORED_TYPES : STORED_TYPES;
                if (!c.types().equals(expected)) {
                    errors.add(altered("its types are not " + expected));
                }
                if (!c.capabilities().equals(agent.capabilities())) {
                    errors.add(altered("its capabilities " + c.capabilities() + " are not the credential's " + agent.capabilities()));
                }
                if (!c.validUntil().equals(agent.validUntil())) {
                    errors.add(altered("its validity end is not the credential's ("
                            + agent.validUntil().map(Timestamps::format).orElse("none") + ")"));
                }
            }
        }
        return errors.isEmpty() ? verification : verification.refutedBy(errors);
    }

    private static Problem altered(String what) {
        return Problem.of(ProblemType.MALFORMED_VALUE_ERROR, "the wallet file's row was altered: " + what
                + "; delete the row and receive the credential again");
    }
}
