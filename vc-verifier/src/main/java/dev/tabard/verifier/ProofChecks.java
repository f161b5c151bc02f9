package dev.tabard.verifier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.DidResolver;
import dev.tabard.did.VerificationMethod;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.Credential;
import dev.tabard.vc.ParentReference;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.jose.JoseOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.jose.VerifiedTokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/** A credential's proof, in whichever form it is secured: a vc+jwt (or VC 1.1 JWT), or an embedded Data Integrity proof. */
final class ProofChecks {

    private final DidResolver resolver;
    private final TrustPolicy policy;
    private final Clock clock;
    private final BundledContexts contexts;
    private final VerifiedTokens verifiedTokens;

    ProofChecks(DidResolver resolver, TrustPolicy policy, Clock clock, BundledContexts contexts, VerifiedTokens verifiedTokens) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.contexts = Objects.requireNonNull(contexts, "contexts");
        this.verifiedTokens = Objects.requireNonNull(verifiedTokens, "verifiedTokens");
    }

    DidResolver resolver() {
        return resolver;
    }

    BundledContexts contexts() {
        return contexts;
    }

    JoseOptions joseOptions() {
        JoseOptions strict = JoseOptions.strict(clock, policy.maxClockSkew()).withVerifiedTokens(verifiedTokens);
        return policy.formats().contains(TrustPolicy.Format.VC11_JWT) ? strict.acceptingVc11() : strict;
    }

    /** A credential as text: a JWT, or a Data Integrity document as JSON. */
    SecuredCredential secured(String input, VerifyOptions options) {
        if (looksLikeJwt(input)) {
            if (!options.isDefault()) {
                // a vc+jwt is its issuer's assertion; it has no proof purpose, challenge or domain to match
                throw new ProblemException(ProblemType.PROOF_VERIFICATION_ERROR,
                        "a JWT credential is an assertion; it cannot meet the expected proof purpose, challenge or domain");
            }
            return jwt(input.trim());
        }
        return dataIntegrity(JsonCodec.parseObject(input.getBytes(StandardCharsets.UTF_8)), options);
    }

    SecuredCredential jwt(String token) {
        return of(VcJose.verifyCredential(token, resolver, joseOptions()));
    }

    /** A credential token VcJose verified (alone, or inside a vp+jwt). */
    static SecuredCredential of(VcJose.VerifiedCredential v) {
        TrustPolicy.Format format = v.format() == VcJose.Format.VC_JWT ? TrustPolicy.Format.VC_JWT : TrustPolicy.Format.VC11_JWT;
        return new SecuredCredential(v.credential(), v.method(), format,
                v.credential().id().map(id -> ParentReference.ofToken(id, v.token())));
    }

    SecuredCredential dataIntegrity(ObjectNode json, VerifyOptions options) {
        Credential credential = Credential.of(json);
        List<DataIntegrity.VerifiedProof> proofs = DataIntegrity.verify(json, resolver,
                new DataIntegrity.Expectations(options.proofPurpose(), options.challenge(), options.domain(), clock,
                        policy.maxClockSkew()), contexts);
        // every proof verified; one of them must be the issuer's (in a proof set or chain others may sign too, VC DI §2.1)
        VerificationMethod vm = proofs.stream().map(DataIntegrity.VerifiedProof::method)
                .filter(m -> m.id().did().toString().equals(credential.issuer().id().toString())).findFirst()
                .orElseThrow(() -> new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD, "the proof's key " + proofs.get(0).method().id()
                        + " is not the issuer's (" + credential.issuer().id() + ")" + (proofs.size() > 1 ? ", nor is any other proof's" : "")));
        return new SecuredCredential(credential, vm, TrustPolicy.Format.DATA_INTEGRITY,
                credential.id().map(id -> ParentReference.ofDocument(id, json)));
    }

    static boolean looksLikeJwt(String input) {
        String t = input.trim();
        int first = t.indexOf('.');
        int second = first < 0 ? -1 : t.indexOf('.', first + 1);
        return !t.startsWith("{") && second > 0 && t.indexOf('.', second + 1) < 0;
    }
}
