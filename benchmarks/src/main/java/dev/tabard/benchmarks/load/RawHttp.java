package dev.tabard.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * One keep-alive HTTP/1.1 connection from a chosen source address. The load program needs many distinct clients on
 * one machine: Linux routes all of 127/8 to loopback, so binding the socket to 127.0.0.N makes client N, which
 * {@code java.net.http} cannot do.
 */
final class RawHttp implements AutoCloseable {

    /** A response's status and body. */
    record Response(int status, String body) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;

    private RawHttp(Socket socket, String host) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.host = host;
    }

    /** Connects from {@code source} to 127.0.0.1:{@code port}, over TLS when {@code tls} is given. */
    static RawHttp connect(String source, int port, Optional<SSLContext> tls, int timeoutMillis) throws IOException {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        plain.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
        plain.setSoTimeout(timeoutMillis);
        plain.setTcpNoDelay(true);
        Socket s = plain;
        if (tls.isPresent()) {
            javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) tls.get().getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            ssl.startHandshake();
            s = ssl;
        }
        return new RawHttp(s, "127.0.0.1:" + port);
    }

    Response get(String path) throws IOException {
        return exchange("GET", path, null, null);
    }

    Response postJson(String path, String json) throws IOException {
        return exchange("POST", path, "application/json", json);
    }

    Response postForm(String path, String form) throws IOException {
        return exchange("POST", path, "application/x-www-form-urlencoded", form);
    }

    /** Sends the head of a POST that declares {@code contentLength} bytes, and no body: the start of a slow upload. */
    void startUpload(String path, int contentLength) throws IOException {
        out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
                + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One more byte of a slow upload. */
    void trickle() throws IOException {
        out.write(' ');
        out.flush();
    }

    Response exchange(String method, String path, String contentType, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null || method.equals("POST")) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return read();
    }

    private Response read() throws IOException {
        String status = line();
        if (status == null || !status.startsWith("HTTP/1.1 ")) {
            throw new IOException("connection closed or not HTTP: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        } else if (close) {
            body.write(in.readAllBytes());
        }
        if (close) {
            socket.close();
        }
        return new Response(code, body.toString(StandardCharsets.UTF_8));
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket the peer already closed
        }
    }
}
