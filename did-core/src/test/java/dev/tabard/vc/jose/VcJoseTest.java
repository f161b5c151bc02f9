package dev.tabard.vc.jose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocument;
import dev.tabard.did.DidDocumentBuilder;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.did.ResolutionResult;
import dev.tabard.did.VerificationMethod;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.Credential;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VcJoseTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2026-11-22T10:05:00Z");
    private final Did org = Did.parse("did:web:acme.example");
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair authOnly = KeyPair.generate(KeyType.P256, RANDOM);
    private final DidUrl kid = org.withFragment("key-1");
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did agent = KeyDids.of(agentKey.publicKey());
    private final DidResolver resolver;
    private final JoseOptions options = JoseOptions.strict(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(60)).acceptingVc11();

    VcJoseTest() {
        DidDocument doc = DidDocumentBuilder.forDid(org)
                .method(new VerificationMethod(kid, org, orgKey.publicKey(), VerificationMethod.JSON_WEB_KEY), Relationship.ASSERTION_METHOD)
                .method(new VerificationMethod(org.withFragment("auth"), org, authOnly.publicKey(), VerificationMethod.JSON_WEB_KEY),
                        Relationship.AUTHENTICATION)
                .build();
        DidResolver web = new DidResolver() {
            @Override
            public boolean supports(String method) {
                return method.equals("web");
            }

            @Override
            public ResolutionResult resolve(Did did) {
                if (!did.equals(org)) {
                    throw new ProblemException(ProblemType.NOT_FOUND, did.toString());
                }
                return new ResolutionResult(doc, ResolutionResult.Metadata.local(NOW));
            }
        };
        resolver = DidResolvers.of(web, new KeyDidResolver());
    }

    private ObjectNode credential() {
        AgentClaims claims = new AgentClaims(agent, "procurement-agent", org, "ACME", new AgentClaims.Operator("Ops", Optional.empty()),
                Set.of("supplier:lookup"), AgentClaims.Constraints.none(), AgentClaims.Delegation.none());
        return claims.credential(URI.create("urn:uuid:1"), Instant.parse("2026-11-22T10:00:00Z"), Instant.parse("2026-11-22T11:00:00Z"),
                List.of());
    }

    private String issue() {
        return VcJose.secureCredential(credential(), orgKey, kid, NOW);
    }

    private ProblemType fails(Runnable r) {
        return assertThrows(ProblemException.class, r::run).type();
    }

    @Test
    void agentCredentialVerifiesAndReadsBack() {
        VcJose.VerifiedCredential v = VcJose.verifyCredential(issue(), resolver, options);
        assertEquals(VcJose.Format.VC_JWT, v.format());
        assertEquals(kid, v.method().id());
        assertEquals(agent, AgentClaims.from(v.credential()).agent());
    }

    @Test
    void verifiedTokensAreReusedOnlyWhileTheKeyAndTheTimesHold() {
        VerifiedTokens tokens = VerifiedTokens.bounded(8);
        JoseOptions cached = options.withVerifiedTokens(tokens);
        String token = issue();
        VcJose.VerifiedCredential first = VcJose.verifyCredential(token, resolver, cached);
        assertSame(first, VcJose.verifyCredential(token, resolver, cached));
        assertEquals(1, tokens.size());
        // times are checked on every use
        JoseOptions later = JoseOptions.strict(Clock.fixed(Instant.parse("2026-11-22T11:02:00Z"), ZoneOffset.UTC), Duration.ofSeconds(60))
                .withVerifiedTokens(tokens).acceptingVc11();
        assertEquals(ProblemType.CREDENTIAL_EXPIRED, fails(() -> VcJose.verifyCredential(token, resolver, later)));
        // the key must still be the issuer's: after a rotation that drops it, the token is checked in full and fails
        KeyPair newKey = KeyPair.generate(KeyType.ED25519, RANDOM);
        DidDocument rotated = DidDocumentBuilder.forDid(org)
                .method(new VerificationMethod(kid, org, newKey.publicKey(), VerificationMethod.JSON_WEB_KEY), Relationship.ASSERTION_METHOD)
                .build();
        DidResolver afterRotation = DidResolvers.of(new DidResolver() {
            @Override
            public boolean supports(String method) {
                return method.equals("web");
            }

            @Override
            public ResolutionResult resolve(Did did) {
                return new ResolutionResult(rotated, ResolutionResult.Metadata.local(NOW));
            }
        }, new KeyDidResolver());
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, fails(() -> VcJose.verifyCredential(token, afterRotation, cached)));
        assertEquals(first.credential().json(), VcJose.verifyCredential(token, resolver, cached).credential().json());
        // failures are not kept
        String forged = CompactJws.sign(KeyPair.generate(KeyType.ED25519, RANDOM), JwsHeader.of(kid.toString(), "vc+jwt"),
                JsonCodec.write(credential()));
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, fails(() -> VcJose.verifyCredential(forged, resolver, cached)));
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, fails(() -> VcJose.verifyCredential(forged, resolver, cached)));
        assertEquals(1, tokens.size());
    }

    @Test
    void wrongKeyRoleTypAndTamperingFail() {
        String wrongRole = VcJose.secureCredential(credential(), authOnly, org.withFragment("auth"), NOW);
        assertEquals(ProblemType.INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD,
                fails(() -> VcJose.verifyCredential(wrongRole, resolver, options)));
        String forged = CompactJws.sign(KeyPair.generate(KeyType.ED25519, RANDOM), JwsHeader.of(kid.toString(), "vc+jwt"),
                JsonCodec.write(credential()));
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, fails(() -> VcJose.verifyCredential(forged, resolver, options)));
        String badTyp = CompactJws.sign(orgKey, JwsHeader.of(kid.toString(), "bad+typ"), JsonCodec.write(credential()));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, fails(() -> VcJose.verifyCredential(badTyp, resolver, options)));
        String token = issue();
        String[] parts = token.split("\\.");
        ObjectNode payload = JsonCodec.parseObject(Base64Url.decode(parts[1]));
        ((ObjectNode) payload.get("credentialSubject")).putArray("capabilities").add("treasury:transfer");
        String tampered = parts[0] + "." + Base64Url.encode(JsonCodec.write(payload)) + "." + parts[2];
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, fails(() -> VcJose.verifyCredential(tampered, resolver, options)));
        String noKid = CompactJws.sign(orgKey, new JwsHeader(Optional.empty(), Optional.of("vc+jwt"), Optional.empty()),
                JsonCodec.write(credential()));
        assertEquals(ProblemType.INVALID_VERIFICATION_METHOD_URL, fails(() -> VcJose.verifyCredential(noKid, resolver, options)));
    }

    @Test
    void vcAndVpClaimsInAVcJwtAreRefused() {
        ObjectNode withVp = credential();
        withVp.putObject("vp");
        String t = CompactJws.sign(orgKey, JsonHeaderFor.vc(kid), JsonCodec.write(withVp));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, fails(() -> VcJose.verifyCredential(t, resolver, options)));
        ObjectNode withVc = credential();
        withVc.putObject("vc");
        String t2 = CompactJws.sign(orgKey, JsonHeaderFor.vc(kid), JsonCodec.write(withVc));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, fails(() -> VcJose.verifyCredential(t2, resolver, options)));
    }

    @Test
    void jwtTimesAreCheckedStrictly() {
        JoseOptions later = JoseOptions.strict(Clock.fixed(Instant.parse("2026-11-22T11:02:00Z"), ZoneOffset.UTC), Duration.ofSeconds(60))
                .acceptingVc11();
        assertEquals(ProblemType.CREDENTIAL_EXPIRED, fails(() -> VcJose.verifyCredential(issue(), resolver, later)));
        for (String exp : new String[] {"1e300", "-1", "\"1800000000\"", "1800000000.5"}) {
            ObjectNode c = credential();
            c.set("exp", JsonCodec.parse(exp));
            String t = CompactJws.sign(orgKey, JsonHeaderFor.vc(kid), JsonCodec.write(c));
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, fails(() -> VcJose.verifyCredential(t, resolver, options)), exp);
        }
        ObjectNode notYet = credential();
        notYet.put("nbf", NOW.plusSeconds(3600).getEpochSecond());
        String t = CompactJws.sign(orgKey, JsonHeaderFor.vc(kid), JsonCodec.write(notYet));
        assertEquals(ProblemType.CREDENTIAL_NOT_YET_VALID, fails(() -> VcJose.verifyCredential(t, resolver, options)));
        ObjectNode outlives = credential();
        outlives.put("exp", Instant.parse("2026-11-23T00:00:00Z").getEpochSecond());
        String t3 = CompactJws.sign(orgKey, JsonHeaderFor.vc(kid), JsonCodec.write(outlives));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, fails(() -> VcJose.verifyCredential(t3, resolver, options)));
        ObjectNode early = credential();
        early.put("validFrom", NOW.minusSeconds(60).toString());
        early.put("nbf", NOW.minusSeconds(7200).getEpochSecond());
        String t5 = CompactJws.sign(orgKey, JsonHeaderFor.vc(kid), JsonCodec.write(early));
        ProblemException e5 = assertThrows(ProblemException.class, () -> VcJose.verifyCredential(t5, resolver, options));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e5.type());
        assertEquals(Optional.of("/nbf"), e5.problem().pointer());
        ObjectNode wrongIss = credential();
        wrongIss.put("iss", "did:web:evil.example");
        String t4 = CompactJws.sign(orgKey, JsonHeaderFor.vc(kid), JsonCodec.write(wrongIss));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, fails(() -> VcJose.verifyCredential(t4, resolver, options)));
    }

    @Test
    void issuerMustControlTheKid() {
        ObjectNode c = credential();
        c.put("issuer", agent.toString());
        String t = CompactJws.sign(orgKey, JsonHeaderFor.vc(kid), JsonCodec.write(c));
        assertEquals(ProblemType.INVALID_VERIFICATION_METHOD, fails(() -> VcJose.verifyCredential(t, resolver, options)));
    }

    private String present(List<String> vcs, String nonce, String aud) {
        return VcJose.securePresentation(VcJose.presentationOf(vcs), agentKey, KeyDids.methodId(agentKey.publicKey()), nonce, aud,
                "urn:uuid:p1", NOW, NOW.plusSeconds(120));
    }

    @Test
    void presentationBindsHolderNonceAndAudience() {
        String vp = present(List.of(issue(), issue()), "n-123", "https://verifier.example");
        VcJose.VerifiedPresentation v = VcJose.verifyPresentation(vp, resolver, options, "n-123", "https://verifier.example");
        assertEquals(agent, v.holder());
        assertEquals(2, v.credentials().size());
        assertEquals(Optional.of("urn:uuid:p1"), v.jti());
        assertEquals(ProblemType.INVALID_CHALLENGE_ERROR,
                fails(() -> VcJose.verifyPresentation(vp, resolver, options, "n-999", "https://verifier.example")));
        assertEquals(ProblemType.INVALID_DOMAIN_ERROR,
                fails(() -> VcJose.verifyPresentation(vp, resolver, options, "n-123", "https://other.example")));
        JoseOptions late = JoseOptions.strict(Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC), Duration.ofSeconds(60)).acceptingVc11();
        assertEquals(ProblemType.CREDENTIAL_EXPIRED,
                fails(() -> VcJose.verifyPresentation(vp, resolver, late, "n-123", "https://verifier.example")));
    }

    @Test
    void presentationWithAForgedCredentialOrForeignHolderFails() {
        String forged = CompactJws.sign(KeyPair.generate(KeyType.ED25519, RANDOM), JsonHeaderFor.vc(kid), JsonCodec.write(credential()));
        String vp = present(List.of(issue(), forged), "n", "aud");
        ProblemException e = assertThrows(ProblemException.class, () -> VcJose.verifyPresentation(vp, resolver, options, "n", "aud"));
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, e.type());
        assertEquals(Optional.of("/verifiableCredential/1"), e.problem().pointer());
        ObjectNode doc = VcJose.presentationOf(List.of(issue()));
        doc.put("holder", "did:web:someone.example");
        ObjectNode payload = doc.deepCopy();
        payload.put("nonce", "n").put("aud", "aud").put("exp", NOW.plusSeconds(60).getEpochSecond());
        String t = CompactJws.sign(agentKey, JwsHeader.of(KeyDids.methodId(agentKey.publicKey()).toString(), "vp+jwt"),
                JsonCodec.write(payload));
        assertEquals(ProblemType.HOLDER_MISMATCH, fails(() -> VcJose.verifyPresentation(t, resolver, options, "n", "aud")));
    }

    @Test
    void vc11JwtIsReadWhenAllowed() {
        ObjectNode vc = JsonCodec.objectNode();
        vc.putArray("@context").add("https://www.w3.org/2018/credentials/v1");
        vc.putArray("type").add("VerifiableCredential");
        vc.putObject("credentialSubject").put("name", "x");
        ObjectNode payload = JsonCodec.objectNode();
        payload.put("iss", org.toString()).put("sub", agent.toString()).put("jti", "urn:uuid:2")
                .put("nbf", NOW.minusSeconds(60).getEpochSecond()).put("exp", NOW.plusSeconds(3600).getEpochSecond());
        payload.set("vc", vc);
        String jwt = CompactJws.sign(orgKey, new JwsHeader(Optional.of(kid.toString()), Optional.of("JWT"), Optional.empty()),
                JsonCodec.write(payload));
        VcJose.VerifiedCredential v = VcJose.verifyCredential(jwt, resolver, options);
        assertEquals(VcJose.Format.VC11_JWT, v.format());
        assertEquals(Credential.Version.V1_1, v.credential().version());
        assertEquals(Optional.of(agent.toString()), v.credential().subjects().get(0).id());
        JoseOptions strict = JoseOptions.strict(options.clock(), options.skew());
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, fails(() -> VcJose.verifyCredential(jwt, resolver, strict)));
        // kept once verified where VC 1.1 is accepted, still refused where it is not
        VerifiedTokens tokens = VerifiedTokens.bounded(8);
        VcJose.verifyCredential(jwt, resolver, options.withVerifiedTokens(tokens));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, fails(() -> VcJose.verifyCredential(jwt, resolver,
                JoseOptions.strict(options.clock(), options.skew()).withVerifiedTokens(tokens))));
    }

    @Test
    void ctyWhenPresentMustNameThePayload() {
        String ok = CompactJws.sign(orgKey, JwsHeader.of(kid.toString(), "vc+jwt", "vc"), JsonCodec.write(credential()));
        assertEquals(VcJose.Format.VC_JWT, VcJose.verifyCredential(ok, resolver, options).format());
        String bad = CompactJws.sign(orgKey, JwsHeader.of(kid.toString(), "vc+jwt", "vp"), JsonCodec.write(credential()));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, fails(() -> VcJose.verifyCredential(bad, resolver, options)));
        ObjectNode payload = VcJose.presentationOf(List.of(issue()));
        payload.put("nonce", "n").put("aud", "aud").put("exp", NOW.plusSeconds(60).getEpochSecond());
        String holderKid = KeyDids.methodId(agentKey.publicKey()).toString();
        String badVp = CompactJws.sign(agentKey, JwsHeader.of(holderKid, "vp+jwt", "bad+cty"), JsonCodec.write(payload));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, fails(() -> VcJose.verifyPresentation(badVp, resolver, options, "n", "aud")));
        String vcTyp = CompactJws.sign(agentKey, JwsHeader.of(holderKid, "vc+jwt"), JsonCodec.write(payload));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, fails(() -> VcJose.verifyPresentation(vcTyp, resolver, options, "n", "aud")));
    }

    @Test
    void envelopedCredentialTamperedOrMislabelledFails() {
        String token = issue();
        String[] parts = token.split("\\.");
        ObjectNode inner = JsonCodec.parseObject(Base64Url.decode(parts[1]));
        ((ObjectNode) inner.get("credentialSubject")).put("id", "did:web:someone-else.example");
        String tampered = parts[0] + "." + Base64Url.encode(JsonCodec.write(inner)) + "." + parts[2];
        String vp = present(List.of(tampered), "n", "aud");
        ProblemException e = assertThrows(ProblemException.class, () -> VcJose.verifyPresentation(vp, resolver, options, "n", "aud"));
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, e.type());
        assertEquals(Optional.of("/verifiableCredential/0"), e.problem().pointer());

        ObjectNode doc = VcJose.presentationOf(List.of(token));
        ((ObjectNode) doc.get("verifiableCredential").get(0)).put("id", "data:application/vc+sd-jwt," + token);
        doc.put("nonce", "n").put("aud", "aud").put("exp", NOW.plusSeconds(60).getEpochSecond());
        String mislabelled = CompactJws.sign(agentKey, JwsHeader.of(KeyDids.methodId(agentKey.publicKey()).toString(), "vp+jwt"),
                JsonCodec.write(doc));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR,
                fails(() -> VcJose.verifyPresentation(mislabelled, resolver, options, "n", "aud")));

        String vpOk = present(List.of(token), "n", "aud");
        String[] vparts = vpOk.split("\\.");
        ObjectNode vpPayload = JsonCodec.parseObject(Base64Url.decode(vparts[1]));
        vpPayload.put("exp", NOW.plusSeconds(86_400).getEpochSecond());
        String vpTampered = vparts[0] + "." + Base64Url.encode(JsonCodec.write(vpPayload)) + "." + vparts[2];
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                fails(() -> VcJose.verifyPresentation(vpTampered, resolver, options, "n", "aud")));
    }

    /** Headers for hand-built tokens. */
    static final class JsonHeaderFor {
        static JwsHeader vc(DidUrl kid) {
            return JwsHeader.of(kid.toString(), "vc+jwt");
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
