package dev.portcullis.rego.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArithmeticTest {

    private final RuntimeHarness rt = new RuntimeHarness();

    /** Expected values are OPA's: exact integers, 64-bit big.Float for the rest, results as text. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "UNDEF", value = {
        "pc_plus|1|2|3", "pc_plus|1|0.5|1.5", "pc_plus|0.1|0.2|0.3",
        "pc_plus|9223372036854775807|1|9223372036854775808", "pc_plus|1|\"a\"|UNDEF", "pc_plus|{1}|{2}|UNDEF",
        "pc_plus|28857836529306024611913|1|28857836529306024611914", "pc_plus|1.0|2|3", "pc_plus|1e3|1|1001",
        "pc_plus|-0.5|0.5|0",
        "pc_minus|5|7|-2", "pc_minus|-9223372036854775808|1|-9223372036854775809",
        "pc_minus|28857836529306024611913|28857836529306024611912|1",
        "pc_minus|1.5|0.5|1", "pc_minus|0.3|0.1|0.20000000000000000002", "pc_minus|{1,2,3}|{2}|{1,3}", "pc_minus|{1}|{1}|set()",
        "pc_minus|{1}|1|UNDEF",
        "pc_mul|6|7|42", "pc_mul|4294967296|4294967296|18446744073709551616",
        "pc_mul|-9223372036854775808|-1|9223372036854775808", "pc_mul|3037000500|3037000500|9223372037000250000",
        "pc_mul|-3|0.5|-1.5", "pc_mul|0|-9223372036854775808|0", "pc_mul|2.5|1.1|2.75",
        "pc_mul|0.1|0.1|0.010000000000000000001", "pc_mul|1234567.5|1|1.2345675e+06", "pc_mul|0.00001|1|1e-05",
        "pc_div|6|3|2", "pc_div|7|2|3.5", "pc_div|1|3|0.33333333333333333334", "pc_div|2|3|0.6666666666666666667",
        "pc_div|1|0|UNDEF", "pc_div|1|0.0|UNDEF", "pc_div|1|0e5|UNDEF",
        "pc_div|-9223372036854775808|-1|9223372036854775808", "pc_div|1.5|0.5|3", "pc_div|0|-5|-0",
        "pc_div|1e109|1e100|1000000000", "pc_div|\"a\"|1|UNDEF",
        "pc_rem|7|3|1", "pc_rem|-7|3|-1", "pc_rem|7|-3|1", "pc_rem|7|0|UNDEF", "pc_rem|7.5|2|UNDEF",
        "pc_rem|8.0|3|2", "pc_rem|-9223372036854775808|-1|0", "pc_rem|28857836529306024611913|10|3",
        "pc_rem|10|18446744073709551616|10", "pc_rem|5|0.0|UNDEF",
        "pc_union|{1,3}|{2,3}|{1,2,3}", "pc_union|set()|set()|set()", "pc_union|[1]|{1}|UNDEF",
        "pc_intersect|{1,2,3}|{2,3,4}|{2,3}", "pc_intersect|{1}|{2}|set()", "pc_intersect|{1}|[1]|UNDEF"
    })
    void operators(String fn, String a, String b, String expected) {
        assertEquals(expected, rt.op(fn, a, b), fn + "(" + a + ", " + b + ")");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "28857836529306024611913|28857836529306024611912|1", "1|1.0|0", "1e3|1000|0", "0.1|0.10000000000000000001|-1",
        "-0|0|0", "2e308|1e308|1", "-2e308|1e308|-1", "1e-400|0|1", "123456789012345678901234567890|1.2345678901234567890123456789e29|0",
        "9223372036854775807|9223372036854775808|-1", "-9223372036854775808|-9223372036854775809|1", "0.5|0.49999999999999999999|1"
    })
    void numbersCompareByExactValue(String a, String b, int sign) {
        assertEquals(sign, rt.compare(a, b), a + " vs " + b);
        assertEquals(sign == 0 ? 1 : 0, rt.call("pc_equal", rt.value(a), rt.value(b)), a + " == " + b);
    }

    @Test
    void literalTextIsKept() {
        for (String t : new String[] {"1.0", "1e3", "2e308", "-0", "0.10", "12345678901234567890123", "1E+2"}) {
            assertEquals(t, rt.vdump(rt.call("pc_num", rt.cstring(t), t.length())), t);
        }
        assertEquals("5", rt.vdump(rt.call("pc_num", rt.cstring("5"), 1)));
        assertEquals(0, rt.call("pc_num", rt.cstring("01"), 2), "not JSON number grammar");
        assertEquals(0, rt.call("pc_num", rt.cstring("1e999999999"), 11), "exponent beyond 1e8 is refused");
    }

    @Test
    void arithmeticOnAbsurdlyLargeNumbersAbortsInsteadOfRunningForMinutes() {
        RuntimeHarness.Abort e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeHarness.Abort.class,
                () -> rt.op("pc_plus", "1e99999", "1"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("number too large"), e.getMessage());
        assertEquals(1, rt.compare("1e99999", "1"), "comparing them is fine");
    }

    @Test
    void constructorsRoundTrip() {
        assertEquals("-42", rt.vdump(rt.call("pc_int", -42L)));
        assertEquals("9223372036854775807", rt.vdump(rt.call("pc_int", Long.MAX_VALUE)));
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
