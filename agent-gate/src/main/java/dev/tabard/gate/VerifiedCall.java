package dev.tabard.gate;

import dev.tabard.httpsig.ReceivedSignature;
import dev.tabard.verifier.calls.BoundAgent;
import java.util.Objects;

/**
 * A request whose signature verified under the key bound to {@code caller}: fresh, its nonce unseen, its body the one
 * signed. {@code firstContact} when this request's own presentation made the binding.
 */
public record VerifiedCall(BoundAgent caller, ReceivedSignature signature, boolean firstContact) {
    public VerifiedCall {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(signature, "signature");
    }
}
