package dev.tabard.issuer.agents;

import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The organization's agents: who they are and what it grants them. The registry is the only source of authority for
 * an AgentCredential: the issuer signs one only for a registered, active agent and only within what is registered
 * here ({@link AgentGrants}).
 */
public final class AgentRegistry {

    /** Where an operator registers or updates an agent, named in every refusal. */
    public static final String REGISTER = "POST /admin/agents";

    private final IssuerStore store;
    private final Clock clock;

    public AgentRegistry(IssuerStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Registers or updates an agent, keeping its creation time. An active agent's DID must be one a verifier accepts
     * ({@link AgentDids#requireVerifiable}); deactivating is always possible, so an entry made before that rule can
     * still be switched off.
     *
     * @throws ProblemException {@code INVALID_DID} for an active agent whose DID a verifier would refuse
     */
    public Agent put(Agent agent, String actor) {
        Objects.requireNonNull(agent, "agent");
        if (agent.active()) {
            AgentDids.requireVerifiable(agent.did());
        }
        Instant now = clock.instant();
        Instant created = store.agent(agent.did()).map(Agent::created).orElse(now);
        Agent stored = agent.with(agent.active(), created, now);
        store.putAgent(stored, new IssuerStore.Audit(actor, "agent.put", agent.did().toString(),
                JsonCodec.writeString(Map.of("name", agent.name(), "active", agent.active()))));
        return stored;
    }

    public Optional<Agent> find(Did did) {
        return store.agent(Objects.requireNonNull(did, "did"));
    }

    /**
     * The registered, active agent {@code did} names: what an AgentCredential for it may carry at most.
     *
     * @throws ProblemException {@code NOT_GRANTED} for an agent that is not registered, is deactivated, or was registered
     *     under a DID a verifier would refuse
     */
    public Agent grantFor(Did did) {
        Agent agent = find(did).orElseThrow(() -> new ProblemException(ProblemType.NOT_GRANTED, "agent " + did
                + " is not registered, so nothing is granted to it; register it at " + REGISTER + " first"));
        if (!agent.active()) {
            throw new ProblemException(ProblemType.NOT_GRANTED, "agent " + did + " is deactivated; re-register it at " + REGISTER
                    + " to issue it credentials again");
        }
        try {
            AgentDids.requireVerifiable(did);
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.NOT_GRANTED, "agent " + did + " is registered under a DID verifiers refuse ("
                    + e.problem().detail() + "); deactivate it and register the agent's valid DID at " + REGISTER);
        }
        return agent;
    }
}
