package dev.tabard.issuer;

import dev.tabard.crypto.KeyType;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Arrays;
import java.util.Optional;

/** How a credential is secured, and so which org key signs it. */
public enum IssuanceFormat {
    /** vc+jwt with the Ed25519 key ({@code EdDSA}), the default. */
    VC_JWT(KeyType.ED25519, "eddsa-rdfc-2022", "vc+jwt"),
    /** vc+jwt with the P-256 key ({@code ES256}). */
    VC_JWT_ES256(KeyType.P256, "ecdsa-rdfc-2019", "vc+jwt"),
    EDDSA_RDFC_2022(KeyType.ED25519, "eddsa-rdfc-2022", "eddsa-rdfc-2022"),
    EDDSA_JCS_2022(KeyType.ED25519, "eddsa-jcs-2022", "eddsa-jcs-2022"),
    ECDSA_RDFC_2019(KeyType.P256, "ecdsa-rdfc-2019", "ecdsa-rdfc-2019"),
    ECDSA_JCS_2019(KeyType.P256, "ecdsa-jcs-2019", "ecdsa-jcs-2019");

    private final KeyType keyType;
    /** The Data Integrity suite: this format's own, or for a vc+jwt the one used when VC 1.1 input cannot be a vc+jwt. */
    private final String cryptosuite;
    private final String formatName;

    IssuanceFormat(KeyType keyType, String cryptosuite, String formatName) {
        this.keyType = keyType;
        this.cryptosuite = cryptosuite;
        this.formatName = formatName;
    }

    public KeyType keyType() {
        return keyType;
    }

    /** The Data Integrity suite this format signs with (for a vc+jwt: the one VC 1.1 input gets). */
    String cryptosuite() {
        return cryptosuite;
    }

    boolean dataIntegrity() {
        return !formatName.equals("vc+jwt");
    }

    /** VC 1.1 has no vc+jwt form in VC-JOSE-COSE, so a vc+jwt request for it is secured with the key's RDFC suite. */
    IssuanceFormat forVc11() {
        return dataIntegrity() ? this : keyType == KeyType.P256 ? ECDSA_RDFC_2019 : EDDSA_RDFC_2022;
    }

    /**
     * The format a request names: {@code format} is {@code vc+jwt} (default) or a cryptosuite,
     * {@code eddsa-rdfc-2022}, {@code eddsa-jcs-2022}, {@code ecdsa-rdfc-2019} or {@code ecdsa-jcs-2019};
     * {@code alg} ({@code EdDSA} default, or {@code ES256}) picks the key of a vc+jwt and, when given with a
     * cryptosuite, must match it.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} at {@code /format} or {@code /alg} for an unknown
     *     format or a mismatched alg
     */
    public static IssuanceFormat select(Optional<String> format, Optional<String> alg) {
        String f = format.orElse("vc+jwt");
        Optional<KeyType> key = alg.map(a -> switch (a) {
            case "EdDSA", "Ed25519" -> KeyType.ED25519;
            case "ES256" -> KeyType.P256;
            default -> throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/alg",
                    "alg is EdDSA or ES256"));
        });
        IssuanceFormat out;
        if (f.equals("vc+jwt")) {
            out = key.orElse(KeyType.ED25519) == KeyType.P256 ? VC_JWT_ES256 : VC_JWT;
        } else {
            out = Arrays.stream(values()).filter(x -> x.dataIntegrity() && x.formatName.equals(f)).findFirst()
                    .orElseThrow(() -> new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/format",
                            "format is vc+jwt, eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019 or ecdsa-jcs-2019")));
        }
        if (key.isPresent() && key.get() != out.keyType) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/alg",
                    f + " does not sign with " + alg.get()));
        }
        return out;
    }
}
