/* npprint_driver.c - runs npprint on the cases of npprint_cases.py.
 *
 * One case a line on stdin, fields separated by spaces, text as hex of its
 * UTF-8 bytes ("-" for empty):
 *   <what> <dtype> <ndim> <rows> <cols> <precision> <floatmode> <suppress>
 *   <linewidth> <threshold> <edgeitems> <sign> <nanstr> <infstr>
 *   <float spec> <int spec> <values>
 * what: s (str), r (repr), S (str of a scalar, the first value);
 * dtype: f i b; floatmode: m f u e (maxprec fixed unique maxprec_equal);
 * sign: one of - p s (minus, plus, space); values: the 64 bits of each
 * double in hex, comma-separated ("-" for none).
 * One answer a line: "OK <hex of the text>" or "ERR <hex of the message>".
 */
#include "nudge/npprint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/tensor.h"

static void unhex(const char *h, char *out, size_t cap)
{
    size_t n = 0;
    if (strcmp(h, "-") != 0)
        for (; h[0] && h[1] && n + 1 < cap; h += 2) {
            char b[3] = { h[0], h[1], 0 };
            out[n++] = (char)strtol(b, NULL, 16);
        }
    out[n] = '\0';
}

static void put_hex(const char *s, size_t n)
{
    if (n == 0)
        fputs("-", stdout);
    for (size_t i = 0; i < n; i++)
        printf("%02x", (unsigned char)s[i]);
}

int main(void)
{
    size_t cap = 1 << 20;
    char *line = malloc(cap);
    if (!line)
        return 1;
    ssize_t got;
    while ((got = getline(&line, &cap, stdin)) > 0) {
        char *tok[20] = { 0 };
        int nt = 0;
        for (char *p = strtok(line, " \n"); p && nt < 20; p = strtok(NULL, " \n"))
            tok[nt++] = p;
        if (nt < 17) {
            puts("ERR 6261642063617365");
            continue;
        }
        NpPrintOptions o;
        npprint_options_default(&o);
        Dtype dt = tok[1][0] == 'i' ? DTYPE_INT64 : tok[1][0] == 'b' ? DTYPE_BOOL : DTYPE_FLOAT64;
        int ndim = atoi(tok[2]);
        size_t rows = strtoul(tok[3], NULL, 10), cols = strtoul(tok[4], NULL, 10);
        o.precision = atoi(tok[5]);
        o.floatmode = tok[6][0] == 'f' ? NP_FLOATMODE_FIXED : tok[6][0] == 'u' ? NP_FLOATMODE_UNIQUE
                    : tok[6][0] == 'e' ? NP_FLOATMODE_MAXPREC_EQUAL : NP_FLOATMODE_MAXPREC;
        o.suppress = tok[7][0] == '1';
        o.linewidth = atoi(tok[8]);
        o.threshold = atol(tok[9]);
        o.edgeitems = atoi(tok[10]);
        o.sign = tok[11][0] == 'p' ? '+' : tok[11][0] == 's' ? ' ' : '-';
        unhex(tok[12], o.nanstr, sizeof o.nanstr);
        unhex(tok[13], o.infstr, sizeof o.infstr);
        unhex(tok[14], o.float_spec, sizeof o.float_spec);
        unhex(tok[15], o.int_spec, sizeof o.int_spec);
        size_t n = ndim == 1 ? cols : rows * cols;
        double *v = calloc(n ? n : 1, sizeof *v);
        char *p = tok[16];
        for (size_t i = 0; i < n && p && *p && *p != '-'; i++) {
            unsigned long long u = strtoull(p, &p, 16);
            memcpy(&v[i], &u, sizeof u);
            if (*p == ',')
                p++;
        }
        Error e;
        error_clear(&e);
        Text t = { 0 };
        bool ok = true;
        if (tok[0][0] == 'S') {
            npprint_scalar(&t, v[0], dt);
        } else {
            Tensor *x = tensor_from(ndim, ndim == 1 ? 1 : rows, cols, v, &e);
            ok = x != NULL;
            if (ok)
                ok = tok[0][0] == 'r' ? npprint_repr(&t, x, dt, &o, &e) : npprint_str(&t, x, dt, &o, &e);
            tensor_delete(x);
        }
        if (ok) {
            fputs("OK ", stdout);
            put_hex(t.s ? t.s : "", t.len);
        } else {
            fputs("ERR ", stdout);
            put_hex(e.msg, strlen(e.msg));
        }
        fputs("\n", stdout);
        text_free(&t);
        free(v);
    }
    free(line);
    return 0;
}
