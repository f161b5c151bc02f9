package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.issuer.IssuerConfigLoader.Setting;
import dev.tabard.issuer.IssuerConfigLoader.Settings;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IssuerConfigLoaderTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static ProblemException fails(Optional<Path> file, Map<String, String> env, Map<Setting, String> flags) {
        return assertThrows(ProblemException.class, () -> IssuerConfigLoader.load(file, env, flags));
    }

    @Test
    void load_yamlFileWithEverySetting_readsEachOne() throws Exception {
        Path f = file("issuer.yaml", """
                port: 9443
                data: ./state
                publicUrl: https://issuer.acme.example
                didMethod: web
                organizationName: ACME Corp
                validity: PT15M
                p256: true
                tlsCert: tls/cert.pem
                tlsKey: /etc/tls/key.pem
                """);
        Settings s = IssuerConfigLoader.load(Optional.of(f), Map.of(), Map.of());
        assertEquals(9443, s.port());
        assertEquals(dir.toAbsolutePath().resolve("./state"), s.data(), "relative to the file's folder");
        assertEquals(URI.create("https://issuer.acme.example"), s.publicUrl());
        assertEquals("ACME Corp", s.organizationName());
        assertEquals(Duration.ofMinutes(15), s.validity());
        assertTrue(s.p256());
        assertEquals(Optional.of(dir.toAbsolutePath().resolve("tls/cert.pem")), s.tlsCert());
        assertEquals(Optional.of(Path.of("/etc/tls/key.pem")), s.tlsKey());
        IssuerConfig c = s.config("s".toCharArray(), Optional.empty());
        assertTrue(c.p256());
        assertEquals(Duration.ofMinutes(15), c.credentialValidity());
    }

    @Test
    void load_jsonFileAndDefaults_fillsTheRest() throws Exception {
        Settings s = IssuerConfigLoader.load(Optional.of(file("issuer.json", "{\"data\": \"/var/lib/tabard\", \"p256\": false}")), Map.of(),
                Map.of());
        assertEquals(8443, s.port());
        assertEquals(URI.create("https://localhost:8443"), s.publicUrl());
        assertEquals("web", s.didMethod());
        assertEquals(Duration.ofHours(1), s.validity());
        assertFalse(s.p256());
        assertFalse(s.tlsSelfSigned());
    }

    @Test
    void load_sameSettingEverywhere_flagBeatsEnvBeatsFile() throws Exception {
        Optional<Path> f = Optional.of(file("issuer.yml", "port: 1111\ndata: /d\nvalidity: PT1M\norganizationName: File Org\n"));
        Map<String, String> env = Map.of("TABARD_ISSUER_PORT", "2222", "TABARD_ISSUER_VALIDITY", "PT2M", "PATH", "/bin",
                "TABARD_SECRET", "not read here");
        Settings s = IssuerConfigLoader.load(f, env, Map.of(Setting.PORT, "3333"));
        assertEquals(3333, s.port(), "flag");
        assertEquals(Duration.ofMinutes(2), s.validity(), "env");
        assertEquals("File Org", s.organizationName(), "file");
        assertEquals(Path.of("/d"), s.data());
        Settings envOnly = IssuerConfigLoader.load(Optional.empty(), Map.of("TABARD_ISSUER_DATA", "rel", "TABARD_ISSUER_PUBLIC_URL",
                "https://x.example", "TABARD_ISSUER_DID_METHOD", "key", "TABARD_ISSUER_ORGANIZATION_NAME", "Env Org",
                "TABARD_ISSUER_P256", "TRUE", "TABARD_ISSUER_TLS_SELF_SIGNED", "true"), Map.of());
        assertEquals(Path.of("rel"), envOnly.data(), "relative to the working directory");
        assertEquals("key", envOnly.didMethod());
        assertTrue(envOnly.p256());
        assertTrue(envOnly.tlsSelfSigned());
        ProblemException e = assertThrows(ProblemException.class, () -> envOnly.config("s".toCharArray(), Optional.empty()));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type(), e.getMessage());
        assertTrue(e.problem().detail().contains("did:web"), e.problem().detail());
    }

    @Test
    void load_unknownKeyInFile_failsNamingTheKey() throws Exception {
        ProblemException e = fails(Optional.of(file("issuer.yaml", "data: /d\npublic_url: https://x.example\n")), Map.of(), Map.of());
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type());
        assertEquals(Optional.of("/public_url"), e.problem().pointer());
        assertTrue(e.problem().detail().contains("'public_url'"), e.problem().detail());
    }

    @Test
    void load_secretInFile_isRefusedWithoutEchoingIt() throws Exception {
        for (String key : new String[] {"secret", "adminToken", "admin_token", "TABARD_SECRET"}) {
            ProblemException e = fails(Optional.of(file("issuer.yaml", "data: /d\n" + key + ": hunter2-do-not-print\n")), Map.of(), Map.of());
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type(), key);
            assertTrue(e.problem().detail().contains("environment only"), e.problem().detail());
            assertFalse(e.problem().detail().contains("hunter2"), e.problem().detail());
        }
    }

    @Test
    void load_badValues_failNamingTheSettingAndSource() throws Exception {
        record Case(Optional<Path> file, Map<String, String> env, Map<Setting, String> flags, String names) {
        }
        Path data = file("data.yaml", "data: /d\n");
        for (Case c : new Case[] {
            new Case(Optional.of(data), Map.of("TABARD_ISSUER_PORT", "http"), Map.of(), "port (from TABARD_ISSUER_PORT)"),
            new Case(Optional.of(data), Map.of(), Map.of(Setting.PORT, "70000"), "port (from --port)"),
            new Case(Optional.of(file("v.yaml", "data: /d\nvalidity: 1h\n")), Map.of(), Map.of(), "validity (from 'validity' in v.yaml)"),
            new Case(Optional.of(data), Map.of("TABARD_ISSUER_P256", "yes"), Map.of(), "p256 (from TABARD_ISSUER_P256)"),
            new Case(Optional.of(data), Map.of("TABARD_ISSUER_DID_METHOD", "jwk"), Map.of(), "didMethod"),
            new Case(Optional.of(data), Map.of("TABARD_ISSUER_PUBLIC_URL", "acme.example"), Map.of(), "publicUrl"),
            new Case(Optional.of(data), Map.of("TABARD_ISSUER_PORTT", "1"), Map.of(), "TABARD_ISSUER_PORTT"),
            new Case(Optional.of(data), Map.of("TABARD_ISSUER_SECRET", "x"), Map.of(), "TABARD_SECRET"),
            new Case(Optional.of(file("n.yaml", "data: {nested: 1}\n")), Map.of(), Map.of(), "data must be a single value"),
            new Case(Optional.of(data), Map.of("TABARD_ISSUER_TLS_CERT", "c.pem"), Map.of(), "tlsKey"),
            new Case(Optional.empty(), Map.of(), Map.of(), "data is required"),
        }) {
            ProblemException e = fails(c.file(), c.env(), c.flags());
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type(), c.names());
            assertTrue(e.problem().detail().contains(c.names()), c.names() + " -> " + e.problem().detail());
        }
    }

    @Test
    void config_weakAdminToken_isRefusedNamingTheVariableAndHowToMakeOne() throws Exception {
        Settings s = IssuerConfigLoader.load(Optional.empty(), Map.of(), Map.of(Setting.DATA, dir.toString()));
        for (String weak : new String[] {"x", "demo-admin-token", "a".repeat(40), "0123456789".repeat(3) + "12345678"}) {
            ProblemException e = assertThrows(ProblemException.class, () -> s.config("s".toCharArray(), Optional.of(weak)));
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.problem().type());
            assertEquals(Optional.of("/TABARD_ADMIN_TOKEN"), e.problem().pointer());
            assertTrue(e.problem().detail().contains("openssl rand -base64 32"), e.problem().detail());
            assertFalse(e.problem().detail().contains(weak), "the token is never echoed");
        }
        String strong = "Zq3u9vJv0Yc8mW0bq1kq4r1Xr3c2QmUe0xJxw5l0pFo=";
        assertEquals(Optional.of(strong), s.config("s".toCharArray(), Optional.of(strong)).adminToken());
    }

    @Test
    void load_hostileOrBrokenFiles_areTypedProblems() throws Exception {
        assertEquals(ProblemType.PARSING_ERROR, fails(Optional.of(file("b.yaml", "data: [unclosed\n")), Map.of(), Map.of()).type());
        assertEquals(ProblemType.PARSING_ERROR, fails(Optional.of(file("b.json", "{\"data\": ")), Map.of(), Map.of()).type());
        assertEquals(ProblemType.PARSING_ERROR, fails(Optional.of(file("d.json", "{\"data\":\"/a\",\"data\":\"/b\"}")), Map.of(), Map.of()).type(),
                "duplicate keys are an error, not last-one-wins");
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 12; i++) {
            bomb.append("b").append(i).append(": &b").append(i).append(" [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n");
        }
        ProblemType bombType = fails(Optional.of(file("bomb.yaml", bomb.toString())), Map.of(), Map.of()).type();
        assertTrue(bombType == ProblemType.PARSING_ERROR || bombType == ProblemType.MALFORMED_VALUE_ERROR, bombType.name());
        assertEquals(ProblemType.INPUT_TOO_LARGE, fails(Optional.of(file("big.yaml", "data: /d\n" + "#".repeat(IssuerConfigLoader.MAX_FILE_BYTES))),
                Map.of(), Map.of()).type());
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, fails(Optional.of(file("list.yaml", "- data\n")), Map.of(), Map.of()).type());
        assertEquals(ProblemType.PARSING_ERROR, fails(Optional.of(dir.resolve("missing.yaml")), Map.of(), Map.of()).type());
    }

    private static final String PG = "jdbc:postgresql://db.example:5432/tabard";

    @Test
    void database_fromFlagAndEnvironment_givesPostgresSettings() {
        Settings s = IssuerConfigLoader.load(Optional.empty(), Map.of("TABARD_ISSUER_DATA", "d", "TABARD_ISSUER_DATABASE_USER", "issuer",
                IssuerConfigLoader.DATABASE_PASSWORD_ENV, "pw"), Map.of(Setting.DATABASE_URL, PG));
        assertEquals(PG, s.database().orElseThrow().jdbcUrl());
        assertEquals("issuer", s.database().orElseThrow().user());
        assertEquals("pw", s.database().orElseThrow().password());
        assertFalse(s.config("s".toCharArray(), Optional.empty()).toString().contains("pw"), "the password is never printed");
        assertTrue(IssuerConfigLoader.load(Optional.empty(), Map.of("TABARD_ISSUER_DATA", "d"), Map.of()).database().isEmpty(),
                "SQLite without a URL");
    }

    @Test
    void database_fromConfigFileWithPasswordFile_readsOneLine() throws Exception {
        file("pg-password", "from-file\n");
        Path f = file("issuer.yaml", "data: d\ndatabaseUrl: " + PG + "\ndatabaseUser: issuer\ndatabasePasswordFile: pg-password\n");
        Settings s = IssuerConfigLoader.load(Optional.of(f), Map.of(), Map.of());
        assertEquals("from-file", s.database().orElseThrow().password());
    }

    @Test
    void database_badSettings_nameWhatToSet() throws Exception {
        Map<String, String> user = Map.of("TABARD_ISSUER_DATA", "d", "TABARD_ISSUER_DATABASE_USER", "issuer");
        ProblemException notPg = fails(Optional.empty(), user, Map.of(Setting.DATABASE_URL, "jdbc:mysql://db/x"));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, notPg.problem().type());
        assertTrue(notPg.problem().detail().contains("jdbc:postgresql://"), notPg.problem().detail());
        ProblemException inUrl = fails(Optional.empty(), user, Map.of(Setting.DATABASE_URL, PG + "?ssl=true&password=x"));
        assertTrue(inUrl.problem().detail().contains(IssuerConfigLoader.DATABASE_PASSWORD_ENV), inUrl.problem().detail());
        ProblemException noUser = fails(Optional.empty(), Map.of("TABARD_ISSUER_DATA", "d"), Map.of(Setting.DATABASE_URL, PG));
        assertTrue(noUser.problem().detail().contains("TABARD_ISSUER_DATABASE_USER"), noUser.problem().detail());
        ProblemException noUrl = fails(Optional.empty(), user, Map.of());
        assertTrue(noUrl.problem().detail().contains("--database-url"), noUrl.problem().detail());
        file("pw", "x");
        Path f = file("twice.yaml", "data: d\ndatabaseUrl: " + PG + "\ndatabaseUser: u\ndatabasePasswordFile: pw\n");
        ProblemException twice = fails(Optional.of(f), Map.of(IssuerConfigLoader.DATABASE_PASSWORD_ENV, "y"), Map.of());
        assertTrue(twice.problem().detail().contains("given twice"), twice.problem().detail());
        Path secretInFile = file("secret.yaml", "data: d\ndatabaseUrl: " + PG + "\ndatabasePassword: nope\n");
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, fails(Optional.of(secretInFile), Map.of(), Map.of()).problem().type());
        ProblemException missingFile = fails(Optional.of(file("gone.yaml", "data: d\ndatabaseUrl: " + PG
                + "\ndatabaseUser: u\ndatabasePasswordFile: nosuch\n")), Map.of(), Map.of());
        assertTrue(missingFile.problem().detail().contains("cannot be read"), missingFile.problem().detail());
        for (ProblemException e : List.of(inUrl, noUser, noUrl, twice, missingFile)) {
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type(), e.getMessage());
        }
    }
}
