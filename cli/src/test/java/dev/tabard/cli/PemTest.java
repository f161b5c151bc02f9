package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pem with keys and certificates generated here by BouncyCastle, in every PEM form it takes, and a real handshake. */
class PemTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits, RANDOM);
        return g.generateKeyPair();
    }

    /** A certificate for {@code subject}'s key, signed by {@code issuerKey}; a CA when {@code ca}. */
    private static X509Certificate cert(String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey, boolean ca) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer), new BigInteger(64, RANDOM),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name("CN=" + subject),
                subjectKey.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        }
        String alg = issuerKey.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey.getPrivate())));
    }

    private Path write(String name, Object... objects) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        return Files.writeString(dir.resolve(name), sw.toString());
    }

    private static Pem.Source cert(Path p) {
        return new Pem.Source(p, "the TLS certificate (--tls-cert)");
    }

    private static Pem.Source key(Path p) {
        return new Pem.Source(p, "the TLS key ('tlsKey' in issuer.yaml)");
    }

    /** Serves one handshake with {@code server} and returns the chain the client saw, trusting {@code root}. */
    private static Certificate[] handshake(SSLContext server, X509Certificate root) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            ss.setSoTimeout(20_000);
            Thread t = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.startHandshake();
                    s.getOutputStream().write(1);
                    s.getOutputStream().flush();
                } catch (IOException ignored) {
                    // the client's assertions report a failed handshake
                }
            });
            t.start();
            try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket("localhost", ss.getLocalPort())) {
                c.setSoTimeout(20_000);
                c.startHandshake();
                assertEquals(1, c.getInputStream().read());
                return c.getSession().getPeerCertificates();
            } finally {
                t.join(20_000);
            }
        }
    }

    @Test
    void serverContext_pkcs8EcKey_servesTls() throws Exception {
        KeyPair k = ec();
        X509Certificate c = cert("localhost", k, "localhost", k, false);
        SSLContext ctx = Pem.serverContext(cert(write("c.pem", c)), key(write("k.pem", new JcaPKCS8Generator(k.getPrivate(), null))));
        assertEquals(c, handshake(ctx, c)[0]);
        assertTrue(Files.readString(dir.resolve("k.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
    }

    @Test
    void serverContext_sec1EcKey_servesTls() throws Exception {
        // BouncyCastle's keys carry the curve inside the SEC1 structure, as openssl's do; SunEC's PKCS#8 does not
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        KeyPair k = g.generateKeyPair();
        X509Certificate c = cert("localhost", k, "localhost", k, false);
        Path keyFile = write("k.pem", k); // a KeyPair is written as SEC1
        assertTrue(Files.readString(keyFile).startsWith("-----BEGIN EC PRIVATE KEY-----"));
        assertEquals(c, handshake(Pem.serverContext(cert(write("c.pem", c)), key(keyFile)), c)[0]);
    }

    @Test
    void serverContext_pkcs1RsaKey_servesTls() throws Exception {
        KeyPair k = rsa(2048);
        X509Certificate c = cert("localhost", k, "localhost", k, false);
        Path keyFile = write("k.pem", k);
        assertTrue(Files.readString(keyFile).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertEquals(c, handshake(Pem.serverContext(cert(write("c.pem", c)), key(keyFile)), c)[0]);
    }

    @Test
    void serverContext_certificateChain_servesTheWholeChain() throws Exception {
        KeyPair rootKey = ec();
        KeyPair intermediateKey = ec();
        KeyPair leafKey = ec();
        X509Certificate root = cert("Test Root", rootKey, "Test Root", rootKey, true);
        X509Certificate intermediate = cert("Test Intermediate", intermediateKey, "Test Root", rootKey, true);
        X509Certificate leaf = cert("localhost", leafKey, "Test Intermediate", intermediateKey, false);
        SSLContext ctx = Pem.serverContext(cert(write("chain.pem", leaf, intermediate)),
                key(write("k.pem", new JcaPKCS8Generator(leafKey.getPrivate(), null))));
        Certificate[] seen = handshake(ctx, root);
        assertEquals(2, seen.length);
        assertEquals(leaf, seen[0]);
        assertEquals(intermediate, seen[1]);
    }

    private ProblemException refused(Path certFile, Path keyFile) {
        return assertThrows(ProblemException.class, () -> Pem.serverContext(cert(certFile), key(keyFile)));
    }

    @Test
    void serverContext_encryptedPkcs8Key_refusedNamingTheSource() throws Exception {
        KeyPair k = ec();
        X509Certificate c = cert("localhost", k, "localhost", k, false);
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setPassword("pw".toCharArray())
                .setRandom(RANDOM).setProvider(new BouncyCastleProvider()).build();
        Path keyFile = write("k.pem", new JcaPKCS8Generator(k.getPrivate(), encryptor));
        ProblemException e = refused(write("c.pem", c), keyFile);
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type());
        assertTrue(e.getMessage().contains("the TLS key ('tlsKey' in issuer.yaml) " + keyFile + " is encrypted"), e.getMessage());
    }

    @Test
    void serverContext_encryptedTraditionalKey_refused() throws Exception {
        KeyPair k = rsa(2048);
        X509Certificate c = cert("localhost", k, "localhost", k, false);
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(k, new JcePEMEncryptorBuilder("AES-128-CBC").setSecureRandom(RANDOM).setProvider(new BouncyCastleProvider()).build("pw".toCharArray()));
        }
        Path keyFile = Files.writeString(dir.resolve("k.pem"), sw.toString());
        ProblemException e = refused(write("c.pem", c), keyFile);
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type());
        assertTrue(e.getMessage().contains("is encrypted"), e.getMessage());
    }

    @Test
    void serverContext_keyOfAnotherCertificate_refused() throws Exception {
        KeyPair k = ec();
        X509Certificate c = cert("localhost", k, "localhost", k, false);
        ProblemException e = refused(write("c.pem", c), write("k.pem", new JcaPKCS8Generator(ec().getPrivate(), null)));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type());
        assertTrue(e.getMessage().contains("does not belong to the first certificate in the TLS certificate (--tls-cert)"), e.getMessage());
    }

    @Test
    void serverContext_weakRsaKey_refused() throws Exception {
        KeyPair k = rsa(1024);
        X509Certificate c = cert("localhost", k, "localhost", k, false);
        ProblemException e = refused(write("c.pem", c), write("k.pem", k));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type());
        assertTrue(e.getMessage().contains("1024-bit RSA key"), e.getMessage());
    }

    @Test
    void serverContext_swappedFiles_refusedNamingEachFile() throws Exception {
        KeyPair k = ec();
        X509Certificate c = cert("localhost", k, "localhost", k, false);
        Path certFile = write("c.pem", c);
        Path keyFile = write("k.pem", new JcaPKCS8Generator(k.getPrivate(), null));
        ProblemException e = refused(keyFile, certFile);
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type());
        assertTrue(e.getMessage().contains("the TLS certificate (--tls-cert) " + keyFile + " holds a private key"), e.getMessage());
    }

    @Test
    void serverContext_notPem_refused() throws Exception {
        Path junk = Files.write(dir.resolve("junk.pem"), new byte[] {0, (byte) 0xff, 'x'});
        Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        KeyPair k = ec();
        Path keyFile = write("k.pem", new JcaPKCS8Generator(k.getPrivate(), null));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, refused(junk, keyFile).type());
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, refused(broken, keyFile).type());
        assertEquals(ProblemType.RESOURCE_NOT_FOUND, refused(dir.resolve("missing.pem"), keyFile).type());
    }
}
