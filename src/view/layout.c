/* layout.c - the dashboard as a grid of characters.
 *
 * The pure layout step: view_draw reads a Snapshot and fills a Grid, with
 * no terminal and no clock, so tests compare its output with text files.
 * A status line on top and the key help at the bottom; between them, for a
 * training run on a tall terminal with room beside the panels (160x48),
 * the plane of a 2-D problem takes the whole right side:
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
 * The plane comes first: it keeps at least PLANE_MIN columns, and the
 * weights make do with the rest.  The weights panel lays its matrices out
 * side by side while they fit and in bands below each other when not;
 * when one is too wide for the panel with numbers, every matrix is shown
 * as a heatmap (a character per weight), split into bands of columns
 * when even that is too wide.  What does not fit in height scrolls (↑/↓),
 * and the status line says how much is out of sight.  Without a plane the
 * weights and predictions sit side by side when they fit.
 *
 * A watched loop has the arrays its body assigns on top (those it had
 * before it began first: its state) and a curve per charted value below.
 * Below VIEW_MIN_COLS x VIEW_MIN_ROWS a "terminal too small" screen.
 */
#include "nudge/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/activation.h"
#include "nudge/format.h"
#include "nudge/mem.h"

typedef struct Rect {
    int row, col, h, w;
} Rect;

static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }

/* What the panels left out, for the status line: set while drawing. */
typedef struct Notes {
    int weight_lines, weight_rows, weight_first;    /* the weights panel: all its lines, those shown, the first */
    size_t curves_hidden;                           /* a loop's charted values without room */
    bool predictions_hidden;
} Notes;

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

/* A loss, a cost or a charted value as every part of nudge writes it (the
 * status line, the curve's labels, progress lines, the summary, `format
 * short`), so that they agree to the printed digit. */
static const char *value_text(double x, char *buf)
{
    return format_inline_number(x, FORMAT_SHORT, buf, FORMAT_NUMBER_MAX);
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

/* Unit u of level j of a net: level 0 is the inputs, the last the
 * outputs, and those between the hidden layers: h1, h2, ... with one
 * hidden layer, h2.3 (hidden layer 2, unit 3) with more. */
static void unit_name(const Snapshot *s, size_t level, size_t u, char *buf, size_t n)
{
    if (level == 0)
        input_name(s, u, buf, n);
    else if (level >= s->n_layers)
        output_name(s, u, buf, n);
    else if (s->n_layers == 2)
        snprintf(buf, n, "h%zu", u + 1);
    else
        snprintf(buf, n, "h%zu.%zu", level, u + 1);
}

/* --- weights ------------------------------------------------------------------- */

/* A net's biases sit under their weights, whose header names their
 * columns; every other matrix (and a perceptron's w, a loop's vector) has
 * a header of its own. */
static bool has_header(const Snapshot *s, const ViewMatrix *m)
{
    return !(s->kind == VIEW_MLP && m->vector);
}

static void row_label(const Snapshot *s, const ViewMatrix *m, size_t r, char *buf, size_t n)
{
    if (m->vector)
        snprintf(buf, n, "%s", m->name);
    else if (s->kind == VIEW_LOOP)
        snprintf(buf, n, "%zu", r);
    else
        unit_name(s, m->layer, r, buf, n);
}

static void col_label(const Snapshot *s, const ViewMatrix *m, size_t c, char *buf, size_t n)
{
    if (s->kind == VIEW_PERCEPTRON)
        input_name(s, c, buf, n);
    else if (s->kind == VIEW_LOOP)
        snprintf(buf, n, "%zu", c);
    else
        unit_name(s, m->layer + 1, c, buf, n);
}

typedef struct WeightStyle {
    int vw, dec;        /* value width and decimals */
    double maxabs;      /* the largest |weight| shown, for colour strength */
} WeightStyle;

static int cell_width(const WeightStyle *st)
{
    return st->vw + 2;  /* value, arrow, gap */
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

/* Rows and columns drawn of one matrix, at most this many rows (then a
 * line says how many more). */
enum { BLOCK_ROWS_MAX = 256 };

/* In a heatmap a one-column matrix (a net's last W, a column vector of a
 * loop) lies on its side, so that it takes a line and not a column. */
static bool heat_transposed(const ViewMatrix *m)
{
    return !m->vector && m->cols == 1 && m->rows > 1;
}

static size_t heat_rows(const ViewMatrix *m)
{
    return heat_transposed(m) ? 1 : m->rows;
}

static size_t heat_cols(const ViewMatrix *m)
{
    return heat_transposed(m) ? m->rows : m->cols;
}

static size_t shown_rows(size_t rows)
{
    return rows <= BLOCK_ROWS_MAX ? rows : BLOCK_ROWS_MAX;
}

/* A group: matrices drawn one under the other sharing a width of row
 * labels (a net's W(k) over b(k); any other matrix alone). */
typedef struct Group {
    const ViewMatrix *b[2];
    size_t n;
    bool new_band;          /* starts a band of its own (a loop's first array made in a pass) */
} Group;

static size_t make_groups(const Snapshot *s, Group *g)
{
    size_t n = 0;
    if (s->kind == VIEW_MLP) {
        for (size_t k = 0; k < s->n_layers; k++) {
            Group gr = { { NULL, NULL }, 0, false };
            for (size_t i = 0; i < s->nm; i++)
                if (s->m[i].layer == k && !s->m[i].vector)
                    gr.b[gr.n++] = &s->m[i];
            for (size_t i = 0; i < s->nm && gr.n < 2; i++)
                if (s->m[i].layer == k && s->m[i].vector)
                    gr.b[gr.n++] = &s->m[i];
            if (gr.n)
                g[n++] = gr;
        }
        return n;
    }
    for (size_t i = 0; i < s->nm; i++)
        g[n++] = (Group){ { &s->m[i], NULL }, 1, s->kind == VIEW_LOOP && i > 0 && i == s->nstate };
    return n;
}

static int label_width(const Snapshot *s, const ViewMatrix *m, bool heat)
{
    char b[48];
    int w = m->vector ? 0 : grid_width(m->name) + (heat && heat_transposed(m) ? 1 : 0);
    if (heat && heat_transposed(m)) {
        col_label(s, m, 0, b, sizeof b);
        return imax(w, grid_width(b)) + 1;
    }
    size_t rows = shown_rows(m->rows);
    for (size_t r = 0; r < rows; r++) {
        row_label(s, m, r, b, sizeof b);
        w = imax(w, grid_width(b));
    }
    return w + 1;
}

static int group_label_width(const Snapshot *s, const Group *g, bool heat)
{
    int lw = 0;
    for (size_t i = 0; i < g->n; i++)
        lw = imax(lw, label_width(s, g->b[i], heat));
    return lw;
}

static int block_lines(const Snapshot *s, const ViewMatrix *m, bool heat)
{
    size_t rows = heat ? heat_rows(m) : m->rows;
    return (has_header(s, m) ? 1 : 0) + (int)shown_rows(rows) + (rows > BLOCK_ROWS_MAX ? 1 : 0);
}

/* The width of a group with numbers, and as a heatmap in `room` columns
 * (then *bands says in how many bands of columns). */
static int group_width_numbers(const Snapshot *s, const Group *g, const WeightStyle *st)
{
    size_t cols = 0;
    for (size_t i = 0; i < g->n; i++)
        cols = g->b[i]->cols > cols ? g->b[i]->cols : cols;
    return group_label_width(s, g, false) + (int)cols * cell_width(st);
}

static int group_width_heat(const Snapshot *s, const Group *g, int room, int *bands, int *per_band)
{
    int lw = group_label_width(s, g, true);
    size_t cols = 0;
    for (size_t i = 0; i < g->n; i++)
        cols = heat_cols(g->b[i]) > cols ? heat_cols(g->b[i]) : cols;
    int fit = imax(4, room - lw);
    /* Bands of about equal width: 64 columns in 50 make two of 32. */
    *bands = imax(1, (int)((cols + (size_t)fit - 1) / (size_t)fit));
    *per_band = imax(1, (int)((cols + (size_t)*bands - 1) / (size_t)*bands));
    return lw + *per_band;
}

static int group_height(const Snapshot *s, const Group *g, bool heat, int bands)
{
    int h = 0;
    for (size_t i = 0; i < g->n; i++)
        h += block_lines(s, g->b[i], heat);
    if (!heat)
        return h + (s->kind == VIEW_PERCEPTRON ? 1 : 0);    /* w·x written out */
    return bands * h + (bands - 1);     /* a blank line between bands */
}

/* Where each group goes in a panel `width` columns wide: side by side while
 * they fit, then a new band under the tallest of the last.  Returns the
 * lines used; *caption the line of the loop's "made in each pass" caption
 * (-1: none). */
typedef struct Placement {
    int row, col, w, h, bands, per_band;
} Placement;

static int place_groups(const Snapshot *s, const Group *g, size_t n, const WeightStyle *st, int width, bool heat,
                        Placement *pos, int *caption)
{
    int x = 0, y = 0, band_h = 0;
    *caption = -1;
    for (size_t i = 0; i < n; i++) {
        Placement p = { 0, 0, 0, 0, 1, 0 };
        p.w = heat ? group_width_heat(s, &g[i], width, &p.bands, &p.per_band) : group_width_numbers(s, &g[i], st);
        p.h = group_height(s, &g[i], heat, p.bands);
        if (g[i].new_band) {
            y += band_h + 1;
            *caption = y;
            y += 1;
            x = 0;
            band_h = 0;
        } else if (x > 0 && x + p.w > width) {
            y += band_h + 1;
            x = 0;
            band_h = 0;
        }
        p.row = y;
        p.col = x;
        pos[i] = p;
        x += p.w + 2;
        band_h = imax(band_h, p.h);
    }
    return y + band_h;
}

/* Whether the weights need a heatmap in `width` columns: some group is too
 * wide for it with numbers. */
static bool weights_heat(const Snapshot *s, const Group *g, size_t n, const WeightStyle *st, int width)
{
    for (size_t i = 0; i < n; i++)
        if (group_width_numbers(s, &g[i], st) > width)
            return true;
    return false;
}

/* The lines the weights take in a panel `width` columns wide. */
static int weights_lines(const Snapshot *s, const WeightStyle *st, int width)
{
    Group g[VIEW_MAX_MATRICES];
    Placement pos[VIEW_MAX_MATRICES];
    size_t n = make_groups(s, g);
    int caption;
    return place_groups(s, g, n, st, width, weights_heat(s, g, n, st, width), pos, &caption);
}

/* The width the weights want: every group side by side, with numbers. */
static int weights_natural_width(const Snapshot *s, const WeightStyle *st)
{
    Group g[VIEW_MAX_MATRICES];
    size_t n = make_groups(s, g);
    int w = 0;
    for (size_t i = 0; i < n; i++) {
        if (g[i].new_band)
            break;
        w += (i ? 2 : 0) + group_width_numbers(s, &g[i], st);
    }
    return w;
}

/* The narrowest the weights can be with numbers: the widest group. */
static int weights_banded_width(const Snapshot *s, const WeightStyle *st)
{
    Group g[VIEW_MAX_MATRICES];
    size_t n = make_groups(s, g);
    int w = 0;
    for (size_t i = 0; i < n; i++)
        w = imax(w, group_width_numbers(s, &g[i], st));
    return w;
}

/* Draws one matrix with numbers from (row, col) with row labels lw columns
 * wide: a header line of column labels, then a line per row.  Returns the
 * lines used. */
static int draw_block_numbers(const Snapshot *s, const ViewMatrix *m, Grid *g, int row, int col,
                              const WeightStyle *st, int lw)
{
    int head = has_header(s, m) ? 1 : 0, cw = cell_width(st);
    char b[64];
    if (head) {
        if (!m->vector)
            grid_putn(g, row, col, lw, ROLE_TITLE, m->name);
        for (size_t c = 0; c < m->cols; c++) {
            col_label(s, m, c, b, sizeof b);
            grid_put(g, row, col + lw + (int)c * cw + st->vw - grid_width(b), ROLE_DIM, b);
        }
    }
    size_t rows = shown_rows(m->rows);
    for (size_t i = 0; i < rows; i++) {
        int y = row + head + (int)i;
        row_label(s, m, i, b, sizeof b);
        grid_putn(g, y, col, lw, m->vector ? ROLE_TITLE : ROLE_DIM, b);
        for (size_t c = 0; c < m->cols; c++) {
            double v = m->v[i * m->cols + c];
            int x = col + lw + (int)c * cw;
            grid_put(g, y, x, weight_role(v, st->maxabs), fit_number(v, st->vw, st->dec, b, sizeof b));
            signed char d = m->dir[i * m->cols + c];
            if (d)
                grid_put(g, y, x + st->vw, d > 0 ? ROLE_UP : ROLE_DOWN, d > 0 ? "↑" : "↓");
        }
    }
    if (rows < m->rows)
        grid_printf(g, row + head + (int)rows, col + lw, ROLE_DIM, "⋮ %zu more rows", m->rows - rows);
    return block_lines(s, m, false);
}

/* A weight as one character: its sign in the kind of mark (blocks for
 * positive, dashes for negative) and colour, its size in the mark's
 * weight, so that it reads in monochrome too. */
static uint32_t heat_glyph(double v, double maxabs, Role *role)
{
    static const uint32_t pos[4] = { 0x00B7, 0x2591, 0x2593, 0x2588 };   /* · ░ ▓ █ */
    static const uint32_t neg[4] = { 0x00B7, '-', '=', 0x2261 };         /* · - = ≡ */
    if (!isfinite(v)) {
        *role = ROLE_BAD;
        return '!';
    }
    double t = maxabs > 0 ? fabs(v) / maxabs : 0;
    int k = t < 0.25 ? 0 : t < 0.5 ? 1 : t < 0.75 ? 2 : 3;
    if (v == 0) {
        *role = ROLE_DIM;
        return 0x00B7;
    }
    *role = (Role)((v > 0 ? ROLE_POS1 : ROLE_NEG1) + imin(k, 2));
    return v > 0 ? pos[k] : neg[k];
}

static double matrix_maxabs(const ViewMatrix *m)
{
    double a = 0;
    for (size_t k = 0; k < m->rows * m->cols; k++)
        if (isfinite(m->v[k]))
            a = fmax(a, fabs(m->v[k]));
    return a;
}

/* Columns [c0, c1) of one matrix as a heatmap from (row, col).  Returns
 * the lines used. */
static int draw_block_heat(const Snapshot *s, const ViewMatrix *m, Grid *g, int row, int col, int lw, size_t c0,
                           size_t c1)
{
    bool tr = heat_transposed(m);
    size_t cols = heat_cols(m), rows = heat_rows(m);
    if (c1 > cols)
        c1 = cols;
    int head = has_header(s, m) ? 1 : 0;
    char b[64], e[64];
    if (head) {
        char name[48];
        snprintf(name, sizeof name, "%s%s", m->vector ? "" : m->name, tr ? "ᵀ" : "");
        grid_putn(g, row, col, lw, ROLE_TITLE, name);
        if (c0 < c1) {
            /* The first and last column of the band. */
            if (tr)
                row_label(s, m, c0, b, sizeof b), row_label(s, m, c1 - 1, e, sizeof e);
            else
                col_label(s, m, c0, b, sizeof b), col_label(s, m, c1 - 1, e, sizeof e);
            int span = (int)(c1 - c0);
            if (grid_width(b) + 1 + grid_width(e) <= span || c1 - c0 == 1) {
                grid_put(g, row, col + lw, ROLE_DIM, b);
                if (c1 - c0 > 1)
                    grid_put(g, row, col + lw + span - grid_width(e), ROLE_DIM, e);
            }
        }
    }
    double maxabs = matrix_maxabs(m);
    size_t nr = shown_rows(rows);
    for (size_t i = 0; i < nr; i++) {
        int y = row + head + (int)i;
        if (tr)
            col_label(s, m, 0, b, sizeof b);
        else
            row_label(s, m, i, b, sizeof b);
        grid_putn(g, y, col, lw, m->vector ? ROLE_TITLE : ROLE_DIM, b);
        for (size_t c = c0; c < c1; c++) {
            Role role;
            uint32_t ch = heat_glyph(tr ? m->v[c] : m->v[i * m->cols + c], maxabs, &role);
            grid_set(g, y, col + lw + (int)(c - c0), ch, role);
        }
    }
    if (nr < rows)
        grid_printf(g, row + head + (int)nr, col + lw, ROLE_DIM, "⋮ %zu more rows", rows - nr);
    return head + (int)nr + (nr < rows ? 1 : 0);
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

static void draw_group(const Snapshot *s, const Group *gr, const Placement *p, Grid *g, const WeightStyle *st,
                       bool heat)
{
    int lw = group_label_width(s, gr, heat);
    if (!heat) {
        int y = p->row;
        for (size_t i = 0; i < gr->n; i++)
            y += draw_block_numbers(s, gr->b[i], g, y, p->col, st, lw);
        if (s->kind == VIEW_PERCEPTRON) {
            char eq[256];
            perceptron_equation(s, eq, sizeof eq);
            int x = p->col + grid_put(g, y, p->col, ROLE_DIM, "w·x = ");
            grid_put(g, y, x, ROLE_TEXT, eq);
        }
        return;
    }
    int y = p->row;
    for (int band = 0; band < p->bands; band++) {
        size_t c0 = (size_t)band * (size_t)p->per_band, c1 = c0 + (size_t)p->per_band;
        for (size_t i = 0; i < gr->n; i++)
            y += draw_block_heat(s, gr->b[i], g, y, p->col, lw, c0, c1);
        y++;
    }
}

static const char *weights_title(const Snapshot *s)
{
    return s->kind == VIEW_LOOP ? "arrays the loop changes" : s->kind == VIEW_MLP ? "weights" : "weights w";
}

/* The weights panel: the matrices laid out on a sheet as tall as they
 * need, of which the lines from s->scroll show (and the borders say how
 * many more lie above and below). */
static void draw_weights(const Snapshot *s, Grid *g, Rect box, const WeightStyle *st, Notes *notes)
{
    Group gr[VIEW_MAX_MATRICES];
    Placement pos[VIEW_MAX_MATRICES];
    size_t n = make_groups(s, gr);
    Rect in = { box.row + 1, box.col + 2, box.h - 2, box.w - 4 };
    bool heat = in.w > 0 && weights_heat(s, gr, n, st, in.w);
    char title[64];
    snprintf(title, sizeof title, "%s%s", weights_title(s), heat ? " (heatmap: ░▓█ +, -=≡ −)" : "");
    grid_box(g, box.row, box.col, box.h, box.w, title);
    if (in.h <= 0 || in.w <= 0)
        return;
    if (n == 0) {
        grid_put(g, in.row, in.col, ROLE_DIM,
                 s->kind == VIEW_LOOP ? "no arrays yet: they show once the loop assigns one" : "no weights");
        return;
    }
    int caption;
    int lines = place_groups(s, gr, n, st, in.w, heat, pos, &caption);
    Grid sheet;
    if (!grid_init(&sheet, imax(1, lines), in.w, NULL))
        return;
    for (size_t i = 0; i < n; i++)
        draw_group(s, &gr[i], &pos[i], &sheet, st, heat);
    if (caption >= 0)
        grid_put(&sheet, caption, 0, ROLE_DIM, "made in each pass:");
    int first = imax(0, imin(s->scroll, lines - in.h));
    for (int r = 0; r < in.h && first + r < lines; r++)
        memcpy(grid_at(g, in.row + r, in.col), grid_at(&sheet, first + r, 0), (size_t)in.w * sizeof(Cell));
    grid_free(&sheet);
    char mark[48];
    if (first > 0) {
        snprintf(mark, sizeof mark, " ↑ %d more ", first);
        grid_put(g, box.row, box.col + box.w - 2 - grid_width(mark), ROLE_KEY, mark);
    }
    int below = lines - first - in.h;
    if (below > 0) {
        snprintf(mark, sizeof mark, " ↓ %d more ", below);
        grid_put(g, box.row + box.h - 1, box.col + box.w - 2 - grid_width(mark), ROLE_KEY, mark);
    }
    notes->weight_lines = lines;
    notes->weight_rows = in.h;
    notes->weight_first = first;
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
    if (s->kind == VIEW_PERCEPTRON)
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
    if (s->kind == VIEW_PERCEPTRON) {
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
        if (s->kind == VIEW_PERCEPTRON) {
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

/* --- curves -------------------------------------------------------------------- */

/* A series over epochs (or passes): an optional value before the first
 * (the cost before training, at epoch 0), then one value per epoch from
 * epoch 1. */
typedef struct Series {
    const double *v;
    size_t n;
    double pre;
    bool has_pre;
} Series;

/* The value at epoch x (NaN outside the series). */
static double series_at(const Series *s, size_t x)
{
    if (x == 0)
        return s->has_pre ? s->pre : NAN;
    return x <= s->n ? s->v[x - 1] : NAN;
}

/* The mean of the finite values at epochs [a, b), from at most 16 evenly
 * spaced samples so that a long run draws as fast as a short one. */
static double bucket_mean(const Series *s, size_t a, size_t b)
{
    size_t n = b - a, step = n > 16 ? n / 16 : 1;
    double sum = 0;
    size_t k = 0;
    for (size_t x = a; x < b; x += step) {
        double v = series_at(s, x);
        if (isfinite(v)) {
            sum += v;
            k++;
        }
    }
    return k ? sum / (double)k : NAN;
}

/* The range of the finite values of a series, every one of them, so that
 * the axis ends are values the series had. */
static void series_range(const Series *s, double *lo, double *hi, double *minpos)
{
    size_t first = s->has_pre ? 0 : 1;
    for (size_t x = first; x <= s->n; x++) {
        double v = series_at(s, x);
        if (!isfinite(v))
            continue;
        *lo = fmin(*lo, v);
        *hi = fmax(*hi, v);
        if (v > 0)
            *minpos = fmin(*minpos, v);
    }
}

typedef struct Curve {
    const char *title;
    const char *unit;       /* "epoch", "pass" */
    Series main;
    Series over;            /* the held-out curve, when over.n */
    bool zero;              /* the axis starts at 0 for positive values (a loss) */
    bool log_scale;
} Curve;

/* The level (1 .. levels) of value v on the axis. */
static int curve_level(double v, bool logy, double bottom, double top, int levels)
{
    double y = logy ? (v > 0 ? log10(v) : bottom) : v;
    int k = (int)lround((y - bottom) / (top - bottom) * levels);
    return k < 1 ? 1 : k > levels ? levels : k;     /* the curve stays visible at its lowest */
}

/* One curve in a box: the main series as filled columns of eighths, the
 * second (held-out) as dots over it, the axis labelled with the largest
 * and smallest values the series had and the current values beside their
 * ends, all written as the status line writes them. */
static void draw_curve(Grid *g, Rect box, const Curve *cv)
{
    bool over = cv->over.n > 0;
    char title[160];
    snprintf(title, sizeof title, "%s%s%s", cv->title, cv->log_scale ? ", log scale" : "",
             over ? "  ▇ training  • held-out" : "");
    grid_box(g, box.row, box.col, box.h, box.w, title);
    Rect in = { box.row + 1, box.col + 1, box.h - 2, box.w - 2 };
    if (in.h < 2 || in.w < 24)
        return;
    size_t first = cv->main.has_pre ? 0 : 1, last = cv->main.n;
    if (last < first || (last == 0 && !cv->main.has_pre)) {
        grid_put(g, in.row + in.h / 2, in.col + 2, ROLE_DIM,
                 !strcmp(cv->unit, "pass") ? "the curve starts after the first pass"
                                           : "the curve starts after the first epoch");
        return;
    }
    double lo = INFINITY, hi = -INFINITY, minpos = INFINITY;
    series_range(&cv->main, &lo, &hi, &minpos);
    if (over)
        series_range(&cv->over, &lo, &hi, &minpos);
    if (!isfinite(hi)) {
        grid_put(g, in.row + in.h / 2, in.col + 2, ROLE_DIM,
                 !strcmp(cv->unit, "pass") ? "no number to draw yet: a charted name must hold one number"
                                           : "no finite value to draw yet");
        return;
    }
    bool logy = cv->log_scale && isfinite(minpos);
    double top, bottom, top_v, bottom_v;
    if (logy) {
        top_v = hi;
        bottom_v = minpos;
        top = log10(hi);
        bottom = log10(minpos);
        if (top - bottom < 1e-9)
            bottom = top - 1;
    } else {
        top_v = hi;
        bottom_v = lo >= 0 && (cv->zero || lo <= 0.5 * hi) ? 0 : lo;
        top = top_v;
        bottom = bottom_v;
        if (top - bottom < 1e-12)
            top = bottom + (fabs(bottom) > 0 ? fabs(bottom) : 1);
    }
    /* The labels: the axis ends on the left, the current values right. */
    char tl[FORMAT_NUMBER_MAX], bl[FORMAT_NUMBER_MAX], cur[FORMAT_NUMBER_MAX], vcur[FORMAT_NUMBER_MAX];
    value_text(top_v, tl);
    value_text(bottom_v, bl);
    double now = series_at(&cv->main, last), vnow = over ? series_at(&cv->over, cv->over.n) : NAN;
    value_text(now, cur);
    value_text(vnow, vcur);
    int lw = imax(grid_width(tl), grid_width(bl)) + 3;
    int rw = imax(grid_width(cur), over ? grid_width(vcur) : 0) + 4;
    int ch = in.h - 1, cw = in.w - lw - rw;
    if (ch < 1 || cw < 4)
        return;
    if (cw > 1024)
        cw = 1024;
    /* Columns: a bucket of epochs each (an epoch spans columns when few). */
    size_t count = last - first + 1;
    int levels = ch * 8, last_level = 0, over_level = 0;
    for (int c = 0; c < cw; c++) {
        size_t a = first + (size_t)((double)c * (double)count / cw);
        size_t b = first + (size_t)((double)(c + 1) * (double)count / cw);
        if (b <= a)
            b = a + 1;
        if (b > last + 1)
            b = last + 1;
        double v = bucket_mean(&cv->main, a, b);
        if (isfinite(v)) {
            int k = curve_level(v, logy, bottom, top, levels);
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
        if (over) {
            double w = bucket_mean(&cv->over, a, b);
            if (isfinite(w)) {
                int k = curve_level(w, logy, bottom, top, levels);
                if (c == cw - 1)
                    over_level = k;
                grid_set(g, in.row + ch - 1 - (k - 1) / 8, in.col + lw + c, 0x2022, ROLE_CURVE_VAL);
            }
        }
    }
    char label[64];
    snprintf(label, sizeof label, "%*s ┤", lw - 2, tl);
    grid_put(g, in.row, in.col, ROLE_DIM, label);
    for (int r = 1; r < ch - 1; r++)
        grid_put(g, in.row + r, in.col + lw - 1, ROLE_DIM, "│");
    if (ch > 1) {
        snprintf(label, sizeof label, "%*s ┤", lw - 2, bl);
        grid_put(g, in.row + ch - 1, in.col, ROLE_DIM, label);
    }
    /* The current values, beside the ends of the curves. */
    int x = in.col + lw + cw + 1;
    int lrow = in.row + ch - 1 - imax(0, (last_level - 1) / 8);
    if (isfinite(now)) {
        snprintf(label, sizeof label, "◀ %s", cur);
        grid_putn(g, lrow, x, rw - 1, ROLE_CURRENT, label);
    }
    if (over && isfinite(vnow)) {
        int vrow = in.row + ch - 1 - imax(0, (over_level - 1) / 8);
        if (vrow == lrow && isfinite(now))
            vrow = lrow + 1 < in.row + ch ? lrow + 1 : lrow - 1;
        snprintf(label, sizeof label, "• %s", vcur);
        grid_putn(g, vrow, x, rw - 1, ROLE_CURVE_VAL, label);
    }
    /* The epochs under the curve. */
    int y = in.row + ch;
    grid_put(g, y, in.col + lw, ROLE_DIM, first == 0 ? "0" : "1");
    snprintf(label, sizeof label, "%s %zu", cv->unit, last);
    grid_put(g, y, in.col + lw + cw - grid_width(label), ROLE_DIM, label);
}

/* The loss curve of a training run. */
static void draw_loss(const Snapshot *s, Grid *g, Rect box)
{
    Curve cv = { 0 };
    if (s->kind == VIEW_PERCEPTRON)
        cv.title = "mistakes per epoch";
    else if (s->softmax)
        cv.title = s->mean_loss ? "loss (cross-entropy, mean over rows)" : "loss (cross-entropy)";
    else
        cv.title = s->mean_loss ? "loss (cost ½Σ(y−a)², mean over rows)" : "loss (cost ½Σ(y−a)²)";
    cv.unit = "epoch";
    cv.main = (Series){ s->losses, s->nlosses, s->start_loss, s->kind == VIEW_MLP && isfinite(s->start_loss) };
    if (s->val_losses)
        cv.over = (Series){ s->val_losses, s->nval, NAN, false };
    cv.zero = true;
    cv.log_scale = s->log_scale;
    draw_curve(g, box, &cv);
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
    if (s->kind == VIEW_LOOP || !s->X || data_rows(s) < 2 || s->X->ndim != 2)
        return false;
    if (s->kind == VIEW_MLP && (!s->has_net || !(s->n_out == 1 || (s->softmax && s->n_out == 2))))
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
    p->threshold = s->kind == VIEW_MLP ? 0.5 : 0.0;
    return true;
}

/* The model at the (rows + 1) x (cols + 1) corners of the plane's cells,
 * top row first, other inputs at their constant value: w·x for a
 * perceptron; for a net its own forward pass (any depth and activation),
 * the output (the probability of class 2 for softmax).  False when memory
 * runs out. */
static bool plane_values(const Snapshot *s, const Plane *p, int rows, int cols, double dx, double dy, double *out)
{
    size_t n = data_cols(s), npts = (size_t)(rows + 1) * (size_t)(cols + 1);
    if (s->kind == VIEW_PERCEPTRON) {
        const ViewMatrix *w = &s->m[0];
        for (int r = 0; r <= rows; r++)
            for (int c = 0; c <= cols; c++) {
                double wx = 0;
                for (size_t i = 0; i < n && i < w->cols; i++)
                    wx += w->v[i] * (i == p->f1 ? p->lo1 + c * dx : i == p->f2 ? p->hi2 - r * dy : x_at(s, 0, i));
                out[r * (cols + 1) + c] = wx;
            }
        return true;
    }
    Tensor *X = tensor_matrix(npts, n, NULL);
    if (!X)
        return false;
    for (int r = 0; r <= rows; r++)
        for (int c = 0; c <= cols; c++) {
            double *row = X->data + ((size_t)r * (size_t)(cols + 1) + (size_t)c) * n;
            for (size_t i = 0; i < n; i++)
                row[i] = i == p->f1 ? p->lo1 + c * dx : i == p->f2 ? p->hi2 - r * dy : x_at(s, 0, i);
        }
    MlpPass pass;
    mlp_pass_init(&pass);
    bool ok = mlp_forward(&s->net, X, &pass, NULL);
    if (ok) {
        const Tensor *A = mlp_pass_output(&pass);
        for (size_t i = 0; i < npts; i++)
            out[i] = A->data[i * s->n_out + (s->n_out == 2 ? 1 : 0)];
    }
    mlp_pass_free(&pass);
    tensor_delete(X);
    return ok;
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

enum { PLANE_ROWS_MAX = 64, PLANE_COLS_MAX = 256 };

static void draw_plane(const Snapshot *s, const Plane *p, Grid *g, Rect box)
{
    char n1[16], n2[16], title[96];
    input_name(s, p->f1, n1, sizeof n1);
    input_name(s, p->f2, n2, sizeof n2);
    snprintf(title, sizeof title, "%s over (%s, %s)", s->kind == VIEW_MLP ? "output" : "w·x", n1, n2);
    grid_box(g, box.row, box.col, box.h, box.w, title);
    char b[32];
    int lw = plane_label_width(s, p);
    Rect pl = { box.row + 1, box.col + 1 + lw, box.h - 3, box.w - 3 - lw };
    if (pl.h < 3 || pl.w < 6)
        return;
    double dx = (p->hi1 - p->lo1) / pl.w, dy = (p->hi2 - p->lo2) / pl.h;
    /* Values at the cell corners: (h+1) x (w+1). */
    int hh = imin(pl.h, PLANE_ROWS_MAX), ww = imin(pl.w, PLANE_COLS_MAX);
    double *corner = mem_alloc((size_t)(hh + 1) * (size_t)(ww + 1) * sizeof *corner);
    if (!corner || !plane_values(s, p, hh, ww, dx, dy, corner)) {
        mem_free(corner);
        grid_put(g, pl.row, pl.col, ROLE_DIM, "out of memory");
        return;
    }
    double scale = 0;
    for (int i = 0; i < (hh + 1) * (ww + 1); i++)
        if (isfinite(corner[i]))
            scale = fmax(scale, fabs(corner[i] - p->threshold));
    if (s->kind == VIEW_MLP)
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
    mem_free(corner);
    /* The data on top: ● for target 1 and ○ for target 0, in colour and
     * without (a projector washes pale colours out).  In colour a point
     * also sits on a square twice as many cells wide as tall (bigger on a
     * big plane) in a light shade of its target's colour. */
    int side = imax(1, imin(3, hh / 16));
    for (size_t i = 0; i < data_rows(s); i++) {
        double x1 = x_at(s, i, p->f1), x2 = x_at(s, i, p->f2);
        double cx = (x1 - p->lo1) / dx, cy = (p->hi2 - x2) / dy;
        int r = (int)floor(cy);
        if (cx < 0 || cx >= ww || r < 0 || r >= hh)
            continue;
        bool positive = s->kind == VIEW_MLP && s->n_out == 2 ? target_at(s, i, 1) > 0.5
                        : s->kind == VIEW_MLP                ? target_at(s, i, 0) > 0.5
                                                             : target_at(s, i, 0) > 0;
        Role role = i == s->current ? ROLE_POINT_ACTIVE : positive ? ROLE_POINT_POS : ROLE_POINT_NEG;
        uint32_t glyph = positive ? 0x25CF : 0x25CB;
        if (s->color && ww >= 2 * side && hh >= side) {
            int c = imin(imax(0, (int)lround(cx - side)), ww - 2 * side);
            int top = imin(imax(0, (int)lround(cy - side / 2.0)), hh - side);
            grid_fill(g, pl.row + top, pl.col + c, side, 2 * side, ' ', role);
            grid_set(g, pl.row + top + (side - 1) / 2, pl.col + c + (2 * side - 1) / 2, glyph, role);
        } else {
            grid_set(g, pl.row + r, pl.col + (int)floor(cx), glyph, role);
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
    char label[100], value[128];
    int sep;            /* spaces before it */
    Role role;          /* of the value (the label is ROLE_STATUS) */
    int drop;           /* left out when the line is short: higher first; 0 never */
} Field;

enum { FIELDS_MAX = 16 };

static int field_width(const Field *f)
{
    return f->sep + grid_width(f->label) + (f->label[0] && f->value[0] ? 1 : 0) + grid_width(f->value);
}

static Field *field_add(Field *f, int *nf, int sep, const char *label, Role role, int drop)
{
    Field *x = &f[(*nf)++];
    memset(x, 0, sizeof *x);
    snprintf(x->label, sizeof x->label, "%s", label);
    x->sep = sep;
    x->role = role;
    x->drop = drop;
    return x;
}

/* "mlp 3→4→1", "mlp 2→8→8→1 relu", "mlp 4→5→3 softmax" */
static void net_kind(const Snapshot *s, char *buf, size_t n)
{
    size_t len = (size_t)snprintf(buf, n, "mlp");
    for (size_t k = 0; k <= s->n_layers && len + 16 < n; k++)
        len += (size_t)snprintf(buf + len, n - len, "%s%zu", k ? "→" : " ", s->sizes[k]);
    if (s->hidden != MLP_SIGMOID && len + 16 < n)
        len += (size_t)snprintf(buf + len, n - len, " %s", mlp_act_name(s->hidden));
    MlpAct out = s->has_net ? s->net.output : MLP_SIGMOID;
    if (out != MLP_SIGMOID && len + 16 < n)
        snprintf(buf + len, n - len, " %s", mlp_act_name(out));
}

/* What is out of sight, and why, in a few words (or ""). */
static void notes_text(const Snapshot *s, const Notes *nt, char *buf, size_t n)
{
    buf[0] = '\0';
    if (nt->weight_lines > nt->weight_rows && nt->weight_rows > 0)
        snprintf(buf, n, "%s %d–%d of %d ↑↓", s->kind == VIEW_LOOP ? "arrays" : "weights", nt->weight_first + 1,
                 imin(nt->weight_lines, nt->weight_first + nt->weight_rows), nt->weight_lines);
    else if (nt->curves_hidden)
        snprintf(buf, n, "%zu curve%s hidden: window too short", nt->curves_hidden, nt->curves_hidden == 1 ? "" : "s");
    else if (nt->predictions_hidden)
        snprintf(buf, n, "predictions hidden: window too short");
}

static void draw_status(const Snapshot *s, Grid *g, const Notes *nt)
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
    int cw = grid_width(chip) + 2;
    /* The fields run from column 1 to a space before the chip. */
    int room = g->cols - cw - 1 - 1 - 1;
    Field f[FIELDS_MAX];
    int nf = 0;
    char b[FORMAT_NUMBER_MAX], c[FORMAT_NUMBER_MAX];
    int ew = snprintf(b, sizeof b, "%zu", s->epochs);
    if (s->kind == VIEW_LOOP) {
        /* The loop's header, cut to leave room for the rest. */
        Field *t = field_add(f, &nf, 0, "", ROLE_STATUS_VALUE, 0);
        int max = imax(12, room / 2);
        if (grid_width(s->title) > max) {
            size_t i = 0;
            int w = 0;
            while (s->title[i] && w < max - 1) {
                i++;
                while (((unsigned char)s->title[i] & 0xC0) == 0x80)
                    i++;
                w++;
            }
            snprintf(t->label, sizeof t->label, "%.*s…", (int)(i < sizeof t->label - 4 ? i : sizeof t->label - 4),
                     s->title);
        } else {
            snprintf(t->label, sizeof t->label, "%s", s->title);
        }
        Field *p = field_add(f, &nf, 2, "pass", ROLE_STATUS_VALUE, 0);
        if (s->epochs)
            snprintf(p->value, sizeof p->value, "%*zu/%zu", ew, s->epoch, s->epochs);
        else
            snprintf(p->value, sizeof p->value, "%zu", s->epoch);
        for (size_t i = 0; i < s->ncurves && nf < FIELDS_MAX - 3; i++) {
            const ViewCurve *cv = &s->curves[i];
            Field *x = field_add(f, &nf, 2, cv->name, ROLE_STATUS_VALUE, i == 0 ? 0 : 3);
            snprintf(x->value, sizeof x->value, "%s", cv->n ? value_text(cv->v[cv->n - 1], b) : "–");
        }
    } else {
        Field *x = field_add(f, &nf, 0, "", ROLE_STATUS_VALUE, 0);
        snprintf(x->label, sizeof x->label, "%s", s->name[0] ? s->name : "model");
        x = field_add(f, &nf, 1, "·", ROLE_STATUS, 7);
        if (s->kind == VIEW_MLP)
            net_kind(s, x->value, sizeof x->value);
        else
            snprintf(x->value, sizeof x->value, "perceptron");
        x = field_add(f, &nf, 2, "epoch", ROLE_STATUS_VALUE, 0);
        snprintf(x->value, sizeof x->value, "%*zu/%zu", ew, s->epoch, s->epochs);
        /* A perceptron's mistakes were counted over the last epoch while w
         * moved; its accuracy is of w now: the labels say so. */
        x = field_add(f, &nf, 2, s->kind == VIEW_MLP ? "loss" : "mistakes/epoch", ROLE_STATUS_VALUE, 0);
        snprintf(x->value, sizeof x->value, "%s", s->nlosses ? value_text(s->losses[s->nlosses - 1], b) : "–");
        if (s->val_losses) {
            x = field_add(f, &nf, 2, "held-out", ROLE_STATUS_VALUE, 3);
            snprintf(x->value, sizeof x->value, "%s", s->nval ? value_text(s->val_losses[s->nval - 1], b) : "–");
        }
        if (s->has_accuracy) {
            x = field_add(f, &nf, 2, s->kind == VIEW_MLP ? "acc" : "acc now", ROLE_STATUS_VALUE, 5);
            snapshot_accuracy(s, x->value, sizeof x->value);
        }
        bool changed = s->lr != s->lr_start && s->lr_start > 0;
        x = field_add(f, &nf, 2, "lr", ROLE_STATUS_VALUE, changed ? 2 : 6);
        if (changed)
            snprintf(x->value, sizeof x->value, "%s→%s", value_text(s->lr_start, c), value_text(s->lr, b));
        else
            snprintf(x->value, sizeof x->value, "%s", value_text(s->lr, b));
    }
    Field *x = field_add(f, &nf, 2, "speed", ROLE_STATUS_VALUE, 8);
    if (isinf(s->speed))
        snprintf(x->value, sizeof x->value, "max");
    else
        snprintf(x->value, sizeof x->value, "%s/s", short_number(s->speed, b, sizeof b));
    if (s->elapsed > 0) {
        x = field_add(f, &nf, 2, "time", ROLE_STATUS_VALUE, 9);
        snprintf(x->value, sizeof x->value, "%.*f s", s->elapsed < 1 ? 3 : s->elapsed < 10 ? 2 : 1, s->elapsed);
    }
    char note[96];
    notes_text(s, nt, note, sizeof note);
    if (note[0]) {
        x = field_add(f, &nf, 2, "", ROLE_STATUS_VALUE, 4);
        snprintf(x->value, sizeof x->value, "%s", note);
    }
    /* Too long: leave out one field at a time, the least telling first
     * (the highest drop; of equals, the rightmost). */
    bool keep[FIELDS_MAX];
    int w = 0;
    for (int i = 0; i < nf; i++) {
        keep[i] = true;
        w += field_width(&f[i]);
    }
    while (w > room) {
        int worst = -1;
        for (int i = 0; i < nf; i++)
            if (keep[i] && f[i].drop > 0 && (worst < 0 || f[i].drop >= f[worst].drop))
                worst = i;
        if (worst < 0)
            break;
        keep[worst] = false;
        w -= field_width(&f[worst]);
    }
    /* Still too long (a loop's header): the first field gives way, cut
     * with "…", so that the others stay whole. */
    if (w > room && grid_width(f[0].label) > 4) {
        int want = imax(3, grid_width(f[0].label) - (w - room) - 1);
        size_t i = 0;
        for (int k = 0; k < want && f[0].label[i]; k++) {
            i++;
            while (((unsigned char)f[0].label[i] & 0xC0) == 0x80)
                i++;
        }
        snprintf(f[0].label + i, sizeof f[0].label - i, "…");
    }
    int col = 1, end = 1 + room;
    for (int i = 0; i < nf && col < end; i++) {
        if (!keep[i])
            continue;
        col += f[i].sep;
        if (f[i].label[0])
            col += grid_putn(g, 0, col, end - col, i == 0 ? ROLE_STATUS_VALUE : ROLE_STATUS, f[i].label);
        if (f[i].label[0] && f[i].value[0])
            col++;
        if (f[i].value[0] && col < end)
            col += grid_putn(g, 0, col, end - col, f[i].role, f[i].value);
    }
    grid_fill(g, 0, g->cols - cw - 1, 1, cw, ' ', chip_role);
    grid_put(g, 0, g->cols - cw, chip_role, chip);
}

typedef struct Hint {
    const char *key, *what;
    bool optional;      /* left out first when the line is short */
} Hint;

static void draw_help(const Snapshot *s, Grid *g, bool scrollable)
{
    bool loop = s->kind == VIEW_LOOP;
    const char *panel = loop ? "arrays" : "weights";
    Hint h[12];
    size_t n = 0;
    if (s->state == VIEW_STATE_RUNNING || s->state == VIEW_STATE_PAUSED) {
        bool paused = s->state == VIEW_STATE_PAUSED;
        h[n++] = (Hint){ "space", paused ? "resume" : "pause", false };
        h[n++] = (Hint){ loop ? (paused ? "s/→" : "s") : (paused ? "n/→" : "n"), "step", false };
        h[n++] = (Hint){ "+/-", "speed", false };
        if (!loop) {
            h[n++] = (Hint){ "[ ]", "lr", false };
            h[n++] = (Hint){ "r", "restart", false };
        }
        h[n++] = (Hint){ "l", "log", false };
        if (scrollable)
            h[n++] = (Hint){ "↑↓", panel, true };
        h[n++] = (Hint){ "q", "quit", false };
    } else {
        h[n++] = (Hint){ "any key", "back to the prompt", false };
        if (!loop)
            h[n++] = (Hint){ "r", "run again", false };
        h[n++] = (Hint){ "l", "log scale", false };
        if (scrollable)
            h[n++] = (Hint){ "↑↓", panel, true };
    }
    int gap = 3, total = 0;
    for (size_t i = 0; i < n; i++)
        total += grid_width(h[i].key) + 1 + grid_width(h[i].what) + gap;
    if (total > g->cols - 2)
        gap = 2;
    total = 0;
    for (size_t i = 0; i < n; i++)
        total += grid_width(h[i].key) + 1 + grid_width(h[i].what) + gap;
    bool drop_optional = total - gap > g->cols - 2;
    int y = g->rows - 1, x = 1;
    for (size_t i = 0; i < n; i++) {
        if (h[i].optional && drop_optional)
            continue;
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

enum { LOSS_MIN = 6, PLANE_MIN = 26, PRED_MIN = 6, LEFT_MIN = 30, CURVE_MIN = 6 };

static WeightStyle weight_style(const Snapshot *s, int W)
{
    /* Wide terminals show the weights with 4 decimals. */
    WeightStyle st = { W < 120 ? 6 : 8, W < 120 ? 2 : 4, 0 };
    for (size_t i = 0; i < s->nm; i++)
        for (size_t k = 0; k < s->m[i].rows * s->m[i].cols; k++)
            if (isfinite(s->m[i].v[k]))
                st.maxabs = fmax(st.maxabs, fabs(s->m[i].v[k]));
    return st;
}

/* A training run: weights, predictions, the loss curve and the plane. */
static void draw_training(const Snapshot *s, Grid *g, Notes *nt)
{
    int top = 1, H = g->rows - 2, W = g->cols;
    WeightStyle st = weight_style(s, W);
    int ww = weights_natural_width(s, &st), pw, ph;
    predictions_measure(s, &pw, &ph);
    Plane plane;
    bool has_plane = plane_find(s, &plane);
    int left_need = imax(ww, pw) + 4;
    int pbox = ph + 2;

    /* A tall terminal with room beside the panels: the plane takes the
     * whole height on the right, the rest stack on the left. */
    if (has_plane) {
        int ideal = plane_width_for(s, &plane, H);
        int left_w = imax(LEFT_MIN, W - ideal);
        int wbox = weights_lines(s, &st, left_w - 4) + 2;
        /* Many examples: the predictions show what fits and leave the
         * loss curve at least 30% of the height. */
        int tall_pbox = imin(pbox, H - wbox - imax(2 * LOSS_MIN, (int)lround(H * 0.3)));
        if (W - left_need >= ideal - ideal / 8 && tall_pbox >= PRED_MIN && H - wbox - tall_pbox >= 2 * LOSS_MIN) {
            int plane_w = imin(ideal, W - left_need);
            left_w = W - plane_w;
            wbox = weights_lines(s, &st, left_w - 4) + 2;
            draw_weights(s, g, (Rect){ top, 0, wbox, left_w }, &st, nt);
            draw_predictions(s, g, (Rect){ top + wbox, 0, tall_pbox, left_w });
            draw_loss(s, g, (Rect){ top + wbox + tall_pbox, 0, H - wbox - tall_pbox, left_w });
            draw_plane(s, &plane, g, (Rect){ top, left_w, H, plane_w });
            return;
        }
    }
    /* Otherwise the panels and the plane share the top, and the loss curve
     * runs the full width below them, keeping at least 30% of the height. */
    int loss_keep = imax(LOSS_MIN, (int)lround(H * 0.3));
    int loss_h = imax(LOSS_MIN, imin(14, (int)lround(H * 0.36)));
    if (!has_plane && ww + pw + 8 <= W) {
        /* Room for the weights and the predictions side by side. */
        int wwide = imax(ww + 4, W - (pw + 4) - (W - ww - pw - 8) / 2);
        int wh = weights_lines(s, &st, wwide - 4);
        int h = imin(imax(wh + 2, pbox), H - loss_keep);
        draw_weights(s, g, (Rect){ top, 0, h, wwide }, &st, nt);
        draw_predictions(s, g, (Rect){ top, wwide, h, W - wwide });
        draw_loss(s, g, (Rect){ top + h, 0, H - h, W });
        return;
    }
    int top_h, plane_w = 0;
    if (has_plane) {
        /* The plane first: as wide as it looks square in, as far as the
         * panels beside it leave room, and never below PLANE_MIN; the
         * weights make do with the rest (bands, a heatmap, scrolling). */
        int natural = weights_lines(s, &st, imax(ww, LEFT_MIN)) + 2;
        top_h = imax(imin(natural + pbox, H - loss_keep), H - loss_h);
        int ideal = plane_width_for(s, &plane, top_h);
        int good = imax(PLANE_MIN, ideal * 3 / 4);
        int banded = imax(weights_banded_width(s, &st), pw) + 4;
        if (W - left_need >= good)
            plane_w = imin(ideal, W - left_need);       /* the weights side by side, with numbers */
        else if (W - banded >= good)
            plane_w = imin(ideal, W - banded);          /* with numbers, in bands */
        else
            plane_w = imax(PLANE_MIN, imin(ideal, W - imax(LEFT_MIN, pw + 4)));    /* a heatmap */
    }
    int left_w = W - plane_w;
    int wh = weights_lines(s, &st, left_w - 4), wbox = wh + 2;
    if (!has_plane)
        top_h = imin(wbox + pbox, H - loss_keep);
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
    draw_weights(s, g, (Rect){ top, 0, wbox, left_w }, &st, nt);
    if (pbox >= 4)
        draw_predictions(s, g, (Rect){ top + wbox, 0, pbox, left_w });
    else
        nt->predictions_hidden = data_rows(s) > 0;
    if (has_plane)
        draw_plane(s, &plane, g, (Rect){ top, left_w, top_h, plane_w });
    draw_loss(s, g, (Rect){ top + top_h, 0, H - top_h, W });
}

/* A watched loop: its arrays on top, a curve per charted value below. */
static void draw_loop(const Snapshot *s, Grid *g, Notes *nt)
{
    int top = 1, H = g->rows - 2, W = g->cols;
    WeightStyle st = weight_style(s, W);
    size_t want = s->ncurves ? s->ncurves : 1;
    size_t k = want;
    /* As many curves as keep CURVE_MIN lines each and leave the arrays 4. */
    while (k > 1 && H - (int)k * CURVE_MIN < 4)
        k--;
    /* The arrays take what they need up to 55% of the height (the rest
     * scrolls); the curves the remainder. */
    int wh = weights_lines(s, &st, W - 4) + 2;
    int arrays_h = s->nm ? imin(wh, imax(4, H * 11 / 20)) : 3;
    arrays_h = imax(3, imin(arrays_h, H - CURVE_MIN * (int)k));
    int curves_h = H - arrays_h;
    draw_weights(s, g, (Rect){ top, 0, arrays_h, W }, &st, nt);
    nt->curves_hidden = s->ncurves > k ? s->ncurves - k : 0;
    int y = top + arrays_h;
    if (!s->ncurves) {
        grid_box(g, y, 0, curves_h, W, "no value to chart");
        grid_put(g, y + curves_h / 2, 2, ROLE_DIM,
                 "name the values to chart before the loop, as in: watch cost for i in range(1000):");
        return;
    }
    for (size_t i = 0; i < k; i++) {
        int h = curves_h / (int)k + ((int)i < curves_h % (int)k ? 1 : 0);
        const ViewCurve *c = &s->curves[i];
        char title[96];
        snprintf(title, sizeof title, "%s%s", c->name, s->auto_charted && i == 0 ? " (every number the loop assigns; "
                                                                                    "watch NAME for ... picks)" : "");
        Curve cv = { title, "pass", { c->v, c->n, NAN, false }, { NULL, 0, NAN, false }, false, s->log_scale };
        draw_curve(g, (Rect){ y, 0, h, W }, &cv);
        y += h;
    }
}

void view_draw_facts(const Snapshot *s, Grid *g, ViewFacts *facts)
{
    grid_clear(g);
    Notes nt = { 0 };
    if (g->rows < VIEW_MIN_ROWS || g->cols < VIEW_MIN_COLS) {
        draw_too_small(g);
    } else {
        if (s->kind == VIEW_LOOP)
            draw_loop(s, g, &nt);
        else
            draw_training(s, g, &nt);
        draw_status(s, g, &nt);
        draw_help(s, g, nt.weight_lines > nt.weight_rows);
    }
    if (facts) {
        facts->weight_lines = nt.weight_lines;
        facts->weight_rows = nt.weight_rows;
    }
}

void view_draw(const Snapshot *s, Grid *g)
{
    view_draw_facts(s, g, NULL);
}
