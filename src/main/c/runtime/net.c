/*
 * net.cidr_* as OPA does them with Go's net package: addresses parse as net/netip does (strict
 * dotted quads without leading zeros, RFC 4291 IPv6 text, no zones); a CIDR's prefix length is
 * decimal digits. Every address is kept in its 16-byte form; an IPv4 address is the IPv4-mapped
 * IPv6 address (Go's To4() view), and an IPv4 CIDR /n has the 16-byte mask of /96+n, which makes
 * IPNet.Contains a plain masked comparison once both sides agree on being IPv4.
 */
#include "pc.h"

typedef struct {
    uint8_t ip[16];   /* masked network address */
    uint8_t mask[16];
    int prefix;       /* prefix length in the 16-byte form */
    int v4;           /* IPv4 in Go's eyes (To4() succeeds) */
    int text_v4;      /* written as a dotted quad */
} cidr;

static const uint8_t V4PREFIX[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static int is_mapped(const uint8_t *ip) { return memcmp(ip, V4PREFIX, 12) == 0; }

static int parse_v4(const char *s, int32_t n, uint8_t *out) {
    int val = 0, dig = 0, pos = 0;
    for (int32_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (dig == 1 && val == 0) {
                return 0;
            }
            val = val * 10 + (c - '0');
            dig++;
            if (val > 255) {
                return 0;
            }
        } else if (c == '.') {
            if (i == 0 || i == n - 1 || s[i - 1] == '.' || pos == 3) {
                return 0;
            }
            out[pos++] = (uint8_t)val;
            val = 0;
            dig = 0;
        } else {
            return 0;
        }
    }
    if (pos < 3 || dig == 0) {
        return 0;
    }
    out[3] = (uint8_t)val;
    return 1;
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

static int parse_v6(const char *s, int32_t n, uint8_t *ip) {
    memset(ip, 0, 16);
    for (int32_t k = 0; k < n; k++) {
        if (s[k] == '%') {
            return 0; /* zones are rejected by ParseIP and ParseCIDR */
        }
    }
    int ellipsis = -1;
    int32_t p = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        ellipsis = 0;
        p = 2;
        if (p == n) {
            return 1;
        }
    }
    int i = 0;
    while (i < 16) {
        int32_t off = 0;
        uint32_t acc = 0;
        while (p + off < n) {
            int h = hexval(s[p + off]);
            if (h < 0) {
                break;
            }
            acc = (acc << 4) + (uint32_t)h;
            if (off > 3) {
                return 0;
            }
            off++;
        }
        if (off == 0) {
            return 0;
        }
        if (p + off < n && s[p + off] == '.') {
            if ((ellipsis < 0 && i != 12) || i + 4 > 16) {
                return 0;
            }
            if (!parse_v4(s + p, n - p, ip + i)) {
                return 0;
            }
            p = n;
            i += 4;
            break;
        }
        ip[i] = (uint8_t)(acc >> 8);
        ip[i + 1] = (uint8_t)acc;
        i += 2;
        p += off;
        if (p == n) {
            break;
        }
        if (s[p] != ':' || p + 1 == n) {
            return 0;
        }
        p++;
        if (s[p] == ':') {
            if (ellipsis >= 0) {
                return 0;
            }
            ellipsis = i;
            p++;
            if (p == n) {
                break;
            }
        }
    }
    if (p != n) {
        return 0;
    }
    if (i < 16) {
        if (ellipsis < 0) {
            return 0;
        }
        int m = 16 - i;
        for (int j = i - 1; j >= ellipsis; j--) {
            ip[j + m] = ip[j];
        }
        memset(ip + ellipsis, 0, (size_t)m);
    } else if (ellipsis >= 0) {
        return 0;
    }
    return 1;
}

/* netip.ParseAddr: *v4 says whether the text was a dotted quad (BitLen 32). */
static int parse_addr(const char *s, int32_t n, uint8_t *ip, int *v4) {
    for (int32_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            memcpy(ip, V4PREFIX, 12);
            *v4 = 1;
            return parse_v4(s, n, ip + 12);
        }
        if (s[i] == ':') {
            *v4 = 0;
            return parse_v6(s, n, ip);
        }
        if (s[i] == '%') {
            return 0;
        }
    }
    return 0;
}

static void make_mask(uint8_t *mask, int prefix) {
    for (int i = 0; i < 16; i++) {
        int bits = prefix - 8 * i;
        mask[i] = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
    }
}

/* net.ParseCIDR. */
static int parse_cidr(pc_value *v, cidr *out) {
    if (!v || v->type != PC_STRING) {
        return 0;
    }
    const char *s = v->u.s;
    int32_t n = v->len, slash = -1;
    for (int32_t i = 0; i < n; i++) {
        if (s[i] == '/') {
            slash = i;
            break;
        }
    }
    if (slash < 0) {
        return 0;
    }
    int v4;
    uint8_t ip[16];
    if (!parse_addr(s, slash, ip, &v4)) {
        return 0;
    }
    int32_t bits = 0, i = slash + 1;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        bits = bits * 10 + (s[i] - '0');
        if (bits >= 0xFFFFFF) {
            return 0;
        }
    }
    if (i == slash + 1 || i != n || bits > (v4 ? 32 : 128)) {
        return 0;
    }
    out->prefix = v4 ? 96 + bits : bits;
    make_mask(out->mask, out->prefix);
    for (int k = 0; k < 16; k++) {
        out->ip[k] = ip[k] & out->mask[k];
    }
    /* A /96+ IPv6 CIDR inside ::ffff:0:0/96 behaves as IPv4 in Go (To4() succeeds). */
    out->v4 = is_mapped(out->ip);
    out->text_v4 = v4;
    return 1;
}

/* IPNet.Contains for an address in 16-byte form. */
static int net_contains(const cidr *c, const uint8_t *ip) {
    if (c->v4 != is_mapped(ip)) {
        return 0;
    }
    for (int i = 0; i < 16; i++) {
        if ((c->ip[i] & c->mask[i]) != (ip[i] & c->mask[i])) {
            return 0;
        }
    }
    return 1;
}

static void last_ip(const cidr *c, uint8_t *out) {
    for (int i = 0; i < 16; i++) {
        out[i] = c->ip[i] | (uint8_t)~c->mask[i];
    }
}

static void put_dec(pc_sb *sb, int v) {
    char b[4];
    int n = 0;
    do {
        b[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) {
        pc_sb_putc(sb, b[--n]);
    }
}

/* net.IP.String: dotted quad for IPv4-mapped, RFC 5952 for the rest. */
static void ip_text(pc_sb *sb, const uint8_t *ip) {
    if (is_mapped(ip)) {
        for (int i = 12; i < 16; i++) {
            if (i > 12) {
                pc_sb_putc(sb, '.');
            }
            put_dec(sb, ip[i]);
        }
        return;
    }
    int zs = -1, ze = -1;
    for (int i = 0; i < 8; i++) {
        int j = i;
        while (j < 8 && ip[2 * j] == 0 && ip[2 * j + 1] == 0) {
            j++;
        }
        if (j - i >= 2 && j - i > ze - zs) {
            zs = i;
            ze = j;
        }
    }
    static const char H[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++) {
        if (i == zs) {
            pc_sb_put(sb, "::", 2);
            i = ze - 1;
            continue;
        }
        if (i > 0 && i != ze) {
            pc_sb_putc(sb, ':');
        }
        uint32_t w = ((uint32_t)ip[2 * i] << 8) | ip[2 * i + 1];
        int started = 0;
        for (int sh = 12; sh >= 0; sh -= 4) {
            uint32_t d = (w >> sh) & 15;
            if (d || started || sh == 0) {
                pc_sb_putc(sb, H[d]);
                started = 1;
            }
        }
    }
}

static pc_value *sb_value(pc_sb *sb) { return pc_str(sb->buf, (int32_t)sb->len); }

static pc_value *ip_string(const uint8_t *ip) {
    pc_sb sb = {0, 0, 0};
    ip_text(&sb, ip);
    return sb_value(&sb);
}

EXPORT("pc_bi_net_cidr_is_valid") pc_value *pc_bi_net_cidr_is_valid(pc_value *s) {
    cidr c;
    return pc_bool(parse_cidr(s, &c));
}

/* net.ParseIP: an address in 16-byte form. */
static int parse_ip(pc_value *v, uint8_t *ip) {
    int v4;
    return v && v->type == PC_STRING && parse_addr(v->u.s, v->len, ip, &v4);
}

/* 1 true, 0 false, -1 error (undefined). */
static int contains(pc_value *a, pc_value *b) {
    cidr ca, cb;
    uint8_t ip[16];
    if (!parse_cidr(a, &ca) || !b || b->type != PC_STRING) {
        return -1;
    }
    if (parse_ip(b, ip)) {
        return net_contains(&ca, ip);
    }
    if (!parse_cidr(b, &cb)) {
        return -1;
    }
    if (!net_contains(&ca, cb.ip)) {
        return 0;
    }
    last_ip(&cb, ip);
    return net_contains(&ca, ip);
}

EXPORT("pc_bi_net_cidr_contains") pc_value *pc_bi_net_cidr_contains(pc_value *a, pc_value *b) {
    int r = contains(a, b);
    return r < 0 ? 0 : pc_bool(r);
}

EXPORT("pc_bi_net_cidr_intersects") pc_value *pc_bi_net_cidr_intersects(pc_value *a, pc_value *b) {
    cidr ca, cb;
    if (!parse_cidr(a, &ca) || !parse_cidr(b, &cb)) {
        return 0;
    }
    return pc_bool(net_contains(&ca, cb.ip) || net_contains(&cb, ca.ip));
}

/* OPA walks every address of the network; more than this many is refused rather than building
 * a set of millions of strings inside a policy evaluation. */
#define PC_CIDR_EXPAND_MAX 65536

EXPORT("pc_bi_net_cidr_expand") pc_value *pc_bi_net_cidr_expand(pc_value *s) {
    cidr c;
    if (!parse_cidr(s, &c)) {
        return 0;
    }
    if (128 - c.prefix > 16) {
        opa_abort("net.cidr_expand: network has more than 65536 addresses");
    }
    uint32_t count = 1u << (128 - c.prefix);
    pc_value *out = pc_set_new();
    uint8_t ip[16];
    memcpy(ip, c.ip, 16);
    for (uint32_t k = 0; k < count; k++) {
        pc_set_push_unsorted(out, ip_string(ip));
        for (int j = 15; j >= 0; j--) {
            if (++ip[j] != 0) {
                break;
            }
        }
    }
    pc_set_finish(out);
    return out;
}

/* ---- net.cidr_contains_matches ---- */

/* The CIDR of a match operand element: a string, or the first element of a non-empty array. */
static pc_value *match_term(pc_value *e) {
    if (e->type == PC_STRING) {
        return e;
    }
    if (e->type == PC_ARRAY && e->len > 0) {
        return e->u.items[0];
    }
    return 0;
}

/* Lists (cidr, index) pairs of a match operand; returns 0 on an element error. */
static int match_list(pc_value *v, pc_value ***cidrs, pc_value ***idx, int32_t *n) {
    *n = 0;
    if (v->type == PC_STRING) {
        *cidrs = pc_alloc(sizeof(pc_value *));
        *idx = pc_alloc(sizeof(pc_value *));
        (*cidrs)[0] = v;
        (*idx)[0] = v;
        *n = 1;
        return 1;
    }
    if (v->type != PC_ARRAY && v->type != PC_SET && v->type != PC_OBJECT) {
        return 1; /* OPA yields no pairs for other operands */
    }
    int32_t len = v->len;
    *cidrs = pc_alloc((uint32_t)(len + 1) * sizeof(pc_value *));
    *idx = pc_alloc((uint32_t)(len + 1) * sizeof(pc_value *));
    for (int32_t i = 0; i < len; i++) {
        pc_value *e = v->type == PC_OBJECT ? v->vals[i] : v->u.items[i];
        pc_value *c = match_term(e);
        if (!c) {
            return 0;
        }
        (*cidrs)[i] = c;
        (*idx)[i] = v->type == PC_ARRAY ? pc_int(i) : v->u.items[i];
    }
    *n = len;
    return 1;
}

EXPORT("pc_bi_net_cidr_contains_matches") pc_value *pc_bi_net_cidr_contains_matches(pc_value *a, pc_value *b) {
    if (!a || !b) {
        return 0;
    }
    pc_value **ca, **ia, **cb, **ib;
    int32_t na, nb;
    if (!match_list(a, &ca, &ia, &na)) {
        return 0;
    }
    if (!match_list(b, &cb, &ib, &nb)) {
        return 0;
    }
    pc_value *out = pc_set_new();
    for (int32_t i = 0; i < na; i++) {
        for (int32_t j = 0; j < nb; j++) {
            int r = contains(ca[i], cb[j]);
            if (r < 0) {
                return 0;
            }
            if (r) {
                pc_value *pair = pc_arr_new(2);
                pc_arr_push(pair, ia[i]);
                pc_arr_push(pair, ib[j]);
                pc_set_add(out, pair);
            }
        }
    }
    return out;
}

/* ---- net.cidr_merge (OPA's port of Cilium's merge: sort ranges, fold overlapping and adjacent
 * ones, rewrite merged ranges as their minimal CIDR list) ---- */

typedef struct {
    uint8_t first[16], last[16];
    pc_value *text; /* the unmerged network's IPNet.String(), 0 once merged */
} range;

static int cmp16(const uint8_t *a, const uint8_t *b) { return memcmp(a, b, 16); }

static void cidr_text(pc_sb *sb, const uint8_t *ip, int prefix) {
    if (is_mapped(ip) && prefix >= 96) {
        ip_text(sb, ip);
        pc_sb_putc(sb, '/');
        put_dec(sb, prefix - 96);
        return;
    }
    if (is_mapped(ip)) {
        opa_abort("net.cidr_merge: IPv4-mapped IPv6 networks are not supported");
    }
    ip_text(sb, ip);
    pc_sb_putc(sb, '/');
    put_dec(sb, prefix);
}

static pc_value *cidr_string(const uint8_t *ip, int prefix) {
    pc_sb sb = {0, 0, 0};
    cidr_text(&sb, ip, prefix);
    return sb_value(&sb);
}

/* One network of the operand: a CIDR, or an IPv4 address with its classful default mask (Go's
 * IP.DefaultMask, applied to the range but not to the text: "10.1.2.3" is "10.1.2.3/8"). */
static int merge_item(pc_value *e, range *r) {
    uint8_t ip[16];
    if (e->type != PC_STRING) {
        return 0;
    }
    int v4;
    if (parse_addr(e->u.s, e->len, ip, &v4)) {
        if (!is_mapped(ip)) {
            return 0; /* "IPv6 invalid: needs prefix length" */
        }
        int bits = ip[12] < 0x80 ? 8 : ip[12] < 0xc0 ? 16 : 24;
        uint8_t mask[16];
        make_mask(mask, 96 + bits);
        for (int k = 0; k < 16; k++) {
            r->first[k] = ip[k] & mask[k];
            r->last[k] = ip[k] | (uint8_t)~mask[k];
        }
        pc_sb sb = {0, 0, 0};
        ip_text(&sb, ip);
        pc_sb_putc(&sb, '/');
        put_dec(&sb, bits);
        r->text = sb_value(&sb);
        return 1;
    }
    cidr c;
    if (!parse_cidr(e, &c)) {
        return 0;
    }
    if (c.v4 && !c.text_v4) {
        /* Go's GetAddressRange builds a 28-byte address from these */
        opa_abort("net.cidr_merge: IPv4-mapped IPv6 networks are not supported");
    }
    memcpy(r->first, c.ip, 16);
    last_ip(&c, r->last);
    r->text = cidr_string(c.ip, c.prefix);
    return 1;
}

/* GetPreviousIP: never below 0.0.0.0 or ::; an IPv4 address only borrows within its 4 bytes. */
static void prev_ip(const uint8_t *ip, uint8_t *out) {
    memcpy(out, ip, 16);
    int lo = is_mapped(ip) ? 12 : 0;
    int zero = 1;
    for (int i = lo; i < 16; i++) {
        zero &= ip[i] == 0;
    }
    if (zero) {
        return;
    }
    for (int i = 15; i >= lo; i--) {
        if (out[i]-- != 0) {
            break;
        }
    }
}

/* The minimal list of CIDRs covering [first, last] exactly. */
static void range_cidrs(pc_value *out, const uint8_t *first, const uint8_t *last) {
    int v4 = is_mapped(first);
    int lo = v4 ? 96 : 0;
    uint8_t cur[16];
    memcpy(cur, first, 16);
    for (;;) {
        /* largest block aligned at cur that stays within last */
        int prefix = 128;
        while (prefix > lo) {
            int p = prefix - 1;
            int byte = p / 8, bit = 7 - p % 8;
            if (cur[byte] & (1 << bit)) {
                break; /* not aligned to a larger block */
            }
            uint8_t mask[16], end[16];
            make_mask(mask, p);
            for (int k = 0; k < 16; k++) {
                end[k] = cur[k] | (uint8_t)~mask[k];
            }
            if (cmp16(end, last) > 0) {
                break;
            }
            prefix = p;
        }
        pc_set_add(out, cidr_string(cur, prefix));
        uint8_t mask[16], end[16];
        make_mask(mask, prefix);
        for (int k = 0; k < 16; k++) {
            end[k] = cur[k] | (uint8_t)~mask[k];
        }
        if (cmp16(end, last) >= 0) {
            return;
        }
        memcpy(cur, end, 16);
        for (int j = 15; j >= 0; j--) {
            if (++cur[j] != 0) {
                break;
            }
        }
    }
}

static int range_less(const range *a, const range *b) {
    int c = cmp16(a->last, b->last);
    return c != 0 ? c < 0 : cmp16(a->first, b->first) < 0;
}

EXPORT("pc_bi_net_cidr_merge") pc_value *pc_bi_net_cidr_merge(pc_value *v) {
    if (!v || (v->type != PC_ARRAY && v->type != PC_SET)) {
        return 0;
    }
    int32_t n = v->len;
    range *rs = pc_alloc((uint32_t)(n + 1) * sizeof(range));
    for (int32_t i = 0; i < n; i++) {
        if (!merge_item(v->u.items[i], &rs[i])) {
            return 0;
        }
    }
    /* insertion sort: the operand is a policy-sized list */
    for (int32_t i = 1; i < n; i++) {
        range t = rs[i];
        int32_t j = i - 1;
        while (j >= 0 && range_less(&t, &rs[j])) {
            rs[j + 1] = rs[j];
            j--;
        }
        rs[j + 1] = t;
    }
    for (int32_t i = n - 1; i > 0; i--) {
        uint8_t prev[16];
        prev_ip(rs[i].first, prev);
        if (cmp16(prev, rs[i - 1].last) <= 0) {
            range m;
            memcpy(m.first, cmp16(rs[i - 1].first, rs[i].first) < 0 ? rs[i - 1].first : rs[i].first, 16);
            memcpy(m.last, rs[i].last, 16);
            m.text = 0;
            rs[i - 1] = m;
            for (int32_t k = i; k + 1 < n; k++) {
                rs[k] = rs[k + 1];
            }
            n--;
        }
    }
    pc_value *out = pc_set_new();
    for (int32_t i = 0; i < n; i++) {
        if (rs[i].text) {
            pc_set_add(out, rs[i].text);
            continue;
        }
        if (is_mapped(rs[i].first) != is_mapped(rs[i].last) || (!is_mapped(rs[i].first) && rs[i].first[0] == 0 && rs[i].last[0] == 0)) {
            /* Go's spanning-CIDR arithmetic loses leading zero bytes here and prints "<nil>" */
            opa_abort("net.cidr_merge: merged IPv6 range below 100::/8 is not supported");
        }
        range_cidrs(out, rs[i].first, rs[i].last);
    }
    return out;
}
