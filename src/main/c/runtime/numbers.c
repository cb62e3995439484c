/*
 * Arithmetic. Numbers stay int64 while results are exact and fit, and fall back to double on
 * overflow or fractions, so integer policies never see rounding while mixed arithmetic still
 * works. Non-finite results are undefined: JSON cannot carry them.
 */
#include "pc.h"

static int is_num(pc_value *v) { return v && v->type == PC_NUMBER; }

static pc_value *finite(double d) {
    if (d != d || d > 1.7976931348623157e308 || d < -1.7976931348623157e308) {
        return 0;
    }
    return pc_float(d);
}

/* doubles with an integral value that fits come back as ints, e.g. floor(2.5) = 2 */
static pc_value *num_from_double(double d) {
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 && (double)(int64_t)d == d) {
        return pc_int((int64_t)d);
    }
    return finite(d);
}

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

EXPORT("pc_plus") pc_value *pc_plus(pc_value *a, pc_value *b) {
    if (!is_num(a) || !is_num(b)) {
        return 0;
    }
    int64_t r;
    if (!a->is_float && !b->is_float && !__builtin_add_overflow(a->u.i, b->u.i, &r)) {
        return pc_int(r);
    }
    return finite(pc_to_double(a) + pc_to_double(b));
}

EXPORT("pc_minus") pc_value *pc_minus(pc_value *a, pc_value *b) {
    if (both_sets(a, b)) {
        return set_op(a, b, 0);
    }
    if (!is_num(a) || !is_num(b)) {
        return 0;
    }
    int64_t r;
    if (!a->is_float && !b->is_float && !__builtin_sub_overflow(a->u.i, b->u.i, &r)) {
        return pc_int(r);
    }
    return finite(pc_to_double(a) - pc_to_double(b));
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

EXPORT("pc_mul") pc_value *pc_mul(pc_value *a, pc_value *b) {
    if (!is_num(a) || !is_num(b)) {
        return 0;
    }
    int64_t r;
    if (!a->is_float && !b->is_float && !mul_overflow(a->u.i, b->u.i, &r)) {
        return pc_int(r);
    }
    return finite(pc_to_double(a) * pc_to_double(b));
}

EXPORT("pc_div") pc_value *pc_div(pc_value *a, pc_value *b) {
    if (!is_num(a) || !is_num(b) || pc_to_double(b) == 0) {
        return 0;
    }
    if (!a->is_float && !b->is_float && !(a->u.i == INT64_MIN && b->u.i == -1) &&
        a->u.i % b->u.i == 0) {
        return pc_int(a->u.i / b->u.i);
    }
    return finite(pc_to_double(a) / pc_to_double(b));
}

EXPORT("pc_rem") pc_value *pc_rem(pc_value *a, pc_value *b) {
    int64_t x, y;
    if (!pc_is_int(a, &x) || !pc_is_int(b, &y) || y == 0) {
        return 0;
    }
    return pc_int(y == -1 ? 0 : x % y); /* INT64_MIN % -1 traps in wasm */
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

EXPORT("pc_bi_abs") pc_value *pc_bi_abs(pc_value *x) {
    if (!is_num(x)) {
        return 0;
    }
    if (x->is_float) {
        return pc_float(x->u.d < 0 ? -x->u.d : x->u.d);
    }
    if (x->u.i == INT64_MIN) {
        return pc_float(9223372036854775808.0);
    }
    return x->u.i < 0 ? pc_int(-x->u.i) : x;
}

/* half away from zero, like Go's math.Round */
EXPORT("pc_bi_round") pc_value *pc_bi_round(pc_value *x) {
    if (!is_num(x)) {
        return 0;
    }
    if (!x->is_float) {
        return x;
    }
    double d = x->u.d, t = __builtin_trunc(d);
    double frac = d - t;
    if (frac >= 0.5) {
        t += 1;
    } else if (frac <= -0.5) {
        t -= 1;
    }
    return num_from_double(t);
}

EXPORT("pc_bi_ceil") pc_value *pc_bi_ceil(pc_value *x) {
    if (!is_num(x)) {
        return 0;
    }
    return x->is_float ? num_from_double(__builtin_ceil(x->u.d)) : x;
}

EXPORT("pc_bi_floor") pc_value *pc_bi_floor(pc_value *x) {
    if (!is_num(x)) {
        return 0;
    }
    return x->is_float ? num_from_double(__builtin_floor(x->u.d)) : x;
}

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
        return pc_parse_number(s, n);
    }
    default:
        return 0;
    }
}

EXPORT("pc_bi_numbers_range") pc_value *pc_bi_numbers_range(pc_value *a, pc_value *b) {
    int64_t x, y;
    if (!pc_is_int(a, &x) || !pc_is_int(b, &y)) {
        return 0;
    }
    int64_t step = x <= y ? 1 : -1;
    uint64_t count = (x <= y ? (uint64_t)y - (uint64_t)x : (uint64_t)x - (uint64_t)y) + 1;
    if (count > 0x7fffffff / 8) {
        opa_abort("numbers.range: result too large");
    }
    pc_value *out = pc_arr_new((int32_t)count);
    for (int64_t i = x;; i += step) {
        pc_arr_push(out, pc_int(i));
        if (i == y) {
            break;
        }
    }
    return out;
}

static int is_seq(pc_value *v) { return v && (v->type == PC_ARRAY || v->type == PC_SET); }

static pc_value *fold(pc_value *x, int product) {
    if (!is_seq(x)) {
        return 0;
    }
    pc_value *acc = pc_int(product ? 1 : 0);
    for (int32_t i = 0; i < x->len; i++) {
        pc_value *e = x->u.items[i];
        if (!is_num(e)) {
            return 0;
        }
        acc = product ? pc_mul(acc, e) : pc_plus(acc, e);
        if (!acc) {
            return 0;
        }
    }
    return acc;
}

EXPORT("pc_bi_sum") pc_value *pc_bi_sum(pc_value *x) { return fold(x, 0); }
EXPORT("pc_bi_product") pc_value *pc_bi_product(pc_value *x) { return fold(x, 1); }

static pc_value *extreme(pc_value *x, int want) {
    if (!is_seq(x) || x->len == 0) {
        return 0;
    }
    pc_value *best = x->u.items[0];
    for (int32_t i = 1; i < x->len; i++) {
        if (pc_compare(x->u.items[i], best) * want > 0) {
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
