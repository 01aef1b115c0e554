/* npprint.c - numpy 1.24's str() and repr() of arrays (see npprint.h).
 *
 * The steps follow numpy's arrayprint: pick the elements that will be
 * shown (all, or the edges past the threshold), build one formatter from
 * them (FloatingFormat, IntegerFormat, BoolFormat, or a user's spec), then
 * lay the words out row by row, wrapping lines as _formatArray does.
 */
#include "nudge/npprint.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/pyformat.h"

void npprint_options_default(NpPrintOptions *o)
{
    *o = (NpPrintOptions){
        .precision = 8,
        .floatmode = NP_FLOATMODE_MAXPREC,
        .suppress = false,
        .linewidth = 75,
        .threshold = 1000,
        .edgeitems = 3,
        .sign = '-',
        .nanstr = "nan",
        .infstr = "inf",
    };
}

const char *npprint_dtype_name(Dtype dtype)
{
    switch (dtype) {
    case DTYPE_INT64: return "int64";
    case DTYPE_BOOL: return "bool";
    default: return "float64";
    }
}

/* Code points in s (n bytes of UTF-8). */
static size_t cp_count(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

/* --- numpy's Dragon4 layouts ------------------------------------------- */

/* numpy's trim modes: 'k' keeps trailing zeros, '.' trims them but keeps
 * the point, '0' leaves one zero after the point, '-' trims the point too. */
typedef struct DragonOpt {
    int precision;      /* -1: none */
    int min_digits;     /* -1: none */
    bool unique;
    char trim;
    bool plus;          /* sign '+' */
    int pad_left;       /* -1: none */
    int pad_right;      /* positional: -1 none */
    int exp_digits;     /* scientific: -1 means 2 */
} DragonOpt;

/* The digits dragon4_positional (fractional=True) prints for |x|. */
static int positional_digits(double x, const DragonOpt *op, char *d, int *exp10)
{
    PyDigitsSpec ds = { .unique = op->unique, .cut = PY_CUT_FRACTION, .max = op->precision,
                        .min = op->min_digits };
    return pyformat_digits(fabs(x), &ds, d, PY_DIGITS_MAX, exp10);
}

/* The digits dragon4_scientific prints for |x|. */
static int scientific_digits(double x, const DragonOpt *op, char *d, int *exp10)
{
    PyDigitsSpec ds = { .unique = op->unique, .cut = PY_CUT_TOTAL,
                        .max = op->precision < 0 ? -1 : op->precision + 1,
                        .min = op->min_digits < 0 ? -1 : op->min_digits + 1 };
    return pyformat_digits(fabs(x), &ds, d, PY_DIGITS_MAX, exp10);
}

/* dragon4_positional(x, ..., fractional=True) given its digits d (n of
 * them, the first at 10^exp10): appends to o. */
static void positional_layout(Text *o, double x, const char *d, int n, int exp10, const DragonOpt *op)
{
    size_t start = o->len;
    bool has_sign = signbit(x) || op->plus;
    if (has_sign)
        text_puts(o, signbit(x) ? "-" : "+");
    int whole, frac = 0;
    if (exp10 >= 0) {
        whole = exp10 + 1;
        if (n <= whole) {
            text_append(o, d, (size_t)n);
            for (int i = n; i < whole; i++)
                text_puts(o, "0");
        } else {
            text_append(o, d, (size_t)whole);
            text_puts(o, ".");
            text_append(o, d + whole, (size_t)(n - whole));
            frac = n - whole;
        }
    } else {
        whole = 1;
        text_puts(o, "0.");
        for (int i = 0; i < -(exp10 + 1); i++)
            text_puts(o, "0");
        text_append(o, d, (size_t)n);
        frac = n - (exp10 + 1);
    }
    if (op->trim != '-' && frac == 0)
        text_puts(o, ".");
    int add = op->unique ? op->min_digits : op->precision;
    int want = add < 0 ? 0 : add;
    if (op->trim == '0') {
        if (frac == 0) {
            text_puts(o, "0");
            frac++;
        }
    } else if (op->trim == 'k' && want > frac) {
        for (; frac < want; frac++)
            text_puts(o, "0");
    }
    if (op->trim != 'k' && frac > 0 && !o->failed) {
        while (o->s[o->len - 1] == '0') {
            o->len--;
            frac--;
        }
        if (o->s[o->len - 1] == '.') {
            if (op->trim == '0') {
                o->s[o->len++] = '0';
                frac++;
            } else if (op->trim == '-') {
                o->len--;
            }
        }
        o->s[o->len] = '\0';
    }
    if (op->pad_right >= frac) {
        if (op->trim == '-' && frac == 0)
            text_puts(o, " ");
        text_pad(o, (size_t)(op->pad_right - frac));
    }
    int lead = whole + (has_sign ? 1 : 0);
    if (op->pad_left > lead && !o->failed) {
        size_t shift = (size_t)(op->pad_left - lead);
        size_t len = o->len - start;
        if (text_reserve(o, shift)) {
            memmove(o->s + start + shift, o->s + start, len + 1);
            memset(o->s + start, ' ', shift);
            o->len += shift;
        }
    }
}

/* dragon4_scientific(x, ...) given its digits: appends to o. */
static void scientific_layout(Text *o, double x, const char *d, int n, int exp10, const DragonOpt *op)
{
    bool has_sign = signbit(x) || op->plus;
    int lead = 1 + (has_sign ? 1 : 0);
    if (op->pad_left > lead)
        text_pad(o, (size_t)(op->pad_left - lead));
    if (has_sign)
        text_puts(o, signbit(x) ? "-" : "+");
    text_append(o, d, 1);
    int frac = n - 1;
    if (frac > 0) {
        text_puts(o, ".");
        text_append(o, d + 1, (size_t)frac);
    }
    if (op->trim != '-' && frac == 0)
        text_puts(o, ".");
    int add = op->unique ? op->min_digits : op->precision;
    add = add < 0 ? 0 : add;
    if (op->trim == '0') {
        if (frac == 0) {
            text_puts(o, "0");
            frac++;
        }
    } else if (op->trim == 'k') {
        for (; frac < add; frac++)
            text_puts(o, "0");
    }
    if (op->trim != 'k' && frac > 0 && !o->failed) {
        while (o->s[o->len - 1] == '0') {
            o->len--;
            frac--;
        }
        if (op->trim == '0' && o->s[o->len - 1] == '.') {
            o->s[o->len++] = '0';
            frac++;
        }
        o->s[o->len] = '\0';
    }
    int ed = op->exp_digits < 0 ? 2 : op->exp_digits > 5 ? 5 : op->exp_digits;
    int ex = exp10 < 0 ? -exp10 : exp10;
    char buf[12];
    int k = (int)sizeof buf;
    do {
        buf[--k] = (char)('0' + ex % 10);
        ex /= 10;
    } while (ex);
    while ((int)sizeof buf - k < ed)
        buf[--k] = '0';
    buf[--k] = exp10 < 0 ? '-' : '+';
    buf[--k] = 'e';
    text_append(o, buf + k, sizeof buf - (size_t)k);
}

/* dragon4_positional and dragon4_scientific: digits, then layout. */
static void dragon_positional(Text *o, double x, const DragonOpt *op)
{
    char d[PY_DIGITS_MAX];
    int exp10;
    int n = positional_digits(x, op, d, &exp10);
    positional_layout(o, x, d, n, exp10, op);
}

static void dragon_scientific(Text *o, double x, const DragonOpt *op)
{
    char d[PY_DIGITS_MAX];
    int exp10;
    int n = scientific_digits(x, op, d, &exp10);
    scientific_layout(o, x, d, n, exp10, op);
}

/* --- formatters ------------------------------------------------------- */

typedef enum FmtKind { FMT_FLOAT, FMT_INT, FMT_BOOL, FMT_SPEC_FLOAT, FMT_SPEC_INT } FmtKind;

typedef struct Formatter {
    FmtKind kind;
    const NpPrintOptions *o;
    /* FloatingFormat */
    bool exp_format;
    DragonOpt d;
    int pad_left, pad_right;
    /* IntegerFormat */
    int int_width;
    /* a user's spec */
    PySpec spec;
    /* The first pass's digits of every finite element of an array shown
     * whole, for the second pass to reuse where they must be the same
     * (see reuse_digits): element i's are cache.s[at[i] .. at[i + 1]),
     * the first at 10^exp[i].  at is NULL when nothing is kept. */
    Text cache;
    size_t *at;
    int *exp;
    int first_max;      /* the first pass's total-digit cut (scientific), -1 none */
} Formatter;

static void formatter_free(Formatter *f)
{
    text_free(&f->cache);
    mem_free(f->at);
    mem_free(f->exp);
    f->at = NULL;
    f->exp = NULL;
}

/* Whether the second pass would generate the same n digits (first at
 * 10^exp10) as the first.  Both passes run the same Dragon4 loop and
 * differ only in where they may stop:
 * - positional maxprec/unique adds min_digits 0, which keeps the loop
 *   going to the units digit; digits that reach it (or a value below 1)
 *   are unchanged;
 * - scientific maxprec/unique cuts at frac_max + 1 digits with that many
 *   as a minimum; when that equals the first pass's cut and the element
 *   used all of it (no carry shortened it), the loop stops at the same
 *   digit.
 * fixed and maxprec_equal recompute. */
static bool reuse_digits(const Formatter *f, int n, int exp10)
{
    NpFloatMode mode = f->o->floatmode;
    if (mode != NP_FLOATMODE_MAXPREC && mode != NP_FLOATMODE_UNIQUE)
        return false;
    if (!f->exp_format)
        return exp10 < 0 || n >= exp10 + 1;
    return f->first_max >= 0 && f->d.precision + 1 == f->first_max && n == f->first_max;
}

/* The indices shown along an axis of n: all, or the first and last
 * `edge` when summarising and n > 2 edge. */
typedef struct Axis {
    size_t n;           /* the axis length */
    size_t shown;       /* how many are shown */
    size_t edge;        /* the first `edge` shown, then the last shown-edge */
    bool summary;       /* "..." between them */
} Axis;

/* With edgeitems 0 numpy still shows the last element after the "...",
 * and its formatter sees the whole axis (a[:0] joined to a[-0:]). */
static Axis axis_make(size_t n, bool summarise, int edgeitems)
{
    size_t edge = edgeitems > 0 ? (size_t)edgeitems : 0;
    Axis a = { .n = n, .shown = n, .edge = n, .summary = false };
    if (summarise && n > 2 * edge) {
        a.shown = edge ? 2 * edge : 1;
        a.edge = edge;
        a.summary = true;
    }
    return a;
}

static size_t axis_index(const Axis *a, size_t k)
{
    return k < a->edge ? k : a->n - (a->shown - k);
}

/* The elements the formatter sees along the axis. */
static size_t data_count(const Axis *a)
{
    return a->summary && a->edge == 0 ? a->n : a->shown;
}

static size_t data_index(const Axis *a, size_t k)
{
    return a->summary && a->edge == 0 ? k : axis_index(a, k);
}

/* The first pass of FloatingFormat.fillFormat over the shown values. */
static void float_format_fill(Formatter *f, const Tensor *t, const Axis *rows, const Axis *cols, Text *scratch)
{
    const NpPrintOptions *o = f->o;
    NpFloatMode mode = o->floatmode;
    int precision = mode == NP_FLOATMODE_UNIQUE ? -1 : (o->precision < 0 ? -1 : o->precision);
    bool any_finite = false, any_nonfinite = false, any_signbit = false, any_neginf = false;
    double max_val = 0, min_val = 0;
    bool any_nonzero = false;
    for (size_t i = 0; i < data_count(rows); i++) {
        for (size_t j = 0; j < data_count(cols); j++) {
            double x = tensor_at(t, data_index(rows, i), data_index(cols, j));
            if (!isfinite(x)) {
                any_nonfinite = true;
                any_neginf = any_neginf || (isinf(x) && x < 0);
                continue;
            }
            any_finite = true;
            any_signbit = any_signbit || signbit(x);
            if (x != 0) {
                double ax = fabs(x);
                if (!any_nonzero || ax > max_val)
                    max_val = ax;
                if (!any_nonzero || ax < min_val)
                    min_val = ax;
                any_nonzero = true;
            }
        }
    }
    f->exp_format = any_nonzero && (max_val >= 1e8 || (!o->suppress && (min_val < 0.0001 || max_val / min_val > 1000.)));
    f->d = (DragonOpt){ .precision = precision, .min_digits = -1, .unique = true, .trim = '.',
                        .plus = o->sign == '+', .pad_left = -1, .pad_right = -1, .exp_digits = -1 };
    if (!any_finite) {
        f->pad_left = f->pad_right = 0;
        f->d.trim = '.';
        f->d.exp_digits = -1;
        f->d.unique = true;
        f->d.min_digits = -1;
    } else {
        DragonOpt first = f->d;
        if (mode == NP_FLOATMODE_FIXED) {
            first.trim = 'k';
            first.unique = false;
        }
        int int_max = 0, frac_max = 0, exp_max = 0;
        f->first_max = first.precision < 0 ? -1 : first.precision + 1;
        if (!rows->summary && !cols->summary && (mode == NP_FLOATMODE_MAXPREC || mode == NP_FLOATMODE_UNIQUE)) {
            f->at = mem_calloc(tensor_size(t) + 1, sizeof *f->at);
            f->exp = mem_calloc(tensor_size(t) + 1, sizeof *f->exp);
            if (!f->at || !f->exp)
                formatter_free(f);
        }
        for (size_t i = 0; i < data_count(rows); i++) {
            for (size_t j = 0; j < data_count(cols); j++) {
                double x = tensor_at(t, data_index(rows, i), data_index(cols, j));
                if (!isfinite(x))
                    continue;
                scratch->len = 0;
                char d[PY_DIGITS_MAX];
                int exp10, n;
                if (f->exp_format) {
                    n = scientific_digits(x, &first, d, &exp10);
                    scientific_layout(scratch, x, d, n, exp10, &first);
                } else {
                    n = positional_digits(x, &first, d, &exp10);
                    positional_layout(scratch, x, d, n, exp10, &first);
                }
                if (scratch->failed)
                    return;
                if (f->at) {
                    size_t k = i * t->cols + j;
                    f->at[k] = f->cache.len;
                    f->exp[k] = exp10;
                    text_append(&f->cache, d, (size_t)n);
                    f->at[k + 1] = f->cache.len;
                }
                const char *s = scratch->s;
                const char *ep = f->exp_format ? strchr(s, 'e') : NULL;
                size_t mant_len = ep ? (size_t)(ep - s) : scratch->len;
                const char *dot = memchr(s, '.', mant_len);
                int ip = dot ? (int)(dot - s) : (int)mant_len;
                int fp = dot ? (int)(mant_len - (size_t)ip - 1) : 0;
                int_max = ip > int_max ? ip : int_max;
                frac_max = fp > frac_max ? fp : frac_max;
                if (ep) {
                    int el = (int)strlen(ep + 1);
                    exp_max = el > exp_max ? el : exp_max;
                }
            }
        }
        f->d.unique = first.unique;
        if (f->exp_format) {
            f->d.exp_digits = exp_max - 1;
            f->d.trim = 'k';
            f->d.precision = frac_max;
            f->d.min_digits = frac_max;
            f->pad_left = int_max;
            f->pad_right = f->d.exp_digits + 2 + frac_max;
        } else {
            f->pad_left = int_max;
            f->pad_right = frac_max;
            if (mode == NP_FLOATMODE_FIXED || mode == NP_FLOATMODE_MAXPREC_EQUAL) {
                f->d.precision = f->d.min_digits = frac_max;
                f->d.trim = 'k';
            } else {
                f->d.trim = '.';
                f->d.min_digits = 0;
            }
        }
    }
    if (o->sign == ' ' && !any_signbit)
        f->pad_left += 1;
    if (any_nonfinite) {
        int neginf = o->sign != '-' || any_neginf;
        int nanlen = (int)cp_count(o->nanstr, strlen(o->nanstr));
        int inflen = (int)cp_count(o->infstr, strlen(o->infstr)) + neginf;
        int offset = f->pad_right + 1;
        if (nanlen - offset > f->pad_left)
            f->pad_left = nanlen - offset;
        if (inflen - offset > f->pad_left)
            f->pad_left = inflen - offset;
    }
    f->d.pad_left = f->pad_left;
    f->d.pad_right = f->exp_format ? -1 : f->pad_right;
}

static void int_format_fill(Formatter *f, const Tensor *t, const Axis *rows, const Axis *cols)
{
    bool any = false;
    double mx = 0, mn = 0;
    for (size_t i = 0; i < data_count(rows); i++) {
        for (size_t j = 0; j < data_count(cols); j++) {
            double x = tensor_at(t, data_index(rows, i), data_index(cols, j));
            if (!any || x > mx)
                mx = x;
            if (!any || x < mn)
                mn = x;
            any = true;
        }
    }
    char a[32], b[32];
    int la = snprintf(a, sizeof a, "%.0f", mx), lb = snprintf(b, sizeof b, "%.0f", mn);
    f->int_width = any ? (la > lb ? la : lb) : 0;
}

static int64_t as_int64(double x)
{
    if (!(x > -9223372036854775808.0))
        return INT64_MIN;
    if (x >= 9223372036854775808.0)
        return INT64_MAX;
    return (int64_t)x;
}

/* Appends the word of element (r, c) of t. */
static bool format_element(const Formatter *f, const Tensor *t, size_t r, size_t c, Text *out, Error *e)
{
    const NpPrintOptions *o = f->o;
    double x = tensor_at(t, r, c);
    switch (f->kind) {
    case FMT_BOOL:
        text_puts(out, x != 0 ? " True" : "False");
        return true;
    case FMT_INT: {
        char buf[PYFORMAT_REPR_MAX];
        size_t n = strlen(pyformat_int_repr(as_int64(x), buf));
        if ((size_t)f->int_width > n)
            text_pad(out, (size_t)f->int_width - n);
        text_append(out, buf, n);
        return true;
    }
    case FMT_SPEC_INT:
        return pyformat_int_spec(out, as_int64(x), &f->spec, "int", e);
    case FMT_SPEC_FLOAT:
        return pyformat_float_spec(out, x, &f->spec, "float", e);
    default:
        break;
    }
    if (!isfinite(x)) {
        char word[NP_WORD_MAX + 2];
        if (isnan(x))
            snprintf(word, sizeof word, "%s%s", o->sign == '+' ? "+" : "", o->nanstr);
        else
            snprintf(word, sizeof word, "%s%s", x < 0 ? "-" : o->sign == '+' ? "+" : "", o->infstr);
        long pad = (long)f->pad_left + f->pad_right + 1 - (long)cp_count(word, strlen(word));
        if (pad > 0)
            text_pad(out, (size_t)pad);
        text_puts(out, word);
        return true;
    }
    if (f->at && f->cache.s && !f->cache.failed) {
        size_t k = r * t->cols + c;
        const char *d = f->cache.s + f->at[k];
        int n = (int)(f->at[k + 1] - f->at[k]);
        if (reuse_digits(f, n, f->exp[k])) {
            if (f->exp_format)
                scientific_layout(out, x, d, n, f->exp[k], &f->d);
            else
                positional_layout(out, x, d, n, f->exp[k], &f->d);
            return true;
        }
    }
    if (f->exp_format)
        dragon_scientific(out, x, &f->d);
    else
        dragon_positional(out, x, &f->d);
    return true;
}

static bool formatter_make(Formatter *f, const Tensor *t, Dtype dtype, const NpPrintOptions *o, const Axis *rows,
                           const Axis *cols, Text *scratch, Error *e)
{
    memset(f, 0, sizeof *f);
    f->o = o;
    if (dtype == DTYPE_BOOL) {
        f->kind = FMT_BOOL;
    } else if (dtype == DTYPE_INT64) {
        if (o->int_spec[0]) {
            f->kind = FMT_SPEC_INT;
            return pyformat_spec_parse(o->int_spec, PY_ARG_INT, "int", &f->spec, e);
        }
        f->kind = FMT_INT;
        int_format_fill(f, t, rows, cols);
    } else {
        if (o->float_spec[0]) {
            f->kind = FMT_SPEC_FLOAT;
            return pyformat_spec_parse(o->float_spec, PY_ARG_FLOAT, "float", &f->spec, e);
        }
        f->kind = FMT_FLOAT;
        float_format_fill(f, t, rows, cols, scratch);
        if (scratch->failed)
            return error_nomem(e, "print");
    }
    return true;
}

/* --- layout (_formatArray) ------------------------------------------- */

/* A line being built, with its length in code points. */
typedef struct Line {
    Text text;
    size_t cps;
} Line;

static void line_set(Line *l, const char *s, size_t n)
{
    l->text.len = 0;
    text_append(&l->text, s, n);
    if (!l->text.s)
        text_reserve(&l->text, 1);
    l->cps = cp_count(s, n);
}

static void line_add(Line *l, const char *s, size_t n, size_t cps)
{
    text_append(&l->text, s, n);
    l->cps += cps;
}

/* _extendLine: moves to a new line when the word would pass width, unless
 * the line holds no more than its indent. */
static void extend_line(Text *s, Line *line, const char *word, size_t wn, size_t width, const char *indent,
                        size_t indent_n)
{
    /* the indent is spaces, one column each */
    size_t wcp = cp_count(word, wn);
    if (line->cps + wcp > width && line->cps > indent_n) {
        const char *ls = line->text.s ? line->text.s : "";
        size_t keep = line->text.s ? line->text.len : 0;
        while (keep > 0 && strchr(" \t\n\r\v\f", ls[keep - 1]))
            keep--;
        text_append(s, ls, keep);
        text_puts(s, "\n");
        line_set(line, indent, indent_n);
    }
    line_add(line, word, wn, wcp);
}

typedef struct Layout {
    const Tensor *t;
    const Formatter *f;
    const Axis *rows, *cols;
    const char *sep;        /* " " or ", " */
    Text word;              /* scratch for one element */
    Line line;
} Layout;

/* One row as _formatArray's last axis: "[a b c]" with wrapped lines
 * indented by `hang` (hang_n spaces). */
static bool layout_row(Layout *L, Text *out, size_t r, size_t hang_n, long width, Error *e)
{
    char hang[512];
    size_t hn = hang_n < sizeof hang - 1 ? hang_n : sizeof hang - 1;
    memset(hang, ' ', hn);
    hang[hn] = '\0';
    size_t elem_width = width > 1 ? (size_t)(width - 1) : 0;
    size_t sep_n = strlen(L->sep);
    Text s = { 0 };
    line_set(&L->line, hang, hn);
    const Axis *c = L->cols;
    for (size_t k = 0; k < c->shown; k++) {
        if (c->summary && k == c->edge) {
            extend_line(&s, &L->line, "...", 3, elem_width, hang, hn);
            line_add(&L->line, L->sep, sep_n, sep_n);
        }
        L->word.len = 0;
        if (!format_element(L->f, L->t, r, axis_index(c, k), &L->word, e)) {
            text_free(&s);
            return false;
        }
        extend_line(&s, &L->line, L->word.s ? L->word.s : "", L->word.len, elem_width, hang, hn);
        if (k + 1 < c->shown)
            line_add(&L->line, L->sep, sep_n, sep_n);
    }
    if (L->line.text.s)
        text_append(&s, L->line.text.s, L->line.text.len);
    text_puts(out, "[");
    if (s.s && s.len >= hn)
        text_append(out, s.s + hn, s.len - hn);
    text_puts(out, "]");
    if (s.failed || L->line.text.failed)
        out->failed = true;     /* reported by the caller as out of memory */
    text_free(&s);
    return true;
}

/* The array's text as _formatArray gives it, starting at its '['; hang_n
 * is next_line_prefix's length, width the line width. */
static bool layout_array(Layout *L, Text *out, size_t hang_n, long width, Error *e)
{
    if (L->t->ndim == 1)
        return layout_row(L, out, 0, hang_n, width, e);
    /* Rows: each on its own line, indented one more than the outer '['. */
    const char *line_sep = strcmp(L->sep, " ") == 0 ? "\n" : ",\n";
    const Axis *r = L->rows;
    text_puts(out, "[");
    for (size_t k = 0; k < r->shown; k++) {
        if (k > 0)
            text_pad(out, hang_n);
        if (r->summary && k == r->edge) {
            text_puts(out, "...");
            text_puts(out, line_sep);
            text_pad(out, hang_n);
        }
        if (!layout_row(L, out, axis_index(r, k), hang_n + 1, width - 1, e))
            return false;
        if (k + 1 < r->shown)
            text_puts(out, line_sep);
    }
    text_puts(out, "]");
    return true;
}

/* array2string for a non-empty array. */
static bool array2string(Text *out, const Tensor *t, Dtype dtype, const NpPrintOptions *o, const char *sep,
                         size_t prefix_n, long width, Error *e)
{
    bool summarise = o->threshold >= 0 ? tensor_size(t) > (size_t)o->threshold : true;
    Axis rows = axis_make(t->ndim == 1 ? 1 : t->rows, summarise && t->ndim == 2, o->edgeitems);
    Axis cols = axis_make(t->cols, summarise, o->edgeitems);
    Layout L = { .t = t, .rows = &rows, .cols = &cols, .sep = sep };
    Formatter f;
    bool ok = formatter_make(&f, t, dtype, o, &rows, &cols, &L.word, e);
    if (ok) {
        L.f = &f;
        ok = layout_array(&L, out, 1 + prefix_n, width, e);
    }
    formatter_free(&f);
    if (ok && (L.word.failed || L.line.text.failed))
        ok = error_nomem(e, "print");
    text_free(&L.word);
    text_free(&L.line.text);
    return ok;
}

bool npprint_str(Text *out, const Tensor *t, Dtype dtype, const NpPrintOptions *o, Error *e)
{
    if (tensor_size(t) == 0) {
        text_puts(out, "[]");
        return out->failed ? error_nomem(e, "print") : true;
    }
    if (!array2string(out, t, dtype, o, " ", 0, o->linewidth, e))
        return false;
    return out->failed ? error_nomem(e, "print") : true;
}

bool npprint_repr(Text *out, const Tensor *t, Dtype dtype, const NpPrintOptions *o, Error *e)
{
    size_t start = out->len;
    text_puts(out, "array(");
    if (tensor_size(t) > 0) {
        /* The dtype is implied for all three: ")" closes, and array2string
         * keeps its width for it. */
        if (!array2string(out, t, dtype, o, ", ", 6, (long)o->linewidth - 1, e))
            return false;
        text_puts(out, ")");
        return out->failed ? error_nomem(e, "print") : true;
    }
    if (t->ndim == 1)
        text_puts(out, "[],");
    else
        text_printf(out, "[], shape=(%zu, %zu),", t->rows, t->cols);
    char dt[32];
    snprintf(dt, sizeof dt, "dtype=%s)", npprint_dtype_name(dtype));
    size_t last = out->failed ? 0 : out->len - start;
    if (!out->failed) {
        const char *nl = strrchr(out->s + start, '\n');
        if (nl)
            last = out->len - (size_t)(nl + 1 - out->s);
    }
    if (last + strlen(dt) + 1 > (size_t)(o->linewidth > 0 ? o->linewidth : 0))
        text_puts(out, "\n      ");
    else
        text_puts(out, " ");
    text_puts(out, dt);
    return out->failed ? error_nomem(e, "print") : true;
}

void npprint_scalar(Text *out, double x, Dtype dtype)
{
    char buf[PYFORMAT_REPR_MAX];
    switch (dtype) {
    case DTYPE_BOOL:
        text_puts(out, x != 0 ? "True" : "False");
        break;
    case DTYPE_INT64:
        text_puts(out, pyformat_int_repr(as_int64(x), buf));
        break;
    default:
        text_puts(out, pyformat_float_repr(x, buf));
        break;
    }
}
