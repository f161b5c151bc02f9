package dev.tabard.vc.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.codec.Timestamps;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.Credential;
import dev.tabard.vc.CredentialSubject;
import dev.tabard.vc.StatusEntry;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The {@code BitstringStatusListCredential} around a {@link Bitstring}, and the spec's entry checks (§3.2). */
public final class StatusListCredentials {

    public static final String CREDENTIAL_TYPE = "BitstringStatusListCredential";
    public static final String SUBJECT_TYPE = "BitstringStatusList";

    private StatusListCredentials() {
    }

    private record Encoded(int statusSize, String encodedList) {
    }

    /**
     * Decoded lists, by their encoded form: a verifier checks many credentials against the same few lists, and
     * decoding (inflating 16 KiB or more) would otherwise dominate the status check. Bounded; thread-safe.
     */
    private static final java.util.Map<Encoded, Bitstring> DECODED = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<Encoded, Bitstring> eldest) {
                    return size() > 64;
                }
            });

    /** The outcome of checking one entry: the value at its index and what it means. */
    public record Status(StatusPurpose purpose, int value) {
        /** Whether the status is set: revoked, suspended, or for a message, any non-zero value. */
        public boolean isSet() {
            return value != 0;
        }
    }

    /** An unsecured status list credential document. */
    public static ObjectNode credential(URI id, String issuer, StatusPurpose purpose, Bitstring list, Instant validFrom,
                                       Instant validUntil) {
        ObjectNode vc = JsonCodec.objectNode();
        vc.putArray("@context").add("https://www.w3.org/ns/credentials/v2");
        vc.put("id", id.toString());
        vc.putArray("type").add(Credential.TYPE).add(CREDENTIAL_TYPE);
        vc.put("issuer", issuer);
        vc.put("validFrom", Timestamps.format(validFrom));
        vc.put("validUntil", Timestamps.format(validUntil));
        ObjectNode s = vc.putObject("credentialSubject");
        s.put("id", id + "#list");
        s.put("type", SUBJECT_TYPE);
        s.put("statusPurpose", purpose.value());
        s.put("encodedList", list.encode());
        return vc;
    }

    /**
     * Checks {@code entry} against the list credential it names (already verified by the caller) and reads its
     * status.
     *
     * @throws ProblemException {@code STATUS_VERIFICATION_ERROR} when the list credential is not the one the
     *     entry names or its purpose differs; {@code MALFORMED_VALUE_ERROR} for a malformed list;
     *     {@code RANGE_ERROR} for an index past its end; {@code STATUS_LIST_LENGTH_ERROR} for a short list
     */
    public static Status check(StatusEntry entry, Credential listCredential) {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(listCredential, "listCredential");
        if (!entry.isBitstring()) {
            throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR, "not a BitstringStatusListEntry: " + entry.type());
        }
        if (!listCredential.types().contains(CREDENTIAL_TYPE)) {
            throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR,
                    "the status list credential is not a " + CREDENTIAL_TYPE);
        }
        URI named = entry.statusListCredential().orElseThrow();
        if (listCredential.id().isPresent() && !listCredential.id().get().equals(named)) {
            throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR,
                    "fetched status list " + listCredential.id().get() + " is not the named " + named);
        }
        if (listCredential.subjects().size() != 1) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "a status list credential has one subject");
        }
        CredentialSubject subject = listCredential.subjects().get(0);
        ObjectNode claims = subject.claims();
        if (!SUBJECT_TYPE.equals(claims.path("type").asText())) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the status list subject is not a " + SUBJECT_TYPE);
        }
        String purpose = entry.statusPurpose().orElseThrow();
        JsonNode listPurpose = claims.get("statusPurpose");
        boolean matches = listPurpose != null && (listPurpose.isArray()
                ? java.util.stream.StreamSupport.stream(listPurpose.spliterator(), false).anyMatch(p -> p.asText().equals(purpose))
                : listPurpose.asText().equals(purpose));
        if (!matches) {
            throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR,
                    "entry purpose '" + purpose + "' does not match the list's " + listPurpose);
        }
        JsonNode encoded = claims.get("encodedList");
        if (encoded == null || !encoded.isTextual()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the status list has no encodedList");
        }
        Encoded key = new Encoded(entry.statusSize(), encoded.asText());
        Bitstring list = DECODED.get(key);
        if (list == null) {
            list = Bitstring.decode(key.encodedList(), key.statusSize());
            DECODED.put(key, list);
        }
        int value = list.get(entry.statusListIndex().orElseThrow());
        StatusPurpose p = StatusPurpose.fromValue(purpose).orElse(StatusPurpose.MESSAGE);
        return new Status(p, value);
    }

    /** The list credential's expiry, if it has one, for cache lifetimes. */
    public static Optional<Instant> validUntil(Credential listCredential) {
        return listCredential.validUntil();
    }
}
