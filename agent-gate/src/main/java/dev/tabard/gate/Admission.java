package dev.tabard.gate;

import dev.tabard.httpsig.HttpMessage;
import dev.tabard.httpsig.ReceivedSignature;
import dev.tabard.problem.Problem;
import dev.tabard.verifier.Action;
import dev.tabard.verifier.calls.BoundAgent;
import dev.tabard.verifier.calls.DecisionReceipt;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gate's decision on one request: accepted, with the caller and the action it may perform, or refused with the
 * problems to answer. Either way it carries what the signed response needs: the request (whose signature the response
 * covers), the decision-log receipt, and whether the caller asked the gate to present itself.
 */
public final class Admission {

    private final HttpMessage request;
    private final Optional<ReceivedSignature> signature;
    private final Optional<BoundAgent> caller;
    private final Optional<Action> action;
    private final List<Problem> problems;
    private final Optional<Duration> retryAfter;
    private final Optional<DecisionReceipt> receipt;
    private final boolean presentBack;

    Admission(HttpMessage request, Optional<ReceivedSignature> signature, Optional<BoundAgent> caller, Optional<Action> action,
              List<Problem> problems, Optional<Duration> retryAfter, Optional<DecisionReceipt> receipt, boolean presentBack) {
        this.request = Objects.requireNonNull(request, "request");
        this.signature = signature;
        this.caller = caller;
        this.action = action;
        this.problems = List.copyOf(problems);
        this.retryAfter = retryAfter;
        this.receipt = receipt;
        this.presentBack = presentBack;
        if (problems.isEmpty() && (caller.isEmpty() || action.isEmpty())) {
            throw new IllegalArgumentException("an accepted call has a caller and an action");
        }
    }

    public boolean accepted() {
        return problems.isEmpty();
    }

    /** The verified caller; present when accepted, and for refusals after its signature verified. */
    public Optional<BoundAgent> caller() {
        return caller;
    }

    /** The action the call performs, when its route was found and its parameters read. */
    public Optional<Action> action() {
        return action;
    }

    /** Why the call is refused; empty when accepted. The first problem's type gives the status. */
    public List<Problem> problems() {
        return problems;
    }

    /** The status to answer a refusal with. */
    public int status() {
        return problems.isEmpty() ? 200 : problems.get(0).type().status();
    }

    /** When to come back, for 429 and 503 refusals. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** The decision-log entry, for calls whose signature verified. */
    public Optional<DecisionReceipt> receipt() {
        return receipt;
    }

    /** The request's agent signature, when it had one that could be read. */
    public Optional<ReceivedSignature> signature() {
        return signature;
    }

    HttpMessage request() {
        return request;
    }

    boolean presentBack() {
        return presentBack;
    }

    @Override
    public String toString() {
        return "Admission[" + (accepted() ? "accepted " + action.map(Action::toString).orElse("") : "refused " + problems.get(0).type())
                + caller.map(c -> " by " + c.identity().agent()).orElse("") + "]";
    }
}
