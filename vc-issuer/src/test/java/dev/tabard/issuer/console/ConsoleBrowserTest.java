package dev.tabard.issuer.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.testing.DebianPackages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, never a downloaded
 * one) against a real issuer: sign in, register an agent, make an offer and read its QR code off the screen, issue a
 * credential and revoke it; a wrong token shows an error and nothing else. Every wait is explicit and bounded.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private ConsoleIssuer issuer;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        DebianPackages.require("the console tests' browser", () -> Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium", "chromium-driver");
        issuer = new ConsoleIssuer(dir.resolve("issuer"));
        // the driver and browser are named, so Selenium Manager has nothing to look up or download
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogOutput(java.io.OutputStream.nullOutputStream()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome")), "--window-size=1280,1100");
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
        wait = new WebDriverWait(browser, WAIT);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    private WebElement visible(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    private void signIn(String token) {
        browser.get(issuer.base + "/console/");
        visible("token").sendKeys(token);
        browser.findElement(By.id("login-button")).click();
    }

    @Test
    void operator_registersAgent_makesOffer_seesQr_andRevokesACredential() throws Exception {
        signIn(ConsoleIssuer.ADMIN);
        visible("view-agents");
        assertFalse(browser.findElement(By.id("login")).isDisplayed(), "the sign-in form is gone");

        Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey());
        browser.findElement(By.id("reg-did")).sendKeys(agent.toString());
        browser.findElement(By.id("reg-name")).sendKeys("procurement-agent");
        browser.findElement(By.id("reg-operator")).sendKeys("Procurement team");
        browser.findElement(By.id("reg-email")).sendKeys("procurement@acme.example");
        browser.findElement(By.id("reg-capabilities")).sendKeys("purchase-order:negotiate, supplier:lookup");
        browser.findElement(By.id("register-button")).click();
        By row = By.cssSelector("#agents tr[data-did='" + agent + "']");
        WebElement agentRow = wait.until(ExpectedConditions.visibilityOfElementLocated(row));
        assertTrue(agentRow.getText().contains("purchase-order:negotiate, supplier:lookup"), agentRow.getText());
        JsonNode stored = issuer.admin("GET", "/admin/agents/" + URLEncoder.encode(agent.toString(), StandardCharsets.UTF_8), null);
        assertEquals("Procurement team", stored.path("operator").path("name").asText(), "registered through the admin API");

        agentRow.findElement(By.cssSelector("button.link")).click();
        wait.until(ExpectedConditions.textToBe(By.id("agent-title"), "procurement-agent"));

        browser.findElement(By.id("offer-code")).click();
        visible("offer-result");
        String offerUrl = browser.findElement(By.id("offer-url")).getDomProperty("value");
        assertTrue(offerUrl.startsWith("openid-credential-offer://?credential_offer="), offerUrl);
        assertTrue(visible("offer-code-value").getText().matches("[0-9]{6}"));
        WebElement qr = browser.findElement(By.id("offer-qr"));
        String src = qr.getDomProperty("src");
        String prefix = "data:image/svg+xml;base64,";
        assertTrue(src.startsWith(prefix), src);
        String svg = new String(Base64.getDecoder().decode(src.substring(prefix.length())), StandardCharsets.UTF_8);
        assertTrue(svg.startsWith("<svg ") && svg.endsWith("</svg>"), svg);
        assertEquals(offerUrl, ConsoleApiTest.decode(svg), "the SVG is the offer URL's QR code");
        wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript(
                "return arguments[0].complete ? arguments[0].naturalWidth : 0;", qr)).intValue() > 0);
        assertEquals(offerUrl, readQrOffScreen(qr), "what the browser drew is the offer");

        browser.findElement(By.id("issue")).click();
        By status = By.cssSelector("#credentials tbody tr[data-id] .status");
        wait.until(ExpectedConditions.textToBe(status, "active"));
        String credentialId = browser.findElement(By.cssSelector("#credentials tbody tr[data-id]")).getDomAttribute("data-id");
        browser.findElement(By.cssSelector("#credentials tbody tr[data-id] button[data-action='revoke']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBe(status, "revoked"));
        assertFalse(browser.findElement(By.cssSelector("#credentials button[data-action='revoke']")).isEnabled(), "a revocation is final");

        List<JsonNode> revocations = new java.util.ArrayList<>();
        issuer.admin("GET", "/admin/audit", null).path("entries").forEach(e -> {
            if (e.path("action").asText().equals("credential.revoke")) {
                revocations.add(e);
            }
        });
        assertEquals(1, revocations.size(), "audited as an API call is");
        assertEquals(credentialId, revocations.get(0).path("subject").asText());
        assertTrue(revocations.get(0).path("actor").asText().startsWith("token:"), revocations.get(0).toString());

        browser.findElement(By.id("back")).click();
        visible("view-agents");
        wait.until(ExpectedConditions.visibilityOfElementLocated(row));
        screenshotForReadme();
    }

    @Test
    void operator_suspendsAndReinstates_seesKeysAndAuditVerdict() throws Exception {
        Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey());
        issuer.admin("POST", "/admin/agents", "{\"did\":\"" + agent + "\",\"name\":\"billing-agent\",\"operator\":{\"name\":\"Ops\"}}");
        String path = "/admin/agents/" + URLEncoder.encode(agent.toString(), StandardCharsets.UTF_8);
        String id = issuer.admin("POST", path + "/credentials", null).path("id").asText();
        signIn(ConsoleIssuer.ADMIN);
        visible("search").sendKeys("billing");
        browser.findElement(By.cssSelector("#search-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#agents tr[data-did='" + agent + "'] button.link"))).click();
        By status = By.cssSelector("#credentials tr[data-id='" + id + "'] .status");
        wait.until(ExpectedConditions.textToBe(status, "active"));
        assertFalse(browser.findElement(By.cssSelector("#credentials button[data-action='reinstate']")).isEnabled());

        browser.findElement(By.cssSelector("#credentials button[data-action='suspend']")).click();
        wait.until(ExpectedConditions.textToBe(status, "suspended"));
        assertTrue(issuer.admin("GET", path + "/credentials", null).path("credentials").get(0).path("suspended").asBoolean());
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#credentials button[data-action='reinstate']"))).click();
        wait.until(ExpectedConditions.textToBe(status, "active"));
        assertFalse(issuer.admin("GET", path + "/credentials", null).path("credentials").get(0).path("suspended").asBoolean());
        assertTrue(browser.findElement(By.cssSelector("#delegations tbody")).getText().contains("No registered delegations"));

        browser.findElement(By.id("nav-keys")).click();
        WebElement key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#keys tbody tr")));
        assertTrue(key.getText().contains("key-1") && key.getText().contains("ACTIVE"), key.getText());

        browser.findElement(By.id("nav-audit")).click();
        visible("audit-verify").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-result"), "Intact"));
        assertTrue(browser.findElement(By.id("audit-result")).getText().contains("yes"), browser.findElement(By.id("audit-result")).getText());
    }

    @Test
    void wrongToken_showsAnError_andNothingElse() throws Exception {
        issuer.admin("POST", "/admin/agents", "{\"did\":\"" + KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom())
                .publicKey()) + "\",\"name\":\"secret-agent\",\"operator\":{\"name\":\"Ops\"}}");
        signIn("tabard_" + "x".repeat(43));
        WebElement error = visible("error");
        assertTrue(error.getText().contains("unknown admin token"), error.getText());
        assertTrue(browser.findElement(By.id("login")).isDisplayed());
        assertFalse(browser.findElement(By.id("nav")).isDisplayed());
        for (WebElement view : browser.findElements(By.cssSelector(".view"))) {
            assertFalse(view.isDisplayed(), view.getDomAttribute("id"));
        }
        assertTrue(browser.findElements(By.cssSelector("#agents tbody tr")).isEmpty());
        assertFalse(browser.getPageSource().contains("secret-agent"));
        assertEquals("", browser.findElement(By.id("token")).getDomProperty("value"), "the pasted token is cleared");
    }

    @Test
    void consolePage_inTheBrowser_runsUnderItsPolicy_andStoresNothing() {
        signIn(ConsoleIssuer.ADMIN);
        visible("view-agents");
        JavascriptExecutor js = browser;
        assertEquals(0L, ((Number) js.executeScript("return window.localStorage.length + window.sessionStorage.length;")).longValue());
        assertEquals("", js.executeScript("return document.cookie;"));
        // an inline script the page might be tricked into holding does not run
        Object ran = js.executeAsyncScript("var done = arguments[0];"
                + "document.addEventListener('securitypolicyviolation', function () { done('blocked'); }, {once: true});"
                + "var s = document.createElement('script'); s.textContent = 'window.__inline = 1;'; document.body.appendChild(s);"
                + "if (window.__inline) { done('ran'); }");
        assertEquals("blocked", ran);
    }

    /** Takes the QR code as the screen shows it and decodes it, as a phone camera would. */
    private static String readQrOffScreen(WebElement qr) throws Exception {
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(qr.getScreenshotAs(OutputType.BYTES)));
        int[] pixels = shot.getRGB(0, 0, shot.getWidth(), shot.getHeight(), null, 0, shot.getWidth());
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(shot.getWidth(), shot.getHeight(),
                pixels)))).getText();
    }

    /** With {@code -Dtabard.console.screenshot}, the agents page after the flow becomes the README's docs/console.png. */
    private void screenshotForReadme() throws Exception {
        if (System.getProperty("tabard.console.screenshot") == null) {
            return;
        }
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve(".ci"))) {
            root = root.getParent();
        }
        assertTrue(root != null, "the repository root (with .ci/) above " + Path.of("").toAbsolutePath());
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(root.resolve("docs"));
        Files.copy(shot.toPath(), root.resolve("docs/console.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
