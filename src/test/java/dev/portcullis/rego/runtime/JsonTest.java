package dev.portcullis.rego.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    private final RuntimeHarness rt = new RuntimeHarness();

    @Test
    void objectKeysAreSortedAndWhitespaceDropped() {
        assertEquals("{\"a\":[1,2,{\"x\":null,\"y\":true}],\"b\":false,\"c\":\"s\"}",
                rt.roundTrip(" { \"c\" : \"s\", \"a\" : [ 1 , 2 , {\"y\":true,\"x\":null} ], \"b\":false } "));
    }

    @Test
    void duplicateKeysKeepTheLastValue() {
        assertEquals("{\"a\":3,\"b\":2}", rt.roundTrip("{\"a\":1,\"b\":2,\"a\":3}"));
    }

    @Test
    void largeUnsortedObjectIsSorted() {
        StringBuilder in = new StringBuilder("{");
        StringBuilder out = new StringBuilder("{");
        for (int i = 999; i >= 0; i--) {
            in.append(i == 999 ? "" : ",").append("\"k").append(String.format("%04d", i)).append("\":").append(i);
        }
        for (int i = 0; i < 1000; i++) {
            out.append(i == 0 ? "" : ",").append("\"k").append(String.format("%04d", i)).append("\":").append(i);
        }
        assertEquals(out.append('}').toString(), rt.roundTrip(in.append('}').toString()));
    }

    /** OPA keeps a number's text: what comes in goes out unchanged (and compares by value). */
    @ParameterizedTest
    @ValueSource(strings = {
        "0", "-0", "1.0", "2.50", "-1.5e3", "1e2", "1E+2", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "1e21", "1.5e-7", "123456789012345678901234567890", "0.1000000000000000055511151231257827",
        "5e-324", "1e-400", "1e400", "-1e309", "1.8e308", "100000000000000000000000"
    })
    void numbersKeepTheirText(String in) {
        assertEquals(in, rt.roundTrip(in));
        assertEquals("[" + in + "]", rt.roundTrip("[" + in + "]"));
    }

    @Test
    void integersAreExact() {
        assertEquals("[12345678901234567,-12345678901234567]", rt.roundTrip("[12345678901234567,-12345678901234567]"));
    }

    @Test
    void setsDeduplicateNumbersByValueKeepingTheFirstText() {
        assertEquals("[1.0,2]", rt.roundTrip("{\"a\":[1.0,2]}").replaceAll("^\\{\"a\":|}$", ""));
        assertEquals("{1.0,2}", rt.vdump(rt.value("{1.0, 1, 2, 2.0}")));
    }

    @Test
    void stringEscapes() {
        assertEquals("\"a\\\"b\\\\c/d\\n\\t\\r\\b\\f\\u0001\"",
                rt.roundTrip("\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\\u0001\""));
    }

    @Test
    void unicodeEscapesBecomeUtf8() {
        assertEquals("\"é€😀\"", rt.roundTrip("\"\\u00e9\\u20AC\\ud83d\\ude00\""));
        assertEquals("\"é€😀\"", rt.roundTrip("\"é€😀\""));
        assertEquals("\"\uFFFDx\"", rt.roundTrip("\"\\ud83dx\""), "lone surrogate becomes U+FFFD");
        assertEquals("\"\uFFFD\"", rt.roundTrip("\"\\ude00\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{", "}", "[1,]", "[1 2]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{a:1}", "{1:2}", "tru", "nul",
        "01", "1.", ".5", "-", "+1", "1e", "1e+", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"a\nb\"",
        "[1]x", "set()", "{1,2}", "NaN", "Infinity", "\"\\"
    })
    void malformedJsonReturnsZero(String in) {
        assertEquals(0, rt.json(in));
    }

    @Test
    void deepNestingReturnsZeroInsteadOfTrapping() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertEquals(0, rt.json(deep));
        String obj = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        assertEquals(0, rt.json(obj));
        // the runtime is still usable afterwards
        assertEquals("[1]", rt.roundTrip("[1]"));
    }

    @Test
    void moderateNestingIsAccepted() {
        String nested = "[".repeat(500) + "]".repeat(500);
        assertEquals(nested, rt.roundTrip(nested));
    }

    @Test
    void valueTextSupportsSets() {
        assertEquals("{1,2,3}", rt.vdump(rt.value("{3, 1, 2, 1}")));
        assertEquals("set()", rt.vdump(rt.value("set()")));
        assertEquals("{}", rt.vdump(rt.value("{}")));
        assertEquals("[1,2,3]", rt.dump(rt.value("{3,2,1}")), "sets dump as sorted JSON arrays");
        assertEquals("[]", rt.dump(rt.value("set()")));
        assertEquals("{\"a\":{1,{\"b\"}}}", rt.vdump(rt.value("{\"a\": {{\"b\"}, 1}}")));
        assertEquals("{1:\"x\",\"k\":[set()]}", rt.vdump(rt.value("{\"k\":[set()], 1:\"x\"}")));
        assertEquals("{\"1\":\"x\"}", rt.dump(rt.value("{1:\"x\"}")), "non-string keys become strings in JSON");
        assertEquals(0, rt.call("opa_value_parse", rt.cstring("{1:2,3}"), 7));
        assertEquals(0, rt.call("opa_value_parse", rt.cstring("{1,2:3}"), 7));
    }

    @Test
    void parserRespectsTheGivenLength() {
        int addr = rt.cstring("[1,2]garbage");
        assertNotEquals(0, rt.call("opa_json_parse", addr, 5));
        assertEquals(0, rt.call("opa_json_parse", addr, 6));
    }

    @Test
    void controlCharactersAreEscapedOnDump() {
        int s = rt.str("a\u0000b\u001fc\u007f");
        assertEquals("\"a\\u0000b\\u001fc\u007f\"", rt.dump(s));
    }
}
