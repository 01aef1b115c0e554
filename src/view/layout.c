/* layout.c - the dashboard as a grid of characters.
 *
 * The pure layout step: view_draw reads a Snapshot and fills a Grid, with
 * no terminal and no clock, so tests compare its output with text files.
 * A status line on top and the key help at the bottom; between them, on a
 * tall terminal with room beside the panels (160x48), the plane of a 2-D
 * problem takes the whole right side:
 *
 *    weights      | plane: output shaded, data points, boundary
 *    predictions  |
 *    loss curve   |
 *
 * and otherwise (80x24) the plane shares the top and the loss curve runs
 * the full width below:
 *
 *    weights      | plane
 *    predictions  |
 *    loss curve ----------
 *
 * Without a plane the weights and predictions sit side by side when they
 * fit.  Panels too big for their box show what fits and say what is left
 * out; below VIEW_MIN_COLS x VIEW_MIN_ROWS a "terminal too small" screen.
 */
#include "nudge/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/activation.h"
#include "nudge/format.h"

typedef struct Rect {
    int row, col, h, w;
} Rect;

static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }

/* --- numbers ------------------------------------------------------------------- */

/* x in exactly `width` columns, right-aligned, with `dec` decimals when they
 * fit and fewer (or e-notation) when not. */
static const char *fit_number(double x, int width, int dec, char *buf, size_t n)
{
    if (!isfinite(x)) {
        snprintf(buf, n, "%*s", width, isnan(x) ? "NaN" : x > 0 ? "Inf" : "-Inf");
        return buf;
    }
    if (x == 0.0)
        x = 0.0;    /* no "-0.00" */
    for (int d = dec; d >= 0; d--) {
        int len = snprintf(buf, n, "%*.*f", width, d, x);
        if (len <= width) {
            /* A value that rounds to zero shows as 0, without a sign. */
            if (strspn(buf, " -0.") == (size_t)len)
                snprintf(buf, n, "%*.*f", width, d, 0.0);
            return buf;
        }
    }
    for (int d = 2; d >= 0; d--)
        if (snprintf(buf, n, "%*.*e", width, d, x) <= width)
            return buf;
    snprintf(buf, n, "%*s", width, x > 0 ? "big" : "-big");
    return buf;
}

/* A compact number for labels: at most 4 significant digits. */
static const char *short_number(double x, char *buf, size_t n)
{
    if (!isfinite(x))
        snprintf(buf, n, "%s", isnan(x) ? "NaN" : x > 0 ? "Inf" : "-Inf");
    else
        snprintf(buf, n, "%.4g", x == 0.0 ? 0.0 : x);
    return buf;
}

/* x in at most `width` characters, with as many significant digits (up to
 * 4) as fit. */
static const char *narrow_number(double x, int width, char *buf, size_t n)
{
    for (int digits = 4; digits >= 1; digits--) {
        if (!isfinite(x) || x == 0.0)
            return short_number(x, buf, n);
        if (snprintf(buf, n, "%.*g", digits, x) <= width)
            return buf;
    }
    return buf;
}

/* --- the data ------------------------------------------------------------------- */

static size_t data_rows(const Snapshot *s)
{
    return s->X ? (s->X->ndim == 1 ? 1 : s->X->rows) : 0;
}

static size_t data_cols(const Snapshot *s)
{
    return s->X ? s->X->cols : 0;
}

static double x_at(const Snapshot *s, size_t r, size_t c)
{
    return s->X->data[r * s->X->cols + c];
}

/* True when column c of X holds one value in every row (a bias column). */
static bool column_constant(const Snapshot *s, size_t c, double *value)
{
    size_t rows = data_rows(s);
    if (rows < 2)
        return false;
    for (size_t r = 1; r < rows; r++)
        if (x_at(s, r, c) != x_at(s, 0, c))
            return false;
    if (value)
        *value = x_at(s, 0, c);
    return true;
}

static double target_at(const Snapshot *s, size_t r, size_t k)
{
    size_t per = tensor_size(s->Y) / (data_rows(s) ? data_rows(s) : 1);
    if (per == 0)
        return 0.0;
    return s->Y->data[r * per + (k < per ? k : 0)];
}

/* The name of input column c: "1" for a constant-1 column, else x1, x2, ... */
static void input_name(const Snapshot *s, size_t c, char *buf, size_t n)
{
    double v;
    if (s->X && c < data_cols(s) && column_constant(s, c, &v) && v == 1.0)
        snprintf(buf, n, "1");
    else
        snprintf(buf, n, "x%zu", c + 1);
}

static void output_name(const Snapshot *s, size_t k, char *buf, size_t n)
{
    if (s->n_out == 1)
        snprintf(buf, n, "y");
    else
        snprintf(buf, n, "y%zu", k + 1);
}

/* --- weights ------------------------------------------------------------------- */

static bool is_vector_block(const ViewMatrix *m)
{
    return m->name[0] == 'w' || m->name[0] == 'b';
}

static void row_label(const Snapshot *s, const ViewMatrix *m, size_t r, char *buf, size_t n)
{
    if (is_vector_block(m))
        snprintf(buf, n, "%s", m->name);
    else if (!strcmp(m->name, "W1"))
        input_name(s, r, buf, n);
    else
        snprintf(buf, n, "h%zu", r + 1);
}

static void col_label(const Snapshot *s, const ViewMatrix *m, size_t c, char *buf, size_t n)
{
    if (!strcmp(m->name, "w"))
        input_name(s, c, buf, n);
    else if (!strcmp(m->name, "W1") || !strcmp(m->name, "b1"))
        snprintf(buf, n, "h%zu", c + 1);
    else
        output_name(s, c, buf, n);
}

static int label_width(const Snapshot *s, const ViewMatrix *m)
{
    int w = is_vector_block(m) ? 0 : grid_width(m->name);
    for (size_t r = 0; r < m->rows; r++) {
        char b[32];
        row_label(s, m, r, b, sizeof b);
        w = imax(w, grid_width(b));
    }
    return w + 1;
}

typedef struct WeightStyle {
    int vw, dec;        /* value width and decimals */
    double maxabs;      /* the largest |weight| shown, for colour strength */
} WeightStyle;

static int cell_width(const WeightStyle *st)
{
    return st->vw + 2;  /* value, arrow, gap */
}

static int block_width(const Snapshot *s, const ViewMatrix *m, const WeightStyle *st)
{
    return label_width(s, m) + (int)m->cols * cell_width(st);
}

static Role weight_role(double v, double maxabs)
{
    double t = maxabs > 0 ? fabs(v) / maxabs : 0;
    int k = t < 0.25 ? 0 : t < 0.65 ? 1 : 2;
    if (v > 0)
        return (Role)(ROLE_POS1 + k);
    if (v < 0)
        return (Role)(ROLE_NEG1 + k);
    return ROLE_DIM;
}

/* Biases sit under their weights, whose header names their columns. */
static bool has_header(const ViewMatrix *m)
{
    return m->name[0] != 'b';
}

static int block_height(const ViewMatrix *m)
{
    return (has_header(m) ? 1 : 0) + (int)m->rows;
}

/* Draws one matrix from r.row with row labels lw columns wide: a header
 * line of column labels (not for biases), then a line per row.  Returns the
 * lines used. */
static int draw_block(const Snapshot *s, const ViewMatrix *m, Grid *g, Rect r, const WeightStyle *st, int lw)
{
    int head = has_header(m) ? 1 : 0;
    if (r.h < head + 1 || r.w < 8)
        return 0;
    int cw = cell_width(st);
    int fit_cols = imax(1, (r.w - lw) / cw);
    size_t ncols = m->cols <= (size_t)fit_cols ? m->cols : (size_t)imax(1, fit_cols - 1);
    bool more_cols = ncols < m->cols;
    int fit_rows = r.h - head;
    size_t nrows = m->rows <= (size_t)fit_rows ? m->rows : (size_t)imax(0, fit_rows - 1);
    bool more_rows = nrows < m->rows;
    char b[64];
    if (head) {
        if (!is_vector_block(m))
            grid_putn(g, r.row, r.col, lw, ROLE_TITLE, m->name);
        for (size_t c = 0; c < ncols; c++) {
            col_label(s, m, c, b, sizeof b);
            int x = r.col + lw + (int)c * cw + st->vw - grid_width(b);
            grid_put(g, r.row, x, ROLE_DIM, b);
        }
        if (more_cols)
            grid_printf(g, r.row, r.col + lw + (int)ncols * cw, ROLE_DIM, "… %zu more", m->cols - ncols);
    }
    for (size_t i = 0; i < nrows; i++) {
        int y = r.row + head + (int)i;
        row_label(s, m, i, b, sizeof b);
        grid_putn(g, y, r.col, lw, is_vector_block(m) ? ROLE_TITLE : ROLE_DIM, b);
        for (size_t c = 0; c < ncols; c++) {
            double v = m->v[i * m->cols + c];
            int x = r.col + lw + (int)c * cw;
            grid_put(g, y, x, weight_role(v, st->maxabs), fit_number(v, st->vw, st->dec, b, sizeof b));
            signed char d = m->dir[i * m->cols + c];
            if (d)
                grid_put(g, y, x + st->vw, d > 0 ? ROLE_UP : ROLE_DOWN, d > 0 ? "↑" : "↓");
        }
    }
    if (more_rows)
        grid_printf(g, r.row + head + (int)nrows, r.col + lw, ROLE_DIM, "⋮ %zu more rows", m->rows - nrows);
    return head + (int)nrows + (more_rows ? 1 : 0);
}

/* "0.2·x1 + 0.1·x2 - 0.2" : w·x written out, for the perceptron. */
static void perceptron_equation(const Snapshot *s, char *buf, size_t n)
{
    const ViewMatrix *m = &s->m[0];
    size_t len = 0;
    buf[0] = '\0';
    bool any = false;
    for (size_t i = 0; i < m->cols && len + 40 < n; i++) {
        double w = m->v[i];
        if (w == 0.0)
            continue;
        char num[FORMAT_NUMBER_MAX], name[16];
        format_inline_number(fabs(w), FORMAT_SHORT, num, sizeof num);
        input_name(s, i, name, sizeof name);
        const char *sign = w < 0 ? (any ? " - " : "-") : (any ? " + " : "");
        if (!strcmp(name, "1"))
            len += (size_t)snprintf(buf + len, n - len, "%s%s", sign, num);
        else
            len += (size_t)snprintf(buf + len, n - len, "%s%s·%s", sign, num, name);
        any = true;
    }
    if (!any)
        snprintf(buf, n, "0");
}

/* The weights of a net come in two groups side by side, W1 over b1 and
 * W2 over b2, each sharing one width of row labels. */
static bool first_group(const ViewMatrix *m)
{
    return m->name[1] == '1';
}

static int group_label_width(const Snapshot *s, bool first)
{
    int lw = 0;
    for (size_t i = 0; i < s->nm; i++)
        if (first_group(&s->m[i]) == first)
            lw = imax(lw, label_width(s, &s->m[i]));
    return lw;
}

static int group_width(const Snapshot *s, bool first, const WeightStyle *st)
{
    int w = 0;
    for (size_t i = 0; i < s->nm; i++)
        if (first_group(&s->m[i]) == first)
            w = imax(w, (int)s->m[i].cols * cell_width(st));
    return group_label_width(s, first) + w;
}

static void weights_measure(const Snapshot *s, const WeightStyle *st, int *w, int *h)
{
    if (!s->is_mlp) {
        *w = block_width(s, &s->m[0], st);
        *h = 3;     /* header, the weights, the equation */
        return;
    }
    int h1 = 0, h2 = 0;
    for (size_t i = 0; i < s->nm; i++)
        *(first_group(&s->m[i]) ? &h1 : &h2) += block_height(&s->m[i]);
    *w = group_width(s, true, st) + 2 + group_width(s, false, st);
    *h = imax(h1, h2);
}

static void draw_weights(const Snapshot *s, Grid *g, Rect box, const WeightStyle *st)
{
    grid_box(g, box.row, box.col, box.h, box.w, s->is_mlp ? "weights" : "weights w");
    Rect in = { box.row + 1, box.col + 2, box.h - 2, box.w - 4 };
    if (in.h <= 0 || in.w <= 0)
        return;
    if (!s->is_mlp) {
        const ViewMatrix *m = &s->m[0];
        int used = draw_block(s, m, g, (Rect){ in.row, in.col, imin(in.h, 2), in.w }, st, label_width(s, m));
        if (in.h > used) {
            char eq[256];
            perceptron_equation(s, eq, sizeof eq);
            int x = in.col;
            x += grid_put(g, in.row + used, x, ROLE_DIM, "w·x = ");
            grid_putn(g, in.row + used, x, in.col + in.w - x, ROLE_TEXT, eq);
        }
        return;
    }
    int w1 = group_width(s, true, st);
    int y1 = in.row, y2 = in.row;
    for (size_t i = 0; i < s->nm; i++) {
        const ViewMatrix *m = &s->m[i];
        bool first = first_group(m);
        int *y = first ? &y1 : &y2;
        int x = first ? in.col : in.col + w1 + 2;
        int room = in.row + in.h - *y;
        if (room < 1)
            continue;
        *y += draw_block(s, m, g, (Rect){ *y, x, room, in.col + in.w - x }, st, group_label_width(s, first));
    }
}

/* --- predictions ---------------------------------------------------------------- */

/* The inputs column of the predictions: each input right-aligned in its
 * column's width, as many columns as fit in INPUTS_MAX (then "…").  Only
 * the rows that can be shown are measured, so big data sets stay cheap. */
enum { INPUTS_MAX = 24, INPUTS_ROWS = 64, INPUTS_COLS = 16 };

typedef struct Inputs {
    int width[INPUTS_COLS];
    size_t ncols;       /* columns shown */
    bool more;          /* columns left out */
    int total;          /* the column's width */
} Inputs;

static void inputs_measure(const Snapshot *s, Inputs *in)
{
    memset(in, 0, sizeof *in);
    size_t rows = data_rows(s) < INPUTS_ROWS ? data_rows(s) : INPUTS_ROWS;
    int total = -1;
    for (size_t c = 0; c < data_cols(s) && c < INPUTS_COLS; c++) {
        int w = 1;
        for (size_t r = 0; r < rows; r++) {
            char b[32];
            w = imax(w, grid_width(short_number(x_at(s, r, c), b, sizeof b)));
        }
        if (total + 1 + w > INPUTS_MAX - 2)
            break;
        in->width[c] = w;
        in->ncols = c + 1;
        total += 1 + w;
    }
    in->more = in->ncols < data_cols(s);
    in->total = imax(1, total + (in->more ? 2 : 0));
}

static void inputs_text(const Snapshot *s, const Inputs *in, size_t r, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < in->ncols && len + 40 < n; c++) {
        char b[32];
        len += (size_t)snprintf(buf + len, n - len, "%s%*s", c ? " " : "", in->width[c],
                                short_number(x_at(s, r, c), b, sizeof b));
    }
    if (in->more && len + 8 < n)
        snprintf(buf + len, n - len, " …");
}

/* Whether example r is on the right side: the snapshot has scored it. */
static bool prediction_right(const Snapshot *s, size_t r)
{
    return r < s->right_len && s->right[r];
}

static int inputs_width(const Snapshot *s)
{
    Inputs in;
    inputs_measure(s, &in);
    return in.total;
}

enum { BAR_WIDTH = 8 };

static void predictions_measure(const Snapshot *s, int *w, int *h)
{
    int xw = inputs_width(s);
    if (!s->is_mlp)
        *w = xw + 2 + 3 + 2 + 7 + 2 + 3 + 2 + 1;     /* x  y  w·x  ŷ  ✓ */
    else if (s->n_out == 1)
        *w = xw + 2 + 3 + 2 + 7 + 1 + BAR_WIDTH + 1 + 1;
    else
        *w = xw + 2 + 5 + 2 + 12 + 2 + 1;
    *h = 1 + (int)data_rows(s);
}

/* An output in [0, 1] as a bar of eighths. */
static void draw_bar(Grid *g, int row, int col, int width, double v, Role role)
{
    static const uint32_t part[8] = { ' ', 0x258F, 0x258E, 0x258D, 0x258C, 0x258B, 0x258A, 0x2589 };
    if (!(v >= 0))
        v = 0;
    if (v > 1)
        v = 1;
    int eighths = (int)lround(v * width * 8);
    for (int i = 0; i < width; i++) {
        int k = eighths - i * 8;
        uint32_t ch = k >= 8 ? 0x2588 : k > 0 ? part[k] : ' ';
        grid_set(g, row, col + i, ch, ch == ' ' ? ROLE_DIM : role);
    }
}

static void draw_predictions(const Snapshot *s, Grid *g, Rect box)
{
    size_t rows = data_rows(s);
    char title[64];
    snprintf(title, sizeof title, "predictions: %zu of %zu right", s->nright, rows);
    grid_box(g, box.row, box.col, box.h, box.w, title);
    Rect in = { box.row + 1, box.col + 2, box.h - 2, box.w - 4 };
    if (in.h < 2 || in.w < 10)
        return;
    Inputs inputs;
    inputs_measure(s, &inputs);
    int xw = inputs.total, x = in.col;
    bool classes = s->n_out > 1;
    int cy = x + xw + 2, co = cy + (classes ? 5 : 3) + 2;
    grid_put(g, in.row, x, ROLE_DIM, "x");
    grid_put(g, in.row, classes ? cy : cy + 2, ROLE_DIM, classes ? "class" : "y");
    if (!s->is_mlp) {
        grid_put(g, in.row, co + 4, ROLE_DIM, "w·x");
        grid_put(g, in.row, co + 7 + 2 + 2, ROLE_DIM, "ŷ");
    } else {
        grid_put(g, in.row, co + 1, ROLE_DIM, classes ? "predicted" : "output");
    }
    size_t fit = (size_t)(in.h - 1), shown = rows <= fit ? rows : fit - 1;
    for (size_t r = 0; r < shown; r++) {
        int y = in.row + 1 + (int)r;
        char b[256];
        bool ok = prediction_right(s, r);
        if (r == s->current)
            grid_put(g, y, x - 1, ROLE_CURRENT, "▸");
        inputs_text(s, &inputs, r, b, sizeof b);
        grid_putn(g, y, x, xw, ROLE_TEXT, b);
        if (!s->is_mlp) {
            double t = target_at(s, r, 0) > 0 ? 1 : 0;
            grid_printf(g, y, cy, ROLE_TEXT, "%3.0f", t);
            grid_put(g, y, co, s->out[r] > 0 ? ROLE_POS2 : s->out[r] < 0 ? ROLE_NEG2 : ROLE_DIM,
                     fit_number(s->out[r], 7, 3, b, sizeof b));
            grid_printf(g, y, co + 7 + 2, ok ? ROLE_TEXT : ROLE_BAD, "%3.0f", act_step(s->out[r]));
            grid_put(g, y, co + 7 + 2 + 3 + 2, ok ? ROLE_GOOD : ROLE_BAD, ok ? "✓" : "✗");
        } else if (s->n_out == 1) {
            double v = s->out[r];
            short_number(target_at(s, r, 0), b, sizeof b);
            grid_putn(g, y, cy + imax(0, 3 - grid_width(b)), 3, ROLE_TEXT, b);
            grid_put(g, y, co, ok ? ROLE_TEXT : ROLE_BAD, fit_number(v, 7, 4, b, sizeof b));
            draw_bar(g, y, co + 8, BAR_WIDTH, v, v > 0.5 ? ROLE_POS2 : ROLE_NEG2);
            grid_put(g, y, co + 8 + BAR_WIDTH + 1, ok ? ROLE_GOOD : ROLE_BAD, ok ? "✓" : "✗");
        } else {
            double t[64];
            size_t n = s->n_out < 64 ? s->n_out : 64;
            for (size_t k = 0; k < n; k++)
                t[k] = target_at(s, r, k);
            size_t want = values_argmax(t, n), got = values_argmax(s->out + r * s->n_out, n);
            /* Classes count from 0, as onehot() and argmax() do: digit 0 is class 0. */
            grid_printf(g, y, cy, ROLE_TEXT, "%5zu", want);
            grid_printf(g, y, co, ok ? ROLE_TEXT : ROLE_BAD, "%3zu  p %.3f", got, s->out[r * s->n_out + got]);
            grid_put(g, y, co + 14, ok ? ROLE_GOOD : ROLE_BAD, ok ? "✓" : "✗");
        }
    }
    if (shown < rows)
        grid_printf(g, in.row + 1 + (int)shown, x, ROLE_DIM, "… %zu more", rows - shown);
}

/* --- the loss curve -------------------------------------------------------------- */

/* The mean of losses[a, b), from at most 16 evenly spaced samples so that a
 * long run draws as fast as a short one. */
static double bucket_mean(const double *v, size_t a, size_t b)
{
    size_t n = b - a, step = n > 16 ? n / 16 : 1;
    double sum = 0;
    size_t k = 0;
    for (size_t i = a; i < b; i += step) {
        if (isfinite(v[i])) {
            sum += v[i];
            k++;
        }
    }
    return k ? sum / (double)k : NAN;
}

static void draw_loss(const Snapshot *s, Grid *g, Rect box)
{
    const char *what = s->is_mlp ? (s->softmax ? "loss (cross-entropy)" : "loss (cost ½Σ(y−a)²)") : "mistakes per epoch";
    char title[96];
    snprintf(title, sizeof title, "%s%s", what, s->log_scale ? ", log scale" : "");
    grid_box(g, box.row, box.col, box.h, box.w, title);
    Rect in = { box.row + 1, box.col + 1, box.h - 2, box.w - 2 };
    if (in.h < 2 || in.w < 24)
        return;
    size_t n = s->nlosses;
    if (n == 0) {
        grid_put(g, in.row + in.h / 2, in.col + 2, ROLE_DIM, "the curve starts after the first epoch");
        return;
    }
    int lw = 9, rw = 11;
    int ch = in.h - 1, cw = in.w - lw - rw;
    if (ch < 1 || cw < 4)
        return;
    double vals[1024];
    if (cw > 1024)
        cw = 1024;
    /* Columns: a bucket of epochs each (an epoch spans columns when few). */
    double lo = INFINITY, hi = -INFINITY, minpos = INFINITY;
    for (int c = 0; c < cw; c++) {
        size_t a = (size_t)((double)c * (double)n / cw), b = (size_t)((double)(c + 1) * (double)n / cw);
        if (b <= a)
            b = a + 1;
        if (b > n)
            b = n;
        vals[c] = bucket_mean(s->losses, a, b);
        if (isfinite(vals[c])) {
            lo = fmin(lo, vals[c]);
            hi = fmax(hi, vals[c]);
            if (vals[c] > 0)
                minpos = fmin(minpos, vals[c]);
        }
    }
    double last = s->losses[n - 1];
    if (!isfinite(hi))
        return;
    bool logy = s->log_scale && isfinite(minpos);
    double top, bottom;
    if (logy) {
        bottom = log10(minpos);
        top = log10(hi);
        if (top - bottom < 1e-9)
            bottom = top - 1;
    } else {
        bottom = lo >= 0 ? 0 : lo;
        top = hi;
        if (top - bottom < 1e-12)
            top = bottom + (fabs(bottom) > 0 ? fabs(bottom) : 1);
    }
    int levels = ch * 8;
    int last_level = 0;
    for (int c = 0; c < cw; c++) {
        double v = vals[c];
        if (!isfinite(v))
            continue;
        double y = logy ? (v > 0 ? log10(v) : bottom) : v;
        int k = (int)lround((y - bottom) / (top - bottom) * levels);
        if (k < 1)
            k = 1;  /* keep the curve visible at its lowest */
        if (k > levels)
            k = levels;
        if (c == cw - 1)
            last_level = k;
        for (int r = 0; r < ch; r++) {
            int fill = k - (ch - 1 - r) * 8;
            static const uint32_t part[9] = { ' ', 0x2581, 0x2582, 0x2583, 0x2584, 0x2585, 0x2586, 0x2587, 0x2588 };
            uint32_t glyph = fill >= 8 ? 0x2588 : fill > 0 ? part[fill] : ' ';
            if (glyph != ' ')
                grid_set(g, in.row + r, in.col + lw + c, glyph, fill > 8 ? ROLE_CURVE_FILL : ROLE_CURVE);
        }
    }
    /* The axis: top and bottom values on the left. */
    char b[32], label[48];
    double top_v = logy ? pow(10, top) : top, bottom_v = logy ? pow(10, bottom) : bottom;
    snprintf(label, sizeof label, "%7s ┤", narrow_number(top_v, 7, b, sizeof b));
    grid_put(g, in.row, in.col, ROLE_DIM, label);
    for (int r = 1; r < ch - 1; r++)
        grid_put(g, in.row + r, in.col + lw - 1, ROLE_DIM, "│");
    if (ch > 1) {
        snprintf(label, sizeof label, "%7s ┤", narrow_number(bottom_v, 7, b, sizeof b));
        grid_put(g, in.row + ch - 1, in.col, ROLE_DIM, label);
    }
    /* The current value, beside the end of the curve. */
    int lrow = in.row + ch - 1 - imax(0, (last_level - 1) / 8);
    snprintf(label, sizeof label, "◀ %s", narrow_number(last, rw - 3, b, sizeof b));
    grid_putn(g, lrow, in.col + lw + cw + 1, rw - 1, ROLE_CURRENT, label);
    /* The epochs under the curve. */
    int y = in.row + ch;
    grid_put(g, y, in.col + lw, ROLE_DIM, "1");
    snprintf(label, sizeof label, "epoch %zu", n);
    grid_put(g, y, in.col + lw + cw - grid_width(label), ROLE_DIM, label);
}

/* --- the plane --------------------------------------------------------------------- */

typedef struct Plane {
    size_t f1, f2;              /* the two varying input columns */
    double lo1, hi1, lo2, hi2;  /* the ranges shown */
    double threshold;           /* the boundary: w·x = 0, or output = 0.5 */
} Plane;

/* The largest of 1, 2, 5 times a power of ten that is at most x > 0. */
static double step_below(double x)
{
    double p = pow(10, floor(log10(x)));
    double m = x / p;
    return m >= 5 ? 5 * p : m >= 2 ? 2 * p : p;
}

/* An end of the axis moved out to a multiple of step, unless it is one
 * already (to rounding), so that the labels read as round numbers. */
static double round_out(double x, double step, bool up)
{
    double q = x / step;
    if (fabs(q - nearbyint(q)) < 1e-9)
        return x;
    return (up ? ceil(q) : floor(q)) * step;
}

/* The range shown for data in [*lo, *hi]: a quarter of the span more on
 * each side, so no point sits on the edge; not below 0 when the data are
 * all positive (a length or a count: a negative one is no place to look);
 * the ends round numbers. */
static void plane_range(double *lo, double *hi)
{
    double span = *hi - *lo;
    if (!(span > 0) || !isfinite(span))
        span = 1;
    double a = *lo - span / 4, b = *hi + span / 4;
    if (*lo > 0 && a < 0)
        a = 0;
    double step = step_below((b - a) / 20);
    *lo = round_out(a, step, false);
    *hi = round_out(b, step, true);
}

/* The plane is drawn when exactly two input columns vary (any others
 * constant, such as a bias column) and the output is one number. */
static bool plane_find(const Snapshot *s, Plane *p)
{
    if (!s->X || data_rows(s) < 2 || s->X->ndim != 2)
        return false;
    if (s->is_mlp && !(s->n_out == 1 || (s->softmax && s->n_out == 2)))
        return false;
    size_t nvary = 0;
    for (size_t c = 0; c < data_cols(s); c++) {
        if (column_constant(s, c, NULL))
            continue;
        if (nvary == 0)
            p->f1 = c;
        else
            p->f2 = c;
        nvary++;
    }
    if (nvary != 2)
        return false;
    size_t f[2] = { p->f1, p->f2 };
    double lo[2], hi[2];
    for (int k = 0; k < 2; k++) {
        lo[k] = hi[k] = x_at(s, 0, f[k]);
        for (size_t r = 1; r < data_rows(s); r++) {
            lo[k] = fmin(lo[k], x_at(s, r, f[k]));
            hi[k] = fmax(hi[k], x_at(s, r, f[k]));
        }
        plane_range(&lo[k], &hi[k]);
    }
    p->lo1 = lo[0];
    p->hi1 = hi[0];
    p->lo2 = lo[1];
    p->hi2 = hi[1];
    p->threshold = s->is_mlp ? 0.5 : 0.0;
    return true;
}

/* The model at (x1, x2), other inputs at their constant value: w·x for a
 * perceptron, the output (probability of class 2 for softmax) for a net. */
static double plane_eval(const Snapshot *s, const Plane *p, double x1, double x2)
{
    double x[64];
    size_t n = data_cols(s) < 64 ? data_cols(s) : 64;
    for (size_t c = 0; c < n; c++)
        x[c] = c == p->f1 ? x1 : c == p->f2 ? x2 : x_at(s, 0, c);
    if (!s->is_mlp) {
        double wx = 0;
        for (size_t c = 0; c < n && c < s->m[0].cols; c++)
            wx += s->m[0].v[c] * x[c];
        return wx;
    }
    const ViewMatrix *W1 = &s->m[0], *W2 = &s->m[1];
    const ViewMatrix *b1 = s->bias && s->nm > 2 ? &s->m[2] : NULL, *b2 = s->bias && s->nm > 3 ? &s->m[3] : NULL;
    double a1[256], z2[2];
    size_t nh = s->n_hidden < 256 ? s->n_hidden : 256;
    for (size_t h = 0; h < nh; h++) {
        double z = 0;
        for (size_t c = 0; c < n; c++)
            z += x[c] * W1->v[c * W1->cols + h];
        if (b1)
            z += b1->v[h];
        a1[h] = act_sigmoid(z);
    }
    for (size_t k = 0; k < s->n_out && k < 2; k++) {
        double z = 0;
        for (size_t h = 0; h < nh; h++)
            z += a1[h] * W2->v[h * W2->cols + k];
        if (b2)
            z += b2->v[k];
        z2[k] = z;
    }
    if (s->softmax)
        return 1.0 / (1.0 + exp(z2[0] - z2[1]));
    return act_sigmoid(z2[0]);
}

/* The shade of a value: how far on which side of the boundary, 1 to 4. */
static Role shade_role(double v, const Plane *p, double scale)
{
    double d = v - p->threshold;
    double t = scale > 0 ? fabs(d) / scale : 0;
    int k = t < 0.25 ? 1 : t < 0.5 ? 2 : t < 0.8 ? 3 : 4;
    return d > 0 ? (Role)(ROLE_SHADE_POS1 + k - 1) : (Role)(ROLE_SHADE_NEG1 - (k - 1));
}

/* Without colour the shade is in the glyph: dense on the positive side. */
static uint32_t shade_glyph(Role r, bool color)
{
    if (color)
        return ' ';
    switch (r) {
    case ROLE_SHADE_POS4: return 0x2593;    /* ▓ */
    case ROLE_SHADE_POS3: return 0x2592;    /* ▒ */
    case ROLE_SHADE_POS2: return 0x2591;    /* ░ */
    case ROLE_SHADE_POS1: return 0x2591;
    case ROLE_SHADE_NEG1: return 0x00B7;    /* · */
    case ROLE_SHADE_NEG2: return 0x00B7;
    default: return ' ';
    }
}

/* A boundary glyph for a line whose value changes by gx per column and gy
 * per row (upwards): the glyph that tiles along it best. */
static uint32_t line_glyph(double gx, double gy)
{
    /* Along the line, (columns, rows up) moves in proportion to (-gy, gx). */
    double dc = fabs(gy), dr = fabs(gx);
    if (dr < 0.5 * dc)
        return 0x2500;  /* ─ : two or more columns per row */
    if (dr > 2 * dc)
        return 0x2502;  /* │ : two or more rows per column */
    return (gx > 0) == (gy > 0) ? 0x2572 : 0x2571;     /* ╲ or ╱ */
}

/* Columns for the x2 labels on the plane's left. */
static int plane_label_width(const Snapshot *s, const Plane *p)
{
    char b[32], n2[16];
    input_name(s, p->f2, n2, sizeof n2);
    int w = grid_width(n2);
    w = imax(w, grid_width(short_number(p->hi2, b, sizeof b)));
    w = imax(w, grid_width(short_number(p->lo2, b, sizeof b)));
    return w + 1;
}

/* The width of a plane box `height` rows tall that looks square (a cell
 * is about twice as tall as wide). */
static int plane_width_for(const Snapshot *s, const Plane *p, int height)
{
    return 2 * (height - 3) + plane_label_width(s, p) + 3;
}

static void draw_plane(const Snapshot *s, const Plane *p, Grid *g, Rect box)
{
    char n1[16], n2[16], title[96];
    input_name(s, p->f1, n1, sizeof n1);
    input_name(s, p->f2, n2, sizeof n2);
    if (s->is_mlp)
        snprintf(title, sizeof title, "output over (%s, %s)", n1, n2);
    else
        snprintf(title, sizeof title, "w·x over (%s, %s)", n1, n2);
    grid_box(g, box.row, box.col, box.h, box.w, title);
    char b[32];
    int lw = plane_label_width(s, p);
    Rect pl = { box.row + 1, box.col + 1 + lw, box.h - 3, box.w - 3 - lw };
    if (pl.h < 3 || pl.w < 6)
        return;
    double dx = (p->hi1 - p->lo1) / pl.w, dy = (p->hi2 - p->lo2) / pl.h;
    /* Values at the cell corners: (h+1) x (w+1). */
    double corner[(64 + 1) * (256 + 1)];
    int hh = imin(pl.h, 64), ww = imin(pl.w, 256);
    for (int r = 0; r <= hh; r++)
        for (int c = 0; c <= ww; c++)
            corner[r * (ww + 1) + c] = plane_eval(s, p, p->lo1 + c * dx, p->hi2 - r * dy);
    double scale = 0;
    for (int i = 0; i < (hh + 1) * (ww + 1); i++)
        if (isfinite(corner[i]))
            scale = fmax(scale, fabs(corner[i] - p->threshold));
    if (s->is_mlp)
        scale = 0.5;
    for (int r = 0; r < hh; r++) {
        for (int c = 0; c < ww; c++) {
            double tl = corner[r * (ww + 1) + c] - p->threshold, tr = corner[r * (ww + 1) + c + 1] - p->threshold;
            double bl = corner[(r + 1) * (ww + 1) + c] - p->threshold;
            double br = corner[(r + 1) * (ww + 1) + c + 1] - p->threshold;
            /* The value at the centre, interpolated from the corners. */
            double v = p->threshold + (tl + tr + bl + br) / 4;
            bool pos = tl > 0 || tr > 0 || bl > 0 || br > 0, neg = tl <= 0 || tr <= 0 || bl <= 0 || br <= 0;
            Role role = shade_role(v, p, scale);
            /* A thin line: the cells whose centre is within half a cell of
             * the boundary along the steeper axis. */
            double gx = ((tr + br) - (tl + bl)) / 2, gy = ((tl + tr) - (bl + br)) / 2;
            double d = v - p->threshold, half = 0.5 * fmax(fabs(gx), fabs(gy));
            if (pos && neg && d > -half && d <= half) {
                grid_set(g, pl.row + r, pl.col + c, line_glyph(gx, gy), d > 0 ? ROLE_BOUNDARY_POS : ROLE_BOUNDARY_NEG);
                continue;
            }
            grid_set(g, pl.row + r, pl.col + c, shade_glyph(role, s->color), role);
        }
    }
    /* The data on top.  In colour a point is a square (twice as many cells
     * wide as tall, bigger on a big plane) in a light shade of its target's
     * colour; without colour, ● for target 1 and ○ for target 0. */
    int side = imax(1, imin(3, hh / 16));
    for (size_t i = 0; i < data_rows(s); i++) {
        double x1 = x_at(s, i, p->f1), x2 = x_at(s, i, p->f2);
        double cx = (x1 - p->lo1) / dx, cy = (p->hi2 - x2) / dy;
        int r = (int)floor(cy);
        if (cx < 0 || cx >= ww || r < 0 || r >= hh)
            continue;
        bool positive = s->is_mlp && s->n_out == 2 ? target_at(s, i, 1) > 0.5
                        : s->is_mlp                ? target_at(s, i, 0) > 0.5
                                                   : target_at(s, i, 0) > 0;
        Role role = i == s->current ? ROLE_POINT_ACTIVE : positive ? ROLE_POINT_POS : ROLE_POINT_NEG;
        if (s->color && ww >= 2 * side && hh >= side) {
            int c = imin(imax(0, (int)lround(cx - side)), ww - 2 * side);
            int top = imin(imax(0, (int)lround(cy - side / 2.0)), hh - side);
            grid_fill(g, pl.row + top, pl.col + c, side, 2 * side, ' ', role);
        } else {
            grid_set(g, pl.row + r, pl.col + (int)floor(cx), positive ? 0x25CF : 0x25CB, role);
        }
    }
    /* Axes: x2 on the left, x1 along the bottom. */
    grid_putn(g, pl.row, box.col + 1, lw - 1, ROLE_DIM, short_number(p->hi2, b, sizeof b));
    grid_putn(g, pl.row + hh / 2, box.col + 1, lw - 1, ROLE_DIM, n2);
    grid_putn(g, pl.row + hh - 1, box.col + 1, lw - 1, ROLE_DIM, short_number(p->lo2, b, sizeof b));
    int y = pl.row + hh;
    grid_put(g, y, pl.col, ROLE_DIM, short_number(p->lo1, b, sizeof b));
    grid_put(g, y, pl.col + ww / 2 - 1, ROLE_DIM, n1);
    short_number(p->hi1, b, sizeof b);
    grid_put(g, y, pl.col + ww - grid_width(b), ROLE_DIM, b);
}

/* --- status and help ----------------------------------------------------------------- */

typedef struct Field {
    char label[40], value[64];
    int drop;           /* dropped first when the line is short: higher first */
} Field;

static void draw_status(const Snapshot *s, Grid *g)
{
    grid_fill(g, 0, 0, 1, g->cols, ' ', ROLE_STATUS);
    const char *chip = "▶ running";
    Role chip_role = ROLE_RUNNING;
    switch (s->state) {
    case VIEW_STATE_RUNNING: break;
    case VIEW_STATE_PAUSED: chip = "‖ paused"; chip_role = ROLE_PAUSED; break;
    case VIEW_STATE_DONE: chip = "■ done"; chip_role = ROLE_FINISHED; break;
    case VIEW_STATE_CONVERGED: chip = "✓ converged"; chip_role = ROLE_FINISHED; break;
    case VIEW_STATE_DIVERGED: chip = "✗ diverged"; chip_role = ROLE_FINISHED; break;
    }
    /* The fields in order; the ones with the highest `drop` go first when
     * the line is too short.  Field 0 is the model's name, 1 its kind. */
    Field f[8];
    int nf = 0;
    char b[32];
    f[nf] = (Field){ "", "", 0 };
    snprintf(f[nf++].label, sizeof f[0].label, "%s", s->name[0] ? s->name : "model");
    f[nf] = (Field){ "·", "", 2 };
    if (s->is_mlp)
        snprintf(f[nf++].value, sizeof f[0].value, "mlp %zu→%zu→%zu%s", s->n_in, s->n_hidden, s->n_out,
                 s->softmax ? " softmax" : "");
    else
        snprintf(f[nf++].value, sizeof f[0].value, "perceptron");
    int ew = snprintf(b, sizeof b, "%zu", s->epochs);
    f[nf] = (Field){ "epoch", "", 0 };
    snprintf(f[nf++].value, sizeof f[0].value, "%*zu/%zu", ew, s->epoch, s->epochs);
    f[nf] = (Field){ "", "", 0 };
    snprintf(f[nf].label, sizeof f[0].label, "%s", s->is_mlp ? "loss" : "mistakes");
    if (s->nlosses)
        short_number(s->losses[s->nlosses - 1], f[nf].value, sizeof f[0].value);
    else
        snprintf(f[nf].value, sizeof f[0].value, "–");
    nf++;
    /* The share of examples the model gets right now: for classes, what
     * the loss stands in for.  (A perceptron's mistakes were counted over
     * the last epoch while w still moved, so the two can disagree.) */
    if (s->has_accuracy) {
        f[nf] = (Field){ "acc", "", 1 };
        snapshot_accuracy(s, f[nf++].value, sizeof f[0].value);
    }
    f[nf] = (Field){ "lr", "", 3 };
    format_inline_number(s->lr, FORMAT_SHORT, f[nf++].value, sizeof f[0].value);
    f[nf] = (Field){ "speed", "", 4 };
    if (isinf(s->speed))
        snprintf(f[nf++].value, sizeof f[0].value, "max");
    else
        snprintf(f[nf++].value, sizeof f[0].value, "%s/s", short_number(s->speed, b, sizeof b));
    if (s->elapsed > 0) {
        f[nf] = (Field){ "time", "", 5 };
        snprintf(f[nf++].value, sizeof f[0].value, "%.*f s", s->elapsed < 1 ? 3 : s->elapsed < 10 ? 2 : 1, s->elapsed);
    }
    int room = g->cols - grid_width(chip) - 4;
    bool keep[8];
    for (int i = 0; i < nf; i++)
        keep[i] = true;
    for (int level = 5; level >= 0; level--) {
        int w = 0;
        for (int i = 0; i < nf; i++)
            if (keep[i])
                w += (i == 0 ? 0 : i == 1 ? 1 : 2) + grid_width(f[i].label) + (i ? 1 : 0) + grid_width(f[i].value);
        if (w <= room)
            break;
        for (int i = 0; i < nf; i++)
            if (f[i].drop >= level && f[i].drop > 0)
                keep[i] = false;
    }
    int x = 1;
    for (int i = 0; i < nf && x < room; i++) {
        if (!keep[i])
            continue;
        if (i == 0) {
            x += grid_putn(g, 0, x, room - x, ROLE_STATUS_VALUE, f[i].label);
            continue;
        }
        x += i == 1 ? 1 : 2;
        x += grid_putn(g, 0, x, room - x, ROLE_STATUS, f[i].label);
        x += 1;
        x += grid_putn(g, 0, x, room - x, i == 1 ? ROLE_STATUS : ROLE_STATUS_VALUE, f[i].value);
    }
    int cw = grid_width(chip) + 2;
    grid_fill(g, 0, g->cols - cw - 1, 1, cw, ' ', chip_role);
    grid_put(g, 0, g->cols - cw, chip_role, chip);
}

typedef struct Hint {
    const char *key, *what;
} Hint;

static void draw_help(const Snapshot *s, Grid *g)
{
    static const Hint running[] = { { "space", "pause" }, { "n", "step" },   { "+/-", "speed" }, { "[ ]", "lr" },
                                    { "r", "restart" },   { "l", "log" },    { "q", "quit" } };
    static const Hint paused[] = { { "space", "resume" }, { "n/→", "step" }, { "+/-", "speed" }, { "[ ]", "lr" },
                                   { "r", "restart" },    { "l", "log" },    { "q", "quit" } };
    static const Hint done[] = { { "any key", "back to the prompt" }, { "r", "run again" }, { "l", "log scale" } };
    const Hint *h = running;
    size_t n = sizeof running / sizeof running[0];
    if (s->state == VIEW_STATE_PAUSED) {
        h = paused;
        n = sizeof paused / sizeof paused[0];
    } else if (s->state != VIEW_STATE_RUNNING) {
        h = done;
        n = sizeof done / sizeof done[0];
    }
    int y = g->rows - 1, x = 1, gap = 3;
    int total = 0;
    for (size_t i = 0; i < n; i++)
        total += grid_width(h[i].key) + 1 + grid_width(h[i].what) + gap;
    if (total > g->cols - 2)
        gap = 2;
    for (size_t i = 0; i < n; i++) {
        int need = grid_width(h[i].key) + 1 + grid_width(h[i].what);
        if (x + need > g->cols - 1)
            break;
        x += grid_put(g, y, x, ROLE_KEY, h[i].key);
        x += 1;
        x += grid_put(g, y, x, ROLE_DIM, h[i].what);
        x += gap;
    }
}

static void draw_too_small(Grid *g)
{
    char line[96];
    int y = g->rows / 2 - 1;
    snprintf(line, sizeof line, "terminal too small: %d×%d", g->cols, g->rows);
    grid_put(g, imax(0, y), imax(0, (g->cols - grid_width(line)) / 2), ROLE_TITLE, line);
    snprintf(line, sizeof line, "the live view needs %d×%d", VIEW_MIN_COLS, VIEW_MIN_ROWS);
    grid_put(g, y + 1, imax(0, (g->cols - grid_width(line)) / 2), ROLE_DIM, line);
    snprintf(line, sizeof line, "q quits");
    grid_put(g, y + 2, imax(0, (g->cols - grid_width(line)) / 2), ROLE_DIM, line);
}

/* --- the whole screen --------------------------------------------------------------- */

void view_draw(const Snapshot *s, Grid *g)
{
    grid_clear(g);
    if (g->rows < VIEW_MIN_ROWS || g->cols < VIEW_MIN_COLS) {
        draw_too_small(g);
        return;
    }
    draw_status(s, g);
    draw_help(s, g);
    int top = 1, H = g->rows - 2, W = g->cols;

    /* Wide terminals show the weights with 4 decimals. */
    WeightStyle st = { 8, 4, 0 };
    for (size_t i = 0; i < s->nm; i++)
        for (size_t k = 0; k < s->m[i].rows * s->m[i].cols; k++)
            if (isfinite(s->m[i].v[k]))
                st.maxabs = fmax(st.maxabs, fabs(s->m[i].v[k]));
    int ww, wh, pw, ph;
    weights_measure(s, &st, &ww, &wh);
    if (W < 120) {
        st.vw = 6;
        st.dec = 2;
        weights_measure(s, &st, &ww, &wh);
    }
    predictions_measure(s, &pw, &ph);
    Plane plane;
    bool has_plane = plane_find(s, &plane);
    int left_need = imax(ww, pw) + 4;
    int wbox = wh + 2, pbox = ph + 2;
    enum { LOSS_MIN = 6, PLANE_MIN = 26, PRED_MIN = 6 };

    /* A tall terminal with room beside the panels: the plane takes the
     * whole height on the right, the rest stack on the left. */
    if (has_plane) {
        int ideal = plane_width_for(s, &plane, H);
        /* Many examples: the predictions show what fits and leave the
         * loss curve at least 30% of the height. */
        int tall_pbox = imin(pbox, H - wbox - imax(2 * LOSS_MIN, (int)lround(H * 0.3)));
        if (W - left_need >= ideal - ideal / 8 && tall_pbox >= PRED_MIN && H - wbox - tall_pbox >= 2 * LOSS_MIN) {
            int plane_w = imin(ideal, W - left_need), left_w = W - plane_w;
            pbox = tall_pbox;
            draw_weights(s, g, (Rect){ top, 0, wbox, left_w }, &st);
            draw_predictions(s, g, (Rect){ top + wbox, 0, pbox, left_w });
            draw_loss(s, g, (Rect){ top + wbox + pbox, 0, H - wbox - pbox, left_w });
            draw_plane(s, &plane, g, (Rect){ top, left_w, H, plane_w });
            return;
        }
    }
    /* Otherwise the panels and the plane share the top, and the loss curve
     * runs the full width below them, keeping at least 30% of the height. */
    int loss_keep = imax(LOSS_MIN, (int)lround(H * 0.3));
    int loss_h = imax(LOSS_MIN, imin(14, (int)lround(H * 0.36)));
    int top_h = imin(wbox + pbox, H - loss_keep);
    int plane_w = 0;
    if (has_plane) {
        top_h = imax(top_h, H - loss_h);
        plane_w = imin(plane_width_for(s, &plane, top_h), W - left_need);
        if (plane_w < PLANE_MIN) {
            has_plane = false;
            plane_w = 0;
            top_h = imin(wbox + pbox, H - loss_keep);
        }
    }
    if (!has_plane && ww + pw + 8 <= W) {
        /* Room for the weights and the predictions side by side. */
        int h = imin(imax(wbox, pbox), H - loss_keep);
        int wwide = imax(ww + 4, W - (pw + 4) - (W - ww - pw - 8) / 2);
        draw_weights(s, g, (Rect){ top, 0, h, wwide }, &st);
        draw_predictions(s, g, (Rect){ top, wwide, h, W - wwide });
        draw_loss(s, g, (Rect){ top + h, 0, H - h, W });
        return;
    }
    int left_w = W - plane_w;
    /* The weights over the predictions; when both do not fit, the
     * predictions keep about 40% and each panel shows what fits. */
    if (wbox + pbox > top_h) {
        pbox = imin(pbox, imax(5, top_h * 2 / 5));
        wbox = top_h - pbox;
        if (wbox < 4) {
            wbox = imin(wh + 2, top_h);
            pbox = top_h - wbox;
        }
    } else {
        pbox = top_h - wbox;
    }
    draw_weights(s, g, (Rect){ top, 0, wbox, left_w }, &st);
    if (pbox >= 4)
        draw_predictions(s, g, (Rect){ top + wbox, 0, pbox, left_w });
    if (has_plane)
        draw_plane(s, &plane, g, (Rect){ top, left_w, top_h, plane_w });
    draw_loss(s, g, (Rect){ top + top_h, 0, H - top_h, W });
}
