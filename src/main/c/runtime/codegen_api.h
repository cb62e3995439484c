/*
 * The contract between the Java code generator (dev.portcullis.rego.wasm) and this runtime.
 *
 * Every function declared here is exported from runtime.wasm under exactly the C name shown
 * (export_name), so the Java linker can find its function index by name. The linker drops every
 * export that is not part of the OPA ABI after linking, so these names never reach a client.
 *
 * Conventions
 *  - A value is an i32 address of a runtime value (pc_value *). Address 0 means "undefined".
 *  - Functions returning a value return 0 when the result is undefined: a missing key, a builtin
 *    applied to operands of the wrong type, division by zero, and so on (OPA's non-strict mode).
 *  - Values are immutable once they have been handed to generated code, except for the
 *    collections generated code itself creates with pc_*_new and fills before first use.
 *  - All memory comes from the bump allocator; nothing is ever freed during an evaluation.
 */
#ifndef PORTCULLIS_CODEGEN_API_H
#define PORTCULLIS_CODEGEN_API_H

#include <stdint.h>

typedef struct pc_value pc_value;

/* ---- type tags returned by pc_type (Rego's sort order: null < boolean < ... < set) ---- */
#define PC_NULL    1
#define PC_BOOLEAN 2
#define PC_NUMBER  3
#define PC_STRING  4
#define PC_ARRAY   5
#define PC_OBJECT  6
#define PC_SET     7

/* ---- constructors ---- */
pc_value *pc_null(void);
pc_value *pc_bool(int32_t b);                       /* 0 → false, anything else → true (shared singletons) */
pc_value *pc_int(int64_t i);
/* A number literal that is not an int64 (2.5, 1e3, 2e308, 12345678901234567890123): its text, in
 * JSON number grammar, references constant data; the value is exact. 0 if the text is malformed. */
pc_value *pc_num(const char *text, int32_t len);
pc_value *pc_str(const char *bytes, int32_t len);   /* references the bytes (constant data), no copy */
pc_value *pc_arr_new(int32_t capacity_hint);
void      pc_arr_push(pc_value *arr, pc_value *v);
pc_value *pc_obj_new(void);
void      pc_obj_insert(pc_value *obj, pc_value *key, pc_value *v);      /* replaces an existing key */
/* Inserts key→v; if key already maps to a value that is not equal to v, aborts evaluation through
 * opa_abort with the NUL-terminated message at msg (generated code passes the rule's location). */
void      pc_obj_insert_once(pc_value *obj, pc_value *key, pc_value *v, const char *msg);
pc_value *pc_set_new(void);
void      pc_set_add(pc_value *set, pc_value *v);                        /* no-op if already present */

/* ---- access ---- */
int32_t   pc_type(pc_value *v);
/* array[number] (integral, in range), object[key], set[member] (returns the member) → value, else 0 */
pc_value *pc_dot(pc_value *v, pc_value *key);
/* Iteration over collections. pc_len is the element count for array/object/set and 0 for scalars.
 * Index i (0 <= i < len): array → key = number i, value = element i; object → key/value of the
 * i-th entry in key sort order; set → key = value = i-th member in sort order. */
int32_t   pc_len(pc_value *v);
pc_value *pc_key_at(pc_value *v, int32_t i);
pc_value *pc_val_at(pc_value *v, int32_t i);

/* ---- comparison (Rego semantics: 1 == 1.0; total order across types) ---- */
int32_t   pc_equal(pc_value *a, pc_value *b);       /* 1 or 0 */
int32_t   pc_compare(pc_value *a, pc_value *b);     /* <0, 0, >0 */
int32_t   pc_is_true(pc_value *v);                  /* 1 iff v is the boolean true */

/* ---- operators; 0 (undefined) on wrong operand types or division by zero ---- */
pc_value *pc_plus(pc_value *a, pc_value *b);        /* numbers */
pc_value *pc_minus(pc_value *a, pc_value *b);       /* numbers, or set difference */
pc_value *pc_mul(pc_value *a, pc_value *b);
pc_value *pc_div(pc_value *a, pc_value *b);
pc_value *pc_rem(pc_value *a, pc_value *b);         /* integers only */
pc_value *pc_union(pc_value *a, pc_value *b);       /* set | set */
pc_value *pc_intersect(pc_value *a, pc_value *b);   /* set & set */

/* ---- builtins: pc_bi_<rego name with '.' replaced by '_'>; 0 when undefined/erroneous ----
 * arity 1 */
pc_value *pc_bi_count(pc_value *x);
pc_value *pc_bi_sum(pc_value *x);
pc_value *pc_bi_product(pc_value *x);
pc_value *pc_bi_max(pc_value *x);
pc_value *pc_bi_min(pc_value *x);
pc_value *pc_bi_sort(pc_value *x);
pc_value *pc_bi_abs(pc_value *x);
pc_value *pc_bi_round(pc_value *x);
pc_value *pc_bi_ceil(pc_value *x);
pc_value *pc_bi_floor(pc_value *x);
pc_value *pc_bi_to_number(pc_value *x);
pc_value *pc_bi_lower(pc_value *x);
pc_value *pc_bi_upper(pc_value *x);
pc_value *pc_bi_trim_space(pc_value *x);
pc_value *pc_bi_is_string(pc_value *x);   /* is_*: true, or false when the type differs (never undefined) */
pc_value *pc_bi_is_number(pc_value *x);
pc_value *pc_bi_is_boolean(pc_value *x);
pc_value *pc_bi_is_array(pc_value *x);
pc_value *pc_bi_is_object(pc_value *x);
pc_value *pc_bi_is_set(pc_value *x);
pc_value *pc_bi_is_null(pc_value *x);
pc_value *pc_bi_type_name(pc_value *x);
pc_value *pc_bi_object_keys(pc_value *x);
pc_value *pc_bi_array_reverse(pc_value *x);
pc_value *pc_bi_union(pc_value *x);           /* union(set of sets) */
pc_value *pc_bi_units_parse(pc_value *x);
pc_value *pc_bi_strings_reverse(pc_value *s);
pc_value *pc_bi_array_flatten(pc_value *arr);
pc_value *pc_bi_bits_negate(pc_value *a);
pc_value *pc_bi_base64_encode(pc_value *s);
pc_value *pc_bi_base64_decode(pc_value *s);
pc_value *pc_bi_base64_is_valid(pc_value *s);
pc_value *pc_bi_base64url_encode(pc_value *s);
pc_value *pc_bi_base64url_encode_no_pad(pc_value *s);
pc_value *pc_bi_base64url_decode(pc_value *s);
pc_value *pc_bi_hex_encode(pc_value *s);
pc_value *pc_bi_hex_decode(pc_value *s);
pc_value *pc_bi_urlquery_encode(pc_value *s);
pc_value *pc_bi_urlquery_decode(pc_value *s);
pc_value *pc_bi_urlquery_encode_object(pc_value *obj);
pc_value *pc_bi_urlquery_decode_object(pc_value *s);
pc_value *pc_bi_json_marshal(pc_value *v);
pc_value *pc_bi_json_unmarshal(pc_value *s);
pc_value *pc_bi_json_is_valid(pc_value *s);
pc_value *pc_bi_object_union_n(pc_value *objs);
pc_value *pc_bi_units_parse_bytes(pc_value *x);
pc_value *pc_bi_intersection(pc_value *x);    /* intersection(set of sets) */
/* arity 2 */
pc_value *pc_bi_numbers_range(pc_value *a, pc_value *b);
pc_value *pc_bi_concat(pc_value *delim, pc_value *coll);   /* coll: array or set of strings */
pc_value *pc_bi_contains(pc_value *s, pc_value *sub);
pc_value *pc_bi_startswith(pc_value *s, pc_value *prefix);
pc_value *pc_bi_endswith(pc_value *s, pc_value *suffix);
pc_value *pc_bi_split(pc_value *s, pc_value *delim);
pc_value *pc_bi_trim(pc_value *s, pc_value *cutset);
pc_value *pc_bi_trim_prefix(pc_value *s, pc_value *prefix);
pc_value *pc_bi_trim_suffix(pc_value *s, pc_value *suffix);
pc_value *pc_bi_trim_left(pc_value *s, pc_value *cutset);
pc_value *pc_bi_trim_right(pc_value *s, pc_value *cutset);
pc_value *pc_bi_indexof(pc_value *s, pc_value *sub);       /* code-point index, -1 if absent */
pc_value *pc_bi_format_int(pc_value *n, pc_value *base);   /* base 2, 8, 10, 16 */
pc_value *pc_bi_object_remove(pc_value *obj, pc_value *keys); /* keys: array, set or object */
pc_value *pc_bi_object_union(pc_value *a, pc_value *b);       /* recursive merge, b wins */
pc_value *pc_bi_array_concat(pc_value *a, pc_value *b);
pc_value *pc_bi_strings_any_prefix_match(pc_value *search, pc_value *base); /* string, array or set of strings */
pc_value *pc_bi_strings_any_suffix_match(pc_value *search, pc_value *base);
pc_value *pc_bi_strings_count(pc_value *s, pc_value *sub);
pc_value *pc_bi_strings_replace_n(pc_value *patterns, pc_value *s);
pc_value *pc_bi_indexof_n(pc_value *s, pc_value *sub);
pc_value *pc_bi_bits_and(pc_value *a, pc_value *b);
pc_value *pc_bi_bits_or(pc_value *a, pc_value *b);
pc_value *pc_bi_bits_xor(pc_value *a, pc_value *b);
pc_value *pc_bi_bits_lsh(pc_value *a, pc_value *b);
pc_value *pc_bi_bits_rsh(pc_value *a, pc_value *b);
pc_value *pc_bi_object_filter(pc_value *obj, pc_value *keys);  /* keys: array, set or object */
pc_value *pc_bi_object_subset(pc_value *super, pc_value *sub);
pc_value *pc_bi_json_filter(pc_value *obj, pc_value *paths);   /* paths: "a/b" strings or arrays */
pc_value *pc_bi_json_remove(pc_value *obj, pc_value *paths);
/* arity 3 */
pc_value *pc_bi_replace(pc_value *s, pc_value *old, pc_value *new_);
pc_value *pc_bi_numbers_range_step(pc_value *a, pc_value *b, pc_value *step);
pc_value *pc_bi_substring(pc_value *s, pc_value *start, pc_value *length); /* code points; length < 0 → to end */
pc_value *pc_bi_object_get(pc_value *obj, pc_value *key, pc_value *dflt);  /* key may be an array path */
pc_value *pc_bi_array_slice(pc_value *arr, pc_value *start, pc_value *stop);
pc_value *pc_bi_sprintf(pc_value *format, pc_value *values);  /* Go's fmt, as OPA formats its operands */

/* crypto.c: digests and HMACs as lower-case hex */
pc_value *pc_bi_crypto_md5(pc_value *s);
pc_value *pc_bi_crypto_sha1(pc_value *s);
pc_value *pc_bi_crypto_sha256(pc_value *s);
pc_value *pc_bi_crypto_hmac_md5(pc_value *msg, pc_value *key);
pc_value *pc_bi_crypto_hmac_sha1(pc_value *msg, pc_value *key);
pc_value *pc_bi_crypto_hmac_sha256(pc_value *msg, pc_value *key);
pc_value *pc_bi_crypto_hmac_sha512(pc_value *msg, pc_value *key);
pc_value *pc_bi_crypto_hmac_equal(pc_value *a, pc_value *b);

/* net.c: Go's net.ParseCIDR / ParseIP semantics */
pc_value *pc_bi_net_cidr_is_valid(pc_value *s);
pc_value *pc_bi_net_cidr_contains(pc_value *cidr, pc_value *cidr_or_ip);
pc_value *pc_bi_net_cidr_intersects(pc_value *a, pc_value *b);
pc_value *pc_bi_net_cidr_expand(pc_value *s);   /* aborts beyond 65536 addresses */
pc_value *pc_bi_net_cidr_merge(pc_value *cidrs);
pc_value *pc_bi_net_cidr_contains_matches(pc_value *a, pc_value *b);

/* regex.c: Go's regexp (RE2 syntax) on a linear-time Pike VM; gobwas/glob on the same engine */
pc_value *pc_bi_regex_is_valid(pc_value *pattern);
pc_value *pc_bi_regex_match(pc_value *pattern, pc_value *s);
pc_value *pc_bi_regex_find_n(pc_value *pattern, pc_value *s, pc_value *n);
pc_value *pc_bi_regex_find_all_string_submatch_n(pc_value *pattern, pc_value *s, pc_value *n);
pc_value *pc_bi_regex_split(pc_value *pattern, pc_value *s);
pc_value *pc_bi_regex_replace(pc_value *s, pc_value *pattern, pc_value *value);
pc_value *pc_bi_glob_match(pc_value *pattern, pc_value *delimiters, pc_value *s);
pc_value *pc_bi_glob_quote_meta(pc_value *s);
pc_value *pc_bi_regex_template_match(pc_value *tpl, pc_value *s, pc_value *start, pc_value *end);

/* graph.c: graph.reachable / reachable_paths (topdown/reachable.go) and semver (strict SemVer 2.0) */
pc_value *pc_bi_graph_reachable(pc_value *graph, pc_value *initial);
pc_value *pc_bi_graph_reachable_paths(pc_value *graph, pc_value *initial);
pc_value *pc_bi_semver_is_valid(pc_value *v);
pc_value *pc_bi_semver_compare(pc_value *a, pc_value *b);

/* uuid.c: uuid.parse (google/uuid, OPA v1.14's fields) */
pc_value *pc_bi_uuid_parse(pc_value *s);

/* time.c: time.* in UTC (other zones and layouts are refused) */
pc_value *pc_bi_time_date(pc_value *t);
pc_value *pc_bi_time_clock(pc_value *t);
pc_value *pc_bi_time_weekday(pc_value *t);
pc_value *pc_bi_time_format(pc_value *t);
pc_value *pc_bi_time_diff(pc_value *a, pc_value *b);
pc_value *pc_bi_time_add_date(pc_value *t, pc_value *years, pc_value *months, pc_value *days);
pc_value *pc_bi_time_parse_rfc3339_ns(pc_value *s);
pc_value *pc_bi_time_parse_ns(pc_value *layout, pc_value *s);
pc_value *pc_bi_time_parse_duration_ns(pc_value *s);

/* ---- per-evaluation rule cache ----
 * A counter that changes at the start of every evaluation (never 0). Generated rule functions
 * cache their value in constant memory tagged with (generation, input address). */
uint32_t pc_generation(void);

/* ---- stubs: bodies are replaced by the Java linker; keep them noinline and exported ----
 * pc_plan_eval: evaluate entrypoint ep against input/data; return its value or 0 if undefined.
 * pc_builtins_json / pc_entrypoints_json: address of a NUL-terminated JSON object text
 *   ({"sprintf":0} / {"pkg/rule":0,...}).
 * pc_heap_base: first free address; the linker moves it past the constant data it adds. */
pc_value   *pc_plan_eval(int32_t ep, pc_value *input, pc_value *data);
const char *pc_builtins_json(void);
const char *pc_entrypoints_json(void);
uint32_t    pc_heap_base(void);

/* ---- added by the runtime ----
 * pc_host_builtin: calls the host import opa_builtin<arity>(id, 0, a, ...) (arity 0..4; extra
 *   operands are ignored). It exists so that all five opa_builtinN imports survive linking;
 *   generated code may call the imports directly instead. */
pc_value   *pc_host_builtin(int32_t arity, int32_t id, pc_value *a, pc_value *b, pc_value *c, pc_value *d);

#endif
