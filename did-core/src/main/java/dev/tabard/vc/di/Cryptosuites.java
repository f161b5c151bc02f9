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
import java.util.stream.Collectors;

/**
 * The cryptosuites Tabard creates and verifies: eddsa-rdfc-2022 and eddsa-jcs-2022 on Ed25519; ecdsa-rdfc-2019 and
 * ecdsa-jcs-2019 on P-256 and on P-384. A suite here is one name on one key type, because the ECDSA suites hash with
 * the hash that follows the curve (vc-di-ecdsa §3.3, §3.4): SHA-256 for P-256, SHA-384 for P-384, both for the proof
 * configuration and document hashes and inside RDFC-1.0.
 */
public final class Cryptosuites {

    public static final Cryptosuite EDDSA_RDFC_2022 = new RdfcSuite("eddsa-rdfc-2022", KeyType.ED25519, "SHA-256");
    public static final Cryptosuite EDDSA_JCS_2022 = new JcsSuite("eddsa-jcs-2022", KeyType.ED25519, "SHA-256");
    public static final Cryptosuite ECDSA_RDFC_2019 = new RdfcSuite("ecdsa-rdfc-2019", KeyType.P256, "SHA-256");
    public static final Cryptosuite ECDSA_JCS_2019 = new JcsSuite("ecdsa-jcs-2019", KeyType.P256, "SHA-256");
    public static final Cryptosuite ECDSA_RDFC_2019_P384 = new RdfcSuite("ecdsa-rdfc-2019", KeyType.P384, "SHA-384");
    public static final Cryptosuite ECDSA_JCS_2019_P384 = new JcsSuite("ecdsa-jcs-2019", KeyType.P384, "SHA-384");

    private static final List<Cryptosuite> ALL = List.of(EDDSA_RDFC_2022, EDDSA_JCS_2022, ECDSA_RDFC_2019, ECDSA_JCS_2019,
            ECDSA_RDFC_2019_P384, ECDSA_JCS_2019_P384);

    private Cryptosuites() {
    }

    /** The suite {@code name} on keys of {@code keyType}, if Tabard has it. */
    public static Optional<Cryptosuite> byName(String name, KeyType keyType) {
        return ALL.stream().filter(s -> s.name().equals(name) && s.keyType() == keyType).findFirst();
    }

    /** Whether any key type has the suite {@code name}. */
    public static boolean isKnown(String name) {
        return ALL.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Refuses, with a {@code PROOF_VERIFICATION_ERROR} naming the suites there are, a name no key type has. */
    static void requireKnown(String name) {
        if (!isKnown(name)) {
            throw new ProblemException(ProblemType.PROOF_VERIFICATION_ERROR, "unsupported cryptosuite '" + name
                    + "': use one of " + ALL.stream().map(Cryptosuite::name).distinct().collect(Collectors.joining(", ")));
        }
    }

    /** The suite {@code name} on {@code keyType}, or a {@code PROOF_VERIFICATION_ERROR} saying which keys would fit. */
    static Cryptosuite require(String name, KeyType keyType) {
        requireKnown(name);
        return byName(name, keyType).orElseThrow(() -> new ProblemException(ProblemType.PROOF_VERIFICATION_ERROR,
                name + " needs a " + ALL.stream().filter(s -> s.name().equals(name)).map(s -> s.keyType().jwkCrv())
                        .collect(Collectors.joining(" or ")) + " key; the verification method's key is " + keyType.jwkCrv()));
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
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

    private record RdfcSuite(String name, KeyType keyType, String hashAlgorithm) implements Cryptosuite {
        @Override
        public byte[] hashData(ObjectNode unsecuredDocument, ObjectNode proofConfig, BundledContexts contexts) {
            byte[] proofHash = digest(hashAlgorithm,
                    Rdfc.canonicalize(proofConfig, contexts, hashAlgorithm).getBytes(StandardCharsets.UTF_8));
            byte[] docHash = digest(hashAlgorithm,
                    Rdfc.canonicalize(unsecuredDocument, contexts, hashAlgorithm).getBytes(StandardCharsets.UTF_8));
            return concat(proofHash, docHash);
        }
    }

    private record JcsSuite(String name, KeyType keyType, String hashAlgorithm) implements Cryptosuite {
        @Override
        public byte[] hashData(ObjectNode unsecuredDocument, ObjectNode proofConfig, BundledContexts contexts) {
            return concat(digest(hashAlgorithm, Jcs.canonicalize(proofConfig)),
                    digest(hashAlgorithm, Jcs.canonicalize(unsecuredDocument)));
        }

        @Override
        public boolean proofKeepsContext() {
            return true;
        }
    }
}
