package dev.tabard.audit;

import java.time.Duration;
import java.util.Objects;

/**
 * When an {@link AuditFile} signs a head over its newest entry: once {@code everyEntries} entries are unsigned, or
 * once {@code every} has passed since the last head, whichever comes first, and from a timer every {@code every} so
 * a quiet log is signed too. Entries not yet covered by a head are only as trustworthy as the file's permissions,
 * so both bound how much of the log rests on them; each head costs a signature and an fsync.
 *
 * @param everyEntries at most this many entries are unsigned (1 signs every entry)
 * @param every at most this long passes before the newest entries are signed
 */
public record HeadPolicy(int everyEntries, Duration every) {

    /** The longest {@code every}: past it, a crash leaves too much of the log resting on file permissions alone. */
    public static final Duration MAX_EVERY = Duration.ofHours(1);

    /** 1000 entries or one second: a busy log pays one fsync per thousand entries, a quiet one is signed within a second. */
    public static final HeadPolicy DEFAULT = new HeadPolicy(1000, Duration.ofSeconds(1));

    public HeadPolicy {
        Objects.requireNonNull(every, "every");
        if (everyEntries < 1) {
            throw new IllegalArgumentException("everyEntries must be at least 1, was " + everyEntries);
        }
        if (every.toMillis() < 1 || every.compareTo(MAX_EVERY) > 0) {
            throw new IllegalArgumentException("every must be between 1 ms and " + MAX_EVERY + ", was " + every);
        }
    }
}
