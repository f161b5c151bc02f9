package dev.tabard.issuer.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** {@link OneUseValues} held in this process only: right for a store that one issuer process opens. */
final class MemoryOneUseValues implements OneUseValues {

    private final PerClientTable<String> table;

    MemoryOneUseValues(Kind kind, Clock clock) {
        this.table = new PerClientTable<>(kind.name(), kind.lifetime(), kind.perOwner(), kind.total(), clock);
    }

    @Override
    public void put(String owner, String key, String value) {
        table.put(owner, key, value);
    }

    @Override
    public Optional<String> take(String key) {
        return table.take(key);
    }

    @Override
    public Optional<String> peek(String key) {
        return table.peek(key);
    }

    @Override
    public boolean remove(String key, String expected) {
        return table.remove(key, expected);
    }

    @Override
    public boolean replace(String key, String expected, String replacement) {
        return table.replace(key, expected, replacement);
    }

    @Override
    public Duration retryAfter(String owner) {
        return table.retryAfter(owner);
    }
}
