package dev.tabard.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.did.Relationship;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.CredentialSubject;
import dev.tabard.vc.DelegationChain;
import dev.tabard.vc.Presentation;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.EnvelopedCredential;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.verifier.replay.ReplayEntry;
import dev.tabard.verifier.replay.ReplayStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A presentation, after its size was checked: its proof and binding, what it carries — credentials about its holder,
 * or one delegation chain ending at its holder — the trust policy, statuses, the action asked for, and replay, in that
 * order (cheap and local first; the network only for what could be accepted; the replay guard only for what is).
 */
final class PresentationChecks {

    /** A presentation whose proof verified: who signed it, what it is bound to, and what it carries, in order. */
    private record Signed(Did holder, String nonce, Optional<String> jti, byte[] signedContent, PresentationLifetime lifetime,
                          List<SecuredCredential> credentials) {
    }

    private final ProofChecks proofs;
    private final CredentialChecks checks;
    private final TrustPolicy policy;
    private final ReplayStore replayStore;
    private final Clock clock;

    PresentationChecks(ProofChecks proofs, CredentialChecks checks, TrustPolicy policy, ReplayStore replayStore, Clock clock) {
        this.proofs = proofs;
        this.checks = checks;
        this.policy = policy;
        this.replayStore = replayStore;
        this.clock = clock;
    }

    VerificationResult verify(String input, PresentationOptions options, Set<Check> checked) {
        Signed signed = ProofChecks.looksLikeJwt(input) ? jwt(input.trim(), options) : document(input, options);
        checked.add(Check.DATA_MODEL);
        checked.add(Check.PROOF);
        List<SecuredCredential> credentials = signed.credentials();
        // VC DM 2.0 §4.13: a presentation may carry no credential; it then proves only that the holder controls its
        // key, yields no AgentIdentity, and cannot meet a policy that asks for types or capabilities
        if (credentials.isEmpty() && (!policy.requiredTypes().isEmpty() || !policy.requiredCapabilities().isEmpty())) {
            throw new ProblemException(ProblemType.MISSING_CAPABILITY, "the presentation carries no credential, and this "
                    + "verifier requires " + (policy.requiredCapabilities().isEmpty() ? "the types " + policy.requiredTypes()
                    : "the capabilities " + policy.requiredCapabilities()));
        }
        List<Problem> warnings = new ArrayList<>();
        Optional<AgentIdentity> agent;
        if (DelegationChain.isChain(credentials.stream().map(SecuredCredential::credential).toList())) {
            agent = Optional.of(chainWithStatus(signed.holder(), credentials, checked));
        } else {
            agent = direct(signed, warnings, checked);
            for (int i = 0; i < credentials.size(); i++) {
                SecuredCredential s = credentials.get(i);
                at(pointer(i), () -> checks.status(s, checked));
            }
        }
        if (options.action().isPresent()) {
            Action action = options.action().get();
            AgentIdentity acting = agent.orElseThrow(() -> new ProblemException(ProblemType.MISSING_CAPABILITY,
                    "the presentation carries no AgentCredential bound to its holder, so nothing authorizes " + action.capability()));
            List<Problem> refused = acting.authority().authorize(action);
            if (!refused.isEmpty()) {
                throw new ProblemException(refused);
            }
        }
        // last, so that only presentations this verifier would accept take room in the guard. What is remembered is the
        // holder, the challenge and the signed content: the same presentation again is a replay, whereas another one the
        // holder signed for a challenge its caller reused is not (only the holder's key could make it)
        String bound = signed.nonce() + " " + Base64Url.encode(sha256(signed.signedContent()));
        Instant until = signed.lifetime().rememberUntil(policy.maxClockSkew());
        String holder = signed.holder().toString();
        replayStore.remember(signed.jti().isPresent() ? ReplayEntry.of(holder, bound, signed.jti().get(), until)
                : ReplayEntry.of(holder, bound, until));
        return VerificationResult.verified(agent, warnings, checked);
    }

    private Signed jwt(String token, PresentationOptions options) {
        VcJose.VerifiedPresentation vp = VcJose.verifyPresentation(token, proofs.resolver(), proofs.joseOptions(),
                options.challenge(), options.domain());
        Instant now = clock.instant();
        PresentationLifetime lifetime = PresentationLifetime.of(PresentationLifetime.jwtStarts(CompactJws.parse(token).payloadJson()),
                List.of(vp.expires()), now);
        List<SecuredCredential> credentials = new ArrayList<>();
        for (VcJose.VerifiedCredential c : vp.credentials()) {
            credentials.add(ProofChecks.of(c));
        }
        byte[] signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        return new Signed(vp.holder(), vp.nonce(), vp.jti(), signingInput, lifetime, credentials);
    }

    private Signed document(String input, PresentationOptions options) {
        ObjectNode json = JsonCodec.parseObject(input.getBytes(StandardCharsets.UTF_8));
        Presentation p = Presentation.of(json);
        DataIntegrity.Expectations expect = new DataIntegrity.Expectations(Relationship.AUTHENTICATION,
                Optional.of(options.challenge()), Optional.of(options.domain()), clock, policy.maxClockSkew());
        List<DataIntegrity.VerifiedProof> verified = DataIntegrity.verify(json, proofs.resolver(), expect, proofs.contexts());
        Did holder = verified.get(0).method().id().did();
        if (p.holder().isPresent() && !p.holder().get().toString().equals(holder.toString())) {
            throw new ProblemException(ProblemType.HOLDER_MISMATCH, "holder " + p.holder().get() + " did not sign the presentation");
        }
        PresentationLifetime lifetime = PresentationLifetime.of(PresentationLifetime.documentTimes(json, "validFrom", "created"),
                PresentationLifetime.documentTimes(json, "validUntil", "expires"), clock.instant());
        // in the order the presentation carries them: a delegation chain is read root first
        List<SecuredCredential> credentials = new ArrayList<>();
        JsonNode carried = json.get("verifiableCredential");
        for (JsonNode c : carried == null ? List.<JsonNode>of() : carried.isArray() ? iterable(carried) : List.of(carried)) {
            credentials.add(Presentation.ENVELOPED_CREDENTIAL.equals(c.path("type").asText())
                    ? proofs.jwt(EnvelopedCredential.token(c.path("id").asText()))
                    : proofs.dataIntegrity((ObjectNode) c, VerifyOptions.defaults()));
        }
        ByteArrayOutputStream signedContent = new ByteArrayOutputStream();
        verified.forEach(v -> signedContent.writeBytes(v.signedHash()));
        return new Signed(holder, options.challenge(), p.id().map(Object::toString), signedContent.toByteArray(), lifetime, credentials);
    }

    /**
     * Credentials about the presentation's holder: each must have the holder as a subject (unless the policy accepts
     * others, which are then reported and give no identity); the identity is that of the first bound AgentCredential.
     */
    private Optional<AgentIdentity> direct(Signed signed, List<Problem> warnings, Set<Check> checked) {
        List<SecuredCredential> bound = new ArrayList<>();
        for (SecuredCredential s : signed.credentials()) {
            boolean isBound = s.credential().subjects().stream().map(CredentialSubject::id)
                    .anyMatch(id -> id.isPresent() && id.get().equals(signed.holder().toString()));
            String which = s.credential().id().map(Object::toString).orElse("a credential it carries");
            if (isBound) {
                bound.add(s);
            } else if (policy.acceptCredentialsNotBoundToHolder()) {
                warnings.add(Problem.of(ProblemType.HOLDER_MISMATCH, "the presentation's signer " + signed.holder() + " is not the subject of "
                        + which + ": it is not bound to the holder, and no agent identity comes from it"));
            } else {
                throw new ProblemException(ProblemType.HOLDER_MISMATCH, "the presentation's signer " + signed.holder()
                        + " is not the subject of " + which);
            }
        }
        checked.add(Check.HOLDER_BINDING);
        Optional<AgentIdentity> agent = Optional.empty();
        for (int i = 0; i < signed.credentials().size(); i++) {
            SecuredCredential s = signed.credentials().get(i);
            Optional<AgentIdentity> a = at(pointer(i), () -> checks.policy(s, checked));
            if (agent.isEmpty() && bound.contains(s)) {
                agent = a;
            }
        }
        return agent;
    }

    /**
     * One delegation chain: the organization's AgentCredential first, then each link, ending at the holder. The root
     * meets the whole policy but its capabilities; every link its dates and forms; the chain's effective grant the
     * policy's required capabilities.
     */
    /**
     * A delegation chain handed over outside a presentation (a wallet receiving one): each credential as carried, the
     * organization's first, checked as a presented chain is, for {@code holder} as its last delegate.
     */
    VerificationResult chainFor(Did holder, List<String> carried, Set<Check> checked) {
        if (carried.isEmpty() || carried.size() > Presentation.MAX_CREDENTIALS) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/verifiableCredential", "a delegation chain is 2 to "
                    + Presentation.MAX_CREDENTIALS + " credentials, the organization's AgentCredential first"));
        }
        List<SecuredCredential> credentials = new ArrayList<>();
        for (int i = 0; i < carried.size(); i++) {
            String c = carried.get(i);
            credentials.add(at(pointer(i), () -> proofs.secured(c, VerifyOptions.defaults())));
        }
        checked.add(Check.DATA_MODEL);
        checked.add(Check.PROOF);
        if (!DelegationChain.isChain(credentials.stream().map(SecuredCredential::credential).toList())) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/verifiableCredential",
                    "no DelegationCredential: this is not a delegation chain"));
        }
        return VerificationResult.verified(Optional.of(chainWithStatus(holder, credentials, checked)), List.of(), checked);
    }

    private AgentIdentity chainWithStatus(Did holder, List<SecuredCredential> credentials, Set<Check> checked) {
        AgentIdentity agent = chain(holder, credentials, checked);
        Did organization = agent.organization();
        // every credential trusted before any status host is asked about one of them; links use the root's lists
        at(pointer(0), () -> checks.status(credentials.get(0), checked));
        for (int i = 1; i < credentials.size(); i++) {
            SecuredCredential link = credentials.get(i);
            at(pointer(i), () -> checks.status(link, organization, checked));
        }
        return agent;
    }

    private AgentIdentity chain(Did holder, List<SecuredCredential> credentials, Set<Check> checked) {
        List<DelegationChain.Carried> carried = new ArrayList<>();
        for (int i = 0; i < credentials.size(); i++) {
            carried.add(new DelegationChain.Carried(credentials.get(i).credential(), credentials.get(i).reference(), pointer(i)));
        }
        DelegationChain.Path path = DelegationChain.walk(carried, policy.maxUnregisteredLinkLifetime());
        if (!path.lastDelegate().equals(holder)) {
            throw new ProblemException(Problem.at(ProblemType.HOLDER_MISMATCH, pointer(credentials.size() - 1) + "/credentialSubject/id",
                    "the chain ends at " + path.lastDelegate() + ", but " + holder + " holds it"));
        }
        checked.add(Check.HOLDER_BINDING);
        at(pointer(0), () -> {
            checks.trusted(credentials.get(0), checked);
            return null;
        });
        for (int i = 1; i < credentials.size(); i++) {
            SecuredCredential link = credentials.get(i);
            at(pointer(i), () -> {
                checks.inPeriodAndForm(link, checked);
                return null;
            });
        }
        AgentIdentity identity = AgentIdentity.delegated(path, credentials.stream().map(SecuredCredential::credential).toList());
        checks.requireCapabilities(identity.capabilities(), "the acting agent " + identity.agent());
        checked.add(Check.POLICY);
        return identity;
    }

    private static String pointer(int index) {
        return "/verifiableCredential/" + index;
    }

    /** Runs a check of one carried credential, anchoring its problems at the credential's place in the presentation. */
    private static <T> T at(String pointer, Supplier<T> check) {
        try {
            return check.get();
        } catch (ProblemException e) {
            List<Problem> anchored = new ArrayList<>();
            for (Problem p : e.problems()) {
                anchored.add(p.pointer().isPresent() ? p : Problem.at(p.type(), pointer, p.detail()));
            }
            throw new ProblemException(anchored);
        }
    }

    private static void at(String pointer, Runnable check) {
        at(pointer, () -> {
            check.run();
            return null;
        });
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
