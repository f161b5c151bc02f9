package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** Every command, group or leaf, answers {@code --help}, and says what it and each of its options is for. */
class CommandTreeHelpTest {

    @Test
    void everyCommandAndOption_hasADescription() {
        List<String> missing = new ArrayList<>();
        walk(new CommandLine(new Tabard()).getCommandSpec(), missing);
        assertEquals(List.of(), missing, "commands and options without help text");
    }

    private static void walk(CommandSpec spec, List<String> missing) {
        String path = spec.qualifiedName(" ");
        if (blank(spec.usageMessage().description())) {
            missing.add(path);
        }
        for (OptionSpec o : spec.options()) {
            if (blank(o.description())) {
                missing.add(path + " " + o.longestName());
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (blank(p.description())) {
                missing.add(path + " " + p.paramLabel());
            }
        }
        spec.subcommands().values().forEach(sub -> walk(sub.getCommandSpec(), missing));
    }

    private static boolean blank(String[] text) {
        return text.length == 0 || String.join("", text).isBlank();
    }

    @Test
    void everyCommand_answersHelp() {
        List<String> paths = new ArrayList<>();
        collect(new CommandLine(new Tabard()).getCommandSpec(), new ArrayList<>(), paths);
        assertTrue(paths.contains("wallet") && paths.contains("audit") && paths.contains("verifier") && paths.contains("issuer"), paths.toString());
        for (String path : paths) {
            List<String> args = new ArrayList<>(List.of(path.split(" ")));
            args.add("--help");
            Run r = Run.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), path + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: tabard " + path), path + ": " + r.out());
        }
    }

    private static void collect(CommandSpec spec, List<String> prefix, List<String> out) {
        spec.subcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandSpec().name())) {
                return; // an alias
            }
            List<String> p = new ArrayList<>(prefix);
            p.add(name);
            out.add(String.join(" ", p));
            collect(sub.getCommandSpec(), p, out);
        });
    }
}
