/*
 * sprintf with OPA's exact output: OPA hands the array elements to Go's fmt.Sprintf as int64
 * (integer text that fits), *big.Int (larger integer text), float64 (text with '.', 'e' or 'E'
 * that a double holds) or string (strings as they are; every other value, and floats beyond a
 * double, as their Rego text: ["there", 5, 3.14], true, null). This file reimplements the fmt
 * verbs for those four Go types, including fmt's error texts (%!d(string=x), %!d(MISSING),
 * %!(EXTRA ...)). The few verb/flag combinations not implemented abort evaluation rather than
 * print something Go would not.
 */
#include "pc.h"

enum { ARG_INT, ARG_BIG, ARG_FLOAT, ARG_STR };

typedef struct {
    int kind;
    int64_t i;          /* ARG_INT */
    double f;           /* ARG_FLOAT */
    const char *s;      /* ARG_STR: bytes; ARG_BIG: decimal digits with optional '-' */
    int32_t len;
} arg;

typedef struct {
    int minus, plus, sharp, space, zero;
    int has_width, has_prec;
    int32_t width, prec;
} spec;

static void unsupported(void) { opa_abort("sprintf: format not supported by the runtime"); }

/* ---------------------------------------------------------------- Rego text (ast String) */

static void quote_go(pc_sb *sb, const char *s, int32_t n, char q);

void pc_rego_text(pc_sb *sb, pc_value *v, int32_t depth) {
    pc_depth_check(depth);
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
        quote_go(sb, v->u.s, v->len, '"');
        return;
    case PC_ARRAY:
    case PC_SET:
        if (v->type == PC_SET && v->len == 0) {
            pc_sb_put(sb, "set()", 5);
            return;
        }
        pc_sb_putc(sb, v->type == PC_ARRAY ? '[' : '{');
        for (int32_t i = 0; i < v->len; i++) {
            if (i) {
                pc_sb_put(sb, ", ", 2);
            }
            pc_rego_text(sb, v->u.items[i], depth + 1);
        }
        pc_sb_putc(sb, v->type == PC_ARRAY ? ']' : '}');
        return;
    case PC_OBJECT:
        pc_sb_putc(sb, '{');
        for (int32_t i = 0; i < v->len; i++) {
            if (i) {
                pc_sb_put(sb, ", ", 2);
            }
            pc_rego_text(sb, v->u.items[i], depth + 1);
            pc_sb_put(sb, ": ", 2);
            pc_rego_text(sb, v->vals[i], depth + 1);
        }
        pc_sb_putc(sb, '}');
        return;
    default:
        return;
    }
}

/* ---------------------------------------------------------------- Go quoting (strconv.Quote) */

static const char hexl[] = "0123456789abcdef";

/* printable per Go's unicode.IsPrint, approximated: C0/C1 controls, DEL, surrogates, the
 * line/paragraph separators and U+FEFF/noncharacters are escaped */
static int printable(int32_t cp) {
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xad) {
        return 0;
    }
    if (cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) ||
        cp == 0xfffe || cp == 0xffff || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
        (cp >= 0x2060 && cp <= 0x206f) || (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000) {
        return 0;
    }
    return 1;
}

static void quote_rune(pc_sb *sb, int32_t cp, int32_t width, const char *raw, char q) {
    if (cp == q || cp == '\\') {
        pc_sb_putc(sb, '\\');
        pc_sb_putc(sb, (char)cp);
        return;
    }
    if (width > 0 && printable(cp)) {
        pc_sb_put(sb, raw, (uint32_t)width);
        return;
    }
    switch (cp) {
    case '\a': pc_sb_put(sb, "\\a", 2); return;
    case '\b': pc_sb_put(sb, "\\b", 2); return;
    case '\f': pc_sb_put(sb, "\\f", 2); return;
    case '\n': pc_sb_put(sb, "\\n", 2); return;
    case '\r': pc_sb_put(sb, "\\r", 2); return;
    case '\t': pc_sb_put(sb, "\\t", 2); return;
    case '\v': pc_sb_put(sb, "\\v", 2); return;
    default: break;
    }
    char buf[12];
    int32_t k = 0;
    if (width < 0 || cp < 0x20 || cp == 0x7f) { /* invalid byte or ASCII control: \xNN */
        int32_t b = width < 0 ? (uint8_t)raw[0] : cp;
        buf[k++] = '\\';
        buf[k++] = 'x';
        buf[k++] = hexl[(b >> 4) & 15];
        buf[k++] = hexl[b & 15];
    } else if (cp < 0x10000) {
        buf[k++] = '\\';
        buf[k++] = 'u';
        for (int s = 12; s >= 0; s -= 4) {
            buf[k++] = hexl[(cp >> s) & 15];
        }
    } else {
        buf[k++] = '\\';
        buf[k++] = 'U';
        for (int s = 28; s >= 0; s -= 4) {
            buf[k++] = hexl[(cp >> s) & 15];
        }
    }
    pc_sb_put(sb, buf, (uint32_t)k);
}

/* decodes one UTF-8 sequence; returns its length, or -1 (one invalid byte) */
static int32_t utf8_next(const char *s, int32_t n, int32_t *cp) {
    uint8_t c = (uint8_t)s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int32_t len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (len == 0 || len > n) {
        return -1;
    }
    int32_t v = len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
    for (int32_t i = 1; i < len; i++) {
        uint8_t t = (uint8_t)s[i];
        if ((t & 0xc0) != 0x80) {
            return -1;
        }
        v = (v << 6) | (t & 0x3f);
    }
    if ((len == 3 && (v < 0x800 || (v >= 0xd800 && v < 0xe000))) || (len == 4 && (v < 0x10000 || v > 0x10ffff))) {
        return -1;
    }
    *cp = v;
    return len;
}

static void quote_go(pc_sb *sb, const char *s, int32_t n, char q) {
    pc_sb_putc(sb, q);
    int32_t i = 0;
    while (i < n) {
        int32_t cp;
        int32_t w = utf8_next(s + i, n - i, &cp);
        if (w < 0) {
            quote_rune(sb, -1, -1, s + i, q);
            i++;
        } else {
            quote_rune(sb, cp, w, s + i, q);
            i += w;
        }
    }
    pc_sb_putc(sb, q);
}

/* ---------------------------------------------------------------- padding */

static int32_t runes(const char *s, int32_t n) { return pc_utf8_count(s, n); }

/* writes s padded to the width (spaces, or zeros after a sign when zero-padding numbers) */
static void pad(pc_sb *sb, const spec *sp, const char *s, int32_t n, int zeros_ok) {
    int32_t w = runes(s, n);
    if (!sp->has_width || w >= sp->width) {
        pc_sb_put(sb, s, (uint32_t)n);
        return;
    }
    int32_t fill = sp->width - w;
    if (sp->minus) {
        pc_sb_put(sb, s, (uint32_t)n);
        while (fill--) {
            pc_sb_putc(sb, ' ');
        }
        return;
    }
    if (sp->zero && zeros_ok) {
        int32_t lead = 0;
        if (n > 0 && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) {
            pc_sb_putc(sb, s[0]);
            lead = 1;
        }
        while (fill--) {
            pc_sb_putc(sb, '0');
        }
        pc_sb_put(sb, s + lead, (uint32_t)(n - lead));
        return;
    }
    while (fill--) {
        pc_sb_putc(sb, ' ');
    }
    pc_sb_put(sb, s, (uint32_t)n);
}

/* ---------------------------------------------------------------- integers */

/* magnitude digits in base b (lowercase unless upper) from a decimal digit string */
static char *big_digits(const char *dec, int32_t nd, int base, int upper, int32_t *len) {
    pc_bn m;
    pc_bn_init(&m, nd / 9 + 2);
    pc_bn_from_digits(&m, dec, nd);
    char *tmp = pc_alloc((uint32_t)nd * 4 + 4);
    int32_t k = 0;
    do {
        uint32_t r = pc_bn_div_small(&m, (uint32_t)base);
        tmp[k++] = upper ? "0123456789ABCDEF"[r] : hexl[r];
    } while (m.n > 0);
    char *out = pc_alloc((uint32_t)k + 1);
    for (int32_t i = 0; i < k; i++) {
        out[i] = tmp[k - 1 - i];
    }
    *len = k;
    return out;
}

/* fmt's fmtInteger / big.Int's Format: sign, base prefix, precision (min digits), padding */
static void fmt_integer(pc_sb *sb, const spec *sp, int neg, const char *digits, int32_t nd, char verb, int big) {
    pc_sb body = {0, 0, 0};
    if (neg) {
        pc_sb_putc(&body, '-');
    } else if (sp->plus) {
        pc_sb_putc(&body, '+');
    } else if (sp->space) {
        pc_sb_putc(&body, ' ');
    }
    if (sp->sharp || verb == 'O') {
        switch (verb) {
        case 'x': pc_sb_put(&body, "0x", 2); break;
        case 'X': pc_sb_put(&body, "0X", 2); break;
        case 'b': if (big || sp->sharp) pc_sb_put(&body, "0b", 2); break;
        case 'O': pc_sb_put(&body, "0o", 2); break;
        case 'o': if (!(nd == 1 && digits[0] == '0') || big) pc_sb_putc(&body, '0'); break;
        default: break;
        }
    }
    int32_t zero_value = nd == 1 && digits[0] == '0';
    if (sp->has_prec) {
        if (sp->prec == 0 && zero_value) {
            nd = 0; /* %.0d of 0 prints nothing */
        }
        for (int32_t i = nd; i < sp->prec; i++) {
            pc_sb_putc(&body, '0');
        }
    }
    pc_sb_put(&body, digits, (uint32_t)nd);
    spec s2 = *sp;
    if (sp->has_prec) {
        s2.zero = 0; /* a precision disables zero padding */
    }
    pad(sb, &s2, body.buf ? body.buf : "", (int32_t)body.len, 1);
}

static void int_text(int64_t i, char *buf, int32_t *len) {
    uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
    char tmp[24];
    int32_t k = 0;
    do {
        tmp[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    for (int32_t j = 0; j < k; j++) {
        buf[j] = tmp[k - 1 - j];
    }
    *len = k;
}

/* ---------------------------------------------------------------- floats (strconv + fmt) */

/* round digits d[0..nd) (value 0.d * 10^dp) to keep n digits, half to even on an exact tie */
static void round_digits(char *d, int32_t *nd, int32_t *dp, int32_t n) {
    if (n < 0 || n >= *nd) {
        return;
    }
    int up;
    if (d[n] == '5' && n + 1 == *nd) {
        up = n > 0 && ((d[n - 1] - '0') & 1);
    } else {
        up = d[n] >= '5';
    }
    if (!up) {
        *nd = n;
    } else {
        int32_t j = n - 1;
        while (j >= 0 && d[j] == '9') {
            j--;
        }
        if (j < 0) {
            d[0] = '1';
            *nd = 1;
            (*dp)++;
        } else {
            d[j]++;
            *nd = j + 1;
        }
    }
    while (*nd > 0 && d[*nd - 1] == '0') {
        (*nd)--;
    }
}

static char digit(const char *d, int32_t nd, int32_t i) { return i >= 0 && i < nd ? d[i] : '0'; }

static void put_e(pc_sb *sb, const char *d, int32_t nd, int32_t dp, int32_t prec, char e) {
    pc_sb_putc(sb, nd ? d[0] : '0');
    if (prec > 0) {
        pc_sb_putc(sb, '.');
        for (int32_t i = 1; i <= prec; i++) {
            pc_sb_putc(sb, digit(d, nd, i));
        }
    }
    pc_sb_putc(sb, e);
    int32_t x = nd ? dp - 1 : 0;
    pc_sb_putc(sb, x < 0 ? '-' : '+');
    if (x < 0) {
        x = -x;
    }
    if (x < 10) {
        pc_sb_putc(sb, '0');
    }
    char buf[24];
    int32_t n;
    int_text(x, buf, &n);
    pc_sb_put(sb, buf, (uint32_t)n);
}

static void put_f(pc_sb *sb, const char *d, int32_t nd, int32_t dp, int32_t prec) {
    if (dp > 0) {
        for (int32_t i = 0; i < dp; i++) {
            pc_sb_putc(sb, digit(d, nd, i));
        }
    } else {
        pc_sb_putc(sb, '0');
    }
    if (prec > 0) {
        pc_sb_putc(sb, '.');
        for (int32_t i = 0; i < prec; i++) {
            pc_sb_putc(sb, digit(d, nd, dp + i));
        }
    }
}

/* strconv.AppendFloat(v, verb, prec, 64) for e, E, f, F, g, G (prec < 0: shortest) */
static void format_float(pc_sb *sb, double v, char verb, int32_t prec) {
    union { double d; uint64_t u; } x = {.d = v};
    if (x.u >> 63) {
        pc_sb_putc(sb, '-');
    }
    char *d0;
    int32_t nd, dp;
    int shortest = prec < 0;
    if (shortest) {
        pc_double_shortest(v, &d0, &nd, &dp);
    } else {
        pc_double_decimal(v, &d0, &nd, &dp);
    }
    char *d = pc_alloc((uint32_t)nd + 2);
    memcpy(d, d0, (size_t)nd);
    if (nd == 0) {
        dp = 0;
    }
    switch (verb) {
    case 'e':
    case 'E':
        if (shortest) {
            prec = nd > 0 ? nd - 1 : 0;
        } else {
            round_digits(d, &nd, &dp, prec + 1);
        }
        put_e(sb, d, nd, dp, prec, verb);
        return;
    case 'f':
    case 'F':
        if (shortest) {
            prec = nd - dp > 0 ? nd - dp : 0;
        } else {
            round_digits(d, &nd, &dp, dp + prec);
            if (dp + prec < 0 && nd > 0) { /* rounded away below the last place */
                nd = 0;
            }
        }
        put_f(sb, d, nd, dp, prec);
        return;
    default: { /* g, G */
        if (shortest) {
            prec = nd;
        } else {
            if (prec == 0) {
                prec = 1;
            }
            round_digits(d, &nd, &dp, prec);
        }
        int32_t eprec = prec;
        if (eprec > nd && nd >= dp) {
            eprec = nd;
        }
        if (shortest) {
            eprec = 6;
        }
        int32_t ex = dp - 1;
        if (nd == 0) {
            ex = 0;
        }
        if (ex < -4 || ex >= eprec) {
            if (prec > nd) {
                prec = nd;
            }
            put_e(sb, d, nd, dp, prec - 1, verb == 'G' ? 'E' : 'e');
            return;
        }
        if (prec > dp) {
            prec = nd;
        }
        put_f(sb, d, nd, dp, prec - dp > 0 ? prec - dp : 0);
        return;
    }
    }
}

static void fmt_float(pc_sb *sb, const spec *sp, double v, char verb) {
    if (sp->sharp) {
        unsupported();
    }
    int32_t prec = sp->has_prec ? sp->prec : -1;
    char fv = verb;
    if (verb == 'v') {
        fv = 'g';
    } else if ((verb == 'e' || verb == 'E' || verb == 'f' || verb == 'F') && !sp->has_prec) {
        prec = 6;
    }
    pc_sb num = {0, 0, 0};
    union { double d; uint64_t u; } x = {.d = v};
    if (!(x.u >> 63)) {
        if (sp->plus) {
            pc_sb_putc(&num, '+');
        } else if (sp->space) {
            pc_sb_putc(&num, ' ');
        }
    }
    format_float(&num, v, fv, prec);
    pad(sb, sp, num.buf, (int32_t)num.len, 1);
}

/* ---------------------------------------------------------------- strings */

static void fmt_string(pc_sb *sb, const spec *sp, const char *s, int32_t n, char verb) {
    if (sp->has_prec && (verb == 's' || verb == 'v' || verb == 'q')) {
        int32_t i = 0, r = 0; /* truncate to prec runes */
        while (i < n && r < sp->prec) {
            int32_t cp;
            int32_t w = utf8_next(s + i, n - i, &cp);
            i += w < 0 ? 1 : w;
            r++;
        }
        n = i;
    }
    if (verb == 's' || verb == 'v') {
        pad(sb, sp, s, n, 1);
        return;
    }
    pc_sb t = {0, 0, 0};
    if (verb == 'q') {
        if (sp->sharp) {
            unsupported();
        }
        quote_go(&t, s, n, '"');
    } else { /* x, X: hex of the bytes, precision limits the bytes */
        if (sp->has_prec && sp->prec < n) {
            n = sp->prec;
        }
        for (int32_t i = 0; i < n; i++) {
            if (i > 0 && sp->space) {
                pc_sb_putc(&t, ' ');
            }
            if (sp->sharp && (i == 0 || sp->space)) {
                pc_sb_put(&t, verb == 'x' ? "0x" : "0X", 2);
            }
            uint8_t b = (uint8_t)s[i];
            const char *digs = verb == 'x' ? hexl : "0123456789ABCDEF";
            pc_sb_putc(&t, digs[b >> 4]);
            pc_sb_putc(&t, digs[b & 15]);
        }
    }
    pad(sb, sp, t.buf ? t.buf : "", (int32_t)t.len, 1);
}

/* ---------------------------------------------------------------- one argument */

static const char *type_name(const arg *a) {
    switch (a->kind) {
    case ARG_INT: return "int64";
    case ARG_BIG: return "*big.Int";
    case ARG_FLOAT: return "float64";
    default: return "string";
    }
}

static void print_arg(pc_sb *sb, const spec *sp, const arg *a, char verb);

static void bad_verb(pc_sb *sb, const arg *a, char verb) {
    pc_sb_put(sb, "%!", 2);
    pc_sb_putc(sb, verb);
    pc_sb_putc(sb, '(');
    if (a->kind == ARG_BIG) {
        pc_sb_put(sb, "big.Int=", 8); /* big.Int's own Format writes this */
    } else {
        const char *t = type_name(a);
        pc_sb_put(sb, t, (uint32_t)pc_strlen(t));
        pc_sb_putc(sb, '=');
    }
    spec plain = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    print_arg(sb, &plain, a, 'v');
    pc_sb_putc(sb, ')');
}

static void print_arg(pc_sb *sb, const spec *sp, const arg *a, char verb) {
    switch (a->kind) {
    case ARG_INT: {
        int64_t i = a->i;
        uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
        char buf[72];
        int32_t n = 0;
        switch (verb) {
        case 'v':
        case 'd':
            int_text(i, buf, &n);
            fmt_integer(sb, sp, i < 0, buf, n, 'd', 0);
            return;
        case 'b': case 'o': case 'O': case 'x': case 'X': {
            int base = verb == 'b' ? 2 : (verb == 'o' || verb == 'O') ? 8 : 16;
            char tmp[72];
            int32_t k = 0;
            do {
                uint32_t r = (uint32_t)(u % (uint64_t)base);
                tmp[k++] = verb == 'X' ? "0123456789ABCDEF"[r] : hexl[r];
                u /= (uint64_t)base;
            } while (u);
            for (int32_t j = 0; j < k; j++) {
                buf[j] = tmp[k - 1 - j];
            }
            fmt_integer(sb, sp, i < 0, buf, k, verb, 0);
            return;
        }
        case 'c': {
            int32_t cp = (i < 0 || i > 0x10ffff || (i >= 0xd800 && i < 0xe000)) ? 0xfffd : (int32_t)i;
            n = pc_utf8_encode((uint32_t)cp, buf);
            pad(sb, sp, buf, n, 1);
            return;
        }
        case 'q': {
            int32_t cp = (i < 0 || i > 0x10ffff || (i >= 0xd800 && i < 0xe000)) ? 0xfffd : (int32_t)i;
            char raw[4];
            int32_t w = pc_utf8_encode((uint32_t)cp, raw);
            pc_sb t = {0, 0, 0};
            pc_sb_putc(&t, '\'');
            quote_rune(&t, cp, w, raw, '\'');
            pc_sb_putc(&t, '\'');
            pad(sb, sp, t.buf, (int32_t)t.len, 1);
            return;
        }
        case 'U': {
            if (sp->sharp) {
                unsupported();
            }
            pc_sb t = {0, 0, 0};
            pc_sb_put(&t, "U+", 2);
            char tmp[24];
            int32_t k = 0;
            do {
                tmp[k++] = "0123456789ABCDEF"[u % 16];
                u /= 16;
            } while (u);
            for (int32_t j = k; j < 4; j++) {
                pc_sb_putc(&t, '0');
            }
            while (k) {
                pc_sb_putc(&t, tmp[--k]);
            }
            pad(sb, sp, t.buf, (int32_t)t.len, 0);
            return;
        }
        default:
            bad_verb(sb, a, verb);
            return;
        }
    }
    case ARG_BIG: {
        int neg = a->s[0] == '-';
        const char *dec = a->s + neg;
        int32_t nd = a->len - neg;
        switch (verb) {
        case 'v': case 'd': case 's':
            fmt_integer(sb, sp, neg, dec, nd, 'd', 1);
            return;
        case 'b': case 'o': case 'O': case 'x': case 'X': {
            int32_t k;
            char *digs = big_digits(dec, nd, verb == 'b' ? 2 : (verb == 'o' || verb == 'O') ? 8 : 16, verb == 'X', &k);
            fmt_integer(sb, sp, neg, digs, k, verb, 1);
            return;
        }
        default:
            bad_verb(sb, a, verb);
            return;
        }
    }
    case ARG_FLOAT:
        switch (verb) {
        case 'v': case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
            fmt_float(sb, sp, a->f, verb);
            return;
        case 'b': case 'x': case 'X':
            unsupported();
            return;
        default:
            bad_verb(sb, a, verb);
            return;
        }
    default:
        switch (verb) {
        case 'v': case 's': case 'q': case 'x': case 'X':
            fmt_string(sb, sp, a->s, a->len, verb);
            return;
        default:
            bad_verb(sb, a, verb);
            return;
        }
    }
}

/* ---------------------------------------------------------------- OPA's argument conversion */

static int float_text(pc_value *v) {
    if (v->is_float != PC_NUM_TEXT) {
        return 0;
    }
    for (int32_t i = 0; i < v->len; i++) {
        char c = v->u.s[i];
        if (c == '.' || c == 'e' || c == 'E') {
            return 1;
        }
    }
    return 0;
}

static void to_arg(pc_value *v, arg *a) {
    if (v->type == PC_STRING) {
        a->kind = ARG_STR;
        a->s = v->u.s;
        a->len = v->len;
        return;
    }
    if (v->type == PC_NUMBER) {
        if (v->is_float == PC_NUM_INT) {
            a->kind = ARG_INT;
            a->i = v->u.i;
            return;
        }
        if (float_text(v)) {
            if (pc_num_to_double(v, &a->f)) {
                a->kind = ARG_FLOAT;
                return;
            }
            a->kind = ARG_STR; /* beyond a double: its text */
            a->s = v->u.s;
            a->len = v->len;
            return;
        }
        if (v->u.s[0] == '-' && v->len == 2 && v->u.s[1] == '0') {
            a->kind = ARG_INT; /* "-0" parses as the int64 0 */
            a->i = 0;
            return;
        }
        a->kind = ARG_BIG;
        a->s = v->u.s;
        a->len = v->len;
        return;
    }
    pc_sb sb = {0, 0, 0};
    pc_rego_text(&sb, v, 0);
    a->kind = ARG_STR;
    a->s = sb.buf ? sb.buf : "";
    a->len = (int32_t)sb.len;
}

/* ---------------------------------------------------------------- the format loop (fmt.doPrintf) */

static int32_t parse_num(const char *f, int32_t n, int32_t *i, int *ok) {
    int32_t v = 0;
    *ok = 0;
    while (*i < n && f[*i] >= '0' && f[*i] <= '9') {
        if (v > 1000000) {
            return 0; /* fmt treats absurd widths as "no number" */
        }
        v = v * 10 + (f[*i] - '0');
        (*i)++;
        *ok = 1;
    }
    return v;
}

EXPORT("pc_bi_sprintf") pc_value *pc_bi_sprintf(pc_value *format, pc_value *values) {
    if (!format || format->type != PC_STRING || !values || values->type != PC_ARRAY) {
        return 0;
    }
    const char *f = format->u.s;
    int32_t n = format->len;
    int32_t nargs = values->len;
    arg *args = pc_alloc((uint32_t)(nargs ? nargs : 1) * sizeof(arg));
    for (int32_t k = 0; k < nargs; k++) {
        to_arg(values->u.items[k], &args[k]);
    }
    pc_sb sb = {0, 0, 0};
    int32_t argnum = 0;
    int reordered = 0;
    int32_t i = 0;
    while (i < n) {
        int32_t start = i;
        while (i < n && f[i] != '%') {
            i++;
        }
        if (i > start) {
            pc_sb_put(&sb, f + start, (uint32_t)(i - start));
        }
        if (i >= n) {
            break;
        }
        i++; /* skip % */
        spec sp = {0, 0, 0, 0, 0, 0, 0, 0, 0};
        for (; i < n; i++) {
            char c = f[i];
            if (c == '#') {
                sp.sharp = 1;
            } else if (c == '0') {
                sp.zero = !sp.minus;
            } else if (c == '+') {
                sp.plus = 1;
            } else if (c == '-') {
                sp.minus = 1;
                sp.zero = 0;
            } else if (c == ' ') {
                sp.space = 1;
            } else {
                break;
            }
        }
        if (i < n && f[i] == '[') {
            unsupported(); /* explicit argument indexes */
        }
        if (i < n && f[i] == '*') {
            i++;
            if (argnum >= nargs || args[argnum].kind != ARG_INT) {
                pc_sb_put(&sb, "%!(BADWIDTH)", 12);
                if (argnum < nargs) {
                    argnum++;
                }
            } else {
                int64_t w = args[argnum++].i;
                if (w > 1000000 || w < -1000000) {
                    pc_sb_put(&sb, "%!(BADWIDTH)", 12);
                } else {
                    sp.has_width = 1;
                    sp.width = (int32_t)(w < 0 ? -w : w);
                    if (w < 0) {
                        sp.minus = 1;
                        sp.zero = 0;
                    }
                }
            }
        } else {
            int ok;
            sp.width = parse_num(f, n, &i, &ok);
            sp.has_width = ok;
        }
        if (i + 1 <= n && i < n && f[i] == '.') {
            i++;
            if (i < n && f[i] == '*') {
                i++;
                if (argnum >= nargs || args[argnum].kind != ARG_INT || args[argnum].i < 0 || args[argnum].i > 1000000) {
                    pc_sb_put(&sb, "%!(BADPREC)", 11);
                    if (argnum < nargs) {
                        argnum++;
                    }
                } else {
                    sp.has_prec = 1;
                    sp.prec = (int32_t)args[argnum++].i;
                }
            } else {
                int ok;
                sp.prec = parse_num(f, n, &i, &ok);
                sp.has_prec = 1;
            }
        }
        if (i >= n) {
            pc_sb_put(&sb, "%!(NOVERB)", 10);
            break;
        }
        int32_t cp;
        int32_t w = utf8_next(f + i, n - i, &cp);
        if (w < 0) {
            cp = 0xfffd;
            w = 1;
        }
        i += w;
        if (cp == '%') {
            pc_sb_putc(&sb, '%');
            continue;
        }
        if (cp >= 0x80) {
            unsupported();
        }
        char verb = (char)cp;
        if (argnum >= nargs) {
            pc_sb_put(&sb, "%!", 2);
            pc_sb_putc(&sb, verb);
            pc_sb_put(&sb, "(MISSING)", 9);
            continue;
        }
        if (verb == 'w' || (verb == 'v' && sp.sharp)) {
            unsupported(); /* %w and Go-syntax %#v */
        }
        print_arg(&sb, &sp, &args[argnum++], verb);
    }
    if (!reordered && argnum < nargs) {
        pc_sb_put(&sb, "%!(EXTRA ", 9);
        for (int32_t k = argnum; k < nargs; k++) {
            if (k > argnum) {
                pc_sb_put(&sb, ", ", 2);
            }
            const char *t = type_name(&args[k]);
            pc_sb_put(&sb, t, (uint32_t)pc_strlen(t));
            pc_sb_putc(&sb, '=');
            spec plain = {0, 0, 0, 0, 0, 0, 0, 0, 0};
            print_arg(&sb, &plain, &args[k], 'v');
        }
        pc_sb_putc(&sb, ')');
    }
    return pc_str(sb.buf ? sb.buf : "", (int32_t)sb.len);
}
