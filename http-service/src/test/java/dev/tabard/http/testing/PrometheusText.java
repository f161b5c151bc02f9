package dev.tabard.http.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, for tests that scrape a real server: every line must be a
 * {@code # HELP}, a {@code # TYPE} or a sample of a family whose {@code # TYPE} came first, label values properly
 * escaped, values numbers; anything else fails the test with the line's number.
 *
 * @param samples every sample, in the order served
 * @param types each family's type, by family name
 */
public record PrometheusText(List<Sample> samples, Map<String, String> types) {

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Set<String> SUFFIXES = Set.of("", "_total", "_bucket", "_count", "_sum", "_created");

    public PrometheusText {
        samples = List.copyOf(samples);
        types = Map.copyOf(types);
    }

    /**
     * Parses {@code text}.
     *
     * @throws AssertionError naming the first line that is not valid exposition
     */
    public static PrometheusText parse(String text) {
        if (!text.endsWith("\n")) {
            throw new AssertionError("the exposition does not end with a line feed");
        }
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            Matcher m;
            if ((m = TYPE.matcher(line)).matches()) {
                if (types.put(m.group(1), m.group(2)) != null) {
                    throw invalid(i, line, "a second # TYPE for the family");
                }
            } else if (HELP.matcher(line).matches()) {
                continue;
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                if (family(name, types) == null) {
                    throw invalid(i, line, "a sample before its family's # TYPE");
                }
                samples.add(new Sample(name, labels(m.group(3), i, line), number(m.group(4), i, line)));
            } else {
                throw invalid(i, line, "neither # HELP, # TYPE nor a sample");
            }
        }
        return new PrometheusText(samples, types);
    }

    private static String family(String name, Map<String, String> types) {
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text, int i, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw invalid(i, line, "a malformed label at " + at);
            }
            String value = m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
            if (labels.put(m.group(1), value) != null) {
                throw invalid(i, line, "a repeated label");
            }
            at = m.end();
        }
        return labels;
    }

    private static double number(String text, int i, String line) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw invalid(i, line, "a value that is not a number");
                }
        }
    }

    private static AssertionError invalid(int i, String line, String why) {
        return new AssertionError("line " + (i + 1) + " is " + why + ": " + line);
    }

    /** The samples named {@code name} whose labels include every one of {@code labels}. */
    public List<Sample> find(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    /**
     * The value of the one sample named {@code name} whose labels include {@code labels}.
     *
     * @throws AssertionError when there is none, or more than one
     */
    public double value(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + labels + " (one expected): " + found);
        }
        return found.get(0).value();
    }

    /** The sum over the samples named {@code name} whose labels include {@code labels}; 0 when there are none. */
    public double sum(String name, Map<String, String> labels) {
        return find(name, labels).stream().mapToDouble(Sample::value).sum();
    }
}
