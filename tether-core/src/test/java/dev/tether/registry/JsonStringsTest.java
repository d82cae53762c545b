package dev.tether.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonStringsTest {
    @Test
    void roundTripsAwkwardStrings() {
        List<String> values = List.of("", "plain", "quote\"d", "back\\slash", "tab\tnew\nline\r", "\u0001\u001f",
                "ünïcødé 😀", "/slash", "[\"not\",\"nested\"]");
        String json = JsonStrings.encode(values);
        assertThat(JsonStrings.decode(json)).containsExactlyElementsOf(values);
        assertThat(JsonStrings.encode(List.of())).isEqualTo("[]");
        assertThat(JsonStrings.decode("[]")).isEmpty();
    }

    @Test
    void writesPlainJson() {
        assertThat(JsonStrings.encode(List.of("a", "b\"c"))).isEqualTo("[\"a\",\"b\\\"c\"]");
        assertThat(JsonStrings.decode(" [ \"a\" , \"\\u0041\\/\" ] ")).containsExactly("a", "A/");
    }

    @Test
    void rejectsWhatIsNotAnArrayOfStrings() {
        for (String bad : List.of("", "[", "[1]", "[\"a\"", "[\"a\"]x", "{\"a\":1}", "[\"\\x\"]")) {
            assertThatThrownBy(() -> JsonStrings.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a JSON array of strings");
        }
    }
}
