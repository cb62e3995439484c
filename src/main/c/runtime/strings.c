/*
 * String builtins. Rego strings are Unicode, so every position or length a policy sees counts
 * code points, while storage and comparison stay in UTF-8 bytes. Invalid UTF-8 bytes decode as
 * U+FFFD one byte at a time, as Go's range-over-string does.
 */
#include "pc.h"

int32_t pc_utf8_decode(const char *str, int32_t len, int32_t *pos) {
    const unsigned char *s = (const unsigned char *)str;
    int32_t i = *pos;
    uint32_t c = s[i];
    int32_t need;
    uint32_t cp, min;
    if (c < 0x80) {
        *pos = i + 1;
        return (int32_t)c;
    } else if ((c & 0xE0) == 0xC0) {
        need = 1, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        need = 2, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        need = 3, cp = c & 0x07, min = 0x10000;
    } else {
        *pos = i + 1;
        return 0xFFFD;
    }
    if (i + need >= len) {
        *pos = i + 1;
        return 0xFFFD;
    }
    for (int32_t k = 1; k <= need; k++) {
        if ((s[i + k] & 0xC0) != 0x80) {
            *pos = i + 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
        *pos = i + 1;
        return 0xFFFD;
    }
    *pos = i + need + 1;
    return (int32_t)cp;
}

int32_t pc_utf8_encode(uint32_t cp, char *out) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int32_t pc_utf8_count(const char *s, int32_t len) {
    int32_t n = 0;
    for (int32_t pos = 0; pos < len; n++) {
        pc_utf8_decode(s, len, &pos);
    }
    return n;
}

/* byte offset of code point index cp (clamped to len) */
static int32_t cp_offset(const char *s, int32_t len, int64_t cp) {
    int32_t pos = 0;
    for (int64_t i = 0; i < cp && pos < len; i++) {
        pc_utf8_decode(s, len, &pos);
    }
    return pos;
}

static int is_str(pc_value *v) { return v && v->type == PC_STRING; }

static int32_t find_bytes(const char *s, int32_t n, const char *sub, int32_t m, int32_t from) {
    for (int32_t i = from; i + m <= n; i++) {
        if (memcmp(s + i, sub, (size_t)m) == 0) {
            return i;
        }
    }
    return -1;
}

/* ---------------------------------------------------------------- case mapping */

/* Simple (one-to-one) mappings for Latin-1, Latin Extended-A, Greek and Cyrillic, which covers
 * what policies meet in practice without carrying Unicode's full case tables. */
static uint32_t to_lower(uint32_t c) {
    if (c < 0x80) {
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    }
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
        (c >= 0x410 && c <= 0x42F)) {
        return c + 32;
    }
    if (c >= 0x400 && c <= 0x40F) {
        return c + 80;
    }
    if (c == 0x386) {
        return 0x3AC;
    }
    if (c >= 0x388 && c <= 0x38A) {
        return c + 37;
    }
    if (c == 0x38C) {
        return 0x3CC;
    }
    if (c == 0x38E || c == 0x38F) {
        return c + 63;
    }
    if (c == 0x130) {
        return 'i';
    }
    if (c == 0x178) {
        return 0xFF;
    }
    if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177) ||
        (c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F)) {
        return c | 1;
    }
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) || (c >= 0x4C1 && c <= 0x4CE)) {
        return (c & 1) ? c + 1 : c;
    }
    return c;
}

static uint32_t to_upper(uint32_t c) {
    if (c < 0x80) {
        return (c >= 'a' && c <= 'z') ? c - 32 : c;
    }
    if ((c >= 0xE0 && c <= 0xFE && c != 0xF7) || (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) ||
        (c >= 0x430 && c <= 0x44F)) {
        return c - 32;
    }
    if (c >= 0x450 && c <= 0x45F) {
        return c - 80;
    }
    if (c == 0xB5) {
        return 0x39C;
    }
    if (c == 0xFF) {
        return 0x178;
    }
    if (c == 0x3C2) {
        return 0x3A3;
    }
    if (c == 0x3AC) {
        return 0x386;
    }
    if (c >= 0x3AD && c <= 0x3AF) {
        return c - 37;
    }
    if (c == 0x3CC) {
        return 0x38C;
    }
    if (c == 0x3CD || c == 0x3CE) {
        return c - 63;
    }
    if (c == 0x131) {
        return 'I';
    }
    if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177) ||
        (c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F)) {
        return c & ~1u;
    }
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) || (c >= 0x4C1 && c <= 0x4CE)) {
        return (c & 1) ? c : c - 1;
    }
    return c;
}

static pc_value *map_case(pc_value *x, int upper) {
    if (!is_str(x)) {
        return 0;
    }
    /* no mapping above lengthens a code point's UTF-8 encoding */
    char *out = pc_alloc((uint32_t)x->len + 1u);
    int32_t o = 0;
    for (int32_t pos = 0; pos < x->len;) {
        int32_t start = pos;
        int32_t cp = pc_utf8_decode(x->u.s, x->len, &pos);
        if (cp == 0xFFFD && !(pos - start == 3)) {
            /* keep invalid bytes as they were */
            memcpy(out + o, x->u.s + start, (size_t)(pos - start));
            o += pos - start;
            continue;
        }
        o += pc_utf8_encode(upper ? to_upper((uint32_t)cp) : to_lower((uint32_t)cp), out + o);
    }
    out[o] = 0;
    return pc_str(out, o);
}

EXPORT("pc_bi_lower") pc_value *pc_bi_lower(pc_value *x) { return map_case(x, 0); }
EXPORT("pc_bi_upper") pc_value *pc_bi_upper(pc_value *x) { return map_case(x, 1); }

/* ---------------------------------------------------------------- trimming */

static int is_space(int32_t c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

static int in_cutset(int32_t c, pc_value *cut) {
    for (int32_t pos = 0; pos < cut->len;) {
        if (pc_utf8_decode(cut->u.s, cut->len, &pos) == c) {
            return 1;
        }
    }
    return 0;
}

/* cut == 0 means Unicode white space */
static int trims(int32_t c, pc_value *cut) { return cut ? in_cutset(c, cut) : is_space(c); }

static int32_t trim_left_at(pc_value *s, pc_value *cut) {
    int32_t pos = 0;
    while (pos < s->len) {
        int32_t next = pos;
        if (!trims(pc_utf8_decode(s->u.s, s->len, &next), cut)) {
            break;
        }
        pos = next;
    }
    return pos;
}

static int32_t trim_right_at(pc_value *s, pc_value *cut, int32_t from) {
    /* walk forward remembering where the last non-trimmed code point ends */
    int32_t end = from;
    for (int32_t pos = from; pos < s->len;) {
        int32_t cp = pc_utf8_decode(s->u.s, s->len, &pos);
        if (!trims(cp, cut)) {
            end = pos;
        }
    }
    return end;
}

static pc_value *trim(pc_value *s, pc_value *cut, int left, int right) {
    if (!is_str(s) || (cut && !is_str(cut))) {
        return 0;
    }
    int32_t a = left ? trim_left_at(s, cut) : 0;
    int32_t b = right ? trim_right_at(s, cut, a) : s->len;
    return pc_str(s->u.s + a, b - a);
}

EXPORT("pc_bi_trim_space") pc_value *pc_bi_trim_space(pc_value *x) { return trim(x, 0, 1, 1); }
EXPORT("pc_bi_trim") pc_value *pc_bi_trim(pc_value *s, pc_value *c) {
    return c ? trim(s, c, 1, 1) : 0;
}
EXPORT("pc_bi_trim_left") pc_value *pc_bi_trim_left(pc_value *s, pc_value *c) {
    return c ? trim(s, c, 1, 0) : 0;
}
EXPORT("pc_bi_trim_right") pc_value *pc_bi_trim_right(pc_value *s, pc_value *c) {
    return c ? trim(s, c, 0, 1) : 0;
}

static int has_prefix(pc_value *s, pc_value *p) {
    return p->len <= s->len && memcmp(s->u.s, p->u.s, (size_t)p->len) == 0;
}

static int has_suffix(pc_value *s, pc_value *p) {
    return p->len <= s->len && memcmp(s->u.s + s->len - p->len, p->u.s, (size_t)p->len) == 0;
}

EXPORT("pc_bi_trim_prefix") pc_value *pc_bi_trim_prefix(pc_value *s, pc_value *p) {
    if (!is_str(s) || !is_str(p)) {
        return 0;
    }
    return has_prefix(s, p) ? pc_str(s->u.s + p->len, s->len - p->len) : s;
}

EXPORT("pc_bi_trim_suffix") pc_value *pc_bi_trim_suffix(pc_value *s, pc_value *p) {
    if (!is_str(s) || !is_str(p)) {
        return 0;
    }
    return has_suffix(s, p) ? pc_str(s->u.s, s->len - p->len) : s;
}

EXPORT("pc_bi_startswith") pc_value *pc_bi_startswith(pc_value *s, pc_value *p) {
    return is_str(s) && is_str(p) ? pc_bool(has_prefix(s, p)) : 0;
}

EXPORT("pc_bi_endswith") pc_value *pc_bi_endswith(pc_value *s, pc_value *p) {
    return is_str(s) && is_str(p) ? pc_bool(has_suffix(s, p)) : 0;
}

EXPORT("pc_bi_contains") pc_value *pc_bi_contains(pc_value *s, pc_value *sub) {
    if (!is_str(s) || !is_str(sub)) {
        return 0;
    }
    return pc_bool(find_bytes(s->u.s, s->len, sub->u.s, sub->len, 0) >= 0);
}

/* OPA reports an error (undefined here) for an empty search string. */
EXPORT("pc_bi_indexof") pc_value *pc_bi_indexof(pc_value *s, pc_value *sub) {
    if (!is_str(s) || !is_str(sub) || sub->len == 0) {
        return 0;
    }
    int32_t at = find_bytes(s->u.s, s->len, sub->u.s, sub->len, 0);
    return pc_int(at < 0 ? -1 : pc_utf8_count(s->u.s, at));
}

EXPORT("pc_bi_substring")
pc_value *pc_bi_substring(pc_value *s, pc_value *start, pc_value *length) {
    int64_t st, ln;
    if (!is_str(s) || !pc_is_int(start, &st) || !pc_is_int(length, &ln) || st < 0) {
        return 0;
    }
    int32_t a = cp_offset(s->u.s, s->len, st);
    if (a >= s->len) {
        return pc_str("", 0);
    }
    int32_t b = ln < 0 ? s->len : a + cp_offset(s->u.s + a, s->len - a, ln);
    return pc_str(s->u.s + a, b - a);
}

/* strings.Split semantics: an empty delimiter splits into code points. */
EXPORT("pc_bi_split") pc_value *pc_bi_split(pc_value *s, pc_value *d) {
    if (!is_str(s) || !is_str(d)) {
        return 0;
    }
    pc_value *out = pc_arr_new(4);
    if (d->len == 0) {
        for (int32_t pos = 0; pos < s->len;) {
            int32_t start = pos;
            pc_utf8_decode(s->u.s, s->len, &pos);
            pc_arr_push(out, pc_str(s->u.s + start, pos - start));
        }
        return out;
    }
    int32_t from = 0;
    for (;;) {
        int32_t at = find_bytes(s->u.s, s->len, d->u.s, d->len, from);
        if (at < 0) {
            break;
        }
        pc_arr_push(out, pc_str(s->u.s + from, at - from));
        from = at + d->len;
    }
    pc_arr_push(out, pc_str(s->u.s + from, s->len - from));
    return out;
}

/* strings.ReplaceAll semantics: an empty pattern matches at every code point boundary. */
EXPORT("pc_bi_replace") pc_value *pc_bi_replace(pc_value *s, pc_value *old, pc_value *nw) {
    if (!is_str(s) || !is_str(old) || !is_str(nw)) {
        return 0;
    }
    pc_sb sb = {0, 0, 0};
    if (old->len == 0) {
        pc_sb_put(&sb, nw->u.s, (uint32_t)nw->len);
        for (int32_t pos = 0; pos < s->len;) {
            int32_t start = pos;
            pc_utf8_decode(s->u.s, s->len, &pos);
            pc_sb_put(&sb, s->u.s + start, (uint32_t)(pos - start));
            pc_sb_put(&sb, nw->u.s, (uint32_t)nw->len);
        }
    } else {
        int32_t from = 0;
        for (;;) {
            int32_t at = find_bytes(s->u.s, s->len, old->u.s, old->len, from);
            if (at < 0) {
                break;
            }
            pc_sb_put(&sb, s->u.s + from, (uint32_t)(at - from));
            pc_sb_put(&sb, nw->u.s, (uint32_t)nw->len);
            from = at + old->len;
        }
        pc_sb_put(&sb, s->u.s + from, (uint32_t)(s->len - from));
    }
    return pc_str(sb.buf ? sb.buf : "", (int32_t)sb.len);
}

EXPORT("pc_bi_concat") pc_value *pc_bi_concat(pc_value *delim, pc_value *coll) {
    if (!is_str(delim) || !coll || (coll->type != PC_ARRAY && coll->type != PC_SET)) {
        return 0;
    }
    pc_sb sb = {0, 0, 0};
    for (int32_t i = 0; i < coll->len; i++) {
        pc_value *e = coll->u.items[i];
        if (!is_str(e)) {
            return 0;
        }
        if (i) {
            pc_sb_put(&sb, delim->u.s, (uint32_t)delim->len);
        }
        pc_sb_put(&sb, e->u.s, (uint32_t)e->len);
    }
    return pc_str(sb.buf ? sb.buf : "", (int32_t)sb.len);
}

/* OPA: the base must be the number 2, 8, 10 or 16 as written (10.0 is not); a non-integer input
 * is truncated toward zero after rounding to a 64-bit big.Float. Integers are exact at any size
 * (OPA's evaluator would round those beyond 2^64 to 64 significant bits first). */
EXPORT("pc_bi_format_int") pc_value *pc_bi_format_int(pc_value *n, pc_value *base) {
    int64_t b;
    if (!n || n->type != PC_NUMBER || !pc_is_int(base, &b) ||
        (b != 2 && b != 8 && b != 10 && b != 16)) {
        return 0;
    }
    pc_bn mag;
    int neg;
    if (!pc_num_to_bn(n, &neg, &mag)) {
        pc_bf f;
        int fraction;
        pc_bf_from_num(n, &f);
        pc_bf_trunc(&f, &mag, &fraction);
        neg = f.neg;
    }
    neg = neg && mag.n != 0;
    char *tmp = pc_alloc((uint32_t)pc_bn_bitlen(&mag) + 2);
    int32_t k = 0;
    do {
        tmp[k++] = "0123456789abcdef"[pc_bn_div_small(&mag, (uint32_t)b)];
    } while (mag.n > 0);
    char *out = pc_alloc((uint32_t)k + 2);
    int32_t o = 0;
    if (neg) {
        out[o++] = '-';
    }
    while (k) {
        out[o++] = tmp[--k];
    }
    out[o] = 0;
    return pc_str(out, o);
}

/* ---------------------------------------------------------------- strings.* */

/* a string, or an array/set of strings, as a list; 0 when any element is not a string */
static int string_list(pc_value *v, pc_value ***items, int32_t *n, pc_value **one) {
    if (is_str(v)) {
        *one = v;
        *items = one;
        *n = 1;
        return 1;
    }
    if (!v || (v->type != PC_ARRAY && v->type != PC_SET)) {
        return 0;
    }
    for (int32_t i = 0; i < v->len; i++) {
        if (!is_str(v->u.items[i])) {
            return 0;
        }
    }
    *items = v->u.items;
    *n = v->len;
    return 1;
}

static pc_value *any_match(pc_value *search, pc_value *affixes, int suffix) {
    pc_value **ss, **as, *s1, *a1;
    int32_t ns, na;
    if (!string_list(search, &ss, &ns, &s1) || !string_list(affixes, &as, &na, &a1)) {
        return 0;
    }
    for (int32_t i = 0; i < ns; i++) {
        for (int32_t j = 0; j < na; j++) {
            if (suffix ? has_suffix(ss[i], as[j]) : has_prefix(ss[i], as[j])) {
                return pc_bool(1);
            }
        }
    }
    return pc_bool(0);
}

EXPORT("pc_bi_strings_any_prefix_match")
pc_value *pc_bi_strings_any_prefix_match(pc_value *search, pc_value *base) { return any_match(search, base, 0); }

EXPORT("pc_bi_strings_any_suffix_match")
pc_value *pc_bi_strings_any_suffix_match(pc_value *search, pc_value *base) { return any_match(search, base, 1); }

/* Go's strings.Count: non-overlapping; an empty substring counts rune boundaries */
EXPORT("pc_bi_strings_count") pc_value *pc_bi_strings_count(pc_value *s, pc_value *sub) {
    if (!is_str(s) || !is_str(sub)) {
        return 0;
    }
    if (sub->len == 0) {
        return pc_int(pc_utf8_count(s->u.s, s->len) + 1);
    }
    int64_t n = 0;
    int32_t at = 0;
    while ((at = find_bytes(s->u.s, s->len, sub->u.s, sub->len, at)) >= 0) {
        n++;
        at += sub->len;
    }
    return pc_int(n);
}

EXPORT("pc_bi_strings_reverse") pc_value *pc_bi_strings_reverse(pc_value *s) {
    if (!is_str(s)) {
        return 0;
    }
    char *out = pc_alloc((uint32_t)s->len * 3 + 1);
    int32_t pos = 0, end = s->len * 3;
    int32_t o = end;
    while (pos < s->len) {
        int32_t cp = pc_utf8_decode(s->u.s, s->len, &pos);
        char buf[4];
        int32_t w = pc_utf8_encode((uint32_t)cp, buf);
        o -= w;
        memcpy(out + o, buf, (size_t)w);
    }
    return pc_str(out + o, end - o);
}

/* every code-point index where sub starts (overlapping matches included) */
EXPORT("pc_bi_indexof_n") pc_value *pc_bi_indexof_n(pc_value *s, pc_value *sub) {
    if (!is_str(s) || !is_str(sub) || sub->len == 0) {
        return 0;
    }
    pc_value *out = pc_arr_new(0);
    int32_t at = 0, cp = 0, scanned = 0;
    while ((at = find_bytes(s->u.s, s->len, sub->u.s, sub->len, at)) >= 0) {
        cp += pc_utf8_count(s->u.s + scanned, at - scanned);
        scanned = at;
        pc_arr_push(out, pc_int(cp));
        int32_t step = at;
        pc_utf8_decode(s->u.s, s->len, &step); /* next match may start one code point later */
        at = step;
    }
    return out;
}

/* Go's strings.NewReplacer over the object's pairs in key order: at each position the first
 * pattern (in that order) that matches wins, matches do not overlap, and an empty pattern
 * matches between runes but not twice in a row. */
EXPORT("pc_bi_strings_replace_n") pc_value *pc_bi_strings_replace_n(pc_value *patterns, pc_value *s) {
    if (!patterns || patterns->type != PC_OBJECT || !is_str(s)) {
        return 0;
    }
    for (int32_t k = 0; k < patterns->len; k++) {
        if (!is_str(patterns->u.items[k]) || !is_str(patterns->vals[k])) {
            return 0;
        }
    }
    pc_sb sb = {0, 0, 0};
    int prev_empty = 0;
    int32_t i = 0;
    while (i <= s->len) {
        int32_t hit = -1;
        for (int32_t k = 0; k < patterns->len; k++) {
            pc_value *p = patterns->u.items[k];
            if (p->len == 0 && prev_empty) {
                continue;
            }
            if (p->len <= s->len - i && memcmp(s->u.s + i, p->u.s, (size_t)p->len) == 0) {
                hit = k;
                break;
            }
        }
        if (hit >= 0) {
            pc_value *nv = patterns->vals[hit];
            pc_sb_put(&sb, nv->u.s, (uint32_t)nv->len);
            int32_t kl = patterns->u.items[hit]->len;
            prev_empty = kl == 0;
            if (kl > 0) {
                i += kl;
                continue;
            }
        } else {
            prev_empty = 0;
        }
        if (i < s->len) {
            pc_sb_putc(&sb, s->u.s[i]);
        }
        i++;
    }
    return pc_str(sb.buf ? sb.buf : "", (int32_t)sb.len);
}
