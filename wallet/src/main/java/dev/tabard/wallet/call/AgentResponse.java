package dev.tabard.wallet.call;

import dev.tabard.httpsig.HttpFields;
import dev.tabard.verifier.calls.BoundAgent;
import dev.tabard.verifier.calls.DecisionReceipt;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A response whose signature verified under the key of the answering agent, {@link #server()}, bound by its own
 * presentation: its status, fields and body are what that agent sent in answer to this request. {@link #receipt()} is
 * where the gate logged its decision. Made only by {@link AgentHttpClient} (a final class, not a record, so no public
 * constructor can claim a verified answer).
 */
public final class AgentResponse {

    private final int status;
    private final HttpFields fields;
    private final byte[] body;
    private final BoundAgent server;
    private final Optional<DecisionReceipt> receipt;

    AgentResponse(int status, HttpFields fields, byte[] body, BoundAgent server, Optional<DecisionReceipt> receipt) {
        this.status = status;
        this.fields = Objects.requireNonNull(fields, "fields");
        this.body = body.clone();
        this.server = Objects.requireNonNull(server, "server");
        this.receipt = Objects.requireNonNull(receipt, "receipt");
    }

    public int status() {
        return status;
    }

    public HttpFields fields() {
        return fields;
    }

    /** The body, as signed (a copy). */
    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The answering agent, verified under the client's trust policy. */
    public BoundAgent server() {
        return server;
    }

    public Optional<DecisionReceipt> receipt() {
        return receipt;
    }

    @Override
    public String toString() {
        return "AgentResponse[" + status + " from " + server.identity().agent() + receipt.map(r -> ", decision " + r.seq()).orElse("") + "]";
    }
}
