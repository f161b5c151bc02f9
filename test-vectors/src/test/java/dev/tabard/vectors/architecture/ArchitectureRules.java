package dev.tabard.vectors.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules of ARCHITECTURE.md and STYLE.md that the compiled classes can show, each named so that a failure says
 * which one broke: the module graph (one rule per module), libraries without an HTTP server, YAML or a server store,
 * no use of another module's {@code internal} package, no package split across modules, did-core's JOSE without
 * nimbus, and the gate's Javalin confined to its adapter.
 */
public final class ArchitectureRules {

    /** HTTP servers: Javalin, Jetty, the servlet API, the JDK's own. */
    static final String[] HTTP_SERVER = {"io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "com.sun.net.httpserver.."};
    private static final Pattern INTERNAL = Pattern.compile("(^|\\.)internal(\\.|$)");

    private ArchitectureRules() {
    }

    /** Every rule, over the classes {@code modules} places. */
    public static List<ArchRule> all(Modules modules) {
        List<ArchRule> rules = new ArrayList<>(moduleGraph(modules));
        rules.add(librariesEmbedNoHttpServer(modules));
        rules.add(librariesReadNoYaml(modules));
        rules.add(librariesHoldNoServerStore(modules));
        rules.add(noOtherModulesInternals(modules));
        rules.add(noSplitPackages(modules));
        rules.add(didCoreWithoutNimbus(modules));
        rules.add(gateJavalinOnlyInItsAdapter(modules));
        return List.copyOf(rules);
    }

    /** One rule per module: it uses only the modules below it in the graph. */
    static List<ArchRule> moduleGraph(Modules modules) {
        List<ArchRule> rules = new ArrayList<>();
        for (String m : Modules.ALL) {
            Set<String> allowed = Modules.MAY_USE.get(m);
            Set<String> forbidden = new TreeSet<>(Modules.ALL);
            forbidden.remove(m);
            forbidden.removeAll(allowed);
            String name = allowed.isEmpty() ? "module graph: " + m + " reaches up to no other module"
                    : "module graph: " + m + " uses no module but " + String.join(", ", new TreeSet<>(allowed));
            rules.add(noClasses().that(modules.in(m)).should().dependOnClassesThat(modules.inAnyOf(forbidden)).as(name)
                    .because("a module never reaches up the graph of ARCHITECTURE.md"));
        }
        return rules;
    }

    static ArchRule librariesEmbedNoHttpServer(Modules modules) {
        return noClasses().that(modules.inAnyOf(Set.copyOf(Modules.LIBRARIES))).should().dependOnClassesThat()
                .resideInAnyPackage(HTTP_SERVER).as("libraries embed no HTTP server")
                .because("an agent embeds the wallet and what it depends on; HTTP servers live in vc-issuer, the verifier's "
                        + "endpoint and agent-gate's adapters");
    }

    static ArchRule librariesReadNoYaml(Modules modules) {
        return noClasses().that(modules.inAnyOf(Set.copyOf(Modules.LIBRARIES))).should().dependOnClassesThat()
                .resideInAnyPackage("org.yaml..", "com.fasterxml.jackson.dataformat.yaml..").as("libraries read no YAML")
                .because("YAML is the issuer's configuration format, not something an embedded library parses");
    }

    static ArchRule librariesHoldNoServerStore(Modules modules) {
        return noClasses().that(modules.inAnyOf(Set.copyOf(Modules.LIBRARIES))).should().dependOnClassesThat()
                .resideInAnyPackage("com.zaxxer.hikari..", "org.postgresql..", "org.flywaydb..")
                .as("libraries hold no server store (no connection pool, PostgreSQL or Flyway)")
                .because("a wallet keeps its own SQLite file; pools and migrations belong to the issuer's store");
    }

    static ArchRule noOtherModulesInternals(Modules modules) {
        ArchCondition<JavaClass> condition = new ArchCondition<>("use no other module's internal package") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                String own = modules.of(c).orElseThrow();
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass();
                    Optional<String> theirs = modules.of(target);
                    if (INTERNAL.matcher(target.getPackageName()).find() && theirs.isPresent() && !theirs.get().equals(own)) {
                        events.add(SimpleConditionEvent.violated(d, own + " uses " + theirs.get() + "'s internal " + d.getDescription()));
                    }
                }
            }
        };
        return classes().that(modules.inAnyOf(Set.copyOf(Modules.ALL))).should(condition)
                .as("nothing uses another module's internal package")
                .because("packages named internal are not API (STYLE.md): their types may be public for technical reasons only");
    }

    static ArchRule noSplitPackages(Modules modules) {
        ArchCondition<JavaClass> condition = new ArchCondition<>("be in a package no other module has") {
            private final Map<String, Set<String>> modulesOfPackage = new HashMap<>();

            @Override
            public void init(Collection<JavaClass> all) {
                for (JavaClass c : all) {
                    modulesOfPackage.computeIfAbsent(c.getPackageName(), p -> new HashSet<>()).add(modules.of(c).orElseThrow());
                }
            }

            @Override
            public void check(JavaClass c, ConditionEvents events) {
                Set<String> owners = modulesOfPackage.get(c.getPackageName());
                if (owners.size() > 1) {
                    events.add(SimpleConditionEvent.violated(c, c.getName() + " is in " + c.getPackageName() + ", which "
                            + new TreeSet<>(owners) + " share"));
                }
            }
        };
        return classes().that(modules.inAnyOf(Set.copyOf(Modules.ALL))).should(condition).as("no package is split across modules")
                .because("STYLE.md: one package, one module, so that JPMS stays possible");
    }

    static ArchRule didCoreWithoutNimbus(Modules modules) {
        return noClasses().that(modules.in("did-core")).should().dependOnClassesThat().resideInAnyPackage("com.nimbusds..")
                .as("did-core's JOSE is its own: no nimbus")
                .because("the strict compact JWS code is ours, measured and Wycheproof-tested (ARCHITECTURE.md)");
    }

    static ArchRule gateJavalinOnlyInItsAdapter(Modules modules) {
        return noClasses().that(modules.in("agent-gate")).and().resideOutsideOfPackage("..http").should().dependOnClassesThat()
                .resideInAnyPackage(HTTP_SERVER).as("the gate is a plain function: HTTP servers only in its http adapter")
                .because("agent-gate is a plain function plus a Javalin adapter (ARCHITECTURE.md)");
    }
}
