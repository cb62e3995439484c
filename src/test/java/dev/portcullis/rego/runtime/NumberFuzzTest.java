package dev.portcullis.rego.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random numbers through the runtime against independent references: comparison against
 * BigDecimal, arithmetic against {@link GoBigFloat} (OPA's semantics, computed exactly in Java).
 */
class NumberFuzzTest {

    private final RuntimeHarness rt = new RuntimeHarness();

    /** A random number text of the kinds policies and inputs contain, plus big and tiny ones. */
    private static String number(Random r) {
        StringBuilder sb = new StringBuilder();
        if (r.nextInt(3) == 0) {
            sb.append('-');
        }
        switch (r.nextInt(5)) {
            case 0 -> sb.append(r.nextInt(1000));
            case 1 -> sb.append(r.nextInt(100000)).append('.').append(1 + r.nextInt(999));
            case 2 -> {
                sb.append(1 + r.nextInt(9));
                int n = r.nextInt(30);
                for (int i = 0; i < n; i++) {
                    sb.append(r.nextInt(10));
                }
            }
            case 3 -> sb.append(1 + r.nextInt(9)).append('.').append(r.nextInt(100000)).append('e').append(r.nextInt(60) - 30);
            default -> sb.append("0.").append("0".repeat(r.nextInt(8))).append(1 + r.nextInt(99999));
        }
        return sb.toString();
    }

    @Test
    void comparisonIsExact() {
        Random r = new Random(3);
        int heap = rt.call("opa_heap_ptr_get");
        for (int i = 0; i < 3000; i++) {
            String a = number(r);
            String b = i % 5 == 0 ? new BigDecimal(a).add(new BigDecimal("1e-40")).toPlainString() : number(r);
            rt.call("opa_heap_ptr_set", heap);
            assertEquals(Integer.signum(new BigDecimal(a).compareTo(new BigDecimal(b))), rt.compare(a, b), a + " vs " + b);
        }
    }

    @Test
    void arithmeticMatchesOpa() {
        Random r = new Random(5);
        int heap = rt.call("opa_heap_ptr_get");
        String[] fns = {"pc_plus", "pc_minus", "pc_mul", "pc_div"};
        char[] ops = {'+', '-', '*', '/'};
        for (int i = 0; i < 2000; i++) {
            String a = number(r), b = number(r);
            int k = r.nextInt(4);
            rt.call("opa_heap_ptr_set", heap);
            String want = GoBigFloat.eval(ops[k], a, b);
            assertEquals(want, rt.op(fns[k], a, b), a + " " + ops[k] + " " + b);
        }
    }

    @Test
    void oracleAgreesWithKnownOpaResults() {
        assertEquals("0.3", GoBigFloat.eval('+', "0.1", "0.2"));
        assertEquals("0.33333333333333333334", GoBigFloat.eval('/', "1", "3"));
        assertEquals("9223372036854775808", GoBigFloat.eval('+', "9223372036854775807", "1"));
        assertEquals("1000000000", GoBigFloat.eval('/', "1e109", "1e100"));
        assertEquals("1.2345675e+06", GoBigFloat.eval('*', "1234567.5", "1"));
    }
}
