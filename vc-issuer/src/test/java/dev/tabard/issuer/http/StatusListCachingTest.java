package dev.tabard.issuer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.testing.ManualClock;
import dev.tabard.vc.jose.CompactJws;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /status/{id}} as a cache or CDN in front of several instances sees it: a weak ETag from the list and its
 * form, {@code Cache-Control: public} within the signed list's validity, {@code Vary: Accept}, and 304 for a tag the
 * client holds. A real server on 127.0.0.1 with a controlled clock.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatusListCachingTest {

    private final SecureRandom random = new SecureRandom();
    private final String admin = "tabard_" + Base64Url.encode(random.generateSeed(32));
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final HttpClient client = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private IssuerServer server;
    private String credentialId;
    private int revocationList;

    @BeforeEach
    void start() throws Exception {
        server = IssuerServer.start(new IssuerConfig(dir, URI.create("http://localhost:0"), "key", "ACME",
                "cache test".toCharArray(), Duration.ofHours(1), Optional.of(admin), 0), Optional.empty(), clock);
        Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, random).publicKey());
        HttpResponse<String> put = post("/admin/agents", "{\"did\":\"" + agent + "\",\"name\":\"buyer\",\"operator\":{\"name\":\"ops\"}}");
        assertEquals(201, put.statusCode(), put.body());
        HttpResponse<String> issued = post("/admin/agents/" + agent + "/credentials", "");
        assertEquals(201, issued.statusCode(), issued.body());
        credentialId = JsonCodec.parse(issued.body()).get("id").asText();
        String url = CompactJws.parse(JsonCodec.parse(issued.body()).get("vcJwt").asText()).payloadJson()
                .at("/credentialStatus/0/statusListCredential").asText();
        revocationList = Integer.parseInt(url.substring(url.lastIndexOf('/') + 1));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String accept, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/status/" + revocationList)).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    @Test
    void get_answersAStrongEtagPublicMaxAgeWithinValidityAndVaryAccept() throws Exception {
        HttpResponse<String> r = get(null, null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(header(r, "ETag").matches("W/\"[A-Za-z0-9_-]{32}\""), header(r, "ETag"));
        assertEquals("Accept", header(r, "Vary"));
        JsonNode payload = CompactJws.parse(r.body()).payloadJson();
        Instant validUntil = Instant.parse(payload.get("validUntil").asText());
        long left = Duration.between(clock.instant(), validUntil).toSeconds();
        long maxAge = Long.parseLong(header(r, "Cache-Control").replace("public, max-age=", ""));
        assertTrue(header(r, "Cache-Control").startsWith("public, max-age="), header(r, "Cache-Control"));
        assertTrue(maxAge > 0 && maxAge <= left && maxAge <= left / 2 + 1, "max-age " + maxAge + " with " + left + " s of validity left");

        clock.advance(Duration.ofSeconds(100));
        HttpResponse<String> later = get(null, null);
        assertEquals(header(r, "ETag"), header(later, "ETag"), "the same list keeps its tag");
        long laterAge = Long.parseLong(header(later, "Cache-Control").replace("public, max-age=", ""));
        assertTrue(laterAge <= Duration.between(clock.instant(), Instant.parse(CompactJws.parse(later.body()).payloadJson()
                .get("validUntil").asText())).toSeconds(), "never past the signed list's own end");
    }

    @Test
    void ifNoneMatch_theCurrentTagStarOrAListHoldingIt_is304WithoutBody() throws Exception {
        String etag = header(get(null, null), "ETag");
        for (String held : new String[] {etag, "*", "\"other\", " + etag, etag.substring(2)}) {
            HttpResponse<String> r = get(null, held);
            assertEquals(304, r.statusCode(), held);
            assertEquals("", r.body(), held);
            assertEquals(etag, header(r, "ETag"), held);
            assertTrue(header(r, "Cache-Control").startsWith("public, max-age="), held);
        }
        assertEquals(200, get(null, "\"other\"").statusCode());
    }

    @Test
    void revoke_changesTheTag_andTheOldTagGetsTheNewList() throws Exception {
        String before = header(get(null, null), "ETag");
        assertEquals(204, post("/admin/credentials/" + credentialId + "/revoke", "").statusCode());
        HttpResponse<String> r = get(null, before);
        assertEquals(200, r.statusCode(), "a changed list is sent in full");
        assertNotEquals(before, header(r, "ETag"));
    }

    @Test
    void jsonAndJwtForms_haveTheirOwnTags() throws Exception {
        HttpResponse<String> jwt = get("application/vc+jwt", null);
        HttpResponse<String> json = get("application/vc+ld+json", null);
        assertEquals("application/vc+ld+json", header(json, "Content-Type"));
        assertTrue(JsonCodec.parse(json.body()).has("proof"), json.body());
        assertNotEquals(header(jwt, "ETag"), header(json, "ETag"));
        assertEquals(304, get("application/vc+ld+json", header(json, "ETag")).statusCode());
        assertEquals(200, get("application/vc+jwt", header(json, "ETag")).statusCode());
    }

    @Test
    void matches_readsStarListsAndWeakTags_andBoundsTheHeader() {
        assertTrue(DidStatusRoutes.matches("*", "\"a\""));
        assertTrue(DidStatusRoutes.matches(" \"b\" , W/\"a\"", "\"a\""));
        assertTrue(DidStatusRoutes.matches("\"a\"", "W/\"a\""), "weak comparison, whichever side is weak");
        assertFalse(DidStatusRoutes.matches("W/\"b\"", "W/\"a\""));
        assertFalse(DidStatusRoutes.matches("\"b\"", "\"a\""));
        assertFalse(DidStatusRoutes.matches(null, "\"a\""));
        assertFalse(DidStatusRoutes.matches("\"b\",".repeat(100) + "\"a\"", "\"a\""), "at most 64 tags are read");
    }
}
