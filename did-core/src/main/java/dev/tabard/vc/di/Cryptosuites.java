package dev.tabard.vc.di;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.KeyType;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.jsonld.Rdfc;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The cryptosuites Tabard creates and verifies: eddsa-rdfc-2022 and eddsa-jcs-2022 on Ed25519, ecdsa-rdfc-2019 and
 * ecdsa-jcs-2019 on P-256 (P-384 is not a Tabard key type).
 */
public final class Cryptosuites {

    public static final Cryptosuite EDDSA_RDFC_2022 = new RdfcSuite("eddsa-rdfc-2022", KeyType.ED25519);
    public static final Cryptosuite EDDSA_JCS_2022 = new JcsSuite("eddsa-jcs-2022", KeyType.ED25519);
    public static final Cryptosuite ECDSA_RDFC_2019 = new RdfcSuite("ecdsa-rdfc-2019", KeyType.P256);
    public static final Cryptosuite ECDSA_JCS_2019 = new JcsSuite("ecdsa-jcs-2019", KeyType.P256);

    private static final List<Cryptosuite> ALL = List.of(EDDSA_RDFC_2022, EDDSA_JCS_2022, ECDSA_RDFC_2019, ECDSA_JCS_2019);

    private Cryptosuites() {
    }

    public static Optional<Cryptosuite> byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The suite for {@code name} and key type, or a {@code PROOF_VERIFICATION_ERROR}. */
    static Cryptosuite require(String name) {
        return byName(name).orElseThrow(() -> new ProblemException(ProblemType.PROOF_VERIFICATION_ERROR,
                "unsupported cryptosuite '" + name + "'"));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private record RdfcSuite(String name, KeyType keyType) implements Cryptosuite {
        @Override
        public byte[] hashData(ObjectNode unsecuredDocument, ObjectNode proofConfig, BundledContexts contexts) {
            byte[] proofHash = sha256(Rdfc.canonicalize(proofConfig, contexts).getBytes(StandardCharsets.UTF_8));
            byte[] docHash = sha256(Rdfc.canonicalize(unsecuredDocument, contexts).getBytes(StandardCharsets.UTF_8));
            return concat(proofHash, docHash);
        }
    }

    private record JcsSuite(String name, KeyType keyType) implements Cryptosuite {
        @Override
        public byte[] hashData(ObjectNode unsecuredDocument, ObjectNode proofConfig, BundledContexts contexts) {
            return concat(sha256(Jcs.canonicalize(proofConfig)), sha256(Jcs.canonicalize(unsecuredDocument)));
        }

        @Override
        public boolean proofKeepsContext() {
            return true;
        }
    }
}
