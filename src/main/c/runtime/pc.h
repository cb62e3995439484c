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
void opa_heap_ptr_set(uint32_t p);
void *pc_realloc(void *p, uint32_t old_n, uint32_t new_n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t pc_strlen(const char *s);

/* Recursion over values is bounded by the 64 KiB shadow stack that sits below address 65536
 * (--stack-first); checking the stack pointer lets deep inputs fail cleanly instead of trapping
 * on an out-of-bounds write below address 0. */
#define PC_STACK_RESERVE 12288u
static inline int pc_stack_low(void) {
    return (uintptr_t)__builtin_frame_address(0) < PC_STACK_RESERVE;
}
void pc_stack_check(void);

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
