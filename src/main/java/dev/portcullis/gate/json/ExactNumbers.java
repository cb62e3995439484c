package dev.portcullis.gate.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The one rule for which JSON numbers the gate accepts: exactly those that policy evaluation
 * represents without changing their value. The Wasm runtime holds a number as a 64-bit integer
 * when it is written without fraction or exponent and fits, otherwise as an IEEE double, and
 * writes doubles back in their shortest round-trip form. So a number is accepted when
 *
 * <ul>
 *   <li>it is an integer literal (no {@code .}, no exponent) within [-2^63, 2^63-1], or</li>
 *   <li>it has a fraction or exponent, the nearest double is finite, and the shortest decimal
 *       that reads back as that double is numerically equal to the literal (so {@code 0.1},
 *       {@code 1e21} and {@code 2.5E-3} pass; {@code 1e400}, {@code 1e-400} and
 *       {@code 0.10000000000000000001} do not).</li>
 * </ul>
 *
 * Anything else is refused, never rounded. When the runtime gains exact big numbers, this class
 * is the one place to widen.
 */
public final class ExactNumbers {

    /** Every decimal with at most this many significant digits survives a double round trip. */
    private static final int SAFE_DIGITS = 15;

    private ExactNumbers() {}

    /** Whether an integer literal (JSON grammar already checked) fits the runtime's int64. */
    public static boolean integerFits(String literal) {
        int digits = literal.length() - (literal.charAt(0) == '-' ? 1 : 0);
        if (digits < 19) {
            return true;
        }
        try {
            Long.parseLong(literal);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether a number literal with a fraction or exponent (JSON grammar already checked) is exact as a double. */
    public static boolean floatRoundTrips(String literal) {
        double d = Double.parseDouble(literal);
        if (!Double.isFinite(d)) {
            return false;
        }
        BigDecimal sent;
        try {
            sent = new BigDecimal(literal);
        } catch (NumberFormatException | ArithmeticException e) {
            return false; // exponent beyond what BigDecimal holds: far outside a double anyway
        }
        if (d == 0) {
            return sent.signum() == 0;
        }
        if (Math.abs(d) >= Double.MIN_NORMAL && significantDigits(sent) <= SAFE_DIGITS) {
            return true;
        }
        BigDecimal exact = new BigDecimal(d);
        for (int k = 1; k <= 17; k++) {
            BigDecimal shortest = exact.round(new MathContext(k, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(shortest.toString()) == d) {
                return shortest.compareTo(sent) == 0;
            }
        }
        return false;
    }

    private static int significantDigits(BigDecimal v) {
        return v.signum() == 0 ? 1 : v.stripTrailingZeros().precision();
    }
}
