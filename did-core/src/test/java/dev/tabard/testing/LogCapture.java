package dev.tabard.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the SLF4J simple binding writes to standard error while open (it looks {@code System.err} up on every line),
 * still passed through; for tests that match an answer against the log line it produced (an incident id).
 * Shared through did-core's test jar.
 */
public final class LogCapture implements AutoCloseable {

    private static final Pattern INCIDENT = Pattern.compile("ERROR .*incident=([0-9a-f]{16})");
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    public LogCapture() {
        System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
    }

    public synchronized String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** The incident id of the first ERROR line that names one. */
    public Optional<String> incident() {
        Matcher m = INCIDENT.matcher(text());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    private static final class TeeStream extends java.io.OutputStream {
        private final PrintStream through;
        private final ByteArrayOutputStream copy;

        TeeStream(PrintStream through, ByteArrayOutputStream copy) {
            this.through = through;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            through.write(b);
            synchronized (copy) {
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            through.write(b, off, len);
            synchronized (copy) {
                copy.write(b, off, len);
            }
        }
    }
}
