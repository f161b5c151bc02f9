package dev.tabard.issuer.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.IssuanceFormat;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.Issuers;
import dev.tabard.issuer.SdJwtCredentials;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.issuer.store.IssuedCredential;
import dev.tabard.issuer.store.SqliteIssuerStore;
import dev.tabard.sdjwt.status.StatusList;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Token Status List an instance keeps signed follows every change to the statuses it shows, whichever instance made
 * it, and is not signed again for changes that do not touch them: two issuer instances on one real SQLite store, real
 * Ed25519 signatures, a clock the test moves so that a new signature would show in {@code iat}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TokenStatusListsCacheTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    private SqliteIssuerStore store;
    private IssuerService a;
    private IssuerService b;

    @BeforeEach
    void open() {
        store = SqliteIssuerStore.open(dir.resolve("issuer.db"), clock, RANDOM);
        IssuerConfig config = new IssuerConfig(dir, URI.create("https://issuer.acme.example"), "web", "ACME", "status secret".toCharArray(),
                Duration.ofHours(1), Optional.empty(), 8443);
        a = Issuers.open(store, config, clock, RANDOM);
        b = Issuers.open(store, config, clock, RANDOM);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Did agent(IssuerService service) {
        Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, RANDOM).publicKey());
        service.agents().put(new Agent(agent, "buyer", new AgentClaims.Operator("ops", Optional.empty()), Set.of("orders:read"),
                new AgentClaims.Constraints(Optional.empty(), List.of(), "{}"), new AgentClaims.Delegation(false, 0), true,
                clock.instant(), clock.instant()), "test");
        return agent;
    }

    private IssuedCredential sdJwt(IssuerService service) {
        SdJwtCredentials.Issued issued = service.sdJwt().issue(agent(service), "test");
        return issued.record();
    }

    private String published(IssuerService service, int list) {
        clock.advance(Duration.ofSeconds(5));
        return service.sdJwt().statusLists().published(list).orElseThrow().body();
    }

    private static int status(String token, IssuedCredential c) {
        JsonNode lst = CompactJws.parse(token).payloadJson().path("status_list");
        return StatusList.decode(lst.path("bits").asInt(), lst.path("lst").asText()).get(c.revocationIndex());
    }

    @Test
    void published_followsChangesMadeAtTheOtherInstance_andIsNotSignedAgainWithoutOne() {
        IssuedCredential first = sdJwt(a);
        int list = first.revocationList();
        String before = published(a, list);
        assertEquals(0, status(before, first));
        assertEquals(before, published(a, list), "nothing changed: the same token, though the clock moved");

        IssuedCredential second = sdJwt(b);
        assertEquals(list, second.revocationList(), "the newest list with room");
        assertEquals(0, status(published(a, list), second));
        b.statusLists().set(second.id(), StatusPurpose.SUSPENSION, true, "test");
        String suspended = published(a, list);
        assertEquals(2, status(suspended, second), "suspended at the other instance: only its suspension list changed");
        assertEquals(0, status(suspended, first));

        b.statusLists().set(first.id(), StatusPurpose.REVOCATION, true, "test");
        String revoked = published(a, list);
        assertEquals(1, status(revoked, first));
        assertEquals(2, status(revoked, second));

        b.statusLists().set(second.id(), StatusPurpose.SUSPENSION, false, "test");
        String reinstated = published(a, list);
        assertEquals(0, status(reinstated, second));
        assertEquals(1, status(reinstated, first));
        assertEquals(reinstated, published(a, list));
        assertEquals(4, Set.of(before, suspended, revoked, reinstated).size());
    }

    @Test
    void published_afterAVcJwtOnTheSameListIsIssuedAndSuspended_sameToken() {
        IssuedCredential sd = sdJwt(a);
        String before = published(a, sd.revocationList());
        var vc = b.issuer().issue(agent(b), IssuanceFormat.VC_JWT, "test").record();
        assertEquals(sd.revocationList(), vc.revocationList());
        b.statusLists().set(vc.id(), StatusPurpose.SUSPENSION, true, "test");
        assertEquals(before, published(a, sd.revocationList()), "a vc+jwt's status is not in the Token Status List");
    }

    @Test
    void published_afterRotationOrHalfItsValidity_signedAgain() {
        IssuedCredential sd = sdJwt(a);
        int list = sd.revocationList();
        String before = published(a, list);
        clock.advance(StatusLists.VALIDITY.dividedBy(2));
        String later = published(a, list);
        assertNotEquals(before, later, "half its validity passed");
        assertEquals(later, published(a, list));

        OrgKey next = a.orgKeys().add(KeyType.ED25519, "test");
        a.orgKeys().activate(next.id(), "test");
        String rotated = published(a, list);
        assertTrue(CompactJws.parse(rotated).kid().orElseThrow().endsWith("#" + next.id()), rotated);
        assertEquals(0, status(rotated, sd));
    }
}
