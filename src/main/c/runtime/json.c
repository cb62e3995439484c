/*
 * JSON (RFC 8259) and Rego value text, in both directions. The parser never traps on bad input:
 * every failure, including nesting deeper than the shadow stack allows, returns 0.
 */
#include "pc.h"

typedef struct {
    const char *s;
    int32_t n, pos, depth;
    int rego; /* accept sets ({1,2}, set()) and non-string object keys */
} parser;

static void skip_ws(parser *p) {
    while (p->pos < p->n) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            break;
        }
        p->pos++;
    }
}

static int literal(parser *p, const char *word) {
    int32_t len = (int32_t)pc_strlen(word);
    if (p->n - p->pos < len || memcmp(p->s + p->pos, word, (size_t)len) != 0) {
        return 0;
    }
    p->pos += len;
    return 1;
}

static int hex4(const char *s, uint32_t *out) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        uint32_t d;
        if (c >= '0' && c <= '9') {
            d = (uint32_t)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            d = (uint32_t)(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            d = (uint32_t)(c - 'A' + 10);
        } else {
            return 0;
        }
        v = v * 16 + d;
    }
    *out = v;
    return 1;
}

/* Decoded text is never longer than its escaped form, so one allocation of the raw span is
 * enough; lone surrogates become U+FFFD as in Go's encoding/json. */
static pc_value *parse_string(parser *p) {
    int32_t start = ++p->pos, end = start;
    while (end < p->n && p->s[end] != '"') {
        end += p->s[end] == '\\' ? 2 : 1;
    }
    if (end >= p->n) {
        return 0;
    }
    char *out = pc_alloc((uint32_t)(end - start) + 1);
    int32_t o = 0;
    const char *s = p->s;
    for (int32_t i = start; i < end;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20) {
            return 0;
        }
        if (c != '\\') {
            out[o++] = (char)c;
            i++;
            continue;
        }
        char e = s[i + 1];
        i += 2;
        switch (e) {
        case '"': out[o++] = '"'; break;
        case '\\': out[o++] = '\\'; break;
        case '/': out[o++] = '/'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'u': {
            uint32_t cp;
            if (end - i < 4 || !hex4(s + i, &cp)) {
                return 0;
            }
            i += 4;
            if (cp >= 0xD800 && cp < 0xDC00) {
                uint32_t lo;
                if (end - i >= 6 && s[i] == '\\' && s[i + 1] == 'u' && hex4(s + i + 2, &lo) &&
                    lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp < 0xE000) {
                cp = 0xFFFD;
            }
            o += pc_utf8_encode(cp, out + o);
            break;
        }
        default:
            return 0;
        }
    }
    out[o] = 0;
    p->pos = end + 1;
    return pc_str(out, o);
}

static pc_value *parse_value(parser *p);

static pc_value *parse_array(parser *p) {
    pc_value *arr = pc_arr_new(0);
    p->pos++;
    skip_ws(p);
    if (p->pos < p->n && p->s[p->pos] == ']') {
        p->pos++;
        return arr;
    }
    for (;;) {
        pc_value *v = parse_value(p);
        if (!v) {
            return 0;
        }
        pc_arr_push(arr, v);
        skip_ws(p);
        if (p->pos >= p->n) {
            return 0;
        }
        char c = p->s[p->pos++];
        if (c == ']') {
            return arr;
        }
        if (c != ',') {
            return 0;
        }
    }
}

/* '{' starts an object, or in Rego text a set when the first member has no ':' after it. */
static pc_value *parse_brace(parser *p) {
    p->pos++;
    skip_ws(p);
    if (p->pos < p->n && p->s[p->pos] == '}') {
        p->pos++;
        return pc_obj_new();
    }
    pc_value *coll = 0;
    for (;;) {
        skip_ws(p);
        if (!p->rego && (p->pos >= p->n || p->s[p->pos] != '"')) {
            return 0;
        }
        pc_value *k = parse_value(p);
        if (!k) {
            return 0;
        }
        skip_ws(p);
        if (p->pos >= p->n) {
            return 0;
        }
        int has_colon = p->s[p->pos] == ':';
        if (!coll) {
            coll = (has_colon || !p->rego) ? pc_obj_new() : pc_set_new();
        }
        if (coll->type == PC_OBJECT) {
            if (!has_colon) {
                return 0;
            }
            p->pos++;
            pc_value *v = parse_value(p);
            if (!v) {
                return 0;
            }
            pc_obj_push_unsorted(coll, k, v);
            skip_ws(p);
        } else {
            if (has_colon) {
                return 0;
            }
            pc_set_push_unsorted(coll, k);
        }
        if (p->pos >= p->n) {
            return 0;
        }
        char c = p->s[p->pos++];
        if (c == '}') {
            break;
        }
        if (c != ',') {
            return 0;
        }
    }
    if (coll->type == PC_OBJECT) {
        pc_obj_finish(coll);
    } else {
        pc_set_finish(coll);
    }
    return coll;
}

static pc_value *parse_value(parser *p) {
    skip_ws(p);
    if (p->pos >= p->n || p->depth >= PC_MAX_PARSE_DEPTH || pc_stack_low()) {
        return 0;
    }
    char c = p->s[p->pos];
    pc_value *v;
    switch (c) {
    case '{':
    case '[':
        p->depth++;
        v = c == '{' ? parse_brace(p) : parse_array(p);
        p->depth--;
        return v;
    case '"':
        return parse_string(p);
    case 't':
        return literal(p, "true") ? pc_bool(1) : 0;
    case 'f':
        return literal(p, "false") ? pc_bool(0) : 0;
    case 'n':
        return literal(p, "null") ? pc_null() : 0;
    case 's':
        return p->rego && literal(p, "set()") ? pc_set_new() : 0;
    default: {
        int32_t start = p->pos;
        while (p->pos < p->n) {
            char d = p->s[p->pos];
            if (!((d >= '0' && d <= '9') || d == '-' || d == '+' || d == '.' || d == 'e' || d == 'E')) {
                break;
            }
            p->pos++;
        }
        if (p->pos == start) {
            return 0;
        }
        return pc_parse_number(p->s + start, p->pos - start);
    }
    }
}

pc_value *pc_parse(const char *s, int32_t len, int rego_syntax) {
    if (!s || len < 0) {
        return 0;
    }
    parser p = {s, len, 0, 0, rego_syntax};
    pc_value *v = parse_value(&p);
    if (!v) {
        return 0;
    }
    skip_ws(&p);
    return p.pos == p.n ? v : 0;
}

/* ---------------------------------------------------------------- dumping */

void pc_sb_put(pc_sb *sb, const char *s, uint32_t n) {
    if (sb->len + n > sb->cap) {
        uint32_t ncap = sb->cap * 2 + n + 64;
        sb->buf = pc_realloc(sb->buf, sb->cap, ncap);
        sb->cap = ncap;
    }
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
}

void pc_sb_putc(pc_sb *sb, char c) { pc_sb_put(sb, &c, 1); }

static void dump_string(pc_sb *sb, const char *s, int32_t n) {
    static const char hex[] = "0123456789abcdef";
    pc_sb_putc(sb, '"');
    int32_t run = 0; /* copy unescaped stretches in one go */
    for (int32_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        pc_sb_put(sb, s + run, (uint32_t)(i - run));
        run = i + 1;
        char esc[6] = {'\\', 0, '0', '0', 0, 0};
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default:
            esc[1] = 'u';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            pc_sb_put(sb, esc, 6);
            continue;
        }
        pc_sb_put(sb, esc, 2);
    }
    pc_sb_put(sb, s + run, (uint32_t)(n - run));
    pc_sb_putc(sb, '"');
}

static void dump_value(pc_sb *sb, pc_value *v, int rego, int32_t depth);

static void dump_key(pc_sb *sb, pc_value *k, int rego, int32_t depth) {
    if (rego || k->type == PC_STRING) {
        dump_value(sb, k, rego, depth);
        return;
    }
    /* JSON keys must be strings: use the key's own JSON text */
    pc_sb inner = {0, 0, 0};
    dump_value(&inner, k, 0, depth);
    dump_string(sb, inner.buf, (int32_t)inner.len);
}

static void dump_value(pc_sb *sb, pc_value *v, int rego, int32_t depth) {
    if (!v) {
        pc_sb_put(sb, "null", 4); /* undefined has no text; keep the output well-formed */
        return;
    }
    switch (v->type) {
    case PC_NULL:
        pc_sb_put(sb, "null", 4);
        return;
    case PC_BOOLEAN:
        if (v->u.b) {
            pc_sb_put(sb, "true", 4);
        } else {
            pc_sb_put(sb, "false", 5);
        }
        return;
    case PC_NUMBER: {
        char buf[24];
        int32_t n;
        const char *t = pc_num_text(v, buf, &n);
        pc_sb_put(sb, t, (uint32_t)n);
        return;
    }
    case PC_STRING:
        dump_string(sb, v->u.s, v->len);
        return;
    default:
        break;
    }
    pc_depth_check(depth);
    if (v->type == PC_SET && rego && v->len == 0) {
        pc_sb_put(sb, "set()", 5);
        return;
    }
    char open = (v->type == PC_ARRAY || (v->type == PC_SET && !rego)) ? '[' : '{';
    pc_sb_putc(sb, open);
    for (int32_t i = 0; i < v->len; i++) {
        if (i) {
            pc_sb_putc(sb, ',');
        }
        if (v->type == PC_OBJECT) {
            dump_key(sb, v->u.items[i], rego, depth + 1);
            pc_sb_putc(sb, ':');
            dump_value(sb, v->vals[i], rego, depth + 1);
        } else {
            dump_value(sb, v->u.items[i], rego, depth + 1);
        }
    }
    pc_sb_putc(sb, open == '[' ? ']' : '}');
}

const char *pc_dump(pc_value *v, int rego_syntax) {
    pc_sb sb = {0, 0, 0};
    dump_value(&sb, v, rego_syntax, 0);
    pc_sb_putc(&sb, 0);
    return sb.buf;
}

EXPORT("opa_json_parse") pc_value *opa_json_parse(const char *s, int32_t len) { return pc_parse(s, len, 0); }
EXPORT("opa_value_parse") pc_value *opa_value_parse(const char *s, int32_t len) { return pc_parse(s, len, 1); }
EXPORT("opa_json_dump") const char *opa_json_dump(pc_value *v) { return pc_dump(v, 0); }
EXPORT("opa_value_dump") const char *opa_value_dump(pc_value *v) { return pc_dump(v, 1); }
EXPORT("opa_value_free") void opa_value_free(pc_value *v) { (void)v; }
