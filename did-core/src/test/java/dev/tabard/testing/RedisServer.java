package dev.tabard.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on 127.0.0.1 for tests, without persistence ({@code --save "" --appendonly no}), on a
 * port found by binding 0 (retried when another process takes it first). Ready once it answers PING. {@link #stop()}
 * and {@link #start()} again keep the port, for outage tests. When {@code redis-server} is missing and we are root with
 * apt-get, it is installed ({@code apt-get install -y redis-server}); otherwise the test fails naming the package.
 * Shared through did-core's test jar.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(15);

    private final Path binary;
    private final Path dir;
    private final List<String> extraArgs;
    private int port;
    private Process process;
    private final Thread hook = new Thread(this::kill, "redis-server-stop");

    private RedisServer(Path binary, Path dir, List<String> extraArgs) {
        this.binary = binary;
        this.dir = dir;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a server with {@code extraArgs} (for example {@code "--maxmemory", "2mb"}) and waits until it answers. */
    public static RedisServer launch(String... extraArgs) throws IOException, InterruptedException {
        RedisServer s = new RedisServer(binary(), Files.createTempDirectory("redis-test"), List.of(extraArgs));
        Runtime.getRuntime().addShutdownHook(s.hook);
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                s.port = free.getLocalPort();
            }
            try {
                s.start();
                return s;
            } catch (IOException e) {
                last = e; // most likely the port was taken between our probe and the server's bind
            }
        }
        throw last;
    }

    /** Starts the server (again) on its port, and waits until it answers PING. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(), "--protected-mode", "yes"));
        cmd.addAll(extraArgs);
        Path log = dir.resolve("redis-" + port + ".log");
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Instant deadline = Instant.now().plus(READY);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited (" + process.exitValue() + "): " + Files.readString(log));
            }
            try {
                if ("PONG".equals(command("PING"))) {
                    return;
                }
            } catch (IOException notYet) {
                if (String.valueOf(notYet.getMessage()).startsWith("redis error: NOAUTH")) {
                    return; // started with --requirepass: it answers, and asks for the password
                }
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        kill();
        throw new IOException("redis-server did not answer PING within " + READY.toSeconds() + " s: " + Files.readString(log));
    }

    /** Stops the server (its data is gone: nothing is persisted); {@link #start()} brings it back on the same port. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** The server's version, from {@code INFO server}. */
    public String version() throws IOException {
        for (String line : command("INFO", "server").split("\r\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length());
            }
        }
        return "unknown";
    }

    /**
     * Sends one command and returns its reply: a simple or bulk string, an integer as text, an array joined by
     * newlines, or {@code null} for a nil reply.
     *
     * @throws IOException when the server cannot be reached or answers with an error
     */
    public String command(String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply(new BufferedInputStream(socket.getInputStream()));
        }
    }

    private static String reply(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
            case ':':
                return line;
            case '-':
                throw new IOException("redis error: " + line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n + 2);
                return new String(b, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(reply(in));
                }
                return String.join("\n", items);
            }
            default:
                throw new IOException("unexpected reply type " + type);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private static Path binary() {
        DebianPackages.require("redis-server", () -> find() != null, "redis-server");
        return find();
    }

    private static Path find() {
        List<Path> candidates = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty()) {
                candidates.add(Path.of(d, "redis-server"));
            }
        }
        candidates.add(Path.of("/usr/bin/redis-server"));
        for (Path c : candidates) {
            if (Files.isExecutable(c)) {
                return c;
            }
        }
        return null;
    }
}
