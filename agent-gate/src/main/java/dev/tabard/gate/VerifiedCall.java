package dev.tabard.gate;

import dev.tabard.httpsig.ReceivedSignature;
import dev.tabard.verifier.calls.BoundAgent;
import java.util.Objects;

/**
 * A request whose signature verified under the key bound to {@link #caller()}: fresh, its nonce unseen, its body the
 * one signed. {@link #firstContact()} when this request's own presentation made the binding. Made only by
 * {@link CallVerifier} (a final class, not a record, so no public constructor can claim a verification).
 */
public final class VerifiedCall {

    private final BoundAgent caller;
    private final ReceivedSignature signature;
    private final boolean firstContact;

    VerifiedCall(BoundAgent caller, ReceivedSignature signature, boolean firstContact) {
        this.caller = Objects.requireNonNull(caller, "caller");
        this.signature = Objects.requireNonNull(signature, "signature");
        this.firstContact = firstContact;
    }

    public BoundAgent caller() {
        return caller;
    }

    public ReceivedSignature signature() {
        return signature;
    }

    public boolean firstContact() {
        return firstContact;
    }

    @Override
    public String toString() {
        return "VerifiedCall[" + caller + (firstContact ? ", first contact" : "") + "]";
    }
}
