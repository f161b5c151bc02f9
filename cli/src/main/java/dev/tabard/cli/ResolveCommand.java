package dev.tabard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.did.ResolutionResult;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemJson;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resolve", mixinStandardHelpOptions = true,
        description = "Resolve a DID and print the resolution result as JSON. Exit 0 when resolved, 1 when not.")
final class ResolveCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The DID.")
    String did;

    @Option(names = "--bundle", description = "Resolve from this offline resolution bundle first.")
    Path bundle;

    @Mixin
    NetOptions net;

    @Override
    public Integer call() throws Exception {
        if (bundle != null) {
            InputFiles.readable(bundle, "the resolution bundle (--bundle)");
        }
        ObjectNode out = JsonCodec.objectNode();
        try {
            Optional<ResolutionBundle> b = bundle == null ? Optional.empty() : Optional.of(ResolutionBundle.read(bundle));
            ResolutionResult r = net.resolver(net.fetcher(), b).resolve(Did.parse(did));
            out.set("didDocument", JsonCodec.parse(r.document().json()));
            ObjectNode meta = out.putObject("didResolutionMetadata");
            meta.put("retrieved", r.metadata().retrieved().toString());
            meta.put("source", r.metadata().source().name().toLowerCase());
            r.metadata().contentType().ifPresent(c -> meta.put("contentType", c));
            r.metadata().expires().ifPresent(e -> meta.put("expires", e.toString()));
            out.putObject("didDocumentMetadata");
            System.out.println(JsonCodec.prettyWriter().writeValueAsString(out));
            return 0;
        } catch (ProblemException e) {
            e.problems().forEach(p -> ProblemHandler.hint(p.type(), p.detail()).ifPresent(h -> System.err.println("hint: " + h)));
            out.putNull("didDocument");
            out.putObject("didResolutionMetadata").set("error", ProblemJson.of(e.problems(), null));
            out.putObject("didDocumentMetadata");
            System.out.println(JsonCodec.prettyWriter().writeValueAsString(out));
            return 1;
        }
    }
}
