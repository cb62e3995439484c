/*
 * time.* in UTC as OPA does them with Go's time package: timestamps are int64 nanoseconds since
 * the Unix epoch; civil dates use the proleptic Gregorian calendar. Time zones other than UTC
 * ("" or "UTC") need the tz database and are refused, as are layouts other than RFC 3339 and
 * texts outside Go's RFC 3339 fast path; time.now_ns is not native.
 */
#include "pc.h"

#define NS_PER_S 1000000000LL

static int is_str(pc_value *v) { return v && v->type == PC_STRING; }

static int str_is(pc_value *v, const char *lit) {
    int32_t n = (int32_t)pc_strlen(lit);
    return v->len == n && memcmp(v->u.s, lit, (size_t)n) == 0;
}

/* tzTime: the number must be an integer in int64 after Go's 64-bit big.Float conversion. */
static int ns_of(pc_value *n, int64_t *out) {
    if (!n || n->type != PC_NUMBER) {
        return 0;
    }
    if (pc_is_int(n, out)) {
        return 1;
    }
    pc_bf f;
    pc_bf_from_num(n, &f);
    pc_bn mag;
    int frac;
    pc_bn_init(&mag, 4);
    pc_bf_trunc(&f, &mag, &frac);
    if (frac || pc_bn_bitlen(&mag) > 63) {
        if (!frac && f.neg && pc_bn_bitlen(&mag) == 64) {
            /* exactly -2^63 */
            pc_bn min;
            pc_bn_init(&min, 4);
            pc_bn_set_u64(&min, 1ULL << 63);
            if (pc_bn_cmp(&mag, &min) == 0) {
                *out = INT64_MIN;
                return 1;
            }
        }
        return 0; /* "timestamp too big" */
    }
    uint64_t v = 0;
    for (int32_t i = mag.n - 1; i >= 0; i--) {
        v = (v << 32) | mag.w[i];
    }
    *out = f.neg ? -(int64_t)v : (int64_t)v;
    return 1;
}

/* The timestamp and layout of a time operand: ns or [ns, tz] or [ns, tz, layout]. */
static int time_arg(pc_value *a, int64_t *ns, pc_value **layout) {
    if (layout) {
        *layout = 0;
    }
    if (a && a->type == PC_ARRAY) {
        if (a->len == 0) {
            return 0;
        }
        if (a->len > 1) {
            pc_value *tz = a->u.items[1];
            if (!is_str(tz)) {
                return 0;
            }
            if (!(tz->len == 0 || str_is(tz, "UTC"))) {
                opa_abort("time: time zones other than UTC are not supported");
            }
        }
        if (a->len > 2) {
            if (!is_str(a->u.items[2])) {
                return 0;
            }
            if (layout) {
                *layout = a->u.items[2];
            }
        }
        return ns_of(a->u.items[0], ns);
    }
    return ns_of(a, ns);
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

/* days since 1970-01-01 <-> civil date (H. Hinnant's algorithms) */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d) {
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

typedef struct { int64_t year, month, day, hour, min, sec, nsec, days; } civil;

static void to_civil(int64_t ns, civil *c) {
    int64_t s = floor_div(ns, NS_PER_S);
    c->nsec = ns - s * NS_PER_S;
    c->days = floor_div(s, 86400);
    int64_t sod = s - c->days * 86400;
    c->hour = sod / 3600;
    c->min = sod % 3600 / 60;
    c->sec = sod % 60;
    civil_from_days(c->days, &c->year, &c->month, &c->day);
}

static pc_value *int3(int64_t a, int64_t b, int64_t c) {
    pc_value *arr = pc_arr_new(3);
    pc_arr_push(arr, pc_int(a));
    pc_arr_push(arr, pc_int(b));
    pc_arr_push(arr, pc_int(c));
    return arr;
}

EXPORT("pc_bi_time_date") pc_value *pc_bi_time_date(pc_value *t) {
    int64_t ns;
    civil c;
    if (!time_arg(t, &ns, 0)) {
        return 0;
    }
    to_civil(ns, &c);
    return int3(c.year, c.month, c.day);
}

EXPORT("pc_bi_time_clock") pc_value *pc_bi_time_clock(pc_value *t) {
    int64_t ns;
    civil c;
    if (!time_arg(t, &ns, 0)) {
        return 0;
    }
    to_civil(ns, &c);
    return int3(c.hour, c.min, c.sec);
}

static const char *const WEEKDAYS[7] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

EXPORT("pc_bi_time_weekday") pc_value *pc_bi_time_weekday(pc_value *t) {
    int64_t ns;
    civil c;
    if (!time_arg(t, &ns, 0)) {
        return 0;
    }
    to_civil(ns, &c);
    int64_t w = (c.days + 4) % 7;
    return pc_cstr(WEEKDAYS[w < 0 ? w + 7 : w]);
}

/* toSafeUnixNano: seconds and nanoseconds to int64 ns, 0 when outside [MinInt64, MaxInt64]. */
static int safe_ns(int64_t s, int64_t nsec, int64_t *out) {
    if (s < -9223372037LL || s > 9223372036LL || (s == -9223372037LL && nsec < 145224192) ||
        (s == 9223372036LL && nsec > 854775807)) {
        return 0;
    }
    *out = (int64_t)((uint64_t)s * (uint64_t)NS_PER_S + (uint64_t)nsec);
    return 1;
}

EXPORT("pc_bi_time_add_date")
pc_value *pc_bi_time_add_date(pc_value *t, pc_value *years, pc_value *months, pc_value *days) {
    int64_t ns, y, m, d, out;
    civil c;
    if (!time_arg(t, &ns, 0) || !years || !months || !days || years->type != PC_NUMBER || months->type != PC_NUMBER ||
        days->type != PC_NUMBER || !pc_is_int(years, &y) || !pc_is_int(months, &m) || !pc_is_int(days, &d)) {
        return 0;
    }
    if (y > 1000000000 || y < -1000000000 || m > 1000000000 || m < -1000000000 || d > 100000000000LL || d < -100000000000LL) {
        return 0; /* far outside the representable range whatever the other operands */
    }
    to_civil(ns, &c);
    /* time.Date's normalisation: months into years, then days from the first of the month */
    int64_t mm = c.month - 1 + m;
    int64_t yy = c.year + y + floor_div(mm, 12);
    mm = mm - floor_div(mm, 12) * 12 + 1;
    int64_t dd = days_from_civil(yy, mm, 1) + c.day - 1 + d;
    int64_t s = dd * 86400 + c.hour * 3600 + c.min * 60 + c.sec;
    if (!safe_ns(s, c.nsec, &out)) {
        return 0; /* time outside of valid range */
    }
    return pc_int(out);
}

static int64_t days_in(int64_t y, int64_t m) {
    static const int D[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        return 29;
    }
    return D[m - 1];
}

EXPORT("pc_bi_time_diff") pc_value *pc_bi_time_diff(pc_value *a, pc_value *b) {
    int64_t n1, n2;
    if (!time_arg(a, &n1, 0) || !time_arg(b, &n2, 0)) {
        return 0;
    }
    if (n1 > n2) {
        int64_t t = n1;
        n1 = n2;
        n2 = t;
    }
    civil x, y;
    to_civil(n1, &x);
    to_civil(n2, &y);
    int64_t year = y.year - x.year, month = y.month - x.month, day = y.day - x.day;
    int64_t hour = y.hour - x.hour, min = y.min - x.min, sec = y.sec - x.sec;
    if (sec < 0) {
        sec += 60;
        min--;
    }
    if (min < 0) {
        min += 60;
        hour--;
    }
    if (hour < 0) {
        hour += 24;
        day--;
    }
    if (day < 0) {
        day += days_in(x.year, x.month);
        month--;
    }
    if (month < 0) {
        month += 12;
        year--;
    }
    pc_value *arr = int3(year, month, day);
    pc_arr_push(arr, pc_int(hour));
    pc_arr_push(arr, pc_int(min));
    pc_arr_push(arr, pc_int(sec));
    return arr;
}

static void put2(char *p, int64_t v) {
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* time.format: RFC 3339 layouts only (RFC3339Nano is the default). */
EXPORT("pc_bi_time_format") pc_value *pc_bi_time_format(pc_value *t) {
    int64_t ns;
    pc_value *layout;
    if (!time_arg(t, &ns, &layout)) {
        return 0;
    }
    int nano = 1;
    if (layout && layout->len > 0) {
        if (str_is(layout, "RFC3339") || str_is(layout, "2006-01-02T15:04:05Z07:00")) {
            nano = 0;
        } else if (!(str_is(layout, "RFC3339Nano") || str_is(layout, "2006-01-02T15:04:05.999999999Z07:00"))) {
            opa_abort("time.format: layouts other than RFC3339 and RFC3339Nano are not supported");
        }
    }
    civil c;
    to_civil(ns, &c);
    char buf[40];
    int n = 0;
    int64_t y = c.year;
    buf[n++] = (char)('0' + y / 1000);
    buf[n++] = (char)('0' + y / 100 % 10);
    put2(buf + n, y % 100);
    n += 2;
    buf[n++] = '-';
    put2(buf + n, c.month);
    n += 2;
    buf[n++] = '-';
    put2(buf + n, c.day);
    n += 2;
    buf[n++] = 'T';
    put2(buf + n, c.hour);
    n += 2;
    buf[n++] = ':';
    put2(buf + n, c.min);
    n += 2;
    buf[n++] = ':';
    put2(buf + n, c.sec);
    n += 2;
    if (nano && c.nsec) {
        buf[n++] = '.';
        int64_t v = c.nsec;
        char d[9];
        for (int i = 8; i >= 0; i--) {
            d[i] = (char)('0' + v % 10);
            v /= 10;
        }
        int len = 9;
        while (d[len - 1] == '0') {
            len--;
        }
        memcpy(buf + n, d, (size_t)len);
        n += len;
    }
    buf[n++] = 'Z';
    return pc_str_copy(buf, n);
}

/* Go's parseRFC3339 fast path; 0 when the text is outside it. */
static int parse_rfc3339(pc_value *v, int64_t *s_out, int64_t *nsec_out) {
    const char *s = v->u.s;
    int32_t n = v->len;
    int ok = 1;
#define UINT(off, len, lo, hi, dst)                                                                \
    do {                                                                                           \
        int64_t x_ = 0;                                                                            \
        for (int k_ = 0; k_ < (len); k_++) {                                                       \
            char c_ = s[(off) + k_];                                                               \
            if (c_ < '0' || c_ > '9') {                                                            \
                ok = 0;                                                                            \
            }                                                                                      \
            x_ = x_ * 10 + (c_ - '0');                                                             \
        }                                                                                          \
        if (!ok || x_ < (lo) || x_ > (hi)) {                                                       \
            ok = 0;                                                                                \
            x_ = (lo);                                                                             \
        }                                                                                          \
        dst = x_;                                                                                  \
    } while (0)
    if (n < 19) {
        return 0;
    }
    int64_t year, month, day, hour, min, sec;
    UINT(0, 4, 0, 9999, year);
    UINT(5, 2, 1, 12, month);
    UINT(8, 2, 1, days_in(year, month), day);
    UINT(11, 2, 0, 23, hour);
    UINT(14, 2, 0, 59, min);
    UINT(17, 2, 0, 59, sec);
    if (!ok || !(s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':')) {
        return 0;
    }
    int32_t p = 19;
    int64_t nsec = 0;
    if (n - p >= 2 && s[p] == '.' && s[p + 1] >= '0' && s[p + 1] <= '9') {
        int32_t e = p + 1;
        while (e < n && s[e] >= '0' && s[e] <= '9') {
            e++;
        }
        /* parseNanoseconds: at most 9 digits count, the rest are truncated */
        int64_t scale = 100000000;
        for (int32_t k = p + 1; k < e && k < p + 10; k++) {
            nsec += (s[k] - '0') * scale;
            scale /= 10;
        }
        p = e;
    }
    int64_t offset = 0;
    if (!(n - p == 1 && s[p] == 'Z')) {
        if (n - p != 6) {
            return 0;
        }
        int64_t hr, mm;
        UINT(p + 1, 2, 0, 23, hr);
        UINT(p + 4, 2, 0, 59, mm);
        if (!ok || !((s[p] == '-' || s[p] == '+') && s[p + 3] == ':')) {
            return 0;
        }
        offset = (hr * 60 + mm) * 60;
        if (s[p] == '-') {
            offset = -offset;
        }
    }
#undef UINT
    *s_out = days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec - offset;
    *nsec_out = nsec;
    return 1;
}

static pc_value *rfc3339_ns(pc_value *v) {
    int64_t s, nsec, out;
    if (!parse_rfc3339(v, &s, &nsec)) {
        opa_abort("time: text outside Go's RFC 3339 fast path is not supported");
    }
    if (!safe_ns(s, nsec, &out)) {
        return 0; /* time outside of valid range */
    }
    return pc_int(out);
}

EXPORT("pc_bi_time_parse_rfc3339_ns") pc_value *pc_bi_time_parse_rfc3339_ns(pc_value *v) {
    return is_str(v) ? rfc3339_ns(v) : 0;
}

EXPORT("pc_bi_time_parse_ns") pc_value *pc_bi_time_parse_ns(pc_value *layout, pc_value *v) {
    if (!is_str(layout) || !is_str(v)) {
        return 0;
    }
    if (!(str_is(layout, "RFC3339") || str_is(layout, "RFC3339Nano") || str_is(layout, "2006-01-02T15:04:05Z07:00") ||
          str_is(layout, "2006-01-02T15:04:05.999999999Z07:00"))) {
        opa_abort("time.parse_ns: layouts other than RFC3339 and RFC3339Nano are not supported");
    }
    return rfc3339_ns(v);
}

/* time.ParseDuration */
EXPORT("pc_bi_time_parse_duration_ns") pc_value *pc_bi_time_parse_duration_ns(pc_value *v) {
    if (!is_str(v)) {
        return 0;
    }
    const char *s = v->u.s;
    int32_t n = v->len, p = 0;
    const uint64_t LIM = 1ULL << 63;
    int neg = 0;
    if (n > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        p = 1;
    }
    if (n - p == 1 && s[p] == '0') {
        return pc_int(0);
    }
    if (p == n) {
        return 0;
    }
    uint64_t d = 0;
    while (p < n) {
        if (!(s[p] == '.' || (s[p] >= '0' && s[p] <= '9'))) {
            return 0;
        }
        uint64_t x = 0, f = 0;
        double scale = 1;
        int32_t start = p;
        while (p < n && s[p] >= '0' && s[p] <= '9') {
            if (x > LIM / 10) {
                return 0;
            }
            x = x * 10 + (uint64_t)(s[p] - '0');
            if (x > LIM) {
                return 0;
            }
            p++;
        }
        int pre = p != start, post = 0;
        if (p < n && s[p] == '.') {
            p++;
            int32_t fs = p;
            int overflow = 0;
            while (p < n && s[p] >= '0' && s[p] <= '9') {
                if (!overflow) {
                    if (f > (LIM - 1) / 10) {
                        overflow = 1;
                    } else {
                        uint64_t y = f * 10 + (uint64_t)(s[p] - '0');
                        if (y > LIM) {
                            overflow = 1;
                        } else {
                            f = y;
                            scale *= 10;
                        }
                    }
                }
                p++;
            }
            post = p != fs;
        }
        if (!pre && !post) {
            return 0;
        }
        int32_t us = p;
        while (p < n && !(s[p] == '.' || (s[p] >= '0' && s[p] <= '9'))) {
            p++;
        }
        int32_t ul = p - us;
        const char *u = s + us;
        uint64_t unit;
#define U(lit) (ul == (int32_t)sizeof(lit) - 1 && memcmp(u, lit, sizeof(lit) - 1) == 0)
        if (U("ns")) unit = 1;
        else if (U("us") || U("\xc2\xb5s") || U("\xce\xbcs")) unit = 1000;
        else if (U("ms")) unit = 1000000;
        else if (U("s")) unit = 1000000000ULL;
        else if (U("m")) unit = 60000000000ULL;
        else if (U("h")) unit = 3600000000000ULL;
        else return 0;
#undef U
        if (x > LIM / unit) {
            return 0;
        }
        x *= unit;
        if (f > 0) {
            x += (uint64_t)((double)f * ((double)unit / scale));
            if (x > LIM) {
                return 0;
            }
        }
        d += x;
        if (d > LIM) {
            return 0;
        }
    }
    if (neg) {
        return pc_int((int64_t)(0 - d));
    }
    if (d > LIM - 1) {
        return 0;
    }
    return pc_int((int64_t)d);
}
