package dev.tabard.httpsig;

import static dev.tabard.httpsig.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tabard.problem.ProblemType;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Component values of RFC 9421 §2.1 and §2.2, from the RFC's own examples. */
class ComponentValuesTest {

    private static final URI TARGET = URI.create("https://www.example.com/path?param=value");

    private static String value(HttpMessage m, ComponentId id) {
        return SignatureBase.value(m, id);
    }

    private static HttpMessage request(HttpFields fields) {
        return HttpMessage.request("POST", TARGET, fields);
    }

    /** §2.1: whitespace trimmed, obs-fold replaced, values combined with ", ", dictionary values kept as sent. */
    @Test
    void fields_section2_1_examples() {
        HttpFields f = HttpFields.builder()
                .add("Host", "www.example.com")
                .add("Date", "Tue, 20 Apr 2021 02:07:56 GMT")
                .add("X-OWS-Header", "   Leading and trailing whitespace.   ")
                .add("X-Obs-Fold-Header", "Obsolete\r\n    line folding.")
                .add("Cache-Control", "max-age=60")
                .add("Cache-Control", "   must-revalidate")
                .add("Example-Dict", " a=1,    b=2;x=1;y=2,   c=(a   b   c)")
                .add("X-Empty-Header", "")
                .build();
        HttpMessage m = request(f);
        assertEquals("www.example.com", value(m, ComponentId.field("host")));
        assertEquals("Tue, 20 Apr 2021 02:07:56 GMT", value(m, ComponentId.field("date")));
        assertEquals("Leading and trailing whitespace.", value(m, ComponentId.field("x-ows-header")));
        assertEquals("Obsolete line folding.", value(m, ComponentId.field("x-obs-fold-header")));
        assertEquals("max-age=60, must-revalidate", value(m, ComponentId.field("cache-control")));
        assertEquals("a=1,    b=2;x=1;y=2,   c=(a   b   c)", value(m, ComponentId.field("example-dict")));
        assertEquals("", value(m, ComponentId.field("x-empty-header")));
        // §2.1.1
        assertEquals("a=1, b=2;x=1;y=2, c=(a b c)", value(m, ComponentId.field("example-dict").structured()));
    }

    /** §2.1.2 dictionary members, §2.1.3 byte sequences. */
    @Test
    void fields_keyAndBs_section2_1_2and2_1_3_examples() {
        HttpMessage m = request(HttpFields.builder().add("Example-Dict", " a=1, b=2;x=1;y=2, c=(a   b    c), d").build());
        assertEquals("1", value(m, ComponentId.field("example-dict").key("a")));
        assertEquals("?1", value(m, ComponentId.field("example-dict").key("d")));
        assertEquals("2;x=1;y=2", value(m, ComponentId.field("example-dict").key("b")));
        assertEquals("(a b c)", value(m, ComponentId.field("example-dict").key("c")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> value(m, ComponentId.field("example-dict").key("e")));
        HttpMessage notDict = request(HttpFields.builder().add("Example-Dict", "(unterminated").build());
        assertProblem(ProblemType.PARSING_ERROR, () -> value(notDict, ComponentId.field("example-dict").key("a")));

        HttpMessage two = request(HttpFields.builder().add("Example-Header", "value, with, lots").add("Example-Header", "of, commas").build());
        HttpMessage one = request(HttpFields.builder().add("Example-Header", "value, with, lots, of, commas").build());
        assertEquals(value(two, ComponentId.field("example-header")), value(one, ComponentId.field("example-header")));
        assertEquals(":dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:", value(two, ComponentId.field("example-header").byteSequence()));
        assertEquals(":dmFsdWUsIHdpdGgsIGxvdHMsIG9mLCBjb21tYXM=:", value(one, ComponentId.field("example-header").byteSequence()));
    }

    /** §2.2.1-§2.2.7. */
    @Test
    void derived_section2_2_examples() {
        HttpMessage m = request(HttpFields.empty());
        assertEquals("POST", value(m, ComponentId.METHOD));
        assertEquals("https://www.example.com/path?param=value", value(m, ComponentId.TARGET_URI));
        assertEquals("www.example.com", value(m, ComponentId.AUTHORITY));
        assertEquals("https", value(m, ComponentId.SCHEME));
        assertEquals("/path?param=value", value(m, ComponentId.REQUEST_TARGET));
        assertEquals("/path", value(m, ComponentId.PATH));
        assertEquals("?param=value", value(m, ComponentId.QUERY));
        HttpMessage other = HttpMessage.request("get", URI.create("HTTP://WWW.Example.COM:80"), HttpFields.empty());
        assertEquals("get", value(other, ComponentId.METHOD));
        assertEquals("www.example.com", value(other, ComponentId.AUTHORITY));
        assertEquals("http", value(other, ComponentId.SCHEME));
        assertEquals("/", value(other, ComponentId.PATH));
        assertEquals("?", value(other, ComponentId.QUERY));
        assertEquals("/", value(other, ComponentId.REQUEST_TARGET));
        HttpMessage port = HttpMessage.request("GET", URI.create("https://example.com:8443/a%2Fb?x=bat%2Dman"), HttpFields.empty());
        assertEquals("example.com:8443", value(port, ComponentId.AUTHORITY));
        assertEquals("/a%2Fb", value(port, ComponentId.PATH));
        assertEquals("?x=bat%2Dman", value(port, ComponentId.QUERY));
    }

    /** §2.2.8, both examples. */
    @Test
    void queryParam_section2_2_8_examples() {
        HttpMessage m = HttpMessage.request("GET", URI.create("https://www.example.com/path?param=value&foo=bar&baz=batman&qux="),
                HttpFields.empty());
        assertEquals("batman", value(m, ComponentId.queryParam("baz")));
        assertEquals("", value(m, ComponentId.queryParam("qux")));
        assertEquals("value", value(m, ComponentId.queryParam("param")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> value(m, ComponentId.queryParam("absent")));

        HttpMessage enc = HttpMessage.request("GET", URI.create("https://www.example.com/parameters?var=this%20is%20a%20big%0Amultiline"
                + "%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something"), HttpFields.empty());
        assertEquals("this%20is%20a%20big%0Amultiline%20value", value(enc, ComponentId.queryParam("var")));
        assertEquals("with%20plus%20whitespace", value(enc, ComponentId.queryParam("bar")));
        assertEquals("something", value(enc, ComponentId.queryParam("fa%C3%A7ade%22%3A%20")));

        HttpMessage twice = HttpMessage.request("GET", URI.create("https://example.com/?a=1&a=2"), HttpFields.empty());
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> value(twice, ComponentId.queryParam("a")));
    }

    /** §2.2.9 and §2.4: the status of a response, and request components through req. */
    @Test
    void status_andRequestComponentsOfAResponse() {
        HttpMessage req = request(HttpFields.builder().add("Content-Type", "application/json").build());
        HttpMessage res = HttpMessage.response(503, HttpFields.builder().add("Content-Type", "text/plain").build(), req);
        assertEquals("503", value(res, ComponentId.STATUS));
        assertEquals("POST", value(res, ComponentId.METHOD.fromRequest()));
        assertEquals("application/json", value(res, ComponentId.field("content-type").fromRequest()));
        assertEquals("text/plain", value(res, ComponentId.field("content-type")));
    }

    @Test
    void field_lineBreakThatIsNotAnObsFold_failsWithMalformedValueError() {
        HttpMessage m = request(HttpFields.builder().add("X-Bad", "a\r\nb").add("X-Trailing", "a\r\n").build());
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> value(m, ComponentId.field("x-bad")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> value(m, ComponentId.field("x-trailing")));
    }

    @Test
    void request_badMethodOrUri_failsWithMalformedValueError() {
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> HttpMessage.request("PO ST", TARGET, HttpFields.empty()));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> HttpMessage.request("GET", URI.create("/relative"), HttpFields.empty()));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> HttpMessage.request("GET", URI.create("ftp://x/"), HttpFields.empty()));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> HttpMessage.request("GET", URI.create("https://u@x/"), HttpFields.empty()));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> HttpMessage.request("GET", URI.create("https://x/#f"), HttpFields.empty()));
        HttpMessage req = request(HttpFields.empty());
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> HttpMessage.response(42, HttpFields.empty(), req));
    }
}
