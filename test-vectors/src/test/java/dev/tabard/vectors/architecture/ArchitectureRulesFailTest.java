package dev.tabard.vectors.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.tabard.vectors.architecture.fixture.Fixtures.Callee;
import dev.tabard.vectors.architecture.fixture.Fixtures.Caller;
import dev.tabard.vectors.architecture.fixture.Fixtures.InternalUser;
import dev.tabard.vectors.architecture.fixture.Fixtures.PoolUser;
import dev.tabard.vectors.architecture.fixture.Fixtures.ServerUser;
import dev.tabard.vectors.architecture.fixture.Fixtures.YamlUser;
import dev.tabard.vectors.architecture.fixture.http.Adapter;
import dev.tabard.vectors.architecture.fixture.internal.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every architecture rule can fail: each is run on fixture classes placed in modules so that they keep it, and again
 * placed so that they break it, where it must fail with a message naming it. Every rule is covered: a rule added to
 * {@link ArchitectureRules#all} without a case here fails {@link #cases_coverEveryRule}.
 */
class ArchitectureRulesFailTest {

    private static JavaClasses fixtures;

    /** A rule, fixture placements that keep it, and placements that break it. */
    private record Case(String rule, Map<Class<?>, String> keeping, Map<Class<?>, String> breaking) {
    }

    @BeforeAll
    static void importFixtures() {
        fixtures = new ClassFileImporter().importPackages("dev.tabard.vectors.architecture.fixture");
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String m : Modules.ALL) {
            String forbidden = Modules.ALL.stream().filter(o -> !o.equals(m) && !Modules.MAY_USE.get(m).contains(o)).findFirst()
                    .orElseThrow();
            cases.add(new Case(graphRuleName(m), Map.of(Caller.class, m, Callee.class, m),
                    Map.of(Caller.class, m, Callee.class, forbidden)));
        }
        for (String library : Modules.LIBRARIES) {
            cases.add(new Case("libraries embed no HTTP server", Map.of(ServerUser.class, "vc-issuer", Callee.class, library),
                    Map.of(ServerUser.class, library)));
            cases.add(new Case("libraries read no YAML", Map.of(YamlUser.class, "vc-issuer", Callee.class, library),
                    Map.of(YamlUser.class, library)));
            cases.add(new Case("libraries hold no server store (no connection pool, PostgreSQL or Flyway)",
                    Map.of(PoolUser.class, "vc-issuer", Callee.class, library), Map.of(PoolUser.class, library)));
        }
        cases.add(new Case("nothing uses another module's internal package", Map.of(InternalUser.class, "did-core", Secret.class, "did-core"),
                Map.of(InternalUser.class, "wallet", Secret.class, "did-core")));
        cases.add(new Case("no package is split across modules", Map.of(Callee.class, "did-core", Secret.class, "wallet"),
                Map.of(Callee.class, "did-core", Caller.class, "wallet")));
        cases.add(new Case("the gate is a plain function: HTTP servers only in its http adapter",
                Map.of(Adapter.class, "agent-gate", Callee.class, "agent-gate"), Map.of(Adapter.class, "agent-gate", ServerUser.class, "agent-gate")));
        return cases;
    }

    private static String graphRuleName(String module) {
        Set<String> allowed = Modules.MAY_USE.get(module);
        return allowed.isEmpty() ? "module graph: " + module + " reaches up to no other module"
                : "module graph: " + module + " uses no module but " + String.join(", ", new java.util.TreeSet<>(allowed));
    }

    private static ArchRule rule(String name, Modules modules) {
        List<ArchRule> found = ArchitectureRules.all(modules).stream().filter(r -> r.getDescription().startsWith(name + ", because "))
                .toList();
        assertEquals(1, found.size(), "one rule named " + name);
        return found.get(0);
    }

    private static Modules placed(Map<Class<?>, String> placement) {
        Map<String, String> byName = new java.util.HashMap<>();
        placement.forEach((c, m) -> byName.put(c.getName(), m));
        return Modules.byClassName(byName);
    }

    private static void assertFailsNamed(String name, ArchRule rule, JavaClasses classes) {
        AssertionError e = assertThrows(AssertionError.class, () -> rule.check(classes), name + " did not fail");
        assertTrue(e.getMessage().contains("Rule '" + name + ", because "), e.getMessage());
    }

    @TestFactory
    Stream<DynamicTest> rule_keptByOnePlacement_failsNamedOnTheBreakingOne() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.rule() + " (breaking: " + c.breaking().values() + ")", () -> {
            rule(c.rule(), placed(c.keeping())).check(fixtures);
            assertFailsNamed(c.rule(), rule(c.rule(), placed(c.breaking())), fixtures);
        }));
    }

    /**
     * nimbus is not on this class path, so the class that uses it is compiled here, next to a stand-in for nimbus's
     * {@code JWSObject}.
     */
    @Test
    void didCoreWithoutNimbus_aDidCoreClassUsingNimbus_failsNamed(@TempDir Path dir) throws IOException {
        String name = "did-core's JOSE is its own: no nimbus";
        Path src = Files.createDirectories(dir.resolve("src"));
        Path out = Files.createDirectories(dir.resolve("out"));
        Path stub = Files.writeString(src.resolve("JWSObject.java"), "package com.nimbusds.jose; public class JWSObject { }");
        Path user = Files.writeString(src.resolve("Jose.java"), "package fixture.jose; public class Jose { "
                + "public Object parse() { return new com.nimbusds.jose.JWSObject(); } }");
        Path plain = Files.writeString(src.resolve("Plain.java"), "package fixture.plain; public class Plain { }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", out.toString(), stub.toString(), user.toString(), plain.toString()));
        JavaClasses classes = new ClassFileImporter().importPath(out);

        rule(name, Modules.byClassName(Map.of("fixture.jose.Jose", "wallet", "fixture.plain.Plain", "did-core"))).check(classes);
        assertFailsNamed(name, rule(name, Modules.byClassName(Map.of("fixture.jose.Jose", "did-core"))), classes);
    }

    @Test
    void cases_coverEveryRule() {
        Set<String> covered = new HashSet<>();
        cases().forEach(c -> covered.add(c.rule()));
        covered.add("did-core's JOSE is its own: no nimbus");
        Set<String> all = new HashSet<>();
        for (ArchRule r : ArchitectureRules.all(Modules.byLocation())) {
            all.add(r.getDescription().substring(0, r.getDescription().indexOf(", because ")));
        }
        assertEquals(all, covered);
    }
}
