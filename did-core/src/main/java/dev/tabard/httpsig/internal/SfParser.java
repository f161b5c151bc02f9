package dev.tabard.httpsig.internal;

import static dev.tabard.httpsig.internal.StructuredFields.isAlpha;
import static dev.tabard.httpsig.internal.StructuredFields.isDigit;
import static dev.tabard.httpsig.internal.StructuredFields.isKeyChar;
import static dev.tabard.httpsig.internal.StructuredFields.isLcAlpha;
import static dev.tabard.httpsig.internal.StructuredFields.isTchar;

import dev.tabard.httpsig.internal.StructuredFields.ByteSequence;
import dev.tabard.httpsig.internal.StructuredFields.DictionaryMember;
import dev.tabard.httpsig.internal.StructuredFields.InnerList;
import dev.tabard.httpsig.internal.StructuredFields.Item;
import dev.tabard.httpsig.internal.StructuredFields.Member;
import dev.tabard.httpsig.internal.StructuredFields.Parameter;
import dev.tabard.httpsig.internal.StructuredFields.Token;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The RFC 8941 §4.2 parsing algorithms, followed step by step: ASCII only, leading and trailing spaces dropped,
 * integers of at most 15 digits, decimals of at most 12.3, strings of printable ASCII with two escapes. Every failure
 * is {@code PARSING_ERROR} with the index where it happened.
 */
public final class SfParser {

    private SfParser() {
    }

    /** Parses a List field value. */
    public static List<Member> parseList(String input) {
        Parser p = new Parser(input);
        List<Member> members = new ArrayList<>();
        while (!p.atEnd()) {
            members.add(p.itemOrInnerList());
            p.skipOws();
            if (p.atEnd()) {
                break;
            }
            p.expect(',');
            p.skipOws();
            if (p.atEnd()) {
                throw p.fail("trailing comma");
            }
        }
        p.end();
        return List.copyOf(members);
    }

    /**
     * Parses a Dictionary field value. With {@code duplicatesAllowed}, a repeated key overwrites the earlier value in
     * its place (RFC 8941 §4.2.2); without, a repeated key is {@code MALFORMED_VALUE_ERROR}.
     */
    public static List<DictionaryMember> parseDictionary(String input, boolean duplicatesAllowed) {
        Parser p = new Parser(input);
        List<DictionaryMember> members = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        while (!p.atEnd()) {
            String key = p.key();
            Member value;
            if (p.peek() == '=') {
                p.pos++;
                value = p.itemOrInnerList();
            } else {
                value = new Item(Boolean.TRUE, p.parameters());
            }
            Integer existing = index.putIfAbsent(key, members.size());
            if (existing != null) {
                if (!duplicatesAllowed) {
                    throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "dictionary key '" + key + "' appears twice");
                }
                members.set(existing, new DictionaryMember(key, value));
            } else {
                members.add(new DictionaryMember(key, value));
            }
            p.skipOws();
            if (p.atEnd()) {
                break;
            }
            p.expect(',');
            p.skipOws();
            if (p.atEnd()) {
                throw p.fail("trailing comma");
            }
        }
        p.end();
        return List.copyOf(members);
    }

    /** Parses an Item field value. */
    public static Item parseItem(String input) {
        Parser p = new Parser(input);
        Item item = p.item();
        p.end();
        return item;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String input) {
            Objects.requireNonNull(input, "input");
            for (int i = 0; i < input.length(); i++) {
                if (input.charAt(i) > 0x7e) {
                    throw new ProblemException(ProblemType.PARSING_ERROR,
                            "structured field: non-ASCII character at index " + i);
                }
            }
            this.s = input;
            skipSp();
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return atEnd() ? '\0' : s.charAt(pos);
        }

        void end() {
            skipSp();
            if (!atEnd()) {
                throw fail("unexpected '" + s.charAt(pos) + "'");
            }
        }

        void expect(char c) {
            if (peek() != c) {
                throw fail("expected '" + c + "'");
            }
            pos++;
        }

        void skipSp() {
            while (!atEnd() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        void skipOws() {
            while (!atEnd() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        ProblemException fail(String why) {
            return new ProblemException(ProblemType.PARSING_ERROR, "structured field: " + why + " at index " + pos);
        }

        Member itemOrInnerList() {
            return peek() == '(' ? innerList() : item();
        }

        InnerList innerList() {
            expect('(');
            List<Item> items = new ArrayList<>();
            while (!atEnd()) {
                skipSp();
                if (peek() == ')') {
                    pos++;
                    return new InnerList(items, parameters());
                }
                items.add(item());
                char c = peek();
                if (c != ' ' && c != ')') {
                    throw fail("inner list items must be separated by a space");
                }
            }
            throw fail("unterminated inner list");
        }

        Item item() {
            Object bare = bareItem();
            return new Item(bare, parameters());
        }

        List<Parameter> parameters() {
            List<Parameter> params = new ArrayList<>();
            while (peek() == ';') {
                pos++;
                skipSp();
                String key = key();
                Object value = Boolean.TRUE;
                if (peek() == '=') {
                    pos++;
                    value = bareItem();
                }
                Parameter parameter = new Parameter(key, value);
                boolean replaced = false;
                for (int i = 0; i < params.size(); i++) {
                    if (params.get(i).key().equals(key)) {
                        params.set(i, parameter);
                        replaced = true;
                    }
                }
                if (!replaced) {
                    params.add(parameter);
                }
            }
            return params;
        }

        String key() {
            char c = peek();
            if (!(isLcAlpha(c) || c == '*')) {
                throw fail("a key must start with a lower-case letter or '*'");
            }
            int start = pos;
            while (!atEnd() && isKeyChar(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        Object bareItem() {
            char c = peek();
            if (c == '-' || isDigit(c)) {
                return number();
            }
            if (c == '"') {
                return string();
            }
            if (c == '*' || isAlpha(c)) {
                return token();
            }
            if (c == ':') {
                return byteSequence();
            }
            if (c == '?') {
                return bool();
            }
            throw fail(atEnd() ? "missing item" : "unexpected '" + c + "'");
        }

        Object number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw fail("a number needs a digit");
            }
            int digitsStart = pos;
            boolean decimal = false;
            int dot = -1;
            while (!atEnd()) {
                char c = s.charAt(pos);
                if (isDigit(c)) {
                    pos++;
                } else if (c == '.' && !decimal) {
                    if (pos - digitsStart > 12) {
                        throw fail("a decimal has at most 12 integer digits");
                    }
                    decimal = true;
                    dot = pos;
                    pos++;
                } else {
                    break;
                }
                if (!decimal && pos - digitsStart > 15) {
                    throw fail("an integer has at most 15 digits");
                }
                if (decimal && pos - digitsStart > 16) {
                    throw fail("a decimal has at most 16 characters");
                }
            }
            String text = s.substring(start, pos);
            if (!decimal) {
                return Long.parseLong(text);
            }
            int fraction = pos - dot - 1;
            if (fraction == 0 || fraction > 3) {
                throw fail("a decimal has one to three fractional digits");
            }
            return new BigDecimal(text);
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (!atEnd()) {
                char c = s.charAt(pos++);
                if (c == '\\') {
                    if (atEnd()) {
                        break;
                    }
                    char next = s.charAt(pos++);
                    if (next != '"' && next != '\\') {
                        throw fail("only \\\" and \\\\ are escapes in a string");
                    }
                    out.append(next);
                } else if (c == '"') {
                    return out.toString();
                } else if (c < 0x20 || c > 0x7e) {
                    throw fail("a string holds printable ASCII only");
                } else {
                    out.append(c);
                }
            }
            throw fail("unterminated string");
        }

        Token token() {
            int start = pos;
            pos++;
            while (!atEnd() && (isTchar(s.charAt(pos)) || s.charAt(pos) == ':' || s.charAt(pos) == '/')) {
                pos++;
            }
            return new Token(s.substring(start, pos));
        }

        ByteSequence byteSequence() {
            expect(':');
            int start = pos;
            while (!atEnd() && s.charAt(pos) != ':') {
                char c = s.charAt(pos);
                if (!(isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=')) {
                    throw fail("a byte sequence holds base64 characters only");
                }
                pos++;
            }
            if (atEnd()) {
                throw fail("unterminated byte sequence");
            }
            String b64 = s.substring(start, pos);
            pos++;
            try {
                return ByteSequence.of(Base64.getDecoder().decode(b64));
            } catch (IllegalArgumentException e) {
                throw fail("a byte sequence is not valid base64");
            }
        }

        Boolean bool() {
            expect('?');
            char c = peek();
            if (c == '1' || c == '0') {
                pos++;
                return c == '1';
            }
            throw fail("a boolean is ?1 or ?0");
        }
    }

}
