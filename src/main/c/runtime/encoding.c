/*
 * Encodings as OPA (Go's standard library) does them: base64 / base64url (StdEncoding,
 * URLEncoding, RawURLEncoding; decoders skip CR and LF like Go's), hex, urlquery
 * (url.QueryEscape / QueryUnescape / Values.Encode / ParseQuery) and json.marshal / unmarshal /
 * is_valid (encoding/json: sorted keys, HTML-safe escaping). Malformed input is undefined.
 */
#include "pc.h"

static int is_str(pc_value *v) { return v && v->type == PC_STRING; }

static const char B64STD[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static pc_value *b64_encode(pc_value *s, const char *alpha, int pad) {
    if (!is_str(s)) {
        return 0;
    }
    const uint8_t *in = (const uint8_t *)s->u.s;
    int32_t n = s->len;
    char *out = pc_alloc((uint32_t)((n + 2) / 3) * 4 + 1);
    int32_t o = 0;
    for (int32_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n) {
            v |= (uint32_t)in[i + 1] << 8;
        }
        if (i + 2 < n) {
            v |= in[i + 2];
        }
        out[o++] = alpha[(v >> 18) & 63];
        out[o++] = alpha[(v >> 12) & 63];
        if (i + 1 < n) {
            out[o++] = alpha[(v >> 6) & 63];
        } else if (pad) {
            out[o++] = '=';
        }
        if (i + 2 < n) {
            out[o++] = alpha[v & 63];
        } else if (pad) {
            out[o++] = '=';
        }
    }
    return pc_str(out, o);
}

static int b64_index(char c, const char *alpha) {
    for (int i = 0; i < 64; i++) {
        if (alpha[i] == c) {
            return i;
        }
    }
    return -1;
}

/* Go's base64 Encoding.DecodeString with padding (pad) or raw; CR/LF are ignored; trailing bits
 * need not be zero (non-strict). Returns 0 when malformed. */
static pc_value *b64_decode(const char *s, int32_t n, const char *alpha, int pad) {
    char *clean = pc_alloc((uint32_t)n + 1);
    int32_t m = 0;
    for (int32_t i = 0; i < n; i++) {
        if (s[i] != '\r' && s[i] != '\n') {
            clean[m++] = s[i];
        }
    }
    if (pad) {
        if (m % 4 != 0) {
            return 0;
        }
    } else if (m % 4 == 1) {
        return 0;
    }
    uint8_t *out = pc_alloc((uint32_t)(m / 4 + 1) * 3 + 1);
    int32_t o = 0;
    for (int32_t i = 0; i < m; i += 4) {
        int32_t q[4];
        int32_t got = 0;
        for (int32_t k = 0; k < 4 && i + k < m; k++) {
            char c = clean[i + k];
            if (c == '=' && pad) {
                /* padding: only in the last quantum, at positions 2 or 3, and all the rest '=' */
                if (i + 4 != m || k < 2) {
                    return 0;
                }
                for (int32_t r = k; r < 4; r++) {
                    if (clean[i + r] != '=') {
                        return 0;
                    }
                }
                break;
            }
            int v = b64_index(c, alpha);
            if (v < 0) {
                return 0;
            }
            q[got++] = v;
        }
        if (got < 2) {
            return 0;
        }
        out[o++] = (uint8_t)(q[0] << 2 | q[1] >> 4);
        if (got > 2) {
            out[o++] = (uint8_t)(q[1] << 4 | q[2] >> 2);
        }
        if (got > 3) {
            out[o++] = (uint8_t)(q[2] << 6 | q[3]);
        }
    }
    return pc_str((const char *)out, o);
}

EXPORT("pc_bi_base64_encode") pc_value *pc_bi_base64_encode(pc_value *s) { return b64_encode(s, B64STD, 1); }
EXPORT("pc_bi_base64url_encode") pc_value *pc_bi_base64url_encode(pc_value *s) { return b64_encode(s, B64URL, 1); }
EXPORT("pc_bi_base64url_encode_no_pad")
pc_value *pc_bi_base64url_encode_no_pad(pc_value *s) { return b64_encode(s, B64URL, 0); }

EXPORT("pc_bi_base64_decode") pc_value *pc_bi_base64_decode(pc_value *s) {
    return is_str(s) ? b64_decode(s->u.s, s->len, B64STD, 1) : 0;
}

EXPORT("pc_bi_base64_is_valid") pc_value *pc_bi_base64_is_valid(pc_value *s) {
    return is_str(s) ? pc_bool(b64_decode(s->u.s, s->len, B64STD, 1) != 0) : 0;
}

/* OPA pads an unpadded input per RFC 7515 appendix C, then decodes with padding */
EXPORT("pc_bi_base64url_decode") pc_value *pc_bi_base64url_decode(pc_value *s) {
    if (!is_str(s)) {
        return 0;
    }
    int32_t n = s->len;
    if (n > 0 && s->u.s[n - 1] == '=') {
        return b64_decode(s->u.s, n, B64URL, 1);
    }
    int32_t extra = n % 4 == 2 ? 2 : n % 4 == 3 ? 1 : n % 4 == 0 ? 0 : -1;
    if (extra < 0) {
        return 0;
    }
    char *p = pc_alloc((uint32_t)n + 3);
    memcpy(p, s->u.s, (size_t)n);
    for (int32_t i = 0; i < extra; i++) {
        p[n + i] = '=';
    }
    return b64_decode(p, n + extra, B64URL, 1);
}

/* ---------------------------------------------------------------- hex */

EXPORT("pc_bi_hex_encode") pc_value *pc_bi_hex_encode(pc_value *s) {
    if (!is_str(s)) {
        return 0;
    }
    static const char hx[] = "0123456789abcdef";
    char *out = pc_alloc((uint32_t)s->len * 2 + 1);
    for (int32_t i = 0; i < s->len; i++) {
        uint8_t b = (uint8_t)s->u.s[i];
        out[2 * i] = hx[b >> 4];
        out[2 * i + 1] = hx[b & 15];
    }
    return pc_str(out, s->len * 2);
}

static int hexval(char c) {
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

EXPORT("pc_bi_hex_decode") pc_value *pc_bi_hex_decode(pc_value *s) {
    if (!is_str(s) || s->len % 2) {
        return 0;
    }
    char *out = pc_alloc((uint32_t)s->len / 2 + 1);
    for (int32_t i = 0; i < s->len; i += 2) {
        int hi = hexval(s->u.s[i]), lo = hexval(s->u.s[i + 1]);
        if (hi < 0 || lo < 0) {
            return 0;
        }
        out[i / 2] = (char)(hi << 4 | lo);
    }
    return pc_str(out, s->len / 2);
}

/* ---------------------------------------------------------------- urlquery */

static void query_escape(pc_sb *sb, const char *s, int32_t n) {
    static const char HX[] = "0123456789ABCDEF";
    for (int32_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            pc_sb_putc(sb, (char)c);
        } else if (c == ' ') {
            pc_sb_putc(sb, '+');
        } else {
            pc_sb_putc(sb, '%');
            pc_sb_putc(sb, HX[c >> 4]);
            pc_sb_putc(sb, HX[c & 15]);
        }
    }
}

/* url.QueryUnescape; 0 on a malformed escape */
static pc_value *query_unescape(const char *s, int32_t n) {
    char *out = pc_alloc((uint32_t)n + 1);
    int32_t o = 0;
    for (int32_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) {
                return 0;
            }
            out[o++] = (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
            i += 2;
        } else if (s[i] == '+') {
            out[o++] = ' ';
        } else {
            out[o++] = s[i];
        }
    }
    return pc_str(out, o);
}

EXPORT("pc_bi_urlquery_encode") pc_value *pc_bi_urlquery_encode(pc_value *s) {
    if (!is_str(s)) {
        return 0;
    }
    pc_sb sb = {0, 0, 0};
    query_escape(&sb, s->u.s, s->len);
    return pc_str(sb.buf ? sb.buf : "", (int32_t)sb.len);
}

EXPORT("pc_bi_urlquery_decode") pc_value *pc_bi_urlquery_decode(pc_value *s) {
    return is_str(s) ? query_unescape(s->u.s, s->len) : 0;
}

/* url.Values.Encode: keys in order, one k=v per value (arrays in order, sets sorted) */
EXPORT("pc_bi_urlquery_encode_object") pc_value *pc_bi_urlquery_encode_object(pc_value *obj) {
    if (!obj || obj->type != PC_OBJECT) {
        return 0;
    }
    pc_sb sb = {0, 0, 0};
    for (int32_t i = 0; i < obj->len; i++) {
        pc_value *k = obj->u.items[i], *v = obj->vals[i];
        if (!is_str(k)) {
            return 0;
        }
        pc_value *one[1] = {v};
        pc_value **vs = one;
        int32_t nv = 1;
        if (v->type == PC_ARRAY || v->type == PC_SET) {
            vs = v->u.items;
            nv = v->len;
        }
        for (int32_t j = 0; j < nv; j++) {
            if (!is_str(vs[j])) {
                return 0;
            }
            if (sb.len) {
                pc_sb_putc(&sb, '&');
            }
            query_escape(&sb, k->u.s, k->len);
            pc_sb_putc(&sb, '=');
            query_escape(&sb, vs[j]->u.s, vs[j]->len);
        }
    }
    return pc_str(sb.buf ? sb.buf : "", (int32_t)sb.len);
}

/* url.ParseQuery: '&'-separated pairs, a ';' is an error, values collect per key in order */
EXPORT("pc_bi_urlquery_decode_object") pc_value *pc_bi_urlquery_decode_object(pc_value *s) {
    if (!is_str(s)) {
        return 0;
    }
    pc_value *out = pc_obj_new();
    int32_t i = 0, n = s->len;
    while (i <= n) {
        int32_t start = i;
        while (i < n && s->u.s[i] != '&') {
            i++;
        }
        int32_t end = i;
        i++;
        if (end == start) {
            if (i > n) {
                break;
            }
            continue;
        }
        for (int32_t j = start; j < end; j++) {
            if (s->u.s[j] == ';') {
                return 0;
            }
        }
        int32_t eq = start;
        while (eq < end && s->u.s[eq] != '=') {
            eq++;
        }
        pc_value *k = query_unescape(s->u.s + start, eq - start);
        pc_value *v = eq < end ? query_unescape(s->u.s + eq + 1, end - eq - 1) : pc_str("", 0);
        if (!k || !v) {
            return 0;
        }
        pc_value *list = pc_obj_get(out, k);
        if (!list) {
            list = pc_arr_new(1);
            pc_obj_insert(out, k, list);
        }
        pc_arr_push(list, v);
        if (i > n) {
            break;
        }
    }
    return out;
}

/* ---------------------------------------------------------------- json */

/* encoding/json's string encoding: HTML-safe (<, >, & escaped), U+2028/2029 escaped, invalid
 * UTF-8 replaced by U+FFFD */
static void go_json_string(pc_sb *sb, const char *s, int32_t n) {
    static const char hx[] = "0123456789abcdef";
    pc_sb_putc(sb, '"');
    int32_t i = 0;
    while (i < n) {
        uint8_t c = (uint8_t)s[i];
        if (c < 0x80) {
            if (c == '"' || c == '\\') {
                pc_sb_putc(sb, '\\');
                pc_sb_putc(sb, (char)c);
            } else if (c == '\n') {
                pc_sb_put(sb, "\\n", 2);
            } else if (c == '\r') {
                pc_sb_put(sb, "\\r", 2);
            } else if (c == '\t') {
                pc_sb_put(sb, "\\t", 2);
            } else if (c == '\b') {
                pc_sb_put(sb, "\\b", 2);
            } else if (c == '\f') {
                pc_sb_put(sb, "\\f", 2);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                char e[6] = {'\\', 'u', '0', '0', hx[c >> 4], hx[c & 15]};
                pc_sb_put(sb, e, 6);
            } else {
                pc_sb_putc(sb, (char)c);
            }
            i++;
            continue;
        }
        int32_t pos = i;
        int32_t cp = pc_utf8_decode(s, n, &pos);
        if (cp == 0xfffd && !(pos - i == 3 && (uint8_t)s[i] == 0xef)) {
            pc_sb_put(sb, "\\ufffd", 6);
        } else if (cp == 0x2028 || cp == 0x2029) {
            pc_sb_put(sb, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
        } else {
            pc_sb_put(sb, s + i, (uint32_t)(pos - i));
        }
        i = pos;
    }
    pc_sb_putc(sb, '"');
}

static void go_json(pc_sb *sb, pc_value *v, int32_t depth) {
    pc_depth_check(depth);
    switch (v->type) {
    case PC_STRING:
        go_json_string(sb, v->u.s, v->len);
        return;
    case PC_ARRAY:
    case PC_SET:
        pc_sb_putc(sb, '[');
        for (int32_t i = 0; i < v->len; i++) {
            if (i) {
                pc_sb_putc(sb, ',');
            }
            go_json(sb, v->u.items[i], depth + 1);
        }
        pc_sb_putc(sb, ']');
        return;
    case PC_OBJECT:
        pc_sb_putc(sb, '{');
        for (int32_t i = 0; i < v->len; i++) {
            if (i) {
                pc_sb_putc(sb, ',');
            }
            pc_value *k = v->u.items[i];
            if (k->type == PC_STRING) {
                go_json_string(sb, k->u.s, k->len);
            } else { /* a non-string key is written as the string of its JSON text */
                const char *t = pc_dump(k, 0);
                go_json_string(sb, t, (int32_t)pc_strlen(t));
            }
            pc_sb_putc(sb, ':');
            go_json(sb, v->vals[i], depth + 1);
        }
        pc_sb_putc(sb, '}');
        return;
    default: {
        const char *t = pc_dump(v, 0);
        pc_sb_put(sb, t, (uint32_t)pc_strlen(t));
        return;
    }
    }
}

EXPORT("pc_bi_json_marshal") pc_value *pc_bi_json_marshal(pc_value *v) {
    if (!v) {
        return 0;
    }
    pc_sb sb = {0, 0, 0};
    go_json(&sb, v, 0);
    return pc_str(sb.buf, (int32_t)sb.len);
}

EXPORT("pc_bi_json_unmarshal") pc_value *pc_bi_json_unmarshal(pc_value *s) {
    return is_str(s) ? pc_parse(s->u.s, s->len, 0) : 0;
}

/* OPA answers false (not undefined) for a non-string operand */
EXPORT("pc_bi_json_is_valid") pc_value *pc_bi_json_is_valid(pc_value *s) {
    if (!s) {
        return 0;
    }
    return pc_bool(is_str(s) && pc_parse(s->u.s, s->len, 0) != 0);
}
