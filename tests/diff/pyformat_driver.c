/* pyformat_driver.c - runs pyformat on the cases of pyformat_cases.py.
 *
 * One case a line on stdin, fields separated by spaces, text fields as hex
 * of their UTF-8 bytes ("-" for empty):
 *   R <bits>                  repr of the double with these 64 bits (hex)
 *   L <bits>                  nudge's `format long` of it (format_repr)
 *   F <bits> <spec>           format(float, spec)
 *   I <int> <spec>            format(int, spec)
 *   B <0|1> <spec>            format(bool, spec)
 *   S <text> <spec>           format(str, spec)
 *   Q <text>                  repr(str), and ascii(str) after a tab
 *   P <fmt> <kind> <value> <width> <precision>
 *                             fmt % (value,) for one conversion; kind f i b s o
 *                             (o: an object whose str and repr are hex
 *                             fields: value = "<str>,<repr>,<type>");
 *                             width/precision replace a '*' (else "-")
 * One answer a line on stdout: "OK <hex>" or "ERR <ValueError|TypeError|
 * OverflowError|other> <hex of the message>".
 */
#include "nudge/pyformat.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/format.h"
#include "nudge/mem.h"

static size_t unhex(const char *h, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    if (strcmp(h, "-") == 0)
        return 0;
    for (; h[0] && h[1] && n + 1 < cap; h += 2) {
        char b[3] = { h[0], h[1], 0 };
        out[n++] = (char)strtol(b, NULL, 16);
    }
    out[n] = '\0';
    return n;
}

static void put_hex(const char *s, size_t n)
{
    if (n == 0)
        fputs("-", stdout);
    for (size_t i = 0; i < n; i++)
        printf("%02x", (unsigned char)s[i]);
}

static void answer(bool ok, Text *t, const Error *e)
{
    if (ok) {
        fputs("OK ", stdout);
        put_hex(t->s ? t->s : "", t->len);
    } else {
        const char *kind = e->code == ERROR_ARG ? "ValueError" : e->code == ERROR_TYPE ? "TypeError"
                         : e->code == ERROR_LIMIT ? "OverflowError" : "other";
        printf("ERR %s ", kind);
        put_hex(e->msg, strlen(e->msg));
    }
    fputs("\n", stdout);
}

static double bits_double(const char *h)
{
    uint64_t u = strtoull(h, NULL, 16);
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

int main(void)
{
    static char line[1 << 16], a[1 << 15], b[1 << 15], f[6][1 << 13];
    while (fgets(line, sizeof line, stdin)) {
        char *tok[8] = { 0 };
        int nt = 0;
        for (char *p = strtok(line, " \n"); p && nt < 8; p = strtok(NULL, " \n"))
            tok[nt++] = p;
        if (nt == 0)
            continue;
        Text t = { 0 };
        Error e;
        error_clear(&e);
        bool ok = false;
        switch (tok[0][0]) {
        case 'R': {
            char buf[PYFORMAT_REPR_MAX];
            pyformat_float_repr(bits_double(tok[1]), buf);
            text_puts(&t, buf);
            ok = true;
            break;
        }
        case 'L': {
            char buf[FORMAT_NUMBER_MAX];
            text_puts(&t, format_repr(bits_double(tok[1]), buf, sizeof buf));
            ok = true;
            break;
        }
        case 'F':
            unhex(tok[2], b, sizeof b);
            ok = pyformat_float(&t, bits_double(tok[1]), b, &e);
            break;
        case 'I':
            unhex(tok[2], b, sizeof b);
            ok = pyformat_int(&t, strtoll(tok[1], NULL, 10), b, &e);
            break;
        case 'B':
            unhex(tok[2], b, sizeof b);
            ok = pyformat_bool(&t, tok[1][0] == '1', b, &e);
            break;
        case 'S': {
            size_t n = unhex(tok[1], a, sizeof a);
            unhex(tok[2], b, sizeof b);
            ok = pyformat_str(&t, a, n, b, &e);
            break;
        }
        case 'Q': {
            size_t n = unhex(tok[1], a, sizeof a);
            pyformat_str_repr(&t, a, n, false);
            text_puts(&t, "\t");
            pyformat_str_repr(&t, a, n, true);
            ok = true;
            break;
        }
        case 'P': {
            size_t fn = unhex(tok[1], a, sizeof a);
            PyPercent p;
            size_t pos = 0;
            ok = pyformat_percent_parse(a, fn, &pos, &p, &e);
            if (!ok)
                break;
            if (p.width_star)
                p.width = nt > 4 ? strtol(tok[4], NULL, 10) : 0;
            if (p.precision_star)
                p.precision = nt > 5 ? strtol(tok[5], NULL, 10) : 0;
            PyArg arg = { 0 };
            char *v = tok[3];
            switch (tok[2][0]) {
            case 'f': arg.kind = PY_ARG_FLOAT; arg.f = bits_double(v); break;
            case 'i': arg.kind = PY_ARG_INT; arg.i = strtoll(v, NULL, 10); break;
            case 'b': arg.kind = PY_ARG_BOOL; arg.b = v[0] == '1'; break;
            case 's': arg.kind = PY_ARG_STR; arg.n = unhex(v, f[0], sizeof f[0]); arg.s = f[0]; break;
            default: {
                char *c1 = strchr(v, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
                if (!c1 || !c2)
                    break;
                *c1 = *c2 = '\0';
                arg.kind = PY_ARG_OBJECT;
                arg.n = unhex(v, f[1], sizeof f[1]);
                arg.s = f[1];
                arg.repr_n = unhex(c1 + 1, f[2], sizeof f[2]);
                arg.repr = f[2];
                unhex(c2 + 1, f[3], sizeof f[3]);
                arg.type_name = f[3];
                break;
            }
            }
            ok = pyformat_percent(&t, &p, &arg, &e);
            if (ok && pos != fn) {
                ok = false;
                error_set(&e, ERROR_NONE, "driver: the case has more than one conversion");
            }
            break;
        }
        default:
            error_set(&e, ERROR_NONE, "driver: unknown case %s", tok[0]);
            break;
        }
        if (ok && t.failed)
            ok = error_nomem(&e, "driver");
        answer(ok, &t, &e);
        text_free(&t);
    }
    return 0;
}
