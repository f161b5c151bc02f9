package dev.tabard.issuer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.AdminTokens;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.problem.ProblemType;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin authentication over a real issuer on 127.0.0.1: the bearer header's shape, unknown and replaced tokens, and
 * every admin route of the README's table called with a token of each role. The roles come from the README itself, so
 * the table and the code cannot drift apart without this test failing.
 */
class AdminAuthTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ADMIN = AdminTokens.generate(RANDOM);
    private static final Path README = Path.of("..", "README.md");

    @TempDir
    Path dir;
    private IssuerServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, RANDOM).publicKey());
    /** A well-formed DID no agent has: role checks on it change nothing in the store. */
    private final Did stranger = KeyDids.of(KeyPair.generate(KeyType.ED25519, RANDOM).publicKey());
    private final Map<String, String> tokens = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = IssuerServer.start(new IssuerConfig(dir, URI.create("http://localhost:0"), "key", "ACME",
                "admin auth test".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.empty(), Clock.systemUTC());
        tokens.put("admin", ADMIN);
        tokens.put("issue", mint("issuer-bot", "issue"));
        tokens.put("revoke", mint("revoker-bot", "revoke"));
        HttpResponse<String> put = send("POST", "/admin/agents", agentJson(agent), ADMIN, "Bearer ");
        assertEquals(201, put.statusCode(), put.body());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String mint(String name, String role) throws Exception {
        HttpResponse<String> r = send("POST", "/admin/tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}", ADMIN, "Bearer ");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode body = JsonCodec.parse(r.body());
        assertEquals(role, body.path("role").asText());
        return body.path("token").asText();
    }

    private static String agentJson(Did did) {
        return "{\"did\":\"" + did + "\",\"name\":\"buyer\",\"operator\":{\"name\":\"Procurement\"},\"capabilities\":[\"supplier:lookup\"]}";
    }

    /** Sends with {@code Authorization: <scheme><token>}, or no header when {@code token} is null. */
    private HttpResponse<String> send(String method, String path, String body, String token, String scheme) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", scheme + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> r, ProblemType type, String context) {
        assertEquals(type.status(), r.statusCode(), () -> context + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), () -> context + ": " + r.headers());
        JsonNode p = JsonCodec.parse(r.body());
        assertEquals(type.type().toString(), p.path("type").asText(), () -> context + ": " + r.body());
        assertEquals(type.status(), p.path("status").asInt(), context);
    }

    @Test
    void noHeaderIsUnauthorizedWithABearerChallenge() throws Exception {
        HttpResponse<String> r = send("GET", "/admin/agents", null, null, "");
        assertProblem(r, ProblemType.UNAUTHORIZED, "no Authorization header");
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void anotherSchemeIsUnauthorizedEvenWithAGoodToken() throws Exception {
        for (String scheme : List.of("Basic ", "Token ", "Bearer", "", "Bearer: ")) {
            HttpResponse<String> r = send("GET", "/admin/agents", null, ADMIN, scheme);
            assertProblem(r, ProblemType.UNAUTHORIZED, "scheme '" + scheme + "'");
            assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""), scheme);
        }
    }

    @Test
    void theSchemeNameIsCaseInsensitiveAsRfc6750Says() throws Exception {
        assertEquals(200, send("GET", "/admin/agents", null, ADMIN, "bearer ").statusCode());
        assertEquals(200, send("GET", "/admin/agents", null, ADMIN, "BEARER ").statusCode());
    }

    @Test
    void anUnknownTokenIsUnauthorizedWithInvalidToken() throws Exception {
        String oneCharOff = ADMIN.substring(0, ADMIN.length() - 1) + (ADMIN.endsWith("A") ? "B" : "A");
        for (String token : List.of(oneCharOff, ADMIN + "x", ADMIN.substring(1), AdminTokens.generate(RANDOM), AdminTokens.hash(ADMIN))) {
            HttpResponse<String> r = send("GET", "/admin/agents", null, token, "Bearer ");
            assertProblem(r, ProblemType.UNAUTHORIZED, "token " + token);
            assertEquals("Bearer error=\"invalid_token\"", r.headers().firstValue("WWW-Authenticate").orElse(""), token);
        }
    }

    @Test
    void anOversizedHeaderIsRefusedBeforeAnyLookup() throws Exception {
        // the plain challenge (no invalid_token) shows the header was refused before any token was looked up
        HttpResponse<String> r = send("GET", "/admin/agents", null, "x".repeat(600), "Bearer ");
        assertProblem(r, ProblemType.UNAUTHORIZED, "a header over 512 characters");
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void mintingATokenUnderAnExistingNameReplacesTheOldOne() throws Exception {
        String first = tokens.get("issue");
        String second = mint("issuer-bot", "issue");
        assertNotEquals(first, second, "each token is new");
        assertProblem(send("GET", "/admin/agents", null, first, "Bearer "), ProblemType.UNAUTHORIZED, "the replaced token");
        assertEquals(200, send("GET", "/admin/agents", null, second, "Bearer ").statusCode());
    }

    @Test
    void mintingRefusesAnUnknownRoleOrABlankName() throws Exception {
        HttpResponse<String> role = send("POST", "/admin/tokens", "{\"name\":\"x\",\"role\":\"root\"}", ADMIN, "Bearer ");
        assertProblem(role, ProblemType.MALFORMED_VALUE_ERROR, "role root");
        assertEquals("/role", JsonCodec.parse(role.body()).path("pointer").asText());
        HttpResponse<String> name = send("POST", "/admin/tokens", "{\"name\":\"  \",\"role\":\"issue\"}", ADMIN, "Bearer ");
        assertProblem(name, ProblemType.MALFORMED_VALUE_ERROR, "a blank name");
        assertEquals("/name", JsonCodec.parse(name.body()).path("pointer").asText());
        // a token with a role the API refused to mint does not exist
        assertProblem(send("GET", "/admin/audit", null, "root", "Bearer "), ProblemType.UNAUTHORIZED, "never minted");
    }

    /**
     * One request per route of the README's admin table, chosen to change nothing that matters when it is allowed
     * (unknown ids, invalid bodies): the role check must come before any of that is looked at.
     */
    private Map<String, String[]> requests() {
        Map<String, String[]> r = new TreeMap<>();
        r.put("POST /admin/agents", new String[] {"POST", "/admin/agents", agentJson(agent)});
        r.put("GET /admin/agents", new String[] {"GET", "/admin/agents?q=buyer", null});
        r.put("GET /admin/agents/{did}", new String[] {"GET", "/admin/agents/" + agent, null});
        r.put("POST /admin/agents/{did}/deactivate", new String[] {"POST", "/admin/agents/" + stranger + "/deactivate", null});
        r.put("POST /admin/agents/{did}/credentials", new String[] {"POST", "/admin/agents/" + stranger + "/credentials", null});
        r.put("POST /admin/agents/{did}/offer", new String[] {"POST", "/admin/agents/" + stranger + "/offer", null});
        r.put("GET /admin/agents/{did}/credentials", new String[] {"GET", "/admin/agents/" + agent + "/credentials", null});
        r.put("GET /admin/agents/{did}/delegations", new String[] {"GET", "/admin/agents/" + agent + "/delegations", null});
        for (String action : List.of("revoke", "suspend", "reinstate")) {
            r.put("POST /admin/credentials/{id}/" + action, new String[] {"POST", "/admin/credentials/urn:uuid:00000000-0000-4000-8000-000000000000/" + action, null});
        }
        r.put("GET /admin/keys", new String[] {"GET", "/admin/keys", null});
        r.put("POST /admin/keys", new String[] {"POST", "/admin/keys?type=RSA", null});
        r.put("POST /admin/keys/{id}/activate", new String[] {"POST", "/admin/keys/no-such-key/activate", null});
        r.put("POST /admin/keys/retire-expired", new String[] {"POST", "/admin/keys/retire-expired", null});
        r.put("POST /admin/tokens", new String[] {"POST", "/admin/tokens", "{\"name\":\"\",\"role\":\"none\"}"});
        r.put("GET /admin/audit", new String[] {"GET", "/admin/audit?after=0", null});
        r.put("GET /admin/audit/verify", new String[] {"GET", "/admin/audit/verify", null});
        return r;
    }

    @Test
    void everyAdminRouteInTheReadmeAnswersItsRoleAndAdminAndForbidsTheOthers() throws Exception {
        Map<String, String> roles = readmeRoutes();
        Map<String, String[]> requests = requests();
        assertEquals(requests.keySet(), roles.keySet(), "the README's admin table and this test name the same routes");
        assertRoles(roles, requests);
    }

    @Test
    void theVcApiRoutesTakeTheIssueAndRevokeRoles() throws Exception {
        Map<String, String[]> requests = new TreeMap<>();
        requests.put("POST /credentials/issue", new String[] {"POST", "/credentials/issue", "{}"});
        requests.put("POST /credentials/status", new String[] {"POST", "/credentials/status", "{}"});
        assertRoles(Map.of("POST /credentials/issue", "issue", "POST /credentials/status", "revoke"), requests);
        for (String[] q : requests.values()) {
            assertProblem(send(q[0], q[1], q[2], null, ""), ProblemType.UNAUTHORIZED, q[1] + " without a token");
        }
    }

    /** Each route with each role's token: the route's role and admin get past authorization, the others get 403. */
    private void assertRoles(Map<String, String> roles, Map<String, String[]> requests) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (var route : requests.entrySet()) {
            String needed = roles.get(route.getKey());
            String[] q = route.getValue();
            for (var token : tokens.entrySet()) {
                HttpResponse<String> r = send(q[0], q[1], q[2], token.getValue(), "Bearer ");
                boolean allowed = token.getKey().equals(needed) || token.getKey().equals("admin");
                String type = r.statusCode() >= 400 ? JsonCodec.parse(r.body()).path("type").asText() : "";
                boolean refused = r.statusCode() == 401 || r.statusCode() == 403 && type.equals(ProblemType.FORBIDDEN.type().toString());
                if (allowed == refused || r.statusCode() >= 500 || (!allowed && r.statusCode() != 403)) {
                    wrong.add(route.getKey() + " (needs " + needed + ") with a " + token.getKey() + " token: " + r.statusCode() + " " + r.body());
                }
            }
        }
        assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    }

    /** The README's admin table as "METHOD /path" to role; {@code `/suspend`} after a path replaces its last segment. */
    static Map<String, String> readmeRoutes() throws Exception {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("| route | role |")) {
                start = i + 2;
                break;
            }
        }
        assertTrue(start > 0, "the README has the admin route table");
        Map<String, String> out = new TreeMap<>();
        Pattern code = Pattern.compile("`([^`]+)`");
        for (int i = start; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cols = lines.get(i).split(" \\| ");
            String role = cols[1].trim();
            Matcher m = code.matcher(cols[0]);
            String method = null;
            String path = null;
            while (m.find()) {
                String s = m.group(1);
                if (s.startsWith("/")) {
                    path = path.substring(0, path.lastIndexOf('/')) + s;
                } else {
                    method = s.substring(0, s.indexOf(' '));
                    path = s.substring(s.indexOf(' ') + 1).replaceAll("\\?.*", "");
                }
                out.put(method + " " + path, role);
            }
        }
        assertFalse(out.isEmpty());
        return out;
    }

    /**
     * Which stored hash matches is decided by {@link java.security.MessageDigest#isEqual}, whose time does not depend
     * on where two values differ: pinned on the compiled class, since timing itself cannot be measured reliably here.
     */
    @Test
    void storedTokenHashesAreComparedInConstantTime() throws Exception {
        byte[] cls;
        try (InputStream in = AdminAuthTest.class.getResourceAsStream("/dev/tabard/issuer/store/AdminTokenTable.class")) {
            assertTrue(in != null, "AdminTokenTable is on the class path");
            cls = in.readAllBytes();
        }
        String pool = new String(cls, StandardCharsets.ISO_8859_1);
        assertTrue(pool.contains("java/security/MessageDigest") && pool.contains("isEqual"),
                "AdminTokenTable compares hashes with MessageDigest.isEqual");
        assertFalse(pool.contains("contentEquals") || pool.contains("equalsIgnoreCase"), "no early-exit String comparison of hashes");
    }
}
