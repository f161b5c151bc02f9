package dev.tabard.sdjwt;

import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.jose.CompactJws;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An SD-JWT in compact serialization (RFC 9901 §4): {@code <issuer-jwt>~<d1>~…~<dn>~[<kb-jwt>]}. Parsing checks only the
 * shape and the bounds; {@link #verify} checks the issuer's signature and every disclosure, and {@link KeyBinding}
 * checks the key-binding JWT.
 *
 * @param issuerJwt the issuer-signed JWT
 * @param disclosures the disclosures, in the order presented
 * @param keyBindingJwt the key-binding JWT, when the holder added one
 */
public record SdJwt(String issuerJwt, List<Disclosure> disclosures, Optional<String> keyBindingJwt) {

    /** Largest serialization accepted, in characters. */
    public static final int MAX_CHARS = 1_000_000;
    /** Most disclosures accepted in one SD-JWT (SECURITY-NOTES). */
    public static final int MAX_DISCLOSURES = 256;

    public SdJwt {
        Objects.requireNonNull(issuerJwt, "issuerJwt");
        disclosures = List.copyOf(disclosures);
        Objects.requireNonNull(keyBindingJwt, "keyBindingJwt");
        if (disclosures.size() > MAX_DISCLOSURES) {
            throw new IllegalArgumentException("more than " + MAX_DISCLOSURES + " disclosures");
        }
        if (issuerJwt.isEmpty() || issuerJwt.indexOf('~') >= 0 || keyBindingJwt.map(k -> k.isEmpty() || k.indexOf('~') >= 0).orElse(false)) {
            throw new IllegalArgumentException("the issuer JWT and the key-binding JWT are non-empty and contain no '~'");
        }
    }

    /**
     * Whether {@code text} has the shape of the SD-JWT serialization (a JWS, then {@code ~}), as opposed to a plain
     * JWS such as a vc+jwt or vp+jwt (never a {@code ~}) or a JSON document: which parser to hand it to, not whether
     * it is well formed.
     */
    public static boolean looksLikeSdJwt(String text) {
        String s = Objects.requireNonNull(text, "text").trim();
        return !s.startsWith("{") && s.indexOf('~') > 0;
    }

    /**
     * Splits a compact SD-JWT or SD-JWT+KB.
     *
     * @throws ProblemException {@code INPUT_TOO_LARGE} past {@link #MAX_CHARS}; {@code LIMIT_EXCEEDED} past
     *     {@link #MAX_DISCLOSURES}; {@code PARSING_ERROR} for text without the {@code ~} separators or with an empty
     *     disclosure; {@code SD_JWT_DISCLOSURE_INVALID} for a malformed disclosure
     */
    public static SdJwt parse(String serialized) {
        Objects.requireNonNull(serialized, "serialized");
        if (serialized.length() > MAX_CHARS) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "SD-JWT exceeds " + MAX_CHARS + " characters");
        }
        int first = serialized.indexOf('~');
        if (first <= 0) {
            throw new ProblemException(ProblemType.PARSING_ERROR, "an SD-JWT is '<issuer-jwt>~<disclosures>~[<kb-jwt>]'");
        }
        int last = serialized.lastIndexOf('~');
        List<Disclosure> disclosures = new ArrayList<>();
        int start = first + 1;
        while (start <= last) {
            int end = serialized.indexOf('~', start);
            if (end == start) {
                throw new ProblemException(ProblemType.PARSING_ERROR, "an SD-JWT has an empty disclosure ('~~')");
            }
            if (disclosures.size() == MAX_DISCLOSURES) {
                throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "an SD-JWT has more than " + MAX_DISCLOSURES + " disclosures");
            }
            disclosures.add(Disclosure.parse(serialized.substring(start, end)));
            start = end + 1;
        }
        String kb = serialized.substring(last + 1);
        return new SdJwt(serialized.substring(0, first), disclosures, kb.isEmpty() ? Optional.empty() : Optional.of(kb));
    }

    /** The compact serialization. */
    public String serialize() {
        return keyBindingPrefix() + keyBindingJwt.orElse("");
    }

    /** Everything up to and including the last {@code ~}: what a key-binding JWT's {@code sd_hash} covers. */
    public String keyBindingPrefix() {
        StringBuilder b = new StringBuilder(issuerJwt).append('~');
        for (Disclosure d : disclosures) {
            b.append(d.encoded()).append('~');
        }
        return b.toString();
    }

    /** base64url(SHA-256(ASCII({@link #keyBindingPrefix()}))), the {@code sd_hash} of RFC 9901 §4.3.1. */
    public String sdHash() {
        return Disclosure.sha256(keyBindingPrefix());
    }

    /** This SD-JWT without its key-binding JWT. */
    public SdJwt withoutKeyBinding() {
        return new SdJwt(issuerJwt, disclosures, Optional.empty());
    }

    /** The issuer-signed JWT, parsed strictly but not verified: to read its {@code kid} and {@code typ}. */
    public CompactJws issuerJws() {
        return CompactJws.parse(issuerJwt);
    }

    /**
     * Verifies the issuer's signature with {@code issuerKey} (whose type allows the JWS algorithm) and processes the
     * disclosures (RFC 9901 §7.1). The key-binding JWT is checked separately, by {@link KeyBinding#verify}.
     *
     * @throws ProblemException the {@link CompactJws} parsing problems; {@code ALGORITHM_NOT_ALLOWED};
     *     {@code CRYPTOGRAPHIC_SECURITY_ERROR} for a bad signature; the {@link SdJwtProcessor} problems
     */
    public ProcessedSdJwt verify(VerificationKey issuerKey) {
        Objects.requireNonNull(issuerKey, "issuerKey");
        return SdJwtProcessor.process(issuerJws().verify(issuerKey), disclosures);
    }

    /** Counts only: the serialization is a bearer secret and holds personal data. */
    @Override
    public String toString() {
        return "SdJwt[" + disclosures.size() + " disclosures, keyBinding=" + keyBindingJwt.isPresent() + "]";
    }
}
