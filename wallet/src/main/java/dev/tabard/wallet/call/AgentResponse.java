package dev.tabard.wallet.call;

import dev.tabard.httpsig.HttpFields;
import dev.tabard.verifier.calls.BoundAgent;
import dev.tabard.verifier.calls.DecisionReceipt;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A response whose signature verified under the key of the answering agent, {@code server}, bound by its own
 * presentation: its status, fields and body are what that agent sent in answer to this request. {@code receipt} is
 * where the gate logged its decision.
 */
public record AgentResponse(int status, HttpFields fields, byte[] body, BoundAgent server, Optional<DecisionReceipt> receipt) {

    public AgentResponse {
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(receipt, "receipt");
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "AgentResponse[" + status + " from " + server.identity().agent() + receipt.map(r -> ", decision " + r.seq()).orElse("") + "]";
    }
}
