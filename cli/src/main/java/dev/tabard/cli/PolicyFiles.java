package dev.tabard.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.TrustPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a trust policy file for the command line: YAML when the name ends in {@code .yaml} or {@code .yml}, JSON
 * otherwise, with the members {@link TrustPolicy#fromJson} reads either way. YAML lives here, not in vc-verifier, so
 * that the library an agent embeds carries no YAML parser.
 */
final class PolicyFiles {

    /** The largest policy file read: a policy names a few issuers and rules. */
    static final int MAX_POLICY_FILE_BYTES = 256 * 1024;
    /** YAML aliases and nesting a policy may use: enough for any policy, too few for a billion-laughs file. */
    static final int MAX_YAML_ALIASES = 10;
    static final int MAX_YAML_NESTING = 20;

    private PolicyFiles() {
    }

    /**
     * The warning for a policy that trusts no issuer (such as {@code {}}): it parses, and then refuses every credential,
     * which a server would otherwise do silently from its first request.
     */
    static java.util.Optional<String> warning(TrustPolicy policy, Path file) {
        if (policy.trustAnyIssuer() || !policy.trustedIssuers().isEmpty() || !policy.trustedWebDomains().isEmpty()
                || !policy.trustedIssuerUrls().isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("warning: the policy " + file + " trusts no issuer, so every credential is refused; add "
                + "\"trustedIssuers\": [\"did:...\"] or \"trustedWebDomains\": [\"issuer.example\"] to it");
    }

    /** A one-line summary of what a policy enforces, for a server's start line. */
    static String summary(TrustPolicy policy) {
        if (policy.trustAnyIssuer()) {
            return "any issuer" + (policy.requiredCapabilities().isEmpty() ? "" : ", requiring " + new java.util.TreeSet<>(policy.requiredCapabilities()));
        }
        int issuers = policy.trustedIssuers().size() + policy.trustedIssuerUrls().size();
        return issuers + " trusted issuer" + (issuers == 1 ? "" : "s") + ", "
                + policy.trustedWebDomains().size() + " trusted domain" + (policy.trustedWebDomains().size() == 1 ? "" : "s")
                + (policy.trustedWebDomains().isEmpty() ? "" : " " + new java.util.TreeSet<>(policy.trustedWebDomains()))
                + ", requiring " + (policy.requiredCapabilities().isEmpty() ? "no capability"
                : "capabilities " + new java.util.TreeSet<>(policy.requiredCapabilities()));
    }

    /**
     * @throws ProblemException as {@link InputFiles#readable} for a missing, unreadable or directory path;
     *     {@code INPUT_TOO_LARGE} over {@link #MAX_POLICY_FILE_BYTES}; {@code MALFORMED_VALUE_ERROR}
     *     for a file that is not valid YAML or JSON, or a policy {@link TrustPolicy#fromJson} refuses
     */
    static TrustPolicy read(Path file) throws IOException {
        InputFiles.readable(file, "the policy file (--policy)");
        if (Files.size(file) > MAX_POLICY_FILE_BYTES) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "the policy file " + file + " is larger than "
                    + MAX_POLICY_FILE_BYTES / 1024 + " KiB");
        }
        byte[] bytes = Files.readAllBytes(file);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".yaml") && !name.endsWith(".yml")) {
            return TrustPolicy.fromJson(bytes);
        }
        LoaderOptions limits = new LoaderOptions();
        limits.setMaxAliasesForCollections(MAX_YAML_ALIASES);
        limits.setNestingDepthLimit(MAX_YAML_NESTING);
        YAMLMapper yaml = YAMLMapper.builder(YAMLFactory.builder().loaderOptions(limits).build()).build();
        JsonNode tree;
        try {
            tree = yaml.readTree(bytes);
        } catch (JacksonException e) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "", "the policy " + file
                    + " is not valid YAML (or uses more than " + MAX_YAML_ALIASES + " aliases); write it as plain YAML or JSON"));
        }
        return TrustPolicy.fromJson(JsonCodec.write(tree));
    }
}
