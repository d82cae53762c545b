package dev.tether.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tether.client.ApiJson;
import java.io.PrintWriter;

/**
 * {@code --json} output: one pretty-printed document, stable snake_case field names from records.
 * What the daemon answered is printed in the API's own shape ({@link #printApi}), so a script
 * reads the same fields from {@code tether start --json} as from {@code POST /sessions}.
 */
final class Json {
    private static final ObjectWriter MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writer();
    private static final ObjectWriter API = ApiJson.mapper().writerWithDefaultPrettyPrinter();

    private Json() {}

    static void print(PrintWriter out, Object value) {
        write(out, MAPPER, value);
    }

    /** A document of the daemon's API (a {@code SessionView}, say), as the API writes it. */
    static void printApi(PrintWriter out, Object value) {
        write(out, API, value);
    }

    private static void write(PrintWriter out, ObjectWriter writer, Object value) {
        try {
            out.println(writer.writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
