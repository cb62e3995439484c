package dev.portcullis.rego.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompareTest {

    private final RuntimeHarness rt = new RuntimeHarness();

    /** Strictly increasing in Rego's order. */
    private static final List<String> ORDERED = List.of(
            "null", "false", "true", "-1e300", "-9223372036854775808", "-1.5", "-1", "0", "0.5", "1", "1.0000001",
            "9223372036854775807", "9223372036854775808", "1e300",
            "\"\"", "\"A\"", "\"a\"", "\"ab\"", "\"b\"", "\"é\"", "\"😀\"",
            "[]", "[null]", "[1]", "[1,1]", "[1,2]", "[2]", "[\"a\"]", "[[]]",
            "{}", "{\"a\":1}", "{\"a\":1,\"b\":0}", "{\"a\":2}", "{\"b\":0}",
            "set()", "{1}", "{1,2}", "{1,3}", "{2}");

    @Test
    void totalOrderAcrossTypes() {
        for (int i = 0; i < ORDERED.size(); i++) {
            for (int j = 0; j < ORDERED.size(); j++) {
                int expected = Integer.signum(Integer.compare(i, j));
                assertEquals(expected, rt.compare(ORDERED.get(i), ORDERED.get(j)),
                        ORDERED.get(i) + " vs " + ORDERED.get(j));
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1|1.0", "0|-0", "[1,2]|[1.0,2.0]", "{\"a\":1}|{\"a\":1.0}", "{1,2}|{2.0,1.0}",
        "100|1e2", "9007199254740993|9007199254740993", "\"x\"|\"x\""
    })
    void equalValues(String a, String b) {
        assertEquals(0, rt.compare(a, b));
        assertEquals(1, rt.call("pc_equal", rt.value(a), rt.value(b)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1|true", "0|false", "null|false", "\"1\"|1", "[1]|{1}", "{}|set()", "[]|{}",
        "9007199254740993|9007199254740992.0", "{\"a\":1}|{\"a\":1,\"b\":2}", "\"a\"|\"a\\u0000\""
    })
    void unequalValues(String a, String b) {
        assertEquals(0, rt.call("pc_equal", rt.value(a), rt.value(b)));
        assertEquals(-rt.compare(a, b), rt.compare(b, a));
    }

    @Test
    void sortBuiltinUsesTheSameOrder() {
        String shuffled = "[{2}, \"b\", {\"a\":1}, [1], 1, null, true, 0.5, \"a\", false, [], set(), {}]";
        assertEquals("[null,false,true,0.5,1,\"a\",\"b\",[],[1],{},{\"a\":1},set(),{2}]",
                rt.builtin("sort", shuffled));
    }

    @Test
    void setsAndObjectKeysDeduplicateNumericallyEqualNumbers() {
        assertEquals("{1,2}", rt.vdump(rt.value("{1, 1.0, 2, 2.0}")));
        int obj = rt.call("pc_obj_new");
        rt.call("pc_obj_insert", obj, rt.value("1"), rt.value("\"a\""));
        rt.call("pc_obj_insert", obj, rt.value("1.0"), rt.value("\"b\""));
        assertEquals("{1:\"b\"}", rt.vdump(obj));
    }

    @Test
    void isTrue() {
        assertEquals(1, rt.call("pc_is_true", rt.value("true")));
        assertEquals(0, rt.call("pc_is_true", rt.value("false")));
        assertEquals(0, rt.call("pc_is_true", rt.value("1")));
        assertEquals(0, rt.call("pc_is_true", 0));
    }
}
