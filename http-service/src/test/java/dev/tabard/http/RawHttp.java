package dev.tabard.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** HTTP/1.1 over a plain socket from a chosen source address, so tests can send what no client library would. */
final class RawHttp {

    record Response(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            return JsonCodec.parse(body);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {}

    /** A socket from {@code source} (any 127.x.y.z) to 127.0.0.1:{@code port}, with a read timeout. */
    static Socket connect(String source, int port, int readTimeoutMillis) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(source, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        s.setSoTimeout(readTimeoutMillis);
        return s;
    }

    /** Sends {@code request} as is, from 127.0.0.1, and reads one response. */
    static Response exchange(int port, String request) throws IOException {
        return exchange("127.0.0.1", port, request);
    }

    static Response exchange(String source, int port, String request) throws IOException {
        try (Socket s = connect(source, port, 10_000)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return read(s.getInputStream());
        }
    }

    /** Sends HEAD for {@code path} and reads the response's status and headers (a HEAD response has no body). */
    static Response exchangeHead(int port, String path) throws IOException {
        return exchange(port, "HEAD " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", true);
    }

    /** Sends {@code request} and reads one response, with no body when {@code head}. */
    static Response exchange(int port, String request, boolean head) throws IOException {
        try (Socket s = connect("127.0.0.1", port, 10_000)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return read(s.getInputStream(), head);
        }
    }

    /** Reads one response: status line, headers, and a body framed by Content-Length (or up to EOF). */
    static Response read(InputStream in) throws IOException {
        return read(in, false);
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        byte[] body;
        if (head) {
            body = new byte[0];
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int n = Integer.parseInt(line(in).trim(), 16); n > 0; n = Integer.parseInt(line(in).trim(), 16)) {
                out.write(in.readNBytes(n));
                line(in);
            }
            body = out.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return sb.toString().endsWith("\r") ? sb.substring(0, sb.length() - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    static String post(String path, String contentType, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    }
}
