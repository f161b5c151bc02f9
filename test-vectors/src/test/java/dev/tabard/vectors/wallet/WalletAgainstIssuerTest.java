package dev.tabard.vectors.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.didweb.WebDidResolver;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.CheckedCredential;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import dev.tabard.wallet.present.PresentationRequest;
import dev.tabard.wallet.store.CredentialQuery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wallet against a real vc-issuer (and verifier endpoint) started in the test on 127.0.0.1 over HTTPS. It lives in
 * test-vectors, beside the other cross-module tests, so that the wallet's own dependency tree carries no server.
 */
@Timeout(120)
class WalletAgainstIssuerTest {

    private static final String ADMIN = "tabard_wallet-test_Hq3vN8xK2pL5mR7tY1cB4dF6gJ9kZ0sW";
    @TempDir
    Path dir;
    private LocalIssuer issuer;
    private SafeFetcher fetcher;

    @BeforeEach
    void start() throws Exception {
        issuer = new LocalIssuer(dir.resolve("issuer"), ADMIN);
        fetcher = issuer.fetcher;
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private Verifier verifier() {
        DidResolver resolver = DidResolvers.of(WebDidResolver.builder().fetcher(fetcher).build(), new KeyDidResolver());
        return Verifier.builder().resolver(resolver).trustPolicy(TrustPolicy.builder().trustWebDomain("localhost").build())
                .fetchPolicy(fetcher.policy()).build();
    }

    private Wallet wallet(String name, String secret) {
        return Wallet.open(dir.resolve(name + ".wallet"), secret.toCharArray(), verifier(), new IssuanceClient(fetcher, Clock.systemUTC()),
                Clock.systemUTC());
    }

    private JsonNode post(String path, String body) throws Exception {
        return issuer.admin("POST", path, body);
    }

    private void register(Wallet w) throws Exception {
        post("/admin/agents", "{\"did\":\"" + w.did() + "\",\"name\":\"agent\",\"operator\":{\"name\":\"Ops\"},"
                + "\"capabilities\":[\"supplier:lookup\"]}");
    }

    @Test
    void receivesThroughOpenId4VciPresentsAndVerifies() throws Exception {
        try (Wallet w = wallet("a", "wallet secret")) {
            register(w);
            JsonNode offer = post("/admin/agents/" + w.did() + "/offer?tx_code=true", null);
            ProblemException noCode = assertThrows(ProblemException.class, () -> w.receive(offer.get("offer_url").asText()));
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, noCode.type());
            w.receive(offer.get("offer_url").asText(), offer.get("tx_code").asText());
            assertEquals(1, w.credentials(CredentialQuery.all()).size());
            assertEquals(1, w.credentials(CredentialQuery.all().withTypes(Set.of("AgentCredential")).withCapabilities(Set.of("supplier:lookup"))).size());
            assertEquals(0, w.credentials(CredentialQuery.all().withCapabilities(Set.of("treasury:transfer"))).size());
            ProblemException reuse = assertThrows(ProblemException.class,
                    () -> w.receive(offer.get("offer_url").asText(), offer.get("tx_code").asText()));
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, reuse.type(), reuse.getMessage());
            assertTrue(reuse.getMessage().contains("invalid_grant"), reuse.getMessage());

            String vp = w.present(new PresentationRequest("c-1", "https://verifier.example", Set.of("AgentCredential"), Set.of("supplier:lookup")));
            VerificationResult r = verifier().verifyPresentation(vp, new PresentationOptions("c-1", "https://verifier.example"));
            assertTrue(r.verified(), () -> r.errors().toString());
            assertEquals(w.did(), r.agent().orElseThrow().agent());
            assertEquals(ProblemType.MISSING_CAPABILITY, assertThrows(ProblemException.class, () -> w.present(new PresentationRequest("c",
                    "d", Set.of(), Set.of("treasury:transfer")))).type());
            assertEquals(1, w.expiring(Duration.ofHours(2)).size());
            assertEquals(0, w.expiring(Duration.ofMinutes(10)).size());
        }
    }

    @Test
    void signedAgentCardVerifiesWithItsCredentialAndTamperingFails() throws Exception {
        try (Wallet w = wallet("card", "s")) {
            register(w);
            w.store(post("/admin/agents/" + w.did() + "/credentials", null).get("vcJwt").asText());
            dev.tabard.wallet.card.AgentCard card = new dev.tabard.wallet.card.AgentCard("procurement-agent", "Negotiates purchase orders",
                    "1.0.0", "ACME", URI.create("https://localhost/"), URI.create("https://agents.localhost/a2a"),
                    List.of(new dev.tabard.wallet.card.AgentCard.Skill("negotiate", "Negotiate", "Negotiates a purchase order",
                            List.of("procurement"))));
            var signed = w.agentCard(card);
            VerificationResult r = verifier().verifyAgentCard(signed.toString());
            assertTrue(r.verified(), () -> r.errors().toString());
            assertEquals(w.did(), r.agent().orElseThrow().agent());
            var tampered = signed.deepCopy();
            tampered.put("description", "Transfers treasury funds");
            assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, verifier().verifyAgentCard(tampered.toString()).errors().get(0).type());
            var elsewhere = new dev.tabard.wallet.card.AgentCard("x", "y", "1", "Evil", URI.create("https://evil.example/"),
                    URI.create("https://evil.example/a2a"), card.skills());
            assertEquals(ProblemType.UNTRUSTED_ISSUER, verifier().verifyAgentCard(w.agentCard(elsewhere).toString()).errors().get(0).type());
            // a card signed with a provider url that is not a URL is bad input, never an internal error
            var badUrl = signed.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) badUrl.get("provider")).put("url", "https://exa mple/");
            var unsigned = badUrl.deepCopy();
            unsigned.remove("signatures");
            String input = badUrl.get("signatures").get(0).get("protected").asText() + "."
                    + dev.tabard.codec.Base64Url.encode(dev.tabard.vc.di.Jcs.canonicalize(unsigned));
            ((com.fasterxml.jackson.databind.node.ObjectNode) badUrl.get("signatures").get(0)).put("signature",
                    dev.tabard.codec.Base64Url.encode(w.signer().sign(input.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
            VerificationResult malformed = verifier().verifyAgentCard(badUrl.toString());
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, malformed.errors().get(0).type(), malformed.toString());
            try (Wallet other = wallet("card2", "s")) {
                // another agent cannot put this agent's credential on its own card
                var stolen = card.sign(w.credentials(CredentialQuery.all()).get(0).token(), other.signer(), other.keyId());
                assertEquals(ProblemType.HOLDER_MISMATCH, verifier().verifyAgentCard(stolen.toString()).errors().get(0).type());
            }
        }
    }

    @Test
    void renewsBeforeExpiryKeepingTheOldUntilTheNewIsStored() throws Exception {
        try (Wallet w = wallet("renew", "s")) {
            register(w);
            String old = w.store(post("/admin/agents/" + w.did() + "/credentials", null).get("vcJwt").asText()).id();
            assertEquals(0, w.renew(Duration.ofMinutes(10)).size()); // not due yet
            List<dev.tabard.wallet.store.StoredCredential> renewed = w.renew(Duration.ofHours(2));
            assertEquals(1, renewed.size());
            List<dev.tabard.wallet.store.StoredCredential> held = w.credentials(CredentialQuery.all());
            assertEquals(1, held.size());
            assertTrue(!held.get(0).id().equals(old), "a new credential replaced the old one");
            post("/admin/credentials/" + held.get(0).id() + "/revoke", null);
            ProblemException e = assertThrows(ProblemException.class, () -> w.renew(Duration.ofHours(2)));
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type(), e.getMessage());
            assertTrue(e.getMessage().contains("credential_request_denied"), e.getMessage());
            assertEquals(1, w.credentials(CredentialQuery.all()).size(), "a failed renewal keeps what the wallet held");
        }
    }

    @Test
    void p256WalletsAndStatusAwareQueries() throws Exception {
        DidResolver resolver = DidResolvers.of(WebDidResolver.builder().fetcher(fetcher).build(), new KeyDidResolver());
        Verifier uncached = Verifier.builder().resolver(resolver).trustPolicy(TrustPolicy.builder().trustWebDomain("localhost").build())
                .fetchPolicy(fetcher.policy()).statusListMaxAge(Duration.ZERO).build();
        try (Wallet w = Wallet.open(dir.resolve("p256.wallet"), "s".toCharArray(), dev.tabard.crypto.KeyType.P256, uncached,
                new IssuanceClient(fetcher, Clock.systemUTC()), Clock.systemUTC())) {
            assertTrue(w.did().toString().startsWith("did:key:zDn"), w.did().toString());
            register(w);
            String id = w.store(post("/admin/agents/" + w.did() + "/credentials", null).get("vcJwt").asText()).id();
            assertEquals(1, w.activeCredentials(CredentialQuery.all()).size());
            post("/admin/credentials/" + id + "/suspend", null);
            assertEquals(0, w.activeCredentials(CredentialQuery.all()).size());
            assertEquals(1, w.credentials(CredentialQuery.all()).size());
            assertTrue(!(w.signer() instanceof dev.tabard.crypto.KeyPair), "the private key does not leave through signer()");
            String vp = w.present(new PresentationRequest("c", "d", Set.of(), Set.of()));
            assertEquals(ProblemType.CREDENTIAL_SUSPENDED, verifier().verifyPresentation(vp, new PresentationOptions("c", "d"))
                    .errors().get(0).type());
        }
    }

    @Test
    void keysCanComeFromAnExternalProvider() throws Exception {
        dev.tabard.crypto.KeyPair hsm = dev.tabard.crypto.KeyPair.generate(dev.tabard.crypto.KeyType.ED25519, new java.security.SecureRandom());
        Path file = dir.resolve("external.wallet");
        try (Wallet w = Wallet.open(file, hsm, verifier(), new IssuanceClient(fetcher, Clock.systemUTC()), Clock.systemUTC())) {
            register(w);
            w.store(post("/admin/agents/" + w.did() + "/credentials", null).get("vcJwt").asText());
            var vp = w.presentDataIntegrity(new PresentationRequest("c-di", "https://verifier.example", Set.of("AgentCredential"), Set.of()));
            VerificationResult r = verifier().verifyPresentation(vp.toString(), new PresentationOptions("c-di", "https://verifier.example"));
            assertTrue(r.verified(), () -> r.errors().toString());
        }
        dev.tabard.crypto.KeyPair other = dev.tabard.crypto.KeyPair.generate(dev.tabard.crypto.KeyType.ED25519, new java.security.SecureRandom());
        assertEquals(ProblemType.UNAUTHORIZED, assertThrows(ProblemException.class, () -> Wallet.open(file, other, verifier(),
                new IssuanceClient(fetcher, Clock.systemUTC()), Clock.systemUTC())).type());
    }

    @Test
    void wrongSecretIsAClearErrorAndLeavesTheFileIntact() throws Exception {
        String did;
        try (Wallet w = wallet("b", "right")) {
            did = w.did().toString();
        }
        assertEquals(ProblemType.UNAUTHORIZED, assertThrows(ProblemException.class, () -> wallet("b", "wrong")).type());
        try (Wallet w = wallet("b", "right")) {
            assertEquals(did, w.did().toString());
        }
    }

    @Test
    void credentialsForSomeoneElseOrForgedAreRefused() throws Exception {
        try (Wallet a = wallet("c", "s"); Wallet b = wallet("d", "s")) {
            register(a);
            String token = post("/admin/agents/" + a.did() + "/credentials", null).get("vcJwt").asText();
            assertEquals(ProblemType.HOLDER_MISMATCH, assertThrows(ProblemException.class, () -> b.store(token)).type());
            String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
            assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, assertThrows(ProblemException.class, () -> a.store(forged)).type());
            assertEquals(0, a.credentials(CredentialQuery.all()).size());
        }
    }

    @Test
    void twoWalletHandlesOnOneFileDoNotCorruptIt() throws Exception {
        try (Wallet w1 = wallet("e", "s"); Wallet w2 = wallet("e", "s")) {
            assertEquals(w1.did(), w2.did());
            register(w1);
            List<String> tokens = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                tokens.add(post("/admin/agents/" + w1.did() + "/credentials", null).get("vcJwt").asText());
            }
            Thread t1 = new Thread(() -> tokens.subList(0, 3).forEach(w1::store));
            Thread t2 = new Thread(() -> tokens.subList(3, 6).forEach(w2::store));
            t1.start();
            t2.start();
            t1.join();
            t2.join();
            assertEquals(6, w1.credentials(CredentialQuery.all()).size());
        }
    }

    @Test
    void review_tamperedRows_failWithTheReasonAndNeverVerify() throws Exception {
        Path file = dir.resolve("tamper.wallet");
        try (Wallet w = Wallet.open(file, "s".toCharArray(), verifier(), new IssuanceClient(fetcher, Clock.systemUTC()), Clock.systemUTC());
             Wallet other = wallet("other", "s")) {
            register(w);
            register(other);
            String id = w.store(post("/admin/agents/" + w.did() + "/credentials", null).get("vcJwt").asText()).id();
            String forged = w.store(post("/admin/agents/" + w.did() + "/credentials", null).get("vcJwt").asText()).id();
            String foreign = other.store(post("/admin/agents/" + other.did() + "/credentials", null).get("vcJwt").asText()).token();
            assertEquals(List.of(true, true), w.review().stream().map(CheckedCredential::verified).toList());
            assertEquals(2, w.activeCredentials(CredentialQuery.all()).size());
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                // more authority than was granted, in the column a query selects on
                c.createStatement().executeUpdate("UPDATE credentials SET capabilities = '[\"supplier:lookup\",\"treasury:transfer\"]'"
                        + " WHERE id = '" + id + "'");
                // a changed signature
                c.createStatement().executeUpdate("UPDATE credentials SET token = substr(token, 1, length(token) - 10)"
                        + " || CASE substr(token, length(token) - 9, 1) WHEN 'A' THEN 'B' ELSE 'A' END || substr(token, length(token) - 8)"
                        + " WHERE id = '" + forged + "'");
                // another agent's valid credential copied in
                try (var ps = c.prepareStatement("INSERT INTO credentials SELECT 'urn:copied', ?, issuer, types, capabilities,"
                        + " valid_until, stored FROM credentials WHERE id = ?")) {
                    ps.setString(1, foreign);
                    ps.setString(2, id);
                    ps.executeUpdate();
                }
                // a date column that no longer parses
                c.createStatement().executeUpdate("INSERT INTO credentials SELECT 'urn:bad-date', token, issuer, types, capabilities,"
                        + " '2030-01-01T00:00Z', stored FROM credentials WHERE id = '" + id + "'");
            }
            java.util.Map<String, CheckedCredential> byId = new java.util.HashMap<>();
            w.review().forEach(r -> byId.put(r.rowId(), r));
            assertEquals(4, byId.size());
            byId.values().forEach(r -> {
                assertTrue(!r.verified(), r.rowId());
                assertTrue(r.agent().isEmpty(), r.rowId());
            });
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, byId.get(id).result().errors().get(0).type());
            assertTrue(byId.get(id).result().errors().get(0).detail().contains("capabilities"), byId.get(id).result().errors().toString());
            assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, byId.get(forged).result().errors().get(0).type());
            assertEquals(ProblemType.HOLDER_MISMATCH, byId.get("urn:copied").result().errors().get(0).type());
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, byId.get("urn:bad-date").result().errors().get(0).type());
            assertEquals(0, w.credentials(CredentialQuery.all()).stream()
                    .filter(c -> c.id().equals("urn:bad-date")).count(), "a row whose columns do not parse is not selected");
            assertEquals(List.of(), w.activeCredentials(CredentialQuery.all()), "no tampered row is active");
        }
    }

    /**
     * Defect 7's reproducer, end to end: a presentation whose correctly signed proof says {@code expires:
     * "2030-01-01T00:00Z"} (no seconds; here a few minutes from now in that form) was accepted by the proof check and
     * then answered with HTTP 500 by the verifier endpoint. It is now a 400 PROOF_VERIFICATION_ERROR (Data Integrity §4.4's type) at {@code /proof/expires}.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void verifierEndpoint_signedProofExpiresWithoutSeconds_is400ProblemNot500() throws Exception {
        try (Wallet w = wallet("dates", "s")) {
            register(w);
            w.store(post("/admin/agents/" + w.did() + "/credentials", null).get("vcJwt").asText());
            dev.tabard.verifier.http.VerifierServer server = dev.tabard.verifier.http.VerifierServer.builder(verifier()).domain("https://verifier.example").port(0).clock(Clock.systemUTC()).requireIssuedChallenges().start();
            try {
                String url = "http://127.0.0.1:" + server.port();
                // the same re-signing with a well-formed date verifies, so only the date differs below; the date is a few
                // minutes ahead, within the verifier's presentation lifetime
                String expires = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(300).toString();
                HttpResponse<String> ok = verifyWithExpires(url, w, expires);
                assertEquals(200, ok.statusCode(), ok.body());
                HttpResponse<String> r = verifyWithExpires(url, w, expires.substring(0, 16) + "Z");
                assertEquals(400, r.statusCode(), r.body());
                JsonNode problem = JsonCodec.parse(r.body());
                assertEquals(400, problem.get("status").asInt(), r.body());
                assertTrue(r.body().contains("#PROOF_VERIFICATION_ERROR") && r.body().contains("\"/proof/expires\""), r.body());
            } finally {
                server.close();
            }
        }
    }

    /** Presents to the verifier at {@code url} for a fresh challenge, with the proof's {@code expires} set to {@code expires}. */
    private static HttpResponse<String> verifyWithExpires(String url, Wallet w, String expires) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String challenge = JsonCodec.parse(http.send(HttpRequest.newBuilder(URI.create(url + "/challenges"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body()).get("challenge").asText();
        var honest = w.presentDataIntegrity(new PresentationRequest(challenge, "https://verifier.example", Set.of("AgentCredential"),
                Set.of()));
        var body = JsonCodec.objectNode();
        body.set("verifiablePresentation", resign(honest, w, expires));
        body.putObject("options").put("challenge", challenge).put("domain", "https://verifier.example");
        return http.send(HttpRequest.newBuilder(URI.create(url + "/presentations/verify")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code vp} with its proof's {@code expires} replaced by {@code expires} and signed again by the wallet's key. */
    private static com.fasterxml.jackson.databind.node.ObjectNode resign(com.fasterxml.jackson.databind.node.ObjectNode vp, Wallet w,
                                                                        String expires) {
        var unsecured = vp.deepCopy();
        var proof = (com.fasterxml.jackson.databind.node.ObjectNode) unsecured.remove("proof");
        proof.remove("proofValue");
        proof.put("expires", expires);
        var suite = dev.tabard.vc.di.Cryptosuites.byName(proof.get("cryptosuite").asText(), w.signer().keyType()).orElseThrow();
        var config = proof.deepCopy();
        config.set("@context", unsecured.get("@context").deepCopy());
        byte[] signature = w.signer().sign(suite.hashData(unsecured, config, dev.tabard.jsonld.BundledContexts.standard()));
        proof.put("proofValue", "z" + dev.tabard.codec.Base58Btc.encode(signature));
        var secured = unsecured.deepCopy();
        secured.set("proof", proof);
        return secured;
    }
}
