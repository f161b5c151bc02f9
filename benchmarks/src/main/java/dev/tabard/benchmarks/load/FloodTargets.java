package dev.tabard.benchmarks.load;

import dev.tabard.benchmarks.Fixtures;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusPurpose;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.http.VerifierServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The servers under attack: the VC-API verifier over HTTP, trusting the fixtures' org (did:web and did:key) and
 * fetching status lists it has no copy of from loopback, and the issuer over HTTPS on a fresh data directory.
 */
final class FloodTargets implements AutoCloseable {

    private final VerifierServer verifier;
    private final IssuerServer issuer;
    private final SelfSignedTls tls;
    private final Path data;

    private FloodTargets(VerifierServer verifier, IssuerServer issuer, SelfSignedTls tls, Path data) {
        this.verifier = verifier;
        this.issuer = issuer;
        this.tls = tls;
        this.data = data;
    }

    static FloodTargets start(Fixtures f) throws IOException {
        Bitstring empty = Bitstring.create(Bitstring.MIN_ENTRIES, 1);
        ResolutionBundle bundle = ResolutionBundle.builder(Fixtures.NOW)
                .resource(VerifierLoad.REVOCATION, "application/vc+jwt", VerifierLoad.statusList(f, VerifierLoad.REVOCATION,
                        StatusPurpose.REVOCATION, empty).getBytes(StandardCharsets.US_ASCII))
                .resource(VerifierLoad.SUSPENSION, "application/vc+jwt", VerifierLoad.statusList(f, VerifierLoad.SUSPENSION,
                        StatusPurpose.SUSPENSION, empty).getBytes(StandardCharsets.US_ASCII))
                .build();
        Clock clock = Clock.fixed(Fixtures.NOW, ZoneOffset.UTC);
        SafeFetcher loopback = new SafeFetcher(FetchPolicy.builder().allowHost("127.0.0.1").allowPlainHttp("127.0.0.1").build());
        Verifier v = Verifier.builder().resolver(f.resolver).clock(clock)
                .fetchPolicy(loopback.policy()).resolutionBundle(bundle)
                .trustPolicy(TrustPolicy.builder().trustIssuer(f.org).trustIssuer(KeyDids.of(f.orgKey.publicKey())).build()).build();
        // the fixtures' credentials are checked at their fixed time; challenges and rate limits run on the real clock
        VerifierServer verifierServer = VerifierServer.builder(v).domain(Fixtures.AUDIENCE).port(0).clock(Clock.systemUTC()).start();
        SelfSignedTls tls = SelfSignedTls.localhost();
        Path data = Files.createTempDirectory("tabard-flood-issuer");
        byte[] token = new byte[32];
        new SecureRandom().nextBytes(token);
        IssuerConfig config = new IssuerConfig(data, URI.create("https://localhost:8443"), "web", "ACME Corp",
                "flood-load-secret".toCharArray(), Duration.ofHours(1),
                Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(token)), 0);
        IssuerServer issuerServer = IssuerServer.start(config, Optional.of(tls.serverContext()), Clock.systemUTC());
        return new FloodTargets(verifierServer, issuerServer, tls, data);
    }

    int verifierPort() {
        return verifier.port();
    }

    int issuerPort() {
        return issuer.port();
    }

    SSLContext clientTls() {
        return tls.clientContext();
    }

    @Override
    public void close() {
        verifier.close();
        issuer.close();
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
