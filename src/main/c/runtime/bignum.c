/*
 * Unsigned arbitrary-precision integers on the bump heap, for the exact number paths: integers
 * beyond int64, decimal <-> binary conversion and shortest-digit formatting. Schoolbook
 * algorithms; operand sizes are bounded by PC_NUM_MAX_DIGITS (see numbers.c), so the quadratic
 * cost stays small.
 */
#include "pc.h"

static void bn_reserve(pc_bn *a, int32_t n) {
    if (n <= a->cap) {
        return;
    }
    int32_t ncap = a->cap * 2 > n ? a->cap * 2 : n;
    a->w = pc_realloc(a->w, (uint32_t)a->cap * 4u, (uint32_t)ncap * 4u);
    a->cap = ncap;
}

static void bn_trim(pc_bn *a) {
    while (a->n > 0 && a->w[a->n - 1] == 0) {
        a->n--;
    }
}

void pc_bn_init(pc_bn *a, int32_t cap) {
    a->n = 0;
    a->cap = cap < 4 ? 4 : cap;
    a->w = pc_alloc((uint32_t)a->cap * 4u);
}

void pc_bn_set_u64(pc_bn *a, uint64_t v) {
    bn_reserve(a, 2);
    a->n = 0;
    while (v) {
        a->w[a->n++] = (uint32_t)v;
        v >>= 32;
    }
}

void pc_bn_copy(pc_bn *dst, const pc_bn *src) {
    bn_reserve(dst, src->n);
    memcpy(dst->w, src->w, (size_t)src->n * 4u);
    dst->n = src->n;
}

int32_t pc_bn_bitlen(const pc_bn *a) {
    if (a->n == 0) {
        return 0;
    }
    return (a->n - 1) * 32 + (32 - __builtin_clz(a->w[a->n - 1]));
}

int pc_bn_bit(const pc_bn *a, int32_t i) {
    if (i < 0 || i / 32 >= a->n) {
        return 0;
    }
    return (a->w[i / 32] >> (i % 32)) & 1;
}

/* any of bits [0, i) set */
int pc_bn_any_below(const pc_bn *a, int32_t i) {
    for (int32_t k = 0; k < a->n && k * 32 < i; k++) {
        uint32_t w = a->w[k];
        if ((k + 1) * 32 > i) {
            w &= (1u << (i % 32)) - 1u;
        }
        if (w) {
            return 1;
        }
    }
    return 0;
}

void pc_bn_mul_add_small(pc_bn *a, uint32_t m, uint32_t add) {
    uint64_t carry = add;
    for (int32_t i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->w[i] * m + carry;
        a->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry) {
        bn_reserve(a, a->n + 1);
        a->w[a->n++] = (uint32_t)carry;
    }
}

static const uint32_t pow10_u32[10] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                       100000000, 1000000000};

void pc_bn_mul_pow10(pc_bn *a, int32_t e) {
    while (e >= 9) {
        pc_bn_mul_add_small(a, 1000000000u, 0);
        e -= 9;
    }
    if (e > 0) {
        pc_bn_mul_add_small(a, pow10_u32[e], 0);
    }
}

void pc_bn_mul_pow5(pc_bn *a, int32_t e) {
    while (e >= 13) {
        pc_bn_mul_add_small(a, 1220703125u, 0); /* 5^13 */
        e -= 13;
    }
    uint32_t m = 1;
    while (e-- > 0) {
        m *= 5;
    }
    if (m > 1) {
        pc_bn_mul_add_small(a, m, 0);
    }
}

void pc_bn_from_digits(pc_bn *a, const char *d, int32_t nd) {
    a->n = 0;
    int32_t i = 0;
    while (i < nd) {
        uint32_t chunk = 0;
        int32_t k = 0;
        while (k < 9 && i < nd) {
            chunk = chunk * 10 + (uint32_t)(d[i++] - '0');
            k++;
        }
        if (a->n == 0) {
            pc_bn_set_u64(a, chunk);
        } else {
            pc_bn_mul_add_small(a, pow10_u32[k], chunk);
        }
    }
}

void pc_bn_shl(pc_bn *a, int32_t bits) {
    if (a->n == 0 || bits <= 0) {
        return;
    }
    int32_t words = bits / 32, sh = bits % 32;
    bn_reserve(a, a->n + words + 1);
    a->w[a->n + words] = 0;
    for (int32_t i = a->n - 1; i >= 0; i--) {
        uint32_t v = a->w[i];
        if (sh) {
            a->w[i + words + 1] |= v >> (32 - sh);
            a->w[i + words] = v << sh;
        } else {
            a->w[i + words] = v;
        }
    }
    for (int32_t i = 0; i < words; i++) {
        a->w[i] = 0;
    }
    a->n += words + 1;
    bn_trim(a);
}

void pc_bn_shr(pc_bn *a, int32_t bits) {
    if (bits <= 0) {
        return;
    }
    int32_t words = bits / 32, sh = bits % 32;
    if (words >= a->n) {
        a->n = 0;
        return;
    }
    for (int32_t i = 0; i < a->n - words; i++) {
        uint32_t lo = a->w[i + words] >> sh;
        uint32_t hi = (sh && i + words + 1 < a->n) ? a->w[i + words + 1] << (32 - sh) : 0;
        a->w[i] = lo | hi;
    }
    a->n -= words;
    bn_trim(a);
}

int pc_bn_cmp(const pc_bn *a, const pc_bn *b) {
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

/* r = a + b (r may alias a or b) */
void pc_bn_add(pc_bn *r, const pc_bn *a, const pc_bn *b) {
    int32_t n = a->n > b->n ? a->n : b->n;
    bn_reserve(r, n + 1);
    uint64_t carry = 0;
    for (int32_t i = 0; i < n; i++) {
        uint64_t t = (uint64_t)(i < a->n ? a->w[i] : 0) + (i < b->n ? b->w[i] : 0) + carry;
        r->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    r->n = n;
    if (carry) {
        r->w[r->n++] = (uint32_t)carry;
    }
}

/* a -= b, requires a >= b */
void pc_bn_sub(pc_bn *a, const pc_bn *b) {
    int64_t borrow = 0;
    for (int32_t i = 0; i < a->n; i++) {
        int64_t t = (int64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
        borrow = t < 0;
        a->w[i] = (uint32_t)(t + (borrow << 32));
    }
    bn_trim(a);
}

/* r = a * b (r must not alias a or b) */
void pc_bn_mul(pc_bn *r, const pc_bn *a, const pc_bn *b) {
    int32_t n = a->n + b->n;
    bn_reserve(r, n);
    memset(r->w, 0, (size_t)n * 4u);
    for (int32_t i = 0; i < a->n; i++) {
        uint64_t carry = 0;
        for (int32_t j = 0; j < b->n; j++) {
            uint64_t t = (uint64_t)a->w[i] * b->w[j] + r->w[i + j] + carry;
            r->w[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        r->w[i + b->n] = (uint32_t)carry;
    }
    r->n = n;
    bn_trim(r);
}

/* q = a / b, r = a % b by binary long division (q and r must not alias a or b; q may be 0) */
void pc_bn_divmod(pc_bn *q, pc_bn *r, const pc_bn *a, const pc_bn *b) {
    pc_bn_copy(r, a);
    if (q) {
        q->n = 0;
    }
    int32_t shift = pc_bn_bitlen(a) - pc_bn_bitlen(b);
    if (b->n == 0 || shift < 0) {
        return;
    }
    pc_bn d;
    pc_bn_init(&d, b->n + shift / 32 + 2);
    pc_bn_copy(&d, b);
    pc_bn_shl(&d, shift);
    if (q) {
        bn_reserve(q, shift / 32 + 1);
        memset(q->w, 0, (size_t)(shift / 32 + 1) * 4u);
        q->n = shift / 32 + 1;
    }
    for (int32_t i = shift; i >= 0; i--) {
        if (pc_bn_cmp(r, &d) >= 0) {
            pc_bn_sub(r, &d);
            if (q) {
                q->w[i / 32] |= 1u << (i % 32);
            }
        }
        pc_bn_shr(&d, 1);
    }
    if (q) {
        bn_trim(q);
    }
}

/* a /= m, returns the remainder */
uint32_t pc_bn_div_small(pc_bn *a, uint32_t m) {
    uint64_t rem = 0;
    for (int32_t i = a->n - 1; i >= 0; i--) {
        uint64_t cur = (rem << 32) | a->w[i];
        a->w[i] = (uint32_t)(cur / m);
        rem = cur % m;
    }
    bn_trim(a);
    return (uint32_t)rem;
}

/* Decimal digits of a (destroys a); returns a NUL-terminated string of *len digits ("0" for 0). */
char *pc_bn_to_digits(pc_bn *a, int32_t *len) {
    int32_t cap = a->n * 10 + 2;
    char *tmp = pc_alloc((uint32_t)cap);
    int32_t k = 0;
    while (a->n > 0) {
        uint32_t chunk = pc_bn_div_small(a, 1000000000u);
        for (int32_t j = 0; j < 9; j++) {
            tmp[k++] = (char)('0' + chunk % 10);
            chunk /= 10;
        }
    }
    while (k > 1 && tmp[k - 1] == '0') {
        k--;
    }
    if (k == 0) {
        tmp[k++] = '0';
    }
    char *out = pc_alloc((uint32_t)k + 1);
    for (int32_t i = 0; i < k; i++) {
        out[i] = tmp[k - 1 - i];
    }
    out[k] = 0;
    *len = k;
    return out;
}
