/*
 * Bump allocator. A policy evaluation is short-lived and the host resets the heap pointer
 * between evaluations (opa_heap_ptr_set / opa_eval), so freeing individual blocks would only cost
 * code size and time: nothing is ever reclaimed except by rewinding the pointer.
 */
#include "pc.h"

static uint32_t heap_ptr; /* 0 until first use, so a relinked module can move pc_heap_base */

static uint32_t heap_current(void) {
    if (heap_ptr == 0) {
        heap_ptr = pc_heap_base();
    }
    return heap_ptr;
}

static void ensure_memory(uint32_t end) {
    uint64_t have = (uint64_t)__builtin_wasm_memory_size(0) * 65536u;
    if ((uint64_t)end > have) {
        uint64_t need = ((uint64_t)end - have + 65535u) / 65536u;
        if (__builtin_wasm_memory_grow(0, (size_t)need) == (size_t)-1) {
            opa_abort("out of memory");
        }
    }
}

void *pc_alloc(uint32_t n) {
    uint32_t p = (heap_current() + 7u) & ~7u;
    uint32_t end = p + n;
    if (end < p) {
        opa_abort("out of memory");
    }
    ensure_memory(end);
    heap_ptr = end;
    return (void *)(uintptr_t)p;
}

/* Growing the most recent block in place keeps string builders and collection buffers from
 * leaving a trail of abandoned copies behind them. */
void *pc_realloc(void *p, uint32_t old_n, uint32_t new_n) {
    uint32_t a = (uint32_t)(uintptr_t)p;
    if (p != 0 && a + old_n == heap_current()) {
        uint32_t end = a + new_n;
        if (end < a) {
            opa_abort("out of memory");
        }
        ensure_memory(end);
        heap_ptr = end;
        return p;
    }
    void *q = pc_alloc(new_n);
    if (p != 0 && old_n != 0) {
        memcpy(q, p, old_n < new_n ? old_n : new_n);
    }
    return q;
}

void pc_depth_check(int32_t depth) {
    if (depth > PC_MAX_VALUE_DEPTH || pc_stack_low()) {
        opa_abort("stack exhausted: value nested too deeply");
    }
}

void pc_heap_ptr_set(uint32_t p) { heap_ptr = p; }

EXPORT("opa_malloc") void *opa_malloc(uint32_t size) { return pc_alloc(size); }
EXPORT("opa_free") void opa_free(void *p) { (void)p; }
EXPORT("opa_heap_ptr_get") uint32_t opa_heap_ptr_get(void) { return heap_current(); }
/* Hosts call this before each evaluation, with no wasm frames live: the place to undo the stack
 * an earlier abort leaked. Runtime code uses pc_heap_ptr_set instead. */
EXPORT("opa_heap_ptr_set") void opa_heap_ptr_set(uint32_t p) {
    PC_RESET_STACK();
    heap_ptr = p;
}
/* Stashing exists in OPA's ABI for its free-list allocator; rewinding covers it here. */
EXPORT("opa_heap_blocks_stash") void opa_heap_blocks_stash(void) {}
EXPORT("opa_heap_stash_clear") void opa_heap_stash_clear(void) {}
EXPORT("opa_heap_blocks_restore") void opa_heap_blocks_restore(void) {}

/* -nostdlib: the compiler still emits calls to these for struct copies and large moves. */
void *memcpy(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--) {
            *d++ = *s++;
        }
    } else if (d > s) {
        d += n;
        s += n;
        while (n--) {
            *--d = *--s;
        }
    }
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    while (n--) {
        *d++ = (unsigned char)c;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

size_t pc_strlen(const char *s) {
    size_t n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}
