package dev.portcullis.rego.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random doubles and decimal strings against Java's (correctly rounded) conversions. */
class NumberFuzzTest {

    private final RuntimeHarness rt = new RuntimeHarness();

    private static int significantDigits(String s) {
        String mant = s.replaceFirst("^-", "").replaceFirst("[eE].*$", "").replace(".", "");
        mant = mant.replaceFirst("^0+", "").replaceFirst("0+$", "");
        return Math.max(1, mant.length());
    }

    @Test
    void dumpedDoublesReadBackExactlyAndAreShortest() {
        Random r = new Random(42);
        int heap = rt.call("opa_heap_ptr_get");
        for (int i = 0; i < 1500; i++) {
            double d;
            switch (i % 3) {
                case 0 -> d = Double.longBitsToDouble(r.nextLong());
                case 1 -> d = r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
                default -> d = (r.nextInt(2_000_000) - 1_000_000) / 1000.0;
            }
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                continue;
            }
            rt.call("opa_heap_ptr_set", heap);
            String text = rt.dump(rt.call("pc_float", Double.doubleToRawLongBits(d)));
            assertEquals(d == 0 ? 0.0 : d, Double.parseDouble(text), 0.0, text);
            // Java 19+ Double.toString is shortest too; never print more digits than it needs
            String java = Double.toString(d);
            assertTrue(significantDigits(text) <= significantDigits(java), text + " vs " + java);
            assertTrue(text.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?(e[+-][1-9][0-9]*)?"), text);
        }
    }

    @Test
    void parsedDecimalsAreCorrectlyRounded() {
        Random r = new Random(7);
        int heap = rt.call("opa_heap_ptr_get");
        for (int i = 0; i < 1500; i++) {
            StringBuilder sb = new StringBuilder();
            if (r.nextBoolean()) {
                sb.append('-');
            }
            int digits = 1 + r.nextInt(i % 2 == 0 ? 17 : 30);
            sb.append(1 + r.nextInt(9));
            for (int k = 1; k < digits; k++) {
                sb.append(r.nextInt(10));
            }
            sb.append(".").append(r.nextInt(10));
            sb.append('e').append(r.nextInt(640) - 330);
            String text = sb.toString();
            double expected = new BigDecimal(text).doubleValue();
            if (Double.isInfinite(expected)) {
                continue;
            }
            rt.call("opa_heap_ptr_set", heap);
            int v = rt.json(text);
            assertTrue(v != 0, text);
            String out = rt.dump(v);
            assertEquals(expected, Double.parseDouble(out), 0.0, text + " -> " + out);
        }
    }

    /** A decimal with at most 15 significant digits is the unique shortest text of its double (DBL_DIG). */
    @Test
    void shortDecimalsPrintAsThemselves() {
        Random r = new Random(11);
        int heap = rt.call("opa_heap_ptr_get");
        for (int i = 0; i < 1500; i++) {
            StringBuilder sb = new StringBuilder();
            if (r.nextBoolean()) {
                sb.append('-');
            }
            int digits = 1 + r.nextInt(15);
            sb.append(1 + r.nextInt(9));
            for (int k = 1; k < digits; k++) {
                sb.append(r.nextInt(10));
            }
            sb.append('e').append(r.nextInt(i % 2 == 0 ? 60 : 600) - (i % 2 == 0 ? 30 : 300));
            String text = sb.toString();
            if (Double.isInfinite(new BigDecimal(text).doubleValue())) {
                continue;
            }
            rt.call("opa_heap_ptr_set", heap);
            int v = rt.json(text);
            assertTrue(v != 0, text);
            String out = rt.dump(v);
            assertEquals(0, new BigDecimal(text).compareTo(new BigDecimal(out)), text + " -> " + out);
        }
    }
}
