package dev.tabard.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.vc.di.Jcs;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One audit record. {@code hash} commits to the previous entry's hash and to this entry's content (RFC 8785
 * canonical JSON), so editing, deleting or reordering any entry breaks every hash after it.
 */
public record AuditEntry(long seq, Instant at, String actor, String action, String subject, String detailsJson,
                         String previousHash, String hash) {

    public static final String GENESIS = "0".repeat(64);

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(detailsJson, "detailsJson");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(hash, "hash");
    }

    /** The entry that follows {@code previousHash}, with its hash computed. */
    public static AuditEntry next(long seq, Instant at, String actor, String action, String subject, String detailsJson,
                                  String previousHash) {
        return new AuditEntry(seq, at, actor, action, subject, detailsJson, previousHash,
                hash(seq, at, actor, action, subject, detailsJson, previousHash));
    }

    /** As {@link #next(long, Instant, String, String, String, String, String)}, with the details already parsed. */
    public static AuditEntry next(long seq, Instant at, String actor, String action, String subject,
                                  com.fasterxml.jackson.databind.JsonNode details, String previousHash) {
        return new AuditEntry(seq, at, actor, action, subject, JsonCodec.writeString(details), previousHash,
                hash(seq, at, actor, action, subject, details, previousHash));
    }

    /** Whether the stored hash is the one the content gives. */
    public boolean intact() {
        return hash.equals(hash(seq, at, actor, action, subject, detailsJson, previousHash));
    }

    static String hash(long seq, Instant at, String actor, String action, String subject, String details, String prev) {
        return hash(seq, at, actor, action, subject, JsonCodec.parse(details), prev);
    }

    private static String hash(long seq, Instant at, String actor, String action, String subject,
                               com.fasterxml.jackson.databind.JsonNode details, String prev) {
        ObjectNode o = JsonCodec.objectNode();
        o.put("seq", seq).put("at", at.toString()).put("actor", actor).put("action", action).put("subject", subject)
                .put("previousHash", prev);
        o.set("details", details);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Jcs.canonicalize(o)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonCodec.objectNode();
        o.put("seq", seq).put("at", at.toString()).put("actor", actor).put("action", action).put("subject", subject);
        o.set("details", JsonCodec.parse(detailsJson));
        o.put("previousHash", previousHash).put("hash", hash);
        return o;
    }
}
