package dev.tabard.sdjwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.Signer;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Issues an SD-JWT (RFC 9901 §4): the claims with each disclosable claim replaced by the digest of a salted disclosure,
 * {@code _sd_alg} {@code sha-256}, optional decoy digests and the holder's key as {@code cnf.jwk}, signed with our
 * {@link CompactJws} (the signer's key type fixes {@code alg}). A disclosable claim inside another disclosable claim
 * becomes a recursive disclosure (§4.2.6): the inner digest sits in the outer disclosure's value.
 *
 * <p>A single-use builder: {@code SdJwtIssuer.builder(signer).claims(c).disclosable(p).holderKey(k).issue()}.
 *
 * <p><b>Security:</b> salts are 128 bits from the {@link SecureRandom} given (a fresh one by default); digests within
 * one {@code _sd} are sorted so their order says nothing about the claims' order (§9.7).
 */
public final class SdJwtIssuer {

    /** Most decoy digests added to one object. */
    public static final int MAX_DECOYS = 16;

    private final Signer signer;
    private Optional<String> kid = Optional.empty();
    private Optional<String> typ = Optional.empty();
    private ObjectNode claims = JsonCodec.objectNode();
    private final Set<ClaimPath> disclosable = new LinkedHashSet<>();
    private int decoys;
    private SecureRandom random;
    private Optional<VerificationKey> holderKey = Optional.empty();
    private boolean used;

    private SdJwtIssuer(Signer signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    public static SdJwtIssuer builder(Signer signer) {
        return new SdJwtIssuer(signer);
    }

    /** The {@code kid} header: the DID URL of the issuer's verification method. */
    public SdJwtIssuer kid(String kid) {
        this.kid = Optional.of(Objects.requireNonNull(kid, "kid"));
        return this;
    }

    /** The {@code typ} header, e.g. {@code dc+sd-jwt}. */
    public SdJwtIssuer typ(String typ) {
        this.typ = Optional.of(Objects.requireNonNull(typ, "typ"));
        return this;
    }

    /** The claims to sign, copied; they must not use {@code _sd}, {@code _sd_alg} or {@code ...} themselves. */
    public SdJwtIssuer claims(ObjectNode claims) {
        this.claims = Objects.requireNonNull(claims, "claims").deepCopy();
        return this;
    }

    /** Makes the claims at {@code paths} selectively disclosable; each must exist in the claims. */
    public SdJwtIssuer disclosable(ClaimPath... paths) {
        return disclosable(List.of(paths));
    }

    public SdJwtIssuer disclosable(Iterable<ClaimPath> paths) {
        paths.forEach(p -> disclosable.add(Objects.requireNonNull(p, "path")));
        return this;
    }

    /**
     * Adds {@code count} decoy digests to the top-level {@code _sd} (RFC 9901 §4.2.5). Nested objects get none: a
     * verifier must be able to see that nothing is withheld inside an object it has to know whole (an agent's
     * constraints), and a decoy there would look withheld forever.
     */
    public SdJwtIssuer decoys(int count) {
        if (count < 0 || count > MAX_DECOYS) {
            throw new IllegalArgumentException("decoys must be 0.." + MAX_DECOYS);
        }
        this.decoys = count;
        return this;
    }

    /** The randomness for salts and decoys; a new {@link SecureRandom} when not given. */
    public SdJwtIssuer random(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /** Binds the SD-JWT to the holder's key: {@code cnf.jwk}, which key-binding JWTs are then checked against. */
    public SdJwtIssuer holderKey(VerificationKey holderKey) {
        this.holderKey = Optional.of(Objects.requireNonNull(holderKey, "holderKey"));
        return this;
    }

    /**
     * Signs and returns the SD-JWT with every disclosure, ready for the holder.
     *
     * @throws IllegalArgumentException for a disclosable path that names no claim, or claims that use the reserved
     *     names; these are the issuer's own configuration, not input
     */
    public SdJwt issue() {
        if (used) {
            throw new IllegalStateException("an SdJwtIssuer builder issues once");
        }
        used = true;
        SecureRandom rnd = random != null ? random : new SecureRandom();
        Set<ClaimPath> remaining = new HashSet<>(disclosable);
        List<Disclosure> out = new ArrayList<>();
        ObjectNode payload = (ObjectNode) encode(claims, null, rnd, remaining, out);
        if (!remaining.isEmpty()) {
            throw new IllegalArgumentException("disclosable paths name no claim: " + remaining);
        }
        if (payload.has("_sd_alg") || payload.has("cnf") && holderKey.isPresent()) {
            throw new IllegalArgumentException("_sd_alg is set by the issuer, and cnf by holderKey");
        }
        payload.put("_sd_alg", "sha-256");
        holderKey.ifPresent(k -> payload.putObject("cnf").set("jwk", JsonCodec.tree(k.toJwk())));
        String jwt = CompactJws.sign(signer, new JwsHeader(kid, typ, Optional.empty()), JsonCodec.write(payload));
        return new SdJwt(jwt, out, Optional.empty());
    }

    private JsonNode encode(JsonNode node, ClaimPath path, SecureRandom rnd, Set<ClaimPath> remaining, List<Disclosure> out) {
        if (node.isObject()) {
            ObjectNode result = JsonCodec.objectNode();
            List<String> digests = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String name = f.getKey();
                if (name.equals("_sd") || name.equals("...") || (path == null && name.equals("_sd_alg"))) {
                    throw new IllegalArgumentException("claims must not use the reserved name '" + name + "'");
                }
                ClaimPath p = path == null ? ClaimPath.of(name) : path.child(name);
                JsonNode value = encode(f.getValue(), p, rnd, remaining, out);
                if (remaining.remove(p)) {
                    Disclosure d = Disclosure.ofProperty(rnd, name, value);
                    out.add(d);
                    digests.add(d.digest());
                } else {
                    result.set(name, value);
                }
            }
            if (!digests.isEmpty() || (path == null && decoys > 0)) {
                for (int i = 0; path == null && i < decoys; i++) {
                    digests.add(Disclosure.sha256(Disclosure.salt(rnd)));
                }
                digests.sort(null);
                ArrayNode sd = result.putArray("_sd");
                digests.forEach(sd::add);
            }
            return result;
        }
        if (node.isArray()) {
            ArrayNode result = JsonCodec.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                ClaimPath p = path.child(i);
                JsonNode value = encode(node.get(i), p, rnd, remaining, out);
                if (remaining.remove(p)) {
                    Disclosure d = Disclosure.ofElement(rnd, value);
                    out.add(d);
                    result.addObject().put("...", d.digest());
                } else {
                    result.add(value);
                }
            }
            return result;
        }
        return node;
    }
}
