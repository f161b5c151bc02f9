package dev.tabard.vectors.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The architecture rules on every module's compiled classes, as this module's class path holds them (it depends on
 * all of them): one test per rule, named by it.
 */
class ArchitectureTest {

    private static final Modules MODULES = Modules.byLocation();
    private static JavaClasses classes;

    /**
     * One class of each module, to find its classes by: importing only these locations, not every jar on the class
     * path, keeps the test to seconds.
     */
    private static final List<Class<?>> ONE_CLASS_EACH = List.of(dev.tabard.did.Did.class, dev.tabard.sdjwt.SdJwt.class,
            dev.tabard.didweb.WebDidResolver.class,
            dev.tabard.http.HttpService.class, dev.tabard.verifier.Verifier.class, dev.tabard.verifier.http.VerifierServer.class,
            dev.tabard.issuer.http.IssuerServer.class, dev.tabard.wallet.Wallet.class, dev.tabard.gate.Gate.class);

    @BeforeAll
    static void importClasses() throws Exception {
        List<java.net.URL> locations = new java.util.ArrayList<>();
        for (Class<?> c : ONE_CLASS_EACH) {
            locations.add(c.getProtectionDomain().getCodeSource().getLocation());
        }
        classes = new ClassFileImporter().importUrls(locations);
    }

    /** Without every module's classes the rules would pass on nothing; each module is found with its own packages. */
    @Test
    void modules_everyOneFoundByWhereItsClassesWereLoaded() {
        Map<String, Integer> counts = new TreeMap<>();
        for (JavaClass c : classes) {
            MODULES.of(c).ifPresent(m -> counts.merge(m, 1, Integer::sum));
        }
        assertEquals(new java.util.TreeSet<>(Modules.ALL), counts.keySet(), counts.toString());
        assertEquals(Optional.of("vc-verifier"), MODULES.of(classes.get(dev.tabard.verifier.Verifier.class)));
        assertEquals(Optional.of("vc-verifier-server"), MODULES.of(classes.get(dev.tabard.verifier.http.VerifierServer.class)));
        assertEquals(Optional.of("did-core"), MODULES.of(classes.get(dev.tabard.did.Did.class)));
        assertEquals(Optional.empty(), MODULES.of(new ClassFileImporter().importClass(ArchitectureTest.class)), "a test class is in no module");
    }

    @Test
    void moduleAt_reactorDirectoriesAndJars_namedModule_testJarsNone() {
        assertEquals(Optional.of("vc-verifier-server"), Modules.moduleAt(URI.create(
                "jar:file:/w/vc-verifier-server/target/vc-verifier-server-0.1.0-SNAPSHOT.jar!/dev/tabard/verifier/http/X.class")));
        assertEquals(Optional.of("vc-verifier"), Modules.moduleAt(URI.create(
                "jar:file:/m2/dev/tabard/vc-verifier/0.1.0-SNAPSHOT/vc-verifier-0.1.0-SNAPSHOT.jar!/dev/tabard/verifier/X.class")));
        assertEquals(Optional.of("did-core"), Modules.moduleAt(URI.create("file:/w/did-core/target/classes/dev/tabard/did/Did.class")));
        assertEquals(Optional.empty(), Modules.moduleAt(URI.create("file:/w/did-core/target/test-classes/dev/tabard/testing/X.class")));
        assertEquals(Optional.empty(), Modules.moduleAt(URI.create(
                "jar:file:/w/did-core/target/did-core-0.1.0-SNAPSHOT-tests.jar!/dev/tabard/testing/X.class")));
    }

    @TestFactory
    Stream<DynamicTest> rules_holdOnEveryModule() {
        assertTrue(ArchitectureRules.all(MODULES).size() >= Modules.ALL.size() + 7);
        return ArchitectureRules.all(MODULES).stream().map(rule -> DynamicTest.dynamicTest(rule.getDescription(), () -> check(rule)));
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }
}
