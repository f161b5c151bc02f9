package dev.tabard.did;

import java.util.List;
import java.util.Objects;

/**
 * A service entry (DID Core §5.4). The endpoint is kept as its JSON text because it may be a URL, a map
 * or a set of them.
 */
public record Service(DidUrl id, List<String> types, String serviceEndpointJson) {

    public Service {
        Objects.requireNonNull(id, "id");
        types = List.copyOf(types);
        Objects.requireNonNull(serviceEndpointJson, "serviceEndpointJson");
    }
}
