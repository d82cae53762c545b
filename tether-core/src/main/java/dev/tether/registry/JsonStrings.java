package dev.tether.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Lists of strings (argv, tags) as JSON arrays: readable with the {@code sqlite3} shell and
 * searchable with SQLite's {@code json_each}, without a JSON library in the core.
 */
final class JsonStrings {
    private JsonStrings() {}

    static String encode(Collection<String> values) {
        StringBuilder out = new StringBuilder(16 * values.size() + 2).append('[');
        boolean first = true;
        for (String v : values) {
            if (!first) {
                out.append(',');
            }
            first = false;
            appendString(out, v);
        }
        return out.append(']').toString();
    }

    private static void appendString(StringBuilder out, String v) {
        out.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Parses an array of strings as {@link #encode} writes it (any valid JSON spacing and escapes). */
    static List<String> decode(String json) {
        Parser p = new Parser(json);
        List<String> out = new ArrayList<>();
        p.skipSpace();
        p.expect('[');
        p.skipSpace();
        if (p.peek() == ']') {
            p.pos++;
        } else {
            while (true) {
                p.skipSpace();
                out.add(p.string());
                p.skipSpace();
                char c = p.next();
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw p.error("expected ',' or ']'");
                }
            }
        }
        p.skipSpace();
        if (p.pos != json.length()) {
            throw p.error("unexpected text after the array");
        }
        return out;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) {
                throw error("expected '" + c + "'");
            }
        }

        void skipSpace() {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        out.append((char) Integer.parseInt(s, pos, pos + 4, 16));
                        pos += 4;
                    }
                    default -> throw error("bad escape '\\" + e + "'");
                }
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("not a JSON array of strings at offset " + pos + ": " + what);
        }
    }
}
