/*
 * The OPA Wasm ABI surface (v1.3) and the stubs the Java linker fills in. The stubs are weak as
 * well as noinline: a weak definition may be replaced, so the optimizer can neither inline it
 * nor propagate its placeholder return value into callers.
 */
#include "pc.h"

#define STUB __attribute__((noinline, weak))

/* OPA's error codes for the path functions */
#define ERR_OK 0
#define ERR_INVALID_TYPE 2
#define ERR_INVALID_PATH 3

IMPORT("opa_builtin0") pc_value *opa_builtin0(int32_t id, int32_t ctx);
IMPORT("opa_builtin1") pc_value *opa_builtin1(int32_t id, int32_t ctx, pc_value *a);
IMPORT("opa_builtin2") pc_value *opa_builtin2(int32_t id, int32_t ctx, pc_value *a, pc_value *b);
IMPORT("opa_builtin3") pc_value *opa_builtin3(int32_t id, int32_t ctx, pc_value *a, pc_value *b, pc_value *c);
IMPORT("opa_builtin4")
pc_value *opa_builtin4(int32_t id, int32_t ctx, pc_value *a, pc_value *b, pc_value *c, pc_value *d);

extern unsigned char __heap_base;

EXPORT("pc_plan_eval") STUB pc_value *pc_plan_eval(int32_t ep, pc_value *input, pc_value *data) {
    (void)ep;
    (void)input;
    (void)data;
    return 0;
}

EXPORT("pc_builtins_json") STUB const char *pc_builtins_json(void) { return "{}"; }
EXPORT("pc_entrypoints_json") STUB const char *pc_entrypoints_json(void) { return "{}"; }
EXPORT("pc_heap_base") STUB uint32_t pc_heap_base(void) {
    return ((uint32_t)(uintptr_t)&__heap_base + 15u) & ~15u;
}

/* One call site per import keeps all five in the module even though only sprintf (arity 2) is
 * used by generated code today. */
EXPORT("pc_host_builtin")
pc_value *pc_host_builtin(int32_t arity, int32_t id, pc_value *a, pc_value *b, pc_value *c, pc_value *d) {
    switch (arity) {
    case 0: return opa_builtin0(id, 0);
    case 1: return opa_builtin1(id, 0, a);
    case 2: return opa_builtin2(id, 0, a, b);
    case 3: return opa_builtin3(id, 0, a, b, c);
    default: return opa_builtin4(id, 0, a, b, c, d);
    }
}

typedef struct {
    int32_t entrypoint;
    pc_value *input;
    pc_value *data;
    pc_value *result;
} eval_ctx;

/* The context lives in static memory, not on the heap: opa-java-wasm creates it and then resets
 * the heap pointer to load the input, so a heap-allocated context would be overwritten by the
 * input and by evaluation. An instance evaluates one query at a time, so one context suffices.
 * data defaults to NULL (read as an empty object by eval) so that nothing is allocated here. */
static eval_ctx the_ctx;

EXPORT("opa_eval_ctx_new") eval_ctx *opa_eval_ctx_new(void) {
    eval_ctx *c = &the_ctx;
    c->entrypoint = 0;
    c->input = 0;
    c->data = 0;
    c->result = 0;
    return c;
}

EXPORT("opa_eval_ctx_set_input") void opa_eval_ctx_set_input(eval_ctx *c, pc_value *v) { c->input = v; }
EXPORT("opa_eval_ctx_set_data") void opa_eval_ctx_set_data(eval_ctx *c, pc_value *v) { c->data = v; }
EXPORT("opa_eval_ctx_set_entrypoint") void opa_eval_ctx_set_entrypoint(eval_ctx *c, int32_t ep) {
    c->entrypoint = ep;
}
EXPORT("opa_eval_ctx_get_result") pc_value *opa_eval_ctx_get_result(eval_ctx *c) { return c->result; }

/* {"result": v} as the only member, or the empty set when the rule is undefined */
static pc_value *result_set(pc_value *v) {
    pc_value *rs = pc_set_new();
    if (v) {
        pc_value *row = pc_obj_new();
        pc_obj_insert(row, pc_str("result", 6), v);
        pc_set_add(rs, row);
    }
    return rs;
}

/* Generated code caches each rule's value for one evaluation, tagged with this counter; a new
 * evaluation (possibly reusing the same heap addresses) must never see an earlier one's values. */
static uint32_t generation;

EXPORT("pc_generation") uint32_t pc_generation(void) { return generation; }

static pc_value *plan_eval(int32_t ep, pc_value *input, pc_value *data) {
    generation = generation + 1 == 0 ? 1 : generation + 1;
    return pc_plan_eval(ep, input, data);
}

EXPORT("eval") int32_t eval(eval_ctx *c) {
    c->result = result_set(plan_eval(c->entrypoint, c->input, c->data ? c->data : pc_obj_new()));
    return 0;
}

/* The single-call path of ABI 1.2+: input arrives as JSON text just below heap_ptr. */
__attribute__((noinline)) static const char *eval_once(int32_t ep, pc_value *data, const char *input,
                                                       int32_t input_len, uint32_t heap_ptr, int32_t format) {
    pc_heap_ptr_set(heap_ptr);
    pc_value *in = 0;
    if (input && input_len > 0) {
        in = pc_parse(input, input_len, 0);
        if (!in) {
            opa_abort("opa_eval: input is not valid JSON");
        }
    }
    pc_value *rs = result_set(plan_eval(ep, in, data ? data : pc_obj_new()));
    return pc_dump(rs, format == 1);
}

/* A new evaluation starts here with no wasm frames live, so the stack can be reset before
 * eval_once's prologue claims any of it. */
EXPORT("opa_eval")
const char *opa_eval(int32_t reserved, int32_t ep, pc_value *data, const char *input, int32_t input_len,
                     uint32_t heap_ptr, int32_t format) {
    (void)reserved;
    PC_RESET_STACK();
    return eval_once(ep, data, input, input_len, heap_ptr, format);
}

EXPORT("builtins") pc_value *builtins(void) {
    const char *s = pc_builtins_json();
    return pc_parse(s, (int32_t)pc_strlen(s), 0);
}

EXPORT("entrypoints") pc_value *entrypoints(void) {
    const char *s = pc_entrypoints_json();
    return pc_parse(s, (int32_t)pc_strlen(s), 0);
}

/* Intermediate objects are created on demand, as OPA does for SetDataPath. */
EXPORT("opa_value_add_path") int32_t opa_value_add_path(pc_value *base, pc_value *path, pc_value *v) {
    if (!base || !path || path->type != PC_ARRAY || !v) {
        return ERR_INVALID_TYPE;
    }
    if (path->len == 0 || base->type != PC_OBJECT) {
        return ERR_INVALID_PATH;
    }
    pc_value *cur = base;
    for (int32_t i = 0; i < path->len - 1; i++) {
        pc_value *next = pc_obj_get(cur, path->u.items[i]);
        if (!next) {
            next = pc_obj_new();
            pc_obj_insert(cur, path->u.items[i], next);
        } else if (next->type != PC_OBJECT) {
            return ERR_INVALID_PATH;
        }
        cur = next;
    }
    pc_obj_insert(cur, path->u.items[path->len - 1], v);
    return ERR_OK;
}

EXPORT("opa_value_remove_path") int32_t opa_value_remove_path(pc_value *base, pc_value *path) {
    if (!base || !path || path->type != PC_ARRAY) {
        return ERR_INVALID_TYPE;
    }
    if (path->len == 0 || base->type != PC_OBJECT) {
        return ERR_INVALID_PATH;
    }
    pc_value *cur = base;
    for (int32_t i = 0; i < path->len - 1; i++) {
        cur = pc_obj_get(cur, path->u.items[i]);
        if (!cur || cur->type != PC_OBJECT) {
            return ERR_OK; /* nothing there to remove */
        }
    }
    pc_obj_remove(cur, path->u.items[path->len - 1]);
    return ERR_OK;
}
