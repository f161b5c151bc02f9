package dev.tabard.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDids;
import dev.tabard.gate.DecisionLog;
import dev.tabard.gate.Gate;
import dev.tabard.gate.GateIdentity;
import dev.tabard.gate.GateLimits;
import dev.tabard.gate.GateRequest;
import dev.tabard.gate.Param;
import dev.tabard.gate.RouteActions;
import dev.tabard.httpsig.ContentDigest;
import dev.tabard.httpsig.HttpFields;
import dev.tabard.httpsig.HttpMessage;
import dev.tabard.httpsig.MessageSignatures;
import dev.tabard.httpsig.SignatureFields;
import dev.tabard.httpsig.SignatureParameters;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.calls.AgentCalls;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Two organizations and the agents of an agent-to-agent call, for the gate's benchmarks: the buyer organization
 * (did:key) whose agent calls, signing every request as {@code AgentHttpClient} does (RFC 9421, {@link AgentCalls}'s
 * profile), and the supplier side: a gate agent with its own credential, a verifier trusting the buyer organization,
 * the routes of {@code GatePluginTest} and limits high enough never to refuse.
 *
 * <p>Requests are addressed to {@link #ORIGIN}, a name rather than an address, so that one set of signed requests
 * verifies at any port: the load generator sends it as the {@code Host} field.
 */
public final class GateFixtures {

    /** Where the caller believes the gate is: the origin of every signed target URI and of the first presentation. */
    public static final String ORIGIN = "http://gate.test";
    /** What a request signature is valid for, the longest the profile allows. */
    public static final Duration REQUEST_LIFETIME = AgentCalls.MAX_LIFETIME;
    /** A small order, under the caller's 500 EUR limit. */
    public static final byte[] ORDER = "{\"total\":{\"value\":\"12.50\",\"currency\":\"EUR\"}}".getBytes(StandardCharsets.UTF_8);

    private static final SecureRandom RANDOM = new SecureRandom();

    private GateFixtures() {
    }

    /** The calling side: the buyer organization, its agent's key and AgentCredential. */
    public static final class Caller {
        public final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
        public final Did org = KeyDids.of(orgKey.publicKey());
        public final KeyPair key = KeyPair.generate(KeyType.ED25519, RANDOM);
        public final Did agent = KeyDids.of(key.publicKey());
        public final DidUrl keyId = KeyDids.methodId(key.publicKey());
        public final String credential;

        public Caller(Instant now) {
            credential = credential(orgKey, org, "Buyer Corp", agent, Set.of("orders:read", "orders:place"), now);
        }

        /** The first-contact request: a signed GET carrying the presentation that binds {@link #key} at the gate. */
        public GateRequest firstContact(Instant now) {
            String nonce = nonce();
            String vp = VcJose.securePresentation(VcJose.presentationOf(List.of(credential)), key, keyId, nonce, ORIGIN,
                    "urn:uuid:" + UUID.randomUUID(), now, now.plus(Duration.ofMinutes(5)));
            return sign("GET", "/orders/first", Optional.empty(), new byte[0], Optional.of(vp), nonce, now);
        }

        /** A signed GET of {@code path}, with a fresh nonce. */
        public GateRequest get(String path, Instant now) {
            return sign("GET", path, Optional.empty(), new byte[0], Optional.empty(), nonce(), now);
        }

        /** A signed POST of {@link #ORDER} to {@code /orders}, with a fresh nonce. */
        public GateRequest postOrder(Instant now) {
            return sign("POST", "/orders", Optional.of("application/json"), ORDER, Optional.empty(), nonce(), now);
        }

        /** Signs as the wallet's client does: content-digest always, content-type and the presentation when sent. */
        GateRequest sign(String method, String path, Optional<String> contentType, byte[] body, Optional<String> presentation,
                         String nonce, Instant now) {
            HttpFields fields = HttpFields.empty().with("content-digest", ContentDigest.sha256(body));
            if (contentType.isPresent()) {
                fields = fields.with("content-type", contentType.get());
            }
            if (presentation.isPresent()) {
                fields = fields.with(AgentCalls.PRESENTATION, presentation.get());
            }
            URI target = URI.create(ORIGIN + path);
            SignatureParameters params = SignatureParameters.none().withCreated(now).withExpires(now.plus(REQUEST_LIFETIME))
                    .withNonce(nonce).withKeyid(keyId.toString()).withAlg(MessageSignatures.algorithm(KeyType.ED25519));
            SignatureFields sig = MessageSignatures.sign(HttpMessage.request(method, target, fields), AgentCalls.LABEL,
                    AgentCalls.requestComponents(fields), params, key);
            return new GateRequest(method, target, sig.addTo(fields), body);
        }
    }

    /** The answering side: the supplier organization's gate agent, its key and credential. */
    public static final class Supplier {
        public final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
        public final Did org = KeyDids.of(orgKey.publicKey());
        public final KeyPair key = KeyPair.generate(KeyType.ED25519, RANDOM);
        public final Did agent = KeyDids.of(key.publicKey());
        public final DidUrl keyId = KeyDids.methodId(key.publicKey());
        public final String credential;

        public Supplier(Instant now) {
            credential = credential(orgKey, org, "Supplier Ltd", agent, Set.of("orders:answer"), now);
        }

        /** The gate's identity: it presents its credential to a caller that asks, audience the caller's DID. */
        public GateIdentity identity(Clock clock) {
            return new GateIdentity(keyId, key, (challenge, audience) -> VcJose.securePresentation(VcJose.presentationOf(List.of(credential)),
                    key, keyId, challenge, audience, "urn:uuid:" + UUID.randomUUID(), clock.instant(),
                    clock.instant().plus(Duration.ofMinutes(5))));
        }

        /**
         * A gate trusting {@code callerOrg}, audience {@link #ORIGIN}, routes {@code POST /orders} (amount from the body)
         * and {@code GET /orders/{id}}, limits of a million calls a second, decisions logged to {@code log}.
         */
        public Gate gate(Did callerOrg, Path log, Clock clock) {
            Verifier verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(callerOrg).build()).clock(clock).build();
            GateLimits.Rate high = GateLimits.Rate.perSecond(1_000_000);
            return Gate.builder(verifier, identity(clock), routes(), DecisionLog.open(log, key, keyId, clock))
                    .limits(GateLimits.defaults().withPerAgent(high).withPerOrganization(high)).audience(ORIGIN).clock(clock).build();
        }
    }

    /** The routes of the service behind the gate. */
    public static RouteActions routes() {
        return new RouteActions(List.of(
                RouteActions.Route.of("POST", "/orders", "orders:place").amount(Param.parse("body:/total/value"), Param.parse("body:/total/currency")),
                RouteActions.Route.of("GET", "/orders/{id}", "orders:read").resource(Param.parse("path:id"))));
    }

    /** A nonce as the client makes it: 144 bits from a CSPRNG. */
    public static String nonce() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64Url.encode(b);
    }

    static String credential(KeyPair orgKey, Did org, String orgName, Did agent, Set<String> capabilities, Instant now) {
        AgentClaims claims = new AgentClaims(agent, "agent-" + agent.methodSpecificId().substring(8, 20), org, orgName,
                new AgentClaims.Operator("Operations", Optional.empty()), capabilities,
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("500", "EUR")), List.of("EU"), "{}"), AgentClaims.Delegation.none());
        ObjectNode vc = claims.credential(URI.create("urn:uuid:" + UUID.randomUUID()), now.minusSeconds(30), now.plus(Duration.ofHours(2)),
                List.of());
        return VcJose.secureCredential(vc, orgKey, KeyDids.methodId(orgKey.publicKey()), now);
    }
}
