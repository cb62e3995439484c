/*
 * regex.* and glob.match on one linear-time engine: patterns compile to a Thompson NFA that a Pike
 * VM simulates (time O(text x program), no backtracking), with Go's leftmost-first semantics for
 * match positions and submatches, as Go's regexp (RE2 syntax, Perl flags) and gobwas/glob give them
 * to OPA. What this engine does not implement is refused (opa_abort), never guessed: Unicode
 * classes (\pL), case-insensitive matching of non-ASCII letters, programs beyond PROG_MAX.
 */
#include "pc.h"

enum { I_CHAR, I_CLASS, I_ANY, I_ANYNL, I_SPLIT, I_JMP, I_SAVE, I_ASSERT, I_MATCH };
enum { A_BEGIN_TEXT, A_END_TEXT, A_BEGIN_LINE, A_END_LINE, A_WORD, A_NOT_WORD };

typedef struct {
    uint8_t op, arg;  /* arg: CLASS negated, ASSERT kind */
    int32_t x, y;     /* CHAR rune; CLASS range offset/count; SPLIT/JMP targets; SAVE slot */
} inst;

typedef struct {
    inst *ins;
    int32_t n, cap;
    int32_t *rng;     /* class ranges: lo, hi pairs */
    int32_t nr, rcap;
    int32_t ncap;     /* capture slots, 2 per group including group 0 */
    pc_value **names; /* group names (0 when unnamed), by group index */
} prog;

#define PROG_MAX 20000
#define MAX_DEPTH 200
#define MAX_RUNE 0x10FFFF

static int emit(prog *p, int op, int arg, int32_t x, int32_t y) {
    if (p->n >= PROG_MAX) {
        opa_abort("regex: pattern too large for the runtime's matcher");
    }
    if (p->n == p->cap) {
        int32_t nc = p->cap ? p->cap * 2 : 64;
        p->ins = pc_realloc(p->ins, (uint32_t)p->cap * sizeof(inst), (uint32_t)nc * sizeof(inst));
        p->cap = nc;
    }
    inst *i = &p->ins[p->n];
    i->op = (uint8_t)op;
    i->arg = (uint8_t)arg;
    i->x = x;
    i->y = y;
    return p->n++;
}

/* ---- character classes (sorted, merged lo/hi pairs) ---- */
typedef struct { int32_t *r; int32_t n, cap; } cls;

static void cls_add(cls *c, int32_t lo, int32_t hi) {
    if (c->n + 2 > c->cap) {
        int32_t nc = c->cap ? c->cap * 2 : 16;
        c->r = pc_realloc(c->r, (uint32_t)c->cap * 4, (uint32_t)nc * 4);
        c->cap = nc;
    }
    c->r[c->n++] = lo;
    c->r[c->n++] = hi;
}

static void cls_clean(cls *c) {
    /* insertion sort by lo, then merge overlapping/adjacent */
    for (int32_t i = 2; i < c->n; i += 2) {
        int32_t lo = c->r[i], hi = c->r[i + 1], j = i - 2;
        while (j >= 0 && c->r[j] > lo) {
            c->r[j + 2] = c->r[j];
            c->r[j + 3] = c->r[j + 1];
            j -= 2;
        }
        c->r[j + 2] = lo;
        c->r[j + 3] = hi;
    }
    int32_t w = 0;
    for (int32_t i = 0; i < c->n; i += 2) {
        if (w > 0 && c->r[i] <= c->r[w - 1] + 1) {
            if (c->r[i + 1] > c->r[w - 1]) {
                c->r[w - 1] = c->r[i + 1];
            }
        } else {
            c->r[w++] = c->r[i];
            c->r[w++] = c->r[i + 1];
        }
    }
    c->n = w;
}

static void cls_negate(cls *c) {
    cls_clean(c);
    cls out = {0, 0, 0};
    int32_t next = 0;
    for (int32_t i = 0; i < c->n; i += 2) {
        if (c->r[i] > next) {
            cls_add(&out, next, c->r[i] - 1);
        }
        next = c->r[i + 1] + 1;
    }
    if (next <= MAX_RUNE) {
        cls_add(&out, next, MAX_RUNE);
    }
    *c = out;
}

/* Go's case folding orbits restricted to what this runtime knows: ASCII letters plus the two
 * non-ASCII runes that fold onto ASCII (U+017F long s, U+212A Kelvin sign). */
static void cls_fold(cls *c) {
    int32_t n = c->n;
    for (int32_t i = 0; i < n; i += 2) {
        int32_t lo = c->r[i], hi = c->r[i + 1];
        for (int32_t ch = lo; ch <= hi && ch < 0x80; ch++) {
            if (ch >= 'a' && ch <= 'z') {
                cls_add(c, ch - 32, ch - 32);
            } else if (ch >= 'A' && ch <= 'Z') {
                cls_add(c, ch + 32, ch + 32);
            }
            if (ch == 'k' || ch == 'K') {
                cls_add(c, 0x212A, 0x212A);
            } else if (ch == 's' || ch == 'S') {
                cls_add(c, 0x17F, 0x17F);
            }
        }
        if (hi >= 0x80) {
            int32_t l = lo < 0x80 ? 0x80 : lo;
            if (l == hi && (l == 0x212A || l == 0x17F)) {
                int32_t a = l == 0x212A ? 'k' : 's';
                cls_add(c, a, a);
                cls_add(c, a - 32, a - 32);
            } else if (!(l <= 0xC0 - 1 && hi <= 0xBF) && !(lo == 0 && hi == MAX_RUNE)) {
                /* U+0080..U+00BF has no letters; everything else might fold */
                opa_abort("regex: case-insensitive matching of non-ASCII characters is not supported");
            }
        }
    }
    cls_clean(c);
}

static int cls_has(const int32_t *r, int32_t n, int32_t ch) {
    for (int32_t i = 0; i < n; i += 2) {
        if (ch < r[i]) {
            return 0;
        }
        if (ch <= r[i + 1]) {
            return 1;
        }
    }
    return 0;
}

static void emit_class(prog *p, cls *c, int neg) {
    cls_clean(c);
    if (p->nr + c->n > p->rcap) {
        int32_t nc = (p->rcap + c->n) * 2 + 16;
        p->rng = pc_realloc(p->rng, (uint32_t)p->rcap * 4, (uint32_t)nc * 4);
        p->rcap = nc;
    }
    memcpy(p->rng + p->nr, c->r, (uint32_t)c->n * 4);
    emit(p, I_CLASS, neg, p->nr, c->n);
    p->nr += c->n;
}

/* ---- regex parser (Go's regexp/syntax with the Perl flags) straight to code ----
 * The parser produces an AST first: counted repetition needs to copy sub-programs. */
enum { N_EMPTY, N_LIT, N_CLASS, N_ANY, N_ANYNL, N_ASSERT, N_CAT, N_ALT, N_REP, N_CAP };

typedef struct node {
    int kind;
    int32_t r;           /* LIT rune; ASSERT kind; CAP index */
    int fold;            /* LIT under (?i) */
    int neg;             /* CLASS negated */
    cls c;
    int32_t min, max;    /* REP; max -1 = unbounded */
    int greedy;
    int is_counted;      /* {n,m} (OpRepeat) rather than * + ? */
    struct node **kids;
    int32_t nk, kcap;
} node;

enum { F_FOLD = 1, F_MULTI = 2, F_DOTNL = 4, F_UNGREEDY = 8 };

typedef struct {
    const char *s;
    int32_t n, pos;
    int err;
    int ngroups;
    pc_value *names;    /* array of names by group index (null = unnamed) */
} parser;

static node *mk(int kind) {
    node *x = pc_alloc(sizeof(node));
    memset(x, 0, sizeof(node));
    x->kind = kind;
    return x;
}

static void kid(node *x, node *k) {
    if (x->nk == x->kcap) {
        int32_t nc = x->kcap ? x->kcap * 2 : 4;
        x->kids = pc_realloc(x->kids, (uint32_t)x->kcap * sizeof(node *), (uint32_t)nc * sizeof(node *));
        x->kcap = nc;
    }
    x->kids[x->nk++] = k;
}

static int32_t next_rune(parser *ps) {
    if (ps->pos >= ps->n) {
        ps->err = 1;
        return -1;
    }
    int32_t start = ps->pos;
    int32_t r = pc_utf8_decode(ps->s, ps->n, &ps->pos);
    if (r == 0xFFFD && ps->pos - start == 1 && (unsigned char)ps->s[start] >= 0x80) {
        ps->err = 1; /* invalid UTF-8 in the pattern */
        return -1;
    }
    return r;
}

static int isalnum_(int32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static int unhex(int32_t c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* parseEscape: ps->pos at the backslash. Returns the rune or -1 with ps->err set. */
static int32_t parse_escape(parser *ps) {
    ps->pos++;
    if (ps->pos >= ps->n) {
        ps->err = 1;
        return -1;
    }
    int32_t c = next_rune(ps);
    if (c < 0) {
        return -1;
    }
    const char *s = ps->s;
    switch (c) {
    case '1': case '2': case '3': case '4': case '5': case '6': case '7':
        if (ps->pos >= ps->n || s[ps->pos] < '0' || s[ps->pos] > '7') {
            break;
        }
        /* fallthrough */
    case '0': {
        int32_t r = c - '0';
        for (int i = 1; i < 3; i++) {
            if (ps->pos >= ps->n || s[ps->pos] < '0' || s[ps->pos] > '7') {
                break;
            }
            r = r * 8 + (s[ps->pos++] - '0');
        }
        return r;
    }
    case 'x': {
        if (ps->pos >= ps->n) {
            break;
        }
        c = next_rune(ps);
        if (c < 0) {
            return -1;
        }
        if (c == '{') {
            int nhex = 0;
            int32_t r = 0;
            for (;;) {
                if (ps->pos >= ps->n) {
                    ps->err = 1;
                    return -1;
                }
                c = next_rune(ps);
                if (c == '}') {
                    break;
                }
                int v = unhex(c);
                if (v < 0) {
                    ps->err = 1;
                    return -1;
                }
                r = r * 16 + v;
                if (r > MAX_RUNE) {
                    ps->err = 1;
                    return -1;
                }
                nhex++;
            }
            if (nhex == 0) {
                break;
            }
            return r;
        }
        int x = unhex(c);
        if (ps->pos >= ps->n) {
            break;
        }
        c = next_rune(ps);
        int y = unhex(c);
        if (x < 0 || y < 0) {
            break;
        }
        return x * 16 + y;
    }
    case 'a': return 7;
    case 'f': return 12;
    case 'n': return 10;
    case 'r': return 13;
    case 't': return 9;
    case 'v': return 11;
    default:
        if (c < 0x80 && !isalnum_(c)) {
            return c;
        }
    }
    ps->err = 1;
    return -1;
}

/* Perl (\d \s \w) and POSIX ([:alpha:]) classes: all ASCII in Go. */
static void perl_class(cls *c, int32_t which) {
    switch (which) {
    case 'd': cls_add(c, '0', '9'); break;
    case 's': cls_add(c, 9, 10); cls_add(c, 12, 13); cls_add(c, ' ', ' '); break;
    case 'w': cls_add(c, '0', '9'); cls_add(c, 'A', 'Z'); cls_add(c, 'a', 'z'); cls_add(c, '_', '_'); break;
    }
}

static int posix_class(cls *c, const char *name, int32_t len) {
#define IS(lit) (len == (int32_t)sizeof(lit) - 1 && memcmp(name, lit, (size_t)len) == 0)
    if (IS("alnum")) { cls_add(c, '0', '9'); cls_add(c, 'A', 'Z'); cls_add(c, 'a', 'z'); }
    else if (IS("alpha")) { cls_add(c, 'A', 'Z'); cls_add(c, 'a', 'z'); }
    else if (IS("ascii")) { cls_add(c, 0, 0x7F); }
    else if (IS("blank")) { cls_add(c, 9, 9); cls_add(c, ' ', ' '); }
    else if (IS("cntrl")) { cls_add(c, 0, 0x1F); cls_add(c, 0x7F, 0x7F); }
    else if (IS("digit")) { cls_add(c, '0', '9'); }
    else if (IS("graph")) { cls_add(c, '!', '~'); }
    else if (IS("lower")) { cls_add(c, 'a', 'z'); }
    else if (IS("print")) { cls_add(c, ' ', '~'); }
    else if (IS("punct")) { cls_add(c, '!', '/'); cls_add(c, ':', '@'); cls_add(c, '[', '`'); cls_add(c, '{', '~'); }
    else if (IS("space")) { cls_add(c, 9, 13); cls_add(c, ' ', ' '); }
    else if (IS("upper")) { cls_add(c, 'A', 'Z'); }
    else if (IS("word")) { cls_add(c, '0', '9'); cls_add(c, 'A', 'Z'); cls_add(c, 'a', 'z'); cls_add(c, '_', '_'); }
    else if (IS("xdigit")) { cls_add(c, '0', '9'); cls_add(c, 'A', 'F'); cls_add(c, 'a', 'f'); }
    else return 0;
    return 1;
#undef IS
}

/* appendGroup: a (possibly negated) named class, folded first under (?i). */
static void append_group(cls *dst, cls *g, int neg, int flags) {
    if (flags & F_FOLD) {
        cls_fold(g);
    }
    if (neg) {
        cls_negate(g);
    }
    for (int32_t i = 0; i < g->n; i += 2) {
        cls_add(dst, g->r[i], g->r[i + 1]);
    }
}

static void refuse_unicode_class(void) {
    opa_abort("regex: Unicode character classes (\\p, \\P) are not supported");
}

static node *parse_class(parser *ps, int flags) {
    const char *s = ps->s;
    ps->pos++; /* [ */
    node *x = mk(N_CLASS);
    if (ps->pos < ps->n && s[ps->pos] == '^') {
        x->neg = 1;
        ps->pos++;
    }
    int first = 1;
    while (ps->pos >= ps->n || s[ps->pos] != ']' || first) {
        if (ps->pos >= ps->n) {
            ps->err = 1; /* missing closing ] */
            return 0;
        }
        first = 0;
        /* [:alpha:] */
        if (ps->n - ps->pos > 2 && s[ps->pos] == '[' && s[ps->pos + 1] == ':') {
            int32_t end = -1;
            for (int32_t k = ps->pos + 2; k + 1 < ps->n; k++) {
                if (s[k] == ':' && s[k + 1] == ']') {
                    end = k;
                    break;
                }
            }
            if (end >= 0) {
                const char *name = s + ps->pos + 2;
                int32_t len = end - (ps->pos + 2);
                int neg = 0;
                if (len > 0 && name[0] == '^') {
                    neg = 1;
                    name++;
                    len--;
                }
                cls g = {0, 0, 0};
                if (!posix_class(&g, name, len)) {
                    ps->err = 1;
                    return 0;
                }
                append_group(&x->c, &g, neg, flags);
                ps->pos = end + 2;
                continue;
            }
        }
        if (ps->n - ps->pos >= 2 && s[ps->pos] == '\\') {
            char e = s[ps->pos + 1];
            if (e == 'p' || e == 'P') {
                refuse_unicode_class();
            }
            if (e == 'd' || e == 's' || e == 'w' || e == 'D' || e == 'S' || e == 'W') {
                cls g = {0, 0, 0};
                perl_class(&g, e | 0x20);
                append_group(&x->c, &g, e < 'a', flags);
                ps->pos += 2;
                continue;
            }
        }
        int32_t lo, hi;
        if (s[ps->pos] == '\\') {
            lo = parse_escape(ps);
        } else {
            lo = next_rune(ps);
        }
        if (lo < 0) {
            return 0;
        }
        hi = lo;
        if (ps->n - ps->pos >= 2 && s[ps->pos] == '-' && s[ps->pos + 1] != ']') {
            ps->pos++;
            if (s[ps->pos] == '\\') {
                hi = parse_escape(ps);
            } else {
                hi = next_rune(ps);
            }
            if (hi < 0) {
                return 0;
            }
            if (hi < lo) {
                ps->err = 1;
                return 0;
            }
        }
        cls g = {0, 0, 0};
        cls_add(&g, lo, hi);
        append_group(&x->c, &g, 0, flags);
    }
    ps->pos++; /* ] */
    if (x->neg) {
        cls_negate(&x->c);
        x->neg = 0;
    } else {
        cls_clean(&x->c);
    }
    return x;
}

static node *literal(int32_t r, int flags) {
    if (flags & F_FOLD) {
        int ascii_letter = (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
        if (ascii_letter || r == 0x17F || r == 0x212A) {
            node *x = mk(N_CLASS);
            cls_add(&x->c, r, r);
            cls_fold(&x->c);
            return x;
        }
        if (r >= 0xC0) {
            opa_abort("regex: case-insensitive matching of non-ASCII characters is not supported");
        }
    }
    node *x = mk(N_LIT);
    x->r = r;
    return x;
}

/* Go's repeatIsValid: nested counted repetitions may not multiply beyond 1000. */
static int repeat_valid(node *x, int32_t n) {
    if (x->kind == N_REP && x->is_counted) {
        int32_t m = x->max;
        if (m == 0) {
            return 1;
        }
        if (m < 0) {
            m = x->min;
        }
        if (m > n) {
            return 0;
        }
        if (m > 0) {
            n /= m;
        }
    }
    for (int32_t i = 0; i < x->nk; i++) {
        if (!repeat_valid(x->kids[i], n)) {
            return 0;
        }
    }
    return 1;
}

/* {n}, {n,}, {n,m} at ps->pos; returns 0 (a literal '{') when it is not one. */
static int parse_repeat(parser *ps, int32_t *min, int32_t *max) {
    const char *s = ps->s;
    int32_t p = ps->pos + 1;
    int32_t v[2] = {-1, -1};
    for (int part = 0; part < 2; part++) {
        int32_t start = p;
        int64_t val = 0;
        while (p < ps->n && s[p] >= '0' && s[p] <= '9') {
            if (val < 100000000) {
                val = val * 10 + (s[p] - '0');
            }
            p++;
        }
        if (p == start) {
            if (part == 0) {
                return 0;
            }
            v[1] = -1;
        } else {
            if (p - start >= 2 && s[start] == '0') {
                return 0; /* no leading zeros */
            }
            v[part] = p - start > 8 ? -2 : (int32_t)val;
        }
        if (part == 0) {
            if (p < ps->n && s[p] == '}') {
                v[1] = v[0];
                p++;
                *min = v[0];
                *max = v[1];
                ps->pos = p;
                return 1;
            }
            if (p >= ps->n || s[p] != ',') {
                return 0;
            }
            p++;
        }
    }
    if (p >= ps->n || s[p] != '}') {
        return 0;
    }
    ps->pos = p + 1;
    *min = v[0];
    *max = v[1];
    return 1;
}

static node *parse_alt(parser *ps, int *flags, int depth);

/* One concatenation (up to '|' or ')' or the end). */
static node *parse_cat(parser *ps, int *flags, int depth) {
    const char *s = ps->s;
    node *cat = mk(N_CAT);
    int last_repeat = 0;
    while (ps->pos < ps->n && s[ps->pos] != '|' && s[ps->pos] != ')') {
        char c = s[ps->pos];
        int was_repeat = 0;
        if (c == '*' || c == '+' || c == '?' || c == '{') {
            int32_t min, max;
            int counted = 0;
            int32_t at = ps->pos;
            if (c == '{') {
                if (!parse_repeat(ps, &min, &max)) {
                    ps->pos = at + 1;
                    kid(cat, literal('{', *flags));
                    last_repeat = 0;
                    continue;
                }
                counted = 1;
            } else {
                ps->pos++;
                min = c == '+' ? 1 : 0;
                max = c == '?' ? 1 : -1;
            }
            int greedy = !(*flags & F_UNGREEDY);
            if (ps->pos < ps->n && s[ps->pos] == '?') {
                ps->pos++;
                greedy = !greedy;
            }
            if (last_repeat || cat->nk == 0) {
                ps->err = 1; /* nested repetition operator, or missing argument */
                return 0;
            }
            if (counted && (min < 0 || min > 1000 || max > 1000 || max < -1 || (max >= 0 && min > max))) {
                ps->err = 1;
                return 0;
            }
            node *target = cat->kids[cat->nk - 1];
            node *rep = mk(N_REP);
            rep->min = min;
            rep->max = max;
            rep->greedy = greedy;
            rep->is_counted = counted;
            kid(rep, target);
            if (counted && (min >= 2 || max >= 2) && !repeat_valid(rep, 1000)) {
                ps->err = 1;
                return 0;
            }
            cat->kids[cat->nk - 1] = rep;
            last_repeat = 1;
            continue;
        }
        if (c == '(') {
            if (depth >= MAX_DEPTH) {
                opa_abort("regex: pattern nests too deeply for the runtime's matcher");
            }
            int saved = *flags;
            int cap = -1;
            pc_value *name = 0;
            if (ps->n - ps->pos >= 2 && s[ps->pos + 1] == '?') {
                int32_t p = ps->pos + 2;
                int named = 0;
                if (ps->n - p >= 2 && s[p] == 'P' && s[p + 1] == '<') {
                    named = 1;
                    p += 2;
                } else if (p < ps->n && s[p] == '<') {
                    named = 1;
                    p += 1;
                }
                if (named) {
                    int32_t start = p;
                    while (p < ps->n && s[p] != '>') {
                        p++;
                    }
                    if (p >= ps->n) {
                        ps->err = 1;
                        return 0;
                    }
                    for (int32_t k = start; k < p; k++) {
                        if (!isalnum_(s[k]) && s[k] != '_') {
                            ps->err = 1;
                            return 0;
                        }
                    }
                    if (p == start) {
                        ps->err = 1;
                        return 0;
                    }
                    name = pc_str(s + start, p - start); /* Go allows a name twice */
                    ps->pos = p + 1;
                    cap = ++ps->ngroups;
                } else {
                    /* flags: (?flags) or (?flags:re) */
                    int f = *flags, sign = 1, saw = 0;
                    p = ps->pos + 2;
                    for (;;) {
                        if (p >= ps->n) {
                            ps->err = 1;
                            return 0;
                        }
                        char fc = s[p++];
                        int bit = fc == 'i' ? F_FOLD : fc == 'm' ? F_MULTI : fc == 's' ? F_DOTNL : fc == 'U' ? F_UNGREEDY : 0;
                        if (bit) {
                            f = sign > 0 ? f | bit : f & ~bit;
                            saw = 1;
                        } else if (fc == '-') {
                            if (sign < 0) {
                                ps->err = 1;
                                return 0;
                            }
                            sign = -1;
                            saw = 0;
                        } else if (fc == ':' || fc == ')') {
                            if (sign < 0 && !saw) {
                                ps->err = 1;
                                return 0;
                            }
                            ps->pos = p;
                            if (fc == ')') {
                                /* pushes nothing: a repetition right after it applies to the item
                                 * before it, as in Go's parser stack */
                                *flags = f;
                                last_repeat = 0;
                                goto next;
                            }
                            int inner = f;
                            node *g = parse_alt(ps, &inner, depth + 1);
                            if (!g) {
                                return 0;
                            }
                            if (ps->pos >= ps->n || s[ps->pos] != ')') {
                                ps->err = 1;
                                return 0;
                            }
                            ps->pos++;
                            kid(cat, g);
                            last_repeat = 0;
                            goto next;
                        } else {
                            ps->err = 1;
                            return 0;
                        }
                    }
                }
            } else {
                ps->pos++;
                cap = ++ps->ngroups;
            }
            pc_arr_push(ps->names, name ? name : pc_null());
            int inner = saved;
            node *g = parse_alt(ps, &inner, depth + 1);
            if (!g) {
                return 0;
            }
            if (ps->pos >= ps->n || s[ps->pos] != ')') {
                ps->err = 1; /* missing ) */
                return 0;
            }
            ps->pos++;
            node *capn = mk(N_CAP);
            capn->r = cap;
            kid(capn, g);
            kid(cat, capn);
            last_repeat = 0;
            continue;
        }
        if (c == '[') {
            node *k = parse_class(ps, *flags);
            if (!k) {
                return 0;
            }
            kid(cat, k);
        } else if (c == '.') {
            ps->pos++;
            kid(cat, mk((*flags & F_DOTNL) ? N_ANY : N_ANYNL));
        } else if (c == '^' || c == '$') {
            ps->pos++;
            node *a = mk(N_ASSERT);
            int multi = *flags & F_MULTI;
            a->r = c == '^' ? (multi ? A_BEGIN_LINE : A_BEGIN_TEXT) : (multi ? A_END_LINE : A_END_TEXT);
            kid(cat, a);
        } else if (c == '\\') {
            char e = ps->n - ps->pos >= 2 ? s[ps->pos + 1] : 0;
            if (e == 'A' || e == 'z' || e == 'b' || e == 'B') {
                node *a = mk(N_ASSERT);
                a->r = e == 'A' ? A_BEGIN_TEXT : e == 'z' ? A_END_TEXT : e == 'b' ? A_WORD : A_NOT_WORD;
                ps->pos += 2;
                kid(cat, a);
            } else if (e == 'C') {
                ps->err = 1;
                return 0;
            } else if (e == 'Q') {
                ps->pos += 2;
                while (ps->pos < ps->n) {
                    if (ps->n - ps->pos >= 2 && s[ps->pos] == '\\' && s[ps->pos + 1] == 'E') {
                        ps->pos += 2;
                        break;
                    }
                    int32_t r = next_rune(ps);
                    if (r < 0) {
                        return 0;
                    }
                    kid(cat, literal(r, *flags));
                }
            } else if (e == 'p' || e == 'P') {
                refuse_unicode_class();
            } else if (e == 'd' || e == 's' || e == 'w' || e == 'D' || e == 'S' || e == 'W') {
                node *k = mk(N_CLASS);
                cls g = {0, 0, 0};
                perl_class(&g, e | 0x20);
                append_group(&k->c, &g, e < 'a', *flags);
                cls_clean(&k->c);
                ps->pos += 2;
                kid(cat, k);
            } else {
                int32_t r = parse_escape(ps);
                if (r < 0) {
                    return 0;
                }
                kid(cat, literal(r, *flags));
            }
        } else {
            int32_t r = next_rune(ps);
            if (r < 0) {
                return 0;
            }
            kid(cat, literal(r, *flags));
        }
    next:
        last_repeat = was_repeat;
    }
    return cat;
}

static node *parse_alt(parser *ps, int *flags, int depth) {
    node *alt = mk(N_ALT);
    for (;;) {
        node *c = parse_cat(ps, flags, depth);
        if (!c) {
            return 0;
        }
        kid(alt, c);
        if (ps->pos < ps->n && ps->s[ps->pos] == '|') {
            ps->pos++;
            continue;
        }
        return alt->nk == 1 ? c : alt;
    }
}

/* ---- code generation (Go's regexp/syntax simplify + compile shapes, which fix priorities) ---- */
static int nullable(node *x) {
    switch (x->kind) {
    case N_EMPTY: case N_ASSERT: return 1;
    case N_LIT: case N_CLASS: case N_ANY: case N_ANYNL: return 0;
    case N_CAT:
        for (int32_t i = 0; i < x->nk; i++) {
            if (!nullable(x->kids[i])) {
                return 0;
            }
        }
        return 1;
    case N_ALT:
        for (int32_t i = 0; i < x->nk; i++) {
            if (nullable(x->kids[i])) {
                return 1;
            }
        }
        return 0;
    case N_REP: return x->min == 0 || nullable(x->kids[0]);
    default: return nullable(x->kids[0]);
    }
}

/* x+ : x; SPLIT(x, out) */
static void gen_plus(prog *p, node *k, int greedy);
static void gen(prog *p, node *x);

static void gen_plus(prog *p, node *k, int greedy) {
    int32_t top = p->n;
    gen(p, k);
    int32_t sp = emit(p, I_SPLIT, 0, 0, 0);
    p->ins[sp].x = greedy ? top : p->n;
    p->ins[sp].y = greedy ? p->n : top;
}

/* x? around code emitted by fn */
static void gen_star(prog *p, node *k, int greedy) {
    if (nullable(k)) {
        /* golang.org/issue/46123: x* with a nullable x is (x+)? */
        int32_t sp = emit(p, I_SPLIT, 0, 0, 0);
        gen_plus(p, k, greedy);
        p->ins[sp].x = greedy ? sp + 1 : p->n;
        p->ins[sp].y = greedy ? p->n : sp + 1;
        return;
    }
    int32_t sp = emit(p, I_SPLIT, 0, 0, 0);
    gen(p, k);
    emit(p, I_JMP, 0, sp, 0);
    p->ins[sp].x = greedy ? sp + 1 : p->n;
    p->ins[sp].y = greedy ? p->n : sp + 1;
}

static void gen(prog *p, node *x) {
    switch (x->kind) {
    case N_EMPTY:
        break;
    case N_LIT:
        emit(p, I_CHAR, 0, x->r, 0);
        break;
    case N_CLASS:
        emit_class(p, &x->c, x->neg);
        break;
    case N_ANY:
        emit(p, I_ANY, 0, 0, 0);
        break;
    case N_ANYNL:
        emit(p, I_ANYNL, 0, 0, 0);
        break;
    case N_ASSERT:
        emit(p, I_ASSERT, x->r, 0, 0);
        break;
    case N_CAT:
        for (int32_t i = 0; i < x->nk; i++) {
            gen(p, x->kids[i]);
        }
        break;
    case N_CAP:
        emit(p, I_SAVE, 0, 2 * x->r, 0);
        gen(p, x->kids[0]);
        emit(p, I_SAVE, 0, 2 * x->r + 1, 0);
        break;
    case N_ALT: {
        int32_t *jumps = pc_alloc((uint32_t)x->nk * 4);
        for (int32_t i = 0; i < x->nk; i++) {
            if (i + 1 < x->nk) {
                int32_t sp = emit(p, I_SPLIT, 0, 0, 0);
                p->ins[sp].x = p->n;
                gen(p, x->kids[i]);
                jumps[i] = emit(p, I_JMP, 0, 0, 0);
                p->ins[sp].y = p->n;
            } else {
                gen(p, x->kids[i]);
            }
        }
        for (int32_t i = 0; i + 1 < x->nk; i++) {
            p->ins[jumps[i]].x = p->n;
        }
        break;
    }
    case N_REP: {
        node *k = x->kids[0];
        int32_t min = x->min, max = x->max;
        if (min == 0 && max == 0) {
            break; /* x{0}: x is not even considered */
        }
        /* simplify1: a repeat of the empty string is the empty string; x** is x* */
        if (k->kind == N_EMPTY) {
            break;
        }
        if (!x->is_counted && k->kind == N_REP && !k->is_counted && k->min == min && k->max == max && k->greedy == x->greedy) {
            gen(p, k);
            break;
        }
        if (max < 0) {
            for (int32_t i = 0; i + 1 < min; i++) {
                gen(p, k);
            }
            if (min == 0) {
                gen_star(p, k, x->greedy);
            } else {
                gen_plus(p, k, x->greedy);
            }
            return;
        }
        for (int32_t i = 0; i < min; i++) {
            gen(p, k);
        }
        /* (x(x(x)?)?)? */
        int32_t nopt = max - min;
        int32_t *splits = pc_alloc((uint32_t)(nopt + 1) * 4);
        for (int32_t i = 0; i < nopt; i++) {
            splits[i] = emit(p, I_SPLIT, 0, 0, 0);
            gen(p, k);
        }
        for (int32_t i = 0; i < nopt; i++) {
            int32_t sp = splits[i];
            p->ins[sp].x = x->greedy ? sp + 1 : p->n;
            p->ins[sp].y = x->greedy ? p->n : sp + 1;
        }
        break;
    }
    }
}

/* Compiles a Go regexp. Returns 0 when the pattern is invalid in Go. */
static prog *compile_regex(pc_value *pat) {
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.s = pat->u.s;
    ps.n = pat->len;
    ps.names = pc_arr_new(4);
    pc_arr_push(ps.names, pc_null());
    int flags = 0;
    node *root = parse_alt(&ps, &flags, 0);
    if (!root || ps.err) {
        return 0;
    }
    if (ps.pos < ps.n) {
        return 0; /* unbalanced ) */
    }
    prog *p = pc_alloc(sizeof(prog));
    memset(p, 0, sizeof(prog));
    p->ncap = 2 * (ps.ngroups + 1);
    p->names = ps.names->u.items;
    emit(p, I_SAVE, 0, 0, 0);
    gen(p, root);
    emit(p, I_SAVE, 0, 1, 0);
    emit(p, I_MATCH, 0, 0, 0);
    return p;
}

/* ---- Pike VM ---- */
typedef struct {
    int32_t *pc;
    int32_t *caps;
    uint32_t *mark;
    uint32_t stamp;
    int32_t n;
} tlist;

typedef struct {
    prog *p;
    const char *s;
    int32_t len;
    int32_t ncap;
    tlist a, b;
    int32_t *stack; /* (pc or -2-slot, value) pairs */
    int32_t *cur;
    int32_t *best;
} vm;

static int is_word(int c) { return c >= 0 && c < 0x80 && (isalnum_(c) || c == '_'); }

static int assert_ok(vm *m, int kind, int32_t pos) {
    int prev = pos > 0 ? (unsigned char)m->s[pos - 1] : -1;
    int next = pos < m->len ? (unsigned char)m->s[pos] : -1;
    switch (kind) {
    case A_BEGIN_TEXT: return pos == 0;
    case A_END_TEXT: return pos == m->len;
    case A_BEGIN_LINE: return pos == 0 || prev == '\n';
    case A_END_LINE: return pos == m->len || next == '\n';
    case A_WORD: return is_word(prev) != is_word(next);
    default: return is_word(prev) == is_word(next);
    }
}

static void vm_init(vm *m, prog *p, const char *s, int32_t len, int32_t ncap) {
    m->p = p;
    m->s = s;
    m->len = len;
    m->ncap = ncap;
    uint32_t n = (uint32_t)p->n;
    if ((uint64_t)n * (uint32_t)ncap > 4000000u) {
        opa_abort("regex: pattern has too many groups for the runtime's matcher");
    }
    for (int i = 0; i < 2; i++) {
        tlist *t = i ? &m->b : &m->a;
        t->pc = pc_alloc(n * 4);
        t->caps = pc_alloc(n * (uint32_t)ncap * 4);
        t->mark = pc_alloc(n * 4);
        memset(t->mark, 0, n * 4);
        t->stamp = 0;
        t->n = 0;
    }
    m->stack = pc_alloc(n * 2 * 4 * 2 + 16);
    m->cur = pc_alloc((uint32_t)ncap * 4);
    m->best = pc_alloc((uint32_t)ncap * 4);
}

static void add_thread(vm *m, tlist *l, int32_t pc0, const int32_t *caps, int32_t pos) {
    inst *ins = m->p->ins;
    memcpy(m->cur, caps, (uint32_t)m->ncap * 4);
    int32_t sp = 0;
    m->stack[sp++] = pc0;
    m->stack[sp++] = 0;
    while (sp > 0) {
        int32_t v = m->stack[--sp];
        int32_t pc = m->stack[--sp];
        if (pc < 0) {
            m->cur[-2 - pc] = v;
            continue;
        }
        if (l->mark[pc] == l->stamp) {
            continue;
        }
        l->mark[pc] = l->stamp;
        inst *i = &ins[pc];
        switch (i->op) {
        case I_JMP:
            m->stack[sp++] = i->x;
            m->stack[sp++] = 0;
            break;
        case I_SPLIT:
            m->stack[sp++] = i->y;
            m->stack[sp++] = 0;
            m->stack[sp++] = i->x;
            m->stack[sp++] = 0;
            break;
        case I_SAVE:
            if (i->x < m->ncap) {
                m->stack[sp++] = -2 - i->x;
                m->stack[sp++] = m->cur[i->x];
                m->cur[i->x] = pos;
            }
            m->stack[sp++] = pc + 1;
            m->stack[sp++] = 0;
            break;
        case I_ASSERT:
            if (assert_ok(m, i->arg, pos)) {
                m->stack[sp++] = pc + 1;
                m->stack[sp++] = 0;
            }
            break;
        default:
            l->pc[l->n] = pc;
            memcpy(l->caps + (uint32_t)l->n * (uint32_t)m->ncap, m->cur, (uint32_t)m->ncap * 4);
            l->n++;
        }
    }
}

static int step_ok(vm *m, inst *i, int32_t r) {
    switch (i->op) {
    case I_CHAR: return r == i->x;
    case I_ANY: return r >= 0;
    case I_ANYNL: return r >= 0 && r != '\n';
    case I_CLASS: return r >= 0 && cls_has(m->p->rng + i->x, i->y, r) != i->arg;
    default: return 0;
    }
}

/* Leftmost-first search from `start`; on success m->best holds the capture slots. `anchored`
 * only tries a match starting at `start`. */
static int vm_search(vm *m, int32_t start, int anchored) {
    tlist *cl = &m->a, *nl = &m->b;
    int32_t *blank = pc_alloc((uint32_t)m->ncap * 4);
    for (int32_t k = 0; k < m->ncap; k++) {
        blank[k] = -1;
    }
    int matched = 0;
    cl->n = 0;
    cl->stamp++;
    int32_t pos = start;
    for (;;) {
        if (!matched && (!anchored || pos == start)) {
            add_thread(m, cl, 0, blank, pos);
        }
        int32_t r = -1, np = pos;
        if (pos < m->len) {
            r = pc_utf8_decode(m->s, m->len, &np);
        }
        if (cl->n == 0) {
            if (matched || anchored || pos >= m->len) {
                break;
            }
            pos = np; /* no live thread: try the next start position */
            cl->stamp++;
            continue;
        }
        nl->n = 0;
        nl->stamp++;
        for (int32_t t = 0; t < cl->n; t++) {
            inst *i = &m->p->ins[cl->pc[t]];
            int32_t *caps = cl->caps + (uint32_t)t * (uint32_t)m->ncap;
            if (i->op == I_MATCH) {
                memcpy(m->best, caps, (uint32_t)m->ncap * 4);
                matched = 1;
                break; /* lower-priority threads lose */
            }
            if (step_ok(m, i, r)) {
                add_thread(m, nl, cl->pc[t] + 1, caps, np);
            }
        }
        tlist *tmp = cl;
        cl = nl;
        nl = tmp;
        if (pos >= m->len) {
            break;
        }
        pos = np;
    }
    /* threads still queued at the end of input */
    if (cl->n > 0 && pos >= m->len) {
        for (int32_t t = 0; t < cl->n; t++) {
            if (m->p->ins[cl->pc[t]].op == I_MATCH) {
                memcpy(m->best, cl->caps + (uint32_t)t * (uint32_t)m->ncap, (uint32_t)m->ncap * 4);
                matched = 1;
                break;
            }
        }
    }
    return matched;
}

/* ---- regex builtins (OPA's topdown/regex.go on Go's regexp) ---- */

static int is_str(pc_value *v) { return v && v->type == PC_STRING; }

static prog *regex_of(pc_value *pat) {
    return is_str(pat) ? compile_regex(pat) : 0;
}

EXPORT("pc_bi_regex_is_valid") pc_value *pc_bi_regex_is_valid(pc_value *pat) {
    return pc_bool(regex_of(pat) != 0);
}

EXPORT("pc_bi_regex_match") pc_value *pc_bi_regex_match(pc_value *pat, pc_value *s) {
    prog *p = regex_of(pat);
    if (!p || !is_str(s)) {
        return 0;
    }
    vm m;
    vm_init(&m, p, s->u.s, s->len, 2);
    return pc_bool(vm_search(&m, 0, 0));
}

/* Go's allMatches: successive leftmost-first matches, an empty match right after the previous
 * match is skipped, and the search always advances by at least one rune. Calls `fn` with the
 * capture slots of each accepted match, at most n of them (n < 0: all). */
typedef void (*match_fn)(void *ctx, const int32_t *caps, int32_t ncap);

static void all_matches(prog *p, pc_value *s, int64_t n, int32_t ncap, match_fn fn, void *ctx) {
    vm m;
    vm_init(&m, p, s->u.s, s->len, ncap);
    int32_t pos = 0, prev_end = -1;
    int64_t count = 0;
    while ((n < 0 || count < n) && pos <= s->len) {
        if (!vm_search(&m, pos, 0)) {
            break;
        }
        int accept = 1;
        if (m.best[1] == pos) {
            if (m.best[0] == prev_end) {
                accept = 0;
            }
            if (pos < s->len) {
                int32_t np = pos;
                pc_utf8_decode(s->u.s, s->len, &np);
                pos = np;
            } else {
                pos = s->len + 1;
            }
        } else {
            pos = m.best[1];
        }
        prev_end = m.best[1];
        if (accept) {
            fn(ctx, m.best, ncap);
            count++;
        }
    }
}

static void push_match(void *ctx, const int32_t *caps, int32_t ncap) {
    pc_value **st = ctx;
    (void)ncap;
    pc_arr_push(st[0], pc_str(st[1]->u.s + caps[0], caps[1] - caps[0]));
}

static void push_submatch(void *ctx, const int32_t *caps, int32_t ncap) {
    pc_value **st = ctx;
    pc_value *row = pc_arr_new(ncap / 2);
    for (int32_t g = 0; g < ncap; g += 2) {
        pc_arr_push(row, caps[g] < 0 ? pc_str("", 0) : pc_str(st[1]->u.s + caps[g], caps[g + 1] - caps[g]));
    }
    pc_arr_push(st[0], row);
}

static int count_arg(pc_value *n, int64_t *out) {
    return n && n->type == PC_NUMBER && pc_is_int(n, out);
}

EXPORT("pc_bi_regex_find_n") pc_value *pc_bi_regex_find_n(pc_value *pat, pc_value *s, pc_value *n) {
    int64_t k;
    prog *p = regex_of(pat);
    if (!p || !is_str(s) || !count_arg(n, &k)) {
        return 0;
    }
    pc_value *st[2] = {pc_arr_new(4), s};
    all_matches(p, s, k, 2, push_match, st);
    return st[0];
}

EXPORT("pc_bi_regex_find_all_string_submatch_n")
pc_value *pc_bi_regex_find_all_string_submatch_n(pc_value *pat, pc_value *s, pc_value *n) {
    int64_t k;
    prog *p = regex_of(pat);
    if (!p || !is_str(s) || !count_arg(n, &k)) {
        return 0;
    }
    pc_value *st[2] = {pc_arr_new(4), s};
    all_matches(p, s, k, p->ncap, push_submatch, st);
    return st[0];
}

typedef struct { int32_t *idx; int32_t n, cap; } spans;

static void push_span(void *ctx, const int32_t *caps, int32_t ncap) {
    spans *sp = ctx;
    (void)ncap;
    if (sp->n + 2 > sp->cap) {
        int32_t nc = sp->cap ? sp->cap * 2 : 16;
        sp->idx = pc_realloc(sp->idx, (uint32_t)sp->cap * 4, (uint32_t)nc * 4);
        sp->cap = nc;
    }
    sp->idx[sp->n++] = caps[0];
    sp->idx[sp->n++] = caps[1];
}

/* Regexp.Split(s, -1), including its rule that a match at the very end adds no empty piece
 * only when the last match ended the string. */
EXPORT("pc_bi_regex_split") pc_value *pc_bi_regex_split(pc_value *pat, pc_value *s) {
    prog *p = regex_of(pat);
    if (!p || !is_str(s)) {
        return 0;
    }
    pc_value *out = pc_arr_new(4);
    if (pat->len > 0 && s->len == 0) {
        pc_arr_push(out, pc_str("", 0));
        return out;
    }
    spans sp = {0, 0, 0};
    all_matches(p, s, -1, 2, push_span, &sp);
    int32_t beg = 0, end = 0;
    for (int32_t i = 0; i < sp.n; i += 2) {
        end = sp.idx[i];
        if (sp.idx[i + 1] != 0) {
            pc_arr_push(out, pc_str(s->u.s + beg, end - beg));
        }
        beg = sp.idx[i + 1];
    }
    if (end != s->len) {
        pc_arr_push(out, pc_str(s->u.s + beg, s->len - beg));
    }
    return out;
}

/* Regexp.Expand's template: $1, $name, ${name}, $$. */
static void expand(pc_sb *sb, prog *p, pc_value *tmpl, const char *src, const int32_t *caps) {
    const char *t = tmpl->u.s;
    int32_t n = tmpl->len, i = 0;
    while (i < n) {
        if (t[i] != '$') {
            pc_sb_putc(sb, t[i++]);
            continue;
        }
        i++;
        if (i < n && t[i] == '$') {
            pc_sb_putc(sb, '$');
            i++;
            continue;
        }
        int brace = i < n && t[i] == '{';
        int32_t j = i + brace, start = j;
        while (j < n && (isalnum_(t[j]) || t[j] == '_')) {
            j++;
        }
        if (j < n && (unsigned char)t[j] >= 0x80) {
            opa_abort("regex.replace: non-ASCII group names in the template are not supported");
        }
        int ok = j > start && (!brace || (j < n && t[j] == '}'));
        if (!ok) {
            pc_sb_putc(sb, '$');
            continue;
        }
        const char *name = t + start;
        int32_t len = j - start;
        i = j + brace;
        int32_t num = 0;
        for (int32_t k = 0; k < len; k++) {
            if (name[k] < '0' || name[k] > '9') {
                num = -1;
                break;
            }
            num = num * 10 + (name[k] - '0');
            if (num >= 100000000) {
                num = -1;
                break;
            }
        }
        int32_t g = -1;
        if (num >= 0) {
            g = num;
        } else {
            for (int32_t k = 1; 2 * k < p->ncap; k++) {
                pc_value *nm = p->names[k];
                if (nm->type == PC_STRING && nm->len == len && memcmp(nm->u.s, name, (size_t)len) == 0) {
                    g = k;
                    break;
                }
            }
        }
        if (g >= 0 && 2 * g + 1 < p->ncap && caps[2 * g] >= 0) {
            pc_sb_put(sb, src + caps[2 * g], (uint32_t)(caps[2 * g + 1] - caps[2 * g]));
        }
    }
}

/* regex.replace(s, pattern, value): Regexp.ReplaceAllString. */
EXPORT("pc_bi_regex_replace") pc_value *pc_bi_regex_replace(pc_value *s, pc_value *pat, pc_value *repl) {
    prog *p = regex_of(pat);
    if (!p || !is_str(s) || !is_str(repl)) {
        return 0;
    }
    vm m;
    vm_init(&m, p, s->u.s, s->len, p->ncap);
    pc_sb sb = {0, 0, 0};
    int32_t last = 0, pos = 0;
    while (pos <= s->len) {
        if (!vm_search(&m, pos, 0)) {
            break;
        }
        int32_t *a = m.best;
        pc_sb_put(&sb, s->u.s + last, (uint32_t)(a[0] - last));
        if (a[1] > last || a[0] == 0) {
            expand(&sb, p, repl, s->u.s, a);
        }
        last = a[1];
        int32_t width = 1;
        if (pos < s->len) {
            int32_t np = pos;
            pc_utf8_decode(s->u.s, s->len, &np);
            width = np - pos;
        }
        if (pos + width > a[1]) {
            pos += width;
        } else if (pos + 1 > a[1]) {
            pos++;
        } else {
            pos = a[1];
        }
    }
    pc_sb_put(&sb, s->u.s + last, (uint32_t)(s->len - last));
    return pc_str(sb.buf, (int32_t)sb.len);
}

/* ---- glob.match (gobwas/glob as OPA uses it) ---- */

typedef struct {
    const char *s;
    int32_t n, pos;
    int err;
    int terms; /* nesting of { } */
    cls sep;   /* separators */
} gparser;

static int32_t gread(gparser *g) {
    if (g->pos >= g->n) {
        return 0;
    }
    int32_t start = g->pos;
    int32_t r = pc_utf8_decode(g->s, g->n, &g->pos);
    if (r == 0xFFFD && g->pos - start == 1 && (unsigned char)g->s[start] >= 0x80) {
        g->err = 1;
        return 0;
    }
    return r;
}

/* Text up to a breaker, with backslash escapes; returns the runes as a literal sequence. */
static void gtext(gparser *g, prog *p, const char *breakers, int32_t *buf, int32_t *nbuf) {
    int escaped = 0;
    *nbuf = 0;
    for (;;) {
        int32_t save = g->pos;
        int32_t r = gread(g);
        if (r == 0) {
            break;
        }
        if (!escaped) {
            if (r == '\\') {
                escaped = 1;
                continue;
            }
            int brk = 0;
            for (const char *b = breakers; *b; b++) {
                brk |= r == *b;
            }
            if (brk) {
                g->pos = save;
                break;
            }
        }
        escaped = 0;
        if (p) {
            emit(p, I_CHAR, 0, r, 0);
        }
        if (buf && *nbuf < 64) {
            buf[*nbuf] = r;
        }
        (*nbuf)++;
    }
}

static void gen_sep_class(prog *p, gparser *g) {
    cls c = {0, 0, 0};
    for (int32_t i = 0; i < g->sep.n; i += 2) {
        cls_add(&c, g->sep.r[i], g->sep.r[i + 1]);
    }
    cls_clean(&c);
    emit_class(p, &c, 1);
}

static int gparse_seq(gparser *g, prog *p, int depth);

/* The alternatives of { } compile like a regex alternation. */
static int gparse_terms(gparser *g, prog *p, int depth) {
    if (depth > MAX_DEPTH) {
        opa_abort("glob.match: pattern nests too deeply");
    }
    int32_t *jumps = pc_alloc(4 * 256);
    int32_t nj = 0;
    for (;;) {
        int32_t sp = emit(p, I_SPLIT, 0, 0, 0);
        p->ins[sp].x = p->n;
        int end = gparse_seq(g, p, depth + 1);
        if (g->err) {
            return 0;
        }
        if (nj == 256) {
            opa_abort("glob.match: too many alternatives");
        }
        jumps[nj++] = emit(p, I_JMP, 0, 0, 0);
        p->ins[sp].y = p->n;
        if (end != ',') {
            break; /* '}' or the end of the pattern (gobwas accepts an unclosed '{') */
        }
    }
    /* the last SPLIT's other branch falls to a dead end */
    emit_class(p, &(cls){0, 0, 0}, 0);
    for (int32_t i = 0; i < nj; i++) {
        p->ins[jumps[i]].x = p->n;
    }
    return 1;
}

/* Parses items until the end, or ',' / '}' inside terms; returns that terminator (0 at the end). */
static int gparse_seq(gparser *g, prog *p, int depth) {
    int in_terms = depth > 0;
    for (;;) {
        int32_t save = g->pos;
        int32_t r = gread(g);
        if (g->err) {
            return 0;
        }
        if (r == 0) {
            return 0;
        }
        if (r == '{') {
            if (!gparse_terms(g, p, depth)) {
                return 0;
            }
            continue;
        }
        if (in_terms && (r == ',' || r == '}')) {
            return (int)r;
        }
        if (r == '[') {
            /* [abc], [!abc], [a-z], [!a-z] */
            int neg = 0;
            int32_t lo = 0, hi = 0;
            int is_range = 0, want_close = 0;
            int32_t chars[64];
            int32_t nchars = 0;
            int32_t text_start = -1, text_end = -1;
            for (;;) {
                int32_t c = gread(g);
                if (g->err) {
                    return 0;
                }
                if (c == 0) {
                    g->err = 1;
                    return 0;
                }
                if (want_close) {
                    if (c != ']') {
                        g->err = 1;
                        return 0;
                    }
                    break;
                }
                if (is_range) {
                    hi = c;
                    want_close = 1;
                    continue;
                }
                if (!neg && c == '!') {
                    neg = 1;
                    continue;
                }
                if (g->pos < g->n && g->s[g->pos] == '-') {
                    g->pos++;
                    lo = c;
                    is_range = 1;
                    continue;
                }
                /* unread and take text up to ']' */
                g->pos -= (c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4);
                text_start = g->pos;
                gtext(g, 0, "]", chars, &nchars);
                text_end = g->pos;
                want_close = 1;
            }
            (void)text_start;
            (void)text_end;
            cls c = {0, 0, 0};
            if (is_range) {
                if (hi < lo || lo == 0 || hi == 0) {
                    g->err = 1;
                    return 0;
                }
                cls_add(&c, lo, hi);
            } else {
                if (nchars == 0) {
                    g->err = 1; /* "could not parse range" */
                    return 0;
                }
                if (nchars > 64) {
                    opa_abort("glob.match: character list too long");
                }
                for (int32_t k = 0; k < nchars; k++) {
                    cls_add(&c, chars[k], chars[k]);
                }
            }
            cls_clean(&c);
            emit_class(p, &c, neg);
            continue;
        }
        if (r == '?') {
            gen_sep_class(p, g);
            continue;
        }
        if (r == '*') {
            int super = g->pos < g->n && g->s[g->pos] == '*';
            if (super) {
                g->pos++;
            }
            int32_t sp = emit(p, I_SPLIT, 0, 0, 0);
            if (super) {
                emit(p, I_ANY, 0, 0, 0);
            } else {
                gen_sep_class(p, g);
            }
            emit(p, I_JMP, 0, sp, 0);
            p->ins[sp].x = sp + 1;
            p->ins[sp].y = p->n;
            continue;
        }
        g->pos = save;
        int32_t n;
        gtext(g, p, in_terms ? "?*[{},": "?*[{", 0, &n);
        if (g->err) {
            return 0;
        }
    }
}

/* gobwas/glob's optimizer does not always match the language its syntax describes (for example
 * "??" with two separators checks for the separators as one substring, "?" alone matches "",
 * byte-length rows miscount multi-byte runes, "***" and empty or wildcard alternatives in { }
 * misbehave). Differential testing against gobwas found the shapes below; outside them this
 * engine and gobwas agree, inside them the call is refused instead of answered differently. */
static void glob_refuse_quirks(const char *p, int32_t n, int32_t nseps, pc_value *subject) {
    int depth = 0, single = 0, star = 0, run = 0, alt_len = 0;
    for (int32_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\\') {
            i++;
            run = 0;
            alt_len++;
            continue;
        }
        run = c == '*' ? run + 1 : 0;
        if (run >= 3) {
            opa_abort("glob.match: pattern shape not supported (***)");
        }
        if (depth > 0) {
            if (c == '[') {
                /* a class inside an alternative: skip to its ']' */
                single = 1;
                int32_t j = i + 1;
                if (j < n && p[j] == '!') {
                    j++;
                }
                j++; /* a first ']' or '-' belongs to the class */
                while (j < n && p[j] != ']') {
                    if (p[j] == '\\' || p[j] == ',' || p[j] == '{' || p[j] == '}') {
                        opa_abort("glob.match: pattern shape not supported ([ ] inside { })");
                    }
                    j++;
                }
                i = j;
                alt_len++;
                continue;
            }
            if (c == '*' || c == '?' || c == '{') {
                opa_abort("glob.match: wildcards inside { } are not supported");
            }
            if (c == ',' || c == '}') {
                if (alt_len == 0) {
                    opa_abort("glob.match: empty alternatives in { } are not supported");
                }
                alt_len = 0;
                if (c == '}') {
                    depth--;
                }
                continue;
            }
            alt_len++;
            continue;
        }
        if (c == '{') {
            depth++;
            alt_len = 0;
        } else if (c == '?' || c == '[') {
            single = 1;
        } else if (c == '*' && !(i + 1 < n && p[i + 1] == '*') && !(i > 0 && p[i - 1] == '*')) {
            star = 1;
        }
    }
    if (depth > 0) {
        opa_abort("glob.match: unclosed { is not supported");
    }
    if (nseps >= 2 && (single || star)) {
        opa_abort("glob.match: ? and * with more than one delimiter are not supported");
    }
    if (single) {
        int ascii = subject->len > 0;
        for (int32_t i = 0; i < subject->len; i++) {
            ascii &= (unsigned char)subject->u.s[i] < 0x80;
        }
        if (!ascii) {
            opa_abort("glob.match: ? and [ ] against an empty or non-ASCII string are not supported");
        }
    }
}

EXPORT("pc_bi_glob_match") pc_value *pc_bi_glob_match(pc_value *pat, pc_value *delims, pc_value *s) {
    if (!is_str(pat) || !delims || !is_str(s)) {
        return 0;
    }
    gparser g;
    memset(&g, 0, sizeof g);
    g.s = pat->u.s;
    g.n = pat->len;
    for (int32_t i = 0; i < g.n; i++) {
        if (g.s[i] == 0) {
            g.n = i; /* gobwas's lexer reads a NUL as the end of the pattern */
            break;
        }
    }
    if (delims->type == PC_NULL) {
        /* no separators */
    } else if (delims->type == PC_ARRAY) {
        if (delims->len == 0) {
            cls_add(&g.sep, '.', '.');
        }
        for (int32_t i = 0; i < delims->len; i++) {
            pc_value *d = delims->u.items[i];
            if (!is_str(d)) {
                return 0;
            }
            int32_t pos = 0;
            int32_t r = d->len > 0 ? pc_utf8_decode(d->u.s, d->len, &pos) : -1;
            if (r < 0 || pos != d->len) {
                return 0; /* each delimiter is exactly one rune */
            }
            cls_add(&g.sep, r, r);
        }
    } else {
        return 0;
    }
    prog *p = pc_alloc(sizeof(prog));
    memset(p, 0, sizeof(prog));
    p->ncap = 2;
    emit(p, I_SAVE, 0, 0, 0);
    gparse_seq(&g, p, 0);
    if (!g.err) {
        glob_refuse_quirks(g.s, g.n, g.sep.n / 2, s);
    }
    if (g.err) {
        return 0;
    }
    emit(p, I_ASSERT, A_END_TEXT, 0, 0);
    emit(p, I_SAVE, 0, 1, 0);
    emit(p, I_MATCH, 0, 0, 0);
    vm m;
    vm_init(&m, p, s->u.s, s->len, 2);
    return pc_bool(vm_search(&m, 0, 1));
}

EXPORT("pc_bi_glob_quote_meta") pc_value *pc_bi_glob_quote_meta(pc_value *s) {
    if (!is_str(s)) {
        return 0;
    }
    char *out = pc_alloc((uint32_t)s->len * 2 + 1);
    int32_t o = 0;
    for (int32_t i = 0; i < s->len; i++) {
        char c = s->u.s[i];
        if (c == '*' || c == '?' || c == '\\' || c == '[' || c == ']' || c == '{' || c == '}') {
            out[o++] = '\\';
        }
        out[o++] = c;
    }
    return pc_str(out, o);
}

/* ---- regex.template_match (OPA's fork of gorilla/mux's template compiler) ---- */

static void quote_meta(pc_sb *sb, const char *s, int32_t n) {
    for (int32_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\' || c == '.' || c == '+' || c == '*' || c == '?' || c == '(' || c == ')' || c == '|' || c == '[' ||
            c == ']' || c == '{' || c == '}' || c == '^' || c == '$') {
            pc_sb_putc(sb, '\\');
        }
        pc_sb_putc(sb, c);
    }
}

EXPORT("pc_bi_regex_template_match")
pc_value *pc_bi_regex_template_match(pc_value *tpl, pc_value *s, pc_value *ds, pc_value *de) {
    if (!is_str(tpl) || !is_str(s) || !is_str(ds) || !is_str(de) || ds->len != 1 || de->len != 1) {
        return 0;
    }
    char open = ds->u.s[0], close = de->u.s[0];
    const char *t = tpl->u.s;
    int32_t n = tpl->len;
    pc_sb sb = {0, 0, 0};
    pc_sb_putc(&sb, '^');
    int level = 0;
    int32_t idx = 0, end = 0;
    for (int32_t i = 0; i < n; i++) {
        /* the start delimiter is tested first, as in Go's switch, so equal delimiters only open */
        if (t[i] == open) {
            if (++level == 1) {
                idx = i;
            }
        } else if (t[i] == close) {
            if (--level == 0) {
                quote_meta(&sb, t + end, idx - end);
                const char *patt = t + idx + 1;
                int32_t plen = i - idx - 1;
                pc_sb one = {0, 0, 0};
                pc_sb_putc(&one, '^');
                pc_sb_put(&one, patt, (uint32_t)plen);
                pc_sb_putc(&one, '$');
                if (!compile_regex(pc_str(one.buf, (int32_t)one.len))) {
                    return 0;
                }
                pc_sb_putc(&sb, '(');
                pc_sb_put(&sb, patt, (uint32_t)plen);
                pc_sb_putc(&sb, ')');
                end = i + 1;
            } else if (level < 0) {
                return 0; /* unbalanced */
            }
        }
    }
    if (level != 0) {
        return 0;
    }
    quote_meta(&sb, t + end, n - end);
    pc_sb_putc(&sb, '$');
    prog *p = compile_regex(pc_str(sb.buf, (int32_t)sb.len));
    if (!p) {
        return 0;
    }
    vm m;
    vm_init(&m, p, s->u.s, s->len, 2);
    return pc_bool(vm_search(&m, 0, 0));
}
