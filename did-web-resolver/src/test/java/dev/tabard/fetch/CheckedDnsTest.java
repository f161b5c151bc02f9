package dev.tabard.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client's resolver keeps only the addresses the policy allows, from one answer, in the order given. */
class CheckedDnsTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    /** Stands in for DNS: fixed answers per name. */
    private static CheckedDns.HostLookup answers(Map<String, List<String>> records) {
        return host -> {
            List<String> a = records.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] out = new InetAddress[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ip(a.get(i));
            }
            return out;
        };
    }

    private static final Map<String, List<String>> RECORDS = Map.of(
            "mixed.test", List.of("10.0.0.7", "93.184.216.34", "127.0.0.1", "2001:db8::1", "::ffff:192.168.0.1"),
            "internal.test", List.of("10.0.0.7", "fd00::1"));

    @Test
    void lookup_publicAndPrivateAddresses_onlyThePublicOnesAreHandedToTheClient() throws Exception {
        CheckedDns dns = new CheckedDns(FetchPolicy.defaults(), answers(RECORDS));
        assertEquals(List.of(ip("93.184.216.34"), ip("2001:db8::1")), dns.lookup("mixed.test"));
    }

    @Test
    void lookup_allowListedHost_everyAddressIsKept() throws Exception {
        CheckedDns dns = new CheckedDns(FetchPolicy.builder().allowHost("internal.test").build(), answers(RECORDS));
        assertEquals(List.of(ip("10.0.0.7"), ip("fd00::1")), dns.lookup("internal.test"));
    }

    @Test
    void lookup_onlyPrivateAddresses_refusedNamingTheHost() {
        CheckedDns dns = new CheckedDns(FetchPolicy.defaults(), answers(RECORDS));
        CheckedDns.Refused e = assertThrows(CheckedDns.Refused.class, () -> dns.lookup("internal.test"));
        assertTrue(e.getMessage().startsWith("internal.test resolves only to non-public addresses (10.0.0.7)"), e.getMessage());
    }

    @Test
    void lookup_unknownName_isNotARefusal() {
        CheckedDns dns = new CheckedDns(FetchPolicy.defaults(), answers(RECORDS));
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> dns.lookup("nowhere.test"));
        assertEquals(UnknownHostException.class, e.getClass());
    }
}
