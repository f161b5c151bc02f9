package dev.tabard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", mixinStandardHelpOptions = true, description = {
    "Verify a credential or presentation (vc+jwt, vp+jwt or Data Integrity JSON) and print the result as JSON.",
    "A presentation (vp+jwt, JSON typed VerifiablePresentation, or an SD-JWT VC with its key-binding JWT) needs --challenge"
        + " (the SD-JWT's nonce) and --domain (its audience). Exit 0 when verified, 1 when not."})
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "File to verify, or - for standard input.")
    String file;

    @Option(names = "--challenge", description = "The challenge a presentation must carry.")
    String challenge;

    @Option(names = "--domain", description = "The domain a presentation must be addressed to.")
    String domain;

    @Option(names = "--policy", description = "Trust policy (JSON or YAML); without it any issuer is accepted.")
    Path policy;

    @Mixin
    NetOptions net;

    @Override
    public Integer call() throws Exception {
        byte[] input = file.equals("-") ? System.in.readNBytes(Verifier.MAX_INPUT + 1) : Files.readAllBytes(InputFiles.readable(Path.of(file),
                "the file to verify"));
        TrustPolicy trust = policy != null ? PolicyFiles.read(policy)
                : TrustPolicy.builder().trustAnyIssuer().acceptCredentialsNotBoundToHolder()
                        .formats(TrustPolicy.Format.VC_JWT, TrustPolicy.Format.DATA_INTEGRITY, TrustPolicy.Format.DC_SD_JWT).build();
        if (policy != null) {
            PolicyFiles.warning(trust, policy).ifPresent(System.err::println);
        }
        Verifier verifier = Verifier.builder().trustPolicy(trust).fetchPolicy(net.fetchPolicy()).build();
        String text = new String(input, StandardCharsets.UTF_8);
        if (challenge == null && isPresentation(text)) {
            throw new ProblemException(ProblemType.INVALID_CHALLENGE_ERROR, "this is a presentation, which is verified against the "
                    + "challenge it was made for: pass --challenge CHALLENGE (and --domain DOMAIN, the audience it names)");
        }
        VerificationResult r = challenge != null
                ? verifier.verifyPresentation(text, new PresentationOptions(challenge, domain != null ? domain : "tabard-cli"))
                : verifier.verifyCredential(text);
        var json = r.toJson();
        if (policy == null) {
            json.put("trustPolicy", "none: any issuer accepted");
        }
        System.out.println(JsonCodec.prettyWriter().writeValueAsString(json));
        r.errors().forEach(p -> ProblemHandler.hint(p.type(), p.detail()).ifPresent(h -> System.err.println("hint: " + h)));
        return r.verified() ? 0 : 1;
    }

    /**
     * Whether {@code text} is a presentation: a JWT typed vp+jwt, JSON typed VerifiablePresentation, or an SD-JWT VC
     * with a key-binding JWT (which answers a challenge). An SD-JWT VC as issued ends with {@code ~}: a credential.
     */
    static boolean isPresentation(String text) {
        String t = text.strip();
        if (!t.startsWith("{") && t.indexOf('~') > 0) {
            return !t.endsWith("~");
        }
        try {
            if (t.startsWith("{")) {
                return JsonCodec.parse(t).path("type").toString().contains("\"VerifiablePresentation\"");
            }
            String[] parts = t.split("\\.");
            if (parts.length != 3) {
                return false;
            }
            JsonNode header = JsonCodec.parse(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
            return header.path("typ").asText().equalsIgnoreCase("vp+jwt")
                    || JsonCodec.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)).path("type").toString()
                    .contains("\"VerifiablePresentation\"");
        } catch (RuntimeException e) {
            return false; // not decodable: the verifier reports what is wrong with it
        }
    }
}
