package dev.tabard.verifier.http;

import dev.tabard.codec.Base64Url;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;

/**
 * The challenges this verifier issued and not yet redeemed, each bound to the client it was issued to and the
 * domain it was issued for. One client may hold at most a fixed number; when the whole table is full, expired
 * challenges go first, then the oldest challenge of the client holding the most, so a flood from one address (or
 * a few) sheds the flooders and never refuses an honest client.
 *
 * <p>Thread-safe: one lock; each operation touches a few entries, and a full table costs one scan of the clients.
 */
final class Challenges implements ChallengeStore {

    private record Entry(String client, Issued issued) {
    }

    private final int maxOpen;
    private final int maxPerClient;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Entry> byChallenge = new HashMap<>();
    private final Map<String, LinkedHashSet<String>> byClient = new HashMap<>();

    Challenges(int maxOpen, int maxPerClient, Duration lifetime, Clock clock, SecureRandom random) {
        this.maxOpen = maxOpen;
        this.maxPerClient = maxPerClient;
        this.lifetime = lifetime;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public synchronized Issued issue(String client, String domain) {
        Instant now = clock.instant();
        LinkedHashSet<String> own = byClient.get(client);
        if (own != null && own.size() >= maxPerClient) {
            dropExpired(client, own, now);
            if (own.size() >= maxPerClient) {
                throw new ProblemException(ProblemType.CLIENT_LIMIT_EXCEEDED, "this address holds " + maxPerClient
                        + " unused challenges; use or let expire the ones it has (they last " + lifetime.toMinutes() + " min)");
            }
        }
        if (byChallenge.size() >= maxOpen) {
            for (Map.Entry<String, LinkedHashSet<String>> e : Map.copyOf(byClient).entrySet()) {
                dropExpired(e.getKey(), e.getValue(), now);
            }
            if (byChallenge.size() >= maxOpen) {
                shedLargestHolder();
            }
        }
        byte[] b = new byte[24];
        random.nextBytes(b);
        Issued issued = new Issued(Base64Url.encode(b), domain, now.plus(lifetime), client);
        byChallenge.put(issued.challenge(), new Entry(client, issued));
        byClient.computeIfAbsent(client, c -> new LinkedHashSet<>()).add(issued.challenge());
        return issued;
    }

    @Override
    public synchronized Optional<Issued> redeem(String challenge) {
        Entry e = byChallenge.remove(challenge);
        if (e == null) {
            return Optional.empty();
        }
        LinkedHashSet<String> own = byClient.get(e.client());
        own.remove(challenge);
        if (own.isEmpty()) {
            byClient.remove(e.client());
        }
        return e.issued().expires().isBefore(clock.instant()) ? Optional.empty() : Optional.of(e.issued());
    }

    @Override
    public synchronized void restore(Issued issued) {
        if (issued.expires().isAfter(clock.instant()) && !byChallenge.containsKey(issued.challenge())) {
            byChallenge.put(issued.challenge(), new Entry(issued.client(), issued));
            byClient.computeIfAbsent(issued.client(), c -> new LinkedHashSet<>()).add(issued.challenge());
        }
    }

    @Override
    public synchronized int open() {
        return byChallenge.size();
    }

    /** Challenges are issued in order of expiry, so the expired ones of a client are at the front. */
    private void dropExpired(String client, LinkedHashSet<String> own, Instant now) {
        for (Iterator<String> it = own.iterator(); it.hasNext(); ) {
            String c = it.next();
            if (!byChallenge.get(c).issued().expires().isBefore(now)) {
                break;
            }
            byChallenge.remove(c);
            it.remove();
        }
        if (own.isEmpty()) {
            byClient.remove(client);
        }
    }

    private void shedLargestHolder() {
        String largest = null;
        int most = 0;
        for (Map.Entry<String, LinkedHashSet<String>> e : byClient.entrySet()) {
            if (e.getValue().size() > most) {
                most = e.getValue().size();
                largest = e.getKey();
            }
        }
        if (largest != null) {
            LinkedHashSet<String> own = byClient.get(largest);
            String oldest = own.iterator().next();
            own.remove(oldest);
            byChallenge.remove(oldest);
            if (own.isEmpty()) {
                byClient.remove(largest);
            }
        }
    }
}
