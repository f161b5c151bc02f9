package dev.tabard.issuer;

import dev.tabard.issuer.store.DatabaseSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an issuer runs.
 *
 * @param dataDir where the SQLite store lives
 * @param publicUrl the https URL the issuer is reached at; the org's did:web comes from it
 * @param didMethod {@code web} (default) or {@code key} (tests, air-gapped use)
 * @param organizationName the name AgentCredentials carry for the organization
 * @param secret seals the org's private keys at rest
 * @param credentialValidity how long an AgentCredential is valid, and the longest it may be; also the validity a VC-API
 *     credential gets when its request names no end
 * @param adminToken the first admin token; generated and printed once when empty; one given must pass
 *     {@link AdminTokenStrength#check}
 * @param port the port to listen on, 0 for any
 * @param p256 whether the org also has a P-256 (ES256, ecdsa-rdfc-2019) assertion key, for verifiers that cannot
 *     check Ed25519; needs did:web, since a did:key DID is one key
 * @param database the PostgreSQL database several instances share; empty for the SQLite store in {@code dataDir}
 */
public record IssuerConfig(Path dataDir, URI publicUrl, String didMethod, String organizationName, char[] secret,
                           Duration credentialValidity, Optional<String> adminToken, int port, boolean p256,
                           Optional<DatabaseSettings> database) {

    /** An issuer on the SQLite store in {@code dataDir}. */
    public IssuerConfig(Path dataDir, URI publicUrl, String didMethod, String organizationName, char[] secret,
                        Duration credentialValidity, Optional<String> adminToken, int port, boolean p256) {
        this(dataDir, publicUrl, didMethod, organizationName, secret, credentialValidity, adminToken, port, p256, Optional.empty());
    }

    /** An issuer with the Ed25519 key only. */
    public IssuerConfig(Path dataDir, URI publicUrl, String didMethod, String organizationName, char[] secret,
                        Duration credentialValidity, Optional<String> adminToken, int port) {
        this(dataDir, publicUrl, didMethod, organizationName, secret, credentialValidity, adminToken, port, false);
    }

    public IssuerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(publicUrl, "publicUrl");
        if (!didMethod.equals("web") && !didMethod.equals("key")) {
            throw new IllegalArgumentException("didMethod is web or key");
        }
        if (didMethod.equals("web") && !"https".equalsIgnoreCase(publicUrl.getScheme())) {
            throw new IllegalArgumentException("a did:web issuer needs an https public URL (behind a TLS proxy is fine), not " + publicUrl);
        }
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(secret, "secret");
        if (credentialValidity.isNegative() || credentialValidity.isZero() || credentialValidity.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("credential validity must be between 1 second and 30 days");
        }
        Objects.requireNonNull(adminToken, "adminToken");
        adminToken.ifPresent(AdminTokenStrength::check);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535");
        }
        Objects.requireNonNull(database, "database");
        if (p256 && didMethod.equals("key")) {
            throw new IllegalArgumentException("a P-256 key needs did:web: a did:key DID is its one key");
        }
    }

    /**
     * This config once listening on {@code boundPort}: with port 0 and a public URL on port 0 (the default public URL of
     * an issuer started with {@code --port 0}), both take the port bound, so the did:web names the address the issuer
     * serves. A port 0 in a URL never names a reachable address, so no public URL given by an operator changes here.
     */
    public IssuerConfig onBoundPort(int boundPort) {
        if (port != 0 || publicUrl.getPort() != 0) {
            return this;
        }
        URI url = URI.create(publicUrl.getScheme() + "://" + publicUrl.getHost() + ":" + boundPort
                + (publicUrl.getRawPath() == null ? "" : publicUrl.getRawPath()));
        return new IssuerConfig(dataDir, url, didMethod, organizationName, secret, credentialValidity, adminToken, boundPort, p256, database);
    }

    @Override
    public String toString() {
        return "IssuerConfig[" + dataDir + ", " + publicUrl + ", did:" + didMethod + (p256 ? ", p256" : "") + database.map(d -> ", " + d).orElse("") + "]";
    }
}
