package dev.tabard.audit;

import java.util.Objects;

/**
 * Where and how an audit chain is broken: the first entry at which the stored log stops being the one its writer
 * wrote and signed.
 *
 * @param kind what was done to the log
 * @param seq the entry where the break shows
 * @param detail what was found, in words an operator can act on
 */
public record AuditBreak(Kind kind, long seq, String detail) {

    /** What was done to the log. */
    public enum Kind {
        /** An entry's content no longer gives its stored hash. */
        EDITED("edited"),
        /** An entry does not follow the one before it: entries were swapped or one was replaced. */
        REORDERED("reordered"),
        /** Sequence numbers are missing inside the log. */
        DELETED("deleted"),
        /** The newest entries are gone: a signed head or the checkpoint covers entries the log no longer has. */
        TRUNCATED("truncated"),
        /** A signed head does not verify with the key it names, or no longer matches its entries (a re-computed chain). */
        SIGNATURE_INVALID("signature invalid"),
        /** Entries that no signed head covers: written outside the log's writer, or their signed heads were deleted. */
        UNSIGNED("unsigned");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        @Override
        public String toString() {
            return word;
        }
    }

    public AuditBreak {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return "entry " + seq + " " + kind + ": " + detail;
    }
}
