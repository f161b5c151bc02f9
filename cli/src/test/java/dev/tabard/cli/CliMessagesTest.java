package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tabard.fetch.SelfSignedTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the commands say when given a wrong file, a host they may not reach, a certificate they do not trust, or a presentation without its challenge. */
class CliMessagesTest {

    @TempDir
    Path dir;

    @Test
    void verify_missingFileDirectoryOrUnreadable_saysWhichFileAndWhy() throws Exception {
        Path missing = dir.resolve("nosuch.json");
        Run r = Run.run("verify", missing.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("error: No such resource: the file to verify " + missing + " does not exist (looked in " + dir + "); check the path",
                r.err());
        Run d = Run.run("verify", dir.toString());
        assertEquals("error: Malformed value: the file to verify " + dir + " is a directory; pass a file inside it", d.err());
        Path secret = Files.writeString(dir.resolve("secret.jwt"), "x");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(secret)) { // running as root reads anything
            Run u = Run.run("verify", secret.toString());
            assertTrue(u.err().startsWith("error: Forbidden: the file to verify " + secret + " is not readable"), u.err());
        }
    }

    @Test
    void policyTrustCertAndBundle_missing_nameTheirFlag() throws Exception {
        Path vc = Files.writeString(dir.resolve("vc.jwt"), "a.b.c");
        Path missing = dir.resolve("nosuch.json");
        Run policy = Run.run("verify", vc.toString(), "--policy", missing.toString());
        assertTrue(policy.err().startsWith("error: No such resource: the policy file (--policy) " + missing + " does not exist"), policy.err());
        Run cert = Run.run("verify", vc.toString(), "--trust-cert", dir.toString());
        assertTrue(cert.err().startsWith("error: Malformed value: the certificate to trust (--trust-cert) " + dir + " is a directory"),
                cert.err());
        Run bundle = Run.run("resolve", "did:web:example.com", "--bundle", missing.toString());
        assertEquals(1, bundle.code());
        assertTrue(bundle.err().startsWith("error: No such resource: the resolution bundle (--bundle) " + missing), bundle.err());
        assertFalse(cert.err().contains("hint: "), cert.err());
    }

    @Test
    void verify_presentationWithoutChallenge_saysToPassChallenge() throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String jwt = b64.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"vp+jwt\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("{\"type\":[\"VerifiablePresentation\"]}".getBytes(StandardCharsets.UTF_8)) + ".c2ln";
        Path vp = Files.writeString(dir.resolve("vp.jwt"), jwt + "\n");
        Run r = Run.run("verify", vp.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: Invalid challenge: this is a presentation") && r.err().contains("pass --challenge CHALLENGE"),
                r.err());
        Path json = Files.writeString(dir.resolve("vp.json"), "{\"type\": [\"VerifiablePresentation\"]}");
        assertTrue(Run.run("verify", json.toString()).err().contains("pass --challenge"));
        Run withChallenge = Run.run("verify", vp.toString(), "--challenge", "c-1");
        assertFalse(withChallenge.err().contains("pass --challenge"), withChallenge.err());
    }

    @Test
    void resolve_nonPublicHost_namesAllowHost() {
        Run r = Run.run("resolve", "did:web:localhost%3A9");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("non-public"), r.out());
        assertEquals("hint: to reach it, pass --allow-host localhost", r.err());
    }

    @Test
    void resolve_selfSignedServer_namesTrustCert() throws Exception {
        SelfSignedTls tls = SelfSignedTls.localhost();
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            Run r = Run.run("resolve", "did:web:localhost%3A" + server.getAddress().getPort(), "--allow-host", "localhost");
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("TLS handshake"), r.out());
            assertTrue(r.err().startsWith("hint: ") && r.err().contains("pass --trust-cert FILE"), r.err());
            assertFalse(r.out().contains("PKIX") || r.err().contains("PKIX"), r.out() + r.err());
            Path pem = Files.writeString(dir.resolve("server.pem"), tls.certificatePem());
            Run trusted = Run.run("resolve", "did:web:localhost%3A" + server.getAddress().getPort(), "--allow-host", "localhost",
                    "--trust-cert", pem.toString());
            assertFalse(trusted.out().contains("TLS handshake") || trusted.err().contains("--trust-cert"), trusted.out() + trusted.err());
        } finally {
            server.stop(0);
        }
    }
}
