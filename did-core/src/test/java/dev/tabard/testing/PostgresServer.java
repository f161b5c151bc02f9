package dev.tabard.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from the Debian binaries in {@code /usr/lib/postgresql/<version>/bin} (the
 * newest): {@code initdb} into a temporary directory, then {@code postgres} on 127.0.0.1 at a free port with trust
 * authentication for the {@value #USER} role. One server per JVM, started on first use and stopped by a shutdown
 * hook; each test takes a fresh database with {@link #createDatabase()}. Running as root, the binaries run as the
 * {@code postgres} user (PostgreSQL refuses root). When the binaries are missing and this is root on a system with
 * apt-get, the {@code postgresql} package is installed first.
 *
 * <pre>{@code
 * String url = PostgresServer.shared().createDatabase();   // jdbc:postgresql://127.0.0.1:PORT/test_1
 * try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "")) { ... }
 * }</pre>
 */
public final class PostgresServer {

    /** The superuser every database belongs to; authentication is trust, so any password is accepted. */
    public static final String USER = "postgres";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int BIND_ATTEMPTS = 5;
    private static PostgresServer shared;

    private final Path bin;
    private final Path dir;
    private final boolean asPostgresUser;
    private final String version;
    private final AtomicInteger databases = new AtomicInteger();
    private Process process;
    private int port;

    private PostgresServer(Path bin, Path dir, boolean asPostgresUser, String version) {
        this.bin = bin;
        this.dir = dir;
        this.asPostgresUser = asPostgresUser;
        this.version = version;
    }

    /** The server of this JVM, started on first call. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start PostgreSQL for the tests: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting PostgreSQL", e);
            }
        }
        return shared;
    }

    /** What {@code postgres --version} said, such as {@code postgres (PostgreSQL) 15.14}. */
    public String version() {
        return version;
    }

    public int port() {
        return port;
    }

    /** A new, empty database; its JDBC URL, for {@link #USER} with any password. */
    public String createDatabase() {
        String name = "test_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, ""); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static PostgresServer start() throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path bin = binaries();
        String version = new String(run(List.of(bin.resolve("postgres").toString(), "--version"), false, Duration.ofSeconds(30)),
                StandardCharsets.UTF_8).trim();
        System.err.println("PostgresServer: " + version + " from " + bin);
        Path dir = Files.createTempDirectory("tabard-pg");
        if (root) {
            run(List.of("chown", "-R", USER + ":", dir.toString()), false, Duration.ofSeconds(30));
        }
        PostgresServer server = new PostgresServer(bin, dir, root, version);
        run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER, "--auth=trust",
                "-E", "UTF8", "--no-sync"), root, Duration.ofMinutes(2));
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-test-server-stop"));
        server.launch();
        return server;
    }

    /** Starts the server at a free port, trying another when the port was taken between choosing and binding it. */
    private void launch() throws IOException, InterruptedException {
        String lastLog = "";
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path log = dir.resolve("server-" + attempt + ".log");
            List<String> command = command(List.of(bin.resolve("postgres").toString(), "-D", dir.resolve("data").toString(),
                    "-c", "listen_addresses=127.0.0.1", "-p", String.valueOf(port), "-k", dir.toString(),
                    "-c", "max_connections=300"), asPostgresUser);
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Instant deadline = Instant.now().plus(START_TIMEOUT);
            while (Instant.now().isBefore(deadline) && process.isAlive()) {
                try (Connection c = DriverManager.getConnection(url("postgres"), USER, "")) {
                    return;
                } catch (SQLException notYet) {
                    process.waitFor(100, TimeUnit.MILLISECONDS); // returns at once if the server exits
                }
            }
            lastLog = Files.exists(log) ? Files.readString(log) : "";
            if (process.isAlive()) {
                process.destroyForcibly();
                throw new IllegalStateException("PostgreSQL did not accept connections within " + START_TIMEOUT + ":\n" + lastLog);
            }
            if (!lastLog.contains("could not bind") && !lastLog.contains("already in use")) {
                break;
            }
        }
        throw new IllegalStateException("PostgreSQL did not start:\n" + lastLog);
    }

    private void stop() {
        try {
            if (process != null && process.isAlive()) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "stop", "-m", "immediate", "-w",
                        "-t", "20"), asPostgresUser, Duration.ofSeconds(30));
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("PostgresServer: pg_ctl stop failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            deleteTree(dir);
        }
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} with a {@code postgres} in it, installing the package if root can. */
    private static Path binaries() throws IOException {
        DebianPackages.require("PostgreSQL's server", () -> {
            try {
                return newest() != null;
            } catch (IOException e) {
                return false;
            }
        }, "postgresql");
        return newest();
    }

    private static Path newest() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
                    .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                    .map(v -> v.resolve("bin")).orElse(null);
        }
    }

    private static List<String> command(List<String> command, boolean asPostgresUser) {
        List<String> out = new ArrayList<>();
        if (asPostgresUser) {
            out.addAll(List.of("runuser", "-u", USER, "--"));
        }
        out.addAll(command);
        return out;
    }

    /** Runs a command to its end within {@code timeout}; its output, or an exception with it when it fails. */
    private static byte[] run(List<String> command, boolean asPostgresUser, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(command, asPostgresUser)).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                    + new String(out, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is not worth failing a finished test run for
        }
    }
}
