package dev.tabard.did;

import dev.tabard.problem.ProblemException;

/**
 * Resolves DIDs of one or more methods. Resolvers are passed in where needed; there is no global registry.
 */
public interface DidResolver {

    /** Whether this resolver handles the DID method {@code method}. */
    boolean supports(String method);

    /**
     * @throws ProblemException {@code INVALID_DID}, {@code NOT_FOUND}, {@code METHOD_NOT_SUPPORTED},
     *     {@code REPRESENTATION_NOT_SUPPORTED}, {@code INVALID_DID_DOCUMENT} or {@code INTERNAL_ERROR}
     */
    ResolutionResult resolve(Did did);
}
