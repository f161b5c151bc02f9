/**
 * The organization's agent registry: who its agents are and what it grants them. An AgentCredential is signed only
 * for a registered, active agent and only within its registered grant ({@link dev.tabard.issuer.agents.AgentGrants});
 * its DID must be one verifiers accept ({@link dev.tabard.issuer.agents.AgentDids}).
 *
 * <pre>{@code
 * AgentRegistry registry = new AgentRegistry(store, clock);
 * registry.put(agent, "token:ops");
 * Agent granted = registry.grantFor(agent.did());   // NOT_GRANTED when unknown or deactivated
 * }</pre>
 */
package dev.tabard.issuer.agents;
