package dev.tabard.did;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful resolution: the document and where and when it came from. Failures are thrown as
 * {@link dev.tabard.problem.ProblemException} with the DID Resolution problem types.
 */
public record ResolutionResult(DidDocument document, Metadata metadata) {

    public ResolutionResult {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(metadata, "metadata");
    }

    /** Where a document came from. */
    public enum Source { LOCAL, CACHE, NETWORK, BUNDLE }

    /**
     * @param retrieved when the document was fetched or derived
     * @param expires when a cached copy must be revalidated; empty for documents derived locally
     * @param source where it came from
     * @param contentType the media type it was served with, if it was fetched
     * @param deactivated whether the DID document metadata marks it deactivated
     */
    public record Metadata(Instant retrieved, Optional<Instant> expires, Source source, Optional<String> contentType,
                           boolean deactivated) {
        public Metadata {
            Objects.requireNonNull(retrieved, "retrieved");
            Objects.requireNonNull(expires, "expires");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(contentType, "contentType");
        }

        public static Metadata local(Instant now) {
            return new Metadata(now, Optional.empty(), Source.LOCAL, Optional.empty(), false);
        }
    }
}
