package dev.tabard.vectors.interop;

import static dev.tabard.vectors.interop.Outcomes.assertFails;
import static dev.tabard.vectors.interop.Outcomes.assertVerified;
import static dev.tabard.vectors.interop.Outcomes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.Credential;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.vectors.Vectors;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What independent implementations issue verifies in Tabard, and their tampered copies fail with the expected
 * problem: panva's jose (vc+jwt, VC 1.1 JWT, a status list as vc+jwt), did-jwt-vc (VC 1.1 JWT and VP JWT),
 * Digital Bazaar's vc with eddsa-rdfc-2022 (credential, presentation) and vc-bitstring-status-list (a signed
 * revocation list, and credentials pointing into it). The file is written by {@code test-vectors/interop/issue.mjs}
 * and committed, so this runs without Node; {@code mvn -B -Pinterop -pl test-vectors -am verify} regenerates it
 * first. The other direction is {@link TabardIssuedTest} with {@code verify.mjs}.
 *
 * <p>The peers' credentials are checked a day after issue; their presentations live 5 minutes, within
 * {@link Verifier#MAX_PRESENTATION_LIFETIME}, and are checked inside that window.
 */
class NodePeersTest {

    private static final JsonNode PEERS = Vectors.json("interop/node-issued.json");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC);
    /** One minute after issue.mjs signed its presentations (nbf and proof created 10:00, exp and expires 10:05). */
    private static final Clock PRESENTATION_CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:01:00Z"), ZoneOffset.UTC);
    private static final PresentationOptions BINDING =
            new PresentationOptions(PEERS.get("challenge").asText(), PEERS.get("domain").asText());

    private static Verifier verifier(boolean acceptVc11) {
        return verifier(CLOCK, acceptVc11);
    }

    private static Verifier verifier(Clock clock, boolean acceptVc11) {
        KeyDidResolver resolver = new KeyDidResolver();
        // the peer's status list, as a vc+jwt (the form the verifier fetches), served from a bundle instead of HTTP
        ResolutionBundle bundle = ResolutionBundle.builder(clock.instant())
                .resource(URI.create(PEERS.get("statusListUrl").asText()), "application/vc+jwt",
                        valid("statusListJwt").asText().getBytes(StandardCharsets.US_ASCII))
                .build();
        TrustPolicy.Builder policy = TrustPolicy.builder().trustIssuer(Did.parse(PEERS.get("issuer").asText()));
        if (acceptVc11) {
            policy.formats(TrustPolicy.Format.VC_JWT, TrustPolicy.Format.VC11_JWT, TrustPolicy.Format.DATA_INTEGRITY);
        }
        return Verifier.builder().resolver(resolver).clock(clock).trustPolicy(policy.build())
                .resolutionBundle(bundle).build();
    }

    private static JsonNode valid(String name) {
        return PEERS.get("valid").get(name);
    }

    private static JsonNode tampered(String name) {
        return PEERS.get("tampered").get(name);
    }

    @Test
    void joseVcJwt_verifies_tamperedFailsWithCryptographicSecurityError() {
        VerificationResult r = verifier(false).verifyCredential(valid("vcJwt").asText());
        assertVerified(r);
        assertEquals(PEERS.get("agent").asText(), r.agent().orElseThrow().agent().toString());
        assertFails(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, verifier(false).verifyCredential(tampered("vcJwt").asText()));
    }

    @Test
    void digitalBazaarEddsaRdfc2022_verifies_tamperedFailsWithProofVerificationError() {
        assertVerified(verifier(false).verifyCredential(valid("diCredential").toString()));
        assertFails(ProblemType.PROOF_VERIFICATION_ERROR, verifier(false).verifyCredential(tampered("diCredential").toString()));
    }

    @Test
    void joseVc11Jwt_verifiesOnlyWhenThePolicyAcceptsIt() {
        String token = valid("vc11Jwt").asText();
        assertVerified(verifier(true).verifyCredential(token));
        assertFails(ProblemType.MALFORMED_VALUE_ERROR, verifier(false).verifyCredential(token));
        assertFails(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, verifier(true).verifyCredential(tampered("vc11Jwt").asText()));
    }

    @Test
    void didJwtVcCredential_verifiesAsVc11_tamperedFailsWithCryptographicSecurityError() {
        VerificationResult r = verifier(true).verifyCredential(valid("didJwtVc").asText());
        assertVerified(r);
        assertFails(ProblemType.MALFORMED_VALUE_ERROR, verifier(false).verifyCredential(valid("didJwtVc").asText()));
        assertFails(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, verifier(true).verifyCredential(tampered("didJwtVc").asText()));
    }

    /** Known limit: did-jwt-vc puts no kid in the header unless asked, and Tabard finds the key from kid only. */
    @Test
    void didJwtVcCredential_withoutKid_failsWithInvalidVerificationMethodUrl() {
        assertFails(ProblemType.INVALID_VERIFICATION_METHOD_URL,
                verifier(true).verifyCredential(PEERS.get("limits").get("didJwtVcNoKid").asText()));
    }

    @Test
    void didJwtVcPresentation_verifiesBoundToChallengeAndDomain() {
        String token = valid("didJwtVp").asText();
        VerificationResult r = verifier(PRESENTATION_CLOCK, true).verifyPresentation(token, BINDING);
        assertVerified(r);
        assertFails(ProblemType.INVALID_CHALLENGE_ERROR,
                verifier(PRESENTATION_CLOCK, true).verifyPresentation(token, new PresentationOptions("another", BINDING.domain())));
        assertFails(ProblemType.INVALID_DOMAIN_ERROR, verifier(PRESENTATION_CLOCK, true)
                .verifyPresentation(token, new PresentationOptions(BINDING.challenge(), "https://other.example")));
        assertFails(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                verifier(PRESENTATION_CLOCK, true).verifyPresentation(tampered("didJwtVp").asText(), BINDING));
        // a day later it has expired
        assertFails(ProblemType.CREDENTIAL_EXPIRED, verifier(true).verifyPresentation(token, BINDING));
    }

    /**
     * The did-jwt-vc presentation's own header and payload, with {@code exp} moved, signed again with the peer's agent
     * key (rebuilt from issue.mjs's fixed seed): valid for exactly {@link Verifier#MAX_PRESENTATION_LIFETIME} it
     * verifies, one second longer it is refused as {@code LIFETIME_TOO_LONG}.
     */
    @Test
    void didJwtVcPresentation_signedForLongerThanTheCap_failsWithLifetimeTooLong() {
        String[] parts = valid("didJwtVp").asText().split("\\.");
        // the key is the peer's: signing the peer's header and payload again gives the peer's signature
        assertEquals(valid("didJwtVp").asText(), signedByPeerAgent(parts[0], parts[1]));
        ObjectNode payload = JsonCodec.parseObject(Base64Url.decode(parts[1]));
        long nbf = payload.get("nbf").asLong();

        payload.put("exp", nbf + Verifier.MAX_PRESENTATION_LIFETIME.toSeconds());
        String atTheCap = signedByPeerAgent(parts[0], Base64Url.encode(JsonCodec.write(payload)));
        assertVerified(verifier(PRESENTATION_CLOCK, true).verifyPresentation(atTheCap, BINDING));

        payload.put("exp", nbf + Verifier.MAX_PRESENTATION_LIFETIME.toSeconds() + 1);
        String pastTheCap = signedByPeerAgent(parts[0], Base64Url.encode(JsonCodec.write(payload)));
        assertFails(ProblemType.LIFETIME_TOO_LONG, verifier(PRESENTATION_CLOCK, true).verifyPresentation(pastTheCap, BINDING));

        // what issue.mjs signed before the cap: two days
        payload.put("exp", nbf + Duration.ofDays(2).toSeconds());
        String twoDays = signedByPeerAgent(parts[0], Base64Url.encode(JsonCodec.write(payload)));
        assertFails(ProblemType.LIFETIME_TOO_LONG, verifier(PRESENTATION_CLOCK, true).verifyPresentation(twoDays, BINDING));
    }

    /** A compact JWS over {@code header.payload} by the peer's agent key, derived from issue.mjs's seed of 32 nines. */
    private static String signedByPeerAgent(String header, String payload) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 9);
        KeyPair agent = KeyPair.fromPrivateKey(KeyType.ED25519, seed, KeyDids.key(Did.parse(PEERS.get("agent").asText())));
        String signingInput = header + "." + payload;
        return signingInput + "." + Base64Url.encode(agent.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void digitalBazaarPresentation_verifiesBoundToChallengeAndDomain() {
        String vp = valid("diPresentation").toString();
        VerificationResult r = verifier(PRESENTATION_CLOCK, false).verifyPresentation(vp, BINDING);
        assertVerified(r);
        assertEquals(PEERS.get("agent").asText(), r.agent().orElseThrow().agent().toString());
        assertFails(ProblemType.INVALID_CHALLENGE_ERROR,
                verifier(PRESENTATION_CLOCK, false).verifyPresentation(vp, new PresentationOptions("another", BINDING.domain())));
        assertFails(ProblemType.INVALID_DOMAIN_ERROR, verifier(PRESENTATION_CLOCK, false)
                .verifyPresentation(vp, new PresentationOptions(BINDING.challenge(), "https://other.example")));
        assertFails(ProblemType.PROOF_VERIFICATION_ERROR,
                verifier(PRESENTATION_CLOCK, false).verifyPresentation(tampered("diPresentation").toString(), BINDING));
        // a day later its proof has expired: refused for that, not for its signature
        VerificationResult late = verifier(false).verifyPresentation(vp, BINDING);
        assertFails(ProblemType.PROOF_VERIFICATION_ERROR, late);
        assertTrue(late.errors().get(0).detail().contains("expired"), () -> late.errors().toString());
    }

    @Test
    void digitalBazaarStatusList_proofVerifies_decodesToTheSetBits() {
        assertVerified(verifier(false).verifyCredential(valid("statusList").toString()));
        assertFails(ProblemType.PROOF_VERIFICATION_ERROR, verifier(false).verifyCredential(tampered("statusList").toString()));
        Bitstring list = Bitstring.decode(valid("statusList").get("credentialSubject").get("encodedList").asText(), 1);
        assertEquals(131_072, list.length());
        Set<Long> set = new HashSet<>();
        PEERS.get("setBits").forEach(b -> set.add(b.asLong()));
        for (long i = 0; i < list.length(); i++) {
            assertEquals(set.contains(i) ? 1 : 0, list.get(i), "bit " + i);
        }
        // the jose vc+jwt carries the same list
        String jwtPayload = new String(java.util.Base64.getUrlDecoder().decode(valid("statusListJwt").asText().split("\\.")[1]),
                StandardCharsets.UTF_8);
        assertTrue(jwtPayload.contains(valid("statusList").get("credentialSubject").get("encodedList").asText()));
    }

    @Test
    void credentialWithStatusEntry_isRevokedExactlyWhenItsBitIsSet() {
        Credential list = Credential.of((ObjectNode) valid("statusList"));
        Credential revoked = Credential.of((ObjectNode) valid("revokedCredential"));
        Credential active = Credential.of((ObjectNode) valid("activeCredential"));
        assertEquals(1, StatusListCredentials.check(revoked.statuses().get(0), list).value());
        assertEquals(0, StatusListCredentials.check(active.statuses().get(0), list).value());
        // and through the verifier, which fetches the list (here the jose vc+jwt form, from a bundle)
        assertFails(ProblemType.CREDENTIAL_REVOKED, verifier(false).verifyCredential(text(valid("revokedCredential"))));
        assertVerified(verifier(false).verifyCredential(text(valid("activeCredential"))));
        Vectors.report("interop: jose, did-jwt-vc, @digitalbazaar/vc and vc-bitstring-status-list issued; valid, tampered, "
                + "bound, expired, lifetime-capped and revoked", 32, 32);
    }
}
