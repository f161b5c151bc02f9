package dev.tabard.didweb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.Bytes;
import dev.tabard.crypto.Signer;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolved DID documents and fetched resources (status list credentials, Status List Tokens, JWT VC Issuer Metadata
 * and the JWK Sets it links to) packed into one file, so a verifier can run with no network at all.
 *
 * <p>Format ({@value #FORMAT}): a JSON object with {@code created}, {@code entries} (each {@code kind}
 * {@code did} or {@code resource}, {@code id}, {@code mediaType}, base64url {@code content} and its hex
 * {@code sha256}), {@code digest} (SHA-256 over every entry's kind, id, media type and hash, one per
 * line) and, when the exporting party signs it, {@code signature}: a compact JWS whose payload is
 * {@code {"digest":…,"created":…}}. Reading checks every hash; a caller that names the exporter's key
 * also gets the signature checked.
 */
public final class ResolutionBundle {

    public static final String FORMAT = "https://w3id.org/tabard/resolution-bundle/v1";

    /** One packed item. */
    public record Item(String kind, String id, String mediaType, Bytes content) {
        public Item {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(content, "content");
        }
    }

    private final Instant created;
    private final Map<String, Item> items;
    private final String digest;
    private final Optional<String> signature;

    private ResolutionBundle(Instant created, Map<String, Item> items, String digest, Optional<String> signature) {
        this.created = created;
        this.items = Map.copyOf(items);
        this.digest = digest;
        this.signature = signature;
    }

    public static Builder builder(Instant created) {
        return new Builder(created);
    }

    public Instant created() {
        return created;
    }

    public Optional<Bytes> document(Did did) {
        return Optional.ofNullable(items.get("did " + did)).map(Item::content);
    }

    public Optional<Item> resource(URI uri) {
        return Optional.ofNullable(items.get("resource " + uri));
    }

    public int size() {
        return items.size();
    }

    public boolean signed() {
        return signature.isPresent();
    }

    /**
     * Reads a bundle and checks its hashes.
     *
     * @throws ProblemException {@code PARSING_ERROR} or {@code MALFORMED_VALUE_ERROR} for a malformed file;
     *     {@code CRYPTOGRAPHIC_SECURITY_ERROR} when a hash does not match
     */
    public static ResolutionBundle read(byte[] json) {
        ObjectNode root = JsonCodec.parseObject(json);
        if (!FORMAT.equals(root.path("format").asText())) {
            throw malformed("/format", "not a resolution bundle (format " + root.path("format") + ")");
        }
        Instant created = dev.tabard.codec.Timestamps.dateTimeStamp(root, "created", "")
                .orElseThrow(() -> malformed("/created", "a bundle says when it was created"));
        JsonNode entries = root.get("entries");
        if (entries == null || !entries.isArray()) {
            throw malformed("/entries", "entries must be an array");
        }
        Map<String, Item> items = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String ptr = "/entries/" + i;
            String kind = e.path("kind").asText();
            if (!kind.equals("did") && !kind.equals("resource")) {
                throw malformed(ptr + "/kind", "kind must be 'did' or 'resource'");
            }
            byte[] content;
            try {
                content = Base64Url.decode(e.path("content").asText());
            } catch (ProblemException ex) {
                throw malformed(ptr + "/content", "content must be base64url");
            }
            if (!sha256Hex(content).equals(e.path("sha256").asText())) {
                throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                        "bundle entry " + e.path("id").asText() + " does not match its hash");
            }
            Item item = new Item(kind, e.path("id").asText(), e.path("mediaType").asText(), Bytes.copyFrom(content));
            if (items.put(kind + " " + item.id(), item) != null) {
                throw malformed(ptr + "/id", "duplicate bundle entry " + item.id());
            }
        }
        String digest = digest(items.values());
        if (!digest.equals(root.path("digest").asText())) {
            throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, "bundle digest does not match its entries");
        }
        Optional<String> signature = root.hasNonNull("signature") ? Optional.of(root.get("signature").asText())
                : Optional.empty();
        return new ResolutionBundle(created, items, digest, signature);
    }

    public static ResolutionBundle read(Path file) {
        try {
            return read(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks that {@code exporter} signed this bundle.
     *
     * @throws ProblemException {@code CRYPTOGRAPHIC_SECURITY_ERROR} when it is unsigned or the signature fails
     */
    public ResolutionBundle verifySignature(VerificationKey exporter) {
        String jws = signature.orElseThrow(() -> new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                "the bundle is not signed"));
        ObjectNode payload = CompactJws.parse(jws).verify(exporter).payloadJson();
        if (!digest.equals(payload.path("digest").asText())
                || !created.toString().equals(payload.path("created").asText())) {
            throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, "the bundle signature covers other content");
        }
        return this;
    }

    private static String digest(Iterable<Item> items) {
        StringBuilder sb = new StringBuilder();
        for (Item i : items) {
            sb.append(i.kind()).append('\n').append(i.id()).append('\n').append(i.mediaType()).append('\n')
                    .append(sha256Hex(i.content().toByteArray())).append('\n');
        }
        return sha256Hex(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException malformed(String pointer, String detail) {
        return new ProblemException(dev.tabard.problem.Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, detail));
    }

    /** Single-use. */
    public static final class Builder {
        private final Instant created;
        private final Map<String, Item> items = new LinkedHashMap<>();
        private Signer signer;
        private String kid;

        private Builder(Instant created) {
            this.created = Objects.requireNonNull(created, "created");
        }

        public Builder document(Did did, byte[] document) {
            Item item = new Item("did", did.toString(), "application/did+json", Bytes.copyFrom(document));
            items.put("did " + did, item);
            return this;
        }

        /** Adds every document {@code cache} holds: what this party resolved online, for use offline. */
        public Builder documents(ResolutionCache cache) {
            for (ResolutionCache.Entry e : cache.entries()) {
                document(e.did(), e.document().toByteArray());
            }
            return this;
        }

        public Builder resource(URI uri, String mediaType, byte[] content) {
            Item item = new Item("resource", uri.toString(), mediaType, Bytes.copyFrom(content));
            items.put("resource " + uri, item);
            return this;
        }

        /** Signs the bundle with {@code signer}; {@code kid} names the key for whoever checks it. */
        public Builder signedBy(Signer signer, String kid) {
            this.signer = Objects.requireNonNull(signer, "signer");
            this.kid = Objects.requireNonNull(kid, "kid");
            return this;
        }

        public byte[] toJson() {
            ObjectNode root = JsonCodec.objectNode();
            root.put("format", FORMAT);
            root.put("created", created.toString());
            ArrayNode entries = root.putArray("entries");
            List<Item> list = new ArrayList<>(items.values());
            for (Item i : list) {
                byte[] content = i.content().toByteArray();
                entries.addObject().put("kind", i.kind()).put("id", i.id()).put("mediaType", i.mediaType())
                        .put("sha256", sha256Hex(content)).put("content", Base64Url.encode(content));
            }
            String digest = digest(list);
            root.put("digest", digest);
            if (signer != null) {
                ObjectNode payload = JsonCodec.objectNode().put("digest", digest).put("created", created.toString());
                root.put("signature", CompactJws.sign(signer, JwsHeader.of(kid, "tabard-bundle+jwt"), JsonCodec.write(payload)));
            }
            return JsonCodec.write(root);
        }

        /** Writes the bundle atomically: a crash leaves either the old file or the new one. */
        public void writeTo(Path file) {
            try {
                Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".bundle", ".tmp");
                Files.write(tmp, toJson());
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public ResolutionBundle build() {
            return read(toJson());
        }
    }
}
