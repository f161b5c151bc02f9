package dev.tabard.issuer.agents;

import dev.tabard.did.Did;
import dev.tabard.did.jwk.JwkDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.DidWebUrls;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Locale;
import java.util.Objects;

/**
 * The DIDs an agent can be registered under: those a Tabard verifier would accept as a credential's subject and a
 * presentation's holder. A registry entry for any other DID would put the organization's signature on an identity
 * that no verifier can bind to a key, or on a key anyone can forge for (a small-order Ed25519 key verifies
 * signatures nobody made).
 */
public final class AgentDids {

    private AgentDids() {
    }

    /**
     * Returns {@code did} when a verifier would accept it.
     *
     * @throws ProblemException {@code INVALID_DID} for a did:key or did:jwk whose key a verifier refuses (small-order
     *     or non-canonical Ed25519, a P-256 point off the curve, a key type Tabard does not verify with); a did:web that
     *     breaks the did:web rules (an IP address, an empty or dot segment) or names {@code localhost}; a DID method
     *     Tabard does not resolve
     */
    public static Did requireVerifiable(Did did) {
        Objects.requireNonNull(did, "did");
        switch (did.method()) {
            case KeyDids.METHOD -> {
                try {
                    KeyDids.key(did);
                } catch (ProblemException e) {
                    throw invalid(e.problem().detail() + "; register the agent's wallet DID, a did:key of an Ed25519 or P-256 key");
                }
            }
            case JwkDidResolver.METHOD -> {
                try {
                    JwkDidResolver.document(did);
                } catch (ProblemException e) {
                    throw invalid(e.problem().detail() + "; register a did:jwk of a valid Ed25519 or P-256 public key");
                }
            }
            case DidWebUrls.METHOD -> {
                try {
                    DidWebUrls.toUrl(did);
                } catch (ProblemException e) {
                    throw invalid(e.problem().detail() + "; register the agent's did:web under its public DNS name");
                }
                String host = did.methodSpecificId().split(":", -1)[0].toLowerCase(Locale.ROOT).replaceFirst("%3a.*$", "");
                if (host.equals("localhost") || host.endsWith(".localhost")) {
                    // RFC 6761 §6.3: these names are the loopback interface, which a verifier's fetcher refuses
                    throw invalid(did + " names localhost, which no verifier resolves; register the agent's public did:web");
                }
            }
            default -> throw invalid("did:" + did.method() + " is not a method Tabard verifiers resolve; register a did:key, "
                    + "did:jwk or did:web");
        }
        return did;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_DID, detail);
    }
}
