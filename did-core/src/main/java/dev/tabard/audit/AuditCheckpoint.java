package dev.tabard.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Objects;

/**
 * A signed head the operator exported and keeps away from the log (outside the issuer's data directory, or apart
 * from an {@link AuditFile}). It is the anchor that makes truncation visible: a log that ends before the checkpoint's
 * {@code seq}, or whose entry there has another hash, was cut or rewritten. It carries the public key that signed it,
 * so a log whose recorded keys were replaced cannot attest to itself.
 *
 * <p>The file is one JSON object: {@code seq}, {@code hash}, {@code time}, {@code keyId},
 * {@code publicKeyMultibase} and {@code jws}, the head's compact JWS.
 *
 * @param head the head as the file states it; {@link SignedHead#verify} checks it against its {@code jws}
 * @param publicKey the public key of {@code head.keyId()} when the checkpoint was taken
 */
public record AuditCheckpoint(SignedHead head, VerificationKey publicKey) {

    /** Largest checkpoint file read: a head is a few hundred bytes. */
    public static final int MAX_BYTES = 16 * 1024;

    public AuditCheckpoint {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    public ObjectNode toJson() {
        return JsonCodec.objectNode().put("seq", head.seq()).put("hash", head.hash())
                .put("time", head.time().toString()).put("keyId", head.keyId()).put("publicKeyMultibase", publicKey.toMultibase())
                .put("jws", head.jws());
    }

    /**
     * Reads a checkpoint file's shape; whether it is genuine is {@link AuditLog#verify}'s question.
     *
     * @throws ProblemException {@code INPUT_TOO_LARGE} over {@link #MAX_BYTES}; {@code PARSING_ERROR} for bytes
     *     that are not one JSON object; {@code MALFORMED_VALUE_ERROR} for a missing or mistyped member
     */
    public static AuditCheckpoint parse(byte[] json) {
        Objects.requireNonNull(json, "json");
        if (json.length > MAX_BYTES) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "a checkpoint is at most " + MAX_BYTES + " bytes");
        }
        ObjectNode o = JsonCodec.parseObject(json);
        SignedHead head = new SignedHead(SignedHead.positiveLong(o, "seq"), SignedHead.hash(SignedHead.text(o, "hash")),
                SignedHead.instant(SignedHead.text(o, "time")), SignedHead.text(o, "keyId"), SignedHead.text(o, "jws"));
        VerificationKey key;
        try {
            key = VerificationKey.fromMultibase(SignedHead.text(o, "publicKeyMultibase"));
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "'publicKeyMultibase' is not a public key: "
                    + e.problem().detail());
        }
        return new AuditCheckpoint(head, key);
    }
}
