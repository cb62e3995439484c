package dev.portcullis.rego.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every pc_bi_* export. Rows are "name | operands (';'-separated Rego value text) | result"; UNDEF means the
 * builtin is undefined (returns 0).
 */
class BuiltinsTest {

    private final RuntimeHarness rt = new RuntimeHarness();

    private void check(String name, String operands, String expected) {
        String[] ops = operands.split(";", -1);
        assertEquals(expected, rt.builtin(name, ops), name + "(" + operands + ")");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "UNDEF", quoteCharacter = '`', value = {
        "count|\"héllo😀\"|6", "count|\"\"|0", "count|[1,2,3]|3", "count|{\"a\":1}|1", "count|{1,2}|2",
        "count|set()|0", "count|1|UNDEF", "count|null|UNDEF",
        "sum|[1,2,3.5]|6.5", "sum|[]|0", "sum|{1,2}|3", "sum|[1,\"a\"]|UNDEF", "sum|\"a\"|UNDEF",
        "sum|[9223372036854775807,1]|9223372036854775808", "sum|[0.1,0.2]|0.3", "product|[0.1,0.1]|0.010000000000000000001", "product|[9223372036854775807,2]|18446744073709551614",
        "product|[2,3,4]|24", "product|[]|1", "product|{2,0.5}|1", "product|[1,null]|UNDEF",
        "max|[1,3,2]|3", "max|{\"a\",\"b\"}|\"b\"", "max|[1,\"a\",null]|\"a\"", "max|[]|UNDEF", "max|set()|UNDEF",
        "max|1|UNDEF",
        "min|[3,1,2]|1", "min|{[1],null}|null", "min|[]|UNDEF",
        "sort|[3,1,2,1]|[1,1,2,3]", "sort|{3,1}|[1,3]", "sort|[]|[]", "sort|\"abc\"|UNDEF",
        "abs|-5|5", "abs|5|5", "abs|-2.5|2.5", "abs|-9223372036854775808|9223372036854775808", "abs|-28857836529306024611913|28857836529306024611913", "abs|\"1\"|UNDEF",
        "round|2.5|3", "round|-2.5|-3", "round|2.4999|2", "round|-0.4|0", "round|7|7", "round|1e3|1000", "round|-0.5|-1", "ceil|-0.5|0", "floor|-0.5|-1", "floor|0.5|0", "ceil|0.5|1", "round|0.49999999999999999999999|1",
        "round|0.49999999999999994|0", "round|null|UNDEF",
        "ceil|1.1|2", "ceil|-1.1|-1", "ceil|4|4", "ceil|\"x\"|UNDEF",
        "floor|1.9|1", "floor|-1.1|-2", "floor|4|4", "floor|true|UNDEF",
        "to_number|\"42\"|42", "to_number|\"-1.5\"|-1.5", "to_number|\"1e3\"|1e3", "to_number|\"+7\"|7",
        "to_number|null|0", "to_number|true|1", "to_number|false|0", "to_number|3.5|3.5",
        "to_number|\"abc\"|UNDEF", "to_number|\"\"|UNDEF", "to_number|\" 1\"|UNDEF", "to_number|\"1e400\"|UNDEF",
        "to_number|[]|UNDEF",
        "lower|\"AbC ÀÉÎ ΑΒΓ ΆΏ АБВ ЁЂ Ā\"|\"abc àéî αβγ άώ абв ёђ ā\"", "lower|1|UNDEF",
        "upper|\"abc àéîÿ αβγς άώ абв ёђ ā µ\"|\"ABC ÀÉÎŸ ΑΒΓΣ ΆΏ АБВ ЁЂ Ā Μ\"", "upper|\"😀x\"|\"😀X\"",
        "upper|null|UNDEF",
        "trim_space|\" \\t\\n a b \\r\"|\"a b\"", "trim_space|\"\u00a0\u3000x\u2003\"|\"x\"", "trim_space|\"\"|\"\"",
        "trim_space|1|UNDEF",
        "is_string|\"a\"|true", "is_string|1|false", "is_number|1.5|true", "is_number|\"1\"|false",
        "is_boolean|false|true", "is_boolean|null|false", "is_array|[]|true", "is_array|set()|false",
        "is_object|{}|true", "is_object|[]|false", "is_set|set()|true", "is_set|{}|false",
        "is_null|null|true", "is_null|false|false",
        "type_name|null|\"null\"", "type_name|true|\"boolean\"", "type_name|1|\"number\"", "type_name|\"\"|\"string\"",
        "type_name|[]|\"array\"", "type_name|{}|\"object\"", "type_name|set()|\"set\"",
        "object_keys|{\"b\":1,\"a\":2}|{\"a\",\"b\"}", "object_keys|{}|set()", "object_keys|[1]|UNDEF",
        "array_reverse|[1,2,3]|[3,2,1]", "array_reverse|[]|[]", "array_reverse|{1}|UNDEF",
        "union|{{1,2},{2,3},set()}|{1,2,3}", "union|set()|set()", "union|{{1},[2]}|UNDEF", "union|[{1}]|UNDEF",
        "intersection|{{1,2,3},{2,3,4},{3,2}}|{2,3}", "intersection|set()|set()", "intersection|{{1},{2}}|set()",
        "intersection|{{1},1}|UNDEF"
    })
    void unary(String name, String operands, String expected) {
        check(name, operands, expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "UNDEF", quoteCharacter = '`', value = {
        "numbers_range|1|4|[1,2,3,4]", "numbers_range|3|1|[3,2,1]", "numbers_range|2|2|[2]",
        "numbers_range|-1|1|[-1,0,1]", "numbers_range|1.5|3|UNDEF", "numbers_range|1.0|2|[1,2]",
        "numbers_range|\"1\"|2|UNDEF",
        "concat|\", \"|[\"a\",\"b\",\"c\"]|\"a, b, c\"", "concat|\"-\"|{\"b\",\"a\"}|\"a-b\"", "concat|\"-\"|[]|\"\"",
        "concat|\"\"|[\"x\",\"y\"]|\"xy\"", "concat|\"-\"|[\"a\",1]|UNDEF", "concat|1|[\"a\"]|UNDEF",
        "contains|\"hello\"|\"ell\"|true", "contains|\"hello\"|\"\"|true", "contains|\"hello\"|\"xyz\"|false",
        "contains|1|\"1\"|UNDEF",
        "startswith|\"hello\"|\"he\"|true", "startswith|\"hello\"|\"lo\"|false", "startswith|\"h\"|\"hello\"|false",
        "endswith|\"hello\"|\"lo\"|true", "endswith|\"hello\"|\"he\"|false", "endswith|\"hello\"|1|UNDEF",
        "split|\"a,b,,c\"|\",\"|[\"a\",\"b\",\"\",\"c\"]", "split|\"\"|\",\"|[\"\"]", "split|\"abc\"|\"\"|[\"a\",\"b\",\"c\"]",
        "split|\"é😀\"|\"\"|[\"é\",\"😀\"]", "split|\"a::b\"|\"::\"|[\"a\",\"b\"]", "split|\"abc\"|\"x\"|[\"abc\"]",
        "split|1|\",\"|UNDEF",
        "trim|\"xxhixyx\"|\"xy\"|\"hi\"", "trim|\"  a  \"|\" \"|\"a\"", "trim|\"aaa\"|\"a\"|\"\"", "trim|\"abc\"|\"\"|\"abc\"",
        "trim|\"éaé\"|\"é\"|\"a\"",
        "trim_left|\"xxhix\"|\"x\"|\"hix\"", "trim_right|\"xxhix\"|\"x\"|\"xxhi\"", "trim_left|1|\"x\"|UNDEF",
        "trim_prefix|\"foobar\"|\"foo\"|\"bar\"", "trim_prefix|\"foobar\"|\"bar\"|\"foobar\"",
        "trim_suffix|\"foobar\"|\"bar\"|\"foo\"", "trim_suffix|\"foobar\"|\"foo\"|\"foobar\"", "trim_suffix|\"a\"|1|UNDEF",
        "indexof|\"hello\"|\"l\"|2", "indexof|\"héllo\"|\"l\"|2", "indexof|\"😀a\"|\"a\"|1", "indexof|\"abc\"|\"z\"|-1",
        "indexof|\"abc\"|\"\"|UNDEF", "indexof|1|\"a\"|UNDEF",
        "format_int|255|16|\"ff\"", "format_int|255|2|\"11111111\"", "format_int|8|8|\"10\"", "format_int|-255|16|\"-ff\"",
        "format_int|3.9|10|\"3\"", "format_int|-3.9|10|\"-3\"", "format_int|0|2|\"0\"", "format_int|10|3|UNDEF",
        "format_int|\"1\"|10|UNDEF",
        "object_remove|{\"a\":1,\"b\":2,\"c\":3}|[\"a\",\"x\"]|{\"b\":2,\"c\":3}",
        "object_remove|{\"a\":1,\"b\":2}|{\"b\"}|{\"a\":1}", "object_remove|{\"a\":1,\"b\":2}|{\"a\":0}|{\"b\":2}",
        "object_remove|{\"a\":1}|\"a\"|UNDEF", "object_remove|[1]|[]|UNDEF",
        "object_union|{\"a\":1,\"b\":{\"c\":1,\"d\":2}}|{\"b\":{\"d\":3,\"e\":4},\"f\":5}|{\"a\":1,\"b\":{\"c\":1,\"d\":3,\"e\":4},\"f\":5}",
        "object_union|{\"a\":{\"b\":1}}|{\"a\":2}|{\"a\":2}", "object_union|{}|{}|{}", "object_union|{}|[]|UNDEF",
        "array_concat|[1,2]|[3]|[1,2,3]", "array_concat|[]|[]|[]", "array_concat|[1]|{2}|UNDEF"
    })
    void binary(String name, String a, String b, String expected) {
        check(name, a + ";" + b, expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "UNDEF", quoteCharacter = '`', value = {
        "replace|\"a.b.c\"|\".\"|\"/\"|\"a/b/c\"", "replace|\"aaa\"|\"a\"|\"aa\"|\"aaaaaa\"",
        "replace|\"abc\"|\"\"|\"-\"|\"-a-b-c-\"", "replace|\"abc\"|\"x\"|\"y\"|\"abc\"", "replace|\"abc\"|1|\"y\"|UNDEF",
        "substring|\"hello\"|1|3|\"ell\"", "substring|\"héllo😀\"|1|-1|\"éllo😀\"", "substring|\"hello\"|1|100|\"ello\"",
        "substring|\"hello\"|5|1|\"\"", "substring|\"hello\"|9|1|\"\"", "substring|\"hello\"|-1|1|UNDEF",
        "substring|\"hello\"|1.5|1|UNDEF", "substring|\"😀😁😂\"|1|1|\"😁\"", "substring|1|0|1|UNDEF",
        "object_get|{\"a\":1}|\"a\"|0|1", "object_get|{\"a\":1}|\"b\"|0|0",
        "object_get|{\"a\":{\"b\":[10,{\"c\":true}]}}|[\"a\",\"b\",1,\"c\"]|false|true",
        "object_get|{\"a\":{\"b\":1}}|[\"a\",\"x\"]|\"d\"|\"d\"", "object_get|{\"a\":1}|[]|0|{\"a\":1}",
        "object_get|{\"a\":{\"s\":{1}}}|[\"a\",\"s\",1]|0|1", "object_get|[1]|0|0|UNDEF",
        "object_get|{[1]:2}|[1]|0|0",
        "array_slice|[1,2,3,4]|1|3|[2,3]", "array_slice|[1,2,3]|-5|2|[1,2]", "array_slice|[1,2,3]|1|10|[2,3]",
        "array_slice|[1,2,3]|2|1|[]", "array_slice|[1,2,3]|5|9|[]", "array_slice|[1,2,3]|0.5|1|UNDEF",
        "array_slice|{1}|0|1|UNDEF"
    })
    void ternary(String name, String a, String b, String c, String expected) {
        check(name, a + ";" + b + ";" + c, expected);
    }
}
