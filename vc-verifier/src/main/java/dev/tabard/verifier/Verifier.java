package dev.tabard.verifier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.did.VerificationMethod;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.Credential;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.EnvelopedCredential;
import dev.tabard.vc.jose.VerifiedTokens;
import dev.tabard.verifier.replay.ReplayGuard;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 *
 * <p>Its status-list cache refreshes lists in the background on daemon threads that stop when idle; a long-lived
 * owner calls {@link #close()} when done, and a verifier that is simply dropped holds no thread for long.
 */
public final class Verifier implements AutoCloseable {

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
    private final ProofChecks proofs;
    private final PresentationChecks presentations;
    private final dev.tabard.verifier.status.StatusListCache statusLists;
    private final SdJwtPresentations sdJwts;

    private Verifier(VerifierBuilder b, NetworkStack stack) {
        this.resolver = capped(stack.resolver());
        this.policy = b.policy;
        this.statusLists = stack.statusLists();
        this.checks = new CredentialChecks(policy, stack.statusLists(), b.clock);
        this.proofs = new ProofChecks(resolver, policy, b.clock, b.contexts, VerifiedTokens.bounded(b.verifiedTokens));
        dev.tabard.verifier.replay.ReplayStore replay = b.replayStore != null ? b.replayStore : ReplayGuard.inMemory(b.clock);
        this.presentations = new PresentationChecks(proofs, checks, policy, replay, b.clock);
        this.sdJwts = new SdJwtPresentations(resolver, policy, checks, stack.tokenStatusLists(), stack.issuerMetadata(),
                replay, b.clock);
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

    /** Status-list refreshes running in the background now (see {@link dev.tabard.verifier.status.StatusListCache#refreshesInFlight()}). */
    public int statusListRefreshesInFlight() {
        return statusLists.refreshesInFlight();
    }

    /** Stops the status-list cache's background refreshes; verifying still works, fetching lists when they expire. */
    @Override
    public void close() {
        statusLists.close();
    }

    /**
     * The key {@code keyId} names, resolved through this verifier's resolvers, provided its DID lists it for
     * authentication: the key an agent signs its calls with.
     *
     * @throws ProblemException {@code INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD} for a key not listed for
     *     authentication; the DID resolution problems ({@code NOT_FOUND}, {@code METHOD_NOT_SUPPORTED}, …)
     */
    public dev.tabard.crypto.VerificationKey authenticationKey(dev.tabard.did.DidUrl keyId) {
        Objects.requireNonNull(keyId, "keyId");
        RESOLUTIONS.get()[0] = 0;
        return resolver.resolve(keyId.did()).document().authorize(keyId, dev.tabard.did.Relationship.AUTHENTICATION).key();
    }

    /**
     * Verifies a credential: a vc+jwt (or VC 1.1 JWT) as text, a Data Integrity document as JSON, or an SD-JWT VC as
     * issued, without a key-binding JWT ({@code dc+sd-jwt}, when the policy lists that format). A credential proves no
     * holder: present it ({@link #verifyPresentation}) to prove that the one who shows it is its subject.
     */
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
            if (dev.tabard.sdjwt.SdJwt.looksLikeSdJwt(input)) {
                checkSize(input);
                return sdJwts.verifyCredential(input, checked);
            }
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
     * Verifies a presentation — a vp+jwt (or VC 1.1 VP JWT) as text, a Data Integrity presentation as JSON, or an SD-JWT VC
     * with its key-binding JWT ({@code dc+sd-jwt}, when the policy lists that format; the challenge is the KB-JWT's
     * {@code nonce}, the domain its {@code aud}, and the result lists the claims disclosed) — and
     * every credential in it. The identity returned is that of the first AgentCredential bound to the holder, or, when the
     * presentation carries a delegation chain (the organization's AgentCredential, then each DelegationCredential, ending
     * at the holder), that of the chain's last agent with the authority that reached it. With an action in
     * {@code options}, the presentation verifies only if that authority allows it ({@code MISSING_CAPABILITY},
     * {@code CONSTRAINT_VIOLATED} with a pointer to the credential that withheld it).
     *
     * <p>Besides the credential problems, the result may carry {@code LIFETIME_TOO_LONG} for a presentation valid longer
     * than {@link #MAX_PRESENTATION_LIFETIME}, {@code PRESENTATION_REPLAYED}, and {@code CLIENT_LIMIT_EXCEEDED} when its
     * holder already holds its share of the replay guard, and {@code REPLAY_STORE_UNAVAILABLE} when a shared replay
     * store did not answer (the presentation is refused, not accepted unchecked).
     */
    public VerificationResult verifyPresentation(String input, PresentationOptions options) {
        RESOLUTIONS.get()[0] = 0;
        Objects.requireNonNull(options, "options");
        Set<Check> checked = EnumSet.noneOf(Check.class);
        try {
            checkSize(input);
            if (dev.tabard.sdjwt.SdJwt.looksLikeSdJwt(input)) {
                return sdJwts.verify(input, options, checked);
            }
            return presentations.verify(input, options, checked);
        } catch (ProblemException e) {
            return VerificationResult.failed(e.problems(), List.of(), checked);
        } catch (RuntimeException e) {
            // the contract is a result, never an exception; a bug still shows, as an incident whose trace is logged
            Problem incident = dev.tabard.problem.Incident.report(org.slf4j.LoggerFactory.getLogger(Verifier.class),
                    "verifying a presentation", e).problem();
            return VerificationResult.failed(List.of(incident), List.of(), checked);
        }
    }

    /**
     * Verifies a delegation chain handed over outside a presentation — as a wallet receives one — for {@code holder}, its
     * last delegate: each credential as carried (a vc+jwt, or a Data Integrity document as JSON), the organization's
     * AgentCredential first; checked as {@link #verifyPresentation} checks a presented chain, without a presentation proof.
     */
    public VerificationResult verifyDelegationChain(Did holder, List<String> credentials) {
        RESOLUTIONS.get()[0] = 0;
        Objects.requireNonNull(holder, "holder");
        Set<Check> checked = EnumSet.noneOf(Check.class);
        try {
            credentials.forEach(Verifier::checkSize);
            return presentations.chainFor(holder, List.copyOf(credentials), checked);
        } catch (ProblemException e) {
            return VerificationResult.failed(e.problems(), List.of(), checked);
        } catch (RuntimeException e) {
            Problem incident = dev.tabard.problem.Incident.report(org.slf4j.LoggerFactory.getLogger(Verifier.class),
                    "verifying a delegation chain", e).problem();
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
                    ? proofs.jwt(EnvelopedCredential.token(credential.path("id").asText()))
                    : credential.isObject() ? proofs.dataIntegrity((ObjectNode) credential, VerifyOptions.defaults())
                    : proofs.jwt(credential.asText());
            boolean bound = s.credential().subjects().stream().anyMatch(sub -> sub.id().map(kid.did().toString()::equals).orElse(false));
            if (!bound) {
                throw new ProblemException(ProblemType.HOLDER_MISMATCH, "the card was signed by " + kid.did() + ", not by the credential's subject");
            }
            String issuer = s.credential().issuer().id().toString();
            if (issuer.startsWith("did:web:")) {
                String issuerHost = issuer.substring(8).split(":", 2)[0].replaceFirst("(?i)%3a.*$", "").toLowerCase(java.util.Locale.ROOT);
                String providerHost;
                try {
                    providerHost = new java.net.URI(card.path("provider").path("url").asText("about:blank")).getHost();
                } catch (java.net.URISyntaxException e) {
                    throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/provider/url", "the card's provider url is not a URL"));
                }
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
        SecuredCredential s = proofs.secured(input, options);
        checked.add(Check.DATA_MODEL);
        checked.add(Check.PROOF);
        return s;
    }

    private static void checkSize(String input) {
        Objects.requireNonNull(input, "input");
        if (input.length() > MAX_INPUT) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "input exceeds " + MAX_INPUT + " characters");
        }
    }
}
