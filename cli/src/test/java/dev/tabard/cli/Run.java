package dev.tabard.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A {@code tabard} command run in this JVM: its exit code and what it printed, trimmed. */
record Run(int code, String out, String err) {

    /** Runs {@code args} with standard output and error captured; one command at a time, since both are global. */
    static synchronized Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Tabard.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8).trim(), e.toString(StandardCharsets.UTF_8).trim());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
