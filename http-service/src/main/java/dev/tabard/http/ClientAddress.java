package dev.tabard.http;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The client a request is counted against for every per-client limit (rates, challenges, nonces, body budget): its
 * IPv4 address, or the /64 prefix of its IPv6 address, since one host usually holds a whole /64 (RFC 7421) and could
 * otherwise count as 2^64 clients. The TCP peer only: {@code X-Forwarded-For} is never read.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(Context ctx) {
        return of(ctx.req().getRemoteAddr());
    }

    public static String of(String remoteAddress) {
        if (remoteAddress.indexOf(':') < 0) {
            return remoteAddress;
        }
        try {
            // an IP literal: getByName parses it and never asks DNS
            byte[] a = InetAddress.getByName(remoteAddress.replaceAll("^\\[|]$|%.*$", "")).getAddress();
            if (a.length != 16) {
                return InetAddress.getByAddress(a).getHostAddress();
            }
            return String.format("%x:%x:%x:%x::/64", group(a, 0), group(a, 2), group(a, 4), group(a, 6));
        } catch (UnknownHostException e) {
            return remoteAddress;
        }
    }

    private static int group(byte[] a, int i) {
        return (a[i] & 0xff) << 8 | a[i + 1] & 0xff;
    }
}
