/*
 * Arithmetic with OPA's semantics (topdown/arithmetic.go and aggregates.go): exact on integers
 * (int64 while it fits, big integers beyond), and on anything else Go's big.Float with a 64-bit
 * mantissa whose result is its shortest text (see numfmt.c). Errors (division by zero, modulo of
 * a non-integer, operands of the wrong type) are undefined, as in OPA's non-strict mode.
 */
#include "pc.h"

static int is_num(pc_value *v) { return v && v->type == PC_NUMBER; }
static int is_int64(pc_value *v) { return v->is_float == PC_NUM_INT; }

static pc_value *set_op(pc_value *a, pc_value *b, int keep_if_in_b) {
    pc_value *out = pc_set_new();
    for (int32_t i = 0; i < a->len; i++) {
        if (pc_set_has(b, a->u.items[i]) == keep_if_in_b) {
            pc_set_push_unsorted(out, a->u.items[i]); /* a is sorted, so out stays sorted */
        }
    }
    return out;
}

static int both_sets(pc_value *a, pc_value *b) {
    return a && b && a->type == PC_SET && b->type == PC_SET;
}

/* __builtin_mul_overflow on int64 needs compiler-rt's __multi3, which -nostdlib leaves out */
static int mul_overflow(int64_t a, int64_t b, int64_t *r) {
    int over;
    if (a > 0) {
        over = b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a;
    } else if (a < 0) {
        over = b > 0 ? a < INT64_MIN / b : (b != 0 && b < INT64_MAX / a);
    } else {
        over = 0;
    }
    if (!over) {
        *r = a * b;
    }
    return over;
}

enum { OP_ADD, OP_SUB, OP_MUL };

/* signed big-integer add/sub/mul of two exact integers */
static pc_value *exact_op(int op, int an, pc_bn *a, int bn, pc_bn *b) {
    pc_bn r;
    pc_bn_init(&r, (a->n > b->n ? a->n : b->n) * (op == OP_MUL ? 2 : 1) + 2);
    if (op == OP_MUL) {
        pc_bn_mul(&r, a, b);
        return pc_num_from_bn(an != bn, &r);
    }
    if (op == OP_SUB) {
        bn = !bn;
    }
    if (an == bn) {
        pc_bn_add(&r, a, b);
        return pc_num_from_bn(an, &r);
    }
    if (pc_bn_cmp(a, b) >= 0) {
        pc_bn_copy(&r, a);
        pc_bn_sub(&r, b);
        return pc_num_from_bn(an, &r);
    }
    pc_bn_copy(&r, b);
    pc_bn_sub(&r, a);
    return pc_num_from_bn(bn, &r);
}

static pc_value *float_op(int op, pc_value *a, pc_value *b) {
    pc_bf x, y, r;
    pc_bf_from_num(a, &x);
    pc_bf_from_num(b, &y);
    if (op == OP_MUL) {
        pc_bf_mul(&r, &x, &y);
    } else {
        pc_bf_add(&r, &x, &y, op == OP_SUB);
    }
    return pc_num_from_bf(&r);
}

static pc_value *arith(int op, pc_value *a, pc_value *b) {
    if (is_int64(a) && is_int64(b)) {
        int64_t r;
        int over = op == OP_ADD   ? __builtin_add_overflow(a->u.i, b->u.i, &r)
                   : op == OP_SUB ? __builtin_sub_overflow(a->u.i, b->u.i, &r)
                                  : mul_overflow(a->u.i, b->u.i, &r);
        if (!over) {
            return pc_int(r);
        }
    }
    int an, bn;
    pc_bn x, y;
    if (pc_num_to_bn(a, &an, &x) && pc_num_to_bn(b, &bn, &y)) {
        return exact_op(op, an, &x, bn, &y);
    }
    return float_op(op, a, b);
}

EXPORT("pc_plus") pc_value *pc_plus(pc_value *a, pc_value *b) {
    return is_num(a) && is_num(b) ? arith(OP_ADD, a, b) : 0;
}

EXPORT("pc_minus") pc_value *pc_minus(pc_value *a, pc_value *b) {
    if (both_sets(a, b)) {
        return set_op(a, b, 0);
    }
    return is_num(a) && is_num(b) ? arith(OP_SUB, a, b) : 0;
}

EXPORT("pc_mul") pc_value *pc_mul(pc_value *a, pc_value *b) {
    return is_num(a) && is_num(b) ? arith(OP_MUL, a, b) : 0;
}

static int is_zero(pc_value *v) {
    if (is_int64(v)) {
        return v->u.i == 0;
    }
    return v->dec->nd == 0;
}

/* Exact only when the divisor divides a nonzero dividend; everything else (0 / x included,
 * whose quotient may be -0) is a float quotient, as in OPA. */
EXPORT("pc_div") pc_value *pc_div(pc_value *a, pc_value *b) {
    if (!is_num(a) || !is_num(b) || is_zero(b)) {
        return 0;
    }
    if (is_int64(a) && is_int64(b) && a->u.i != 0 && !(a->u.i == INT64_MIN && b->u.i == -1) &&
        a->u.i % b->u.i == 0) {
        return pc_int(a->u.i / b->u.i);
    }
    pc_bf x, y, r;
    pc_bf_from_num(a, &x);
    pc_bf_from_num(b, &y);
    pc_bf_quo(&r, &x, &y);
    return pc_num_from_bf(&r);
}

/* Integers only (any size), truncated: the result has the dividend's sign. */
EXPORT("pc_rem") pc_value *pc_rem(pc_value *a, pc_value *b) {
    if (!is_num(a) || !is_num(b)) {
        return 0;
    }
    if (is_int64(a) && is_int64(b)) {
        if (b->u.i == 0) {
            return 0;
        }
        return pc_int(b->u.i == -1 ? 0 : a->u.i % b->u.i); /* INT64_MIN % -1 traps in wasm */
    }
    int an, bn;
    pc_bn x, y;
    if (!pc_num_to_bn(a, &an, &x) || !pc_num_to_bn(b, &bn, &y) || y.n == 0) {
        return 0;
    }
    pc_bn r;
    pc_bn_init(&r, x.n + 2);
    pc_bn_divmod(0, &r, &x, &y);
    return pc_num_from_bn(an, &r);
}

EXPORT("pc_union") pc_value *pc_union(pc_value *a, pc_value *b) {
    if (!both_sets(a, b)) {
        return 0;
    }
    pc_value *out = pc_set_new();
    int32_t i = 0, j = 0;
    while (i < a->len || j < b->len) {
        int c = i >= a->len ? 1 : j >= b->len ? -1 : pc_compare(a->u.items[i], b->u.items[j]);
        if (c <= 0) {
            pc_set_push_unsorted(out, a->u.items[i++]);
            j += c == 0;
        } else {
            pc_set_push_unsorted(out, b->u.items[j++]);
        }
    }
    return out;
}

EXPORT("pc_intersect") pc_value *pc_intersect(pc_value *a, pc_value *b) {
    return both_sets(a, b) ? set_op(a, b, 1) : 0;
}

/* ---------------------------------------------------------------- numeric builtins */

/* abs, round, ceil and floor: exact on integers of any size (OPA's evaluator rounds integers
 * beyond int32 through a 64-bit big.Float here, which only changes integers beyond 2^64; we do
 * not round them). Other numbers go through a 64-bit big.Float as in OPA. */
static pc_value *unary(pc_value *x, int op) {
    if (!is_num(x)) {
        return 0;
    }
    if (is_int64(x)) {
        if (op != 'a' || x->u.i >= 0) {
            return x;
        }
        if (x->u.i != INT64_MIN) {
            return pc_int(-x->u.i);
        }
    }
    int neg;
    pc_bn m;
    if (pc_num_to_bn(x, &neg, &m)) {
        return pc_num_from_bn(op == 'a' ? 0 : neg && m.n != 0, &m);
    }
    pc_bf f;
    pc_bf_from_num(x, &f);
    if (op == 'a') {
        f.neg = 0;
        return pc_num_from_bf(&f);
    }
    if (op == 'r') { /* half away from zero */
        pc_bf half = {f.neg, 1ull << 63, -64};
        pc_bf_add(&f, &f, &half, 0);
    }
    pc_bn mag;
    int fraction;
    pc_bf_trunc(&f, &mag, &fraction);
    /* OPA's evaluator gets ceil/floor of (-1, 0) and (0, 1) wrong on the sign (its truncated
     * zero loses the sign); OPA's Wasm runtime and mathematics agree: floor(-0.5) = -1. */
    if (fraction && ((op == 'c' && !f.neg) || (op == 'f' && f.neg))) {
        pc_bn one;
        pc_bn_init(&one, 2);
        pc_bn_set_u64(&one, 1);
        pc_bn_add(&mag, &mag, &one);
    }
    return pc_num_from_bn(f.neg && mag.n != 0, &mag);
}

EXPORT("pc_bi_abs") pc_value *pc_bi_abs(pc_value *x) { return unary(x, 'a'); }
EXPORT("pc_bi_round") pc_value *pc_bi_round(pc_value *x) { return unary(x, 'r'); }
EXPORT("pc_bi_ceil") pc_value *pc_bi_ceil(pc_value *x) { return unary(x, 'c'); }
EXPORT("pc_bi_floor") pc_value *pc_bi_floor(pc_value *x) { return unary(x, 'f'); }

EXPORT("pc_bi_to_number") pc_value *pc_bi_to_number(pc_value *x) {
    if (!x) {
        return 0;
    }
    switch (x->type) {
    case PC_NULL:
        return pc_int(0);
    case PC_BOOLEAN:
        return pc_int(x->u.b ? 1 : 0);
    case PC_NUMBER:
        return x;
    case PC_STRING: {
        const char *s = x->u.s;
        int32_t n = x->len;
        if (n > 1 && s[0] == '+' && s[1] != '-') { /* strconv.ParseFloat accepts a plus sign */
            s++;
            n--;
        }
        pc_value *v = pc_parse_number(s, n);
        /* OPA validates with strconv.ParseFloat, which refuses what overflows a double */
        if (v && v->is_float == PC_NUM_TEXT && v->dec->nd > 0 && v->dec->nd + v->dec->exp >= 309) {
            static const char max_half[] = "1.797693134862315807937289714053e308";
            pc_value *limit = pc_num(max_half, (int32_t)sizeof(max_half) - 1);
            pc_value *mag = v->dec->neg ? pc_minus(pc_int(0), v) : v;
            if (pc_num_cmp(mag, limit) >= 0) {
                return 0;
            }
        }
        return v;
    }
    default:
        return 0;
    }
}

/* OPA's BigIntOperand: an integer of any size that a 64-bit mantissa holds exactly (1.0 too) */
static pc_value *big_int_operand(pc_value *v) {
    int neg;
    pc_bn m;
    if (!is_num(v) || !pc_num_to_bn(v, &neg, &m)) {
        return 0;
    }
    return pc_num_from_bn(neg && m.n != 0, &m);
}

static pc_value *range(pc_value *a, pc_value *b, pc_value *step) {
    pc_value *x = big_int_operand(a), *y = big_int_operand(b), *st = big_int_operand(step);
    if (!x || !y || !st || pc_num_cmp(st, pc_int(0)) <= 0) {
        return 0;
    }
    int down = pc_num_cmp(x, y) > 0;
    pc_value *span = down ? arith(OP_SUB, x, y) : arith(OP_SUB, y, x);
    pc_value *count = pc_div(span, st);
    if (pc_num_cmp(count, pc_int(0x7fffffff / 8)) > 0) {
        opa_abort("numbers.range: result too large");
    }
    pc_value *out = pc_arr_new(0);
    for (pc_value *i = x; down ? pc_num_cmp(i, y) >= 0 : pc_num_cmp(i, y) <= 0;
         i = arith(down ? OP_SUB : OP_ADD, i, st)) {
        pc_arr_push(out, i);
    }
    return out;
}

EXPORT("pc_bi_numbers_range") pc_value *pc_bi_numbers_range(pc_value *a, pc_value *b) {
    return range(a, b, pc_int(1));
}

EXPORT("pc_bi_numbers_range_step") pc_value *pc_bi_numbers_range_step(pc_value *a, pc_value *b, pc_value *step) {
    return range(a, b, step);
}

static int is_seq(pc_value *v) { return v && (v->type == PC_ARRAY || v->type == PC_SET); }

/* OPA: exact when every element is an integer (NumberToInt), else a 64-bit float accumulation
 * (rounded at each step); a non-number element is an error either way. */
static pc_value *fold(pc_value *x, int product) {
    if (!is_seq(x)) {
        return 0;
    }
    for (int32_t i = 0; i < x->len; i++) {
        if (!is_num(x->u.items[i])) {
            return 0;
        }
    }
    pc_value *acc = pc_int(product ? 1 : 0);
    int exact = 1;
    for (int32_t i = 0; i < x->len && exact; i++) {
        pc_value *e = x->u.items[i];
        int n;
        pc_bn m;
        if (!is_int64(e) && !pc_num_to_bn(e, &n, &m)) {
            exact = 0;
            break;
        }
        acc = arith(product ? OP_MUL : OP_ADD, acc, e);
    }
    if (exact) {
        return acc;
    }
    pc_bf a = {0, product ? 1ull << 63 : 0, product ? -63 : 0}, f;
    for (int32_t i = 0; i < x->len; i++) {
        pc_bf_from_num(x->u.items[i], &f);
        if (product) {
            pc_bf_mul(&a, &a, &f);
        } else {
            pc_bf_add(&a, &a, &f, 0);
        }
    }
    return pc_num_from_bf(&a);
}

EXPORT("pc_bi_sum") pc_value *pc_bi_sum(pc_value *x) { return fold(x, 0); }
EXPORT("pc_bi_product") pc_value *pc_bi_product(pc_value *x) { return fold(x, 1); }

static pc_value *extreme(pc_value *x, int want) {
    if (!is_seq(x) || x->len == 0) {
        return 0;
    }
    pc_value *best = x->u.items[0];
    for (int32_t i = 1; i < x->len; i++) {
        int c = pc_compare(x->u.items[i], best) * want;
        /* arrays: like OPA, a later equal element (1.0 after 1) wins */
        if (c > 0 || (c == 0 && x->type == PC_ARRAY)) {
            best = x->u.items[i];
        }
    }
    return best;
}

EXPORT("pc_bi_max") pc_value *pc_bi_max(pc_value *x) { return extreme(x, 1); }
EXPORT("pc_bi_min") pc_value *pc_bi_min(pc_value *x) { return extreme(x, -1); }

EXPORT("pc_bi_count") pc_value *pc_bi_count(pc_value *x) {
    if (!x) {
        return 0;
    }
    if (x->type == PC_STRING) {
        return pc_int(pc_utf8_count(x->u.s, x->len));
    }
    if (x->type == PC_ARRAY || x->type == PC_OBJECT || x->type == PC_SET) {
        return pc_int(x->len);
    }
    return 0;
}

/* ---------------------------------------------------------------- bits.* */

/* OPA applies Go's big.Int bit operations (two's complement of any width). Operands must be
 * integers; within int64 that is exact int64 arithmetic, and left shifts grow as needed. */
static int bits_operand(pc_value *v, int64_t *out) {
    int neg;
    pc_bn m;
    if (!is_num(v)) {
        return 0;
    }
    if (is_int64(v)) {
        *out = v->u.i;
        return 1;
    }
    if (!pc_num_to_bn(v, &neg, &m)) {
        return 0; /* not an integer: undefined, as OPA's operand error */
    }
    if (pc_bn_bitlen(&m) <= 63) {
        uint64_t u = m.n ? (m.w[0] | (m.n > 1 ? (uint64_t)m.w[1] << 32 : 0)) : 0;
        *out = neg ? -(int64_t)u : (int64_t)u;
        return 1;
    }
    opa_abort("bits: operands beyond int64 are not supported by the runtime");
    return 0;
}

static pc_value *bits2(pc_value *a, pc_value *b, char op) {
    int64_t x, y;
    if (!bits_operand(a, &x) || !bits_operand(b, &y)) {
        return 0;
    }
    switch (op) {
    case '&': return pc_int(x & y);
    case '|': return pc_int(x | y);
    case '^': return pc_int(x ^ y);
    case '>':
        if (y < 0) {
            return 0;
        }
        return pc_int(y >= 63 ? (x < 0 ? -1 : 0) : x >> y); /* arithmetic: floor division */
    default: { /* '<' */
        if (y < 0) {
            return 0;
        }
        if (y > 100000) {
            opa_abort("bits.lsh: shift too large");
        }
        pc_bn m;
        pc_bn_init(&m, (int32_t)(y / 32) + 4);
        pc_bn_set_u64(&m, x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x);
        pc_bn_shl(&m, (int32_t)y);
        return pc_num_from_bn(x < 0 && m.n != 0, &m);
    }
    }
}

EXPORT("pc_bi_bits_and") pc_value *pc_bi_bits_and(pc_value *a, pc_value *b) { return bits2(a, b, '&'); }
EXPORT("pc_bi_bits_or") pc_value *pc_bi_bits_or(pc_value *a, pc_value *b) { return bits2(a, b, '|'); }
EXPORT("pc_bi_bits_xor") pc_value *pc_bi_bits_xor(pc_value *a, pc_value *b) { return bits2(a, b, '^'); }
EXPORT("pc_bi_bits_lsh") pc_value *pc_bi_bits_lsh(pc_value *a, pc_value *b) { return bits2(a, b, '<'); }
EXPORT("pc_bi_bits_rsh") pc_value *pc_bi_bits_rsh(pc_value *a, pc_value *b) { return bits2(a, b, '>'); }

EXPORT("pc_bi_bits_negate") pc_value *pc_bi_bits_negate(pc_value *a) {
    int64_t x;
    if (!bits_operand(a, &x)) {
        return 0;
    }
    return pc_int(~x); /* -x - 1: never leaves int64 */
}
