package dev.tabard.jsonld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Fails, naming {@link TitaniumInternals} and the titanium-json-ld version on the class path, when a titanium release
 * changes an internal signature that class calls or the canonical form of a known document.
 */
class TitaniumInternalsTest {

    private static final String RUNTIME = "com.apicatalog.jsonld.processor.ProcessingRuntime";
    private static final String ACTIVE = "com.apicatalog.jsonld.context.ActiveContext";
    private static final String BUILDER = "com.apicatalog.jsonld.context.ActiveContextBuilder";
    private static final String EXPANSION = "com.apicatalog.jsonld.expansion.Expansion";
    private static final String TO_RDF = "com.apicatalog.jsonld.processor.ToRdfProcessor";
    private static final String OPTIONS = "com.apicatalog.jsonld.JsonLdOptions";
    private static final String VALUE = "jakarta.json.JsonValue";
    private static final String URI = "java.net.URI";

    private static String titaniumVersion() {
        try (InputStream in = com.apicatalog.jsonld.JsonLd.class
                .getResourceAsStream("/META-INF/maven/com.apicatalog/titanium-json-ld/pom.properties")) {
            if (in == null) {
                return "(version unknown: no pom.properties)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            return "(version unknown: " + e + ")";
        }
    }

    private static String changed(String what) {
        return "titanium-json-ld " + titaniumVersion() + " changed " + what + ", which " + TitaniumInternals.class.getName()
                + " calls: re-read that class against this titanium version before upgrading";
    }

    private static Class<?> type(String name, List<String> problems) {
        if (name.equals("boolean")) {
            return boolean.class;
        }
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            problems.add(changed("class " + name + " (gone)"));
            return null;
        }
    }

    /** A public member {@code owner.name(params)} returning {@code returns} (null for a constructor), static as stated. */
    private static void member(List<String> problems, String owner, String name, boolean isStatic, String returns, String... params) {
        String sig = owner + "." + name + "(" + String.join(", ", params) + ")" + (returns == null ? "" : " : " + returns);
        Class<?> o = type(owner, problems);
        if (o == null) {
            return;
        }
        Class<?>[] p = new Class<?>[params.length];
        for (int i = 0; i < params.length; i++) {
            p[i] = type(params[i], problems);
            if (p[i] == null) {
                return;
            }
        }
        try {
            Executable e = returns == null ? o.getConstructor(p) : o.getMethod(name, p);
            if (!Modifier.isPublic(o.getModifiers()) || isStatic != Modifier.isStatic(e.getModifiers())
                    || (e instanceof Method m && !m.getReturnType().getName().equals(returns))) {
                problems.add(changed(sig + " (its modifiers or return type)"));
            }
        } catch (NoSuchMethodException e) {
            problems.add(changed(sig + " (gone)"));
        }
    }

    @Test
    void internalSignatures_areTheOnesTitaniumInternalsCalls() {
        List<String> problems = new ArrayList<>();
        member(problems, RUNTIME, "of", true, RUNTIME, OPTIONS);
        member(problems, ACTIVE, "<init>", false, null, URI, URI, RUNTIME);
        member(problems, ACTIVE, "newContext", false, BUILDER);
        member(problems, BUILDER, "create", false, ACTIVE, VALUE, URI);
        member(problems, EXPANSION, "with", true, EXPANSION, ACTIVE, VALUE, "java.lang.String", URI);
        member(problems, EXPANSION, "ordered", false, EXPANSION, "boolean");
        member(problems, EXPANSION, "compute", false, VALUE);
        member(problems, TO_RDF, "toRdf", true, "void", "com.apicatalog.rdf.api.RdfQuadConsumer", "jakarta.json.JsonArray", OPTIONS);
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    /** A small credential over the bundled v2 context, and its canonical N-Quads as titanium 1.7.0 gives them. */
    @Test
    void canonicalize_knownCredential_givesTheKnownNQuads() {
        ObjectNode credential = (ObjectNode) JsonCodec.parse("""
                {"@context": ["https://www.w3.org/ns/credentials/v2"],
                 "id": "urn:uuid:6a1f3b2c-0d4e-4f5a-9b8c-7d6e5f4a3b2c",
                 "type": ["VerifiableCredential"],
                 "issuer": "did:example:issuer",
                 "validFrom": "2026-01-01T00:00:00Z",
                 "credentialSubject": {"name": "Agent 7", "description": "no id: a blank node RDFC labels"}}
                """.getBytes(StandardCharsets.UTF_8));
        String expected = """
                <urn:uuid:6a1f3b2c-0d4e-4f5a-9b8c-7d6e5f4a3b2c> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
                <urn:uuid:6a1f3b2c-0d4e-4f5a-9b8c-7d6e5f4a3b2c> <https://www.w3.org/2018/credentials#credentialSubject> _:c14n0 .
                <urn:uuid:6a1f3b2c-0d4e-4f5a-9b8c-7d6e5f4a3b2c> <https://www.w3.org/2018/credentials#issuer> <did:example:issuer> .
                <urn:uuid:6a1f3b2c-0d4e-4f5a-9b8c-7d6e5f4a3b2c> <https://www.w3.org/2018/credentials#validFrom> "2026-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
                _:c14n0 <https://schema.org/description> "no id: a blank node RDFC labels" .
                _:c14n0 <https://schema.org/name> "Agent 7" .
                """;
        String actual = Rdfc.canonicalize(credential, BundledContexts.standard());
        assertEquals(expected, actual, changed("the canonical N-Quads of a known credential (expansion or RDF conversion)"));
    }
}
