package dev.tabard.vectors.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.http.VerifierServer;
import dev.tabard.wallet.Wallet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * STYLE "Null handling": parameters are never {@code Optional}, and a bare {@code boolean} says nothing at the call
 * site ({@code start(v, d, 0, tls, clock, true)}). Scans, by reflection over the compiled classes, every public or
 * protected method and constructor of the public types in the modules an embedder calls: vc-verifier, the endpoint
 * (vc-verifier-server), the wallet and the agent gate. Reflection over the real class files needs no extra library; ArchUnit would do
 * the same with a dependency and its own class importer.
 */
class PublicApiShapeTest {

    /** A type on each module's class path: the scan reads the directory or jar it was loaded from. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {Verifier.class, VerifierServer.class, Wallet.class, dev.tabard.gate.Gate.class})
    void publicApi_ofModule_takesNoOptionalAndNoBareBooleanParameter(Class<?> anchor) {
        List<Class<?>> types = moduleTypes(anchor);
        assertTrue(types.size() > 5, "found the module's classes: " + types);
        List<String> offending = new ArrayList<>();
        for (Class<?> type : types) {
            if (isApi(type)) {
                offending.addAll(offenders(type));
            }
        }
        assertEquals(List.of(), offending, "public signatures that take Optional or a bare boolean: use an overload, a "
                + "builder method whose name says what it does, or an enum");
    }

    /**
     * Types at the trust boundary cannot lie: a {@code VerificationResult}, an {@code AgentIdentity} or anything named
     * {@code Verified…} in vc-verifier is made only by the code that verifies. No public or protected constructor, not a
     * record (whose canonical constructor is public), and no public static method that returns one.
     */
    @Test
    void verifierResults_cannotBeConstructedOutsideTheVerifier() {
        List<String> constructible = new ArrayList<>();
        for (Class<?> type : moduleTypes(Verifier.class)) {
            String name = type.getSimpleName();
            if (!isApi(type) || !(name.equals("VerificationResult") || name.equals("AgentIdentity") || name.startsWith("Verified"))) {
                continue;
            }
            constructible.addAll(constructors(type));
        }
        assertEquals(List.of(), constructible);
        assertTrue(constructors(dev.tabard.verifier.VerificationResult.class).isEmpty()
                && constructors(dev.tabard.verifier.AgentIdentity.class).isEmpty());
        assertEquals(2, constructors(Constructible.class).size(), "the check finds a public constructor and factory");
    }

    public static final class Constructible {
        public Constructible() {
        }

        public static Constructible forged() {
            return new Constructible();
        }
    }

    private static List<String> constructors(Class<?> type) {
        List<String> out = new ArrayList<>();
        if (type.isRecord()) {
            out.add(type.getName() + " is a record");
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers())) {
                out.add(type.getName() + ".<init>");
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers()) && m.getReturnType() == type) {
                out.add(type.getName() + "." + m.getName());
            }
        }
        return out;
    }

    /** The scan itself finds what it looks for: a test that cannot fail is a defect. */
    @Test
    void offenders_typeWithOptionalAndBooleanParameters_isFlagged() {
        assertEquals(3, offenders(Offending.class).size(), offenders(Offending.class).toString());
        assertEquals(List.of(), offenders(Clean.class));
    }

    public static class Offending {
        public Offending(boolean flag) {
        }

        public void a(Optional<String> maybe) {
        }

        protected void b(String s, Boolean flag) {
        }

        private void ignoredBecausePrivate(boolean flag) {
        }
    }

    public static final class Clean {
        public Optional<String> returnsOptional(String s) {
            return Optional.of(s);
        }

        public boolean returnsBoolean() {
            return true;
        }
    }

    static List<String> offenders(Class<?> type) {
        List<String> out = new ArrayList<>();
        List<Executable> members = new ArrayList<>(List.of(type.getDeclaredConstructors()));
        members.addAll(List.of(type.getDeclaredMethods()));
        for (Executable e : members) {
            int m = e.getModifiers();
            if (e.isSynthetic() || (e instanceof Method method && method.isBridge())
                    || !(Modifier.isPublic(m) || Modifier.isProtected(m) && !Modifier.isFinal(type.getModifiers()))) {
                continue;
            }
            for (Class<?> p : e.getParameterTypes()) {
                if (p == Optional.class || p == boolean.class || p == Boolean.class) {
                    out.add(type.getName() + "." + (e instanceof Constructor ? "<init>" : e.getName()) + " takes " + p.getSimpleName());
                }
            }
        }
        return out;
    }

    /** Public, and reachable: every enclosing type public too. */
    private static boolean isApi(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static List<Class<?>> moduleTypes(Class<?> anchor) {
        Path root;
        try {
            root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try {
            if (Files.isDirectory(root)) {
                return classesUnder(root, root);
            }
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                return classesUnder(jar.getPath("/"), jar.getPath("/"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Class<?>> classesUnder(Path base, Path dir) throws IOException {
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String rel = base.relativize(f).toString().replace('\\', '/');
                if (!rel.endsWith(".class") || rel.endsWith("module-info.class") || rel.endsWith("package-info.class")) {
                    continue;
                }
                String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
                try {
                    out.add(Class.forName(name, false, PublicApiShapeTest.class.getClassLoader()));
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("cannot load " + name, e);
                }
            }
        }
        return out;
    }
}
