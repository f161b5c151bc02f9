package dev.tabard.cli;

import dev.tabard.audit.AuditFile;
import dev.tabard.audit.AuditLog;
import dev.tabard.audit.AuditVerdict;
import dev.tabard.codec.JsonCodec;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.gate.DecisionLog;
import dev.tabard.gate.Gate;
import dev.tabard.gate.GateIdentity;
import dev.tabard.gate.RoutesFile;
import dev.tabard.gate.http.GateServer;
import dev.tabard.http.HttpService;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.call.AgentHttpClient;
import dev.tabard.wallet.call.AgentRequest;
import dev.tabard.wallet.call.AgentResponse;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import dev.tabard.wallet.present.PresentationRequest;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The second story: two organizations' agents calling each other through a gate. Both sides prove who they are, one
 * order is allowed, one is refused by a constraint, a runaway caller is paused, and the gate's decision log is verified.
 */
@Command(name = "calls", mixinStandardHelpOptions = true,
        description = "Two organizations' agents call each other through the gate on 127.0.0.1: mutual authentication, an allowed and a "
            + "refused action, the breaker, and the decision log verified.")
final class DemoCallsCommand implements Callable<Integer> {

    /** The supplier's routes: orders are placed with an amount and read by id; three refusals a minute pause the caller. */
    static final String ROUTES = """
            {"routes": [
               {"method": "POST", "path": "/orders", "capability": "purchase-order:negotiate",
                "amount": "body:/total/value", "currency": "body:/total/currency"},
               {"method": "GET", "path": "/orders/{id}", "capability": "supplier:lookup", "resource": "path:id"}],
             "breaker": {"refusals": 3, "within": "PT1M", "pause": "PT30S"}}""";

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        return DemoOrg.inTemporaryDirectory("tabard-demo-calls", this::run);
    }

    private int run(Path dir) throws Exception {
        if (System.getenv("TABARD_LOG_LEVEL") == null) {
            // the story tells of the pause itself; the gate's operator warning would repeat it
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.tabard.gate")).setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        step("1", "Two organizations start their issuers");
        SelfSignedTls tls = SelfSignedTls.localhost();
        SafeFetcher fetcher = new SafeFetcher(FetchPolicy.builder().allowHost("localhost").trustCertificate(tls.certificate()).build());
        try (DemoOrg acme = DemoOrg.start(dir.resolve("acme"), "ACME Corp", tls);
             DemoOrg globex = DemoOrg.start(dir.resolve("globex"), "Globex Supplies", tls)) {
            say("buyer:    ACME Corp        " + acme.did());
            say("supplier: Globex Supplies  " + globex.did());
            say("(on one machine both are did:web:localhost, told apart by port: the ':' before a port is written %3A in a did:web)");

            step("2", "Each organization enrolls its agent, which receives its AgentCredential over OpenID4VCI");
            Verifier acmeTrusts = verifier(fetcher, globex);
            Verifier globexTrusts = verifier(fetcher, acme);
            try (Wallet buyer = wallet(dir.resolve("buyer.wallet"), fetcher, acme);
                 Wallet desk = wallet(dir.resolve("desk.wallet"), fetcher, globex)) {
                acme.enroll(buyer, "{\"name\":\"procurement-agent\",\"operator\":{\"name\":\"Procurement team\"},\"capabilities\":"
                        + "[\"purchase-order:negotiate\",\"supplier:lookup\"],\"constraints\":{\"maxTransactionValue\":{\"amount\":\"5000\","
                        + "\"currency\":\"EUR\"}}}");
                globex.enroll(desk, "{\"name\":\"order-desk\",\"operator\":{\"name\":\"Sales operations\"},\"capabilities\":[\"orders:answer\"]}");
                say("ACME's procurement agent " + buyer.did());
                say("Globex's order desk      " + desk.did());
                return calls(dir, buyer, desk, acmeTrusts, globexTrusts);
            }
        }
    }

    private int calls(Path dir, Wallet buyer, Wallet desk, Verifier acmeTrusts, Verifier globexTrusts) throws Exception {
        step("3", "Globex puts its gate in front of its order service");
        HttpService orders = HttpService.builder("demo-orders").passBodiesOfAnyMediaType().build();
        orders.app().post("/orders", ctx -> ctx.json(Map.of("order", "o-1001", "placedBy", String.valueOf(ctx.header(GateServer.AGENT)),
                "for", String.valueOf(ctx.header(GateServer.ORGANIZATION)))));
        orders.app().get("/orders/{id}", ctx -> ctx.json(Map.of("order", ctx.pathParam("id"), "status", "shipped")));
        orders.start();
        Path log = dir.resolve("decisions.jsonl");
        RoutesFile routes = RoutesFile.parse(ROUTES.getBytes(StandardCharsets.UTF_8));
        GateIdentity identity = new GateIdentity(desk.keyId(), desk.signer(), (challenge, audience) ->
                desk.present(new PresentationRequest(challenge, audience, Set.of(), Set.of())));
        Gate gate = Gate.builder(globexTrusts, identity, routes.routes(), DecisionLog.open(log, desk.signer(), desk.keyId(), Clock.systemUTC()))
                .limits(routes.limits()).build();
        try (GateServer proxy = GateServer.builder(gate, URI.create("http://127.0.0.1:" + orders.port())).port(0).start()) {
            say("the gate trusts ACME's agents, maps POST /orders to purchase-order:negotiate (amount from the body) and GET /orders/{id} to "
                    + "supplier:lookup, and pauses a caller after 3 refusals in a minute");
            String base = "http://127.0.0.1:" + proxy.port();
            AgentHttpClient client = AgentHttpClient.of(buyer, acmeTrusts, HttpClient.newHttpClient(), Clock.systemUTC());

            step("4", "ACME's agent places an order of 120 EUR: first contact, both sides prove who they are");
            AgentResponse placed = client.send(order(base, "120.00"));
            say("the call carried the agent's presentation and an RFC 9421 signature over method, URI, body digest and its nonce");
            say("the gate verified it, then answered signed by " + placed.server().identity().name() + " of "
                    + placed.server().identity().organizationName() + ", whose own credential ACME's verifier checked");
            say(placed.status() + " " + placed.bodyText());
            say("decision " + placed.receipt().orElseThrow().seq() + " in Globex's log, hash " + placed.receipt().get().hash().substring(0, 16) + "…");
            if (placed.status() != 200) {
                return 1;
            }
            AgentResponse lookup = client.send(AgentRequest.get(URI.create(base + "/orders/o-1001")));
            say("a second call carries only the signature: " + lookup.status() + " " + lookup.bodyText());

            step("5", "It orders 9000 EUR, above the 5000 EUR its credential allows");
            AgentResponse refused = client.send(order(base, "9000.00"));
            say(refused.status() + " " + JsonCodec.parse(refused.body()).path("code").asText() + ": "
                    + JsonCodec.parse(refused.body()).path("detail").asText());
            if (refused.status() != 403) {
                return 1;
            }

            step("6", "A runaway loop keeps retrying: the breaker pauses the agent");
            AgentResponse last = refused;
            for (int i = 0; i < 4 && last.status() != 503; i++) {
                last = client.send(order(base, "9000.00"));
                say("retry " + (i + 1) + ": " + last.status() + " " + JsonCodec.parse(last.body()).path("code").asText());
            }
            if (last.status() != 503) {
                return 1;
            }
            say("paused: Retry-After " + last.fields().first("retry-after").orElse("?") + " s, even for calls it may make");
        } finally {
            orders.close();
        }

        step("7", "Both sides hold proof of the exchange");
        AuditVerdict verdict = AuditLog.verify(AuditFile.read(log), Optional.empty());
        say("Globex's decision log: " + verdict.message());
        say("'tabard audit verify --log FILE' checks a gate's log the same way, and the issuer's");
        say("each response ACME holds is signed by Globex's agent and names its entry (seq and hash) in that log");
        say("next: the README's quick start runs each role by hand");
        return verdict.intact() ? 0 : 1;
    }

    private static AgentRequest order(String base, String eur) {
        return AgentRequest.post(URI.create(base + "/orders"), "application/json",
                ("{\"item\":\"printer paper\",\"total\":{\"value\":\"" + eur + "\",\"currency\":\"EUR\"}}").getBytes(StandardCharsets.UTF_8))
                .exercising("purchase-order:negotiate");
    }

    /** What one side trusts: the other organization's issuer. */
    private static Verifier verifier(SafeFetcher fetcher, DemoOrg trusted) {
        return Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(trusted.did()).build()).fetchPolicy(fetcher.policy()).build();
    }

    /** An agent's wallet, checking what it receives against its own organization's issuer. */
    private static Wallet wallet(Path file, SafeFetcher fetcher, DemoOrg own) {
        Verifier check = Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(own.did()).build()).fetchPolicy(fetcher.policy()).build();
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
