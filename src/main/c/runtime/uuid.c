/*
 * uuid.parse as OPA v1.14 does it (google/uuid.Parse, then version, variant and, for versions 1
 * and 2, the decoded time, clock sequence, node id and MAC flags; for version 2 the DCE domain
 * and id). Text that does not parse is undefined.
 */
#include "pc.h"

static int hexv(char c) {
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

static int lower_eq(const char *s, const char *lit, int32_t n) {
    for (int32_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c + 32);
        }
        if (c != lit[i]) {
            return 0;
        }
    }
    return 1;
}

/* google/uuid.Parse: 36 chars with dashes, or that inside "urn:uuid:" / braces, or 32 hex. */
static int uuid_parse(const char *s, int32_t n, uint8_t *u) {
    if (n == 36 + 9) {
        if (!lower_eq(s, "urn:uuid:", 9)) {
            return 0;
        }
        s += 9;
        n = 36;
    } else if (n == 36 + 2) {
        if (s[0] != '{' || s[37] != '}') {
            return 0;
        }
        s += 1;
        n = 36;
    } else if (n == 32) {
        for (int i = 0; i < 16; i++) {
            int a = hexv(s[2 * i]), b = hexv(s[2 * i + 1]);
            if (a < 0 || b < 0) {
                return 0;
            }
            u[i] = (uint8_t)(a << 4 | b);
        }
        return 1;
    }
    if (n != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') {
        return 0;
    }
    static const int pos[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
    for (int i = 0; i < 16; i++) {
        int a = hexv(s[pos[i]]), b = hexv(s[pos[i] + 1]);
        if (a < 0 || b < 0) {
            return 0;
        }
        u[i] = (uint8_t)(a << 4 | b);
    }
    return 1;
}

static void put(pc_value *obj, const char *k, pc_value *v) { pc_obj_insert(obj, pc_cstr(k), v); }

EXPORT("pc_bi_uuid_parse") pc_value *pc_bi_uuid_parse(pc_value *s) {
    uint8_t u[16];
    if (!s || s->type != PC_STRING || !uuid_parse(s->u.s, s->len, u)) {
        return 0;
    }
    pc_value *out = pc_obj_new();
    int version = u[6] >> 4;
    put(out, "version", pc_int(version));
    const char *variant = (u[8] & 0xc0) == 0x80 ? "RFC4122" : (u[8] & 0xe0) == 0xc0 ? "Microsoft"
                        : (u[8] & 0xe0) == 0xe0 ? "Future" : "Reserved";
    put(out, "variant", pc_cstr(variant));
    if (version == 1 || version == 2) {
        uint64_t t = ((uint64_t)u[0] << 24 | (uint64_t)u[1] << 16 | (uint64_t)u[2] << 8 | u[3]) |
                     ((uint64_t)u[4] << 8 | u[5]) << 32 | ((uint64_t)((u[6] << 8 | u[7]) & 0xfff)) << 48;
        /* Time.UnixTime then sec*1e9 + nsec, in Go's wrapping int64 arithmetic */
        int64_t d = (int64_t)t - 122192928000000000LL;
        int64_t sec = d / 10000000, nsec = (d % 10000000) * 100;
        put(out, "time", pc_int((int64_t)((uint64_t)sec * 1000000000ULL + (uint64_t)nsec)));
        put(out, "clocksequence", pc_int((u[8] << 8 | u[9]) & 0x3fff));
        static const char H[] = "0123456789abcdef";
        char node[17];
        for (int i = 0; i < 6; i++) {
            node[3 * i] = H[u[10 + i] >> 4];
            node[3 * i + 1] = H[u[10 + i] & 15];
            if (i < 5) {
                node[3 * i + 2] = '-';
            }
        }
        put(out, "nodeid", pc_str_copy(node, 17));
        uint8_t b = u[10];
        const char *mac = (b & 3) == 3 ? "local:multicast" : (b & 1) ? "global:multicast" : (b & 2) ? "local:unicast" : "global:unicast";
        put(out, "macvariables", pc_cstr(mac));
        if (version == 2) {
            put(out, "id", pc_int((int64_t)((uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3])));
            const char *dom = u[9] == 0 ? "Person" : u[9] == 1 ? "Group" : u[9] == 2 ? "Org" : 0;
            if (dom) {
                put(out, "domain", pc_cstr(dom));
            } else {
                char buf[12] = "Domain";
                int n = 6, v = u[9];
                char tmp[4];
                int k = 0;
                do {
                    tmp[k++] = (char)('0' + v % 10);
                    v /= 10;
                } while (v);
                while (k) {
                    buf[n++] = tmp[--k];
                }
                put(out, "domain", pc_str_copy(buf, n));
            }
        }
    }
    return out;
}
