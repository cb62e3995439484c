package dev.portcullis.rego.runtime;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Test oracle: OPA's number arithmetic, written independently of the C runtime with Java's exact
 * BigInteger/BigDecimal. Integers are exact; anything else is Go's big.Float with a 64-bit
 * mantissa (round to nearest even) and the result is Go's Float.Text: 'f' for integers, else 'g'
 * with the shortest digits that read back as the same float.
 */
final class GoBigFloat {

    private static final int PREC = 64;

    /** An exact rational num/den, den > 0. */
    record Rat(BigInteger num, BigInteger den) {
        static Rat of(BigDecimal d) {
            return d.scale() >= 0 ? new Rat(d.unscaledValue(), BigInteger.TEN.pow(d.scale()))
                    : new Rat(d.unscaledValue().multiply(BigInteger.TEN.pow(-d.scale())), BigInteger.ONE);
        }

        Rat add(Rat o) {
            return new Rat(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
        }

        Rat sub(Rat o) {
            return add(new Rat(o.num.negate(), o.den));
        }

        Rat mul(Rat o) {
            return new Rat(num.multiply(o.num), den.multiply(o.den));
        }

        Rat div(Rat o) {
            BigInteger n = num.multiply(o.den), d = den.multiply(o.num);
            return d.signum() < 0 ? new Rat(n.negate(), d.negate()) : new Rat(n, d);
        }

        BigDecimal decimal() {
            return new BigDecimal(num).divide(new BigDecimal(den), MathContext.UNLIMITED);
        }
    }

    /** Rounds r to a 64-bit mantissa, ties to even; the result is again an exact rational. */
    static Rat round(Rat r) {
        if (r.num.signum() == 0) {
            return r;
        }
        BigInteger n = r.num.abs();
        int e = n.bitLength() - r.den.bitLength() - PREC;
        BigInteger q;
        BigInteger[] qr;
        while (true) {
            BigInteger nn = e < 0 ? n.shiftLeft(-e) : n;
            BigInteger dd = e > 0 ? r.den.shiftLeft(e) : r.den;
            qr = nn.divideAndRemainder(dd);
            q = qr[0];
            if (q.bitLength() > PREC) {
                e++;
            } else if (q.bitLength() < PREC) {
                e--;
            } else {
                BigInteger twice = qr[1].shiftLeft(1);
                int c = twice.compareTo(dd);
                if (c > 0 || (c == 0 && q.testBit(0))) {
                    q = q.add(BigInteger.ONE);
                }
                break;
            }
        }
        BigInteger num = r.num.signum() < 0 ? q.negate() : q;
        return e >= 0 ? new Rat(num.shiftLeft(e), BigInteger.ONE) : new Rat(num, BigInteger.ONE.shiftLeft(-e));
    }

    private static BigDecimal pow2(int e) {
        return e >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(e))
                : BigDecimal.ONE.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
    }

    /** The significant digits of a positive decimal, without trailing zeros. */
    private static String digits(BigDecimal v) {
        return v.unscaledValue().toString().replaceFirst("0+$", "");
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : '0';
    }

    static boolean isInteger(Rat r) {
        return r.num.mod(r.den).signum() == 0;
    }

    /** Go's Float.Text(f or g, -1) of a value that is already rounded to 64 bits. */
    static String text(Rat x) {
        if (x.num.signum() == 0) {
            return "0";
        }
        BigDecimal exact = x.decimal();
        // Go's math/big roundShortest: bounds x -/+ half an ulp as exact decimals, compared with
        // x digit by digit (by index, decimal points not aligned, as Go does)
        BigDecimal abs = exact.abs();
        BigInteger mant = x.num.abs();
        int e2 = 0;
        BigInteger den = x.den;
        while (den.compareTo(BigInteger.ONE) > 0) {
            den = den.shiftRight(1);
            e2--;
        }
        while (mant.bitLength() > PREC) { // integers: strip to 64 significant bits (exactly)
            mant = mant.shiftRight(1);
            e2++;
        }
        while (mant.bitLength() < PREC) {
            mant = mant.shiftLeft(1);
            e2--;
        }
        BigInteger twice = mant.shiftLeft(1);
        BigDecimal half = new BigDecimal(BigInteger.ONE).multiply(pow2(e2 - 1));
        String d = digits(abs), lo = digits(abs.subtract(half)), up = digits(abs.add(half));
        int dp = abs.precision() - abs.scale();
        boolean inclusive = !twice.testBit(1);
        String result = d;
        for (int i = 0; i < d.length(); i++) {
            char l = at(lo, i), m = d.charAt(i), u = at(up, i);
            boolean okdown = l != m || inclusive && i + 1 == lo.length();
            boolean okup = m != u && (inclusive || m + 1 < u || i + 1 < up.length());
            boolean roundUp;
            if (okdown && okup) {
                char next = at(d, i + 1);
                roundUp = next == '5' && i + 2 == d.length() ? ((m - '0') & 1) != 0 : next >= '5';
            } else if (okdown || okup) {
                roundUp = okup;
            } else {
                continue;
            }
            BigInteger kept = new BigInteger(d.substring(0, i + 1));
            if (roundUp) {
                kept = kept.add(BigInteger.ONE);
            }
            String ks = kept.toString();
            if (ks.length() > i + 1) {
                dp++;
            }
            result = ks.replaceFirst("0+$", "");
            break;
        }
        String digits = result;
        String sign = exact.signum() < 0 ? "-" : "";
        int exp = dp - 1;
        if (!isInteger(x) && (exp < -4 || exp >= 6)) {
            String m = digits.substring(0, 1) + (digits.length() > 1 ? "." + digits.substring(1) : "");
            return sign + m + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        if (dp <= 0) {
            return sign + "0." + "0".repeat(-dp) + digits;
        }
        if (dp >= digits.length()) {
            return sign + digits + "0".repeat(dp - digits.length());
        }
        return sign + digits.substring(0, dp) + "." + digits.substring(dp);
    }

    /** OPA's result text for a op b (op one of + - * /), or null when undefined. */
    static String eval(char op, String a, String b) {
        BigDecimal x = new BigDecimal(a), y = new BigDecimal(b);
        boolean ints = isIntegral(x) && isIntegral(y);
        if (op == '/' && y.signum() == 0) {
            return null;
        }
        if (ints && op != '/') {
            BigInteger p = x.toBigIntegerExact(), q = y.toBigIntegerExact();
            return (op == '+' ? p.add(q) : op == '-' ? p.subtract(q) : p.multiply(q)).toString();
        }
        if (ints && x.signum() != 0 && plainInt64(a) && plainInt64(b)
                && x.toBigIntegerExact().mod(y.toBigIntegerExact().abs()).signum() == 0) {
            return x.toBigIntegerExact().divide(y.toBigIntegerExact()).toString();
        }
        Rat rx = round(Rat.of(x)), ry = round(Rat.of(y));
        Rat r = switch (op) {
            case '+' -> rx.add(ry);
            case '-' -> rx.sub(ry);
            case '*' -> rx.mul(ry);
            default -> rx.div(ry);
        };
        r = round(r);
        if (r.num.signum() == 0) {
            // a zero quotient keeps the sign of the operands (Go's -0); sums and differences are +0
            return op == '/' && (x.signum() < 0) != (y.signum() < 0) || op == '*' && (x.signum() < 0) != (y.signum() < 0)
                    ? "-0" : "0";
        }
        return text(r);
    }

    private static boolean isIntegral(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    private static boolean plainInt64(String s) {
        if (!s.matches("-?(0|[1-9][0-9]*)")) {
            return false;
        }
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private GoBigFloat() {}
}
