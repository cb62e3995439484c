/*
 * units.parse and units.parse_bytes, as OPA computes them: units.parse multiplies exactly
 * (big.Rat; the milli unit is the double 0.001, exactly as Go's SetFloat64 stores it) and prints
 * a non-integer with exactly ten decimals; units.parse_bytes multiplies 64-bit big.Floats and
 * truncates to an integer. Malformed amounts are undefined (OPA: an error, undefined unless strict).
 */
#include "pc.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Go's big.Float/big.Rat decimal syntax: [+-] digits [. digits] [(e|E) [+-] digits], with at
 * least one mantissa digit (".5" and "5." are numbers). */
static int go_decimal(const char *s, int32_t n, pc_dec *out, char *digits) {
    int32_t i = 0, nd = 0, frac = 0, mant = 0;
    out->neg = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        out->neg = s[i] == '-';
        i++;
    }
    while (i < n && is_digit(s[i])) {
        if (nd || s[i] != '0') {
            digits[nd++] = s[i];
        }
        mant++;
        i++;
    }
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && is_digit(s[i])) {
            if (nd || s[i] != '0') {
                digits[nd++] = s[i];
            }
            frac++;
            mant++;
            i++;
        }
    }
    if (!mant) {
        return 0;
    }
    int64_t x = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0;
        if (i < n && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i] == '-';
            i++;
        }
        if (i >= n || !is_digit(s[i])) {
            return 0;
        }
        while (i < n && is_digit(s[i])) {
            x = x * 10 + (s[i] - '0');
            if (x > 10000000) {
                return 0;
            }
            i++;
        }
        if (eneg) {
            x = -x;
        }
    }
    if (i != n) {
        return 0;
    }
    int32_t exp = (int32_t)x - frac;
    while (nd > 0 && digits[nd - 1] == '0') {
        nd--;
        exp++;
    }
    out->nd = nd;
    out->exp = nd ? exp : 0;
    out->d = digits;
    return 1;
}

/* OPA's extractNumAndUnit: the amount is the leading run of digits, '.', signs and exponents
 * (an 'e' only when a digit or sign follows); exponents of more than 6 digits are refused. */
static int split_amount(const char *s, int32_t n, int32_t *num_len) {
    for (int32_t i = 0; i < n; i++) {
        char c = s[i];
        if (!is_digit(c) && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
            *num_len = i;
            return 1;
        }
        if (c == 'e' || c == 'E') {
            if (i == n - 1 || (!is_digit(s[i + 1]) && s[i + 1] != '+' && s[i + 1] != '-')) {
                *num_len = i;
                return 1;
            }
            if (s[i + 1] == '+' || s[i + 1] == '-') {
                i++;
            }
            int32_t k = i + 1;
            while (k < n && is_digit(s[k])) {
                k++;
            }
            if (k - (i + 1) > 6) {
                return 0;
            }
        }
    }
    *num_len = n;
    return 1;
}

/* the string without double quotes; 0 when it contains a space */
static char *clean(pc_value *s, int lower, int32_t *len) {
    char *out = pc_alloc((uint32_t)s->len + 1);
    int32_t k = 0;
    for (int32_t i = 0; i < s->len; i++) {
        char c = s->u.s[i];
        if (c == ' ') {
            return 0;
        }
        if (c == '"') {
            continue;
        }
        if (lower && c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        out[k++] = c;
    }
    *len = k;
    return out;
}

static int eq(const char *a, int32_t n, const char *b) {
    return (int32_t)pc_strlen(b) == n && memcmp(a, b, (size_t)n) == 0;
}

EXPORT("pc_bi_units_parse") pc_value *pc_bi_units_parse(pc_value *x) {
    if (!x || x->type != PC_STRING) {
        return 0;
    }
    int32_t n, nl;
    char *s = clean(x, 0, &n);
    if (!s || !split_amount(s, n, &nl) || nl == 0) {
        return 0;
    }
    char *unit = s + nl;
    int32_t ul = n - nl;
    for (int32_t i = 1; i < ul; i++) { /* lower-case after the first letter: m and M differ */
        if (unit[i] >= 'A' && unit[i] <= 'Z') {
            unit[i] = (char)(unit[i] - 'A' + 'a');
        }
    }
    static const struct { const char *a, *b; uint64_t mult; } units[] = {
        {"", "", 1}, {"k", "K", 1000ull}, {"ki", "Ki", 1ull << 10}, {"M", "M", 1000000ull},
        {"mi", "Mi", 1ull << 20}, {"g", "G", 1000000000ull}, {"gi", "Gi", 1ull << 30},
        {"t", "T", 1000000000000ull}, {"ti", "Ti", 1ull << 40}, {"p", "P", 1000000000000000ull},
        {"pi", "Pi", 1ull << 50}, {"e", "E", 1000000000000000000ull}, {"ei", "Ei", 1ull << 60},
    };
    int milli = eq(unit, ul, "m");
    uint64_t mult = 0;
    for (uint32_t i = 0; i < sizeof units / sizeof units[0] && !milli; i++) {
        if (eq(unit, ul, units[i].a) || eq(unit, ul, units[i].b)) {
            mult = units[i].mult;
            break;
        }
    }
    if (!milli && !mult) {
        return 0;
    }
    pc_dec d;
    char *digits = pc_alloc((uint32_t)nl + 1);
    if (!go_decimal(s, nl, &d, digits)) {
        return 0;
    }
    pc_check_size_dec(&d);
    /* value = D * 10^exp * mult, or * 1152921504606847 / 2^60 (the double 0.001) */
    pc_bn num, den;
    pc_bn_init(&num, d.nd / 9 + 8);
    pc_bn_from_digits(&num, d.d, d.nd);
    pc_bn_init(&den, 4);
    pc_bn_set_u64(&den, 1);
    if (d.exp >= 0) {
        pc_bn_mul_pow10(&num, d.exp);
    } else {
        pc_bn_mul_pow10(&den, -d.exp);
    }
    pc_bn m;
    pc_bn_init(&m, 4);
    pc_bn_set_u64(&m, milli ? 1152921504606847ull : mult);
    pc_bn prod;
    pc_bn_init(&prod, num.n + 4);
    pc_bn_mul(&prod, &num, &m);
    if (milli) {
        pc_bn_shl(&den, 60);
    }
    pc_bn q, r;
    pc_bn_init(&q, prod.n + 2);
    pc_bn_init(&r, den.n + 2);
    pc_bn_divmod(&q, &r, &prod, &den);
    if (r.n == 0) {
        return pc_num_from_bn(d.neg && q.n != 0, &q);
    }
    /* big.Rat.FloatString(10): ten decimals, halves rounded away from zero */
    pc_bn_mul_pow10(&prod, 10);
    pc_bn_divmod(&q, &r, &prod, &den);
    pc_bn twice;
    pc_bn_init(&twice, r.n + 2);
    pc_bn_copy(&twice, &r);
    pc_bn_shl(&twice, 1);
    if (pc_bn_cmp(&twice, &den) >= 0) {
        pc_bn one;
        pc_bn_init(&one, 2);
        pc_bn_set_u64(&one, 1);
        pc_bn_add(&q, &q, &one);
    }
    int32_t qn;
    char *qd = pc_bn_to_digits(&q, &qn);
    pc_sb sb = {0, 0, 0};
    if (d.neg) {
        pc_sb_putc(&sb, '-');
    }
    if (qn <= 10) {
        pc_sb_put(&sb, "0.", 2);
        for (int32_t i = qn; i < 10; i++) {
            pc_sb_putc(&sb, '0');
        }
        pc_sb_put(&sb, qd, (uint32_t)qn);
    } else {
        pc_sb_put(&sb, qd, (uint32_t)(qn - 10));
        pc_sb_putc(&sb, '.');
        pc_sb_put(&sb, qd + qn - 10, 10);
    }
    return pc_num(sb.buf, (int32_t)sb.len);
}

EXPORT("pc_bi_units_parse_bytes") pc_value *pc_bi_units_parse_bytes(pc_value *x) {
    if (!x || x->type != PC_STRING) {
        return 0;
    }
    int32_t n, nl;
    char *s = clean(x, 1, &n);
    if (!s || !split_amount(s, n, &nl) || nl == 0) {
        return 0;
    }
    const char *unit = s + nl;
    int32_t ul = n - nl;
    static const struct { const char *a, *b; uint64_t mult; } units[] = {
        {"", "", 1}, {"kb", "k", 1000ull}, {"kib", "ki", 1ull << 10}, {"mb", "m", 1000000ull},
        {"mib", "mi", 1ull << 20}, {"gb", "g", 1000000000ull}, {"gib", "gi", 1ull << 30},
        {"tb", "t", 1000000000000ull}, {"tib", "ti", 1ull << 40}, {"pb", "p", 1000000000000000ull},
        {"pib", "pi", 1ull << 50}, {"eb", "e", 1000000000000000000ull}, {"eib", "ei", 1ull << 60},
    };
    uint64_t mult = 0;
    for (uint32_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (eq(unit, ul, units[i].a) || eq(unit, ul, units[i].b)) {
            mult = units[i].mult;
            break;
        }
    }
    if (!mult) {
        return 0;
    }
    pc_dec d;
    char *digits = pc_alloc((uint32_t)nl + 1);
    if (!go_decimal(s, nl, &d, digits)) {
        return 0;
    }
    pc_bf a, b, p;
    pc_bf_from_dec(&d, &a);
    pc_bn mb;
    pc_bn_init(&mb, 3);
    pc_bn_set_u64(&mb, mult);
    pc_value *mv = pc_num_from_bn(0, &mb);
    pc_bf_from_num(mv, &b);
    pc_bf_mul(&p, &a, &b);
    pc_bn mag;
    int fraction;
    pc_bf_trunc(&p, &mag, &fraction);
    return pc_num_from_bn(p.neg && mag.n != 0, &mag);
}
