package dev.tabard.gate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import dev.tabard.wallet.present.PresentationRequest;
import java.net.URI;
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
 * Two organizations (did:key issuers) and their agents' wallets: a buyer organization whose agent calls, and a
 * supplier organization whose gate answers. Each side's verifier trusts the other organization only.
 */
final class TwoOrgs {

    static final SecureRandom RANDOM = new SecureRandom();

    final Clock clock;
    final KeyPair buyerOrgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    final KeyPair supplierOrgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    final Did buyerOrg = KeyDids.of(buyerOrgKey.publicKey());
    final Did supplierOrg = KeyDids.of(supplierOrgKey.publicKey());
    /** What the supplier's gate trusts: the buyer organization. */
    final Verifier gateVerifier;
    /** What the buyer's agent trusts: the supplier organization. */
    final Verifier buyerVerifier;

    TwoOrgs(Clock clock) {
        this.clock = clock;
        this.gateVerifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(buyerOrg).build()).clock(clock).build();
        this.buyerVerifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(supplierOrg).build()).clock(clock).build();
    }

    /** A wallet at {@code dir/name.db} of key type {@code type}, checking what it stores with {@code verifier}. */
    Wallet wallet(Path dir, String name, KeyType type, Verifier verifier) {
        return Wallet.open(dir.resolve(name + ".db"), "wallet-secret".toCharArray(), type, verifier,
                new IssuanceClient(new SafeFetcher(FetchPolicy.defaults()), clock), clock);
    }

    /** An AgentCredential for {@code agent} from {@code org}, valid for an hour, with a spend limit and regions. */
    static String credential(KeyPair orgKey, Did org, String orgName, Did agent, Set<String> capabilities, String limitEur,
                             AgentClaims.Delegation delegation, Instant now) {
        AgentClaims claims = new AgentClaims(agent, "agent-" + agent.methodSpecificId().substring(0, 12), org, orgName,
                new AgentClaims.Operator("Operations", Optional.empty()), capabilities,
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money(limitEur, "EUR")), List.of("EU"), "{}"), delegation);
        ObjectNode vc = claims.credential(URI.create("urn:uuid:" + UUID.randomUUID()), now, now.plus(Duration.ofHours(1)), List.of());
        return VcJose.secureCredential(vc, orgKey, KeyDids.methodId(orgKey.publicKey()), now);
    }

    /** The buyer's agent wallet holding its AgentCredential. */
    Wallet buyer(Path dir, String name, KeyType type, Set<String> capabilities, String limitEur, AgentClaims.Delegation delegation) {
        Wallet w = wallet(dir, name, type, gateVerifier);
        w.store(credential(buyerOrgKey, buyerOrg, "Buyer Corp", w.did(), capabilities, limitEur, delegation, clock.instant()));
        return w;
    }

    /** The supplier's gate agent wallet holding its AgentCredential. */
    Wallet supplier(Path dir) {
        Wallet w = wallet(dir, "supplier-gate", KeyType.ED25519, buyerVerifier);
        w.store(credential(supplierOrgKey, supplierOrg, "Supplier Ltd", w.did(), Set.of("orders:answer"), "1", AgentClaims.Delegation.none(),
                clock.instant()));
        return w;
    }

    /**
     * The supplier's order service on 127.0.0.1 behind {@code gate}'s plugin, started: {@code POST /orders} answers who
     * placed the order, {@code GET /orders/{id}} the id. Header fields up to 32 KiB: a first call carries a presentation.
     */
    static dev.tabard.http.HttpService orderService(String name, Gate gate) {
        dev.tabard.http.HttpService http = dev.tabard.http.HttpService.builder(name).maxHeaderBytes(32 * 1024).build();
        dev.tabard.gate.http.GatePlugin.install(http.app(), gate);
        http.app().post("/orders", ctx -> ctx.json(java.util.Map.of("placed", true,
                "by", dev.tabard.gate.http.GatePlugin.admission(ctx).caller().orElseThrow().identity().agent().toString())));
        http.app().get("/orders/{id}", ctx -> ctx.json(java.util.Map.of("id", ctx.pathParam("id"))));
        return http.start();
    }

    /** The gate's identity from its wallet. */
    static GateIdentity identity(Wallet w) {
        return new GateIdentity(w.keyId(), w.signer(), (challenge, audience) ->
                w.present(new PresentationRequest(challenge, audience, Set.of(), Set.of())));
    }
}
