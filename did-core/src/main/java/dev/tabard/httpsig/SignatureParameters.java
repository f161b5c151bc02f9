package dev.tabard.httpsig;

import dev.tabard.httpsig.internal.StructuredFields;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The signature parameters of RFC 9421 §2.3, {@code created} and {@code expires} as epoch seconds. Their order is
 * part of what is signed ({@code @signature-params} serializes them in order), so it is kept in {@code order}: the
 * order of the {@code with...} calls when signing, the order received when verifying. Other parameters are refused
 * when read, since a parameter this type could not carry could not be re-serialized into the signature base.
 *
 * <p>Nothing here checks time: whether {@code created} is recent, {@code expires} past or {@code nonce} fresh is the
 * application's policy (§3.2.1).
 *
 * @param order the names of the present parameters, in serialization order
 */
public record SignatureParameters(Optional<Long> created, Optional<Long> expires, Optional<String> nonce,
                                  Optional<String> alg, Optional<String> keyid, Optional<String> tag,
                                  List<String> order) {

    private static final List<String> NAMES = List.of("created", "expires", "nonce", "alg", "keyid", "tag");

    /** @throws IllegalArgumentException for negative times, non-printable strings or an order not naming exactly the
     *     present parameters */
    public SignatureParameters {
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(alg, "alg");
        Objects.requireNonNull(keyid, "keyid");
        Objects.requireNonNull(tag, "tag");
        order = List.copyOf(order);
        if (created.orElse(0L) < 0 || expires.orElse(0L) < 0) {
            throw new IllegalArgumentException("created and expires are not before 1970");
        }
        for (Optional<String> s : List.of(nonce, alg, keyid, tag)) {
            if (s.isPresent() && !StructuredFields.isPrintableAscii(s.get())) {
                throw new IllegalArgumentException("signature parameter strings are printable ASCII");
            }
        }
        Set<String> present = new HashSet<>();
        List<Optional<?>> values = List.of(created, expires, nonce, alg, keyid, tag);
        for (int i = 0; i < NAMES.size(); i++) {
            if (values.get(i).isPresent()) {
                present.add(NAMES.get(i));
            }
        }
        if (order.size() != present.size() || !present.equals(Set.copyOf(order))) {
            throw new IllegalArgumentException("order " + order + " must name exactly the present parameters " + present);
        }
    }

    /** The parameters in the order created, expires, nonce, alg, keyid, tag. */
    public SignatureParameters(Optional<Long> created, Optional<Long> expires, Optional<String> nonce,
                               Optional<String> alg, Optional<String> keyid, Optional<String> tag) {
        this(created, expires, nonce, alg, keyid, tag, defaultOrder(created, expires, nonce, alg, keyid, tag));
    }

    private static List<String> defaultOrder(Optional<?>... values) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (Objects.requireNonNull(values[i], NAMES.get(i)).isPresent()) {
                order.add(NAMES.get(i));
            }
        }
        return order;
    }

    /** No parameters. */
    public static SignatureParameters none() {
        return new SignatureParameters(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of());
    }

    /** With {@code created} (sub-second precision is dropped, §2.3). */
    public SignatureParameters withCreated(Instant time) {
        return with("created", Objects.requireNonNull(time, "time").getEpochSecond());
    }

    /** With {@code expires} (sub-second precision is dropped). */
    public SignatureParameters withExpires(Instant time) {
        return with("expires", Objects.requireNonNull(time, "time").getEpochSecond());
    }

    public SignatureParameters withNonce(String value) {
        return with("nonce", Objects.requireNonNull(value, "value"));
    }

    /** With {@code alg}, a name from the HTTP Signature Algorithms registry (see {@link MessageSignatures#algorithm}). */
    public SignatureParameters withAlg(String value) {
        return with("alg", Objects.requireNonNull(value, "value"));
    }

    public SignatureParameters withKeyid(String value) {
        return with("keyid", Objects.requireNonNull(value, "value"));
    }

    public SignatureParameters withTag(String value) {
        return with("tag", Objects.requireNonNull(value, "value"));
    }

    public Optional<Instant> createdAt() {
        return created.map(Instant::ofEpochSecond);
    }

    public Optional<Instant> expiresAt() {
        return expires.map(Instant::ofEpochSecond);
    }

    /** A copy with {@code name} set; a new parameter goes last, a replaced one keeps its place. */
    private SignatureParameters with(String name, Object value) {
        Object[] v = {created.orElse(null), expires.orElse(null), nonce.orElse(null), alg.orElse(null),
            keyid.orElse(null), tag.orElse(null)};
        v[NAMES.indexOf(name)] = value;
        List<String> newOrder = new ArrayList<>(order);
        if (!newOrder.contains(name)) {
            newOrder.add(name);
        }
        return new SignatureParameters(Optional.ofNullable((Long) v[0]), Optional.ofNullable((Long) v[1]),
                Optional.ofNullable((String) v[2]), Optional.ofNullable((String) v[3]), Optional.ofNullable((String) v[4]),
                Optional.ofNullable((String) v[5]), newOrder);
    }

    List<StructuredFields.Parameter> toParameters() {
        List<StructuredFields.Parameter> out = new ArrayList<>();
        for (String name : order) {
            Object value = switch (name) {
                case "created" -> created.get();
                case "expires" -> expires.get();
                case "nonce" -> nonce.get();
                case "alg" -> alg.get();
                case "keyid" -> keyid.get();
                default -> tag.get();
            };
            out.add(new StructuredFields.Parameter(name, value));
        }
        return out;
    }

    /**
     * Reads the parameters of a Signature-Input member.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for an unknown parameter, a wrong type or a negative time
     */
    static SignatureParameters fromParameters(List<StructuredFields.Parameter> params) {
        SignatureParameters out = none();
        for (StructuredFields.Parameter p : params) {
            Object v = p.value();
            switch (p.key()) {
                case "created":
                case "expires":
                    if (!(v instanceof Long n) || n < 0) {
                        throw malformed(p.key() + " is a non-negative Integer");
                    }
                    out = out.with(p.key(), n);
                    break;
                case "nonce":
                case "alg":
                case "keyid":
                case "tag":
                    if (!(v instanceof String s)) {
                        throw malformed(p.key() + " is a String");
                    }
                    out = out.with(p.key(), s);
                    break;
                default:
                    throw malformed("unsupported signature parameter '" + p.key() + "'");
            }
        }
        return out;
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, detail);
    }
}
