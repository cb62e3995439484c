/*
 * graph.reachable / graph.reachable_paths and semver.compare / semver.is_valid as OPA's topdown
 * does them (reachable.go, semver.go).
 */
#include "pc.h"

/* Vertex collections are arrays or sets; anything else has no vertices (foreachVertex). */
static int32_t vertex_count(pc_value *c) {
    return c && (c->type == PC_ARRAY || c->type == PC_SET) ? c->len : 0;
}

EXPORT("pc_bi_graph_reachable") pc_value *pc_bi_graph_reachable(pc_value *graph, pc_value *initial) {
    if (!graph || graph->type != PC_OBJECT || !initial || (initial->type != PC_ARRAY && initial->type != PC_SET)) {
        return 0;
    }
    pc_value *reached = pc_set_new();
    pc_value *queue = pc_arr_new(initial->len + 4);
    for (int32_t i = 0; i < initial->len; i++) {
        pc_arr_push(queue, initial->u.items[i]);
    }
    for (int32_t head = 0; head < queue->len; head++) {
        pc_value *node = queue->u.items[head];
        pc_value *edges = pc_obj_get(graph, node);
        if (!edges) {
            continue;
        }
        for (int32_t i = 0; i < vertex_count(edges); i++) {
            pc_value *nb = edges->u.items[i];
            if (!pc_set_has(reached, nb)) {
                pc_arr_push(queue, nb);
            }
        }
        pc_set_add(reached, node);
    }
    return reached;
}

/* Guards against graphs whose path sets explode (OPA enumerates every simple path). */
#define PC_GRAPH_MAX_PATHS 100000
#define PC_GRAPH_MAX_DEPTH 400

typedef struct {
    pc_value *graph, *out;
    pc_value **path;
    int32_t len, cap;
    int32_t work;
} walker;

static pc_value *path_value(walker *w) {
    return pc_arr_from(w->path, w->len);
}

static int on_path(walker *w, pc_value *v) {
    for (int32_t i = 0; i < w->len; i++) {
        if (pc_equal(w->path[i], v)) {
            return 1;
        }
    }
    return 0;
}

/* pathBuilder: the set of nodes already reached is exactly the current path. */
static void build_paths(walker *w, pc_value *root) {
    if (++w->work > PC_GRAPH_MAX_PATHS || w->len >= PC_GRAPH_MAX_DEPTH) {
        opa_abort("graph.reachable_paths: too many paths");
    }
    pc_value *edges = pc_obj_get(w->graph, root);
    if (!edges) {
        pc_set_add(w->out, path_value(w));
        return;
    }
    if (w->len == w->cap) {
        int32_t nc = w->cap * 2;
        w->path = pc_realloc(w->path, (uint32_t)w->cap * sizeof(pc_value *), (uint32_t)nc * sizeof(pc_value *));
        w->cap = nc;
    }
    w->path[w->len++] = root;
    int32_t n = vertex_count(edges);
    if (n == 0) {
        pc_set_add(w->out, path_value(w));
    }
    for (int32_t i = 0; i < n; i++) {
        pc_value *nb = edges->u.items[i];
        if (on_path(w, nb)) {
            pc_set_add(w->out, path_value(w));
        } else {
            build_paths(w, nb);
        }
    }
    w->len--;
}

EXPORT("pc_bi_graph_reachable_paths") pc_value *pc_bi_graph_reachable_paths(pc_value *graph, pc_value *initial) {
    if (!graph || graph->type != PC_OBJECT || !initial || (initial->type != PC_ARRAY && initial->type != PC_SET)) {
        return 0;
    }
    walker w;
    w.graph = graph;
    w.out = pc_set_new();
    w.cap = 16;
    w.path = pc_alloc((uint32_t)w.cap * sizeof(pc_value *));
    w.work = 0;
    for (int32_t i = 0; i < initial->len; i++) {
        pc_value *node = initial->u.items[i];
        pc_value *edges = pc_obj_get(graph, node);
        if (!edges) {
            continue;
        }
        int32_t n = vertex_count(edges);
        if (n == 0) {
            pc_value *one = pc_arr_new(1);
            pc_arr_push(one, node);
            pc_set_add(w.out, one);
            continue;
        }
        for (int32_t k = 0; k < n; k++) {
            w.len = 1;
            w.path[0] = node;
            build_paths(&w, edges->u.items[k]);
        }
    }
    return w.out;
}

/* ---- semver ----
 * OPA's parser changed over time (a strict SemVer 2.0 regexp, later a looser hand-written
 * parser that accepts a leading "v", leading zeros and an empty pre-release). Versions in that
 * grey zone are refused; strict SemVer 2.0 and clearly malformed text are answered. */
typedef struct {
    int64_t major, minor, patch;
    const char *pre;
    int32_t npre;
} semver;

static int ident_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* Dot-separated non-empty identifiers; 0 when malformed, -1 (grey) for a numeric identifier
 * with a leading zero when `numeric_strict`. */
static int idents_ok(const char *s, int32_t n, int numeric_strict) {
    int32_t start = 0;
    for (int32_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (i == start) {
                return 0;
            }
            int numeric = 1;
            for (int32_t k = start; k < i; k++) {
                numeric &= s[k] >= '0' && s[k] <= '9';
            }
            if (numeric_strict && numeric && ((i - start > 1 && s[start] == '0') || i - start > 18)) {
                return -1;
            }
            start = i + 1;
        } else if (!ident_char(s[i])) {
            return 0;
        }
    }
    return 1;
}

static int parse_int_part(const char *s, int32_t n, int64_t *out) {
    if (n == 0) {
        return 0;
    }
    int64_t v = 0;
    for (int32_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        if (v > (INT64_MAX - (s[i] - '0')) / 10) {
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    if (n > 1 && s[0] == '0') {
        return -1;
    }
    *out = v;
    return 1;
}

/* 1 valid, 0 invalid; refuses (aborts) the grey zone. */
static int semver_parse(pc_value *v, semver *out) {
    const char *s = v->u.s;
    int32_t n = v->len;
    if (n > 0 && s[0] == 'v') {
        opa_abort("semver: a leading \"v\" is not supported");
    }
    int32_t plus = -1, dash = -1;
    for (int32_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            plus = i;
            break;
        }
    }
    int32_t core_end = plus >= 0 ? plus : n;
    if (plus >= 0) {
        if (plus + 1 == n) {
            opa_abort("semver: empty build metadata is not supported");
        }
        if (idents_ok(s + plus + 1, n - plus - 1, 0) != 1) {
            return 0;
        }
    }
    for (int32_t i = 0; i < core_end; i++) {
        if (s[i] == '-') {
            dash = i;
            break;
        }
    }
    out->pre = "";
    out->npre = 0;
    if (dash >= 0) {
        if (dash + 1 == core_end) {
            opa_abort("semver: an empty pre-release is not supported");
        }
        int r = idents_ok(s + dash + 1, core_end - dash - 1, 1);
        if (r == 0) {
            return 0;
        }
        if (r < 0) {
            opa_abort("semver: numeric pre-release identifiers with leading zeros or beyond 18 digits are not supported");
        }
        out->pre = s + dash + 1;
        out->npre = core_end - dash - 1;
        core_end = dash;
    }
    int32_t d1 = -1, d2 = -1, dots = 0;
    for (int32_t i = 0; i < core_end; i++) {
        if (s[i] == '.') {
            if (dots == 0) {
                d1 = i;
            } else if (dots == 1) {
                d2 = i;
            }
            dots++;
        }
    }
    if (dots != 2) {
        return 0;
    }
    int r1 = parse_int_part(s, d1, &out->major);
    int r2 = parse_int_part(s + d1 + 1, d2 - d1 - 1, &out->minor);
    int r3 = parse_int_part(s + d2 + 1, core_end - d2 - 1, &out->patch);
    if (r1 == 0 || r2 == 0 || r3 == 0) {
        return 0;
    }
    if (r1 < 0 || r2 < 0 || r3 < 0) {
        opa_abort("semver: version numbers with leading zeros are not supported");
    }
    return 1;
}

EXPORT("pc_bi_semver_is_valid") pc_value *pc_bi_semver_is_valid(pc_value *v) {
    semver sv;
    return pc_bool(v && v->type == PC_STRING && semver_parse(v, &sv));
}

static int cmp_i64(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

/* SemVer 2.0 precedence of two pre-release strings (non-empty, valid, no leading zeros). */
static int cmp_pre(const char *a, int32_t na, const char *b, int32_t nb) {
    int32_t i = 0, j = 0;
    for (;;) {
        if (i >= na && j >= nb) {
            return 0;
        }
        if (i >= na) {
            return -1;
        }
        if (j >= nb) {
            return 1;
        }
        int32_t ie = i, je = j;
        while (ie < na && a[ie] != '.') {
            ie++;
        }
        while (je < nb && b[je] != '.') {
            je++;
        }
        int an = 1, bn = 1;
        for (int32_t k = i; k < ie; k++) {
            an &= a[k] >= '0' && a[k] <= '9';
        }
        for (int32_t k = j; k < je; k++) {
            bn &= b[k] >= '0' && b[k] <= '9';
        }
        if (an != bn) {
            return an ? -1 : 1;
        }
        int c;
        if (an) {
            /* no leading zeros: longer is larger */
            c = ie - i != je - j ? (ie - i < je - j ? -1 : 1) : memcmp(a + i, b + j, (size_t)(ie - i));
        } else {
            int32_t la = ie - i, lb = je - j;
            c = memcmp(a + i, b + j, (size_t)(la < lb ? la : lb));
            if (c == 0) {
                c = la < lb ? -1 : la > lb;
            }
        }
        if (c != 0) {
            return c < 0 ? -1 : 1;
        }
        i = ie < na ? ie + 1 : ie;
        j = je < nb ? je + 1 : je;
        if (ie == na && je == nb) {
            return 0;
        }
        if (ie == na) {
            return -1;
        }
        if (je == nb) {
            return 1;
        }
    }
}

EXPORT("pc_bi_semver_compare") pc_value *pc_bi_semver_compare(pc_value *a, pc_value *b) {
    semver x, y;
    if (!a || a->type != PC_STRING || !b || b->type != PC_STRING || !semver_parse(a, &x) || !semver_parse(b, &y)) {
        return 0;
    }
    int c = cmp_i64(x.major, y.major);
    if (!c) {
        c = cmp_i64(x.minor, y.minor);
    }
    if (!c) {
        c = cmp_i64(x.patch, y.patch);
    }
    if (!c && (x.npre || y.npre)) {
        if (!x.npre || !y.npre) {
            c = x.npre ? -1 : 1;
        } else {
            c = cmp_pre(x.pre, x.npre, y.pre, y.npre);
        }
    }
    return pc_int(c);
}
