package dev.tabard.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.Presentations;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.sdjwt.vc.AgentSdJwtVc;
import dev.tabard.sdjwt.vc.SdJwtVcIssuer;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.Bitstring;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The inputs every benchmark uses, made from fixed keys so that Java and the Node peers measure the same
 * tokens: an org with a did:web resolved from memory (as a cached resolution would be), an agent with a
 * did:key, its AgentCredential as vc+jwt, as eddsa-rdfc-2022 and as a key-bound SD-JWT VC presentation,
 * presentations with one and three enveloped credentials, and a 131,072-entry status list.
 */
public final class Fixtures {

    public static final Instant NOW = Instant.parse("2026-11-22T10:05:00Z");
    public static final String NONCE = "n-0123456789";
    public static final String AUDIENCE = "https://verifier.example";

    public final KeyPair orgKey = KeyPair.fromPrivateKey(KeyType.ED25519,
            HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    public final KeyPair agentKey = KeyPair.fromPrivateKey(KeyType.ED25519,
            HexFormat.of().parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
    public final Did org = Did.parse("did:web:acme.example");
    public final DidUrl orgKid = org.withFragment("key-1");
    public final Did agent = KeyDids.of(agentKey.publicKey());
    public final DidResolver resolver;
    public final ObjectNode credential;
    public final String vcJwt;
    public final String vpJwt1;
    public final String vpJwt3;
    public final ObjectNode diCredential;
    public final String encodedList;
    /**
     * The AgentCredential as an SD-JWT VC from the org's did:web key to the agent's key ({@code cnf}), presented with two
     * of its three disclosable claims and a key-binding JWT for {@link #AUDIENCE} and {@link #NONCE}.
     */
    public final String sdJwtPresentation;

    public Fixtures() {
        DidDocument doc = DidDocumentBuilder.forDid(org)
                .method(new VerificationMethod(orgKid, org, orgKey.publicKey(), VerificationMethod.JSON_WEB_KEY),
                        Relationship.ASSERTION_METHOD)
                .build();
        DidResolver web = new DidResolver() {
            @Override
            public boolean supports(String method) {
                return method.equals("web");
            }

            @Override
            public ResolutionResult resolve(Did did) {
                return new ResolutionResult(doc, ResolutionResult.Metadata.local(NOW));
            }
        };
        resolver = DidResolvers.of(web, new KeyDidResolver());
        AgentClaims claims = new AgentClaims(agent, "procurement-agent", org, "ACME Corp",
                new AgentClaims.Operator("Procurement team", Optional.of("procurement@acme.example")),
                Set.of("purchase-order:negotiate", "supplier:lookup"),
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("5000", "EUR")), List.of("EU"), "{}"),
                new AgentClaims.Delegation(true, 1));
        credential = claims.credential(URI.create("urn:uuid:6a9c1e52-8d55-4b54-a6a4-0f8d5a3a1a10"),
                Instant.parse("2026-11-22T10:00:00Z"), Instant.parse("2026-11-22T11:00:00Z"),
                List.of(AgentClaims.statusEntry(URI.create("https://acme.example/status/1"), "revocation", 94567),
                        AgentClaims.statusEntry(URI.create("https://acme.example/status/2"), "suspension", 23452)));
        vcJwt = VcJose.secureCredential(credential, orgKey, orgKid, NOW);
        vpJwt1 = presentation(1);
        vpJwt3 = presentation(3);
        ObjectNode diDoc = credential.deepCopy();
        diDoc.put("issuer", KeyDids.of(orgKey.publicKey()).toString());
        ((ObjectNode) diDoc.get("credentialSubject").get("memberOf")).put("id", KeyDids.of(orgKey.publicKey()).toString());
        diCredential = DataIntegrity.sign(diDoc, orgKey, ProofOptions.assertion("eddsa-rdfc-2022",
                KeyDids.methodId(orgKey.publicKey()), NOW), BundledContexts.standard());
        Bitstring list = Bitstring.create(Bitstring.MIN_ENTRIES, 1);
        for (int i = 0; i < 200; i++) {
            list = list.with((i * 7919L) % Bitstring.MIN_ENTRIES, 1);
        }
        encodedList = list.encode();
        SdJwt issued = SdJwtVcIssuer.builder(orgKey).kid(orgKid.toString()).issuer(org.toString()).vct(AgentSdJwtVc.VCT)
                .claims(AgentSdJwtVc.claims(claims)).disclosable(AgentSdJwtVc.PRIVATE_BY_DEFAULT)
                .disclosable(ClaimPath.of("constraints", "maxTransactionValue"), ClaimPath.of("constraints", "dataRegions"))
                .holderKey(agentKey.publicKey()).issuedAt(NOW.minusSeconds(60)).expiresAt(NOW.plus(Duration.ofDays(30))).decoys(2)
                .issue();
        sdJwtPresentation = KeyBinding.sign(agentKey, Presentations.select(issued, List.of(ClaimPath.of("operator", "email"),
                ClaimPath.of("constraints", "maxTransactionValue"))), AUDIENCE, NONCE, NOW).serialize();
    }

    private String presentation(int credentials) {
        List<String> vcs = new ArrayList<>();
        for (int i = 0; i < credentials; i++) {
            vcs.add(vcJwt);
        }
        return VcJose.securePresentation(VcJose.presentationOf(vcs), agentKey, KeyDids.methodId(agentKey.publicKey()), NONCE,
                AUDIENCE, "urn:uuid:p-" + credentials, NOW, NOW.plusSeconds(300));
    }

    /** Writes the inputs for the Node peers: {@code java -cp benchmarks.jar dev.tabard.benchmarks.Fixtures DIR}. */
    public static void main(String[] args) throws IOException {
        Fixtures f = new Fixtures();
        Path dir = Path.of(args.length > 0 ? args[0] : "target/fixtures");
        Files.createDirectories(dir);
        ObjectNode out = JsonCodec.objectNode();
        out.put("now", NOW.getEpochSecond());
        out.put("nonce", NONCE);
        out.put("audience", AUDIENCE);
        out.put("vcJwt", f.vcJwt);
        out.put("vpJwt1", f.vpJwt1);
        out.put("vpJwt3", f.vpJwt3);
        ObjectNode orgJwk = out.putObject("orgJwk");
        f.orgKey.publicKey().toJwk().forEach(orgJwk::put);
        ObjectNode agentJwk = out.putObject("agentJwk");
        f.agentKey.publicKey().toJwk().forEach(agentJwk::put);
        out.put("orgMultikey", f.orgKey.publicKey().toMultibase());
        out.set("diCredential", f.diCredential);
        out.put("sdJwtPresentation", f.sdJwtPresentation);
        Files.write(dir.resolve("fixtures.json"), JsonCodec.prettyWriter().writeValueAsBytes(out));
        System.out.println("wrote " + dir.resolve("fixtures.json"));
    }

    /** BouncyCastle's own Ed25519 verification of a 32-byte key and a message: the baseline every ratio is taken against. */
    static void bouncyCastleVerify(byte[] publicKey, byte[] message, byte[] signature) {
        if (!Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length)) {
            throw new IllegalStateException("raw verification failed");
        }
    }
}
