package dev.tabard.issuer.status;

import dev.tabard.codec.Base64Url;
import dev.tabard.crypto.KeyType;
import dev.tabard.issuer.keys.OrgKeys;
import dev.tabard.issuer.keys.SigningKey;
import dev.tabard.issuer.store.IssuedCredential;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.sdjwt.status.StatusList;
import dev.tabard.sdjwt.status.StatusListToken;
import dev.tabard.sdjwt.status.StatusReference;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusPurpose;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The issuer's Token Status Lists (draft-ietf-oauth-status-list), for its SD-JWT VCs. They hold no state of their own:
 * Token Status List {@code n} is a 2-bit view of revocation list {@code n}, where an SD-JWT VC's entry is its
 * revocation index. An entry reads INVALID when its revocation bit is set, else SUSPENDED when the credential's
 * suspension bit is, else VALID; so revoke, suspend and reinstate, their audit entries and the random allocation over
 * lists of {@value dev.tabard.vc.status.Bitstring#MIN_ENTRIES} entries are those of the Bitstring lists, and both
 * forms of one credential's status always agree.
 *
 * <p>A token is signed by the org's Ed25519 key, lives {@link StatusLists#VALIDITY}, says a relying party may cache it
 * for half of that ({@code ttl}), and is signed again only when its statuses change, the key changes, or half its
 * validity has passed.
 */
public final class TokenStatusLists {

    /** Bits per entry: VALID, INVALID and SUSPENDED need two. */
    public static final int BITS = 2;

    /**
     * What a list was computed from: the revocation list's version and allocation count (a new credential on it
     * changes the count), the version of each suspension list its SD-JWT VCs use, and the signing key. While all of
     * these read the same in the store, at whichever instance changed them, the list is the same and is not read again.
     */
    private record Inputs(long version, int allocated, Map<Integer, Long> suspensionVersions, String keyId) {
    }

    private record Computed(StatusList list, Map<Integer, Long> suspensionVersions) {
    }

    private record Cached(Inputs inputs, StatusList list, StatusLists.Published published) {
    }

    private final IssuerStore store;
    private final OrgKeys keys;
    private final URI publicUrl;
    private final Clock clock;
    private final Map<Integer, Cached> cache = new ConcurrentHashMap<>();

    /** @param publicUrl the issuer's public URL; Token Status List {@code n} is at {@code publicUrl/status-lists/n} */
    public TokenStatusLists(IssuerStore store, OrgKeys keys, URI publicUrl, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Where Token Status List {@code listId} is published: its {@code sub}, and the {@code uri} of its references. */
    public URI url(int listId) {
        return URI.create(publicUrl.toString().replaceAll("/+$", "") + "/status-lists/" + listId);
    }

    /** The {@code status} reference of an SD-JWT VC the issuer recorded. */
    public StatusReference reference(IssuedCredential credential) {
        return new StatusReference(credential.revocationIndex(), url(credential.revocationList()));
    }

    /**
     * Whether {@code reference} is an entry of one of this issuer's Token Status Lists that reads VALID now: false for
     * a revoked or suspended entry and for a reference to a list this issuer does not publish.
     */
    public boolean valid(StatusReference reference) {
        Objects.requireNonNull(reference, "reference");
        String base = url(0).toString();
        String prefix = base.substring(0, base.length() - 1);
        String uri = reference.uri().toString();
        if (!uri.startsWith(prefix)) {
            return false;
        }
        int listId;
        try {
            listId = Integer.parseInt(uri.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return false;
        }
        return url(listId).equals(reference.uri()) && list(listId)
                .map(l -> reference.idx() < l.size() && l.get(reference.idx()) == 0).orElse(false);
    }

    /** The current status list {@code listId} holds; empty for a list this issuer does not have. */
    public Optional<StatusList> list(int listId) {
        return revocationList(listId).map(rec -> compute(rec).list());
    }

    private Optional<StatusListRecord> revocationList(int listId) {
        return store.statusList(listId).filter(rec -> rec.purpose() == StatusPurpose.REVOCATION);
    }

    private Computed compute(StatusListRecord rec) {
        Bitstring revoked = rec.bits();
        byte[] out = new byte[revoked.length() * BITS / 8];
        for (int i = 0; i < revoked.length(); i++) {
            if (revoked.get(i) != 0) {
                out[i * BITS / 8] |= (byte) (1 << ((i * BITS) % 8));
            }
        }
        StatusList list = StatusList.ofBytes(BITS, out);
        Map<Integer, StatusListRecord> suspension = new HashMap<>();
        for (IssuedCredential c : store.credentialsOnRevocationList(rec.id(), IssuedCredential.SD_JWT_VC)) {
            StatusListRecord s = suspension.computeIfAbsent(c.suspensionList(), id -> store.statusList(id).orElseThrow());
            if (s.bits().get(c.suspensionIndex()) != 0 && revoked.get(c.revocationIndex()) == 0) {
                list = list.with(c.revocationIndex(), 2);
            }
        }
        Map<Integer, Long> versions = new HashMap<>();
        suspension.forEach((id, s) -> versions.put(id, s.version()));
        return new Computed(list, Map.copyOf(versions));
    }

    /** Whether every suspension list in {@code versions} is still at that version. */
    private boolean unchanged(Map<Integer, Long> versions) {
        for (Map.Entry<Integer, Long> e : versions.entrySet()) {
            if (store.statusList(e.getKey()).map(StatusListRecord::version).orElse(-1L).longValue() != e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The signed Status List Token of list {@code listId}; empty for a list this issuer does not have. A request reads
     * the list's row and its suspension lists' versions; the credentials on the list are read again only after one of
     * those changed, and the token is signed again only when its statuses or the key changed or half its validity passed.
     */
    public Optional<StatusLists.Published> published(int listId) {
        Optional<StatusListRecord> rec = revocationList(listId);
        if (rec.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        SigningKey key = keys.signing(KeyType.ED25519);
        Cached cached = cache.get(listId);
        boolean fresh = cached != null && now.plus(StatusLists.VALIDITY.dividedBy(2)).isBefore(cached.published().validUntil())
                && cached.inputs().keyId().equals(key.id());
        if (fresh && cached.inputs().version() == rec.get().version() && cached.inputs().allocated() == rec.get().allocated()
                && unchanged(cached.inputs().suspensionVersions())) {
            return Optional.of(cached.published());
        }
        Computed computed = compute(rec.get());
        Inputs inputs = new Inputs(rec.get().version(), rec.get().allocated(), computed.suspensionVersions(), key.id());
        if (fresh && cached.list().equals(computed.list())) {
            cache.put(listId, new Cached(inputs, computed.list(), cached.published()));
            return Optional.of(cached.published());
        }
        Instant from = now.truncatedTo(ChronoUnit.SECONDS);
        Instant until = from.plus(StatusLists.VALIDITY);
        String jwt = new StatusListToken(url(listId), from, Optional.of(until), Optional.of(StatusLists.VALIDITY.dividedBy(2)),
                computed.list()).sign(key.pair(), key.joseKid().toString(), keys.did().toString());
        StatusLists.Published p = new StatusLists.Published(jwt, etag(listId, computed.list()), until);
        cache.put(listId, new Cached(inputs, computed.list(), p));
        return Optional.of(p);
    }

    /** A weak tag over the list's id and statuses, the same on every instance (see {@link StatusLists}' tags). */
    private static String etag(int listId, StatusList list) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((listId + "\nstatuslist+jwt\n" + list.bits() + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(list.encode().getBytes(StandardCharsets.US_ASCII));
            return "W/\"" + Base64Url.encode(sha.digest()).substring(0, 32) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
