package dev.tabard.wallet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.Signer;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.wallet.present.PresentationRequest;
import dev.tabard.wallet.store.CredentialQuery;
import dev.tabard.wallet.store.HeldDelegation;
import dev.tabard.wallet.store.StoredCredential;
import dev.tabard.wallet.store.WalletStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds the wallet's presentations: a vp+jwt or a Data Integrity presentation of W3C credentials (never an SD-JWT VC,
 * which has no place in a W3C presentation), and an SD-JWT VC presentation with only the disclosures asked for.
 */
final class Presenter {

    private final WalletStore store;
    private final Signer key;
    private final Did did;
    private final DidUrl keyId;
    private final Delegations delegations;
    private final SdJwtHolding sdJwts;
    private final Clock clock;

    Presenter(WalletStore store, Signer key, Did did, DidUrl keyId, Delegations delegations, SdJwtHolding sdJwts, Clock clock) {
        this.store = store;
        this.key = key;
        this.did = did;
        this.keyId = keyId;
        this.delegations = delegations;
        this.sdJwts = sdJwts;
        this.clock = clock;
    }

    /** The held W3C credentials (no SD-JWT VC) valid now that match {@code request}. */
    private List<StoredCredential> w3c(PresentationRequest request, Instant now) {
        return store.query(CredentialQuery.all().withTypes(request.types()).withCapabilities(request.capabilities()).validAt(now))
                .stream().filter(c -> !SdJwtHolding.isSdJwt(c.token())).toList();
    }

    ObjectNode dataIntegrity(PresentationRequest request) {
        Instant now = clock.instant();
        StoredCredential c = w3c(request, now).stream().findFirst().orElseThrow(() -> new ProblemException(ProblemType.MISSING_CAPABILITY,
                "no valid credential held matches the request"));
        ObjectNode vp = VcJose.presentationOf(List.of(c.token()));
        vp.put("holder", did.toString());
        return DataIntegrity.sign(vp, key, ProofOptions.authentication(
                key.keyType() == KeyType.ED25519 ? "eddsa-rdfc-2022" : "ecdsa-rdfc-2019", keyId, now, now.plus(Wallet.PRESENTATION_LIFETIME),
                request.challenge(), request.domain()), BundledContexts.standard());
    }

    String vpJwt(PresentationRequest request) {
        Instant now = clock.instant();
        List<String> tokens = new ArrayList<>();
        // one credential that satisfies the request is enough; presenting more discloses more
        w3c(request, now).stream().findFirst().ifPresent(c -> tokens.add(c.token()));
        if (tokens.isEmpty()) {
            // authority held only by delegation: the whole chain, the organization's AgentCredential first
            tokens.addAll(delegations.heldFor(request.capabilities(), now).map(HeldDelegation::chain).orElseThrow(() ->
                    new ProblemException(ProblemType.MISSING_CAPABILITY, "no valid credential or delegation held matches the request")));
        }
        return VcJose.securePresentation(VcJose.presentationOf(tokens), key, keyId, request.challenge(), request.domain(),
                "urn:uuid:" + UUID.randomUUID(), now, now.plus(Wallet.PRESENTATION_LIFETIME));
    }

    String sdJwt(PresentationRequest request) {
        Instant now = clock.instant();
        StoredCredential held = store.query(CredentialQuery.all().withCapabilities(request.capabilities()).validAt(now)).stream()
                .filter(c -> SdJwtHolding.isSdJwt(c.token())).findFirst()
                .orElseThrow(() -> new ProblemException(ProblemType.MISSING_CAPABILITY, "no valid SD-JWT VC held matches the request"));
        return sdJwts.present(held, request.disclose(), request.challenge(), request.domain());
    }
}
