/* grid.c - the character grid the layout fills and the backends paint. */
#include "nudge/view.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/text.h"

bool grid_init(Grid *g, int rows, int cols, Error *e)
{
    g->rows = g->cols = 0;
    g->cells = NULL;
    if (rows <= 0 || cols <= 0)
        return true;
    g->cells = mem_calloc((size_t)rows * (size_t)cols, sizeof *g->cells);
    if (!g->cells)
        return error_nomem(e, "view");
    g->rows = rows;
    g->cols = cols;
    grid_clear(g);
    return true;
}

void grid_free(Grid *g)
{
    mem_free(g->cells);
    g->cells = NULL;
    g->rows = g->cols = 0;
}

void grid_clear(Grid *g)
{
    size_t n = (size_t)g->rows * (size_t)g->cols;
    for (size_t i = 0; i < n; i++) {
        g->cells[i].ch = ' ';
        g->cells[i].role = ROLE_TEXT;
    }
}

void grid_set(Grid *g, int row, int col, uint32_t ch, Role role)
{
    if (row < 0 || col < 0 || row >= g->rows || col >= g->cols)
        return;
    Cell *c = grid_at(g, row, col);
    c->ch = ch;
    c->role = (uint8_t)role;
}

/* Decodes one UTF-8 character at *s, advancing it; invalid bytes read as
 * U+FFFD. */
static uint32_t utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t c = p[0];
    int n = c < 0x80 ? 0 : c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : -1;
    if (n < 0) {
        (*s)++;
        return 0xFFFD;
    }
    if (n > 0)
        c &= 0x3Fu >> n;
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s += i;
            return 0xFFFD;
        }
        c = (c << 6) | (p[i] & 0x3Fu);
    }
    *s += n + 1;
    return c;
}

int grid_putn(Grid *g, int row, int col, int max_cols, Role role, const char *utf8)
{
    int n = 0;
    while (*utf8 && (max_cols < 0 || n < max_cols)) {
        uint32_t c = utf8_next(&utf8);
        grid_set(g, row, col + n, c, role);
        n++;
    }
    return n;
}

int grid_put(Grid *g, int row, int col, Role role, const char *utf8)
{
    return grid_putn(g, row, col, -1, role, utf8);
}

int grid_printf(Grid *g, int row, int col, Role role, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return grid_put(g, row, col, role, buf);
}

void grid_fill(Grid *g, int row, int col, int height, int width, uint32_t ch, Role role)
{
    for (int r = row; r < row + height; r++)
        for (int c = col; c < col + width; c++)
            grid_set(g, r, c, ch, role);
}

void grid_box(Grid *g, int row, int col, int height, int width, const char *title)
{
    if (height < 2 || width < 2)
        return;
    int r2 = row + height - 1, c2 = col + width - 1;
    grid_fill(g, row, col + 1, 1, width - 2, 0x2500, ROLE_BORDER);     /* ─ */
    grid_fill(g, r2, col + 1, 1, width - 2, 0x2500, ROLE_BORDER);
    grid_fill(g, row + 1, col, height - 2, 1, 0x2502, ROLE_BORDER);    /* │ */
    grid_fill(g, row + 1, c2, height - 2, 1, 0x2502, ROLE_BORDER);
    grid_set(g, row, col, 0x256D, ROLE_BORDER);                         /* ╭ */
    grid_set(g, row, c2, 0x256E, ROLE_BORDER);                          /* ╮ */
    grid_set(g, r2, col, 0x2570, ROLE_BORDER);                          /* ╰ */
    grid_set(g, r2, c2, 0x256F, ROLE_BORDER);                           /* ╯ */
    if (title && *title && width > 6) {
        grid_set(g, row, col + 2, ' ', ROLE_BORDER);
        int n = grid_putn(g, row, col + 3, width - 6, ROLE_TITLE, title);
        grid_set(g, row, col + 3 + n, ' ', ROLE_BORDER);
    }
}

int grid_width(const char *utf8)
{
    int n = 0;
    for (; *utf8; utf8++)
        if (((unsigned char)*utf8 & 0xC0) != 0x80)
            n++;
    return n;
}


char *grid_dump(const Grid *g, Error *e)
{
    Text t = {0};
    text_reserve(&t, (size_t)g->rows * ((size_t)g->cols * 3 + 1));
    for (int r = 0; r < g->rows; r++) {
        int end = g->cols;
        while (end > 0 && grid_at(g, r, end - 1)->ch == ' ')
            end--;
        for (int c = 0; c < end; c++)
            text_put_utf8(&t, grid_at(g, r, c)->ch);
        text_append(&t, "\n", 1);
    }
    return text_finish(&t, e);
}
