/*
 * crypto.md5 / sha1 / sha256 and crypto.hmac.* as OPA does them (Go's crypto packages): digests of
 * the string's UTF-8 bytes, lower-case hex; hmac.equal is hmac.Equal on the two strings' bytes.
 */
#include "pc.h"

typedef struct {
    int kind; /* 0 md5, 1 sha1, 2 sha256, 3 sha512 */
    uint32_t h[8];
    uint64_t h64[8];
    uint8_t buf[128];
    uint32_t blen;
    uint64_t total;
} hctx;

static int block_size(int kind) { return kind == 3 ? 128 : 64; }
static int digest_size(int kind) { return kind == 0 ? 16 : kind == 1 ? 20 : kind == 2 ? 32 : 64; }

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
static uint64_t ror64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

static const uint32_t MD5_K[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
static const uint8_t MD5_S[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                  5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

static const uint32_t SHA256_K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static const uint64_t SHA512_K[80] = {
    0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
    0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
    0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
    0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
    0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
    0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
    0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
    0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
    0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
    0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
    0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
    0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
    0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
    0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
    0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
    0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
    0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
    0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
    0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
    0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL};

static uint32_t be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static uint64_t be64(const uint8_t *p) { return ((uint64_t)be32(p) << 32) | be32(p + 4); }

static void block(hctx *c, const uint8_t *p) {
    if (c->kind == 0) {
        uint32_t m[16];
        for (int i = 0; i < 16; i++) {
            m[i] = p[4 * i] | ((uint32_t)p[4 * i + 1] << 8) | ((uint32_t)p[4 * i + 2] << 16) |
                   ((uint32_t)p[4 * i + 3] << 24);
        }
        uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
        for (int i = 0; i < 64; i++) {
            uint32_t f;
            int g;
            if (i < 16) {
                f = (b & cc) | (~b & d);
                g = i;
            } else if (i < 32) {
                f = (d & b) | (~d & cc);
                g = (5 * i + 1) & 15;
            } else if (i < 48) {
                f = b ^ cc ^ d;
                g = (3 * i + 5) & 15;
            } else {
                f = cc ^ (b | ~d);
                g = (7 * i) & 15;
            }
            uint32_t t = d;
            d = cc;
            cc = b;
            b = b + rol(a + f + MD5_K[i] + m[g], MD5_S[i]);
            a = t;
        }
        c->h[0] += a;
        c->h[1] += b;
        c->h[2] += cc;
        c->h[3] += d;
    } else if (c->kind == 1) {
        uint32_t w[80];
        for (int i = 0; i < 16; i++) {
            w[i] = be32(p + 4 * i);
        }
        for (int i = 16; i < 80; i++) {
            w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        }
        uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4];
        for (int i = 0; i < 80; i++) {
            uint32_t f, k;
            if (i < 20) {
                f = (b & cc) | (~b & d);
                k = 0x5a827999;
            } else if (i < 40) {
                f = b ^ cc ^ d;
                k = 0x6ed9eba1;
            } else if (i < 60) {
                f = (b & cc) | (b & d) | (cc & d);
                k = 0x8f1bbcdc;
            } else {
                f = b ^ cc ^ d;
                k = 0xca62c1d6;
            }
            uint32_t t = rol(a, 5) + f + e + k + w[i];
            e = d;
            d = cc;
            cc = rol(b, 30);
            b = a;
            a = t;
        }
        c->h[0] += a;
        c->h[1] += b;
        c->h[2] += cc;
        c->h[3] += d;
        c->h[4] += e;
    } else if (c->kind == 2) {
        uint32_t w[64];
        for (int i = 0; i < 16; i++) {
            w[i] = be32(p + 4 * i);
        }
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t v[8];
        memcpy(v, c->h, sizeof v);
        for (int i = 0; i < 64; i++) {
            uint32_t S1 = ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25);
            uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
            uint32_t t1 = v[7] + S1 + ch + SHA256_K[i] + w[i];
            uint32_t S0 = ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22);
            uint32_t mj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            uint32_t t2 = S0 + mj;
            memmove(v + 1, v, 7 * sizeof(uint32_t));
            v[4] += t1;
            v[0] = t1 + t2;
        }
        for (int i = 0; i < 8; i++) {
            c->h[i] += v[i];
        }
    } else {
        uint64_t w[80];
        for (int i = 0; i < 16; i++) {
            w[i] = be64(p + 8 * i);
        }
        for (int i = 16; i < 80; i++) {
            uint64_t s0 = ror64(w[i - 15], 1) ^ ror64(w[i - 15], 8) ^ (w[i - 15] >> 7);
            uint64_t s1 = ror64(w[i - 2], 19) ^ ror64(w[i - 2], 61) ^ (w[i - 2] >> 6);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint64_t v[8];
        memcpy(v, c->h64, sizeof v);
        for (int i = 0; i < 80; i++) {
            uint64_t S1 = ror64(v[4], 14) ^ ror64(v[4], 18) ^ ror64(v[4], 41);
            uint64_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
            uint64_t t1 = v[7] + S1 + ch + SHA512_K[i] + w[i];
            uint64_t S0 = ror64(v[0], 28) ^ ror64(v[0], 34) ^ ror64(v[0], 39);
            uint64_t mj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            memmove(v + 1, v, 7 * sizeof(uint64_t));
            v[4] += t1;
            v[0] = t1 + S0 + mj;
        }
        for (int i = 0; i < 8; i++) {
            c->h64[i] += v[i];
        }
    }
}

static void hinit(hctx *c, int kind) {
    static const uint32_t SHA256_H[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    static const uint64_t SHA512_H[8] = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL,
                                         0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
                                         0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
                                         0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
    memset(c, 0, sizeof *c);
    c->kind = kind;
    if (kind == 0 || kind == 1) {
        c->h[0] = 0x67452301;
        c->h[1] = 0xefcdab89;
        c->h[2] = 0x98badcfe;
        c->h[3] = 0x10325476;
        c->h[4] = 0xc3d2e1f0;
    } else if (kind == 2) {
        memcpy(c->h, SHA256_H, sizeof SHA256_H);
    } else {
        memcpy(c->h64, SHA512_H, sizeof SHA512_H);
    }
}

static void hupdate(hctx *c, const uint8_t *p, uint32_t n) {
    uint32_t bs = (uint32_t)block_size(c->kind);
    c->total += n;
    while (n > 0) {
        uint32_t take = bs - c->blen;
        if (take > n) {
            take = n;
        }
        memcpy(c->buf + c->blen, p, take);
        c->blen += take;
        p += take;
        n -= take;
        if (c->blen == bs) {
            block(c, c->buf);
            c->blen = 0;
        }
    }
}

static void hfinal(hctx *c, uint8_t *out) {
    uint32_t bs = (uint32_t)block_size(c->kind);
    uint32_t lenbytes = bs == 128 ? 16 : 8;
    uint64_t bits = c->total * 8;
    uint8_t pad[144];
    memset(pad, 0, sizeof pad);
    pad[0] = 0x80;
    uint32_t padn = (c->blen < bs - lenbytes) ? bs - lenbytes - c->blen : 2 * bs - lenbytes - c->blen;
    uint8_t len[16];
    memset(len, 0, sizeof len);
    for (int i = 0; i < 8; i++) {
        if (c->kind == 0) {
            len[i] = (uint8_t)(bits >> (8 * i));
        } else {
            len[lenbytes - 1 - i] = (uint8_t)(bits >> (8 * i));
        }
    }
    uint64_t total = c->total;
    hupdate(c, pad, padn);
    hupdate(c, len, lenbytes);
    c->total = total;
    int ds = digest_size(c->kind);
    for (int i = 0; i < ds; i++) {
        if (c->kind == 0) {
            out[i] = (uint8_t)(c->h[i / 4] >> (8 * (i % 4)));
        } else if (c->kind == 3) {
            out[i] = (uint8_t)(c->h64[i / 8] >> (8 * (7 - i % 8)));
        } else {
            out[i] = (uint8_t)(c->h[i / 4] >> (8 * (3 - i % 4)));
        }
    }
}

static pc_value *hex(const uint8_t *d, int n) {
    static const char H[] = "0123456789abcdef";
    char *s = pc_alloc((uint32_t)n * 2);
    for (int i = 0; i < n; i++) {
        s[2 * i] = H[d[i] >> 4];
        s[2 * i + 1] = H[d[i] & 15];
    }
    return pc_str(s, n * 2);
}

static pc_value *digest(pc_value *s, int kind) {
    if (!s || s->type != PC_STRING) {
        return 0;
    }
    hctx c;
    uint8_t out[64];
    hinit(&c, kind);
    hupdate(&c, (const uint8_t *)s->u.s, (uint32_t)s->len);
    hfinal(&c, out);
    return hex(out, digest_size(kind));
}

/* RFC 2104, as Go's crypto/hmac: keys longer than a block are hashed first. */
static pc_value *hmac(pc_value *msg, pc_value *key, int kind) {
    if (!msg || msg->type != PC_STRING || !key || key->type != PC_STRING) {
        return 0;
    }
    uint32_t bs = (uint32_t)block_size(kind);
    uint8_t k[128];
    memset(k, 0, sizeof k);
    if ((uint32_t)key->len > bs) {
        hctx c;
        hinit(&c, kind);
        hupdate(&c, (const uint8_t *)key->u.s, (uint32_t)key->len);
        hfinal(&c, k);
    } else {
        memcpy(k, key->u.s, (uint32_t)key->len);
    }
    uint8_t pad[128], inner[64], out[64];
    hctx c;
    for (uint32_t i = 0; i < bs; i++) {
        pad[i] = k[i] ^ 0x36;
    }
    hinit(&c, kind);
    hupdate(&c, pad, bs);
    hupdate(&c, (const uint8_t *)msg->u.s, (uint32_t)msg->len);
    hfinal(&c, inner);
    for (uint32_t i = 0; i < bs; i++) {
        pad[i] = k[i] ^ 0x5c;
    }
    hinit(&c, kind);
    hupdate(&c, pad, bs);
    hupdate(&c, inner, (uint32_t)digest_size(kind));
    hfinal(&c, out);
    return hex(out, digest_size(kind));
}

EXPORT("pc_bi_crypto_md5") pc_value *pc_bi_crypto_md5(pc_value *s) { return digest(s, 0); }
EXPORT("pc_bi_crypto_sha1") pc_value *pc_bi_crypto_sha1(pc_value *s) { return digest(s, 1); }
EXPORT("pc_bi_crypto_sha256") pc_value *pc_bi_crypto_sha256(pc_value *s) { return digest(s, 2); }
EXPORT("pc_bi_crypto_hmac_md5") pc_value *pc_bi_crypto_hmac_md5(pc_value *m, pc_value *k) { return hmac(m, k, 0); }
EXPORT("pc_bi_crypto_hmac_sha1") pc_value *pc_bi_crypto_hmac_sha1(pc_value *m, pc_value *k) { return hmac(m, k, 1); }
EXPORT("pc_bi_crypto_hmac_sha256") pc_value *pc_bi_crypto_hmac_sha256(pc_value *m, pc_value *k) { return hmac(m, k, 2); }
EXPORT("pc_bi_crypto_hmac_sha512") pc_value *pc_bi_crypto_hmac_sha512(pc_value *m, pc_value *k) { return hmac(m, k, 3); }

/* hmac.Equal: byte equality without an early exit (timing does not depend on where they differ). */
EXPORT("pc_bi_crypto_hmac_equal") pc_value *pc_bi_crypto_hmac_equal(pc_value *a, pc_value *b) {
    if (!a || a->type != PC_STRING || !b || b->type != PC_STRING) {
        return 0;
    }
    if (a->len != b->len) {
        return pc_bool(0);
    }
    uint8_t d = 0;
    for (int32_t i = 0; i < a->len; i++) {
        d |= (uint8_t)(a->u.s[i] ^ b->u.s[i]);
    }
    return pc_bool(d == 0);
}
