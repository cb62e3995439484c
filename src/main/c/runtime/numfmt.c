/*
 * Numbers as OPA has them: a number is its text, compared by its exact decimal value (OPA
 * compares with big.Rat). Arithmetic that is not exact on integers runs, as in OPA's topdown,
 * on Go's big.Float with a 64-bit mantissa, and its result is the text Go's Float.Text gives
 * ('f' for integers, else 'g', shortest digits). This file holds the text <-> value
 * conversions and that float emulation; numbers.c holds the operators.
 */
#include "pc.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* exponents beyond this are refused (OPA would need a 10^1e8 rational to compare them) */
#define MAX_EXP10 100000000

static pc_value *new_num(void) {
    pc_value *v = pc_alloc(sizeof(pc_value));
    memset(v, 0, sizeof(pc_value));
    v->type = PC_NUMBER;
    return v;
}

/* Validates JSON number grammar and computes the exact value. Returns 0 when malformed. */
static int scan_number(const char *s, int32_t n, pc_dec *dec, char *digits, int *plain_int) {
    int32_t i = 0, nd = 0, frac = 0;
    int64_t x = 0;
    dec->neg = 0;
    if (i < n && s[i] == '-') {
        dec->neg = 1;
        i++;
    }
    if (i >= n || !is_digit(s[i])) {
        return 0;
    }
    if (s[i] == '0') {
        i++;
        if (i < n && is_digit(s[i])) {
            return 0; /* leading zeros are not JSON */
        }
    } else {
        while (i < n && is_digit(s[i])) {
            if (nd > 0 || s[i] != '0') {
                digits[nd++] = s[i];
            }
            i++;
        }
    }
    *plain_int = 1;
    if (i < n && s[i] == '.') {
        *plain_int = 0;
        i++;
        if (i >= n || !is_digit(s[i])) {
            return 0;
        }
        while (i < n && is_digit(s[i])) {
            if (nd > 0 || s[i] != '0') {
                digits[nd++] = s[i];
            }
            frac++;
            i++;
        }
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        *plain_int = 0;
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
            if (x > MAX_EXP10) {
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
    dec->nd = nd;
    dec->exp = nd ? exp : 0;
    dec->d = digits;
    return 1;
}

static pc_value *int_or_text(const char *s, int32_t n, int copy) {
    char *digits = pc_alloc((uint32_t)n + 1);
    pc_dec dec;
    int plain_int;
    if (!scan_number(s, n, &dec, digits, &plain_int)) {
        return 0;
    }
    /* plain integer text that fits int64 (and is not "-0", whose text OPA keeps) */
    if (plain_int && dec.nd + dec.exp <= 19 && !(dec.neg && dec.nd == 0)) {
        uint64_t mag = 0;
        for (int32_t k = 0; k < dec.nd + dec.exp; k++) {
            mag = mag * 10 + (uint64_t)(k < dec.nd ? dec.d[k] - '0' : 0);
        }
        if (dec.nd + dec.exp < 19 || mag <= (uint64_t)INT64_MAX + (uint64_t)dec.neg) {
            return pc_int(dec.neg ? (int64_t)(0 - mag) : (int64_t)mag);
        }
    }
    pc_value *v = new_num();
    v->is_float = PC_NUM_TEXT;
    if (copy) {
        char *t = pc_alloc((uint32_t)n + 1);
        memcpy(t, s, (size_t)n);
        t[n] = 0;
        s = t;
    }
    v->u.s = s;
    v->len = n;
    pc_dec *d = pc_alloc(sizeof(pc_dec));
    *d = dec;
    v->dec = d;
    return v;
}

pc_value *pc_parse_number(const char *s, int32_t n) { return int_or_text(s, n, 1); }

EXPORT("pc_num") pc_value *pc_num(const char *text, int32_t len) { return int_or_text(text, len, 0); }

static int32_t format_u64(uint64_t u, char *buf) {
    char tmp[24];
    int32_t n = 0;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    for (int32_t i = 0; i < n; i++) {
        buf[i] = tmp[n - 1 - i];
    }
    return n;
}

const char *pc_num_text(pc_value *v, char *buf, int32_t *len) {
    if (v->is_float == PC_NUM_TEXT) {
        *len = v->len;
        return v->u.s;
    }
    int64_t i = v->u.i;
    int32_t k = 0;
    if (i < 0) {
        buf[k++] = '-';
    }
    k += format_u64(i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i, buf + k);
    *len = k;
    return buf;
}

void pc_num_dec(pc_value *v, pc_dec *out, char *buf) {
    if (v->is_float == PC_NUM_TEXT) {
        *out = *v->dec;
        return;
    }
    int64_t i = v->u.i;
    out->neg = i < 0;
    if (i == 0) {
        out->nd = 0;
        out->exp = 0;
        out->d = buf;
        return;
    }
    int32_t n = format_u64(i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i, buf);
    int32_t exp = 0;
    while (buf[n - 1] == '0') {
        n--;
        exp++;
    }
    out->nd = n;
    out->exp = exp;
    out->d = buf;
}

void pc_check_size_dec(const pc_dec *d) {
    if (d->nd > PC_NUM_MAX_DIGITS || d->exp > PC_NUM_MAX_EXP10 || d->exp < -PC_NUM_MAX_EXP10) {
        opa_abort("number too large for arithmetic");
    }
}

void pc_num_check_size(pc_value *v) {
    if (v->is_float == PC_NUM_TEXT) {
        pc_check_size_dec(v->dec);
    }
}

/* ---------------------------------------------------------------- exact comparison */

int pc_num_cmp(pc_value *a, pc_value *b) {
    if (a->is_float == PC_NUM_INT && b->is_float == PC_NUM_INT) {
        return a->u.i < b->u.i ? -1 : (a->u.i > b->u.i ? 1 : 0);
    }
    char ba[24], bb[24];
    pc_dec x, y;
    pc_num_dec(a, &x, ba);
    pc_num_dec(b, &y, bb);
    int sx = x.nd == 0 ? 0 : (x.neg ? -1 : 1);
    int sy = y.nd == 0 ? 0 : (y.neg ? -1 : 1);
    if (sx != sy) {
        return sx < sy ? -1 : 1;
    }
    if (sx == 0) {
        return 0;
    }
    int mag;
    int32_t px = x.nd + x.exp, py = y.nd + y.exp; /* 10^(p-1) <= |v| < 10^p */
    if (px != py) {
        mag = px < py ? -1 : 1;
    } else {
        mag = 0;
        int32_t n = x.nd > y.nd ? x.nd : y.nd;
        for (int32_t i = 0; i < n && mag == 0; i++) {
            char cx = i < x.nd ? x.d[i] : '0', cy = i < y.nd ? y.d[i] : '0';
            if (cx != cy) {
                mag = cx < cy ? -1 : 1;
            }
        }
    }
    return sx < 0 ? -mag : mag;
}

/* ---------------------------------------------------------------- big integers */

pc_value *pc_num_from_bn(int neg, pc_bn *mag) {
    if (mag->n == 0) {
        return pc_int(0);
    }
    if (pc_bn_bitlen(mag) <= 63) {
        uint64_t u = mag->w[0] | (mag->n > 1 ? (uint64_t)mag->w[1] << 32 : 0);
        return pc_int(neg ? -(int64_t)u : (int64_t)u);
    }
    int32_t nd;
    char *digits = pc_bn_to_digits(mag, &nd);
    char *text = digits;
    if (neg) {
        text = pc_alloc((uint32_t)nd + 2);
        text[0] = '-';
        memcpy(text + 1, digits, (size_t)nd + 1);
        nd++;
    }
    return pc_num(text, nd);
}

/* |value| as a big integer when dec is an integer (exp >= 0) */
static void dec_to_bn(const pc_dec *d, pc_bn *out) {
    pc_bn_init(out, d->nd / 9 + d->exp / 9 + 4);
    pc_bn_from_digits(out, d->d, d->nd);
    pc_bn_mul_pow10(out, d->exp);
}

int pc_num_to_bn(pc_value *v, int *neg, pc_bn *mag) {
    if (v->is_float == PC_NUM_INT) {
        int64_t i = v->u.i;
        *neg = i < 0;
        pc_bn_init(mag, 4);
        pc_bn_set_u64(mag, i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i);
        return 1;
    }
    pc_dec *d = v->dec;
    if (d->exp < 0) {
        return 0;
    }
    pc_check_size_dec(d);
    *neg = d->neg;
    dec_to_bn(d, mag);
    return 1;
}

/* ---------------------------------------------------------------- 64-bit big.Float */

#define BF_PREC 64

/* rounds mag * 2^e2 (+ a nonzero tail below it when sticky) to BF_PREC bits, ties to even */
static void bf_round(pc_bf *r, int neg, pc_bn *mag, int sticky, int32_t e2) {
    r->neg = neg;
    int32_t L = pc_bn_bitlen(mag);
    if (L == 0) {
        r->m = 0;
        r->e = 0;
        return;
    }
    int32_t shift = L - BF_PREC;
    int up = 0;
    if (shift > 0) {
        int half = pc_bn_bit(mag, shift - 1);
        int rest = sticky || pc_bn_any_below(mag, shift - 1);
        pc_bn_shr(mag, shift);
        up = half && (rest || (mag->w[0] & 1));
    } else {
        pc_bn_shl(mag, -shift);
    }
    uint64_t m = mag->w[0] | (mag->n > 1 ? (uint64_t)mag->w[1] << 32 : 0);
    if (up) {
        m++;
        if (m == 0) { /* 2^64: renormalise */
            m = 1ull << 63;
            shift++;
        }
    }
    r->m = m;
    r->e = e2 + shift;
}

static void bn_of_u64(pc_bn *a, uint64_t v, int32_t extra) {
    pc_bn_init(a, 3 + extra / 32);
    pc_bn_set_u64(a, v);
}

void pc_bf_from_num(pc_value *v, pc_bf *out) {
    char buf[24];
    pc_dec d;
    pc_num_dec(v, &d, buf);
    pc_bf_from_dec(&d, out);
}

void pc_bf_from_dec(const pc_dec *dp, pc_bf *out) {
    pc_dec d = *dp;
    if (d.nd == 0) {
        out->neg = d.neg;
        out->m = 0;
        out->e = 0;
        return;
    }
    pc_check_size_dec(&d);
    pc_bn D;
    pc_bn_init(&D, d.nd / 9 + 4);
    pc_bn_from_digits(&D, d.d, d.nd);
    if (d.exp >= 0) {
        pc_bn_mul_pow10(&D, d.exp);
        bf_round(out, d.neg, &D, 0, 0);
        return;
    }
    pc_bn P;
    pc_bn_init(&P, 4);
    pc_bn_set_u64(&P, 1);
    pc_bn_mul_pow10(&P, -d.exp);
    int32_t s = pc_bn_bitlen(&P) - pc_bn_bitlen(&D) + BF_PREC + 2;
    if (s < 0) {
        s = 0;
    }
    pc_bn_shl(&D, s);
    pc_bn Q, R;
    pc_bn_init(&Q, 4);
    pc_bn_init(&R, P.n + 2);
    pc_bn_divmod(&Q, &R, &D, &P);
    bf_round(out, d.neg, &Q, R.n != 0, -s);
}

static int bf_cmp_mag(const pc_bf *x, const pc_bf *y) {
    if (x->m == 0 || y->m == 0) {
        return (x->m != 0) - (y->m != 0);
    }
    if (x->e != y->e) {
        return x->e < y->e ? -1 : 1;
    }
    return x->m < y->m ? -1 : (x->m > y->m ? 1 : 0);
}

void pc_bf_add(pc_bf *r, const pc_bf *x, const pc_bf *y, int subtract) {
    int yneg = y->neg ^ (subtract != 0);
    if (x->m == 0 && y->m == 0) {
        r->m = 0;
        r->e = 0;
        r->neg = x->neg && yneg; /* -0 + -0 = -0, otherwise +0 */
        return;
    }
    if (y->m == 0) {
        *r = *x;
        return;
    }
    if (x->m == 0) {
        *r = *y;
        r->neg = yneg;
        return;
    }
    const pc_bf *big = x, *small = y;
    int bneg = x->neg, sneg = yneg;
    if (bf_cmp_mag(x, y) < 0) {
        big = y;
        small = x;
        bneg = yneg;
        sneg = x->neg;
    }
    int32_t d = big->e - small->e;
    if (d >= BF_PREC + 2) {
        /* |small| < a quarter ulp of big: the sum rounds back to big, even below a power of two */
        *r = *big;
        r->neg = bneg;
        return;
    }
    pc_bn A, B;
    bn_of_u64(&A, big->m, d);
    pc_bn_shl(&A, d);
    bn_of_u64(&B, small->m, 0);
    if (bneg == sneg) {
        pc_bn_add(&A, &A, &B);
    } else {
        pc_bn_sub(&A, &B);
    }
    bf_round(r, bneg, &A, 0, small->e);
    if (r->m == 0) {
        r->neg = 0; /* x - x = +0 when rounding to nearest */
    }
}

void pc_bf_mul(pc_bf *r, const pc_bf *x, const pc_bf *y) {
    pc_bn A, B, P;
    bn_of_u64(&A, x->m, 0);
    bn_of_u64(&B, y->m, 0);
    pc_bn_init(&P, 6);
    pc_bn_mul(&P, &A, &B);
    bf_round(r, x->neg ^ y->neg, &P, 0, x->e + y->e);
}

/* y nonzero */
void pc_bf_quo(pc_bf *r, const pc_bf *x, const pc_bf *y) {
    if (x->m == 0) {
        r->m = 0;
        r->e = 0;
        r->neg = x->neg ^ y->neg;
        return;
    }
    pc_bn A, B, Q, R;
    bn_of_u64(&A, x->m, 70);
    pc_bn_shl(&A, BF_PREC + 2);
    bn_of_u64(&B, y->m, 0);
    pc_bn_init(&Q, 4);
    pc_bn_init(&R, 4);
    pc_bn_divmod(&Q, &R, &A, &B);
    bf_round(r, x->neg ^ y->neg, &Q, R.n != 0, x->e - y->e - (BF_PREC + 2));
}

void pc_bf_trunc(const pc_bf *x, pc_bn *mag, int *fraction) {
    bn_of_u64(mag, x->m, x->e > 0 ? x->e : 0);
    *fraction = 0;
    if (x->e >= 0) {
        pc_bn_shl(mag, x->e);
    } else {
        *fraction = pc_bn_any_below(mag, -x->e);
        pc_bn_shr(mag, -x->e);
    }
}

/* ---------------------------------------------------------------- float -> shortest text */

typedef struct {
    char *d;     /* digits, no leading/trailing zeros */
    int32_t nd;
    int32_t dp;  /* value = 0.d * 10^dp */
} decimal;

/* exact decimal of M * 2^E (M destroyed) */
static void exact_decimal(pc_bn *M, int32_t E, decimal *out) {
    int32_t k = 0;
    if (E >= 0) {
        pc_bn_shl(M, E);
    } else {
        pc_bn_mul_pow5(M, -E); /* M * 2^E = M * 5^-E * 10^E */
        k = -E;
    }
    int32_t n;
    char *digits = pc_bn_to_digits(M, &n);
    if (n == 1 && digits[0] == '0') {
        out->d = digits;
        out->nd = 0;
        out->dp = 0;
        return;
    }
    out->dp = n - k;
    while (n > 0 && digits[n - 1] == '0') {
        n--;
    }
    out->d = digits;
    out->nd = n;
}

/* digit i of v's mantissa, '0' past its end */
static char digit_at(const decimal *v, int32_t i) { return i < v->nd ? v->d[i] : '0'; }

/* Go's math/big roundShortest, digit for digit: the fewest digits that read back as x. Like Go,
 * it compares the digit strings of x and its half-ulp bounds position by position without
 * aligning their decimal points, so when a bound carries into a new digit the result is a valid
 * but not always the nearest shortest text (e.g. ...951160 rather than ...951170): OPA prints
 * what Go prints. */
static void shortest(const pc_bf *x, decimal *d) {
    pc_bn M;
    bn_of_u64(&M, x->m, 0);
    exact_decimal(&M, x->e, d);
    /* bounds: x -/+ half an ulp, i.e. (2m -/+ 1) * 2^(e-1) */
    pc_bn lo, hi;
    bn_of_u64(&lo, x->m, 0);
    pc_bn_shl(&lo, 1);
    pc_bn_init(&hi, lo.n + 1);
    pc_bn_copy(&hi, &lo);
    pc_bn one;
    bn_of_u64(&one, 1, 0);
    pc_bn_sub(&lo, &one);
    pc_bn_add(&hi, &hi, &one);
    decimal lower, upper;
    exact_decimal(&lo, x->e - 1, &lower);
    exact_decimal(&hi, x->e - 1, &upper);
    int inclusive = (x->m & 1) == 0;
    for (int32_t i = 0; i < d->nd; i++) {
        char l = digit_at(&lower, i), m = d->d[i], u = digit_at(&upper, i);
        int lower_ends = i + 1 == lower.nd;
        int upper_more = i + 1 < upper.nd;
        int okdown = l != m || (inclusive && lower_ends);
        int okup = m != u && (inclusive || m + 1 < u || upper_more);
        int round_up;
        if (okdown && okup) {
            /* nearest; exactly half rounds to even */
            char next = d->d[i + 1];
            if (next == '5' && i + 2 == d->nd) {
                round_up = (m - '0') & 1;
            } else {
                round_up = next >= '5';
            }
        } else if (okdown) {
            round_up = 0;
        } else if (okup) {
            round_up = 1;
        } else {
            continue;
        }
        d->nd = i + 1;
        if (round_up) {
            int32_t j = i;
            while (j >= 0 && d->d[j] == '9') {
                j--;
            }
            if (j < 0) {
                d->d[0] = '1';
                d->nd = 1;
                d->dp++;
            } else {
                d->d[j]++;
                d->nd = j + 1;
            }
        }
        while (d->nd > 0 && d->d[d->nd - 1] == '0') {
            d->nd--;
        }
        return;
    }
}

pc_value *pc_num_from_bf(const pc_bf *x) {
    if (x->m == 0) {
        return x->neg ? pc_num("-0", 2) : pc_int(0);
    }
    if (x->e > PC_NUM_MAX_EXP2 || x->e < -PC_NUM_MAX_EXP2) {
        opa_abort("number too large");
    }
    decimal d;
    shortest(x, &d);
    pc_sb sb = {0, 0, 0};
    if (x->neg) {
        pc_sb_putc(&sb, '-');
    }
    int is_int = x->e >= 0 || (-x->e < 64 && (x->m & ((1ull << -x->e) - 1)) == 0);
    int32_t exp = d.dp - 1;
    if (!is_int && (exp < -4 || exp >= 6)) {
        pc_sb_putc(&sb, d.d[0]);
        if (d.nd > 1) {
            pc_sb_putc(&sb, '.');
            pc_sb_put(&sb, d.d + 1, (uint32_t)d.nd - 1);
        }
        pc_sb_putc(&sb, 'e');
        pc_sb_putc(&sb, exp < 0 ? '-' : '+');
        int32_t ax = exp < 0 ? -exp : exp;
        if (ax < 10) {
            pc_sb_putc(&sb, '0');
        }
        char buf[24];
        pc_sb_put(&sb, buf, (uint32_t)format_u64((uint64_t)ax, buf));
    } else if (d.dp <= 0) {
        pc_sb_put(&sb, "0.", 2);
        for (int32_t i = 0; i < -d.dp; i++) {
            pc_sb_putc(&sb, '0');
        }
        pc_sb_put(&sb, d.d, (uint32_t)d.nd);
    } else {
        for (int32_t i = 0; i < d.dp || i < d.nd; i++) {
            if (i == d.dp) {
                pc_sb_putc(&sb, '.');
            }
            pc_sb_putc(&sb, i < d.nd ? d.d[i] : '0');
        }
    }
    return pc_num(sb.buf, (int32_t)sb.len);
}

/* ---------------------------------------------------------------- float64 (strconv) */

static double bits_to_double(uint64_t u) {
    union { uint64_t u; double d; } x = {.u = u};
    return x.d;
}

static uint64_t double_bits(double d) {
    union { double d; uint64_t u; } x = {.d = d};
    return x.u;
}

/* strconv.ParseFloat(text, 64): correctly rounded, subnormals included; 0 on overflow */
int pc_num_to_double(pc_value *v, double *out) {
    char buf[24];
    pc_dec d;
    pc_num_dec(v, &d, buf);
    if (d.nd == 0) {
        *out = d.neg ? -0.0 : 0.0;
        return 1;
    }
    if (d.nd + d.exp > 310) {
        return 0;
    }
    if (d.nd + d.exp < -330) {
        *out = d.neg ? -0.0 : 0.0;
        return 1;
    }
    pc_bn N;
    pc_bn_init(&N, d.nd / 9 + 4);
    pc_bn_from_digits(&N, d.d, d.nd);
    int32_t e2 = 0;
    int sticky = 0;
    if (d.exp >= 0) {
        pc_bn_mul_pow10(&N, d.exp);
    } else {
        pc_bn P;
        pc_bn_init(&P, 4);
        pc_bn_set_u64(&P, 1);
        pc_bn_mul_pow10(&P, -d.exp);
        int32_t s = pc_bn_bitlen(&P) - pc_bn_bitlen(&N) + 56;
        if (s < 0) {
            s = 0;
        }
        pc_bn_shl(&N, s);
        pc_bn Q, R;
        pc_bn_init(&Q, 4);
        pc_bn_init(&R, P.n + 2);
        pc_bn_divmod(&Q, &R, &N, &P);
        N = Q;
        sticky = R.n != 0;
        e2 = -s;
    }
    int32_t L = pc_bn_bitlen(&N);
    int32_t lead = e2 + L - 1;
    if (lead > 1023) {
        return 0;
    }
    int32_t u = lead - 52 < -1074 ? -1074 : lead - 52;
    int32_t shift = u - e2;
    uint64_t m;
    if (shift > 0) {
        int half = pc_bn_bit(&N, shift - 1);
        int rest = sticky || pc_bn_any_below(&N, shift - 1);
        pc_bn_shr(&N, shift);
        m = N.n ? (N.w[0] | (N.n > 1 ? (uint64_t)N.w[1] << 32 : 0)) : 0;
        if (half && (rest || (m & 1))) {
            m++;
            if (m == (1ull << 53)) {
                m >>= 1;
                u++;
                if (u + 52 > 1023) {
                    return 0;
                }
            }
        }
    } else {
        pc_bn_shl(&N, -shift);
        m = N.w[0] | (N.n > 1 ? (uint64_t)N.w[1] << 32 : 0);
    }
    uint64_t bits;
    if (m >= (1ull << 52)) {
        bits = ((uint64_t)(u + 52 + 1023) << 52) | (m - (1ull << 52));
    } else {
        bits = m; /* subnormal (u == -1074) or zero */
    }
    if (d.neg) {
        bits |= 1ull << 63;
    }
    *out = bits_to_double(bits);
    return 1;
}

/* compares positive decimals a and b (digits without trailing zeros, value 0.d * 10^dp) */
static int dec_cmp(const decimal *a, const decimal *b) {
    if (a->nd == 0 || b->nd == 0) {
        return (a->nd != 0) - (b->nd != 0);
    }
    if (a->dp != b->dp) {
        return a->dp < b->dp ? -1 : 1;
    }
    int32_t n = a->nd > b->nd ? a->nd : b->nd;
    for (int32_t i = 0; i < n; i++) {
        char x = i < a->nd ? a->d[i] : '0', y = i < b->nd ? b->d[i] : '0';
        if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return 0;
}

/* the exact decimal of |d| (finite) */
void pc_double_decimal(double v, char **digits, int32_t *nd, int32_t *dp) {
    uint64_t bits = double_bits(v) & ~(1ull << 63);
    int32_t be = (int32_t)(bits >> 52);
    uint64_t m = bits & ((1ull << 52) - 1);
    int32_t e = be == 0 ? -1074 : be - 1075;
    if (be) {
        m |= 1ull << 52;
    }
    decimal d;
    pc_bn M;
    bn_of_u64(&M, m, 0);
    exact_decimal(&M, e, &d);
    *digits = d.d;
    *nd = d.nd;
    *dp = d.dp;
}

/* the shortest digits that read back as v (nearest among them), as strconv's 'g' -1 */
void pc_double_shortest(double v, char **digits, int32_t *nd, int32_t *dp) {
    uint64_t bits = double_bits(v) & ~(1ull << 63);
    if (bits == 0) {
        *digits = "0";
        *nd = 0;
        *dp = 0;
        return;
    }
    int32_t be = (int32_t)(bits >> 52);
    uint64_t m = bits & ((1ull << 52) - 1);
    int32_t e = be == 0 ? -1074 : be - 1075;
    if (be) {
        m |= 1ull << 52;
    }
    decimal x, lo, hi;
    pc_bn M;
    bn_of_u64(&M, m, 0);
    exact_decimal(&M, e, &x);
    pc_bn H;
    bn_of_u64(&H, 2 * m + 1, 0);
    exact_decimal(&H, e - 1, &hi);
    pc_bn Lo;
    if (m == (1ull << 52) && be > 1) {
        bn_of_u64(&Lo, 4 * m - 1, 0);
        exact_decimal(&Lo, e - 2, &lo);
    } else {
        bn_of_u64(&Lo, 2 * m - 1, 0);
        exact_decimal(&Lo, e - 1, &lo);
    }
    int inclusive = (m & 1) == 0;
    char *cand = pc_alloc((uint32_t)x.nd + 2);
    for (int32_t n = 1; n <= x.nd; n++) {
        /* truncation and truncation + 1 unit in the n-th digit */
        decimal best = {0, 0, 0};
        int best_dist_up = 0, found = 0;
        for (int up = 0; up <= 1; up++) {
            decimal c;
            char *cd = pc_alloc((uint32_t)n + 2);
            memcpy(cd, x.d, (size_t)n);
            c.d = cd;
            c.nd = n;
            c.dp = x.dp;
            if (up) {
                int32_t j = n - 1;
                while (j >= 0 && cd[j] == '9') {
                    cd[j--] = '0';
                }
                if (j < 0) {
                    cd[0] = '1';
                    c.nd = 1;
                    c.dp++;
                } else {
                    cd[j]++;
                }
            }
            while (c.nd > 0 && c.d[c.nd - 1] == '0') {
                c.nd--;
            }
            int cl = dec_cmp(&c, &lo), ch = dec_cmp(&c, &hi);
            int ok = (inclusive ? cl >= 0 : cl > 0) && (inclusive ? ch <= 0 : ch < 0);
            if (!ok) {
                continue;
            }
            if (!found) {
                best = c;
                best_dist_up = up;
                found = 1;
            } else {
                /* both fit: the nearer one; x's next digit decides (>= '5' rounds up, as ties are
                 * impossible to distinguish further only when exactly half: then even) */
                char next = n < x.nd ? x.d[n] : '0';
                int exact_half = next == '5' && n + 1 == x.nd;
                int take_up = exact_half ? ((x.d[n - 1] - '0') & 1) : next >= '5';
                if (take_up) {
                    best = c;
                    best_dist_up = 1;
                }
            }
        }
        (void)best_dist_up;
        if (found) {
            memcpy(cand, best.d, (size_t)best.nd);
            *digits = cand;
            *nd = best.nd;
            *dp = best.dp;
            return;
        }
    }
    *digits = x.d;
    *nd = x.nd;
    *dp = x.dp;
}
