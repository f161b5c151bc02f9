package dev.vouch.vc.jose.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import dev.vouch.crypto.SignatureVerifier;
import dev.vouch.crypto.VerificationKey;
import dev.vouch.problem.ProblemException;
import dev.vouch.problem.ProblemType;
import java.text.ParseException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs a structurally checked compact JWS through nimbus with a verifier of our own: BouncyCastle for
 * Ed25519 (faster than nimbus's Tink path and rejecting small-order keys) and our validated P-256 code
 * for ES256, which insists on a 64-byte r‖s with 0 &lt; r, s &lt; n.
 */
public final class NimbusVerification {

    private NimbusVerification() {
    }

    public static void verify(String token, VerificationKey key) {
        JWSObject jws;
        try {
            jws = JWSObject.parse(token);
        } catch (ParseException e) {
            throw new ProblemException(ProblemType.PARSING_ERROR, "JWS: " + e.getMessage());
        }
        boolean ok;
        try {
            ok = jws.verify(new KeyVerifier(key));
        } catch (JOSEException e) {
            throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, "JWS signature does not verify");
        }
        if (!ok) {
            throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, "JWS signature does not verify");
        }
    }

    private static final class KeyVerifier implements JWSVerifier {
        private final Set<JWSAlgorithm> algorithms;
        private final SignatureVerifier verifier;
        private final JCAContext context = new JCAContext();

        KeyVerifier(VerificationKey key) {
            this.algorithms = key.type().acceptedJwsAlgorithms().stream().map(JWSAlgorithm::parse)
                    .collect(Collectors.toUnmodifiableSet());
            this.verifier = key.verifier();
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
            if (!algorithms.contains(header.getAlgorithm())) {
                return false;
            }
            try {
                verifier.verify(signingInput, signature.decode());
                return true;
            } catch (ProblemException e) {
                return false;
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return algorithms;
        }

        @Override
        public JCAContext getJCAContext() {
            return context;
        }
    }
}
