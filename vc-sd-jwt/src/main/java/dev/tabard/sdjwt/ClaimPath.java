package dev.tabard.sdjwt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A path to a claim in an SD-JWT payload, as OpenID4VP DCQL writes them: object member names (strings) and array
 * positions (non-negative integers), e.g. {@code ["operator", "email"]} or {@code ["capabilities", 0]}.
 *
 * @param segments member names ({@link String}) and array indexes ({@link Integer}), at least one
 */
public record ClaimPath(List<Object> segments) {

    /** Longest path accepted: paths deeper than the JSON depth limit name nothing. */
    public static final int MAX_SEGMENTS = 100;

    public ClaimPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty() || segments.size() > MAX_SEGMENTS) {
            throw new IllegalArgumentException("a claim path has 1.." + MAX_SEGMENTS + " segments");
        }
        for (Object s : segments) {
            if (!(s instanceof String) && !(s instanceof Integer i && i >= 0)) {
                throw new IllegalArgumentException("a claim path segment is a member name or an index >= 0: " + s);
            }
        }
    }

    /** A path from names and indexes, e.g. {@code ClaimPath.of("constraints", "maxTransactionValue")}. */
    public static ClaimPath of(Object... segments) {
        return new ClaimPath(List.of(segments));
    }

    /** This path with {@code segment} appended. */
    public ClaimPath child(Object segment) {
        List<Object> s = new ArrayList<>(segments);
        s.add(segment);
        return new ClaimPath(s);
    }

    /** Whether this path is {@code other} or one of its ancestors. */
    public boolean isPrefixOf(ClaimPath other) {
        Objects.requireNonNull(other, "other");
        return other.segments.size() >= segments.size() && other.segments.subList(0, segments.size()).equals(segments);
    }

    /** The path as a JSON array, e.g. {@code ["capabilities",0]}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < segments.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            Object s = segments.get(i);
            b.append(s instanceof String ? dev.tabard.codec.JsonCodec.writeString(s) : s.toString());
        }
        return b.append(']').toString();
    }
}
