package dev.tabard.wallet.delegation;

import dev.tabard.did.Did;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.DelegationChain;
import dev.tabard.wallet.store.HeldDelegation;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an agent hands another: capabilities it holds, limits at least as strict as its own (its own when none are
 * given), how much further the delegate may delegate (none by default), the task, and how long. A link is short-lived
 * ({@value #DEFAULT_MINUTES} minutes, at most {@link DelegationChain#MAX_UNREGISTERED_LIFETIME}) unless registered with
 * the organization's issuer, which can then revoke it.
 */
public final class DelegationRequest {

    public static final int DEFAULT_MINUTES = 10;

    private final Did delegate;
    private final Set<String> capabilities;
    private final Optional<AgentClaims.Money> maxTransactionValue;
    private final List<String> dataRegions;
    private final int furtherDepth;
    private final Optional<String> task;
    private final Duration lifetime;
    private final HeldDelegation.Registration registration;

    private DelegationRequest(Did delegate, Set<String> capabilities, Optional<AgentClaims.Money> maxTransactionValue, List<String> dataRegions,
                              int furtherDepth, Optional<String> task, Duration lifetime, HeldDelegation.Registration registration) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.capabilities = Set.copyOf(capabilities);
        if (this.capabilities.isEmpty()) {
            throw new IllegalArgumentException("a delegation hands on at least one capability");
        }
        this.maxTransactionValue = maxTransactionValue;
        this.dataRegions = List.copyOf(dataRegions);
        if (furtherDepth < 0 || furtherDepth > 16) {
            throw new IllegalArgumentException("further delegation depth is 0..16");
        }
        this.furtherDepth = furtherDepth;
        this.task = task;
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("a delegation lasts a positive time");
        }
        this.lifetime = lifetime;
        this.registration = Objects.requireNonNull(registration, "registration");
    }

    /** A short-lived delegation of {@code capabilities} to {@code delegate}, with the delegator's own limits. */
    public static DelegationRequest to(Did delegate, Set<String> capabilities) {
        return new DelegationRequest(delegate, capabilities, Optional.empty(), List.of(), 0, Optional.empty(),
                Duration.ofMinutes(DEFAULT_MINUTES), HeldDelegation.Registration.SHORT_LIVED);
    }

    /** A lower limit per transaction than the delegator's. */
    public DelegationRequest maxTransactionValue(String amount, String currency) {
        return new DelegationRequest(delegate, capabilities, Optional.of(new AgentClaims.Money(amount, currency)), dataRegions, furtherDepth,
                task, lifetime, registration);
    }

    /** Fewer data regions than the delegator's. */
    public DelegationRequest dataRegions(List<String> regions) {
        return new DelegationRequest(delegate, capabilities, maxTransactionValue, regions, furtherDepth, task, lifetime, registration);
    }

    /** Lets the delegate hand the authority on, {@code depth} more links at most. */
    public DelegationRequest allowingFurtherDelegation(int depth) {
        return new DelegationRequest(delegate, capabilities, maxTransactionValue, dataRegions, depth, task, lifetime, registration);
    }

    public DelegationRequest task(String text) {
        return new DelegationRequest(delegate, capabilities, maxTransactionValue, dataRegions, furtherDepth, Optional.of(text), lifetime,
                registration);
    }

    public DelegationRequest lasting(Duration duration) {
        return new DelegationRequest(delegate, capabilities, maxTransactionValue, dataRegions, furtherDepth, task, duration, registration);
    }

    /** Registers the link with the organization's issuer first, so it can be revoked there; it may then live longer. */
    public DelegationRequest registered() {
        return new DelegationRequest(delegate, capabilities, maxTransactionValue, dataRegions, furtherDepth, task, lifetime,
                HeldDelegation.Registration.REGISTERED);
    }

    public Did delegate() {
        return delegate;
    }

    public Set<String> capabilities() {
        return capabilities;
    }

    public Optional<AgentClaims.Money> maxTransactionValue() {
        return maxTransactionValue;
    }

    public List<String> dataRegions() {
        return dataRegions;
    }

    public int furtherDepth() {
        return furtherDepth;
    }

    public Optional<String> task() {
        return task;
    }

    public Duration lifetime() {
        return lifetime;
    }

    public HeldDelegation.Registration registration() {
        return registration;
    }
}
