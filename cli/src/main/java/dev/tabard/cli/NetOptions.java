package dev.tabard.cli;

import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.jwk.JwkDidResolver;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.didweb.WebDidResolver;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.SelfSignedTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every command that fetches shares: which non-public hosts it may reach and which extra certificates it trusts. */
final class NetOptions {

    @Option(names = "--allow-host", description = "Allow this host even though it resolves to a non-public address (e.g. localhost).")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--trust-cert", description = "Trust this PEM certificate for TLS, in addition to the system's CAs.")
    Path trustCert;

    SafeFetcher fetcher() throws IOException {
        FetchPolicy.Builder b = FetchPolicy.builder();
        allowHosts.forEach(b::allowHost);
        if (trustCert != null) {
            b.trustCertificate(SelfSignedTls.readCertificate(Files.readString(trustCert)));
        }
        return new SafeFetcher(b.build());
    }

    DidResolver resolver(SafeFetcher fetcher, Optional<ResolutionBundle> bundle) {
        WebDidResolver.Builder web = WebDidResolver.builder().fetcher(fetcher);
        bundle.ifPresent(web::bundle);
        return DidResolvers.of(web.build(), new KeyDidResolver(), new JwkDidResolver());
    }
}
