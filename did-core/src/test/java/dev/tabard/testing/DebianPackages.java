package dev.tabard.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The one place tests install what they need from Debian's packages (a PostgreSQL or Redis server, a browser): when the
 * thing is missing and the tests run as root on a machine with apt-get, the packages are installed once (with an index
 * update if the first try fails); otherwise the test fails with the command that installs them. {@code .ci/run}
 * installs the same packages before the build, so this path is for a developer's first run.
 *
 * <pre>{@code
 * DebianPackages.require("redis-server", () -> find() != null, "redis-server");
 * }</pre>
 */
public final class DebianPackages {

    private static final Duration INSTALL = Duration.ofMinutes(10);
    private static final Object LOCK = new Object();

    private DebianPackages() {
    }

    /**
     * Returns when {@code present} holds, installing {@code packages} first if root can.
     *
     * @param what what the tests need, for the failure message
     * @throws IllegalStateException naming the apt-get command when it is still missing
     */
    public static void require(String what, BooleanSupplier present, String... packages) {
        if (present.getAsBoolean()) {
            return;
        }
        synchronized (LOCK) {
            if (!present.getAsBoolean() && "root".equals(System.getProperty("user.name"))
                    && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
                System.err.println("DebianPackages: " + what + " is missing; running apt-get install -y " + String.join(" ", packages));
                List<String> install = new ArrayList<>(List.of("install", "-y", "-q", "--no-install-recommends"));
                install.addAll(List.of(packages));
                if (!apt(install) && apt(List.of("update", "-q"))) {
                    apt(install);
                }
            }
            if (!present.getAsBoolean()) {
                throw new IllegalStateException(what + " is not installed: install the Debian package" + (packages.length > 1 ? "s " : " ")
                        + String.join(" ", packages) + " (apt-get install " + String.join(" ", packages) + ")");
            }
        }
    }

    private static boolean apt(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/apt-get"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        try {
            Process p = pb.start();
            if (!p.waitFor(INSTALL.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
