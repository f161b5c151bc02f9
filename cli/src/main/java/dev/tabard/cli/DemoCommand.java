package dev.tabard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.http.VerifierServer;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.delegation.DelegationRequest;
import dev.tabard.wallet.store.HeldDelegation;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import dev.tabard.wallet.present.PresentationRequest;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The whole story with no setup: an organization's issuer, two agents' wallets, a counterparty's verifier, a
 * revocation. Everything runs on 127.0.0.1 in a temporary directory that is removed at the end.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, subcommands = DemoCallsCommand.class,
        description = "Run issuer, wallets and verifier end to end on 127.0.0.1, then revoke and show the verifier refusing.")
final class DemoCommand implements Callable<Integer> {

    private final PrintStream out = System.out;
    private HttpClient http;
    private DemoOrg acme;

    @Override
    public Integer call() throws Exception {
        return DemoOrg.inTemporaryDirectory("tabard-demo", this::run);
    }

    private int run(Path dir) throws Exception {
        step("1", "An organization starts its issuer");
        SelfSignedTls tls = SelfSignedTls.localhost();
        acme = DemoOrg.start(dir.resolve("issuer"), "ACME Corp", tls);
        http = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        say("the organization is " + acme.did());
        say("  (a did:web names an https address; the colon before a port is written %3A, so this one is "
                + acme.base().replace("https://", "") + ")");
        say("its DID document is served at " + acme.base() + "/.well-known/did.json, over HTTPS with a certificate made just now");

        SafeFetcher fetcher = new SafeFetcher(FetchPolicy.builder().allowHost("localhost").trustCertificate(tls.certificate()).build());
        VerifierServer verifierServer = null;
        try {
            step("2", "Two agents create their wallets");
            Wallet buyer = wallet(dir.resolve("buyer.wallet"), fetcher);
            Wallet scout = wallet(dir.resolve("scout.wallet"), fetcher);
            say("procurement agent: " + buyer.did());
            say("research agent:    " + scout.did());

            step("3", "The organization registers both agents");
            acme.admin("POST", "/admin/agents", "{\"did\":\"" + buyer.did() + "\",\"name\":\"procurement-agent\",\"operator\":{\"name\":"
                    + "\"Procurement team\",\"email\":\"procurement@acme.example\"},\"capabilities\":[\"purchase-order:negotiate\","
                    + "\"supplier:lookup\"],\"constraints\":{\"maxTransactionValue\":{\"amount\":\"5000\",\"currency\":\"EUR\"},"
                    + "\"dataRegions\":[\"EU\"]},\"delegation\":{\"allowed\":true,\"maxDepth\":1}}");
            acme.admin("POST", "/admin/agents", "{\"did\":\"" + scout.did() + "\",\"name\":\"research-agent\",\"operator\":{\"name\":"
                    + "\"Research team\"},\"capabilities\":[\"supplier:lookup\"]}");
            say("registered with their capabilities, limits and accountable operators");

            step("4", "Each wallet receives its AgentCredential over OpenID4VCI");
            for (Wallet w : new Wallet[] {buyer, scout}) {
                JsonNode offer = acme.admin("POST", "/admin/agents/" + w.did() + "/offer?tx_code=true", null);
                var stored = w.receive(offer.get("offer_url").asText(), offer.get("tx_code").asText());
                say(w.did().toString().substring(0, 24) + "… holds " + stored.id() + ", valid until " + stored.validUntil().orElseThrow());
            }

            step("5", "A supplier's verifier asks the procurement agent to prove who it is");
            Verifier verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustWebDomain("localhost").requireCapabilities("purchase-order:negotiate").build())
                    .fetchPolicy(fetcher.policy()).statusListMaxAge(Duration.ZERO)
                    .build();
            verifierServer = VerifierServer.builder(verifier).domain("https://supplier.example").port(0).clock(Clock.systemUTC()).requireIssuedChallenges().start();
            String verifierBase = "http://127.0.0.1:" + verifierServer.port();
            JsonNode result = presentTo(buyer, verifierBase, null);
            if (!result.path("verified").asBoolean()) {
                say("unexpected: " + result);
                return 1;
            }
            JsonNode agent = result.get("agent");
            say("verified: " + agent.get("name").asText() + " (" + agent.get("id").asText() + ")");
            say("  acts for " + agent.get("organization").get("name").asText() + " (" + agent.get("organization").get("id").asText() + ")");
            say("  may " + agent.get("capabilities") + ", operated by " + agent.get("operator").asText());

            step("6", "The procurement agent delegates a narrower authority to a sub-agent");
            Wallet clerk = wallet(dir.resolve("clerk.wallet"), fetcher);
            HeldDelegation link = buyer.delegate(DelegationRequest.to(clerk.did(), Set.of("purchase-order:negotiate"))
                    .maxTransactionValue("250", "EUR").task("order printer paper").lasting(Duration.ofMinutes(10)));
            clerk.receiveDelegation(Wallet.handover(link));
            say("sub-agent " + clerk.did());
            say("  may negotiate purchase orders up to 250 EUR, for 10 minutes, for the task 'order printer paper'");
            say("  it holds the chain: ACME's AgentCredential for the procurement agent, then the link the agent signed");

            step("7", "The sub-agent asks the supplier to accept an order of 120 EUR");
            JsonNode within = presentTo(clerk, verifierBase, "{\"capability\":\"purchase-order:negotiate\",\"amount\":{\"value\":\"120.00\","
                    + "\"currency\":\"EUR\"}}");
            if (!within.path("verified").asBoolean()) {
                say("unexpected: " + within);
                return 1;
            }
            say("authorized: " + within.get("agent").get("id").asText() + " acts for " + within.get("agent").get("organization").get("name").asText());
            for (JsonNode hop : within.get("agent").get("delegationChain")) {
                say("  " + hop.get("agent").asText() + "  may " + hop.get("capabilities") + " up to "
                        + hop.path("maxTransactionValue").path("amount").asText() + " " + hop.path("maxTransactionValue").path("currency").asText());
            }

            step("8", "The same sub-agent asks for 900 EUR");
            JsonNode above = presentTo(clerk, verifierBase, "{\"capability\":\"purchase-order:negotiate\",\"amount\":{\"value\":\"900\","
                    + "\"currency\":\"EUR\"}}");
            if (above.path("verified").asBoolean(true)) {
                say("unexpected: an order above the delegated limit was authorized");
                return 1;
            }
            say("refused: " + above.get("title").asText() + ": " + above.get("detail").asText());

            step("9", "The organization revokes the procurement agent's credential");
            String credentialId = buyer.credentials(dev.tabard.wallet.store.CredentialQuery.all()).get(0).id();
            acme.admin("POST", "/admin/credentials/" + credentialId + "/revoke", null);
            say("revoked " + credentialId + "; the next status list the issuer signs says so");
            JsonNode refused = presentTo(buyer, verifierBase, null);
            JsonNode chainRefused = presentTo(clerk, verifierBase, "{\"capability\":\"purchase-order:negotiate\"}");
            if (refused.path("verified").asBoolean(true) || chainRefused.path("verified").asBoolean(true)) {
                say("unexpected: the revoked credential verified");
                return 1;
            }
            say("the agent is refused: " + refused.get("title").asText() + " (" + refused.get("type").asText() + ")");
            say("and so is everything it delegated: " + chainRefused.get("title").asText() + " at " + chainRefused.path("errors").path(0)
                    .path("pointer").asText(chainRefused.path("pointer").asText("the chain's root")));

            step("10", "Everything shuts down");
            buyer.close();
            scout.close();
            clerk.close();
            JsonNode audit = acme.admin("GET", "/admin/audit/verify", null);
            say("the issuer's audit log holds " + audit.get("entries").asInt() + " hash-chained entries, intact: " + audit.get("intact"));
            say("next: 'tabard demo calls' shows two organizations' agents calling each other through a gate, and the README's");
            say("quick start (docs/quickstart.sh) runs this story with the tabard commands, one step at a time");
            return 0;
        } finally {
            if (verifierServer != null) {
                verifierServer.close();
            }
            acme.close();
        }
    }

    /** Presents to the verifier endpoint for a challenge it issued, asking it to authorize {@code actionJson} when given. */
    private JsonNode presentTo(Wallet w, String verifierBase, String actionJson) throws Exception {
        HttpResponse<String> c = http.send(HttpRequest.newBuilder(URI.create(verifierBase + "/challenges"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode ch = JsonCodec.parse(c.body());
        String vp = w.present(new PresentationRequest(ch.get("challenge").asText(), ch.get("domain").asText(), Set.of("AgentCredential"),
                Set.of("purchase-order:negotiate")));
        say("presented a vp+jwt bound to challenge " + ch.get("challenge").asText().substring(0, 8) + "… and domain " + ch.get("domain").asText());
        String body = "{\"verifiablePresentation\":\"" + vp + "\",\"options\":{\"challenge\":\"" + ch.get("challenge").asText()
                + "\",\"domain\":\"" + ch.get("domain").asText() + "\"" + (actionJson == null ? "" : ",\"action\":" + actionJson) + "}}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(verifierBase + "/presentations/verify"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonCodec.parse(r.body());
    }

    private Wallet wallet(Path file, SafeFetcher fetcher) {
        Verifier check = Verifier.builder().trustPolicy(TrustPolicy.builder().trustWebDomain("localhost").build())
                .fetchPolicy(fetcher.policy()).build();
        return Wallet.open(file, "demo wallet secret".toCharArray(), check, new IssuanceClient(fetcher, Clock.systemUTC()), Clock.systemUTC());
    }

    private void step(String n, String text) {
        out.println();
        out.println(n + ". " + text);
    }

    private void say(String text) {
        out.println("   " + text);
    }
}
