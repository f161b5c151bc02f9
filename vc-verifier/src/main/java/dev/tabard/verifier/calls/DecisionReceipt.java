package dev.tabard.verifier.calls;

import dev.tabard.did.DidUrl;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a gate recorded its decision on a call: entry {@code seq} of the decision log whose heads {@code log} signs,
 * with that entry's hash. A signed response carries it in {@value AgentCalls#DECISION}, so the caller holds proof of
 * the exchange that the gate's log must still show.
 */
public record DecisionReceipt(long seq, String hash, DidUrl log) {

    private static final Pattern FIELD = Pattern.compile("seq=([1-9][0-9]{0,17}), hash=\"([0-9a-f]{64})\", log=\"([^\"\\\\]{1,2048})\"");

    public DecisionReceipt {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(log, "log");
    }

    /** {@code seq=12, hash="…", log="did:…#…"}: an RFC 8941 dictionary. */
    public String fieldValue() {
        return "seq=" + seq + ", hash=\"" + hash + "\", log=\"" + log + "\"";
    }

    /**
     * Reads {@link #fieldValue()}'s form.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR}
     */
    public static DecisionReceipt parse(String field) {
        Matcher m = FIELD.matcher(field.trim());
        if (!m.matches()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the decision receipt is not seq=N, hash=\"…\", log=\"…\"");
        }
        return new DecisionReceipt(Long.parseLong(m.group(1)), m.group(2), DidUrl.parse(m.group(3)));
    }
}
