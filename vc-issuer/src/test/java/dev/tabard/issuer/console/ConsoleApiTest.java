package dev.tabard.issuer.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.Decoder;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.problem.ProblemType;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's pages and headers, and the admin API routes it reads (offer QR codes, an agent's credentials), over real HTTP. */
class ConsoleApiTest {

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @TempDir
    Path dir;
    private ConsoleIssuer issuer;
    private final Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey());

    @BeforeEach
    void start() throws Exception {
        issuer = new ConsoleIssuer(dir);
        issuer.admin("POST", "/admin/agents", "{\"did\":\"" + agent + "\",\"name\":\"procurement-agent\","
                + "\"operator\":{\"name\":\"Procurement team\"},\"capabilities\":[\"supplier:lookup\"]}");
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private String agentPath() {
        return "/admin/agents/" + URLEncoder.encode(agent.toString(), StandardCharsets.UTF_8);
    }

    @Test
    void consoleAssets_carryTheStrictHeaders_withoutAToken() throws Exception {
        for (String[] asset : new String[][] {{"/console/", "text/html"}, {"/console", "text/html"},
                {"/console/console.js", "text/javascript"}, {"/console/console.css", "text/css"}}) {
            HttpResponse<String> r = issuer.send("GET", asset[0], Optional.empty(), null);
            assertEquals(200, r.statusCode(), asset[0]);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(asset[1]), asset[0]);
            assertEquals(Optional.of(CSP), r.headers().firstValue("Content-Security-Policy"), asset[0]);
            assertEquals(Optional.of("nosniff"), r.headers().firstValue("X-Content-Type-Options"), asset[0]);
            assertEquals(Optional.of("no-referrer"), r.headers().firstValue("Referrer-Policy"), asset[0]);
        }
    }

    @Test
    void consolePage_hasNoInlineScriptStyleOrHandlers_andNamesNoOtherOrigin() throws Exception {
        String page = issuer.send("GET", "/console/", Optional.empty(), null).body();
        assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)", Pattern.CASE_INSENSITIVE).matcher(page).find(), "inline script");
        assertFalse(Pattern.compile("<style|\\sstyle=|\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(page).find(), "inline style or handler");
        assertFalse(page.contains("http://") || page.contains("https://") || page.contains("//cdn"), "another origin");
        String script = issuer.send("GET", "/console/console.js", Optional.empty(), null).body();
        assertFalse(Pattern.compile("localStorage|sessionStorage|document\\.cookie|innerHTML|eval\\(").matcher(script).find(),
                "the token is kept in memory only and values are written as text");
    }

    @Test
    void offer_withQrSvg_drawsTheOfferUrl() throws Exception {
        JsonNode offer = issuer.admin("POST", agentPath() + "/offer?qr=svg&tx_code=true", null);
        String svg = offer.path("offer_qr_svg").asText();
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertEquals(offer.path("offer_url").asText(), decode(svg));
        assertTrue(offer.path("tx_code").asText().matches("[0-9]{6}"));
        assertFalse(issuer.admin("POST", agentPath() + "/offer", null).has("offer_qr_svg"), "the QR code only when asked");
    }

    @Test
    void credentials_listedNewestFirst_withTheirStatus() throws Exception {
        String first = issuer.admin("POST", agentPath() + "/credentials", null).path("id").asText();
        String second = issuer.admin("POST", agentPath() + "/credentials", null).path("id").asText();
        String third = issuer.admin("POST", agentPath() + "/credentials", null).path("id").asText();
        issuer.admin("POST", "/admin/credentials/" + first + "/revoke", null);
        issuer.admin("POST", "/admin/credentials/" + second + "/suspend", null);
        JsonNode list = issuer.admin("GET", agentPath() + "/credentials", null).path("credentials");
        assertEquals(3, list.size());
        assertEquals(java.util.Set.of(first, second, third), java.util.Set.of(list.get(0).path("id").asText(),
                list.get(1).path("id").asText(), list.get(2).path("id").asText()));
        for (JsonNode c : list) {
            String id = c.path("id").asText();
            assertEquals(id.equals(first), c.path("revoked").asBoolean(), id);
            assertEquals(id.equals(second), c.path("suspended").asBoolean(), id);
            assertTrue(c.path("issued").asText().compareTo(c.path("validUntil").asText()) < 0, c.toString());
        }
        assertTrue(list.get(0).path("issued").asText().compareTo(list.get(2).path("issued").asText()) >= 0, "newest first");
    }

    @Test
    void credentials_withoutToken_isUnauthorized_andAMalformedDid_isRejected() throws Exception {
        HttpResponse<String> r = issuer.send("GET", agentPath() + "/credentials", Optional.empty(), null);
        assertEquals(401, r.statusCode());
        assertEquals(ProblemType.UNAUTHORIZED.type().toString(), JsonCodec.reader().readTree(r.body()).path("type").asText());
        HttpResponse<String> bad = issuer.send("GET", "/admin/agents/not-a-did/credentials", Optional.of(ConsoleIssuer.ADMIN), null);
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR.type().toString(), JsonCodec.reader().readTree(bad.body()).path("type").asText());
    }

    /** Reads the modules back out of the SVG's path and decodes them as a QR code reader would. */
    static String decode(String svg) throws Exception {
        Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertTrue(box.find(), svg);
        int size = Integer.parseInt(box.group(1));
        int margin = 4;
        BitMatrix modules = new BitMatrix(size - 2 * margin);
        Matcher run = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-\\3z").matcher(svg);
        while (run.find()) {
            int x = Integer.parseInt(run.group(1));
            int y = Integer.parseInt(run.group(2));
            modules.setRegion(x - margin, y - margin, Integer.parseInt(run.group(3)), 1);
        }
        return new Decoder().decode(modules).getText();
    }
}
