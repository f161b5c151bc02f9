package dev.tabard.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocument;
import dev.tabard.did.DidDocumentBuilder;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.did.ResolutionResult;
import dev.tabard.did.VerificationMethod;
import dev.tabard.did.key.KeyDids;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemJson;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.LogCapture;
import dev.tabard.vc.jose.VcJose;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fault inside verification (not the input's) is an INTERNAL_ERROR naming the incident whose trace was logged. */
class VerifierIncidentTest {

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, new SecureRandom());
    private final Did org = Did.parse("did:web:org.example");
    private final DidUrl kid = org.withFragment("key-1");

    /** An embedder's resolver that reads DID documents from a directory, one file per DID, as a real one might. */
    private record DirectoryResolver(Path dir, Clock clock) implements DidResolver {
        @Override
        public boolean supports(String method) {
            return method.equals("web");
        }

        @Override
        public ResolutionResult resolve(Did did) {
            try {
                byte[] json = Files.readAllBytes(dir.resolve(did.methodSpecificId() + ".json"));
                return new ResolutionResult(DidDocument.parse(json, did), ResolutionResult.Metadata.local(clock.instant()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private String credential() {
        ObjectNode vc = JsonCodec.objectNode();
        vc.putArray("@context").add("https://www.w3.org/ns/credentials/v2");
        vc.putArray("type").add("VerifiableCredential");
        vc.put("issuer", org.toString());
        vc.put("validFrom", now.minusSeconds(60).toString());
        vc.putObject("credentialSubject").put("id", KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey()).toString());
        return VcJose.secureCredential(vc, orgKey, kid, now);
    }

    @Test
    void verifyCredential_resolverFailsOnAFileTurnedIntoADirectory_internalErrorWithTheLoggedIncident(@TempDir Path dir) throws IOException {
        Path document = dir.resolve(org.methodSpecificId() + ".json");
        Files.write(document, DidDocumentBuilder.forDid(org)
                .method(new VerificationMethod(kid, org, orgKey.publicKey(), VerificationMethod.JSON_WEB_KEY), Relationship.ASSERTION_METHOD)
                .toJson());
        DidResolver resolver = new DirectoryResolver(dir, clock);
        Verifier verifier = Verifier.builder().resolver(resolver).clock(clock).trustPolicy(TrustPolicy.builder().trustIssuer(org).build())
                .build();
        String vc = credential();
        VerificationResult ok = verifier.verifyCredential(vc);
        assertTrue(ok.verified(), ok.errors().toString());

        Files.delete(document);
        Files.createDirectory(document);
        VerificationResult failed;
        Optional<String> logged;
        String log;
        try (LogCapture capture = new LogCapture()) {
            failed = verifier.verifyCredential(vc);
            logged = capture.incident();
            log = capture.text();
        }
        assertFalse(failed.verified());
        Problem p = failed.errors().get(0);
        assertEquals(ProblemType.INTERNAL_ERROR, p.type());
        assertTrue(p.incident().isPresent(), p.toString());
        assertEquals(p.incident(), logged, log);
        assertTrue(log.contains("UncheckedIOException"), "the log holds the trace: " + log);
        String body = ProblemJson.of(failed.errors(), null).toString();
        assertEquals(p.incident().get(), ProblemJson.of(failed.errors(), null).get("incident").asText());
        assertFalse(body.contains("Is a directory") || body.contains(dir.toString()), body);
    }
}
