package dev.tabard.wallet;

import dev.tabard.codec.Base64Url;
import dev.tabard.crypto.Signer;
import dev.tabard.did.Did;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.Presentations;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.sdjwt.vc.AgentSdJwtVc;
import dev.tabard.sdjwt.vc.SdJwtVc;
import dev.tabard.verifier.AgentIdentity;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.store.StoredCredential;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.Set;

/**
 * The SD-JWT VCs a wallet holds. A held SD-JWT VC is checked by presenting it to the wallet's own {@link Verifier} with
 * every disclosure and a key-binding JWT for a fresh nonce and the wallet's DID as audience: so the issuer's signature,
 * every digest, the dates, the status, the trust policy and that {@code cnf} is this wallet's key are checked by the
 * verifier's code, exactly as a counterparty would, and the wallet's policy must accept {@code dc+sd-jwt}.
 */
final class SdJwtHolding {

    /** The types the wallet records for an SD-JWT VC: the format and the {@code vct}, never a W3C type. */
    static final Set<String> STORED_TYPES = Set.of(SdJwtVc.TYP, AgentSdJwtVc.VCT);

    private final Signer key;
    private final Did did;
    private final Verifier verifier;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    SdJwtHolding(Signer key, Did did, Verifier verifier, Clock clock) {
        this.key = key;
        this.did = did;
        this.verifier = verifier;
        this.clock = clock;
    }

    /** Whether {@code token} is in the SD-JWT serialization (a vc+jwt never has a {@code ~}). */
    static boolean isSdJwt(String token) {
        return SdJwt.looksLikeSdJwt(token);
    }

    /** Verifies a held SD-JWT VC now, as {@link Verifier#verifyPresentation} would for a counterparty. */
    VerificationResult check(String token) {
        SdJwt held;
        try {
            held = SdJwt.parse(token).withoutKeyBinding();
        } catch (ProblemException e) {
            return verifier.verifyPresentation(token, new PresentationOptions("-", did.toString()));
        }
        byte[] n = new byte[16];
        random.nextBytes(n);
        String nonce = Base64Url.encode(n);
        String shown = KeyBinding.sign(key, held, did.toString(), nonce, clock.instant()).serialize();
        return verifier.verifyPresentation(shown, new PresentationOptions(nonce, did.toString()));
    }

    /**
     * Verifies an SD-JWT VC received for this wallet and returns what to store: id, issuer, types and capabilities from
     * the verified credential.
     *
     * @throws ProblemException the verification's problems; {@code HOLDER_MISMATCH} for a credential about another agent
     */
    StoredCredential verifyForStorage(String token) {
        String issued = SdJwt.parse(token).withoutKeyBinding().serialize();
        VerificationResult r = check(issued);
        if (!r.verified()) {
            throw new ProblemException(r.errors());
        }
        AgentIdentity agent = r.agent().orElseThrow(() -> new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                "not an AgentCredential SD-JWT VC (vct " + AgentSdJwtVc.VCT + ")"));
        if (!agent.agent().equals(did)) {
            throw new ProblemException(ProblemType.HOLDER_MISMATCH, "the credential is for " + agent.agent() + ", not this wallet");
        }
        StoredCredential held = StoredCredential.of(id(issued), issued, agent.organization().toString(), STORED_TYPES,
                agent.capabilities(), clock.instant());
        return agent.validUntil().map(held::withValidUntil).orElse(held);
    }

    /** An SD-JWT VC has no id claim: the wallet names it by the digest of the issuer-signed JWT, the same on every receipt. */
    static String id(String token) {
        return "urn:sd-jwt:" + SdJwt.parse(token).withoutKeyBinding().sdHash();
    }

    /**
     * A presentation of {@code held} disclosing only the claims at {@code paths} (and what they sit in), with a
     * key-binding JWT for the verifier's {@code nonce} and {@code audience}.
     */
    String present(StoredCredential held, Collection<ClaimPath> paths, String nonce, String audience) {
        SdJwt shown = Presentations.select(SdJwt.parse(held.token()), paths);
        return KeyBinding.sign(key, shown, audience, nonce, clock.instant()).serialize();
    }
}
