/*
 * Builtins over arrays, objects and sets, plus the type predicates. Objects and sets arrive
 * sorted, so most of these are linear merges rather than repeated lookups.
 */
#include "pc.h"

static int is_type(pc_value *v, int t) { return v && v->type == t; }

static pc_value *type_is(pc_value *x, int t) { return x ? pc_bool(x->type == t) : 0; }

EXPORT("pc_bi_is_string") pc_value *pc_bi_is_string(pc_value *x) { return type_is(x, PC_STRING); }
EXPORT("pc_bi_is_number") pc_value *pc_bi_is_number(pc_value *x) { return type_is(x, PC_NUMBER); }
EXPORT("pc_bi_is_boolean") pc_value *pc_bi_is_boolean(pc_value *x) { return type_is(x, PC_BOOLEAN); }
EXPORT("pc_bi_is_array") pc_value *pc_bi_is_array(pc_value *x) { return type_is(x, PC_ARRAY); }
EXPORT("pc_bi_is_object") pc_value *pc_bi_is_object(pc_value *x) { return type_is(x, PC_OBJECT); }
EXPORT("pc_bi_is_set") pc_value *pc_bi_is_set(pc_value *x) { return type_is(x, PC_SET); }
EXPORT("pc_bi_is_null") pc_value *pc_bi_is_null(pc_value *x) { return type_is(x, PC_NULL); }

EXPORT("pc_bi_type_name") pc_value *pc_bi_type_name(pc_value *x) {
    static const char *const names[] = {"null", "boolean", "number", "string", "array", "object", "set"};
    if (!x || x->type < PC_NULL || x->type > PC_SET) {
        return 0;
    }
    return pc_cstr(names[x->type - 1]);
}

EXPORT("pc_bi_sort") pc_value *pc_bi_sort(pc_value *x) {
    if (!x || (x->type != PC_ARRAY && x->type != PC_SET)) {
        return 0;
    }
    pc_value *out = pc_arr_from(x->u.items, x->len);
    if (x->type == PC_ARRAY) {
        pc_sort_values(out->u.items, out->len);
    }
    return out;
}

EXPORT("pc_bi_object_keys") pc_value *pc_bi_object_keys(pc_value *x) {
    if (!is_type(x, PC_OBJECT)) {
        return 0;
    }
    pc_value *out = pc_set_new();
    for (int32_t i = 0; i < x->len; i++) {
        pc_set_push_unsorted(out, x->u.items[i]);
    }
    return out;
}

EXPORT("pc_bi_array_reverse") pc_value *pc_bi_array_reverse(pc_value *x) {
    if (!is_type(x, PC_ARRAY)) {
        return 0;
    }
    pc_value *out = pc_arr_new(x->len);
    for (int32_t i = x->len - 1; i >= 0; i--) {
        pc_arr_push(out, x->u.items[i]);
    }
    return out;
}

EXPORT("pc_bi_array_concat") pc_value *pc_bi_array_concat(pc_value *a, pc_value *b) {
    if (!is_type(a, PC_ARRAY) || !is_type(b, PC_ARRAY)) {
        return 0;
    }
    pc_value *out = pc_arr_new(a->len + b->len);
    for (int32_t i = 0; i < a->len; i++) {
        pc_arr_push(out, a->u.items[i]);
    }
    for (int32_t i = 0; i < b->len; i++) {
        pc_arr_push(out, b->u.items[i]);
    }
    return out;
}

/* OPA clamps the bounds instead of failing; only non-integers are errors. */
EXPORT("pc_bi_array_slice") pc_value *pc_bi_array_slice(pc_value *arr, pc_value *start, pc_value *stop) {
    int64_t a, b;
    if (!is_type(arr, PC_ARRAY) || !pc_is_int(start, &a) || !pc_is_int(stop, &b)) {
        return 0;
    }
    if (a < 0) {
        a = 0;
    }
    if (b > arr->len) {
        b = arr->len;
    }
    if (b < a) {
        return pc_arr_new(0);
    }
    return pc_arr_from(arr->u.items + a, (int32_t)(b - a));
}

EXPORT("pc_bi_union") pc_value *pc_bi_union(pc_value *x) {
    if (!is_type(x, PC_SET)) {
        return 0;
    }
    pc_value *out = pc_set_new();
    for (int32_t i = 0; i < x->len; i++) {
        pc_value *s = x->u.items[i];
        if (!is_type(s, PC_SET)) {
            return 0;
        }
        for (int32_t j = 0; j < s->len; j++) {
            pc_set_push_unsorted(out, s->u.items[j]);
        }
    }
    pc_set_finish(out);
    return out;
}

EXPORT("pc_bi_intersection") pc_value *pc_bi_intersection(pc_value *x) {
    if (!is_type(x, PC_SET)) {
        return 0;
    }
    for (int32_t i = 0; i < x->len; i++) {
        if (!is_type(x->u.items[i], PC_SET)) {
            return 0;
        }
    }
    if (x->len == 0) {
        return pc_set_new();
    }
    pc_value *acc = x->u.items[0];
    for (int32_t i = 1; i < x->len; i++) {
        acc = pc_intersect(acc, x->u.items[i]);
    }
    return acc;
}

EXPORT("pc_bi_object_remove") pc_value *pc_bi_object_remove(pc_value *obj, pc_value *keys) {
    if (!is_type(obj, PC_OBJECT) || !keys) {
        return 0;
    }
    pc_value *drop;
    if (keys->type == PC_ARRAY) {
        drop = pc_set_new();
        for (int32_t i = 0; i < keys->len; i++) {
            pc_set_push_unsorted(drop, keys->u.items[i]);
        }
        pc_set_finish(drop);
    } else if (keys->type == PC_SET || keys->type == PC_OBJECT) {
        drop = keys; /* an object's sorted keys are searchable like a set */
    } else {
        return 0;
    }
    pc_value *out = pc_obj_new();
    for (int32_t i = 0; i < obj->len; i++) {
        if (!pc_set_has(drop, obj->u.items[i])) {
            pc_obj_push_unsorted(out, obj->u.items[i], obj->vals[i]);
        }
    }
    return out;
}

static pc_value *merge(pc_value *a, pc_value *b, int32_t depth) {
    if (!is_type(a, PC_OBJECT) || !is_type(b, PC_OBJECT)) {
        return b;
    }
    pc_depth_check(depth);
    pc_value *out = pc_obj_new();
    int32_t i = 0, j = 0;
    while (i < a->len || j < b->len) {
        int c = i >= a->len ? 1 : j >= b->len ? -1 : pc_compare(a->u.items[i], b->u.items[j]);
        if (c < 0) {
            pc_obj_push_unsorted(out, a->u.items[i], a->vals[i]);
            i++;
        } else if (c > 0) {
            pc_obj_push_unsorted(out, b->u.items[j], b->vals[j]);
            j++;
        } else {
            pc_obj_push_unsorted(out, b->u.items[j], merge(a->vals[i], b->vals[j], depth + 1));
            i++;
            j++;
        }
    }
    return out;
}

EXPORT("pc_bi_object_union") pc_value *pc_bi_object_union(pc_value *a, pc_value *b) {
    if (!is_type(a, PC_OBJECT) || !is_type(b, PC_OBJECT)) {
        return 0;
    }
    return merge(a, b, 0);
}

EXPORT("pc_bi_object_get") pc_value *pc_bi_object_get(pc_value *obj, pc_value *key, pc_value *dflt) {
    if (!is_type(obj, PC_OBJECT) || !key || !dflt) {
        return 0;
    }
    if (key->type != PC_ARRAY) {
        pc_value *v = pc_obj_get(obj, key);
        return v ? v : dflt;
    }
    pc_value *cur = obj;
    for (int32_t i = 0; i < key->len; i++) {
        cur = pc_dot(cur, key->u.items[i]);
        if (!cur) {
            return dflt;
        }
    }
    return cur;
}
