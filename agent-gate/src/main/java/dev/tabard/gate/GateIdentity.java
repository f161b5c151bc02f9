package dev.tabard.gate;

import dev.tabard.crypto.Signer;
import dev.tabard.did.DidUrl;
import java.util.Objects;

/**
 * The gate's own agent: the key it signs responses and decision-log heads with, and how it presents its credential to
 * a caller that asks (mutual authentication). A wallet gives both: {@code new GateIdentity(wallet.keyId(),
 * wallet.signer(), (challenge, audience) -> wallet.present(new PresentationRequest(challenge, audience, Set.of(), Set.of())))}.
 */
public record GateIdentity(DidUrl keyId, Signer signer, Presenter presenter) {

    /** Makes a vp+jwt of the gate's credential for {@code challenge} (the caller's nonce) and {@code audience} (its DID). */
    @FunctionalInterface
    public interface Presenter {
        String present(String challenge, String audience);
    }

    public GateIdentity {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(presenter, "presenter");
        if (keyId.fragment().isEmpty()) {
            throw new IllegalArgumentException("the gate's key id is a DID URL with a fragment");
        }
    }
}
