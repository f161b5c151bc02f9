package dev.tabard.httpsig.internal;

import dev.tabard.crypto.Bytes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * RFC 8941 values and their serializer (§4.1); {@link SfParser} parses them (§4.2). Bare items are {@link Long} (Integer),
 * {@link BigDecimal} (Decimal), {@link String} (String), {@link Token}, {@link ByteSequence} and {@link Boolean}.
 * Serializing a value the RFC cannot express is a programming error
 * ({@link IllegalArgumentException}), as every value here was either parsed or checked before it was built.
 */
public final class StructuredFields {

    private StructuredFields() {
    }

    /** An sf-token. */
    public record Token(String value) {
        public Token {
            Objects.requireNonNull(value, "value");
        }
    }

    /** An sf-binary value. */
    public record ByteSequence(Bytes value) {
        public ByteSequence {
            Objects.requireNonNull(value, "value");
        }

        public static ByteSequence of(byte[] data) {
            return new ByteSequence(Bytes.copyFrom(data));
        }
    }

    /** One parameter; {@code value} is a bare item ({@link Boolean#TRUE} for a flag). */
    public record Parameter(String key, Object value) {
        public Parameter {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** A List or Dictionary member: an Item or an Inner List. */
    public sealed interface Member permits Item, InnerList {
        List<Parameter> parameters();
    }

    /** A bare item with its parameters. */
    public record Item(Object value, List<Parameter> parameters) implements Member {
        public Item {
            Objects.requireNonNull(value, "value");
            parameters = List.copyOf(parameters);
        }
    }

    /** An Inner List of items, with the list's own parameters. */
    public record InnerList(List<Item> items, List<Parameter> parameters) implements Member {
        public InnerList {
            items = List.copyOf(items);
            parameters = List.copyOf(parameters);
        }
    }

    /** A Dictionary member. */
    public record DictionaryMember(String key, Member value) {
        public DictionaryMember {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    // ---- serializing (RFC 8941 §4.1) -----------------------------------------------------------------------------

    public static String serializeList(List<? extends Member> members) {
        StringBuilder out = new StringBuilder();
        for (Member m : members) {
            if (out.length() > 0) {
                out.append(", ");
            }
            serializeMember(m, out);
        }
        return out.toString();
    }

    public static String serializeDictionary(List<DictionaryMember> members) {
        StringBuilder out = new StringBuilder();
        for (DictionaryMember m : members) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(checkKey(m.key()));
            if (m.value() instanceof Item item && Boolean.TRUE.equals(item.value())) {
                serializeParameters(item.parameters(), out);
            } else {
                out.append('=');
                serializeMember(m.value(), out);
            }
        }
        return out.toString();
    }

    /** An Item or Inner List with its parameters, as a List member or Dictionary member value. */
    public static String serializeMember(Member member) {
        StringBuilder out = new StringBuilder();
        serializeMember(member, out);
        return out.toString();
    }

    private static void serializeMember(Member member, StringBuilder out) {
        if (member instanceof InnerList list) {
            out.append('(');
            for (int i = 0; i < list.items().size(); i++) {
                if (i > 0) {
                    out.append(' ');
                }
                serializeMember(list.items().get(i), out);
            }
            out.append(')');
            serializeParameters(list.parameters(), out);
        } else {
            Item item = (Item) member;
            serializeBareItem(item.value(), out);
            serializeParameters(item.parameters(), out);
        }
    }

    public static String serializeParameters(List<Parameter> parameters) {
        StringBuilder out = new StringBuilder();
        serializeParameters(parameters, out);
        return out.toString();
    }

    private static void serializeParameters(List<Parameter> parameters, StringBuilder out) {
        for (Parameter p : parameters) {
            out.append(';').append(checkKey(p.key()));
            if (!Boolean.TRUE.equals(p.value())) {
                out.append('=');
                serializeBareItem(p.value(), out);
            }
        }
    }

    public static String serializeBareItem(Object value) {
        StringBuilder out = new StringBuilder();
        serializeBareItem(value, out);
        return out.toString();
    }

    private static void serializeBareItem(Object value, StringBuilder out) {
        if (value instanceof Long n) {
            if (Math.abs(n) > 999_999_999_999_999L) {
                throw new IllegalArgumentException("integer out of range: " + n);
            }
            out.append(n);
        } else if (value instanceof Integer n) {
            out.append(n.longValue());
        } else if (value instanceof BigDecimal d) {
            BigDecimal rounded = d.setScale(3, RoundingMode.HALF_EVEN);
            if (rounded.abs().compareTo(new BigDecimal("999999999999.999")) > 0) {
                throw new IllegalArgumentException("decimal out of range: " + d);
            }
            String plain = rounded.stripTrailingZeros().toPlainString();
            out.append(plain.contains(".") ? plain : plain + ".0");
        } else if (value instanceof String str) {
            out.append('"');
            for (int i = 0; i < str.length(); i++) {
                char c = str.charAt(i);
                if (c < 0x20 || c > 0x7e) {
                    throw new IllegalArgumentException("a string holds printable ASCII only");
                }
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            out.append('"');
        } else if (value instanceof Token t) {
            out.append(checkToken(t.value()));
        } else if (value instanceof ByteSequence b) {
            out.append(':').append(Base64.getEncoder().encodeToString(b.value().toByteArray())).append(':');
        } else if (value instanceof Boolean b) {
            out.append(b ? "?1" : "?0");
        } else {
            throw new IllegalArgumentException("not a bare item: " + value.getClass());
        }
    }

    // ---- character classes -----------------------------------------------------------------------------------

    /** Whether {@code s} is a valid sf-key. */
    public static boolean isKey(String s) {
        if (s.isEmpty() || !(isLcAlpha(s.charAt(0)) || s.charAt(0) == '*')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!isKeyChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s} can be serialized as an sf-string (printable ASCII). */
    public static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** An RFC 9110 tchar. */
    public static boolean isTchar(char c) {
        return isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String checkKey(String key) {
        if (!isKey(key)) {
            throw new IllegalArgumentException("not an sf-key: " + key);
        }
        return key;
    }

    private static String checkToken(String token) {
        boolean ok = !token.isEmpty() && (isAlpha(token.charAt(0)) || token.charAt(0) == '*');
        for (int i = 1; ok && i < token.length(); i++) {
            char c = token.charAt(i);
            ok = isTchar(c) || c == ':' || c == '/';
        }
        if (!ok) {
            throw new IllegalArgumentException("not an sf-token: " + token);
        }
        return token;
    }

    static boolean isKeyChar(char c) {
        return isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*';
    }

    static boolean isLcAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
