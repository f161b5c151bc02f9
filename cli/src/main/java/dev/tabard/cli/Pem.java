package dev.tabard.cli;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A server TLS context from PEM files, read with BouncyCastle's PEM parser: the certificate file holds the server's
 * certificate first and then, optionally, its chain (several {@code CERTIFICATE} blocks); the key file holds one
 * unencrypted private key as PKCS#8 ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}) or PKCS#1
 * ({@code RSA PRIVATE KEY}).
 *
 * <p>These are TLS keys, not credential keys: RSA is accepted here (from 2,048 bits), while credentials sign only
 * with Ed25519 and P-256. An encrypted key is refused rather than prompting for a passphrase, since the servers run
 * unattended; the key is checked against the first certificate before it serves. Every error names the file and
 * where its name came from (a flag, an environment variable or the config file), as the caller describes it.
 */
final class Pem {

    /** Far above any real certificate chain or key file; bounds the read. */
    static final int MAX_FILE_BYTES = 1 << 20;
    static final int MAX_CERTIFICATES = 10;
    private static final int MIN_RSA_BITS = 2048;

    /** Where a file name came from, e.g. {@code "the TLS key (--tls-key)"}; it starts every error about the file. */
    record Source(Path file, String what) {
        @Override
        public String toString() {
            return what + " " + file;
        }
    }

    private Pem() {
    }

    /**
     * The TLS context serving {@code cert}'s chain with {@code key}.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for a file that is not the PEM described above, an
     *     encrypted or weak key, or a key that does not belong to the first certificate; what
     *     {@link InputFiles#readable} throws for a missing or unreadable file; {@code INPUT_TOO_LARGE} past
     *     {@link #MAX_FILE_BYTES}
     */
    static SSLContext serverContext(Source cert, Source key) throws GeneralSecurityException, IOException {
        X509Certificate[] chain = certificates(cert);
        PrivateKey privateKey = privateKey(key);
        checkPair(privateKey, chain[0], cert, key);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", privateKey, new char[0], chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** Every CERTIFICATE block, in file order (leaf first). */
    static X509Certificate[] certificates(Source source) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(read(source)))) {
            for (Object o = next(parser, source); o != null; o = next(parser, source)) {
                if (!(o instanceof X509CertificateHolder holder)) {
                    throw bad(source, "holds a " + describe(o) + " where only CERTIFICATE blocks belong");
                }
                if (chain.size() == MAX_CERTIFICATES) {
                    throw bad(source, "holds more than " + MAX_CERTIFICATES + " certificates");
                }
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (java.security.cert.CertificateException e) {
                    throw bad(source, "holds a certificate Java cannot read");
                }
            }
        }
        if (chain.isEmpty()) {
            throw bad(source, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain.toArray(X509Certificate[]::new);
    }

    /** The one private key block. */
    static PrivateKey privateKey(Source source) throws IOException {
        PrivateKey key = null;
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(read(source)))) {
            for (Object o = next(parser, source); o != null; o = next(parser, source)) {
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw bad(source, "is encrypted; the server cannot ask for a passphrase: store it unencrypted "
                            + "(e.g. openssl pkey -in KEY -out PLAIN) in a file only the server's user can read");
                }
                if (key != null) {
                    throw bad(source, "holds more than one private key");
                }
                try {
                    if (o instanceof PrivateKeyInfo info) {
                        key = converter.getPrivateKey(info);
                    } else if (o instanceof PEMKeyPair pair) {
                        key = converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1 and PKCS#1 carry the same PKCS#8 content
                    } else {
                        throw bad(source, "holds a " + describe(o) + " where a private key belongs");
                    }
                } catch (org.bouncycastle.openssl.PEMException e) {
                    throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, source + " holds a private key of a kind Java cannot use", e);
                }
            }
        }
        if (key == null) {
            throw bad(source, "holds no PEM private key (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
        }
        if (key instanceof RSAKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw bad(source, "holds a " + rsa.getModulus().bitLength() + "-bit RSA key; use at least " + MIN_RSA_BITS + " bits");
        }
        return key;
    }

    /** A key that does not sign for the certificate would only fail later, in every client's handshake. */
    private static void checkPair(PrivateKey key, X509Certificate leaf, Source cert, Source keySource) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw bad(keySource, "holds a " + key.getAlgorithm() + " key; TLS here takes EC, RSA or Ed25519 keys");
        };
        byte[] probe = "tabard tls key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's: reported below
        }
        throw bad(keySource, "does not belong to the first certificate in " + cert);
    }

    private static Object next(PEMParser parser, Source source) {
        try {
            return parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw bad(source, "is not well-formed PEM");
        }
    }

    private static String read(Source source) throws IOException {
        Path file = InputFiles.readable(source.file(), source.what());
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, source + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        // ISO-8859-1 decodes any byte, so a binary file reaches the PEM parser and is refused there, by name
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }

    private static String describe(Object o) {
        if (o instanceof X509CertificateHolder) {
            return "certificate";
        }
        if (o instanceof PrivateKeyInfo || o instanceof PEMKeyPair) {
            return "private key";
        }
        return o.getClass().getSimpleName() + " block";
    }

    private static ProblemException bad(Source source, String why) {
        return new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, source + " " + why);
    }
}
