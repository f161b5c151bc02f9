package dev.tabard.vc.di;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.KeyType;
import dev.tabard.jsonld.BundledContexts;

/**
 * A Data Integrity cryptosuite: how a document and its proof configuration become the bytes that are
 * signed. The signature algorithm follows {@link #keyType()}.
 */
public interface Cryptosuite {

    /** The {@code cryptosuite} value, for example {@code eddsa-rdfc-2022}. */
    String name();

    KeyType keyType();

    /**
     * The data to sign: hash(canonical proof configuration) ‖ hash(canonical document).
     *
     * @param unsecuredDocument the document without {@code proof}
     * @param proofConfig the proof without {@code proofValue}, carrying the document's {@code @context}
     */
    byte[] hashData(ObjectNode unsecuredDocument, ObjectNode proofConfig, BundledContexts contexts);

    /** Whether the finished proof keeps the document's {@code @context} (the JCS suites do; the RDFC ones do not). */
    default boolean proofKeepsContext() {
        return false;
    }
}
