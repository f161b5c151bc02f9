package dev.tabard.issuer.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.CredentialIssuer;
import dev.tabard.issuer.IssuanceFormat;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.Issuers;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.issuer.store.SqliteIssuerStore;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.ManualClock;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.status.StatusPurpose;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Status lists over a real SQLite store, signed with real keys, at two instances sharing it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatusListsTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private IssuerConfig config() {
        return new IssuerConfig(dir, URI.create("https://issuer.acme.example"), "web", "ACME", "status secret".toCharArray(),
                Duration.ofHours(1), Optional.empty(), 8443);
    }

    private static CredentialIssuer.Issued issue(IssuerService service) {
        Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, RANDOM).publicKey());
        service.agents().put(new Agent(agent, "buyer", new AgentClaims.Operator("ops", Optional.empty()), Set.of("orders:read"),
                new AgentClaims.Constraints(Optional.empty(), List.of(), "{}"), new AgentClaims.Delegation(false, 0), true,
                Instant.now(), Instant.now()), "test");
        return service.issuer().issue(agent, IssuanceFormat.VC_JWT, "test");
    }

    @Test
    void published_atTwoInstancesAtDifferentMoments_sameTagDifferentSignatures() {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
        try (SqliteIssuerStore store = SqliteIssuerStore.open(dir.resolve("issuer.db"), clock, RANDOM)) {
            IssuerService a = Issuers.open(store, config(), clock, RANDOM);
            IssuerService b = Issuers.open(store, config(), clock, RANDOM);
            int list = issue(a).record().revocationList();
            StatusLists.Published fromA = a.statusLists().published(list, StatusLists.Format.VC_JWT).orElseThrow();
            clock.advance(Duration.ofSeconds(7));
            StatusLists.Published fromB = b.statusLists().published(list, StatusLists.Format.VC_JWT).orElseThrow();
            assertNotEquals(fromA.body(), fromB.body(), "signed at another moment");
            assertEquals(fromA.etag(), fromB.etag(), "one list, one tag, whichever instance signed it");
            assertEquals(StatusLists.VALIDITY.dividedBy(2), fromB.maxAge(clock.instant()));
            assertEquals(Duration.ZERO, fromB.maxAge(fromB.validUntil().plusSeconds(1)));
            assertEquals(Duration.ofSeconds(10), fromB.maxAge(fromB.validUntil().minusSeconds(10)));
        }
    }

    @Test
    void published_afterARotation_isSignedAgainWithTheNewKeyUnderTheSameTag() {
        try (SqliteIssuerStore store = SqliteIssuerStore.open(dir.resolve("issuer.db"), java.time.Clock.systemUTC(), RANDOM)) {
            IssuerService a = Issuers.open(store, config(), java.time.Clock.systemUTC(), RANDOM);
            int list = issue(a).record().revocationList();
            StatusLists.Published before = a.statusLists().published(list, StatusLists.Format.VC_JWT).orElseThrow();
            OrgKey next = a.orgKeys().add(KeyType.ED25519, "test");
            a.orgKeys().activate(next.id(), "test");
            StatusLists.Published after = a.statusLists().published(list, StatusLists.Format.VC_JWT).orElseThrow();
            assertTrue(CompactJws.parse(after.body()).kid().orElseThrow().endsWith("#" + next.id()));
            assertEquals(before.etag(), after.etag());
        }
    }

    @Test
    void set_changesActiveAndTheTag_andRefusesWhatIsNotAllowed() {
        try (SqliteIssuerStore store = SqliteIssuerStore.open(dir.resolve("issuer.db"), java.time.Clock.systemUTC(), RANDOM)) {
            IssuerService a = Issuers.open(store, config(), java.time.Clock.systemUTC(), RANDOM);
            CredentialIssuer.Issued vc = issue(a);
            String id = vc.record().id();
            int list = vc.record().suspensionList();
            String before = a.statusLists().published(list, StatusLists.Format.DATA_INTEGRITY).orElseThrow().etag();
            assertTrue(a.statusLists().active(id));
            a.statusLists().set(id, StatusPurpose.SUSPENSION, true, "test");
            assertTrue(!a.statusLists().active(id));
            assertNotEquals(before, a.statusLists().published(list, StatusLists.Format.DATA_INTEGRITY).orElseThrow().etag());
            a.statusLists().set(id, StatusPurpose.SUSPENSION, false, "test");
            assertTrue(a.statusLists().active(id));
            assertProblem(ProblemType.FORBIDDEN, () -> a.statusLists().set(id, StatusPurpose.REVOCATION, false, "test"));
            assertTrue(a.statusLists().published(99_999, StatusLists.Format.VC_JWT).isEmpty());
        }
    }

    private static void assertProblem(ProblemType type, Executable call) {
        ProblemException e = org.junit.jupiter.api.Assertions.assertThrows(ProblemException.class, call);
        assertEquals(type, e.type());
    }
}
