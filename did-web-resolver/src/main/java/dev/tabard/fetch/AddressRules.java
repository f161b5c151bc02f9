package dev.tabard.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses count as public. Everything a request from our process could use to reach our own
 * network is not: loopback, unspecified, link-local (169.254/16, fe80::/10), private (10/8, 172.16/12,
 * 192.168/16, fc00::/7), CGNAT (100.64/10), multicast, benchmarking (198.18/15), reserved (240/4), "this
 * network" (0/8), the IETF protocol block (192.0.0/24), and IPv6 forms that embed an IPv4 address
 * (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16), judged by the address inside.
 */
final class AddressRules {

    private AddressRules() {
    }

    static boolean isPublic(InetAddress address) {
        if (address instanceof Inet4Address) {
            return isPublicV4(address.getAddress());
        }
        byte[] a = address.getAddress();
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        if ((a[0] & 0xfe) == 0xfc) {
            return false; // unique local fc00::/7
        }
        boolean zero10 = true;
        for (int i = 0; i < 10; i++) {
            zero10 &= a[i] == 0;
        }
        if (zero10 && ((a[10] == (byte) 0xff && a[11] == (byte) 0xff) || (a[10] == 0 && a[11] == 0))) {
            return isPublicV4(new byte[] {a[12], a[13], a[14], a[15]}); // IPv4-mapped or -compatible
        }
        if (a[0] == 0x00 && a[1] == 0x64 && a[2] == (byte) 0xff && a[3] == (byte) 0x9b) {
            return isPublicV4(new byte[] {a[12], a[13], a[14], a[15]}); // NAT64
        }
        if (a[0] == 0x20 && a[1] == 0x02) {
            return isPublicV4(new byte[] {a[2], a[3], a[4], a[5]}); // 6to4
        }
        return true;
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0 || a0 == 10 || a0 == 127 || a0 >= 224) {
            return false; // this network, private, loopback, multicast, reserved, broadcast
        }
        if (a0 == 169 && a1 == 254) {
            return false;
        }
        if (a0 == 172 && a1 >= 16 && a1 <= 31) {
            return false;
        }
        if (a0 == 192 && a1 == 168) {
            return false;
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return false;
        }
        if (a0 == 198 && (a1 == 18 || a1 == 19)) {
            return false;
        }
        return !(a0 == 192 && a1 == 0 && a2 == 0);
    }

    /** Whether {@code host} is written as an IP address rather than a name. */
    static boolean isIpLiteral(String host) {
        if (host.startsWith("[") || host.indexOf(':') >= 0) {
            return true;
        }
        return host.matches("[0-9.]+") || host.matches("(?i)0x[0-9a-f.x]+");
    }

    static InetAddress[] resolve(String host) throws UnknownHostException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return InetAddress.getAllByName(h);
    }
}
