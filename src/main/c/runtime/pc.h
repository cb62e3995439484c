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

struct pc_value {
    uint8_t type;      /* PC_* tag */
    uint8_t is_float;  /* numbers: u.d is valid instead of u.i */
    int32_t len;       /* string: byte length; collections: entry count */
    int32_t cap;       /* collections: allocated slots */
    union {
        int64_t i;
        double d;
        int32_t b;
        const char *s;
        pc_value **items; /* array elements, object keys, set members */
    } u;
    pc_value **vals;   /* object values, parallel to u.items */
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
int pc_is_int(pc_value *v, int64_t *out); /* number with an integral value fitting int64 */

/* ---- compare.c ---- */
int pc_num_cmp(pc_value *a, pc_value *b);
int32_t pc_compare_d(pc_value *a, pc_value *b, int32_t depth);
void pc_sort_values(pc_value **items, int32_t n);
void pc_sort_index(pc_value **keys, int32_t *idx, int32_t n);

/* ---- numfmt.c ---- */
/* Parses a JSON-grammar number at s[0..n). Returns 0 on syntax error or overflow. */
pc_value *pc_parse_number(const char *s, int32_t n);
/* Writes the canonical text of a number into buf (>= 32 bytes); returns its length. */
int32_t pc_format_number(pc_value *v, char *buf);
double pc_to_double(pc_value *v);

/* ---- json.c ---- */
typedef struct { char *buf; uint32_t len, cap; } pc_sb;
void pc_sb_put(pc_sb *sb, const char *s, uint32_t n);
void pc_sb_putc(pc_sb *sb, char c);
pc_value *pc_parse(const char *s, int32_t len, int rego_syntax);
const char *pc_dump(pc_value *v, int rego_syntax);

/* ---- strings.c ---- */
int32_t pc_utf8_decode(const char *s, int32_t len, int32_t *pos); /* returns code point, advances */
int32_t pc_utf8_encode(uint32_t cp, char *out);
int32_t pc_utf8_count(const char *s, int32_t len);

#endif
