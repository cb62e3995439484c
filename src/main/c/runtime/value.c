/*
 * Value construction and collection access. Objects and sets are arrays kept sorted in Rego
 * order, so lookup is a binary search and iteration order (pc_key_at) is already the canonical
 * order the JSON dumper and the comparison functions need.
 */
#include "pc.h"

static pc_value null_v = {PC_NULL, 0, 0, 0, {0}, {0}};
static pc_value false_v = {PC_BOOLEAN, 0, 0, 0, {.b = 0}, {0}};
static pc_value true_v = {PC_BOOLEAN, 0, 0, 0, {.b = 1}, {0}};

static pc_value *new_value(uint8_t type) {
    pc_value *v = pc_alloc(sizeof(pc_value));
    memset(v, 0, sizeof(pc_value));
    v->type = type;
    return v;
}

EXPORT("pc_null") pc_value *pc_null(void) { return &null_v; }
EXPORT("pc_bool") pc_value *pc_bool(int32_t b) { return b ? &true_v : &false_v; }

EXPORT("pc_int") pc_value *pc_int(int64_t i) {
    pc_value *v = new_value(PC_NUMBER);
    v->u.i = i;
    return v;
}

EXPORT("pc_str") pc_value *pc_str(const char *bytes, int32_t len) {
    pc_value *v = new_value(PC_STRING);
    v->u.s = bytes;
    v->len = len;
    return v;
}

pc_value *pc_str_copy(const char *bytes, int32_t len) {
    char *b = pc_alloc((uint32_t)len + 1);
    memcpy(b, bytes, (size_t)len);
    b[len] = 0;
    return pc_str(b, len);
}

pc_value *pc_cstr(const char *s) { return pc_str(s, (int32_t)pc_strlen(s)); }

static void reserve(pc_value *c, int32_t need) {
    if (need <= c->cap) {
        return;
    }
    int32_t ncap = c->cap < 4 ? 4 : c->cap * 2;
    if (ncap < need) {
        ncap = need;
    }
    uint32_t ob = (uint32_t)c->cap * 4u, nb = (uint32_t)ncap * 4u;
    c->u.items = pc_realloc(c->u.items, ob, nb);
    if (c->type == PC_OBJECT) {
        c->vals = pc_realloc(c->vals, ob, nb);
    }
    c->cap = ncap;
}

static pc_value *new_coll(uint8_t type, int32_t cap) {
    pc_value *v = new_value(type);
    if (cap > 0) {
        reserve(v, cap);
    }
    return v;
}

EXPORT("pc_arr_new") pc_value *pc_arr_new(int32_t capacity_hint) {
    return new_coll(PC_ARRAY, capacity_hint);
}

EXPORT("pc_arr_push") void pc_arr_push(pc_value *arr, pc_value *v) {
    reserve(arr, arr->len + 1);
    arr->u.items[arr->len++] = v;
}

pc_value *pc_arr_from(pc_value **items, int32_t n) {
    pc_value *a = pc_arr_new(n);
    memcpy(a->u.items, items, (size_t)n * 4u);
    a->len = n;
    return a;
}

EXPORT("pc_obj_new") pc_value *pc_obj_new(void) { return new_coll(PC_OBJECT, 0); }
EXPORT("pc_set_new") pc_value *pc_set_new(void) { return new_coll(PC_SET, 0); }

/* Binary search over sorted items; returns the match or the insertion point. Checking the last
 * entry first makes in-order construction (the common case) O(1) per insert. */
static int32_t find_sorted(pc_value *c, pc_value *key, int32_t *found) {
    int32_t lo = 0, hi = c->len;
    *found = 0;
    if (hi > 0) {
        int last = pc_compare(c->u.items[hi - 1], key);
        if (last < 0) {
            return hi;
        }
        if (last == 0) {
            *found = 1;
            return hi - 1;
        }
        hi--;
    }
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        int c2 = pc_compare(c->u.items[mid], key);
        if (c2 == 0) {
            *found = 1;
            return mid;
        }
        if (c2 < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

int32_t pc_obj_find(pc_value *obj, pc_value *key, int32_t *found) { return find_sorted(obj, key, found); }
int32_t pc_set_find(pc_value *set, pc_value *v, int32_t *found) { return find_sorted(set, v, found); }

pc_value *pc_obj_get(pc_value *obj, pc_value *key) {
    int32_t found;
    int32_t i = find_sorted(obj, key, &found);
    return found ? obj->vals[i] : 0;
}

int pc_set_has(pc_value *set, pc_value *v) {
    int32_t found;
    find_sorted(set, v, &found);
    return found;
}

static void insert_at(pc_value *c, int32_t i, pc_value *key, pc_value *v) {
    reserve(c, c->len + 1);
    int32_t tail = c->len - i;
    memmove(&c->u.items[i + 1], &c->u.items[i], (size_t)tail * 4u);
    c->u.items[i] = key;
    if (c->type == PC_OBJECT) {
        memmove(&c->vals[i + 1], &c->vals[i], (size_t)tail * 4u);
        c->vals[i] = v;
    }
    c->len++;
}

EXPORT("pc_obj_insert") void pc_obj_insert(pc_value *obj, pc_value *key, pc_value *v) {
    int32_t found;
    int32_t i = find_sorted(obj, key, &found);
    if (found) {
        obj->vals[i] = v;
    } else {
        insert_at(obj, i, key, v);
    }
}

EXPORT("pc_obj_insert_once")
void pc_obj_insert_once(pc_value *obj, pc_value *key, pc_value *v, const char *msg) {
    int32_t found;
    int32_t i = find_sorted(obj, key, &found);
    if (!found) {
        insert_at(obj, i, key, v);
    } else if (!pc_equal(obj->vals[i], v)) {
        opa_abort(msg);
    }
}

void pc_obj_remove(pc_value *obj, pc_value *key) {
    int32_t found;
    int32_t i = find_sorted(obj, key, &found);
    if (!found) {
        return;
    }
    int32_t tail = obj->len - i - 1;
    memmove(&obj->u.items[i], &obj->u.items[i + 1], (size_t)tail * 4u);
    memmove(&obj->vals[i], &obj->vals[i + 1], (size_t)tail * 4u);
    obj->len--;
}

EXPORT("pc_set_add") void pc_set_add(pc_value *set, pc_value *v) {
    int32_t found;
    int32_t i = find_sorted(set, v, &found);
    if (!found) {
        insert_at(set, i, v, 0);
    }
}

void pc_obj_push_unsorted(pc_value *obj, pc_value *key, pc_value *v) {
    reserve(obj, obj->len + 1);
    obj->u.items[obj->len] = key;
    obj->vals[obj->len] = v;
    obj->len++;
}

/* Stable sort, then keep the last of equal keys: a repeated JSON key behaves like a later
 * assignment, matching encoding/json. */
static int strictly_sorted(pc_value **items, int32_t n) {
    for (int32_t i = 1; i < n; i++) {
        if (pc_compare(items[i - 1], items[i]) >= 0) {
            return 0;
        }
    }
    return 1;
}

void pc_obj_finish(pc_value *obj) {
    int32_t n = obj->len;
    if (n < 2 || strictly_sorted(obj->u.items, n)) { /* canonical JSON input already is */
        return;
    }
    int32_t *idx = pc_alloc((uint32_t)n * 4u);
    for (int32_t i = 0; i < n; i++) {
        idx[i] = i;
    }
    pc_sort_index(obj->u.items, idx, n);
    pc_value **keys = pc_alloc((uint32_t)n * 4u);
    pc_value **vals = pc_alloc((uint32_t)n * 4u);
    int32_t m = 0;
    for (int32_t i = 0; i < n; i++) {
        pc_value *k = obj->u.items[idx[i]];
        if (m > 0 && pc_compare(keys[m - 1], k) == 0) {
            m--;
        }
        keys[m] = k;
        vals[m] = obj->vals[idx[i]];
        m++;
    }
    obj->u.items = keys;
    obj->vals = vals;
    obj->len = m;
    obj->cap = n;
}

void pc_set_push_unsorted(pc_value *set, pc_value *v) {
    reserve(set, set->len + 1);
    set->u.items[set->len++] = v;
}

void pc_set_finish(pc_value *set) {
    int32_t n = set->len;
    if (n < 2 || strictly_sorted(set->u.items, n)) {
        return;
    }
    pc_sort_values(set->u.items, n);
    int32_t m = 1;
    for (int32_t i = 1; i < n; i++) {
        if (pc_compare(set->u.items[m - 1], set->u.items[i]) != 0) {
            set->u.items[m++] = set->u.items[i];
        }
    }
    set->len = m;
}

EXPORT("pc_type") int32_t pc_type(pc_value *v) { return v ? v->type : 0; }

int pc_is_int(pc_value *v, int64_t *out) {
    if (!v || v->type != PC_NUMBER || v->is_float != PC_NUM_INT) {
        return 0;
    }
    *out = v->u.i;
    return 1;
}

EXPORT("pc_dot") pc_value *pc_dot(pc_value *v, pc_value *key) {
    if (!v || !key) {
        return 0;
    }
    switch (v->type) {
    case PC_ARRAY: {
        int64_t i;
        if (!pc_is_int(key, &i) || i < 0 || i >= v->len) {
            return 0;
        }
        return v->u.items[i];
    }
    case PC_OBJECT:
        return pc_obj_get(v, key);
    case PC_SET: {
        int32_t found;
        int32_t i = find_sorted(v, key, &found);
        return found ? v->u.items[i] : 0;
    }
    default:
        return 0;
    }
}

static int is_coll(pc_value *v) {
    return v && (v->type == PC_ARRAY || v->type == PC_OBJECT || v->type == PC_SET);
}

EXPORT("pc_len") int32_t pc_len(pc_value *v) { return is_coll(v) ? v->len : 0; }

EXPORT("pc_key_at") pc_value *pc_key_at(pc_value *v, int32_t i) {
    if (!is_coll(v) || i < 0 || i >= v->len) {
        return 0;
    }
    return v->type == PC_ARRAY ? pc_int(i) : v->u.items[i];
}

EXPORT("pc_val_at") pc_value *pc_val_at(pc_value *v, int32_t i) {
    if (!is_coll(v) || i < 0 || i >= v->len) {
        return 0;
    }
    return v->type == PC_OBJECT ? v->vals[i] : v->u.items[i];
}

EXPORT("pc_is_true") int32_t pc_is_true(pc_value *v) {
    return v && v->type == PC_BOOLEAN && v->u.b;
}
