package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child process's standard output, read line by line on a thread of its own. A test then waits for a line with a
 * deadline, instead of blocking in {@code readLine()} (which no test timeout can interrupt) on a process that hangs,
 * and a process that exits early fails the wait at once, with everything it printed.
 *
 * <pre>{@code
 * ProcessOutput out = ProcessOutput.follow(process);
 * int port = out.port(Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)"), Duration.ofSeconds(60));
 * }</pre>
 */
final class ProcessOutput {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    private ProcessOutput(Process process) {
        this.process = process;
    }

    /** Starts reading {@code process}'s standard output; keep reading it so the process never blocks on a full pipe. */
    static ProcessOutput follow(Process process) {
        ProcessOutput out = new ProcessOutput(process);
        Thread reader = new Thread(out::read, "output of pid " + process.pid());
        reader.setDaemon(true);
        reader.start();
        return out;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the stream closed under us: the process was destroyed
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    /** The first line matching {@code match}; fails when the output ends first or nothing matches {@code within}. */
    synchronized String awaitLine(Predicate<String> match, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < lines.size(); seen++) {
                if (match.test(lines.get(seen))) {
                    return lines.get(seen);
                }
            }
            if (ended) {
                fail("the process's output ended (alive: " + process.isAlive() + ") before the line awaited:\n" + text());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("the line awaited was not printed within " + within + ":\n" + text());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** The number in group 1 of the first line {@code pattern} finds in, such as the port a server bound. */
    int port(Pattern pattern, Duration within) throws InterruptedException {
        Matcher m = pattern.matcher(awaitLine(l -> pattern.matcher(l).find(), within));
        if (!m.find()) {
            throw new IllegalStateException("matched once, not again: " + pattern);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Everything printed, once the output has ended; fails when it does not end {@code within}. */
    synchronized String awaitEnd(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("the process's output did not end within " + within + ":\n" + text());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return text();
    }

    /** What was printed so far, one line after another. */
    synchronized String text() {
        StringBuilder b = new StringBuilder();
        lines.forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }
}
