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

/* one level: array elements that are arrays are spliced in */
EXPORT("pc_bi_array_flatten") pc_value *pc_bi_array_flatten(pc_value *arr) {
    if (!is_type(arr, PC_ARRAY)) {
        return 0;
    }
    pc_value *out = pc_arr_new(arr->len);
    for (int32_t i = 0; i < arr->len; i++) {
        pc_value *e = arr->u.items[i];
        if (is_type(e, PC_ARRAY)) {
            for (int32_t j = 0; j < e->len; j++) {
                pc_arr_push(out, e->u.items[j]);
            }
        } else {
            pc_arr_push(out, e);
        }
    }
    return out;
}

/* object.union over an array of objects, left to right */
EXPORT("pc_bi_object_union_n") pc_value *pc_bi_object_union_n(pc_value *objs) {
    if (!is_type(objs, PC_ARRAY)) {
        return 0;
    }
    pc_value *acc = pc_obj_new();
    for (int32_t i = 0; i < objs->len; i++) {
        if (!is_type(objs->u.items[i], PC_OBJECT)) {
            return 0;
        }
        acc = merge(acc, objs->u.items[i], 0);
    }
    return acc;
}

/* ---------------------------------------------------------------- object.filter, json.filter/remove */

/* keys of an array, set or object operand as a set; 0 for other types */
static pc_value *key_set(pc_value *keys) {
    if (!keys || (keys->type != PC_ARRAY && keys->type != PC_SET && keys->type != PC_OBJECT)) {
        return 0;
    }
    if (keys->type == PC_SET) {
        return keys;
    }
    pc_value *s = pc_set_new();
    for (int32_t i = 0; i < keys->len; i++) {
        pc_set_push_unsorted(s, keys->u.items[i]);
    }
    pc_set_finish(s);
    return s;
}

EXPORT("pc_bi_object_filter") pc_value *pc_bi_object_filter(pc_value *obj, pc_value *keys) {
    pc_value *ks = key_set(keys);
    if (!is_type(obj, PC_OBJECT) || !ks) {
        return 0;
    }
    pc_value *out = pc_obj_new();
    for (int32_t i = 0; i < obj->len; i++) {
        if (pc_set_has(ks, obj->u.items[i])) {
            pc_obj_push_unsorted(out, obj->u.items[i], obj->vals[i]); /* already in order */
        }
    }
    return out;
}

/* A JSON path: "a/b/c" (leading slashes ignored, ~1 is '/', ~0 is '~'; "" is the empty path) or
 * an array of segments. Returns 0 for anything else. */
static pc_value *path_segments(pc_value *p) {
    if (is_type(p, PC_ARRAY)) {
        return p;
    }
    if (!is_type(p, PC_STRING)) {
        return 0;
    }
    pc_value *out = pc_arr_new(0);
    if (p->len == 0) {
        return out;
    }
    const char *s = p->u.s;
    int32_t n = p->len, i = 0;
    while (i < n && s[i] == '/') {
        i++;
    }
    for (;;) {
        int32_t start = i;
        while (i < n && s[i] != '/') {
            i++;
        }
        /* unescape ~1 first, then ~0, as OPA does */
        char *seg = pc_alloc((uint32_t)(i - start) + 1);
        int32_t k = 0;
        for (int32_t j = start; j < i; j++) {
            if (s[j] == '~' && j + 1 < i && s[j + 1] == '1') {
                seg[k++] = '/';
                j++;
            } else {
                seg[k++] = s[j];
            }
        }
        int32_t m = 0;
        for (int32_t j = 0; j < k; j++) {
            if (seg[j] == '~' && j + 1 < k && seg[j + 1] == '0') {
                seg[m++] = '~';
                j++;
            } else {
                seg[m++] = seg[j];
            }
        }
        pc_arr_push(out, pc_str(seg, m));
        if (i >= n) {
            break;
        }
        i++; /* the separator */
    }
    return out;
}

/* OPA's pathsToObject: a tree of objects whose null leaves mark the selected paths */
static pc_value *paths_tree(pc_value *paths) {
    if (!paths || (paths->type != PC_ARRAY && paths->type != PC_SET)) {
        return 0;
    }
    pc_value *root = pc_obj_new();
    for (int32_t p = 0; p < paths->len; p++) {
        pc_value *segs = path_segments(paths->u.items[p]);
        if (!segs) {
            return 0;
        }
        if (segs->len == 0) {
            continue;
        }
        pc_value *node = root;
        int done = 0;
        for (int32_t i = 0; i < segs->len - 1 && !done; i++) {
            pc_value *child = pc_obj_get(node, segs->u.items[i]);
            if (!child) {
                pc_value *o = pc_obj_new();
                pc_obj_insert(node, segs->u.items[i], o);
                node = o;
            } else if (child->type == PC_NULL) {
                done = 1;
            } else {
                node = child;
            }
        }
        if (!done) {
            pc_obj_insert(node, segs->u.items[segs->len - 1], pc_null());
        }
    }
    return root;
}

static pc_value *index_key(int32_t i) {
    char buf[12];
    int32_t k = 0;
    char tmp[12];
    do {
        tmp[k++] = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    for (int32_t j = 0; j < k; j++) {
        buf[j] = tmp[k - 1 - j];
    }
    return pc_str_copy(buf, k);
}

/* OPA's filterObject: keep what the tree selects (array indexes are the keys "0", "1", ...) */
static pc_value *filter_tree(pc_value *o, pc_value *f, int32_t depth) {
    if (f->type == PC_NULL) {
        return o;
    }
    pc_depth_check(depth);
    switch (o->type) {
    case PC_ARRAY: {
        pc_value *out = pc_arr_new(0);
        for (int32_t i = 0; i < o->len; i++) {
            pc_value *sub = pc_obj_get(f, index_key(i));
            if (sub) {
                pc_arr_push(out, filter_tree(o->u.items[i], sub, depth + 1));
            }
        }
        return out;
    }
    case PC_SET: {
        pc_value *out = pc_set_new();
        for (int32_t i = 0; i < o->len; i++) {
            pc_value *sub = pc_obj_get(f, o->u.items[i]);
            if (sub) {
                pc_set_add(out, filter_tree(o->u.items[i], sub, depth + 1));
            }
        }
        return out;
    }
    case PC_OBJECT: {
        pc_value *out = pc_obj_new();
        for (int32_t i = 0; i < o->len; i++) {
            pc_value *sub = pc_obj_get(f, o->u.items[i]);
            if (sub) {
                pc_obj_push_unsorted(out, o->u.items[i], filter_tree(o->vals[i], sub, depth + 1));
            }
        }
        return out;
    }
    default:
        return o;
    }
}

/* OPA's jsonRemove: drop what the tree's null leaves select; arrays close up the gaps */
static pc_value *remove_tree(pc_value *a, pc_value *b, int32_t depth) {
    if (!b || (b->type != PC_OBJECT && b->type != PC_NULL)) {
        return a;
    }
    if (b->type == PC_NULL) {
        return 0;
    }
    pc_depth_check(depth);
    switch (a->type) {
    case PC_OBJECT: {
        pc_value *out = pc_obj_new();
        for (int32_t i = 0; i < a->len; i++) {
            pc_value *v = remove_tree(a->vals[i], pc_obj_get(b, a->u.items[i]), depth + 1);
            if (v) {
                pc_obj_push_unsorted(out, a->u.items[i], v);
            }
        }
        return out;
    }
    case PC_SET: {
        pc_value *out = pc_set_new();
        for (int32_t i = 0; i < a->len; i++) {
            pc_value *v = remove_tree(a->u.items[i], pc_obj_get(b, a->u.items[i]), depth + 1);
            if (v) {
                pc_set_add(out, v);
            }
        }
        return out;
    }
    case PC_ARRAY: {
        pc_value *out = pc_arr_new(0);
        for (int32_t i = 0; i < a->len; i++) {
            pc_value *v = remove_tree(a->u.items[i], pc_obj_get(b, index_key(i)), depth + 1);
            if (v) {
                pc_arr_push(out, v);
            }
        }
        return out;
    }
    default:
        return a;
    }
}

EXPORT("pc_bi_json_filter") pc_value *pc_bi_json_filter(pc_value *obj, pc_value *paths) {
    pc_value *tree = paths_tree(paths);
    if (!is_type(obj, PC_OBJECT) || !tree) {
        return 0;
    }
    return filter_tree(obj, tree, 0);
}

EXPORT("pc_bi_json_remove") pc_value *pc_bi_json_remove(pc_value *obj, pc_value *paths) {
    pc_value *tree = paths_tree(paths);
    if (!is_type(obj, PC_OBJECT) || !tree) {
        return 0;
    }
    return remove_tree(obj, tree, 0);
}

/* ---------------------------------------------------------------- object.subset (OPA's rules) */

static int set_subset(pc_value *super, pc_value *sub) {
    for (int32_t i = 0; i < sub->len; i++) {
        if (!pc_set_has(super, sub->u.items[i])) {
            return 0;
        }
    }
    return 1;
}

/* the whole sub array appears contiguously in super */
static int array_subset(pc_value *super, pc_value *sub) {
    if (sub->len > super->len) {
        return 0;
    }
    for (int32_t start = 0; start + sub->len <= super->len; start++) {
        int32_t k = 0;
        while (k < sub->len && pc_equal(super->u.items[start + k], sub->u.items[k])) {
            k++;
        }
        if (k == sub->len) {
            return 1;
        }
    }
    return 0;
}

/* OPA counts matching elements of the array down from the set's size (so duplicates in the
 * array count twice) and is false for an empty array: reproduced as is. */
static int array_set_subset(pc_value *super, pc_value *sub) {
    int32_t unmatched = sub->len;
    for (int32_t i = 0; i < super->len; i++) {
        if (pc_set_has(sub, super->u.items[i])) {
            unmatched--;
        }
        if (unmatched == 0) {
            return 1;
        }
    }
    return 0;
}

static int object_subset(pc_value *super, pc_value *sub, int32_t depth) {
    pc_depth_check(depth);
    for (int32_t i = 0; i < sub->len; i++) {
        pc_value *sv = pc_obj_get(super, sub->u.items[i]);
        pc_value *bv = sub->vals[i];
        if (!sv) {
            return 0;
        }
        if (pc_equal(sv, bv)) {
            continue;
        }
        if (sv->type == PC_OBJECT && bv->type == PC_OBJECT) {
            if (!object_subset(sv, bv, depth + 1)) {
                return 0;
            }
        } else if (sv->type == PC_SET && bv->type == PC_SET) {
            if (!set_subset(sv, bv)) {
                return 0;
            }
        } else if (sv->type == PC_ARRAY && bv->type == PC_ARRAY) {
            if (!array_subset(sv, bv)) {
                return 0;
            }
        } else {
            return 0;
        }
    }
    return 1;
}

EXPORT("pc_bi_object_subset") pc_value *pc_bi_object_subset(pc_value *super, pc_value *sub) {
    if (!super || !sub) {
        return 0;
    }
    if (super->type == PC_OBJECT && sub->type == PC_OBJECT) {
        return pc_bool(object_subset(super, sub, 0));
    }
    if (super->type == PC_SET && sub->type == PC_SET) {
        return pc_bool(set_subset(super, sub));
    }
    if (super->type == PC_ARRAY && sub->type == PC_ARRAY) {
        return pc_bool(array_subset(super, sub));
    }
    if (super->type == PC_ARRAY && sub->type == PC_SET) {
        return pc_bool(array_set_subset(super, sub));
    }
    return 0;
}
