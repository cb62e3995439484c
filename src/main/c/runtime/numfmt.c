/*
 * Exact decimal <-> binary conversion for doubles without libc. Both directions use a small
 * fixed-size bignum so that parsing is correctly rounded and dumping prints the shortest digit
 * string that reads back as the same double (Burger & Dybvig's free-format algorithm); the JSON
 * a policy returns must be byte-for-byte stable across hosts.
 */
#include "pc.h"

#define BN_WORDS 48 /* 1536 bits: the largest intermediate (~10^349 * 2^55) needs ~1220 */

typedef struct {
    int32_t n;
    uint32_t w[BN_WORDS];
} bn;

static void bn_set(bn *a, uint64_t v) {
    a->n = 0;
    while (v) {
        a->w[a->n++] = (uint32_t)v;
        v >>= 32;
    }
}

static void bn_push_carry(bn *a, uint32_t carry) {
    if (carry) {
        if (a->n >= BN_WORDS) {
            opa_abort("internal error: bignum overflow");
        }
        a->w[a->n++] = carry;
    }
}

static void bn_mul_small(bn *a, uint32_t m) {
    uint64_t carry = 0;
    for (int32_t i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->w[i] * m + carry;
        a->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    bn_push_carry(a, (uint32_t)carry);
}

static const uint32_t pow10_u32[10] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                       100000000, 1000000000};

static void bn_mul_pow10(bn *a, int32_t e) {
    while (e >= 9) {
        bn_mul_small(a, 1000000000u);
        e -= 9;
    }
    if (e > 0) {
        bn_mul_small(a, pow10_u32[e]);
    }
}

static void bn_shl(bn *a, int32_t bits) {
    if (a->n == 0) {
        return;
    }
    int32_t words = bits / 32, sh = bits % 32;
    if (a->n + words + 1 > BN_WORDS) {
        opa_abort("internal error: bignum overflow");
    }
    uint32_t top = sh ? a->w[a->n - 1] >> (32 - sh) : 0;
    for (int32_t i = a->n - 1; i >= 0; i--) {
        uint32_t lo = (sh && i > 0) ? a->w[i - 1] >> (32 - sh) : 0;
        a->w[i + words] = (a->w[i] << sh) | lo;
    }
    for (int32_t i = 0; i < words; i++) {
        a->w[i] = 0;
    }
    a->n += words;
    bn_push_carry(a, top);
}

static int bn_cmp(const bn *a, const bn *b) {
    if (a->n != b->n) {
        return a->n < b->n ? -1 : 1;
    }
    for (int32_t i = a->n - 1; i >= 0; i--) {
        if (a->w[i] != b->w[i]) {
            return a->w[i] < b->w[i] ? -1 : 1;
        }
    }
    return 0;
}

static void bn_add(bn *r, const bn *a, const bn *b) {
    const bn *x = a->n >= b->n ? a : b, *y = a->n >= b->n ? b : a;
    uint64_t carry = 0;
    int32_t n = x->n;
    for (int32_t i = 0; i < n; i++) {
        uint64_t t = (uint64_t)x->w[i] + (i < y->n ? y->w[i] : 0) + carry;
        r->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    r->n = n;
    bn_push_carry(r, (uint32_t)carry);
}

/* a -= b, requires a >= b */
static void bn_sub(bn *a, const bn *b) {
    int64_t borrow = 0;
    for (int32_t i = 0; i < a->n; i++) {
        int64_t t = (int64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
        borrow = t < 0;
        a->w[i] = (uint32_t)(t + (borrow << 32));
    }
    while (a->n > 0 && a->w[a->n - 1] == 0) {
        a->n--;
    }
}

static uint64_t dbits(double d) {
    union { double d; uint64_t u; } x = {.d = d};
    return x.u;
}

static double bitsd(uint64_t u) {
    union { uint64_t u; double d; } x = {.u = u};
    return x.d;
}

/* ---------------------------------------------------------------- double -> shortest digits */

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};


/* Fast path for the numbers policies actually contain (0.1, 2.5, 1e21): if v = m * 10^-n for a
 * small integer m, the decimal m*10^-n reads back as v exactly when the (correctly rounded)
 * division m / 10^n reproduces v. Trying n upward finds the fewest digits, which is the same
 * answer as the exact algorithm whenever m < 2^50 (the product's rounding error is then far
 * below 0.5). Returns 0 when no such m exists; the bignum path takes over. */
#define TWO50 1125899906842624.0

static int32_t fast_digits(double v, char *digits, int32_t *k_out) {
    double m = 0;
    int32_t n = 0, found = 0;
    for (n = 0; n <= 22 && v < TWO50; n++) {
        double x = v * pow10_exact[n];
        if (x >= TWO50) {
            break;
        }
        double r = __builtin_floor(x + 0.5);
        if (r / pow10_exact[n] == v) {
            m = r;
            found = 1;
            break;
        }
    }
    for (int32_t j = 22; !found && j >= 1 && v >= 1e15; j--) {
        double x = v / pow10_exact[j];
        if (x < 1 || x >= TWO50) {
            continue;
        }
        double r = __builtin_floor(x + 0.5);
        if (r * pow10_exact[j] == v) {
            m = r;
            n = -j;
            found = 1;
        }
    }
    if (!found || m < 1) {
        return 0;
    }
    char tmp[24];
    int32_t len = 0;
    for (uint64_t u = (uint64_t)m; u; u /= 10) {
        tmp[len++] = (char)('0' + u % 10);
    }
    int32_t z = 0;
    while (tmp[z] == '0') {
        z++;
    }
    int32_t nd = 0;
    for (int32_t i = len - 1; i >= z; i--) {
        digits[nd++] = tmp[i];
    }
    *k_out = len - n;
    return nd;
}

/* v > 0 finite. Writes digits (no terminator); v = 0.d1d2... * 10^(*k). Returns digit count. */
static int32_t shortest_digits(double v, char *digits, int32_t *k_out) {
    uint64_t bits = dbits(v);
    int32_t be = (int32_t)((bits >> 52) & 0x7ff);
    uint64_t f = bits & ((1ull << 52) - 1);
    int32_t e;
    if (be == 0) {
        e = -1074;
    } else {
        f |= 1ull << 52;
        e = be - 1075;
    }
    int round_even = (f & 1) == 0;
    /* at a power of two the gap to the next lower double is half the gap above */
    int unequal = be > 1 && f == (1ull << 52);
    bn r, s, mp, mm, t;
    if (e >= 0) {
        bn_set(&r, f);
        bn_shl(&r, e + (unequal ? 2 : 1));
        bn_set(&s, unequal ? 4 : 2);
        bn_set(&mp, 1);
        bn_shl(&mp, e + (unequal ? 1 : 0));
        bn_set(&mm, 1);
        bn_shl(&mm, e);
    } else {
        bn_set(&r, f << (unequal ? 2 : 1));
        bn_set(&s, 1);
        bn_shl(&s, (unequal ? 2 : 1) - e);
        bn_set(&mp, unequal ? 2 : 1);
        bn_set(&mm, 1);
    }
    int32_t bitlen = 0;
    for (uint64_t x = f; x; x >>= 1) {
        bitlen++;
    }
    /* log10(v) estimate from the binary exponent: never too high, at most one too low */
    int32_t k = (int32_t)__builtin_ceil((double)(e + bitlen - 1) * 0.30102999566398119521 - 1e-10);
    if (k >= 0) {
        bn_mul_pow10(&s, k);
    } else {
        bn_mul_pow10(&r, -k);
        bn_mul_pow10(&mp, -k);
        bn_mul_pow10(&mm, -k);
    }
    for (;;) {
        bn_add(&t, &r, &mp);
        int c = bn_cmp(&t, &s);
        if (round_even ? c < 0 : c <= 0) {
            break;
        }
        bn_mul_small(&s, 10);
        k++;
    }
    int32_t n = 0;
    for (;;) {
        bn_mul_small(&r, 10);
        bn_mul_small(&mp, 10);
        bn_mul_small(&mm, 10);
        int d = 0;
        while (bn_cmp(&r, &s) >= 0) {
            bn_sub(&r, &s);
            d++;
        }
        int c1 = bn_cmp(&r, &mm);
        int low = round_even ? c1 <= 0 : c1 < 0;
        bn_add(&t, &r, &mp);
        int c2 = bn_cmp(&t, &s);
        int high = round_even ? c2 >= 0 : c2 > 0;
        if (!low && !high) {
            digits[n++] = (char)('0' + d);
            continue;
        }
        if (low && high) {
            t = r;
            bn_shl(&t, 1);
            if (bn_cmp(&t, &s) >= 0) {
                d++;
            }
        } else if (high) {
            d++;
        }
        digits[n++] = (char)('0' + d);
        break;
    }
    *k_out = k;
    return n;
}

static int32_t format_i64(int64_t i, char *buf) {
    char tmp[24];
    int32_t n = 0, len = 0;
    uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (i < 0) {
        buf[len++] = '-';
    }
    while (n) {
        buf[len++] = tmp[--n];
    }
    return len;
}

/* Layout follows Go's encoding/json (OPA is written in Go): plain decimal for 1e-6 <= |v| <
 * 1e21, otherwise d.ddde+XX / d.ddde-X. */
int32_t pc_format_number(pc_value *v, char *buf) {
    if (!v->is_float) {
        return format_i64(v->u.i, buf);
    }
    double d = v->u.d;
    if (d == 0) {
        buf[0] = '0';
        return 1;
    }
    if (d > -9007199254740992.0 && d < 9007199254740992.0 && (double)(int64_t)d == d) {
        return format_i64((int64_t)d, buf);
    }
    int32_t len = 0;
    if (d < 0) {
        buf[len++] = '-';
        d = -d;
    }
    char dig[24];
    int32_t k;
    int32_t n = fast_digits(d, dig, &k);
    if (n == 0) {
        n = shortest_digits(d, dig, &k);
    }
    if (d < 1e-6 || d >= 1e21) {
        int32_t x = k - 1;
        buf[len++] = dig[0];
        if (n > 1) {
            buf[len++] = '.';
            for (int32_t i = 1; i < n; i++) {
                buf[len++] = dig[i];
            }
        }
        buf[len++] = 'e';
        buf[len++] = x < 0 ? '-' : '+';
        len += format_i64(x < 0 ? -x : x, buf + len);
    } else if (k <= 0) {
        buf[len++] = '0';
        buf[len++] = '.';
        for (int32_t i = 0; i < -k; i++) {
            buf[len++] = '0';
        }
        for (int32_t i = 0; i < n; i++) {
            buf[len++] = dig[i];
        }
    } else {
        for (int32_t i = 0; i < n || i < k; i++) {
            if (i == k) {
                buf[len++] = '.';
            }
            buf[len++] = i < n ? dig[i] : '0';
        }
    }
    return len;
}

/* ---------------------------------------------------------------- decimal text -> double */

/* compare D*10^E with M*2^q exactly */
static int cmp_exact(uint64_t D, int32_t E, uint64_t M, int32_t q) {
    bn a, b;
    bn_set(&a, D);
    bn_set(&b, M);
    if (E >= 0) {
        bn_mul_pow10(&a, E);
    } else {
        bn_mul_pow10(&b, -E);
    }
    if (q >= 0) {
        bn_shl(&b, q);
    } else {
        bn_shl(&a, -q);
    }
    return bn_cmp(&a, &b);
}

/* D*10^E (+ a nonzero tail below D's last digit when sticky), correctly rounded. Returns 0 and
 * sets *ok = 0 on overflow. */
static double decimal_to_double(uint64_t D, int32_t E, int sticky, int32_t ndig, int *ok) {
    *ok = 1;
    if (D == 0) {
        return 0.0;
    }
    if (E + ndig > 310) {
        *ok = 0;
        return 0;
    }
    if (E + ndig < -326) {
        return 0.0;
    }
    if (!sticky && D <= (1ull << 53) && E >= -22 && E <= 22) {
        return E >= 0 ? (double)D * pow10_exact[E] : (double)D / pow10_exact[-E];
    }
    /* a few ulps off at most; the exact comparisons below walk to the right neighbour */
    double x = (double)D;
    int32_t e = E;
    while (e > 22) {
        x *= 1e22;
        e -= 22;
    }
    while (e < -22) {
        x /= 1e22;
        e += 22;
    }
    x = e >= 0 ? x * pow10_exact[e] : x / pow10_exact[-e];
    uint64_t bits = dbits(x);
    for (int iter = 0; iter < 200; iter++) {
        int32_t be = (int32_t)((bits >> 52) & 0x7ff);
        if (be == 0x7ff) {
            *ok = 0;
            return 0;
        }
        uint64_t m = bits & ((1ull << 52) - 1);
        int32_t k;
        if (be == 0) {
            k = -1074;
        } else {
            m |= 1ull << 52;
            k = be - 1075;
        }
        int c_hi = cmp_exact(D, E, 4 * m + 2, k - 2);
        if (c_hi > 0 || (c_hi == 0 && (sticky || (m & 1)))) {
            bits++;
            continue;
        }
        if (m > 0) {
            uint64_t lo = (m == (1ull << 52) && be > 1) ? 4 * m - 1 : 4 * m - 2;
            int c_lo = cmp_exact(D, E, lo, k - 2);
            if (c_lo < 0 || (c_lo == 0 && !sticky && (m & 1))) {
                bits--;
                continue;
            }
        }
        break;
    }
    if (((bits >> 52) & 0x7ff) == 0x7ff) {
        *ok = 0;
        return 0;
    }
    return bitsd(bits);
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

pc_value *pc_parse_number(const char *s, int32_t n) {
    int32_t i = 0;
    int neg = 0;
    if (i < n && s[i] == '-') {
        neg = 1;
        i++;
    }
    if (i >= n || !is_digit(s[i])) {
        return 0;
    }
    uint64_t D = 0;
    int32_t ndig = 0, E = 0;
    int sticky = 0, is_int = 1;
    uint64_t mag = 0;
    int mag_ok = 1;
    if (s[i] == '0') {
        i++;
        if (i < n && is_digit(s[i])) {
            return 0; /* leading zeros are not JSON */
        }
    } else {
        while (i < n && is_digit(s[i])) {
            uint32_t dv = (uint32_t)(s[i] - '0');
            if (mag > (UINT64_MAX - dv) / 10) {
                mag_ok = 0;
            } else {
                mag = mag * 10 + dv;
            }
            if (ndig < 19) {
                D = D * 10 + dv;
                if (D) {
                    ndig++;
                }
            } else {
                E++;
                sticky |= dv != 0;
            }
            i++;
        }
    }
    if (i < n && s[i] == '.') {
        is_int = 0;
        i++;
        if (i >= n || !is_digit(s[i])) {
            return 0;
        }
        while (i < n && is_digit(s[i])) {
            uint32_t dv = (uint32_t)(s[i] - '0');
            if (ndig < 19) {
                D = D * 10 + dv;
                if (D) {
                    ndig++;
                }
                E--;
            } else {
                sticky |= dv != 0;
            }
            i++;
        }
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        is_int = 0;
        i++;
        int eneg = 0;
        if (i < n && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i] == '-';
            i++;
        }
        if (i >= n || !is_digit(s[i])) {
            return 0;
        }
        int32_t x = 0;
        while (i < n && is_digit(s[i])) {
            if (x < 100000) {
                x = x * 10 + (s[i] - '0');
            }
            i++;
        }
        E += eneg ? -x : x;
    }
    if (i != n) {
        return 0;
    }
    if (is_int && mag_ok) {
        if (!neg && mag <= (uint64_t)INT64_MAX) {
            return pc_int((int64_t)mag);
        }
        if (neg && mag <= (uint64_t)INT64_MAX + 1) {
            return pc_int((int64_t)(0 - mag));
        }
    }
    int ok;
    double d = decimal_to_double(D, E, sticky, ndig, &ok);
    if (!ok) {
        return 0;
    }
    return pc_float(neg ? -d : d);
}

double pc_to_double(pc_value *v) { return v->is_float ? v->u.d : (double)v->u.i; }
