package dev.tabard.verifier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.did.VerificationMethod;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.Credential;
import dev.tabard.vc.CredentialSubject;
import dev.tabard.vc.Presentation;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.EnvelopedCredential;
import dev.tabard.vc.jose.JoseOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.jose.VerifiedTokens;
import dev.tabard.verifier.replay.ReplayGuard;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies credentials and presentations in every format did-core supports — vc+jwt, vp+jwt, VC 1.1 JWTs when
 * the policy allows them, and Data Integrity documents — and checks proof, holder binding, validity period,
 * status and trust policy, stopping at the first check that fails. Never throws for anything the input can
 * cause: every failure is a problem in the result. Immutable and thread-safe.
 *
 * <p><b>Security:</b> the checks run cheapest and most local first. Proofs, holder binding, dates, the presentation's
 * lifetime and the trust policy are decided before any status list is fetched, so only a credential that could be
 * accepted makes this verifier reach a status host; the replay guard is last, so only presentations this verifier
 * accepts take room in it.
 */
public final class Verifier {

    /** The largest input accepted, in bytes or characters. */
    public static final int MAX_INPUT = 1_000_000;
    /**
     * The longest a presentation may be valid, from its {@code iat} or proof {@code created} to its {@code exp} or
     * proof {@code expires} (and how long one without an end is remembered): a presentation answers one fresh
     * challenge, and the replay guard must remember it as long as it is valid. Twice the wallet's and the verifier
     * endpoint's challenge lifetime of 5 minutes; longer is {@code LIFETIME_TOO_LONG}.
     */
    public static final Duration MAX_PRESENTATION_LIFETIME = Duration.ofMinutes(10);

    private final DidResolver resolver;
    private final CredentialChecks checks;
    private final TrustPolicy policy;
    private final ReplayGuard replayGuard;
    private final Clock clock;
    private final BundledContexts contexts;
    private final VerifiedTokens verifiedTokens;

    private Verifier(VerifierBuilder b, NetworkStack stack) {
        this.resolver = capped(stack.resolver());
        this.policy = b.policy;
        this.clock = b.clock;
        this.checks = new CredentialChecks(policy, stack.statusLists(), clock);
        this.replayGuard = b.replayGuard != null ? b.replayGuard : ReplayGuard.inMemory(b.clock);
        this.contexts = b.contexts;
        this.verifiedTokens = VerifiedTokens.bounded(b.verifiedTokens);
    }

    static Verifier of(VerifierBuilder b, NetworkStack stack) {
        return new Verifier(b, stack);
    }

    /** Credential tokens kept once verified, by default: a few MB at most. */
    public static final int DEFAULT_VERIFIED_TOKENS = 1024;

    /**
     * The one way to make a verifier: give it a trust policy and, to reach the network, a {@link
     * dev.tabard.fetch.FetchPolicy}; see {@link VerifierBuilder}.
     */
    public static VerifierBuilder builder() {
        return new VerifierBuilder();
    }

    /** did:web resolutions one verification may make (SECURITY-NOTES): a presentation cannot make us crawl the web. */
    public static final int MAX_RESOLUTIONS = 10;

    private static final ThreadLocal<int[]> RESOLUTIONS = ThreadLocal.withInitial(() -> new int[1]);

    private static DidResolver capped(DidResolver inner) {
        return new DidResolver() {
            @Override
            public boolean supports(String method) {
                return inner.supports(method);
            }

            @Override
            public dev.tabard.did.ResolutionResult resolve(Did did) {
                if (did.method().equals("web") && ++RESOLUTIONS.get()[0] > MAX_RESOLUTIONS) {
                    throw new ProblemException(ProblemType.LIMIT_EXCEEDED,
                            "more than " + MAX_RESOLUTIONS + " did:web resolutions for one verification");
                }
                return inner.resolve(did);
            }
        };
    }

    public TrustPolicy policy() {
        return policy;
    }

    /** Verifies a credential: a vc+jwt (or VC 1.1 JWT) as text, or a Data Integrity document as JSON. */
    public VerificationResult verifyCredential(String input) {
        return verifyCredential(input, VerifyOptions.defaults());
    }

    /**
     * Verifies a credential as {@link #verifyCredential(String)} does, with the proof purpose, challenge and domain
     * the caller expects of a Data Integrity proof.
     */
    public VerificationResult verifyCredential(String input, VerifyOptions options) {
        Objects.requireNonNull(options, "options");
        RESOLUTIONS.get()[0] = 0;
        Set<Check> checked = EnumSet.noneOf(Check.class);
        try {
            SecuredCredential s = secured(input, options, checked);
            Optional<AgentIdentity> agent = checks.policy(s, checked);
            checks.status(s, checked);
            return VerificationResult.verified(agent, List.of(), checked);
        } catch (ProblemException e) {
            return VerificationResult.failed(e.problems(), List.of(), checked);
        } catch (RuntimeException e) {
            // never caused by the input (that is a ProblemException): a bug or a fault, logged once under an incident id
            Problem incident = dev.tabard.problem.Incident.report(org.slf4j.LoggerFactory.getLogger(Verifier.class),
                    "verifying a credential", e).problem();
            return VerificationResult.failed(List.of(incident), List.of(), checked);
        }
    }

    /**
     * Verifies a presentation — a vp+jwt (or VC 1.1 VP JWT) as text, or a Data Integrity presentation as JSON — and
     * every credential in it. The identity returned is that of the first AgentCredential.
     *
     * <p>Besides the credential problems, the result may carry {@code LIFETIME_TOO_LONG} for a presentation valid longer
     * than {@link #MAX_PRESENTATION_LIFETIME}, {@code PRESENTATION_REPLAYED}, and {@code CLIENT_LIMIT_EXCEEDED} when its
     * holder already holds its share of the replay guard.
     */
    public VerificationResult verifyPresentation(String input, PresentationOptions options) {
        RESOLUTIONS.get()[0] = 0;
        Objects.requireNonNull(options, "options");
        Set<Check> checked = EnumSet.noneOf(Check.class);
        try {
            checkSize(input);
            Instant now = clock.instant();
            Did holder;
            String nonce;
            Optional<String> jti;
            PresentationLifetime lifetime;
            List<SecuredCredential> credentials = new ArrayList<>();
            if (looksLikeJwt(input)) {
                VcJose.VerifiedPresentation vp = VcJose.verifyPresentation(input.trim(), resolver, joseOptions(),
                        options.challenge(), options.domain());
                checked.add(Check.DATA_MODEL);
                checked.add(Check.PROOF);
                holder = vp.holder();
                nonce = vp.nonce();
                jti = vp.jti();
                lifetime = PresentationLifetime.of(PresentationLifetime.jwtStarts(CompactJws.parse(input.trim()).payloadJson()),
                        List.of(vp.expires()), now);
                for (VcJose.VerifiedCredential c : vp.credentials()) {
                    credentials.add(new SecuredCredential(c.credential(), c.method(), c.format() == VcJose.Format.VC_JWT
                            ? TrustPolicy.Format.VC_JWT : TrustPolicy.Format.VC11_JWT));
                }
            } else {
                ObjectNode json = JsonCodec.parseObject(input.getBytes(StandardCharsets.UTF_8));
                Presentation p = Presentation.of(json);
                checked.add(Check.DATA_MODEL);
                DataIntegrity.Expectations expect = new DataIntegrity.Expectations(dev.tabard.did.Relationship.AUTHENTICATION,
                        Optional.of(options.challenge()), Optional.of(options.domain()), clock, policy.maxClockSkew());
                List<DataIntegrity.VerifiedProof> proofs = DataIntegrity.verify(json, resolver, expect, contexts);
                holder = proofs.get(0).method().id().did();
                if (p.holder().isPresent() && !p.holder().get().toString().equals(holder.toString())) {
                    throw new ProblemException(ProblemType.HOLDER_MISMATCH,
                            "holder " + p.holder().get() + " did not sign the presentation");
                }
                checked.add(Check.PROOF);
                nonce = options.challenge();
                jti = p.id().map(Object::toString);
                lifetime = PresentationLifetime.of(PresentationLifetime.documentTimes(json, "validFrom", "created"),
                        PresentationLifetime.documentTimes(json, "validUntil", "expires"), now);
                for (int i = 0; i < p.credentials().size(); i++) {
                    credentials.add(dataIntegrity(p.credentials().get(i).json()));
                }
                for (String url : p.envelopedCredentials()) {
                    credentials.add(jwt(EnvelopedCredential.token(url)));
                }
            }
            // VC DM 2.0 §4.13: a presentation may carry no credential; it then proves only that the holder controls its
            // key, yields no AgentIdentity, and cannot meet a policy that asks for types or capabilities
            if (credentials.isEmpty() && (!policy.requiredTypes().isEmpty() || !policy.requiredCapabilities().isEmpty())) {
                throw new ProblemException(ProblemType.MISSING_CAPABILITY, "the presentation carries no credential, and this "
                        + "verifier requires " + (policy.requiredCapabilities().isEmpty() ? "the types " + policy.requiredTypes()
                        : "the capabilities " + policy.requiredCapabilities()));
            }
            // holder binding is this verifier's policy, not the data model's: with no trust policy (the VC-API mode of
            // the W3C suites) a credential about someone else is reported and gives no identity; with one it is refused
            List<Problem> warnings = new ArrayList<>();
            List<SecuredCredential> bound = new ArrayList<>();
            for (SecuredCredential s : credentials) {
                boolean isBound = s.credential().subjects().stream().map(CredentialSubject::id)
                        .anyMatch(id -> id.isPresent() && id.get().equals(holder.toString()));
                String which = s.credential().id().map(Object::toString).orElse("a credential it carries");
                if (isBound) {
                    bound.add(s);
                } else if (policy.acceptCredentialsNotBoundToHolder()) {
                    warnings.add(Problem.of(ProblemType.HOLDER_MISMATCH, "the presentation's signer " + holder + " is not the subject of "
                            + which + ": it is not bound to the holder, and no agent identity comes from it"));
                } else {
                    throw new ProblemException(ProblemType.HOLDER_MISMATCH,
                            "the presentation's signer " + holder + " is not the subject of " + which);
                }
            }
            checked.add(Check.HOLDER_BINDING);
            Optional<AgentIdentity> agent = Optional.empty();
            for (SecuredCredential s : credentials) {
                Optional<AgentIdentity> a = checks.policy(s, checked);
                if (agent.isEmpty() && bound.contains(s)) {
                    agent = a;
                }
            }
            // every credential trusted before any status host is asked about one of them
            for (SecuredCredential s : credentials) {
                checks.status(s, checked);
            }
            // last, so that only presentations this verifier would accept take room in the guard
            if (jti.isPresent()) {
                replayGuard.check(holder.toString(), nonce, jti.get(), lifetime.rememberUntil(policy.maxClockSkew()));
            } else {
                replayGuard.check(holder.toString(), nonce, lifetime.rememberUntil(policy.maxClockSkew()));
            }
            return VerificationResult.verified(agent, warnings, checked);
        } catch (ProblemException e) {
            return VerificationResult.failed(e.problems(), List.of(), checked);
        } catch (RuntimeException e) {
            // the contract is a result, never an exception; a bug still shows, as an incident whose trace is logged
            Problem incident = dev.tabard.problem.Incident.report(org.slf4j.LoggerFactory.getLogger(Verifier.class),
                    "verifying a presentation", e).problem();
            return VerificationResult.failed(List.of(incident), List.of(), checked);
        }
    }

    /** The agent-card extension that carries the agent's AgentCredential. */
    public static final String CARD_CREDENTIAL_EXTENSION = "https://w3id.org/tabard/a2a/agent-credential/v1";

    /**
     * Verifies a signed A2A agent card and the AgentCredential it carries: the card's JWS (detached, over the RFC 8785
     * form without {@code signatures}) by a key the agent's DID lists for authentication; the credential as
     * {@link #verifyCredential} does; that the credential's subject is the DID that signed the card; and, for a did:web
     * issuer, that the card's {@code provider.url} is on the issuer's host.
     */
    public VerificationResult verifyAgentCard(String cardJson) {
        RESOLUTIONS.get()[0] = 0;
        Set<Check> checked = EnumSet.noneOf(Check.class);
        try {
            checkSize(cardJson);
            ObjectNode card = JsonCodec.parseObject(cardJson.getBytes(StandardCharsets.UTF_8));
            com.fasterxml.jackson.databind.JsonNode sigs = card.remove("signatures");
            if (sigs == null || !sigs.isArray() || sigs.isEmpty() || sigs.size() > 4) {
                throw new ProblemException(ProblemType.PROOF_VERIFICATION_ERROR, "the agent card carries no signature (or more than 4)");
            }
            com.fasterxml.jackson.databind.JsonNode sig = sigs.get(0);
            String token = sig.path("protected").asText("") + "." + dev.tabard.codec.Base64Url.encode(dev.tabard.vc.di.Jcs.canonicalize(card))
                    + "." + sig.path("signature").asText("");
            CompactJws jws = CompactJws.parse(token);
            dev.tabard.did.DidUrl kid = jws.kid().flatMap(dev.tabard.did.DidUrl::tryParse).orElseThrow(() -> new ProblemException(
                    ProblemType.INVALID_VERIFICATION_METHOD_URL, "the card's signature has no DID URL kid"));
            VerificationMethod vm = resolver.resolve(kid.did()).document().authorize(kid, dev.tabard.did.Relationship.AUTHENTICATION);
            jws.verify(vm.key());
            checked.add(Check.DATA_MODEL);
            checked.add(Check.PROOF);
            com.fasterxml.jackson.databind.JsonNode credential = null;
            for (com.fasterxml.jackson.databind.JsonNode ext : card.path("capabilities").path("extensions")) {
                if (CARD_CREDENTIAL_EXTENSION.equals(ext.path("uri").asText())) {
                    credential = ext.path("params").path("credential");
                }
            }
            if (credential == null || credential.isMissingNode()) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the card carries no AgentCredential");
            }
            SecuredCredential s = credential.isObject() && "EnvelopedVerifiableCredential".equals(credential.path("type").asText())
                    ? jwt(EnvelopedCredential.token(credential.path("id").asText()))
                    : credential.isObject() ? dataIntegrity((ObjectNode) credential) : jwt(credential.asText());
            boolean bound = s.credential().subjects().stream().anyMatch(sub -> sub.id().map(kid.did().toString()::equals).orElse(false));
            if (!bound) {
                throw new ProblemException(ProblemType.HOLDER_MISMATCH, "the card was signed by " + kid.did() + ", not by the credential's subject");
            }
            String issuer = s.credential().issuer().id().toString();
            if (issuer.startsWith("did:web:")) {
                String issuerHost = issuer.substring(8).split(":", 2)[0].replaceFirst("(?i)%3a.*$", "").toLowerCase(java.util.Locale.ROOT);
                String providerHost = java.net.URI.create(card.path("provider").path("url").asText("about:blank")).getHost();
                if (providerHost == null || !providerHost.equalsIgnoreCase(issuerHost)) {
                    throw new ProblemException(ProblemType.UNTRUSTED_ISSUER,
                            "the card's provider " + providerHost + " is not the issuer's host " + issuerHost);
                }
            }
            checked.add(Check.HOLDER_BINDING);
            Optional<AgentIdentity> agent = checks.policy(s, checked);
            checks.status(s, checked);
            return VerificationResult.verified(agent, List.of(), checked);
        } catch (ProblemException e) {
            return VerificationResult.failed(e.problems(), List.of(), checked);
        } catch (RuntimeException e) {
            // bad input is a ProblemException above; anything else is a bug, not a verdict on the card
            Problem incident = dev.tabard.problem.Incident.report(org.slf4j.LoggerFactory.getLogger(Verifier.class),
                    "verifying an agent card", e).problem();
            return VerificationResult.failed(List.of(incident), List.of(), checked);
        }
    }

    private SecuredCredential secured(String input, VerifyOptions options, Set<Check> checked) {
        checkSize(input);
        SecuredCredential s;
        if (looksLikeJwt(input)) {
            if (!options.isDefault()) {
                // a vc+jwt is its issuer's assertion; it has no proof purpose, challenge or domain to match
                throw new ProblemException(ProblemType.PROOF_VERIFICATION_ERROR,
                        "a JWT credential is an assertion; it cannot meet the expected proof purpose, challenge or domain");
            }
            s = jwt(input.trim());
        } else {
            s = dataIntegrity(JsonCodec.parseObject(input.getBytes(StandardCharsets.UTF_8)), options);
        }
        checked.add(Check.DATA_MODEL);
        checked.add(Check.PROOF);
        return s;
    }

    private SecuredCredential jwt(String token) {
        VcJose.VerifiedCredential v = VcJose.verifyCredential(token, resolver, joseOptions());
        TrustPolicy.Format format = v.format() == VcJose.Format.VC_JWT ? TrustPolicy.Format.VC_JWT : TrustPolicy.Format.VC11_JWT;
        return new SecuredCredential(v.credential(), v.method(), format);
    }

    private SecuredCredential dataIntegrity(ObjectNode json) {
        return dataIntegrity(json, VerifyOptions.defaults());
    }

    private SecuredCredential dataIntegrity(ObjectNode json, VerifyOptions options) {
        Credential credential = Credential.of(json);
        List<DataIntegrity.VerifiedProof> proofs = DataIntegrity.verify(json, resolver,
                new DataIntegrity.Expectations(options.proofPurpose(), options.challenge(), options.domain(), clock,
                        policy.maxClockSkew()), contexts);
        VerificationMethod vm = proofs.get(0).method();
        if (!vm.id().did().toString().equals(credential.issuer().id().toString())) {
            throw new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD,
                    "the proof's key " + vm.id() + " is not the issuer's (" + credential.issuer().id() + ")");
        }
        return new SecuredCredential(credential, vm, TrustPolicy.Format.DATA_INTEGRITY);
    }

    private JoseOptions joseOptions() {
        return new JoseOptions(clock, policy.maxClockSkew(), policy.formats().contains(TrustPolicy.Format.VC11_JWT), verifiedTokens);
    }

    private static void checkSize(String input) {
        Objects.requireNonNull(input, "input");
        if (input.length() > MAX_INPUT) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "input exceeds " + MAX_INPUT + " characters");
        }
    }

    private static boolean looksLikeJwt(String input) {
        String t = input.trim();
        int first = t.indexOf('.');
        int second = first < 0 ? -1 : t.indexOf('.', first + 1);
        return !t.startsWith("{") && second > 0 && t.indexOf('.', second + 1) < 0;
    }
}
