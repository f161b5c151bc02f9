package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.did.Did;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.TrustPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFilesTest {

    @TempDir
    Path dir;

    @Test
    void read_yamlPolicy_readsTheSameMembersAsJson() throws Exception {
        Path yaml = dir.resolve("policy.yaml");
        Files.writeString(yaml, "trustedWebDomains: [localhost]\nrequiredCapabilities:\n  - supplier:lookup\nmaxClockSkew: PT30S\n");
        TrustPolicy p = PolicyFiles.read(yaml);
        assertTrue(p.trusts(Did.parse("did:web:localhost%3A8443")));
        assertEquals(Set.of("supplier:lookup"), p.requiredCapabilities());
        assertEquals(Duration.ofSeconds(30), p.maxClockSkew());
    }

    @Test
    void read_misspeltMemberOrAliasBomb_throwsMalformedValue() throws Exception {
        Path yaml = dir.resolve("policy.yml");
        Files.writeString(yaml, "trustedIsuers: []\n");
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, assertThrows(ProblemException.class, () -> PolicyFiles.read(yaml)).type());
        Files.writeString(yaml, "a: &a [x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n");
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, assertThrows(ProblemException.class, () -> PolicyFiles.read(yaml)).type());
    }

    @Test
    void read_oversizeFile_throwsInputTooLarge() throws Exception {
        Path json = dir.resolve("policy.json");
        Files.writeString(json, " ".repeat(PolicyFiles.MAX_POLICY_FILE_BYTES + 1));
        assertEquals(ProblemType.INPUT_TOO_LARGE, assertThrows(ProblemException.class, () -> PolicyFiles.read(json)).type());
    }
}
