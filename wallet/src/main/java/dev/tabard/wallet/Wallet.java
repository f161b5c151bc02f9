package dev.tabard.wallet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeySealer;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.Signer;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDids;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import dev.tabard.wallet.present.PresentationRequest;
import dev.tabard.wallet.delegation.DelegationRequest;
import dev.tabard.wallet.store.CredentialQuery;
import dev.tabard.wallet.store.HeldDelegation;
import dev.tabard.wallet.store.StoredCredential;
import dev.tabard.wallet.store.WalletStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An agent's wallet: its key (sealed at rest under a key derived from the secret), its DID (did:key), the
 * credentials it holds, and the presentations it makes. Credentials are verified on the way in; keys never leave:
 * signing goes through {@link #signer()}.
 */
public final class Wallet implements AutoCloseable {

    /** How long a presentation is valid: long enough to cross the network, short enough not to be worth stealing. */
    public static final Duration PRESENTATION_LIFETIME = Duration.ofMinutes(2);

    /** The associated data the wallet's key is sealed with. */
    private static final String KEY_LABEL = "wallet-key";

    private final WalletStore store;
    private final Signer key;
    private final Did did;
    private final Verifier verifier;
    private final IssuanceClient issuance;
    private final Clock clock;
    private final Delegations delegations;
    private final SdJwtHolding sdJwts;
    private final Presenter presenter;

    private Wallet(WalletStore store, Signer key, Verifier verifier, IssuanceClient issuance, Clock clock) {
        this.store = store;
        this.key = key;
        this.did = KeyDids.of(key.publicKey());
        this.verifier = verifier;
        this.issuance = issuance;
        this.clock = clock;
        this.delegations = new Delegations(store, key, did, KeyDids.methodId(key.publicKey()), verifier, issuance, clock);
        this.sdJwts = new SdJwtHolding(key, did, verifier, clock);
        this.presenter = new Presenter(store, key, did, KeyDids.methodId(key.publicKey()), delegations, sdJwts, clock);
    }

    /**
     * Opens (or creates) the wallet file at {@code path}, owner-only on POSIX.
     *
     * @param verifier checks every credential before it is stored
     * @throws ProblemException {@code UNAUTHORIZED} for a wrong secret; {@code LIMIT_EXCEEDED} when the key-derivation
     *     parameters stored in the file are outside {@link KeySealer}'s bounds (refused before the derivation runs);
     *     {@code MALFORMED_VALUE_ERROR} for parameters that do not parse. The detail names the file; the file is not
     *     changed. A file sealed with scrypt, as before Argon2id, opens and is re-sealed under Argon2id in one transaction
     */
    public static Wallet open(Path path, char[] secret, Verifier verifier, IssuanceClient issuance, Clock clock) {
        return open(path, secret, KeyType.ED25519, verifier, issuance, clock);
    }

    /**
     * As {@link #open(Path, char[], Verifier, IssuanceClient, Clock)}, creating the wallet's key of {@code keyType}
     * (Ed25519 by default; P-256 for deployments that require NIST curves). An existing wallet keeps its key.
     */
    public static Wallet open(Path path, char[] secret, KeyType keyType, Verifier verifier, IssuanceClient issuance, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        return unseal(WalletStore.open(path), path, secret, keyType, verifier, issuance, clock);
    }

    /**
     * As {@link #open(Path, char[], Verifier, IssuanceClient, Clock)}, for a wallet that exists: never creates the file
     * or a key, so that a mistyped path is an error rather than a new wallet with a new identity.
     *
     * @throws ProblemException as {@link WalletStore#openExisting(Path)}, and as {@code open} for a wrong secret
     */
    public static Wallet openExisting(Path path, char[] secret, Verifier verifier, IssuanceClient issuance, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        return unseal(WalletStore.openExisting(path), path, secret, null, verifier, issuance, clock);
    }

    /** The wallet in {@code store}, its key created first when the file has none and {@code keyType} is given. */
    private static Wallet unseal(WalletStore store, Path path, char[] secret, KeyType keyType, Verifier verifier, IssuanceClient issuance,
            Clock clock) {
        try {
            SecureRandom random = new SecureRandom();
            if (store.meta("sealing").isEmpty() && keyType == null) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "it holds no sealed key (its key is kept by a key provider)");
            }
            if (store.meta("sealing").isEmpty()) {
                KeySealer sealer = KeySealer.create(secret, random);
                KeyPair fresh = KeyPair.generate(keyType, random);
                store.initMeta(Map.of("sealing", sealer.parameters(), "key.type", fresh.keyType().name(),
                        "key.public", fresh.publicKey().toMultibase(),
                        "key.sealed", sealer.seal(fresh.unsafePrivateKeyBytes(), KEY_LABEL)));
                fresh.destroy();
            }
            KeySealer sealer = KeySealer.open(secret, store.meta("sealing").orElseThrow(), random);
            VerificationKey pub = VerificationKey.fromMultibase(store.meta("key.public").orElseThrow());
            String sealedKey = store.meta("key.sealed").orElseThrow();
            KeyPair key = KeyPair.fromPrivateKey(KeyType.valueOf(store.meta("key.type").orElseThrow()), sealer.open(sealedKey, KEY_LABEL),
                    pub);
            if (sealer.needsUpgrade()) {
                // a file sealed with scrypt moves to Argon2id: parameters and key in one transaction, or not at all;
                // false means another process sharing the file re-sealed it first, which is as good
                KeySealer upgraded = KeySealer.create(secret, random);
                store.resealKey(sealer.parameters(), upgraded.parameters(), sealer.resealUnder(upgraded, sealedKey, KEY_LABEL));
            }
            return new Wallet(store, key, verifier, issuance, clock);
        } catch (ProblemException e) {
            store.close();
            throw new ProblemException(e.type(), "the wallet " + path + ": " + e.problem().detail());
        } catch (RuntimeException e) {
            store.close();
            // a ProblemException was handled above; anything else is a fault (an unreadable file, a bug): logged once
            throw dev.tabard.problem.Incident.report(org.slf4j.LoggerFactory.getLogger(Wallet.class), "opening the wallet " + path, e)
                    .exception();
        }
    }

    /**
     * Opens (or creates) a wallet whose key lives elsewhere — an HSM, a KMS, an OS keystore — behind {@code keyProvider}.
     * The file records the public key and refuses a provider with another one.
     *
     * @throws ProblemException {@code UNAUTHORIZED} when the provider's key is not the wallet's
     */
    public static Wallet open(Path path, Signer keyProvider, Verifier verifier, IssuanceClient issuance, Clock clock) {
        Objects.requireNonNull(keyProvider, "keyProvider");
        WalletStore store = WalletStore.open(path);
        try {
            store.initMeta(Map.of("key.type", keyProvider.keyType().name(), "key.public", keyProvider.publicKey().toMultibase(),
                    "key.external", "true"));
            if (!keyProvider.publicKey().toMultibase().equals(store.meta("key.public").orElseThrow())) {
                throw new ProblemException(ProblemType.UNAUTHORIZED, "the key provider's key is not this wallet's key");
            }
            return new Wallet(store, keyProvider, verifier, issuance, clock);
        } catch (RuntimeException e) {
            store.close();
            if (e instanceof ProblemException) {
                throw e;
            }
            throw dev.tabard.problem.Incident.report(org.slf4j.LoggerFactory.getLogger(Wallet.class), "opening the wallet " + path, e)
                    .exception();
        }
    }

    public Did did() {
        return did;
    }

    /** The wallet's key as a signer; the private key stays inside (the returned object exposes nothing else). */
    public Signer signer() {
        Signer inner = key;
        return new Signer() {
            @Override
            public KeyType keyType() {
                return inner.keyType();
            }

            @Override
            public VerificationKey publicKey() {
                return inner.publicKey();
            }

            @Override
            public byte[] sign(byte[] message) {
                return inner.sign(message);
            }
        };
    }

    /** Verifies a held credential now: signature, dates, status and the wallet's policy. */
    public VerificationResult check(StoredCredential credential) {
        return verify(credential.token());
    }

    private VerificationResult verify(String token) { // an SD-JWT VC as SdJwtHolding#check presents it
        return SdJwtHolding.isSdJwt(token) ? sdJwts.check(token) : verifier.verifyCredential(token);
    }

    /**
     * The held credentials matching {@code query} that verify now as {@link #review()} checks them: status included (each
     * with its issuer's lists), for this wallet's DID, and with columns that say what the signed credential says.
     */
    public List<StoredCredential> activeCredentials(CredentialQuery query) {
        List<StoredCredential> out = new ArrayList<>();
        for (WalletStore.Row row : store.rows()) {
            Optional<StoredCredential> c = WalletStore.parse(row).filter(query::matches);
            if (c.isPresent() && RowCheck.check(row, verify(row.token()), did).verified()) {
                out.add(c.get());
            }
        }
        return out;
    }

    public DidUrl keyId() {
        return KeyDids.methodId(key.publicKey());
    }

    /**
     * Verifies a credential issued to this wallet's DID (a vc+jwt, or an SD-JWT VC bound to this wallet's key) and
     * stores it.
     *
     * @throws ProblemException with the verification's problems when it does not verify, or {@code HOLDER_MISMATCH}
     *     when it names another subject
     */
    public StoredCredential store(String vcJwt) {
        if (SdJwtHolding.isSdJwt(vcJwt)) {
            StoredCredential sc = sdJwts.verifyForStorage(vcJwt);
            store.put(sc);
            return sc;
        }
        VerificationResult r = verifier.verifyCredential(vcJwt);
        if (!r.verified()) {
            throw new ProblemException(r.errors());
        }
        var agent = r.agent().orElseThrow(() -> new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "not an AgentCredential"));
        if (!agent.agent().equals(did)) {
            throw new ProblemException(ProblemType.HOLDER_MISMATCH, "the credential is for " + agent.agent() + ", not this wallet");
        }
        StoredCredential held = StoredCredential.of(agent.credentialId().map(Object::toString).orElse("urn:uuid:" + UUID.randomUUID()),
                vcJwt, agent.organization().toString(), java.util.Set.of("VerifiableCredential", "AgentCredential"),
                agent.capabilities(), clock.instant());
        StoredCredential sc = agent.validUntil().map(held::withValidUntil).orElse(held);
        store.put(sc);
        return sc;
    }

    /** Receives a credential through OpenID4VCI from an offer (URL or JSON) that asks for no one-time code, and stores it. */
    public StoredCredential receive(String offer) {
        return store(issuance.receive(IssuanceClient.parseOffer(offer), key, keyId()));
    }

    /** Receives a credential through OpenID4VCI from an offer with the one-time code given out with it, and stores it. */
    public StoredCredential receive(String offer, String txCode) {
        return store(issuance.receive(IssuanceClient.parseOffer(offer), key, keyId(), txCode));
    }

    /**
     * The held credentials matching {@code query}, from the file's columns without verifying them: for selection. What
     * to show a person or act on comes from {@link #review()}.
     */
    public List<StoredCredential> credentials(CredentialQuery query) {
        return store.query(query);
    }

    /**
     * Every row of the wallet file, each verified now: signature, dates, status and policy; that the credential is for
     * this wallet's DID; and that the row's columns (id, issuer, types, capabilities, validity) say what the signed
     * credential says. A row edited in the file, a credential copied in from another wallet, or one that has expired
     * or been revoked comes back failed, with the problems that say why.
     */
    public List<CheckedCredential> review() {
        List<CheckedCredential> out = new ArrayList<>();
        for (WalletStore.Row row : store.rows()) {
            out.add(new CheckedCredential(row.id(), RowCheck.check(row, verify(row.token()), did)));
        }
        return out;
    }

    public boolean delete(String id) {
        return store.delete(id);
    }

    /** The credentials that expire within {@code margin}: what to renew. */
    public List<StoredCredential> expiring(Duration margin) {
        Instant limit = clock.instant().plus(margin);
        List<StoredCredential> out = new ArrayList<>();
        for (StoredCredential c : store.query(CredentialQuery.all())) {
            if (c.validUntil().isPresent() && c.validUntil().get().isBefore(limit)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Renews every credential that expires within {@code margin}, through its issuer's OpenID4VCI renewal, in the format
     * it is held in (vc+jwt or SD-JWT VC): the new credential is verified and stored first, and only then is the old
     * one deleted, so a failure keeps the old one.
     *
     * @return the credentials stored
     */
    public List<StoredCredential> renew(Duration margin) {
        List<StoredCredential> renewed = new ArrayList<>();
        for (StoredCredential old : expiring(margin)) {
            if (!old.validAt(clock.instant())) {
                continue; // already expired: the issuer needs a new offer from an administrator
            }
            String issuerUrl = Delegations.issuerUrl(Did.parse(old.issuer()));
            ObjectNode offer = issuance.renewalOffer(issuerUrl, old.token(), key, keyId());
            StoredCredential fresh = store(issuance.receive(offer, key, keyId()));
            if (!fresh.id().equals(old.id())) {
                store.delete(old.id());
            }
            renewed.add(fresh);
        }
        return renewed;
    }

    /** A Data Integrity presentation of the matching W3C credential, its proof bound to the challenge and domain. */
    public ObjectNode presentDataIntegrity(PresentationRequest request) {
        return presenter.dataIntegrity(request);
    }

    /**
     * A vp+jwt for {@code request}, carrying only the valid W3C credentials that match it — or, when only a delegation
     * gives this wallet the authority asked for, the chain it received.
     *
     * @throws ProblemException {@code MISSING_CAPABILITY} when no held credential matches
     */
    public String present(PresentationRequest request) {
        return presenter.vpJwt(request);
    }

    /** A held SD-JWT VC disclosing only {@code request.disclose()}, key-bound to its challenge and domain (see Presenter). */
    public String presentSdJwt(PresentationRequest request) {
        return presenter.sdJwt(request);
    }

    /**
     * Signs a delegation link handing {@code request}'s capabilities to another agent, on top of this wallet's own
     * AgentCredential or a chain it was given, registered with the organization's issuer first when the request says so.
     *
     * @return the link with its chain; {@link #handover(HeldDelegation)} is what to give the delegate
     * @throws ProblemException {@code MISSING_CAPABILITY} when nothing held grants the capabilities; the attenuation
     *     problems ({@code CAPABILITY_WIDENED}, {@code CONSTRAINT_LOOSENED}, {@code DELEGATION_NOT_ALLOWED}, …) when the link
     *     would hand on more than held; {@code LIFETIME_TOO_LONG} for a short-lived link over 15 minutes; the issuer's
     *     refusal when registering
     */
    public HeldDelegation delegate(DelegationRequest request) {
        return delegations.delegate(request);
    }

    /** What to give the delegate of {@code delegation}: {@code {"delegationChain": […]}}, the AgentCredential first. */
    public static String handover(HeldDelegation delegation) {
        return Delegations.handover(delegation);
    }

    /**
     * Receives a delegation chain handed to this wallet, verified now for this wallet's DID as its last delegate.
     *
     * @throws ProblemException with the verification's problems
     */
    public HeldDelegation receiveDelegation(String handover) {
        return delegations.receive(handover);
    }

    /** The delegations this wallet gave, or received, newest end first, as the file holds them. */
    public List<HeldDelegation> delegations(HeldDelegation.Direction direction) {
        return store.delegations(direction);
    }

    /**
     * A signed A2A agent card for this agent, carrying its newest valid AgentCredential.
     *
     * @throws ProblemException {@code MISSING_CAPABILITY} when the wallet holds no valid credential
     */
    public ObjectNode agentCard(dev.tabard.wallet.card.AgentCard card) {
        StoredCredential c = store.query(CredentialQuery.all().withTypes(java.util.Set.of("AgentCredential")).validAt(clock.instant())).stream().findFirst().orElseThrow(() -> new ProblemException(ProblemType.MISSING_CAPABILITY,
                "the wallet holds no valid AgentCredential to put on the card"));
        return card.sign(c.token(), key, keyId());
    }

    @Override
    public void close() {
        if (key instanceof KeyPair pair) {
            pair.destroy();
        }
        store.close();
    }

    @Override
    public String toString() {
        return "Wallet[" + did + "]";
    }
}
