package dev.tether.bench;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

/** Writes records, lists, maps, strings and numbers as JSON (the bench needs no library for that). */
final class Json {
    private Json() {}

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, "");
        return out.append('\n').toString();
    }

    private static void write(Object v, StringBuilder out, String indent) {
        String inner = indent + "  ";
        switch (v) {
            case null -> out.append("null");
            case String s -> string(s, out);
            case Enum<?> e -> string(e.name(), out);
            case Boolean b -> out.append(b);
            case Double d -> out.append(Double.isFinite(d) ? d.toString() : "null");
            case Number n -> out.append(n);
            case Collection<?> c -> {
                if (c.isEmpty()) {
                    out.append("[]");
                    return;
                }
                boolean scalars = c.stream().allMatch(x -> x instanceof Number);
                out.append('[');
                String sep = "";
                for (Object x : c) {
                    out.append(sep).append(scalars ? "" : "\n" + inner);
                    write(x, out, inner);
                    sep = scalars ? ", " : ",";
                }
                out.append(scalars ? "" : "\n" + indent).append(']');
            }
            case Map<?, ?> m -> {
                out.append('{');
                String sep = "";
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.append(sep).append('\n').append(inner);
                    string(String.valueOf(e.getKey()), out);
                    out.append(": ");
                    write(e.getValue(), out, inner);
                    sep = ",";
                }
                out.append(m.isEmpty() ? "" : "\n" + indent).append('}');
            }
            case Record r -> {
                out.append('{');
                String sep = "";
                for (RecordComponent c : r.getClass().getRecordComponents()) {
                    out.append(sep).append('\n').append(inner);
                    string(c.getName(), out);
                    out.append(": ");
                    try {
                        write(c.getAccessor().invoke(r), out, inner);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass(), e);
                    }
                    sep = ",";
                }
                out.append('\n').append(indent).append('}');
            }
            default -> string(v.toString(), out);
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
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
}
