package dev.tabard.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.Dns;

/**
 * The HTTP client's only source of addresses: it resolves a name once, keeps the addresses {@link AddressRules}
 * calls public (all of them for an allow-listed host) and hands the client only those, so the client connects to an
 * address that was checked and never resolves the name again behind our back (no DNS rebinding). An answer that
 * mixes public and non-public addresses is cut down to its public ones.
 *
 * <p>IP literals never reach a {@link Dns}; {@link SafeFetcher} judges them before the call.
 */
final class CheckedDns implements Dns {

    /** Name resolution, the system's unless a test stands in for DNS. */
    @FunctionalInterface
    interface HostLookup {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A host whose every address is non-public: the fetch is refused, not failed. */
    static final class Refused extends UnknownHostException {
        private static final long serialVersionUID = 1L;

        Refused(String detail) {
            super(detail);
        }
    }

    private final FetchPolicy policy;
    private final HostLookup lookup;

    CheckedDns(FetchPolicy policy, HostLookup lookup) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    @Override
    public List<InetAddress> lookup(String host) throws UnknownHostException {
        InetAddress[] addresses = lookup.resolve(host);
        if (addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        boolean allowListed = policy.allowsHost(host);
        List<InetAddress> allowed = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (allowListed || AddressRules.isPublic(a)) {
                allowed.add(a);
            }
        }
        if (allowed.isEmpty()) {
            throw new Refused(host + " resolves only to non-public addresses (" + addresses[0].getHostAddress()
                    + "); allow-list the host to reach it");
        }
        return List.copyOf(allowed);
    }
}
