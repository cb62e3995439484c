/*
 * Internal definitions shared by the runtime's translation units. Generated code only sees the
 * opaque pc_value of codegen_api.h; the layout below is private to the runtime.
 */
#ifndef PORTCULLIS_PC_H
#define PORTCULLIS_PC_H

#include <stddef.h>
#include <stdint.h>
#include "codegen_api.h"

#define EXPORT(name) __attribute__((export_name(name)))
#define IMPORT(name) __attribute__((import_module("env"), import_name(name)))

/* The exact value of a number: (-1)^neg * d[0..nd) * 10^exp, digits without leading or trailing
 * zeros; nd == 0 is zero. */
typedef struct {
    uint8_t neg;
    int32_t nd;
    int32_t exp;
    const char *d;
} pc_dec;

/* Numbers are OPA's: a number is its JSON text, compared by exact value. PC_NUM_INT holds an
 * integer whose text is plain digits fitting int64 (OPA's Number.Int64() succeeds); every other
 * number (1.0, 1e3, 2e308, 23-digit integers, results like 0.33333333333333333334) keeps its
 * text in u.s/len and its exact value in dec. */
#define PC_NUM_INT 0
#define PC_NUM_TEXT 1

struct pc_value {
    uint8_t type;      /* PC_* tag */
    uint8_t is_float;  /* numbers: PC_NUM_INT or PC_NUM_TEXT */
    int32_t len;       /* string and number text: byte length; collections: entry count */
    int32_t cap;       /* collections: allocated slots */
    union {
        int64_t i;
        int32_t b;
        const char *s;
        pc_value **items; /* array elements, object keys, set members */
    } u;
    union {
        pc_value **vals;  /* object values, parallel to u.items */
        pc_dec *dec;      /* PC_NUM_TEXT numbers */
    };
};

IMPORT("opa_abort") void opa_abort(const char *msg);

/* ---- alloc.c ---- */
void *pc_alloc(uint32_t n);
void *pc_realloc(void *p, uint32_t old_n, uint32_t new_n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t pc_strlen(const char *s);

/* Recursion over values must fail cleanly rather than trap: either on an out-of-bounds write
 * below address 0 once the 64 KiB shadow stack (--stack-first) runs out, or when the engine's own
 * call stack does (Chicory, the JVM engine, manages roughly 1-2 thousand nested wasm calls on a
 * default thread). The parser stops at PC_MAX_PARSE_DEPTH; other recursive walks get a little
 * headroom above it because generated code may wrap parsed values a few levels deeper. */
#define PC_MAX_PARSE_DEPTH 1000
#define PC_MAX_VALUE_DEPTH 1100
#define PC_STACK_RESERVE 12288u
/* Reads __stack_pointer itself: __builtin_frame_address is not meaningful in frameless wasm
 * functions and reported a nearly exhausted stack on some call paths. */
static inline int pc_stack_low(void) {
    uint32_t sp;
    __asm__ volatile(".globaltype __stack_pointer, i32\n\tglobal.get __stack_pointer\n\tlocal.set %0"
                     : "=r"(sp));
    return sp < PC_STACK_RESERVE;
}
void pc_depth_check(int32_t depth); /* aborts when a value walk is too deep */

/* The shadow stack occupies [0, 65536) (-z stack-size=65536, --stack-first).
 * A trap (opa_abort included) leaves __stack_pointer wherever it was, so the host entry points
 * that start a new evaluation put it back; otherwise every abort would leak stack. */
#define PC_RESET_STACK()                                                                           \
    __asm__ volatile(".globaltype __stack_pointer, i32\n\ti32.const 65536\n\t"                    \
                     "global.set __stack_pointer" ::: "memory")
void pc_heap_ptr_set(uint32_t p);

/* ---- value.c ---- */
pc_value *pc_str_copy(const char *bytes, int32_t len);
pc_value *pc_cstr(const char *s);
int32_t pc_obj_find(pc_value *obj, pc_value *key, int32_t *found);
pc_value *pc_obj_get(pc_value *obj, pc_value *key);
int32_t pc_set_find(pc_value *set, pc_value *v, int32_t *found);
int pc_set_has(pc_value *set, pc_value *v);
void pc_obj_remove(pc_value *obj, pc_value *key);
/* Collections filled out of order (parsers, builtins) are sorted once at the end. */
void pc_obj_push_unsorted(pc_value *obj, pc_value *key, pc_value *v);
void pc_obj_finish(pc_value *obj);
void pc_set_push_unsorted(pc_value *set, pc_value *v);
void pc_set_finish(pc_value *set);
pc_value *pc_arr_from(pc_value **items, int32_t n);
/* OPA's Number.Int64(): a number whose text is an integer fitting int64 (not 1.0, not 1e3). */
int pc_is_int(pc_value *v, int64_t *out);

/* ---- compare.c ---- */
int pc_num_cmp(pc_value *a, pc_value *b);
int32_t pc_compare_d(pc_value *a, pc_value *b, int32_t depth);
void pc_sort_values(pc_value **items, int32_t n);
void pc_sort_index(pc_value **keys, int32_t *idx, int32_t n);

/* ---- bignum.c: unsigned big integers on the bump heap ---- */
typedef struct { int32_t n, cap; uint32_t *w; } pc_bn;
void pc_bn_init(pc_bn *a, int32_t cap);
void pc_bn_set_u64(pc_bn *a, uint64_t v);
void pc_bn_copy(pc_bn *dst, const pc_bn *src);
int32_t pc_bn_bitlen(const pc_bn *a);
int pc_bn_bit(const pc_bn *a, int32_t i);
int pc_bn_any_below(const pc_bn *a, int32_t i);
void pc_bn_mul_add_small(pc_bn *a, uint32_t m, uint32_t add);
void pc_bn_mul_pow10(pc_bn *a, int32_t e);
void pc_bn_mul_pow5(pc_bn *a, int32_t e);
void pc_bn_from_digits(pc_bn *a, const char *d, int32_t nd);
void pc_bn_shl(pc_bn *a, int32_t bits);
void pc_bn_shr(pc_bn *a, int32_t bits);
int pc_bn_cmp(const pc_bn *a, const pc_bn *b);
void pc_bn_add(pc_bn *r, const pc_bn *a, const pc_bn *b);
void pc_bn_sub(pc_bn *a, const pc_bn *b);
void pc_bn_mul(pc_bn *r, const pc_bn *a, const pc_bn *b);
void pc_bn_divmod(pc_bn *q, pc_bn *r, const pc_bn *a, const pc_bn *b);
uint32_t pc_bn_div_small(pc_bn *a, uint32_t m);
char *pc_bn_to_digits(pc_bn *a, int32_t *len);

/* ---- numfmt.c: number text, exact values, OPA's 64-bit big.Float arithmetic ---- */
/* Parses a JSON-grammar number at s[0..n) (copying the text). Returns 0 on syntax error. */
pc_value *pc_parse_number(const char *s, int32_t n);
/* The exact value of a number; digits of an int64 go to buf (>= 24 bytes). */
void pc_num_dec(pc_value *v, pc_dec *out, char *buf);
/* The number's text: written to buf (>= 24 bytes) for int64s, else the stored text. */
const char *pc_num_text(pc_value *v, char *buf, int32_t *len);
/* A number from decimal digits of a big integer (int64 when it fits). */
pc_value *pc_num_from_bn(int neg, pc_bn *mag);
/* OPA's NumberToInt: the number as an exact big integer when its value is an integer (1.0 and
 * 1e3 included). OPA versions before 1.x rounded such integers to 64 significant bits first;
 * current OPA and Portcullis keep them exact. */
int pc_num_to_bn(pc_value *v, int *neg, pc_bn *mag);
/* Go's big.Float at 64-bit precision, the representation OPA's arithmetic falls back to:
 * value = (-1)^neg * m * 2^e, m's top bit set; m == 0 is a (signed) zero. */
typedef struct { int neg; uint64_t m; int32_t e; } pc_bf;
void pc_bf_from_num(pc_value *v, pc_bf *out);
void pc_bf_from_dec(const pc_dec *d, pc_bf *out);
void pc_bf_add(pc_bf *r, const pc_bf *x, const pc_bf *y, int subtract);
void pc_bf_mul(pc_bf *r, const pc_bf *x, const pc_bf *y);
void pc_bf_quo(pc_bf *r, const pc_bf *x, const pc_bf *y);
/* OPA's FloatToNumber: the shortest text ('f' for integers, else 'g'), as a number. */
pc_value *pc_num_from_bf(const pc_bf *x);
/* Integer part (toward zero) of x, and whether x had a fraction. */
void pc_bf_trunc(const pc_bf *x, pc_bn *mag, int *fraction);
/* strconv.ParseFloat: the correctly rounded double of a number; 0 when it overflows a double. */
int pc_num_to_double(pc_value *v, double *out);
/* Digits of |v| (no trailing zeros; value 0.d * 10^dp): exact, or the shortest that read back. */
void pc_double_decimal(double v, char **digits, int32_t *nd, int32_t *dp);
void pc_double_shortest(double v, char **digits, int32_t *nd, int32_t *dp);

/* The bignum paths are quadratic: arithmetic on numbers beyond these sizes aborts evaluation
 * ("number too large for arithmetic") instead of running for minutes. Parsing, comparing and
 * dumping such numbers works at any size. */
#define PC_NUM_MAX_DIGITS 2000
#define PC_NUM_MAX_EXP10 5000
#define PC_NUM_MAX_EXP2 20000
void pc_check_size_dec(const pc_dec *d);
void pc_num_check_size(pc_value *v);

/* ---- json.c ---- */
typedef struct { char *buf; uint32_t len, cap; } pc_sb;
void pc_sb_put(pc_sb *sb, const char *s, uint32_t n);
void pc_sb_putc(pc_sb *sb, char c);
/* ---- sprintf.c ---- */
/* OPA's Value.String(): ["a", 1], {"k": v}, {1, 2}, set() */
void pc_rego_text(pc_sb *sb, pc_value *v, int32_t depth);
pc_value *pc_parse(const char *s, int32_t len, int rego_syntax);
const char *pc_dump(pc_value *v, int rego_syntax);

/* ---- strings.c ---- */
int32_t pc_utf8_decode(const char *s, int32_t len, int32_t *pos); /* returns code point, advances */
int32_t pc_utf8_encode(uint32_t cp, char *out);
int32_t pc_utf8_count(const char *s, int32_t len);

#endif
