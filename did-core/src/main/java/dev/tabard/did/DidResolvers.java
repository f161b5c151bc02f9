package dev.tabard.did;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.List;
import java.util.Objects;

/** Composition of resolvers. */
public final class DidResolvers {

    private DidResolvers() {}

    /**
     * A resolver that routes each DID to the first of {@code resolvers} that supports its method.
     * An unknown method throws {@code METHOD_NOT_SUPPORTED}.
     */
    public static DidResolver of(DidResolver... resolvers) {
        List<DidResolver> list = List.of(resolvers);
        return new DidResolver() {
            @Override
            public boolean supports(String method) {
                Objects.requireNonNull(method, "method");
                return list.stream().anyMatch(r -> r.supports(method));
            }

            @Override
            public ResolutionResult resolve(Did did) {
                Objects.requireNonNull(did, "did");
                for (DidResolver r : list) {
                    if (r.supports(did.method())) {
                        return r.resolve(did);
                    }
                }
                throw new ProblemException(ProblemType.METHOD_NOT_SUPPORTED,
                        "no resolver for DID method '" + did.method() + "'");
            }
        };
    }
}
