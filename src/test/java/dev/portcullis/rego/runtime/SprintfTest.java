package dev.portcullis.rego.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * sprintf against Go's fmt output for the operand types OPA passes (int64, *big.Int, float64,
 * string; composites as their Rego text). Expected strings are what OPA returns.
 */
class SprintfTest {

    private final RuntimeHarness rt = new RuntimeHarness();
    private static final ObjectMapper JSON = new ObjectMapper();

    private String sprintf(String format, String args) {
        int r = rt.call("pc_bi_sprintf", rt.value(JSONQ(format)), rt.value(args));
        if (r == 0) {
            return null;
        }
        try {
            return JSON.readValue(rt.dump(r), String.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String JSONQ(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // OPA's own conformance cases
        "hi|[]|hi", "hi %s|[\"there\"]|hi there", "hi %02d|[5]|hi 05", "hi %02X.%02X|[127, 1]|hi 7F.01",
        "hi %.2f|[3.1415]|hi 3.14", "hi %v|[2e308]|hi 2e308", "hi %s|[true]|hi true",
        "hi %v|[[\"there\", 5, 3.14]]|hi [\"there\", 5, 3.14]",
        "%s|[123456789123456789123]|123456789123456789123", "%s|[1208925819614629174706175]|1208925819614629174706175",
        // integers
        "%d|[-42]|-42", "%5d|[42]|`   42`", "%-5d|[42]|`42   `", "%05d|[-42]|-0042", "%+d|[5]|+5", "% d|[5]|` 5`",
        "%.3d|[7]|007", "%.0d|[0]|``", "%x|[255]|ff", "%X|[255]|FF", "%#x|[255]|0xff", "%x|[-255]|-ff", "%o|[8]|10",
        "%#o|[8]|010", "%O|[8]|0o10", "%b|[5]|101", "%#b|[5]|0b101", "%c|[65]|A", "%c|[9731]|☃", "%q|[65]|'A'",
        "%q|[39]|'\\''", "%U|[65]|U+0041", "%U|[128512]|U+1F600", "%v|[9223372036854775807]|9223372036854775807",
        "%d|[-9223372036854775808]|-9223372036854775808",
        // big integers
        "%d|[-18446744073709551616]|-18446744073709551616", "%x|[18446744073709551616]|10000000000000000",
        "%#X|[18446744073709551616]|0X10000000000000000", "%30d|[18446744073709551616]|`          18446744073709551616`",
        "%f|[18446744073709551616]|%!f(big.Int=18446744073709551616)",
        // floats
        "%v|[1.0]|1", "%v|[1e6]|1e+06", "%v|[123456.5]|123456.5", "%v|[0.000012]|1.2e-05", "%v|[1e-7]|1e-07",
        "%v|[100000000000000000000.0]|1e+20", "%v|[0.1]|0.1", "%v|[-0.0]|-0", "%v|[1.5e300]|1.5e+300",
        "%f|[1.5]|1.500000", "%.0f|[2.5]|2", "%.0f|[3.5]|4", "%.1f|[0.05]|0.1", "%.1f|[0.25]|0.2", "%.2f|[1.005]|1.00",
        "%e|[123456.789]|1.234568e+05", "%E|[0.000123]|1.230000E-04", "%.2e|[0.0]|0.00e+00", "%g|[0.0001]|0.0001",
        "%g|[0.00001]|1e-05", "%.3g|[3.14159]|3.14", "%.3g|[1.0]|1", "%g|[1e21]|1e+21", "%G|[1e-10]|1E-10",
        "%5.1f|[3.14159]|`  3.1`", "%08.3f|[-3.14159]|-003.142", "%-8.2f|[2.5]|`2.50    `", "%+.1f|[2.0]|+2.0",
        "%.3f|[1e-10]|0.000", "%.1f|[99.96]|100.0", "%d|[1.5]|%!d(float64=1.5)", "%d|[1.0]|%!d(float64=1)",
        "%s|[2.5]|%!s(float64=2.5)", "%v|[1e400]|1e400",
        // strings
        "%q|[\"a\\\"b\"]|\"a\\\"b\"", "%q|[\"tab\\there\"]|\"tab\\there\"", "%q|[\"é\"]|\"é\"", "%x|[\"hi\"]|6869",
        "% x|[\"hi\"]|68 69", "%X|[\"hi\"]|6869", "%.2s|[\"hello\"]|he", "%8s|[\"ab\"]|`      ab`", "%-8s|[\"ab\"]|`ab      `",
        "%.1s|[\"éa\"]|é", "%d|[\"x\"]|%!d(string=x)", "%s|[1]|%!s(int64=1)",
        // other values: their Rego text
        "%s|[null]|null", "%v|[{\"a\": 1, \"b\": [true]}]|{\"a\": 1, \"b\": [true]}", "%v|[{1, \"x\"}]|{1, \"x\"}",
        "%v|[set()]|set()", "%v|[[]]|[]", "%v|[{}]|{}", "%v|[[\"q\\\"\"]]|[\"q\\\"\"]", "%t|[true]|%!t(string=true)",
        "%d|[[1]]|%!d(string=[1])", "%v|[[1.0, 1e3]]|[1.0, 1e3]",
        // fmt's error texts
        "%d %d|[1]|1 %!d(MISSING)", "%d|[1, 2]|1%!(EXTRA int64=2)", "%d|[1, \"a\", 2.5]|1%!(EXTRA string=a, float64=2.5)",
        "%%|[]|%", "%|[]|%!(NOVERB)", "%z|[1]|%!z(int64=1)", "%*d|[5, 42]|`   42`", "%-*d|[5, 42]|`42   `",
        "%*d|[\"x\", 42]|%!(BADWIDTH)42", "%.*f|[2, 3.14159]|3.14", "%.*f|[-1, 3.14159]|%!(BADPREC)3.141590",
        "a%sb%sc|[\"1\", \"2\"]|a1b2c", "%v %v|[\"x\"]|x %!v(MISSING)"
    })
    void formatsLikeGo(String format, String args, String expected) {
        assertEquals(expected, sprintf(format, args), format + " " + args);
    }

    @Test
    void operandsOfTheWrongTypeAreUndefined() {
        assertNull(sprintf("%v", "1"));
        assertEquals(0, rt.call("pc_bi_sprintf", rt.value("1"), rt.value("[]")));
    }

    @Test
    void unimplementedFormatsAbortRatherThanGuess() {
        for (String f : new String[] {"%[1]d", "%x", "%#v", "%b"}) {
            String args = f.equals("%x") || f.equals("%b") ? "[1.5]" : "[1]";
            RuntimeHarness.Abort e = assertThrows(RuntimeHarness.Abort.class, () -> sprintf(f, args), f);
            assertTrue(e.getMessage().contains("sprintf"), e.getMessage());
        }
    }
}
