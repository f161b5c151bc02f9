package dev.tabard.benchmarks.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.benchmarks.Fixtures;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.VcJose;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Floods beside honest traffic: each attack of the security hardening issue runs against a real verifier (HTTP) and
 * a real issuer (HTTPS) on 127.0.0.1 while honest clients verify presentations and fetch nonces, and the honest
 * latencies and refusals are reported per phase. {@code java -cp benchmarks/target/benchmarks.jar
 * dev.tabard.benchmarks.load.FloodLoad [SECONDS_PER_PHASE]}; results are in {@code benchmarks/README.md}.
 */
public final class FloodLoad {

    private FloodLoad() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Fixtures f = new Fixtures();
        try (ServerSocket silent = silentServer(); FloodTargets targets = FloodTargets.start(f)) {
            String evilStatusBase = "http://127.0.0.1:" + silent.getLocalPort() + "/status/";
            KeyPair evil = KeyPair.generate(KeyType.ED25519, new java.security.SecureRandom());
            KeyPair insider = KeyPair.generate(KeyType.ED25519, new java.security.SecureRandom());
            String insiderCredential = credentialFor(f, insider, "urn:uuid:insider");
            KeyPair second = KeyPair.generate(KeyType.ED25519, new java.security.SecureRandom());
            List<HonestTraffic.Agent> agents = List.of(new HonestTraffic.Agent(f.agentKey, f.vcJwt),
                    new HonestTraffic.Agent(second, credentialFor(f, second, "urn:uuid:second-agent")));
            ObjectNode poison = poisonCredential(f);
            int verifier = targets.verifierPort();
            int issuer = targets.issuerPort();
            List<Phase> phases = List.of(
                    new Phase("no flood", List.of()),
                    new Phase("slow bodies → verifier (200 connections)", List.of(
                            () -> Floods.slowBodies("slow bodies", "/presentations/verify", 200, 100_000, verifier, Optional.empty()))),
                    new Phase("slow bodies → issuer over TLS (200 connections)", List.of(
                            () -> Floods.slowBodies("slow bodies", "/admin/agents", 200, 100_000, issuer, Optional.of(targets.clientTls())))),
                    new Phase("POST /challenges flood", List.of(
                            () -> Floods.requests("challenges", "127.0.2.1", 2, verifier, Optional.empty(),
                                    n -> new Floods.Request("/challenges", "application/json", "{}")))),
                    new Phase("POST /oid4vci/nonce flood", List.of(
                            () -> Floods.requests("nonces", "127.0.2.2", 2, issuer, Optional.of(targets.clientTls()),
                                    n -> new Floods.Request("/oid4vci/nonce", null, "")))),
                    new Phase("presentations living to 9999 (replay guard)", List.of(
                            () -> Floods.requests("long-lived", "127.0.2.3", 2, verifier, Optional.empty(),
                                    n -> longLived(insider, insiderCredential, n)))),
                    new Phase("untrusted credentials, status at a silent host", List.of(
                            () -> Floods.requests("untrusted", "127.0.2.4", 8, verifier, Optional.empty(),
                                    n -> untrusted(f, evil, evilStatusBase, n)))),
                    new Phase("poison graphs (RDFC)", List.of(
                            () -> Floods.requests("poison", "127.0.2.5", 4, verifier, Optional.empty(),
                                    n -> new Floods.Request("/credentials/verify", "application/json",
                                            "{\"verifiableCredential\":" + poison + "}")))));
            List<Phase> all = new ArrayList<>(phases);
            all.add(new Phase("all floods at once", phases.stream().flatMap(p -> p.floods().stream()).toList()));
            System.out.printf("%-50s %8s %8s %8s %8s %8s  %s%n", "phase", "honest", "p50 ms", "p99 ms", "max ms", "refused", "flood answered");
            for (Phase phase : all) {
                List<Floods.Flood> running = phase.floods().stream().map(FloodStarter::start).toList();
                HonestTraffic.Result r = HonestTraffic.run(f, agents, targets, seconds);
                StringBuilder outcome = new StringBuilder();
                for (Floods.Flood fl : running) {
                    outcome.append(outcome.length() == 0 ? "" : "; ").append(fl.name()).append(": ").append(fl.outcome());
                    fl.close();
                }
                System.out.printf("%-50s %8d %8.1f %8.1f %8.1f %8d  %s%n", phase.name(), r.requests(), r.p50Millis(), r.p99Millis(),
                        r.maxMillis(), r.refused(), outcome);
                r.refusals().stream().limit(3).forEach(x -> System.out.println("    refused: " + x));
            }
        }
        System.exit(0);
    }

    /** A flood not yet started. */
    interface FloodStarter {
        Floods.Flood start();
    }

    record Phase(String name, List<FloodStarter> floods) {
    }

    /** The org's AgentCredential for another agent (an honest one, or an insider turned attacker). */
    private static String credentialFor(Fixtures f, KeyPair agent, String id) {
        ObjectNode c = f.credential.deepCopy();
        c.put("id", id);
        ((ObjectNode) c.get("credentialSubject")).put("id", KeyDids.of(agent.publicKey()).toString());
        return VcJose.secureCredential(c, f.orgKey, f.orgKid, Fixtures.NOW);
    }

    /** A presentation of the attacker's one valid credential that claims to stay valid until 9999. */
    private static Floods.Request longLived(KeyPair agent, String credential, int n) {
        String challenge = "fill-" + n;
        String vp = VcJose.securePresentation(VcJose.presentationOf(List.of(credential)), agent, KeyDids.methodId(agent.publicKey()),
                challenge, Fixtures.AUDIENCE, "urn:uuid:fill-" + n, Fixtures.NOW, Instant.parse("9999-12-31T00:00:00Z"));
        return new Floods.Request("/presentations/verify", "application/json", HonestTraffic.presentationBody(vp, challenge));
    }

    /** An AgentCredential from an issuer no policy trusts, whose status lists live on a host that never answers. */
    private static Floods.Request untrusted(Fixtures f, KeyPair evil, String statusBase, int n) {
        Did evilDid = KeyDids.of(evil.publicKey());
        ObjectNode c = f.credential.deepCopy();
        c.put("issuer", evilDid.toString());
        c.put("id", "urn:uuid:untrusted-" + n);
        ArrayNode status = c.putArray("credentialStatus");
        status.add(AgentClaims.statusEntry(URI.create(statusBase + (2 * n)), "revocation", 7));
        status.add(AgentClaims.statusEntry(URI.create(statusBase + (2 * n + 1)), "suspension", 7));
        String jwt = VcJose.secureCredential(c, evil, KeyDids.methodId(evil.publicKey()), Fixtures.NOW);
        return new Floods.Request("/credentials/verify", "application/json", "{\"verifiableCredential\":\"" + jwt + "\"}");
    }

    /**
     * The W3C RDFC poison graph (rdf-canon test074: ten blank nodes, each linked to all ten) inside a credential from
     * a trusted issuer, with a copied proof: canonicalizing it is the work the attacker buys.
     */
    private static ObjectNode poisonCredential(Fixtures f) {
        ObjectNode c = f.diCredential.deepCopy();
        ArrayNode nodes = c.putArray("@included");
        for (int i = 0; i < 10; i++) {
            ObjectNode node = nodes.addObject();
            node.put("@id", "_:e" + i);
            ArrayNode links = node.putArray("http://example.com/p");
            for (int j = 0; j < 10; j++) {
                links.addObject().put("@id", "_:e" + j);
            }
        }
        return c;
    }

    /** A TCP server that accepts connections and never answers: a status-list host that hangs. */
    private static ServerSocket silentServer() throws IOException {
        ServerSocket s = new ServerSocket(0, 1000, InetAddress.getByName("127.0.0.1"));
        List<Socket> held = new ArrayList<>();
        Floods.daemon(() -> {
            while (!s.isClosed()) {
                try {
                    held.add(s.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }).start();
        return s;
    }
}
