package dev.tabard.vectors.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.issuer.status.StatusLists;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.ManualClock;
import dev.tabard.vectors.status.CountingHttpsProxy.Exchange;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Status-list caching between a real issuer and a real verifier, end to end. The issuer (did:web on localhost, HTTPS
 * with a certificate made for the test) serves its lists with a strong {@code ETag}, {@code Cache-Control: public,
 * max-age} of at most half the list's validity ({@link StatusLists#VALIDITY}) and {@code 304} on a matching
 * {@code If-None-Match}; the verifier keeps each list as long as that allows, refreshes it in the background in the
 * last fifth of its freshness, and revalidates it when it expires. Both read one clock that the test moves, and a
 * counting proxy in front of the issuer (its public URL) records what crossed the wire: a list whose bits did not
 * change comes back as a bodiless {@code 304} and verifications go on succeeding; once a credential is revoked, the
 * list's entity tag changes, and the verifier sees the revocation as soon as the {@code max-age} it was given has
 * passed, in a full body.
 */
@Timeout(60)
class StatusListCachingEndToEndTest {

    private static final String ADMIN = "tabard_status-cache-e2e_Qv7Lm2xR9tK4pW8nB3sD6fH1";
    /** What the issuer allows a cache: half of a signed list's validity. */
    private static final Duration MAX_AGE = StatusLists.VALIDITY.dividedBy(2);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final Instant start = clock.instant();
    private CountingHttpsProxy proxy;
    private IssuerServer issuer;
    private HttpClient admin;
    private String adminBase;
    private Verifier verifier;

    @BeforeEach
    void startIssuerAndVerifier() throws Exception {
        SelfSignedTls tls = SelfSignedTls.localhost();
        proxy = new CountingHttpsProxy(tls);
        // the did:web and every statusListCredential name the proxy: whatever the verifier fetches passes through it, so
        // the issuer itself listens on any free port, and the proxy learns it once bound
        issuer = IssuerServer.start(new IssuerConfig(dir.resolve("issuer"), URI.create("https://localhost:" + proxy.port()), "web",
                "ACME", "issuer secret".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.of(tls.serverContext()),
                clock);
        proxy.forwardTo(issuer.port());
        adminBase = "https://localhost:" + issuer.port();
        admin = HttpClient.newBuilder().sslContext(tls.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
        verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustWebDomain("localhost").build())
                .fetchPolicy(FetchPolicy.builder().allowHost("localhost").trustCertificate(tls.certificate()).build())
                .clock(clock).build();
    }

    @AfterEach
    void stop() {
        if (verifier != null) {
            verifier.close();
        }
        if (issuer != null) {
            issuer.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void anUnchangedListIsRevalidatedWith304_andARevocationIsSeenInAFullBodyOnceMaxAgePasses() throws Exception {
        Issued vc = issue();

        at(Duration.ZERO);
        assertVerified(vc);
        List<Exchange> first = statusExchanges(0);
        assertEquals(2, first.size(), first::toString);
        first.forEach(e -> assertEquals(200, e.status(), e::toString));
        first.forEach(e -> assertTrue(e.ifNoneMatch().isEmpty(), e::toString));
        Exchange revocationList = only(first, vc.revocationList());
        String listTag = revocationList.etag().orElseThrow(() -> new AssertionError("no ETag on " + revocationList));
        int seen = statusExchanges(0).size();

        // within max-age: answered from the cache, nothing reaches the issuer
        at(Duration.ofSeconds(60));
        assertVerified(vc);
        assertEquals(List.of(), statusExchanges(seen));

        // in the last fifth of max-age: answered from the cache, and both lists revalidated in the background
        at(MAX_AGE.minus(MAX_AGE.dividedBy(5)).plusSeconds(10));
        assertVerified(vc);
        List<Exchange> refreshed = awaitStatusExchanges(seen, 2);
        refreshed.forEach(e -> assertEquals(304, e.status(), e::toString));
        assertEquals(Optional.of(listTag), only(refreshed, vc.revocationList()).ifNoneMatch());
        assertEquals(Optional.of(listTag), only(refreshed, vc.revocationList()).etag());
        seen += 2;
        at(MAX_AGE.minus(MAX_AGE.dividedBy(5)).plusSeconds(20));
        assertVerified(vc);
        assertEquals(List.of(), statusExchanges(seen), "the 304s gave both lists a new max-age");

        // revoked at the issuer; the verifier keeps the list it was allowed to keep
        admin("POST", "/admin/credentials/" + vc.id() + "/revoke");
        at(MAX_AGE.plusSeconds(10));
        assertVerified(vc);
        assertEquals(List.of(), statusExchanges(seen));

        // the max-age of the last revalidation has passed: revalidated again, and the changed list comes back whole
        at(MAX_AGE.minus(MAX_AGE.dividedBy(5)).plusSeconds(10).plus(MAX_AGE).plusSeconds(1));
        VerificationResult revoked = verifier.verifyCredential(vc.jwt());
        assertFalse(revoked.verified(), revoked::toString);
        assertEquals(List.of(ProblemType.CREDENTIAL_REVOKED), revoked.errors().stream().map(Problem::type).toList(), revoked::toString);
        List<Exchange> after = statusExchanges(seen);
        assertEquals(1, after.size(), "the revocation list decides; the suspension list is not needed: " + after);
        Exchange changed = only(after, vc.revocationList());
        assertEquals(Optional.of(listTag), changed.ifNoneMatch());
        assertEquals(200, changed.status());
        assertNotEquals(Optional.of(listTag), changed.etag(), "the bits changed, so the entity tag did");
        seen += 1;

        // and the verdict holds from the cache
        at(MAX_AGE.minus(MAX_AGE.dividedBy(5)).plusSeconds(10).plus(MAX_AGE).plusSeconds(20));
        VerificationResult again = verifier.verifyCredential(vc.jwt());
        assertEquals(List.of(ProblemType.CREDENTIAL_REVOKED), again.errors().stream().map(Problem::type).toList(), again::toString);
        assertEquals(List.of(), statusExchanges(seen));
    }

    /**
     * The issuer signs a list again (with a later {@code validUntil}) when half its validity has passed, under the same
     * entity tag while its bits are unchanged. A verifier whose kept copy reached its own {@code validUntil} must take
     * the new signed list, not revalidate the expired one on every verification.
     */
    @Test
    void aListSignedAgainUnderTheSameTag_isFetchedWholeOnceTheCopyKeptHasExpired() throws Exception {
        Issued vc = issue();

        at(Duration.ZERO);
        assertVerified(vc);
        List<Exchange> first = statusExchanges(0);
        assertEquals(2, first.size(), first::toString);
        String listTag = only(first, vc.revocationList()).etag().orElseThrow();
        int seen = 2;

        // past max-age, still within the kept copy's validity: both lists revalidated; the issuer signed them again
        at(StatusLists.VALIDITY.minusSeconds(10));
        assertVerified(vc);
        List<Exchange> revalidated = statusExchanges(seen);
        assertEquals(2, revalidated.size(), revalidated::toString);
        revalidated.forEach(e -> assertEquals(304, e.status(), e::toString));
        seen += 2;

        // the copy kept is no longer valid: the list signed since comes back whole, under the unchanged tag
        at(StatusLists.VALIDITY.plusSeconds(10));
        assertVerified(vc);
        List<Exchange> renewed = statusExchanges(seen);
        assertEquals(2, renewed.size(), renewed::toString);
        renewed.forEach(e -> assertEquals(200, e.status(), e::toString));
        assertEquals(Optional.of(listTag), only(renewed, vc.revocationList()).etag());
        seen += 2;

        // and it is kept for its max-age again
        at(StatusLists.VALIDITY.plusSeconds(20));
        assertVerified(vc);
        assertEquals(List.of(), statusExchanges(seen));
    }

    /** An AgentCredential issued (vc+jwt) to a fresh did:key agent, and the path of its revocation list. */
    private record Issued(String id, String jwt, String revocationList) {
    }

    private Issued issue() throws Exception {
        Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey());
        admin("POST", "/admin/agents", "{\"did\":\"" + agent + "\",\"name\":\"buyer-agent\",\"operator\":{\"name\":\"Ops\"},"
                + "\"capabilities\":[\"orders:place\"],\"constraints\":{\"dataRegions\":[\"EU\"]},\"delegation\":{\"allowed\":false,\"maxDepth\":0}}");
        JsonNode issued = admin("POST", "/admin/agents/" + agent + "/credentials", null);
        String jwt = issued.path("vcJwt").asText();
        JsonNode payload = JsonCodec.parse(Base64Url.decode(jwt.split("\\.")[1]));
        String revocationList = null;
        for (JsonNode entry : payload.path("credentialStatus")) {
            if (entry.path("statusPurpose").asText().equals("revocation")) {
                revocationList = URI.create(entry.path("statusListCredential").asText()).getRawPath();
            }
        }
        assertTrue(revocationList != null && revocationList.startsWith("/status/"), payload::toString);
        return new Issued(issued.path("id").asText(), jwt, revocationList);
    }

    private JsonNode admin(String method, String path) throws Exception {
        return admin(method, path, null);
    }

    private JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> r = admin.send(HttpRequest.newBuilder(URI.create(adminBase + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(2, r.statusCode() / 100, r.body());
        return r.body().isEmpty() ? null : JsonCodec.parse(r.body());
    }

    private void at(Duration sinceStart) {
        clock.set(start.plus(sinceStart));
    }

    private void assertVerified(Issued vc) {
        VerificationResult r = verifier.verifyCredential(vc.jwt());
        assertTrue(r.verified(), r::toString);
    }

    /** The status-list exchanges the proxy recorded, from the {@code from}-th on. */
    private List<Exchange> statusExchanges(int from) {
        List<Exchange> all = proxy.exchanges().stream().filter(e -> e.path().startsWith("/status/")).toList();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    /** Waits (up to {@link #WAIT}) until {@code count} status-list exchanges followed the {@code from}-th, then exactly those. */
    private List<Exchange> awaitStatusExchanges(int from, int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (statusExchanges(from).size() < count) {
            if (System.nanoTime() > deadline) {
                fail("expected " + count + " status-list exchanges in " + WAIT + ", saw " + statusExchanges(from));
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        // the proxy records an exchange before it answers: wait until the verifier has applied what it received too
        while (verifier.statusListRefreshesInFlight() > 0) {
            if (System.nanoTime() > deadline) {
                fail("the verifier's background refreshes did not finish in " + WAIT);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        List<Exchange> got = statusExchanges(from);
        assertEquals(count, got.size(), got::toString);
        return got;
    }

    private static Exchange only(List<Exchange> exchanges, String path) {
        List<Exchange> matching = exchanges.stream().filter(e -> e.path().equals(path)).toList();
        assertEquals(1, matching.size(), () -> "one exchange for " + path + " in " + exchanges);
        return matching.get(0);
    }
}
