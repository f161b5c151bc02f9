package dev.tabard.vectors.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which module a class belongs to. Packages cannot tell (dev.tabard.verifier is vc-verifier's, dev.tabard.verifier.http
 * vc-verifier-server's), so in the build the answer comes from where the class was loaded: a module's
 * {@code target/classes} or its main jar; test classes and test jars belong to no module.
 *
 * @param moduleOf the module of a class, when it has one
 */
public record Modules(Function<JavaClass, Optional<String>> moduleOf) {

    /** The modules whose classes the rules are about; cli, at the top, is on no module's class path. */
    public static final List<String> ALL = List.of("did-core", "vc-sd-jwt", "did-web-resolver", "http-service", "vc-verifier",
            "vc-verifier-server", "vc-issuer", "wallet", "agent-gate");

    /**
     * What each module may use, ARCHITECTURE.md's graph closed over its arrows: did-core ← did-web-resolver ←
     * vc-verifier ← wallet; vc-verifier ← agent-gate; vc-issuer → did-core (and did-web-resolver for the did:web
     * URL rules); the servers' shared transport http-service → did-core, used by vc-verifier-server, vc-issuer
     * and agent-gate; the SD-JWT VC format, vc-sd-jwt → did-core, used by the verifier, the issuer and what builds on
     * them.
     */
    public static final Map<String, Set<String>> MAY_USE = Map.of(
            "did-core", Set.of(),
            "vc-sd-jwt", Set.of("did-core"),
            "did-web-resolver", Set.of("did-core"),
            "http-service", Set.of("did-core"),
            "vc-verifier", Set.of("did-core", "vc-sd-jwt", "did-web-resolver"),
            "vc-verifier-server", Set.of("did-core", "vc-sd-jwt", "did-web-resolver", "vc-verifier", "http-service"),
            "vc-issuer", Set.of("did-core", "vc-sd-jwt", "did-web-resolver", "http-service"),
            "wallet", Set.of("did-core", "vc-sd-jwt", "did-web-resolver", "vc-verifier"),
            "agent-gate", Set.of("did-core", "vc-sd-jwt", "did-web-resolver", "vc-verifier", "http-service"));

    /** The libraries an agent embeds: {@code wallet} and what it depends on. */
    public static final List<String> LIBRARIES = List.of("did-core", "vc-sd-jwt", "did-web-resolver", "vc-verifier", "wallet");

    /** By the location each class was loaded from, as the build lays modules out. */
    public static Modules byLocation() {
        return new Modules(c -> c.getSource().flatMap(s -> moduleAt(s.getUri())));
    }

    /** By class name, for rules tried on a small set of classes made to break them. */
    public static Modules byClassName(Map<String, String> modules) {
        Map<String, String> copy = Map.copyOf(modules);
        return new Modules(c -> Optional.ofNullable(copy.get(c.getName())));
    }

    /**
     * The module of a class file at {@code location}: {@code …/<module>/target/classes/…} or
     * {@code …/<module>-<version>.jar!/…} (in the reactor or the local repository); never a test jar.
     */
    static Optional<String> moduleAt(URI location) {
        String s = location.toString();
        for (String m : ALL) {
            if (s.contains("/" + m + "/target/classes/")
                    || (Pattern.compile("/" + Pattern.quote(m) + "-\\d[^/!]*\\.jar!/").matcher(s).find() && !s.contains("-tests.jar!"))) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public Optional<String> of(JavaClass c) {
        return moduleOf.apply(c);
    }

    /** Classes of {@code module}. */
    public DescribedPredicate<JavaClass> in(String module) {
        return DescribedPredicate.describe("are in " + module, c -> of(c).filter(module::equals).isPresent());
    }

    /** Classes of any of {@code modules}. */
    public DescribedPredicate<JavaClass> inAnyOf(Set<String> modules) {
        return DescribedPredicate.describe("are in " + String.join(" or ", new java.util.TreeSet<>(modules)),
                c -> of(c).filter(modules::contains).isPresent());
    }
}
