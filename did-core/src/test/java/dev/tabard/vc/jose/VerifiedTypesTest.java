package dev.tabard.vc.jose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.vc.di.DataIntegrity;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code Verified…} types of did-core cannot be made outside the code that verifies: each is a final class (a
 * record's canonical constructor is public) with no public or protected constructor, and no public static method
 * returns one except the verifying ones. {@link VerifiedTokens} is a cache whose public factories give an empty one;
 * only verification puts entries in it.
 */
class VerifiedTypesTest {

    private static final List<Class<?>> VERIFIED = List.of(VerifiedJws.class, VcJose.VerifiedCredential.class,
            VcJose.VerifiedPresentation.class, DataIntegrity.VerifiedProof.class, VerifiedTokens.class);

    @Test
    void noVerifiedTypeHasAPublicConstructor() {
        for (Class<?> type : VERIFIED) {
            assertFalse(type.isRecord(), type + " is a record");
            assertTrue(Modifier.isFinal(type.getModifiers()), type + " is not final");
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                assertFalse(Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers()), c.toString());
            }
        }
    }

    @Test
    void onlyVerifyingMethodsReturnVerifiedValues() {
        List<String> makers = List.of("CompactJws.verify", "VcJose.verifyCredential", "VcJose.verifyPresentation",
                "DataIntegrity.verify");
        int found = 0;
        for (Class<?> owner : List.of(CompactJws.class, VcJose.class, DataIntegrity.class, VerifiedJws.class,
                VcJose.VerifiedCredential.class, VcJose.VerifiedPresentation.class, DataIntegrity.VerifiedProof.class)) {
            for (Method m : owner.getDeclaredMethods()) {
                boolean returnsVerified = VERIFIED.stream().anyMatch(v -> v != VerifiedTokens.class
                        && (m.getReturnType() == v || m.getGenericReturnType().getTypeName().contains(v.getName().replace('$', '.'))
                            || m.getGenericReturnType().getTypeName().contains(v.getName())));
                if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()) && returnsVerified) {
                    assertTrue(makers.contains(owner.getSimpleName() + "." + m.getName()), m.toString());
                    found++;
                }
            }
        }
        assertEquals(3, found, "VcJose.verifyCredential, VcJose.verifyPresentation, DataIntegrity.verify");
    }
}
