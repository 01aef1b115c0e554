/* csv.c - load_csv: a CSV file of numbers into a matrix. */
#include "nudge/csv.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nudge/mem.h"

/* Longer fields are cut to this many bytes when quoted in a message, so that
 * the position and the file name still fit in an Error. */
enum { QUOTE_MAX = 40 };

typedef struct CsvParser {
    const char *name;   /* the file name in messages */
    Error *e;
    double *data;       /* values of the data lines so far, row-major */
    size_t count, cap;  /* values stored, and room for */
    bool over;          /* more than TENSOR_MAX_ELEMS values: stop storing */
    size_t rows, cols;  /* cols is the first data line's field count */
    int first_line;     /* the file's line number of the first data line */
} CsvParser;

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int column(const char *line, const char *at)
{
    return (int)(at - line) + 1;
}

/* Fills e with "load_csv: NAME:LINE:COL: ..." (":COL" left out when col is 0)
 * and records the position; returns false. */
static bool fail_at(CsvParser *p, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static bool fail_at(CsvParser *p, int line, int col, const char *fmt, ...)
{
    char what[ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (col > 0)
        error_set_in(p->e, ERROR_SYNTAX, "load_csv", "%s:%d:%d: %s", p->name, line, col, what);
    else
        error_set_in(p->e, ERROR_SYNTAX, "load_csv", "%s:%d: %s", p->name, line, what);
    if (p->e) {
        p->e->line = line;
        p->e->col = col;
    }
    return false;
}

/* A NUL would end strtod's view of the text early and usually means a
 * binary file, so the whole text is checked up front, comments included. */
static bool check_no_nul(CsvParser *p, const char *text, size_t len)
{
    const char *nul = memchr(text, '\0', len);
    if (!nul)
        return true;
    int line = 1;
    const char *start = text;
    for (const char *c = text; c < nul; c++)
        if (*c == '\n') {
            line++;
            start = c + 1;
        }
    return fail_at(p, line, column(start, nul), "unexpected byte 0x00");
}

/* Reads [a, b) as one number.  The text after b is a blank, ',', '\r', '\n'
 * or the terminating NUL, none of which can extend a number, so strtod stops
 * at b exactly when the field is a whole number. */
static bool field_number(const char *a, const char *b, double *out)
{
    /* strtod would skip a leading '\r', '\v' or '\f'; a field must not. */
    if (a == b || isspace((unsigned char)*a))
        return false;
    char *stop;
    double v = strtod(a, &stop);
    if (stop != b)
        return false;
    *out = v;
    return true;
}

/* Narrows [*a, *b) to the field without its surrounding blanks. */
static void trim(const char **a, const char **b)
{
    while (*a < *b && is_blank(**a))
        (*a)++;
    while (*b > *a && is_blank((*b)[-1]))
        (*b)--;
}

/* Where the field that starts at f ends: the next ',' or the row's end,
 * outside a quoted part (RFC 4180: a field may be enclosed in '"', with
 * '""' for a quote inside it, and may then hold commas and newlines). */
static const char *field_end(const char *f, const char *end)
{
    bool quoted = false;
    for (const char *c = f; c < end; c++) {
        if (*c == '"')
            quoted = !quoted;       /* '""' toggles twice */
        else if (*c == ',' && !quoted)
            return c;
    }
    return end;
}

/* The text of the field [a, b) (blanks trimmed): without its quotes when
 * it is quoted.  Sets *quoted. */
static void field_text(const char **a, const char **b, bool *quoted)
{
    trim(a, b);
    *quoted = *b - *a >= 2 && **a == '"' && (*b)[-1] == '"';
    if (*quoted) {
        (*a)++;
        (*b)--;
        trim(a, b);
    }
}

/* Where the row that starts at s ends (its '\n', or stop), with newlines
 * inside quotes part of the row; NULL when a quote is still open at the end
 * of the text, with *open at that quote. */
static const char *row_end(const char *s, const char *stop, const char **open)
{
    bool quoted = false;
    const char *at = NULL;
    for (const char *c = s; c < stop; c++) {
        if (*c == '"') {
            quoted = !quoted;
            at = c;
        } else if (*c == '\n' && !quoted) {
            return c;
        }
    }
    if (quoted) {
        *open = at;
        return NULL;
    }
    return stop;
}

/* auto_header's test: does any field of the line [s, end) read as a number
 * (quoted or not)? */
static bool line_has_number(const char *s, const char *end)
{
    for (const char *f = s;;) {
        const char *comma = field_end(f, end);
        const char *a = f, *b = comma;
        bool quoted;
        double v;
        field_text(&a, &b, &quoted);
        if (field_number(a, b, &v))
            return true;
        if (comma == end)
            return false;
        f = comma + 1;
    }
}

static bool push_value(CsvParser *p, double v)
{
    if (p->over || p->count == TENSOR_MAX_ELEMS) {
        /* Keep reading to count the rows (and find any syntax error);
         * the caller reports the size from the full shape. */
        p->over = true;
        return true;
    }
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        if (cap > TENSOR_MAX_ELEMS)
            cap = TENSOR_MAX_ELEMS;
        double *data = mem_realloc(p->data, cap, sizeof *data);
        if (!data)
            return error_nomem(p->e, "load_csv");
        p->data = data;
        p->cap = cap;
    }
    p->data[p->count++] = v;
    return true;
}

/* The line and column of at, in a row that starts at s on line `line`
 * (a quoted field may have taken the row over several lines). */
static int row_column(const char *s, const char *at, int *line)
{
    const char *start = s;
    for (const char *c = s; c < at; c++)
        if (*c == '\n') {
            (*line)++;
            start = c + 1;
        }
    return column(start, at);
}

/* row -> field (',' field)*, for the row [s, end) starting on line `line`. */
static bool parse_row(CsvParser *p, const char *s, const char *end, int line)
{
    size_t n = 0;
    for (const char *f = s;;) {
        const char *comma = field_end(f, end);
        const char *a = f, *b = comma;
        bool quoted;
        double v;
        field_text(&a, &b, &quoted);
        /* An empty field starts right after its comma; a bad one is shown
         * where its text starts, past any blanks. */
        if (a == b) {
            int at = line;
            int col = row_column(s, f, &at);
            return fail_at(p, at, col, "empty field");
        }
        if (!field_number(a, b, &v)) {
            size_t w = (size_t)(b - a);
            int at = line;
            int col = row_column(s, quoted ? a - 1 : a, &at);
            return fail_at(p, at, col, "'%.*s%s' is not a number",
                           (int)(w > QUOTE_MAX ? QUOTE_MAX - 3 : w), a,
                           w > QUOTE_MAX ? "..." : "");
        }
        if (!push_value(p, v))
            return false;
        n++;
        if (comma == end)
            break;
        f = comma + 1;
    }
    if (p->rows == 0) {
        p->cols = n;
        p->first_line = line;
    } else if (n != p->cols) {
        return fail_at(p, line, 0, "%zu value%s, but line %d has %zu", n, n == 1 ? "" : "s",
                       p->first_line, p->cols);
    }
    p->rows++;
    return true;
}

/* The parser proper.  text[len] must be '\0' so that strtod can read fields
 * in place (see field_number). */
static Tensor *parse_text(const char *text, size_t len, const char *name, const CsvOptions *opt,
                          Error *e)
{
    CsvParser p = { .name = name, .e = e };
    if (!check_no_nul(&p, text, len))
        return NULL;
    bool header = opt && opt->header, auto_header = opt && opt->auto_header;
    const char *s = text, *stop = text + len;
    /* A byte-order mark, as spreadsheets write at the start of a UTF-8
     * file, is not part of the first field. */
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        s += 3;
    for (int line = 1; s < stop;) {
        const char *open = NULL;
        const char *first = s;
        while (first < stop && is_blank(*first))
            first++;
        /* A comment is one line, whatever quotes it holds. */
        const char *nl = first < stop && *first == '#' ? memchr(first, '\n', (size_t)(stop - first))
                                                       : row_end(s, stop, &open);
        if (!nl && *first == '#')
            nl = stop;
        if (!nl) {
            int at = line;
            int col = row_column(s, open, &at);
            mem_free(p.data);
            fail_at(&p, at, col, "a quote (\") that is never closed");
            return NULL;
        }
        const char *end = nl, *next = nl < stop ? nl + 1 : stop;
        if (end > s && end[-1] == '\r')
            end--;
        if (first > end)
            first = end;
        bool skip = first == end || *first == '#';
        if (!skip && (header || auto_header)) {
            skip = header || !line_has_number(s, end);
            header = auto_header = false;
        }
        if (!skip && !parse_row(&p, s, end, line)) {
            mem_free(p.data);
            return NULL;
        }
        for (const char *c = s; c < next; c++)
            line += *c == '\n';
        s = next;
    }
    Tensor *t = NULL;
    if (p.rows == 0)
        error_set_in(e, ERROR_SYNTAX, "load_csv", "%s has no rows of numbers", name);
    else if (p.over)
        /* rows x cols is past TENSOR_MAX_ELEMS, so this fails and words
         * the limit error the same way every other tensor does. */
        tensor_delete(tensor_matrix(p.rows, p.cols, e));
    else
        t = tensor_from(2, p.rows, p.cols, p.data, e);
    mem_free(p.data);
    return t;
}

static bool fail_too_large(Error *e, const char *name)
{
    return error_set_in(e, ERROR_LIMIT, "load_csv", "%s is larger than 64 MiB", name);
}

Tensor *csv_parse(const char *text, size_t len, const char *name, const CsvOptions *opt, Error *e)
{
    error_clear(e);
    if (!name)
        name = "<text>";
    if (len > CSV_MAX_BYTES) {
        fail_too_large(e, name);
        return NULL;
    }
    /* A private NUL-terminated copy lets strtod read the fields in place. */
    char *copy = mem_alloc(len + 1);
    if (!copy) {
        error_nomem(e, "load_csv");
        return NULL;
    }
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    Tensor *t = parse_text(copy, len, name, opt, e);
    mem_free(copy);
    return t;
}

/* Reads all of f into a new NUL-terminated buffer owned by the caller.  A
 * regular file is read with one fread into a buffer of its size; anything
 * else (a pipe) grows the buffer geometrically up to the limit. */
static char *read_all(FILE *f, const char *path, size_t *len, Error *e)
{
    struct stat st;
    size_t cap = 4096;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
        if ((unsigned long long)st.st_size > CSV_MAX_BYTES) {
            fail_too_large(e, path);
            return NULL;
        }
        /* One byte for the NUL and one to see the end of file. */
        cap = (size_t)st.st_size + 2;
    }
    char *buf = mem_alloc(cap);
    if (!buf) {
        error_nomem(e, "load_csv");
        return NULL;
    }
    size_t n = 0;
    for (;;) {
        if (n > CSV_MAX_BYTES) {
            fail_too_large(e, path);
            mem_free(buf);
            return NULL;
        }
        if (cap - n < 2) {
            size_t grown = cap * 2 > CSV_MAX_BYTES + 2 ? CSV_MAX_BYTES + 2 : cap * 2;
            char *more = mem_realloc(buf, grown, 1);
            if (!more) {
                mem_free(buf);
                error_nomem(e, "load_csv");
                return NULL;
            }
            buf = more;
            cap = grown;
        }
        size_t want = cap - 1 - n;
        size_t got = fread(buf + n, 1, want, f);
        n += got;
        if (got < want) {
            if (ferror(f)) {
                error_set_in(e, ERROR_IO, "load_csv", "cannot read '%s': %s", path, strerror(errno));
                mem_free(buf);
                return NULL;
            }
            break;
        }
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

Tensor *csv_load(const char *path, const CsvOptions *opt, Error *e)
{
    error_clear(e);
    FILE *f = fopen(path, "rb");
    if (!f) {
        error_set_in(e, ERROR_IO, "load_csv", "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    size_t len = 0;
    char *text = read_all(f, path, &len, e);
    fclose(f);
    if (!text)
        return NULL;
    Tensor *t = parse_text(text, len, path, opt, e);
    mem_free(text);
    return t;
}
