package dev.tabard.vectors.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDids;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.DelegationClaims;
import dev.tabard.vc.ParentReference;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.vc.status.StatusPurpose;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Tabard issues, for independent verifiers ({@code test-vectors/interop/verify.mjs}): an AgentCredential as vc+jwt
 * and as eddsa-rdfc-2022, a VC 1.1 credential with eddsa-rdfc-2022 (what {@code /credentials/issue} makes of VC 1.1
 * input; Tabard emits no VC 1.1 JWT), presentations as vp+jwt and as eddsa-rdfc-2022 bound to a challenge and domain,
 * a revocation list as vc+jwt (the form the issuer serves) and as eddsa-rdfc-2022, a credential whose bit in it is set,
 * a DelegationCredential the agent signed (vc+jwt and eddsa-rdfc-2022), and a tampered copy of each signed artifact. Keys are fixed and Ed25519 signing is deterministic, so the output is
 * the same on every run. {@code TabardIssuedTest} checks that the committed file still verifies in Tabard.
 *
 * <p>Usage: {@code java dev.tabard.vectors.interop.TabardIssued OUT.json...} (the {@code interop} Maven profile runs it).
 */
public final class TabardIssued {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    /** When the Node and Java checks run: within every validity period below. */
    static final Instant VERIFY_AT = Instant.parse("2026-11-22T10:01:00Z");
    static final String CHALLENGE = "c-7d4e91a2";
    static final String DOMAIN = "https://verifier.example";
    static final URI STATUS_LIST = URI.create("https://issuer.tabard.example/status/1");
    static final List<Long> SET_BITS = List.of(3L, 1000L, 94_567L);
    static final long ACTIVE_INDEX = 5;
    static final long REVOKED_INDEX = 1000;

    private static final String EDDSA_RDFC_2022 = "eddsa-rdfc-2022";

    private final KeyPair issuerKey = KeyPair.fromPrivateKey(KeyType.ED25519,
            HexFormat.of().parseHex("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"));
    private final KeyPair agentKey = KeyPair.fromPrivateKey(KeyType.ED25519,
            HexFormat.of().parseHex("833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42"));
    private final KeyPair delegateKey = KeyPair.fromPrivateKey(KeyType.ED25519,
            HexFormat.of().parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
    private final Did issuer = KeyDids.of(issuerKey.publicKey());
    private final Did agent = KeyDids.of(agentKey.publicKey());
    private final DidUrl issuerKid = KeyDids.methodId(issuerKey.publicKey());
    private final DidUrl agentKid = KeyDids.methodId(agentKey.publicKey());

    /** The vectors file: {@code issuer}, {@code agent}, the bindings and status list facts, {@code valid} and {@code tampered}. */
    ObjectNode vectors() {
        ObjectNode valid = JsonCodec.objectNode();
        ObjectNode tampered = JsonCodec.objectNode();

        ObjectNode credential = agentCredential(URI.create("urn:uuid:5f0e7c1a-3b52-4d0a-9d7e-2b6f8a4c9e01"), ACTIVE_INDEX);
        String vcJwt = VcJose.secureCredential(credential, issuerKey, issuerKid, NOW);
        valid.put("vcJwt", vcJwt);
        tampered.put("vcJwt", tamperJwt(vcJwt, p -> capabilities(p).add("treasury:transfer")));

        ObjectNode di = assertion(credential);
        valid.set("diCredential", di);
        ObjectNode diTampered = di.deepCopy();
        capabilities(diTampered).add("treasury:transfer");
        tampered.set("diCredential", diTampered);

        ObjectNode vc11 = vc11Credential();
        valid.set("vc11DiCredential", vc11);
        ObjectNode vc11Tampered = vc11.deepCopy();
        capabilities(vc11Tampered).add("treasury:transfer");
        tampered.set("vc11DiCredential", vc11Tampered);

        String vpJwt = VcJose.securePresentation(VcJose.presentationOf(List.of(vcJwt)), agentKey, agentKid, CHALLENGE, DOMAIN,
                "urn:uuid:5f0e7c1a-3b52-4d0a-9d7e-2b6f8a4c9e02", NOW, NOW.plusSeconds(300));
        valid.put("vpJwt", vpJwt);
        tampered.put("vpJwt", tamperJwt(vpJwt, p -> p.put("aud", "https://attacker.example")));

        ObjectNode vp = JsonCodec.objectNode();
        vp.putArray("@context").add(BundledContexts.CREDENTIALS_V2);
        vp.put("id", "urn:uuid:5f0e7c1a-3b52-4d0a-9d7e-2b6f8a4c9e03");
        vp.putArray("type").add("VerifiablePresentation");
        vp.put("holder", agent.toString());
        vp.putArray("verifiableCredential").add(di);
        ObjectNode diVp = DataIntegrity.sign(vp, agentKey, ProofOptions.authentication(EDDSA_RDFC_2022, agentKid, NOW,
                NOW.plusSeconds(300), CHALLENGE, DOMAIN), BundledContexts.standard());
        valid.set("diPresentation", diVp);
        ObjectNode diVpTampered = diVp.deepCopy();
        capabilities((ObjectNode) diVpTampered.get("verifiableCredential").get(0)).add("treasury:transfer");
        tampered.set("diPresentation", diVpTampered);

        Bitstring bits = Bitstring.create(Bitstring.MIN_ENTRIES, 1);
        for (long i : SET_BITS) {
            bits = bits.with(i, 1);
        }
        // ten years, unlike the issuer's day-long lists: vc-bitstring-status-list checks a list's validity against the
        // real clock (it passes no date to vc.verifyCredential), and these vectors are committed
        ObjectNode list = StatusListCredentials.credential(STATUS_LIST, issuer.toString(), StatusPurpose.REVOCATION, bits, NOW,
                NOW.plusSeconds(3650L * 24 * 3600));
        ObjectNode cleared = list.deepCopy();
        ((ObjectNode) cleared.get("credentialSubject")).put("encodedList", Bitstring.create(Bitstring.MIN_ENTRIES, 1).encode());
        String listJwt = VcJose.secureCredential(list, issuerKey, issuerKid, NOW);
        valid.put("statusListJwt", listJwt);
        tampered.put("statusListJwt", tamperJwt(listJwt, p -> p.set("credentialSubject", cleared.get("credentialSubject"))));
        ObjectNode listDi = assertion(list);
        valid.set("statusListDi", listDi);
        ObjectNode listDiTampered = listDi.deepCopy();
        listDiTampered.set("credentialSubject", cleared.get("credentialSubject").deepCopy());
        tampered.set("statusListDi", listDiTampered);

        // a delegation link, signed by the agent, handing a narrower authority to a sub-agent: an ordinary credential to
        // independent verifiers; its parent reference is the digest of the vc+jwt above, which verify.mjs recomputes
        ObjectNode link = delegation(URI.create("urn:uuid:5f0e7c1a-3b52-4d0a-9d7e-2b6f8a4c9e06"),
                ParentReference.ofToken(URI.create("urn:uuid:5f0e7c1a-3b52-4d0a-9d7e-2b6f8a4c9e01"), vcJwt));
        String delegationJwt = VcJose.secureCredential(link, agentKey, agentKid, NOW);
        valid.put("delegationJwt", delegationJwt);
        tampered.put("delegationJwt", tamperJwt(delegationJwt, p -> capabilities(p).add("treasury:transfer")));
        ObjectNode diLink = DataIntegrity.sign(delegation(URI.create("urn:uuid:5f0e7c1a-3b52-4d0a-9d7e-2b6f8a4c9e07"),
                ParentReference.ofDocument(URI.create("urn:uuid:5f0e7c1a-3b52-4d0a-9d7e-2b6f8a4c9e01"), di)), agentKey,
                ProofOptions.assertion(EDDSA_RDFC_2022, agentKid, NOW), BundledContexts.standard());
        valid.set("delegationDi", diLink);
        ObjectNode diLinkTampered = diLink.deepCopy();
        capabilities(diLinkTampered).add("treasury:transfer");
        tampered.set("delegationDi", diLinkTampered);

        valid.set("revokedCredential", assertion(agentCredential(URI.create("urn:uuid:5f0e7c1a-3b52-4d0a-9d7e-2b6f8a4c9e04"),
                REVOKED_INDEX)));

        ObjectNode out = JsonCodec.objectNode();
        out.put("generatedBy", TabardIssued.class.getName());
        out.put("issuer", issuer.toString());
        out.put("agent", agent.toString());
        out.put("delegate", KeyDids.of(delegateKey.publicKey()).toString());
        out.put("verifyAt", VERIFY_AT.toString());
        out.put("challenge", CHALLENGE);
        out.put("domain", DOMAIN);
        out.put("statusListUrl", STATUS_LIST.toString());
        ArrayNode set = out.putArray("setBits");
        SET_BITS.forEach(set::add);
        out.put("activeIndex", ACTIVE_INDEX);
        out.put("revokedIndex", REVOKED_INDEX);
        out.set("valid", valid);
        out.set("tampered", tampered);
        return out;
    }

    private ObjectNode agentCredential(URI id, long revocationIndex) {
        AgentClaims claims = new AgentClaims(agent, "procurement-agent", issuer, "ACME Corp",
                new AgentClaims.Operator("Procurement team", Optional.of("procurement@acme.example")),
                Set.of("purchase-order:negotiate", "supplier:lookup"),
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("5000", "EUR")), List.of("EU"), "{}"),
                new AgentClaims.Delegation(true, 1));
        return claims.credential(id, NOW, NOW.plusSeconds(365L * 24 * 3600),
                List.of(AgentClaims.statusEntry(STATUS_LIST, StatusPurpose.REVOCATION.value(), revocationIndex)));
    }

    /** A short-lived link from the agent to the delegate: one capability, a lower limit, no further delegation. */
    private ObjectNode delegation(URI id, ParentReference parent) {
        return new DelegationClaims(id, agent, KeyDids.of(delegateKey.publicKey()), Set.of("supplier:lookup"),
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("250", "EUR")), List.of("EU"), "{}"),
                AgentClaims.Delegation.none(), Optional.of("find a paper supplier"), parent, NOW, NOW.plusSeconds(600))
                .credential(List.of());
    }

    /** As the issuer's VC-API does for VC 1.1 input: the Data Integrity context added, eddsa-rdfc-2022. */
    private ObjectNode vc11Credential() {
        ObjectNode vc = JsonCodec.objectNode();
        vc.putArray("@context").add(BundledContexts.CREDENTIALS_V1).add(AgentClaims.CONTEXT).add(BundledContexts.DATA_INTEGRITY_V2);
        vc.put("id", "urn:uuid:5f0e7c1a-3b52-4d0a-9d7e-2b6f8a4c9e05");
        vc.putArray("type").add("VerifiableCredential");
        vc.put("issuer", issuer.toString());
        vc.put("issuanceDate", NOW.toString());
        ObjectNode subject = vc.putObject("credentialSubject").put("id", agent.toString()).put("type", AgentClaims.SUBJECT_TYPE);
        subject.putArray("capabilities").add("supplier:lookup");
        return assertion(vc);
    }

    private ObjectNode assertion(ObjectNode unsecured) {
        return DataIntegrity.sign(unsecured, issuerKey, ProofOptions.assertion(EDDSA_RDFC_2022, issuerKid, NOW),
                BundledContexts.standard());
    }

    private static ArrayNode capabilities(ObjectNode credential) {
        return (ArrayNode) credential.get("credentialSubject").get("capabilities");
    }

    /** The same header and signature over an altered payload. */
    private static String tamperJwt(String token, java.util.function.Consumer<ObjectNode> change) {
        String[] parts = token.split("\\.");
        ObjectNode payload = JsonCodec.parseObject(Base64Url.decode(parts[1]));
        change.accept(payload);
        return parts[0] + "." + Base64Url.encode(JsonCodec.write(payload)) + "." + parts[2];
    }

    static byte[] json(JsonNode vectors) throws IOException {
        byte[] pretty = JsonCodec.prettyWriter().writeValueAsBytes(vectors);
        return (new String(pretty, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: TabardIssued OUT.json...");
        }
        byte[] out = json(new TabardIssued().vectors());
        for (String a : args) {
            Path file = Path.of(a);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, out);
            System.out.println("wrote " + file);
        }
    }
}
