package dev.tabard.didweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tabard.did.Did;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DidWebUrlsTest {

    @ParameterizedTest
    @CsvSource({
        "did:web:w3c-ccg.github.io, https://w3c-ccg.github.io/.well-known/did.json",
        "did:web:w3c-ccg.github.io:user:alice, https://w3c-ccg.github.io/user/alice/did.json",
        "did:web:example.com%3A3000:user:alice, https://example.com:3000/user/alice/did.json",
        "did:web:xn--bcher-kva.example, https://xn--bcher-kva.example/.well-known/did.json",
        "did:web:Example.COM:a%20b, https://example.com/a%20b/did.json"
    })
    void specTableMapsBothWays(String did, String url) {
        assertEquals(URI.create(url), DidWebUrls.toUrl(Did.parse(did)));
        if (!did.contains("COM")) {
            assertEquals(Did.parse(did), DidWebUrls.fromUrl(URI.create(url)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "did:web:example.com::a", "did:web:example.com:a:", "did:web:example.com:..", "did:web:example.com:%2e%2E",
        "did:web:example.com:a%2Fb", "did:web:127.0.0.1", "did:web:user%40example.com", "did:web:example.com%3A0",
        "did:web:example.com%3A99999", "did:web:exa_mple.com", "did:web:-example.com", "did:web:xn--a.example",
        "did:web:example..com", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    })
    void brokenDidWebsAreInvalidDids(String did) {
        ProblemException e = assertThrows(ProblemException.class, () -> DidWebUrls.toUrl(Did.parse(did)));
        assertEquals(ProblemType.INVALID_DID, e.type(), did);
    }
}
