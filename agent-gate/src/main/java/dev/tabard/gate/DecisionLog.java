package dev.tabard.gate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditFile;
import dev.tabard.audit.AuditKey;
import dev.tabard.audit.HeadPolicy;
import dev.tabard.crypto.Signer;
import dev.tabard.did.DidUrl;
import dev.tabard.verifier.calls.DecisionReceipt;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * The gate's record of every call it decided on: one hash-chained entry per accepted or refused call, in the issuer
 * audit's format, with heads signed by the gate's agent key, so {@code tabard audit verify --log FILE} checks it.
 * Each entry names who called (the agent and its chain), what it asked (the action), the outcome and the request's
 * signature; the signed response carries its {@link DecisionReceipt}, so the caller holds proof of the exchange too.
 */
public final class DecisionLog implements AutoCloseable {

    /** The audit action of an accepted call. */
    public static final String ACCEPTED = "call.accepted";
    /** The audit action of a refused call. */
    public static final String REFUSED = "call.refused";

    private final AuditFile file;
    private final DidUrl keyId;

    private DecisionLog(AuditFile file, DidUrl keyId) {
        this.file = file;
        this.keyId = keyId;
    }

    /**
     * Opens (or creates) the log at {@code file}, signing its heads with {@code signer} under {@code keyId}. One gate
     * process writes one file.
     */
    public static DecisionLog open(Path file, Signer signer, DidUrl keyId, Clock clock) {
        Objects.requireNonNull(keyId, "keyId");
        return new DecisionLog(AuditFile.open(file, new AuditKey(keyId.toString(), signer), clock, HeadPolicy.DEFAULT), keyId);
    }

    DecisionReceipt append(boolean accepted, String actor, String subject, ObjectNode details) {
        AuditEntry e = file.append(actor, accepted ? ACCEPTED : REFUSED, subject, details);
        return new DecisionReceipt(e.seq(), e.hash(), keyId);
    }

    /** Signs the head over every entry so far (also done on a timer and at close). */
    public void sign() {
        file.signHead();
    }

    @Override
    public void close() {
        file.close();
    }
}
