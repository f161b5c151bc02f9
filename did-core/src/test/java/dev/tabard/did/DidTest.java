package dev.tabard.did;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DidTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "did:example:123456789abcdefghi",
        "did:web:example.com",
        "did:web:example.com%3A8443:agents:a1",
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "did:example:a:b:c",
        "did:example:a%20b",
        "did:example::x",
        "did:ex4mple:x.y-z_w"
    })
    void validDidsRoundTripExactly(String text) {
        assertEquals(text, Did.parse(text).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "DID:example:1|a DID starts with 'did:'",
        "did:Example:1|index 4",
        "did:example|missing ':'",
        "did::x|index 4",
        "did:example:|empty method-specific id",
        "did:example:a b|character ' ' not allowed at index 13",
        "did:example:a%2|bad percent-encoding at index 13",
        "did:example:a%zz|bad percent-encoding at index 13",
        "did:example:a:|ends with ':'",
        "did:ex-ample:1|index 4"
    })
    void invalidDidsSayWhatAndWhere(String text, String detail) {
        ProblemException e = assertThrows(ProblemException.class, () -> Did.parse(text));
        assertEquals(ProblemType.INVALID_DID, e.type());
        assertTrue(e.problem().detail().contains(detail), e.problem().detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "did:example:123#key-1",
        "did:example:123/path/to?x=1#frag",
        "did:example:123?service=files&relativeRef=/a",
        "did:web:example.com#z6Mk"
    })
    void didUrlsRoundTrip(String text) {
        DidUrl url = DidUrl.parse(text);
        assertEquals(text, url.toString());
        assertEquals(Did.parse("did:" + text.split(":", 3)[1] + ":" + url.did().methodSpecificId()), url.did());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "did:example:123#a b|fragment at index 17",
        "did:example:123/a%zz|path at index 17",
        "did:example:123?q=<|query at index 18",
        "example:123#k|starts with 'did:'"
    })
    void invalidDidUrls(String text, String detail) {
        ProblemException e = assertThrows(ProblemException.class, () -> DidUrl.parse(text));
        assertEquals(ProblemType.INVALID_DID_URL, e.type());
        assertTrue(e.problem().detail().contains(detail), e.problem().detail());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "#key-1|did:example:123#key-1",
        "?versionId=2|did:example:123?versionId=2",
        "did:other:9#k|did:other:9#k"
    })
    void relativeReferencesResolveAgainstTheDocument(String ref, String expected) {
        assertEquals(expected, DidUrl.resolve(Did.parse("did:example:123"), ref).toString());
    }

    @org.junit.jupiter.api.Test
    void overlongDidIsRefused() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> Did.parse("did:example:" + "a".repeat(Did.MAX_LENGTH)));
        assertEquals(ProblemType.INVALID_DID, e.type());
    }
}
