/*
 * Rego's total order: null < boolean < number < string < array < object < set, which is also
 * the numeric order of the PC_* tags. Numbers compare by value whatever their representation,
 * so 1 == 1.0 and sets/objects keyed by either find each other.
 */
#include "pc.h"

static int cmp_str(pc_value *a, pc_value *b) {
    int32_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->u.s, b->u.s, (size_t)n);
    if (c != 0) {
        return c;
    }
    return a->len < b->len ? -1 : (a->len > b->len ? 1 : 0);
}

static int cmp_len(int32_t a, int32_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

int32_t pc_compare_d(pc_value *a, pc_value *b, int32_t depth) {
    if (a == b) {
        return 0;
    }
    /* undefined sorts first so that a stray 0 cannot crash a sort */
    if (!a || !b) {
        return a ? 1 : -1;
    }
    if (a->type != b->type) {
        return a->type < b->type ? -1 : 1;
    }
    switch (a->type) {
    case PC_NULL:
        return 0;
    case PC_BOOLEAN:
        return cmp_len(a->u.b, b->u.b);
    case PC_NUMBER:
        return pc_num_cmp(a, b);
    case PC_STRING:
        return cmp_str(a, b);
    default:
        break;
    }
    pc_depth_check(depth);
    int32_t n = a->len < b->len ? a->len : b->len;
    for (int32_t i = 0; i < n; i++) {
        int c = pc_compare_d(a->u.items[i], b->u.items[i], depth + 1);
        if (c != 0) {
            return c;
        }
        /* objects: key i, then value i, before moving on (keys are already sorted) */
        if (a->type == PC_OBJECT) {
            c = pc_compare_d(a->vals[i], b->vals[i], depth + 1);
            if (c != 0) {
                return c;
            }
        }
    }
    return cmp_len(a->len, b->len);
}

EXPORT("pc_compare") int32_t pc_compare(pc_value *a, pc_value *b) { return pc_compare_d(a, b, 0); }

static int32_t equal_d(pc_value *a, pc_value *b, int32_t depth) {
    if (a == b) {
        return 1;
    }
    if (!a || !b || a->type != b->type) {
        return 0;
    }
    switch (a->type) {
    case PC_NULL:
        return 1;
    case PC_BOOLEAN:
        return a->u.b == b->u.b;
    case PC_NUMBER:
        return pc_num_cmp(a, b) == 0;
    case PC_STRING:
        return a->len == b->len && memcmp(a->u.s, b->u.s, (size_t)a->len) == 0;
    default:
        break;
    }
    if (a->len != b->len) {
        return 0;
    }
    pc_depth_check(depth);
    for (int32_t i = 0; i < a->len; i++) {
        if (!equal_d(a->u.items[i], b->u.items[i], depth + 1)) {
            return 0;
        }
        if (a->type == PC_OBJECT && !equal_d(a->vals[i], b->vals[i], depth + 1)) {
            return 0;
        }
    }
    return 1;
}

EXPORT("pc_equal") int32_t pc_equal(pc_value *a, pc_value *b) { return equal_d(a, b, 0); }

/* Bottom-up merge sort: stable (pc_obj_finish relies on that for "last key wins") and
 * O(n log n) without recursion. */
void pc_sort_index(pc_value **keys, int32_t *idx, int32_t n) {
    if (n < 2) {
        return;
    }
    int32_t *tmp = pc_alloc((uint32_t)n * 4u);
    int32_t *src = idx, *dst = tmp;
    for (int32_t w = 1; w < n; w *= 2) {
        for (int32_t lo = 0; lo < n; lo += 2 * w) {
            int32_t mid = lo + w < n ? lo + w : n;
            int32_t hi = lo + 2 * w < n ? lo + 2 * w : n;
            int32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                dst[k++] = pc_compare(keys[src[j]], keys[src[i]]) < 0 ? src[j++] : src[i++];
            }
            while (i < mid) {
                dst[k++] = src[i++];
            }
            while (j < hi) {
                dst[k++] = src[j++];
            }
        }
        int32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != idx) {
        memcpy(idx, src, (size_t)n * 4u);
    }
}

void pc_sort_values(pc_value **items, int32_t n) {
    if (n < 2) {
        return;
    }
    int32_t *idx = pc_alloc((uint32_t)n * 4u);
    pc_value **copy = pc_alloc((uint32_t)n * 4u);
    for (int32_t i = 0; i < n; i++) {
        idx[i] = i;
        copy[i] = items[i];
    }
    pc_sort_index(copy, idx, n);
    for (int32_t i = 0; i < n; i++) {
        items[i] = copy[idx[i]];
    }
}
