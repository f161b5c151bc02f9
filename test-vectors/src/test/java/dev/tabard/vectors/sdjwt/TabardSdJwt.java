package dev.tabard.vectors.sdjwt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.key.KeyDids;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.Disclosure;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.Presentations;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.sdjwt.status.StatusList;
import dev.tabard.sdjwt.status.StatusListToken;
import dev.tabard.sdjwt.status.StatusReference;
import dev.tabard.sdjwt.vc.AgentSdJwtVc;
import dev.tabard.sdjwt.vc.SdJwtVcIssuer;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes {@code tabard-sd-jwt.json}: AgentCredential SD-JWT VCs issued and presented by Tabard, for
 * {@code interop/sd-jwt.mjs verify} (the npm {@code @sd-jwt} packages) to verify, with tampered copies it must refuse
 * and a Token Status List. Keys come from fixed seeds and salts from a seeded SHA1PRNG, so the file is the same on every
 * run.
 */
public final class TabardSdJwt {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final String AUDIENCE = "https://verifier.example";
    static final String NONCE = "tabard-nonce-1";
    static final URI STATUS = URI.create("https://issuer.example/status-lists/1");

    private TabardSdJwt() {
    }

    private static KeyPair key(int fill) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) fill);
        return KeyPair.fromPrivateKey(KeyType.ED25519, seed);
    }

    static ObjectNode vectors() throws NoSuchAlgorithmException {
        KeyPair issuer = key(0x21);
        KeyPair holder = key(0x22);
        KeyPair other = key(0x23);
        String iss = KeyDids.of(issuer.publicKey()).toString();
        String kid = KeyDids.methodId(issuer.publicKey()).toString();
        SecureRandom salts = SecureRandom.getInstance("SHA1PRNG");
        salts.setSeed("tabard-sd-jwt-vectors".getBytes(StandardCharsets.UTF_8));
        AgentClaims agent = new AgentClaims(KeyDids.of(holder.publicKey()), "tabard-agent", KeyDids.of(issuer.publicKey()), "Tabard Org",
                new AgentClaims.Operator("Tabard Ops", Optional.of("ops@tabard.example")), Set.of("purchase"),
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("500", "EUR")), List.of("EU"), "{}"),
                AgentClaims.Delegation.none());
        SdJwt issued = SdJwtVcIssuer.builder(issuer).kid(kid).issuer(iss).vct(AgentSdJwtVc.VCT).claims(AgentSdJwtVc.claims(agent))
                .disclosable(ClaimPath.of("operator", "email"), ClaimPath.of("constraints", "maxTransactionValue"))
                .holderKey(holder.publicKey()).issuedAt(NOW).expiresAt(NOW.plus(Duration.ofDays(3650)))
                .status(new StatusReference(0, STATUS)).random(salts).issue();
        List<ClaimPath> both = List.of(ClaimPath.of("constraints", "maxTransactionValue"), ClaimPath.of("operator", "email"));
        SdJwt shownBoth = Presentations.select(issued, both);
        SdJwt shownEmail = Presentations.select(issued, List.of(ClaimPath.of("operator", "email")));

        ObjectNode out = JsonCodec.objectNode();
        out.put("note", "Written by dev.tabard.vectors.sdjwt.TabardSdJwt; interop/sd-jwt.mjs verify checks it with @sd-jwt/sd-jwt-vc");
        out.put("now", NOW.getEpochSecond()).put("audience", AUDIENCE).put("nonce", NONCE).put("issuer", iss);
        out.set("issuerJwk", JsonCodec.tree(issuer.publicKey().toJwk()));
        ArrayNode valid = out.putArray("valid");
        valid.add(vector("both private claims disclosed", kb(holder, shownBoth, NONCE), both));
        valid.add(vector("only the operator email disclosed", kb(holder, shownEmail, NONCE), List.of(ClaimPath.of("operator", "email"))));

        ArrayNode tampered = out.putArray("tampered");
        List<Disclosure> ds = shownBoth.disclosures();
        Disclosure first = ds.get(0);
        String altered = Base64Url.encode(JsonCodec.write(JsonCodec.arrayNode().add(first.salt()).add(first.name().orElseThrow())
                .add(first.value().isTextual() ? JsonCodec.tree("attacker@evil.example")
                        : JsonCodec.objectNode().put("amount", "500000").put("currency", "EUR"))));
        List<Disclosure> alteredList = new ArrayList<>(ds);
        alteredList.set(0, Disclosure.parse(altered));
        tampered.add(vector("altered disclosure", kb(holder, new SdJwt(issued.issuerJwt(), alteredList, Optional.empty()), NONCE), List.of()));
        SdJwt signed = KeyBinding.sign(holder, shownBoth, AUDIENCE, NONCE, NOW);
        List<Disclosure> reversed = new ArrayList<>(ds);
        Collections.reverse(reversed);
        tampered.add(vector("reordered disclosures", new SdJwt(issued.issuerJwt(), reversed, signed.keyBindingJwt()).serialize(), List.of()));
        ObjectNode payload = CompactJws.parse(issued.issuerJwt()).payloadJson();
        ((ObjectNode) payload.get("operator")).remove("_sd");
        String resigned = CompactJws.sign(issuer, JwsHeader.of(kid, "dc+sd-jwt"), JsonCodec.write(payload));
        tampered.add(vector("dropped _sd digest", kb(holder, new SdJwt(resigned, ds, Optional.empty()), NONCE), List.of()));
        tampered.add(vector("wrong key-binding nonce", kb(holder, shownBoth, "another-nonce"), List.of()));
        tampered.add(vector("key binding signed by another key", kb(other, shownBoth, NONCE), List.of()));

        StatusList list = StatusList.of(2, 16).with(3, 1).with(5, 2);
        // no exp: a verifier checks these vectors long after they were made, and the list's own expiry is not under test
        String jwt = new StatusListToken(STATUS, NOW, Optional.empty(), Optional.of(Duration.ofMinutes(10)), list)
                .sign(issuer, kid, iss);
        ObjectNode sl = out.putObject("statusList").put("uri", STATUS.toString()).put("jwt", jwt).put("bits", 2);
        sl.putObject("statuses").put("0", "VALID").put("3", "INVALID").put("5", "SUSPENDED");
        out.set("httpsIssuer", httpsIssuer(issuer, holder, other));
        return out;
    }

    /** An issuer named by an https URL: its JWT VC Issuer Metadata, a presentation, and one signed by a key it does not publish. */
    private static ObjectNode httpsIssuer(KeyPair issuer, KeyPair holder, KeyPair other) throws NoSuchAlgorithmException {
        String web = "https://issuer.example/tenants/tabard";
        ObjectNode out = JsonCodec.objectNode();
        ObjectNode jwk = JsonCodec.<ObjectNode>tree(issuer.publicKey().toJwk()).put("kid", WEB_KID).put("use", "sig");
        out.putObject("metadata").put("issuer", web).putObject("jwks").putArray("keys").add(jwk);
        out.put("presentation", kb(holder, webCredential(issuer, holder, web), NONCE));
        out.putObject("forged").put("name", "signed by a key the metadata does not publish")
                .put("presentation", kb(holder, webCredential(other, holder, web), NONCE));
        return out;
    }

    static final String WEB_KID = "tabard-key-1";
    static final String WEB_VCT = "https://credentials.example/Supplier";

    private static SdJwt webCredential(KeyPair signer, KeyPair holder, String iss) throws NoSuchAlgorithmException {
        SecureRandom salts = SecureRandom.getInstance("SHA1PRNG");
        salts.setSeed("tabard-sd-jwt-https-issuer".getBytes(StandardCharsets.UTF_8));
        SdJwt issued = SdJwtVcIssuer.builder(signer).kid(WEB_KID).issuer(iss).vct(WEB_VCT)
                .claims(JsonCodec.objectNode().put("name", "Tabard Supplier").put("tier", "gold")).disclosable(ClaimPath.of("tier"))
                .holderKey(holder.publicKey()).issuedAt(NOW).expiresAt(NOW.plus(Duration.ofDays(3650))).random(salts).issue();
        return Presentations.select(issued, List.of(ClaimPath.of("tier")));
    }

    private static String kb(KeyPair holder, SdJwt shown, String nonce) {
        return KeyBinding.sign(holder, shown, AUDIENCE, nonce, NOW).serialize();
    }

    private static ObjectNode vector(String name, String presentation, List<ClaimPath> disclosed) {
        ObjectNode v = JsonCodec.objectNode().put("name", name).put("presentation", presentation);
        ArrayNode paths = v.putArray("disclosed");
        disclosed.forEach(p -> paths.add(JsonCodec.tree(p.segments())));
        return v;
    }

    public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: TabardSdJwt OUT.json...");
        }
        byte[] out = JsonCodec.prettyWriter().writeValueAsBytes(vectors());
        for (String a : args) {
            Path file = Path.of(a);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, out);
            System.out.println("wrote " + file);
        }
    }
}
