package dev.tabard.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.VcJose;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's embedding example is this class's {@link #readmeExample_verifiesAPresentation_andNamesTheAgent()} body,
 * line for line: one test runs it on a real presentation, the other fails when the two drift apart.
 */
class ReadmeEmbeddingTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did issuerDid = KeyDids.of(orgKey.publicKey());
    private final String challenge = UUID.randomUUID().toString();
    private final String vpJwt = presentation();

    private String presentation() {
        AgentClaims claims = new AgentClaims(KeyDids.of(agentKey.publicKey()), "procurement-agent", issuerDid, "ACME Corp",
                new AgentClaims.Operator("Procurement team", Optional.empty()), Set.of("supplier:lookup"),
                new AgentClaims.Constraints(Optional.empty(), List.of(), "{}"), new AgentClaims.Delegation(false, 0));
        ObjectNode vc = claims.credential(URI.create("urn:uuid:" + UUID.randomUUID()), now.minusSeconds(60), now.plusSeconds(3600), List.of());
        String vcJwt = VcJose.secureCredential(vc, orgKey, KeyDids.methodId(orgKey.publicKey()), now);
        return VcJose.securePresentation(VcJose.presentationOf(List.of(vcJwt)), agentKey, KeyDids.methodId(agentKey.publicKey()),
                challenge, "https://rp.example", "urn:uuid:" + UUID.randomUUID(), now, now.plusSeconds(120));
    }

    @Test
    void readmeExample_verifiesAPresentation_andNamesTheAgent() {
        // README:embed-begin
        Verifier verifier = Verifier.builder()
                .trustPolicy(TrustPolicy.builder().trustIssuer(issuerDid).requireCapabilities("supplier:lookup").build())
                .fetchPolicy(FetchPolicy.defaults())
                .build();
        VerificationResult result = verifier.verifyPresentation(vpJwt, new PresentationOptions(challenge, "https://rp.example"));
        AgentIdentity agent = result.agent().orElseThrow(() -> new IllegalStateException("refused: " + result.errors()));
        // README:embed-end
        assertTrue(result.verified());
        assertEquals(KeyDids.of(agentKey.publicKey()), agent.agent());
        assertEquals("procurement-agent", agent.name());
    }

    @Test
    void readme_embeddingExample_isTheTestedCode() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/tabard/verifier/ReadmeEmbeddingTest.java"));
        Matcher tested = Pattern.compile("// README:embed-begin\\n(.*?)\\n\\s*// README:embed-end", Pattern.DOTALL).matcher(source);
        assertTrue(tested.find(), "markers in this test");
        String readme = Files.readString(Path.of("../README.md"));
        Matcher shown = Pattern.compile("<!-- embed-example: vc-verifier/src/test/java/dev/tabard/verifier/ReadmeEmbeddingTest.java -->\\n"
                + "```java\\n(.*?)\\n```", Pattern.DOTALL).matcher(readme);
        assertTrue(shown.find(), "the README marks its embedding example");
        assertEquals(normalize(tested.group(1)), normalize(shown.group(1)),
                "the README's embedding example and ReadmeEmbeddingTest differ: change both together");
    }

    /** The same lines, whatever the indentation. */
    private static String normalize(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
