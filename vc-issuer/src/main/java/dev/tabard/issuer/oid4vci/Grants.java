package dev.tabard.issuer.oid4vci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.issuer.store.OneUseValues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * OpenID4VCI's single-use values, held in the store ({@link IssuerStore#oneUse}) so that every issuer instance on it
 * redeems what any handed out, once: offers (pre-authorized codes) and access tokens counted per agent, nonces per
 * client address. Values are small JSON strings; counters change only through
 * {@link OneUseValues#replace(String, String, String)} against the value read, so two instances never lose a count.
 * A tx_code is held as its SHA-256 and compared in constant time.
 */
final class Grants {

    /** Rounds of read, change and compare-and-replace before a counter update gives up to a busier writer. */
    private static final int MAX_ROUNDS = 16;

    /**
     * An offer: the agent it is for, the credential configurations it names, the SHA-256 (hex) of its tx_code if it has
     * one, and wrong tx_codes so far. An offer stored before offers named their configurations has none, and allows each.
     */
    record Offer(Did agent, List<String> configurations, Optional<String> txCodeSha256, int attempts) {
        Offer {
            configurations = List.copyOf(configurations);
        }

        String json() {
            ObjectNode o = JsonCodec.objectNode().put("agent", agent.toString()).put("attempts", attempts);
            configurations.forEach(o.putArray("configurations")::add);
            txCodeSha256.ifPresent(t -> o.put("tx", t));
            return JsonCodec.writeString(o);
        }

        static Offer parse(String json) {
            ObjectNode o = JsonCodec.parseObject(json.getBytes(StandardCharsets.UTF_8));
            return new Offer(Did.parse(o.path("agent").asText()), configurationsOf(o),
                    o.hasNonNull("tx") ? Optional.of(o.get("tx").asText()) : Optional.empty(), o.path("attempts").asInt());
        }

        /** Whether {@code given} is this offer's tx_code, compared in constant time over the digests. */
        boolean txCodeIs(String given) {
            return MessageDigest.isEqual(sha256(given).getBytes(StandardCharsets.US_ASCII),
                    txCodeSha256.orElse("").getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * An access token's grant: one credential for {@code agent} of a configuration its offer named (any, for a token from
     * an offer that named none), and the refused requests made with it so far.
     */
    record Token(Did agent, List<String> configurations, int failures) {
        Token {
            configurations = List.copyOf(configurations);
        }

        String json() {
            ObjectNode o = JsonCodec.objectNode().put("agent", agent.toString()).put("failures", failures);
            configurations.forEach(o.putArray("configurations")::add);
            return JsonCodec.writeString(o);
        }

        static Token parse(String json) {
            ObjectNode o = JsonCodec.parseObject(json.getBytes(StandardCharsets.UTF_8));
            return new Token(Did.parse(o.path("agent").asText()), configurationsOf(o), o.path("failures").asInt());
        }

        /** Whether this token buys a credential of {@code configuration}. */
        boolean allows(String configuration) {
            return configurations.isEmpty() || configurations.contains(configuration);
        }
    }

    private static List<String> configurationsOf(ObjectNode o) {
        List<String> out = new ArrayList<>();
        o.path("configurations").forEach(c -> out.add(c.asText()));
        return out;
    }

    private final OneUseValues offers;
    private final OneUseValues tokens;
    private final OneUseValues nonces;

    Grants(IssuerStore store) {
        this.offers = store.oneUse(new OneUseValues.Kind("offer", Oid4vci.CODE_LIFETIME, Oid4vci.MAX_OFFERS_PER_AGENT, Oid4vci.MAX_OFFERS));
        this.tokens = store.oneUse(new OneUseValues.Kind("access token", Oid4vci.TOKEN_LIFETIME, Oid4vci.MAX_TOKENS_PER_AGENT,
                Oid4vci.MAX_TOKENS));
        this.nonces = store.oneUse(new OneUseValues.Kind("nonce", Oid4vci.PROOF_FRESHNESS, Oid4vci.MAX_NONCES_PER_CLIENT, Oid4vci.MAX_NONCES));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Holds an offer; {@code CLIENT_LIMIT_EXCEEDED} when the agent holds the most it may. */
    void putOffer(String code, Did agent, List<String> configurations, Optional<String> txCode) {
        offers.put(agent.toString(), code, new Offer(agent, configurations, txCode.map(Grants::sha256), 0).json());
    }

    Optional<Offer> offer(String code) {
        return offers.peek(code).map(Offer::parse);
    }

    /** Counts a wrong tx_code; the offer is gone after {@code max} of them. */
    void wrongTxCode(String code, int max) {
        update(offers, code, raw -> {
            Offer o = Offer.parse(raw);
            return o.attempts() + 1 >= max ? null : new Offer(o.agent(), o.configurations(), o.txCodeSha256(), o.attempts() + 1).json();
        });
    }

    /** Uses the offer up; true only for the one caller that did. */
    boolean redeemOffer(String code) {
        return removeWhatever(offers, code);
    }

    Duration offerRetryAfter(Did agent) {
        return offers.retryAfter(agent.toString());
    }

    /** Holds an access token; {@code CLIENT_LIMIT_EXCEEDED} when the agent holds the most it may. */
    void putToken(String token, Did agent, List<String> configurations) {
        tokens.put(agent.toString(), token, new Token(agent, configurations, 0).json());
    }

    Optional<Token> token(String token) {
        return tokens.peek(token).map(Token::parse);
    }

    /** Counts a refused request; the token is gone after {@code max} of them. */
    void refused(String token, int max) {
        update(tokens, token, raw -> {
            Token t = Token.parse(raw);
            return t.failures() + 1 >= max ? null : new Token(t.agent(), t.configurations(), t.failures() + 1).json();
        });
    }

    /** Uses the token up; true only for the one caller that did. */
    boolean useToken(String token) {
        return removeWhatever(tokens, token);
    }

    Duration tokenRetryAfter(Did agent) {
        return tokens.retryAfter(agent.toString());
    }

    /** Holds a new nonce for {@code client}; {@code CLIENT_LIMIT_EXCEEDED} when it holds the most it may. */
    void putNonce(String client, String nonce, String issuedAt) {
        nonces.put(client, nonce, JsonCodec.writeString(JsonCodec.objectNode().put("issued", issuedAt)));
    }

    /** Uses a nonce up; true only for the one caller that did, and only while it is live. */
    boolean takeNonce(String nonce) {
        return !nonce.isEmpty() && nonces.take(nonce).isPresent();
    }

    Duration nonceRetryAfter(String client) {
        return nonces.retryAfter(client);
    }

    /** Removes {@code key} whatever its counters say now. */
    private static boolean removeWhatever(OneUseValues values, String key) {
        for (int i = 0; i < MAX_ROUNDS; i++) {
            Optional<String> raw = values.peek(key);
            if (raw.isEmpty()) {
                return false;
            }
            if (values.remove(key, raw.get())) {
                return true;
            }
        }
        return false;
    }

    /** Applies {@code change} (null: remove) to the value under {@code key}, against whatever another instance wrote meanwhile. */
    private static void update(OneUseValues values, String key, UnaryOperator<String> change) {
        for (int i = 0; i < MAX_ROUNDS; i++) {
            Optional<String> raw = values.peek(key);
            if (raw.isEmpty()) {
                return;
            }
            String next = change.apply(raw.get());
            if (next == null ? values.remove(key, raw.get()) : values.replace(key, raw.get(), next)) {
                return;
            }
        }
        // a count that cannot be kept ends the value: failing closed is the safe side of a guess limit
        removeWhatever(values, key);
    }
}
