package dev.tabard.issuer.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyType;
import dev.tabard.issuer.keys.OrgKeys;
import dev.tabard.issuer.keys.SigningKey;
import dev.tabard.issuer.store.IssuedCredential;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.vc.status.StatusPurpose;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The issuer's status lists: revocation and suspension bits of what it issued, and the signed Bitstring Status List
 * credentials that publish them, as a {@code vc+jwt} or as JSON with an {@code eddsa-rdfc-2022} proof. A signed list
 * is made again only when its bits changed, its signing key no longer signs, or half its validity has passed; the
 * bits themselves live in the store, so every instance serves the same list.
 *
 * @see <a href="https://www.w3.org/TR/vc-bitstring-status-list/">Bitstring Status List v1.0</a>
 */
public final class StatusLists {

    /** How long a signed status list credential is valid; clients re-fetch well within it. */
    public static final Duration VALIDITY = Duration.ofMinutes(5);

    /** The two forms a list is published in. */
    public enum Format { VC_JWT, DATA_INTEGRITY }

    /**
     * A signed list as served.
     *
     * @param body the vc+jwt, or the JSON document with its proof
     * @param etag a weak entity tag from the list's bits and format, the same on every instance for the same list
     * @param validUntil the signed credential's {@code validUntil}
     */
    public record Published(String body, String etag, Instant validUntil) {
        public Published {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(etag, "etag");
            Objects.requireNonNull(validUntil, "validUntil");
        }

        /** How long a cache may keep it: what is left of its validity, at most half of {@link #VALIDITY}. */
        public Duration maxAge(Instant now) {
            Duration left = Duration.between(now, validUntil);
            Duration half = VALIDITY.dividedBy(2);
            return left.isNegative() ? Duration.ZERO : left.compareTo(half) > 0 ? half : left;
        }
    }

    private record Cached(long version, String keyId, Published published) {
    }

    private final IssuerStore store;
    private final OrgKeys keys;
    private final URI publicUrl;
    private final Clock clock;
    private final Consumer<String> changed;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * @param publicUrl the issuer's public URL; list {@code n} is at {@code publicUrl/status/n}
     * @param changed told the action ({@code revoke}, {@code suspend}, {@code reinstate}) of each status change
     */
    public StatusLists(IssuerStore store, OrgKeys keys, URI publicUrl, Clock clock, Consumer<String> changed) {
        this.store = Objects.requireNonNull(store, "store");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    /** Where list {@code listId} is published: the {@code statusListCredential} of its entries. */
    public URI url(int listId) {
        String base = publicUrl.toString().replaceAll("/+$", "");
        return URI.create(base + "/status/" + listId);
    }

    /** Whether a credential this issuer recorded is neither revoked nor suspended; false for one it did not record. */
    public boolean active(String credentialId) {
        Optional<IssuedCredential> c = store.credential(credentialId);
        if (c.isEmpty()) {
            return false;
        }
        int rev = store.statusList(c.get().revocationList()).orElseThrow().bits().get(c.get().revocationIndex());
        int sus = store.statusList(c.get().suspensionList()).orElseThrow().bits().get(c.get().suspensionIndex());
        return rev == 0 && sus == 0;
    }

    /**
     * Revokes, suspends or reinstates (clears suspension of) a credential.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for another purpose; {@code FORBIDDEN} for clearing a
     *     revocation, which is final
     */
    public void set(String credentialId, StatusPurpose purpose, boolean set, String actor) {
        if (purpose != StatusPurpose.REVOCATION && purpose != StatusPurpose.SUSPENSION) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "only revocation and suspension are set here");
        }
        if (purpose == StatusPurpose.REVOCATION && !set) {
            throw new ProblemException(ProblemType.FORBIDDEN, "a revocation is final");
        }
        String action = set ? (purpose == StatusPurpose.REVOCATION ? "revoke" : "suspend") : "reinstate";
        store.setStatus(credentialId, purpose, set, new IssuerStore.Audit(actor, "credential." + action, credentialId, "{}"));
        changed.accept(action);
    }

    /** The list as a signed credential in {@code format}; empty for a list this issuer does not have. */
    public Optional<Published> published(int listId, Format format) {
        Objects.requireNonNull(format, "format");
        Optional<StatusListRecord> rec = store.statusList(listId);
        if (rec.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String cacheKey = listId + " " + format;
        SigningKey key = keys.signing(KeyType.ED25519);
        Cached cached = cache.get(cacheKey);
        if (cached != null && cached.version() == rec.get().version() && cached.keyId().equals(key.id())
                && now.plus(VALIDITY.dividedBy(2)).isBefore(cached.published().validUntil())) {
            return Optional.of(cached.published());
        }
        Instant from = now.truncatedTo(ChronoUnit.SECONDS);
        Instant until = from.plus(VALIDITY);
        ObjectNode vc = StatusListCredentials.credential(url(listId), keys.did().toString(), rec.get().purpose(), rec.get().bits(), from, until);
        String body = format == Format.VC_JWT ? VcJose.secureCredential(vc, key.pair(), key.joseKid(), from)
                : JsonCodec.writeString(DataIntegrity.sign(vc, key.pair(), ProofOptions.assertion("eddsa-rdfc-2022", key.multikeyVm(), from),
                        BundledContexts.standard()));
        Published p = new Published(body, etag(rec.get(), format), until);
        cache.put(cacheKey, new Cached(rec.get().version(), key.id(), p));
        return Optional.of(p);
    }

    /**
     * A weak entity tag over what the list says (its id, purpose and bits) and the form it is in, so that every
     * instance tags the same list alike, whenever and with whichever key it signed it. Weak, because the bytes under
     * one tag differ: the same bits are signed again, with a later validity, before the last signature runs out (RFC
     * 9110 §8.8.1: equal weak tags mean the same content, not the same octets).
     */
    static String etag(StatusListRecord list, Format format) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((list.id() + "\n" + list.purpose().value() + "\n" + format + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update((list.bits().statusSize() + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(list.bits().toBytes());
            return "W/\"" + Base64Url.encode(sha.digest()).substring(0, 32) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
