package dev.portcullis.rego.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArithmeticTest {

    private final RuntimeHarness rt = new RuntimeHarness();

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "UNDEF", value = {
        "pc_plus|1|2|3", "pc_plus|1|0.5|1.5", "pc_plus|0.1|0.2|0.30000000000000004",
        "pc_plus|9223372036854775807|1|9223372036854776000", "pc_plus|1|\"a\"|UNDEF", "pc_plus|{1}|{2}|UNDEF",
        "pc_plus|1e308|1e308|UNDEF",
        "pc_minus|5|7|-2", "pc_minus|-9223372036854775808|1|-9223372036854776000",
        "pc_minus|1.5|0.5|1", "pc_minus|{1,2,3}|{2}|{1,3}", "pc_minus|{1}|{1}|set()", "pc_minus|{1}|1|UNDEF",
        "pc_mul|6|7|42", "pc_mul|4294967296|4294967296|18446744073709552000",
        "pc_mul|-9223372036854775808|-1|9223372036854776000", "pc_mul|3037000500|3037000500|9223372037000250000",
        "pc_mul|-3|0.5|-1.5", "pc_mul|0|-9223372036854775808|0",
        "pc_div|6|3|2", "pc_div|7|2|3.5", "pc_div|1|3|0.3333333333333333", "pc_div|1|0|UNDEF",
        "pc_div|1|0.0|UNDEF", "pc_div|-9223372036854775808|-1|9223372036854776000", "pc_div|1.5|0.5|3",
        "pc_div|\"a\"|1|UNDEF",
        "pc_rem|7|3|1", "pc_rem|-7|3|-1", "pc_rem|7|-3|1", "pc_rem|7|0|UNDEF", "pc_rem|7.5|2|UNDEF",
        "pc_rem|8.0|3|2", "pc_rem|-9223372036854775808|-1|0",
        "pc_union|{1,3}|{2,3}|{1,2,3}", "pc_union|set()|set()|set()", "pc_union|[1]|{1}|UNDEF",
        "pc_intersect|{1,2,3}|{2,3,4}|{2,3}", "pc_intersect|{1}|{2}|set()", "pc_intersect|{1}|[1]|UNDEF"
    })
    void operators(String fn, String a, String b, String expected) {
        assertEquals(expected, rt.op(fn, a, b), fn + "(" + a + ", " + b + ")");
    }

    @Test
    void constructorsRoundTrip() {
        assertEquals("-42", rt.vdump(rt.call("pc_int", -42L)));
        assertEquals("9223372036854775807", rt.vdump(rt.call("pc_int", Long.MAX_VALUE)));
        assertEquals("2.5", rt.vdump(rt.call("pc_float", Double.doubleToRawLongBits(2.5))));
        assertEquals("2", rt.vdump(rt.call("pc_float", Double.doubleToRawLongBits(2.0))));
        assertEquals("null", rt.vdump(rt.call("pc_null")));
        assertEquals("true", rt.vdump(rt.call("pc_bool", 7)));
        assertEquals("false", rt.vdump(rt.call("pc_bool", 0)));
        assertEquals(rt.call("pc_bool", 1), rt.call("pc_bool", 2), "booleans are shared singletons");
    }

    @Test
    void undefinedOperandsStayUndefined() {
        assertNull(resultOrNull(rt.call("pc_plus", 0, rt.value("1"))));
        assertNull(resultOrNull(rt.call("pc_minus", rt.value("1"), 0)));
        assertNull(resultOrNull(rt.call("pc_union", 0, 0)));
    }

    private String resultOrNull(int v) {
        return v == 0 ? null : rt.vdump(v);
    }
}
