package dev.tabard.issuer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tabard.codec.JsonCodec;
import dev.tabard.issuer.store.DatabaseSettings;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads the issuer's settings from a file (YAML or JSON), environment variables ({@code TABARD_ISSUER_<SETTING>}) and
 * command-line flags, in that order of increasing precedence. Unknown keys and bad values are errors that name the
 * setting and where it came from, so a typo never silently falls back to a default. Secrets ({@code TABARD_SECRET},
 * {@code TABARD_ADMIN_TOKEN}) come from the environment only: a file that names one is refused, since config files are
 * copied, committed and printed far more often than environments are.
 *
 * <pre>{@code
 * IssuerConfigLoader.Settings s = IssuerConfigLoader.load(Optional.of(Path.of("issuer.yaml")), System.getenv(),
 *         Map.of(Setting.PORT, "8443"));
 * IssuerConfig config = s.config(secret, adminToken);
 * }</pre>
 */
public final class IssuerConfigLoader {

    /** Config files larger than this are refused before parsing (as trust policy files). */
    public static final int MAX_FILE_BYTES = 256 * 1024;

    /** The PostgreSQL password, from the environment only (or a file named by {@code databasePasswordFile}). */
    public static final String DATABASE_PASSWORD_ENV = "TABARD_ISSUER_DATABASE_PASSWORD";

    /** A password file larger than this is not a password file. */
    private static final int MAX_PASSWORD_FILE_BYTES = 4096;

    /** Keys that would hold a secret, normalized (lower case, no {@code -} or {@code _}). */
    private static final Set<String> SECRET_KEYS = Set.of("secret", "tabardsecret", "admintoken", "tabardadmintoken", "token",
            "password", "passphrase", "databasepassword");

    /** The settings, with their file key; the environment variable is {@code TABARD_ISSUER_} plus the constant name. */
    public enum Setting {
        PORT("port"),
        DATA("data"),
        PUBLIC_URL("publicUrl"),
        DID_METHOD("didMethod"),
        ORGANIZATION_NAME("organizationName"),
        VALIDITY("validity"),
        P256("p256"),
        TLS_SELF_SIGNED("tlsSelfSigned"),
        TLS_CERT("tlsCert"),
        TLS_KEY("tlsKey"),
        /** A PostgreSQL JDBC URL; without one the store is SQLite in the data directory. */
        DATABASE_URL("databaseUrl"),
        /** The PostgreSQL role; from the environment or the file only, never a flag. */
        DATABASE_USER("databaseUser"),
        /** A file holding the role's password (the other way to give it is {@link #DATABASE_PASSWORD_ENV}). */
        DATABASE_PASSWORD_FILE("databasePasswordFile");

        private final String key;

        Setting(String key) {
            this.key = key;
        }

        /** The key in a config file. */
        public String key() {
            return key;
        }

        /** The environment variable. */
        public String env() {
            return "TABARD_ISSUER_" + name();
        }

        static Optional<Setting> byKey(String key) {
            for (Setting s : values()) {
                if (s.key.equals(key)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    /** Everything {@code issuer serve} needs besides the secrets. */
    public record Settings(int port, Path data, URI publicUrl, String didMethod, String organizationName, Duration validity,
                           boolean p256, boolean tlsSelfSigned, Optional<Path> tlsCert, Optional<Path> tlsKey,
                           Optional<DatabaseSettings> database) {

        public Settings {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(publicUrl, "publicUrl");
            Objects.requireNonNull(didMethod, "didMethod");
            Objects.requireNonNull(organizationName, "organizationName");
            Objects.requireNonNull(validity, "validity");
            Objects.requireNonNull(tlsCert, "tlsCert");
            Objects.requireNonNull(tlsKey, "tlsKey");
            Objects.requireNonNull(database, "database");
        }

        /**
         * The issuer's config with the secrets added.
         *
         * @throws ProblemException {@code MALFORMED_VALUE_ERROR} when settings contradict each other, or with pointer
         *     {@code /TABARD_ADMIN_TOKEN} when the admin token is weaker than {@link AdminTokenStrength} allows
         */
        public IssuerConfig config(char[] secret, Optional<String> adminToken) {
            try {
                adminToken.ifPresent(AdminTokenStrength::check);
            } catch (IllegalArgumentException e) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/TABARD_ADMIN_TOKEN",
                        "TABARD_ADMIN_TOKEN: " + e.getMessage()));
            }
            try {
                return new IssuerConfig(data, publicUrl, didMethod, organizationName, secret, validity, adminToken, port, p256, database);
            } catch (IllegalArgumentException e) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "issuer settings: " + e.getMessage());
            }
        }
    }

    private record Value(String text, String source, Optional<Path> base) {
    }

    private IssuerConfigLoader() {
    }

    /**
     * Resolves every setting: flag, else environment, else file, else the default.
     *
     * @param file the config file; {@code .yaml}/{@code .yml} is YAML, anything else JSON
     * @param env the environment (only {@code TABARD_ISSUER_*} entries are read)
     * @param flags the values given on the command line
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} naming the key, variable or setting for an unknown key,
     *     a secret in the file, or a bad value; {@code INPUT_TOO_LARGE} for a file over {@link #MAX_FILE_BYTES};
     *     {@code PARSING_ERROR} for a file that is not YAML or JSON
     */
    public static Settings load(Optional<Path> file, Map<String, String> env, Map<Setting, String> flags) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(flags, "flags");
        Map<Setting, Value> values = new EnumMap<>(Setting.class);
        if (file.isPresent()) {
            values.putAll(readFile(file.get()));
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().startsWith("TABARD_ISSUER_") || e.getKey().equals(DATABASE_PASSWORD_ENV)) {
                continue;
            }
            Setting s;
            try {
                s = Setting.valueOf(e.getKey().substring("TABARD_ISSUER_".length()));
            } catch (IllegalArgumentException unknown) {
                throw bad(e.getKey(), "unknown environment variable " + e.getKey() + " (the issuer's are "
                        + java.util.Arrays.stream(Setting.values()).map(Setting::env).toList() + " and " + DATABASE_PASSWORD_ENV
                        + "; secrets are TABARD_SECRET and TABARD_ADMIN_TOKEN)");
            }
            values.put(s, new Value(e.getValue(), e.getKey(), Optional.empty()));
        }
        flags.forEach((s, v) -> values.put(s, new Value(v, "--" + s.key().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT),
                Optional.empty())));

        int port = values.containsKey(Setting.PORT) ? port(values.get(Setting.PORT)) : 8443;
        Path data = Optional.ofNullable(values.get(Setting.DATA)).map(v -> path(Setting.DATA, v))
                .orElseThrow(() -> bad(Setting.DATA.key(), "data is required: --data, " + Setting.DATA.env() + " or 'data' in the config file"));
        String didMethod = Optional.ofNullable(values.get(Setting.DID_METHOD)).map(Value::text).orElse("web");
        if (!didMethod.equals("web") && !didMethod.equals("key")) {
            throw bad(Setting.DID_METHOD, values.get(Setting.DID_METHOD), "is web or key");
        }
        URI publicUrl = values.containsKey(Setting.PUBLIC_URL) ? url(values.get(Setting.PUBLIC_URL))
                : URI.create("https://localhost:" + port);
        String org = Optional.ofNullable(values.get(Setting.ORGANIZATION_NAME)).map(Value::text).orElse("Tabard Organization");
        if (org.isBlank() || org.length() > 256) {
            throw bad(Setting.ORGANIZATION_NAME, values.get(Setting.ORGANIZATION_NAME), "must be 1 to 256 characters");
        }
        Duration validity = values.containsKey(Setting.VALIDITY) ? duration(values.get(Setting.VALIDITY)) : Duration.ofHours(1);
        boolean p256 = values.containsKey(Setting.P256) && bool(Setting.P256, values.get(Setting.P256));
        boolean selfSigned = values.containsKey(Setting.TLS_SELF_SIGNED) && bool(Setting.TLS_SELF_SIGNED, values.get(Setting.TLS_SELF_SIGNED));
        Optional<Path> cert = Optional.ofNullable(values.get(Setting.TLS_CERT)).map(v -> path(Setting.TLS_CERT, v));
        Optional<Path> key = Optional.ofNullable(values.get(Setting.TLS_KEY)).map(v -> path(Setting.TLS_KEY, v));
        if (cert.isPresent() != key.isPresent()) {
            throw bad(Setting.TLS_CERT.key(), "tlsCert and tlsKey go together");
        }
        if (selfSigned && cert.isPresent()) {
            throw bad(Setting.TLS_SELF_SIGNED.key(), "tlsSelfSigned and tlsCert exclude each other");
        }
        return new Settings(port, data, publicUrl, didMethod, org, validity, p256, selfSigned, cert, key,
                database(values, Optional.ofNullable(env.get(DATABASE_PASSWORD_ENV))));
    }

    /**
     * The PostgreSQL settings for a command that opens the issuer's store itself ({@code tabard audit}, {@code tabard
     * issuer token}): the URL it was given, and the role and password from the environment as {@code issuer serve}
     * reads them.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} naming the setting, as {@link #load} does
     */
    public static DatabaseSettings database(String url, Map<String, String> env) {
        Map<Setting, Value> values = new EnumMap<>(Setting.class);
        values.put(Setting.DATABASE_URL, new Value(url, "--database-url", Optional.empty()));
        for (Setting s : java.util.List.of(Setting.DATABASE_USER, Setting.DATABASE_PASSWORD_FILE)) {
            Optional.ofNullable(env.get(s.env())).ifPresent(v -> values.put(s, new Value(v, s.env(), Optional.empty())));
        }
        return database(values, Optional.ofNullable(env.get(DATABASE_PASSWORD_ENV))).orElseThrow();
    }

    /**
     * The PostgreSQL store's settings, or empty for SQLite. The role and its password never come from a flag (flags show
     * in process lists), and the URL may not carry the password either.
     */
    private static Optional<DatabaseSettings> database(Map<Setting, Value> values, Optional<String> passwordFromEnv) {
        Value url = values.get(Setting.DATABASE_URL);
        Value user = values.get(Setting.DATABASE_USER);
        Value passwordFile = values.get(Setting.DATABASE_PASSWORD_FILE);
        if (url == null) {
            if (user != null || passwordFile != null || passwordFromEnv.isPresent()) {
                throw bad(Setting.DATABASE_URL.key(), "a database user or password is set but no database URL: give --database-url "
                        + "jdbc:postgresql://HOST:PORT/DATABASE, " + Setting.DATABASE_URL.env() + " or 'databaseUrl' in the config file");
            }
            return Optional.empty();
        }
        String text = url.text().trim();
        if (!text.startsWith("jdbc:postgresql://") || text.length() == "jdbc:postgresql://".length()) {
            throw bad(Setting.DATABASE_URL, url, "must be a PostgreSQL JDBC URL such as jdbc:postgresql://db.example:5432/tabard "
                    + "(leave it out to keep the SQLite store in the data directory)");
        }
        if (text.toLowerCase(Locale.ROOT).matches(".*[?&]password=.*")) {
            throw bad(Setting.DATABASE_URL.key(), "the database URL (from " + url.source() + ") carries a password: set "
                    + DATABASE_PASSWORD_ENV + " or 'databasePasswordFile' instead");
        }
        if (user == null || user.text().isBlank()) {
            throw bad(Setting.DATABASE_USER.key(), "a database URL needs the role to log in as: " + Setting.DATABASE_USER.env()
                    + " or 'databaseUser' in the config file");
        }
        if (passwordFile != null && passwordFromEnv.isPresent()) {
            throw bad(Setting.DATABASE_PASSWORD_FILE.key(), "the database password is given twice, by " + DATABASE_PASSWORD_ENV
                    + " and by databasePasswordFile (from " + passwordFile.source() + "): keep one");
        }
        String password = passwordFromEnv.orElse("");
        if (passwordFile != null) {
            password = readPasswordFile(path(Setting.DATABASE_PASSWORD_FILE, passwordFile), passwordFile);
        }
        return Optional.of(new DatabaseSettings(text, user.text().trim(), password));
    }

    private static String readPasswordFile(Path file, Value from) {
        try {
            if (Files.size(file) > MAX_PASSWORD_FILE_BYTES) {
                throw bad(Setting.DATABASE_PASSWORD_FILE, from, "is larger than 4 KiB, so it is not a password file");
            }
            // one line; the newline an editor or echo adds is not part of the password
            return Files.readString(file).replaceFirst("\\R\\z", "");
        } catch (IOException e) {
            throw bad(Setting.DATABASE_PASSWORD_FILE, from, "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    private static Map<Setting, Value> readFile(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "config file " + file.getFileName() + " is larger than 256 KiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ProblemException(ProblemType.PARSING_ERROR, "cannot read the config file " + file + ": " + e.getMessage());
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        JsonNode tree;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            // the limits of trust policy files: few aliases, shallow nesting
            LoaderOptions limits = new LoaderOptions();
            limits.setMaxAliasesForCollections(10);
            limits.setNestingDepthLimit(20);
            YAMLMapper yaml = YAMLMapper.builder(YAMLFactory.builder().loaderOptions(limits).build()).build();
            try {
                tree = JsonCodec.parse(JsonCodec.write(yaml.readTree(bytes)));
            } catch (IOException e) {
                // JacksonException, including snakeyaml's alias and depth limits
                throw new ProblemException(ProblemType.PARSING_ERROR, "config file " + file.getFileName() + " is not valid YAML");
            }
        } else {
            tree = JsonCodec.parse(bytes);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return Map.of();
        }
        if (!tree.isObject()) {
            throw bad("", "the config file must be a mapping of settings");
        }
        Map<Setting, Value> out = new EnumMap<>(Setting.class);
        Optional<Path> base = Optional.ofNullable(file.toAbsolutePath().getParent());
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (SECRET_KEYS.contains(k.toLowerCase(Locale.ROOT).replace("-", "").replace("_", ""))) {
                throw bad(k, "'" + k + "' does not belong in a config file: secrets come from the environment only "
                        + "(TABARD_SECRET, TABARD_ADMIN_TOKEN, " + DATABASE_PASSWORD_ENV + " or a databasePasswordFile)");
            }
            Setting s = Setting.byKey(k).orElseThrow(() -> bad(k, "unknown setting '" + k + "' in the config file (known: "
                    + java.util.Arrays.stream(Setting.values()).map(Setting::key).toList() + ")"));
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull()) {
                throw bad(k, k + " must be a single value");
            }
            out.put(s, new Value(v.asText(), "'" + k + "' in " + file.getFileName(), base));
        }
        return out;
    }

    private static int port(Value v) {
        try {
            int p = Integer.parseInt(v.text().trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(Setting.PORT, v, "must be a port number from 0 to 65535");
    }

    private static URI url(Value v) {
        try {
            URI u = new URI(v.text().trim());
            if (u.isAbsolute() && u.getHost() != null && ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))) {
                return u;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw bad(Setting.PUBLIC_URL, v, "must be an absolute https URL such as https://issuer.example.com");
    }

    private static Duration duration(Value v) {
        try {
            return Duration.parse(v.text().trim());
        } catch (DateTimeParseException e) {
            throw bad(Setting.VALIDITY, v, "must be an ISO 8601 duration such as PT1H");
        }
    }

    private static boolean bool(Setting s, Value v) {
        return switch (v.text().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(s, v, "must be true or false");
        };
    }

    /** A path from the file is relative to the file's folder; one from a flag or variable, to the working directory. */
    private static Path path(Setting s, Value v) {
        if (v.text().isBlank()) {
            throw bad(s, v, "must be a path");
        }
        try {
            Path p = Path.of(v.text());
            return v.base().isPresent() && !p.isAbsolute() ? v.base().get().resolve(p) : p;
        } catch (java.nio.file.InvalidPathException e) {
            throw bad(s, v, "must be a path");
        }
    }

    private static ProblemException bad(Setting s, Value v, String what) {
        return bad(s.key(), s.key() + " (from " + v.source() + "): " + what + ", not '" + abbreviate(v.text()) + "'");
    }

    private static ProblemException bad(String key, String detail) {
        return new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, key.isEmpty() ? "" : "/" + key, detail));
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
