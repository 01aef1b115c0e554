/* render.c - wrapping CommonMark for the terminal.
 *
 * The document is walked with cmark's own iterator, never by recursion, so
 * a lesson file nested 100 000 levels deep (block quotes, lists, emphasis)
 * cannot exhaust the stack; what a container must restore when it closes
 * (the indent, whether its list is tight) is kept on a heap stack.  Lines
 * break only at spaces: a number, a word or an inline code span is never
 * split. */
#include "nudge/render.h"

#include <cmark.h>
#include <stdio.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/text.h"

#define SGR_BOLD "\x1b[1m"
#define SGR_NOBOLD "\x1b[22m"
#define SGR_ITALIC "\x1b[3m"
#define SGR_NOITALIC "\x1b[23m"
#define SGR_CODE "\x1b[36m"
#define SGR_NOCODE "\x1b[39m"

/* Nesting deeper than this indents no further: the text stays readable at
 * the terminal's width however deep the source nests. */
enum { RENDER_MAX_INDENT_LEVELS = 8 };

typedef struct Wrap {
    Text *out;
    int width;
    int indent;          /* columns every continuation line starts at */
    int col;             /* the current column; 0 at a line's start */
    const char *marker;  /* printed once at the next line start (list bullets) */
    char marker_buf[24];
    bool space;          /* a space is owed before the next word */
    bool color;
} Wrap;

/* Columns of s: UTF-8 continuation bytes and ANSI escape sequences take
 * none. */
static int columns(const char *s, size_t n)
{
    int c = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\x1b' && i + 1 < n && s[i + 1] == '[') {
            i += 2;
            while (i < n && !(s[i] >= '@' && s[i] <= '~'))
                i++;
            continue;
        }
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    }
    return c;
}

static void line_start(Wrap *w)
{
    text_pad(w->out, (size_t)w->indent);
    w->col = w->indent;
    if (w->marker && !w->out->failed) {
        /* The bullet hangs in the indent: "  • text". */
        int ml = columns(w->marker, strlen(w->marker));
        w->out->len -= (size_t)(ml <= w->indent ? ml : 0);
        w->out->s[w->out->len] = '\0';
        text_puts(w->out, w->marker);
        w->marker = NULL;
    }
}

static void newline(Wrap *w)
{
    text_puts(w->out, "\n");
    w->col = 0;
    w->space = false;
}

/* Styles nest: inside **bold**, *emphasis* is bold and italic, and so is
 * `code`.  A style is a set of these flags. */
enum { STYLE_BOLD = 1, STYLE_ITALIC = 2, STYLE_CODE = 4 };

static const struct {
    int flag;
    const char *on, *off;
} styles[] = {
    { STYLE_BOLD, SGR_BOLD, SGR_NOBOLD },
    { STYLE_ITALIC, SGR_ITALIC, SGR_NOITALIC },
    { STYLE_CODE, SGR_CODE, SGR_NOCODE },
};

enum { NSTYLES = sizeof styles / sizeof styles[0] };

/* One unbreakable piece of text with a style around it. */
static void word(Wrap *w, const char *s, size_t n, int style)
{
    int len = columns(s, n);
    if (w->col == 0) {
        line_start(w);
    } else if (w->space) {
        if (w->col + 1 + len > w->width) {
            newline(w);
            line_start(w);
        } else {
            text_puts(w->out, " ");
            w->col++;
        }
    }
    w->space = false;
    for (size_t i = 0; w->color && i < NSTYLES; i++)
        if (style & styles[i].flag)
            text_puts(w->out, styles[i].on);
    text_append(w->out, s, n);
    for (size_t i = NSTYLES; w->color && i-- > 0;)
        if (style & styles[i].flag)
            text_puts(w->out, styles[i].off);
    w->col += len;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t';
}

static void words(Wrap *w, const char *s, int style)
{
    while (*s) {
        if (is_space(*s)) {
            w->space = true;
            s++;
            continue;
        }
        const char *q = s;
        while (*q && !is_space(*q))
            q++;
        word(w, s, (size_t)(q - s), style);
        s = q;
    }
}

/* An inline code span is one piece: `a = 2` never ends one line and starts
 * the next.  Only a span wider than the whole line breaks, at its spaces. */
static void code_span(Wrap *w, const char *lit, int style)
{
    Text t = {0};
    if (w->color)
        text_puts(&t, lit);
    else
        text_printf(&t, "`%s`", lit);
    if (t.failed) {
        w->out->failed = true;
        return;
    }
    for (char *p = t.s; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    int style_used = w->color ? style | STYLE_CODE : style;
    if (columns(t.s, t.len) <= w->width - w->indent)
        word(w, t.s, t.len, style_used);
    else
        words(w, t.s, style_used);
    text_free(&t);
}

/* An autolink, <https://…>, is its own text: its address is not shown
 * twice. */
static bool shows_its_url(cmark_node *link, const char *url)
{
    cmark_node *c = cmark_node_first_child(link);
    if (!c || cmark_node_next(c) || cmark_node_get_type(c) != CMARK_NODE_TEXT)
        return false;
    const char *lit = cmark_node_get_literal(c);
    if (!strncmp(url, "mailto:", 7))
        url += 7;
    return lit && !strcmp(lit, url);
}

static bool is_lesson_block(cmark_node *n)
{
    if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
        return false;
    const char *info = cmark_node_get_fence_info(n);
    return info && (!strcmp(info, "nudge") || !strcmp(info, "expect") || !strcmp(info, "hint")
                    || !strcmp(info, "quiz") || !strcmp(info, "mistake") || !strcmp(info, "setup"));
}

static void code_block(Wrap *w, cmark_node *n, bool tight)
{
    const char *lit = cmark_node_get_literal(n);
    for (const char *p = lit; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        line_start(w);      /* shows a list item's bullet when the code comes first */
        text_pad(w->out, 4);
        if (w->color)
            text_puts(w->out, SGR_CODE);
        text_append(w->out, p, len);
        if (w->color)
            text_puts(w->out, SGR_NOCODE);
        text_puts(w->out, "\n");
        p += len + (nl ? 1 : 0);
    }
    w->col = 0;
    if (!tight)
        newline(w);
}

/* What a container puts back when it closes. */
typedef struct Frame {
    int indent;
    bool tight;         /* the context of the container's own blocks */
    bool outer_tight;   /* the context the container sits in */
    int num;            /* an ordered list's next number */
    int level;          /* how many indenting containers enclose this one */
} Frame;

typedef struct Walk {
    Wrap w;
    Frame *stack;
    size_t depth, cap;
    bool tight;         /* paragraphs here keep no blank line after them */
    int level;
    int bold, italic;   /* how many strong / emph nodes enclose the text */
    bool failed;
} Walk;

static Frame *push(Walk *k)
{
    Frame *grown = mem_grow(k->stack, &k->cap, k->depth + 1, sizeof *grown, 16);
    if (!grown) {
        k->failed = true;
        return NULL;
    }
    k->stack = grown;
    Frame *f = &k->stack[k->depth++];
    f->indent = k->w.indent;
    f->tight = k->tight;
    f->outer_tight = k->tight;
    f->num = 0;
    f->level = k->level;
    return f;
}

static int style_of(const Walk *k)
{
    return (k->bold ? STYLE_BOLD : 0) | (k->italic ? STYLE_ITALIC : 0);
}

static void enter(Walk *k, cmark_node *n)
{
    Wrap *w = &k->w;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_BLOCK_QUOTE: {
        Frame *f = push(k);
        if (f && k->level < RENDER_MAX_INDENT_LEVELS) {
            w->indent += 2;
            k->level++;
        }
        break;
    }
    case CMARK_NODE_LIST: {
        Frame *f = push(k);
        if (f) {
            f->num = cmark_node_get_list_start(n);
            f->tight = cmark_node_get_list_tight(n);
        }
        break;
    }
    case CMARK_NODE_ITEM: {
        cmark_node *list = cmark_node_parent(n);
        Frame *f = k->depth ? &k->stack[k->depth - 1] : NULL;
        if (!f)
            break;
        if (list && cmark_node_get_list_type(list) == CMARK_ORDERED_LIST)
            snprintf(w->marker_buf, sizeof w->marker_buf, "%d. ", f->num++);
        else
            snprintf(w->marker_buf, sizeof w->marker_buf, "• ");
        w->indent = f->indent;
        k->level = f->level;
        if (k->level < RENDER_MAX_INDENT_LEVELS) {
            w->indent += columns(w->marker_buf, strlen(w->marker_buf)) + 2;
            k->level++;
        }
        w->marker = w->marker_buf;
        k->tight = f->tight;
        break;
    }
    case CMARK_NODE_HEADING:
        k->bold++;
        break;
    case CMARK_NODE_CODE_BLOCK:
        if (!is_lesson_block(n))
            code_block(w, n, k->tight);
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        text_pad(w->out, (size_t)w->indent);
        for (int i = w->indent; i < w->width && i < w->indent + 40; i++)
            text_puts(w->out, "─");
        newline(w);
        newline(w);
        break;
    case CMARK_NODE_TEXT:
        words(w, cmark_node_get_literal(n), style_of(k));
        break;
    case CMARK_NODE_CODE:
        code_span(w, cmark_node_get_literal(n), style_of(k));
        break;
    case CMARK_NODE_STRONG:
        k->bold++;
        break;
    case CMARK_NODE_EMPH:
        k->italic++;
        break;
    case CMARK_NODE_SOFTBREAK:
        w->space = true;
        break;
    case CMARK_NODE_LINEBREAK:
        newline(w);
        break;
    default:
        break;
    }
}

static void leave(Walk *k, cmark_node *n)
{
    Wrap *w = &k->w;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_PARAGRAPH:
        if (w->col)
            newline(w);
        if (!k->tight)
            newline(w);
        break;
    case CMARK_NODE_HEADING:
        k->bold--;
        if (w->col)
            newline(w);
        newline(w);
        break;
    case CMARK_NODE_STRONG:
        k->bold--;
        break;
    case CMARK_NODE_EMPH:
        k->italic--;
        break;
    case CMARK_NODE_LINK: {
        const char *url = cmark_node_get_url(n);
        if (url && *url && !shows_its_url(n, url)) {
            Text t = {0};
            text_printf(&t, "(%s)", url);
            w->space = true;
            if (t.failed)
                w->out->failed = true;
            else
                words(w, t.s, 0);
            text_free(&t);
        }
        break;
    }
    case CMARK_NODE_ITEM: {
        Frame *f = k->depth ? &k->stack[k->depth - 1] : NULL;
        w->marker = NULL;
        if (f) {
            w->indent = f->indent;
            k->level = f->level;
        }
        break;
    }
    case CMARK_NODE_LIST:
    case CMARK_NODE_BLOCK_QUOTE: {
        if (!k->depth)
            break;
        Frame f = k->stack[--k->depth];
        w->indent = f.indent;
        k->level = f.level;
        k->tight = f.outer_tight;
        /* A list nested in a tight list's item is as tight as its parent. */
        if (cmark_node_get_type(n) == CMARK_NODE_LIST && f.tight && !f.outer_tight)
            newline(w);
        break;
    }
    default:
        break;
    }
}

static void walk(Walk *k, cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    if (!it) {
        k->failed = true;
        return;
    }
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE && !k->failed && !k->w.out->failed) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER)
            enter(k, n);     /* a leaf gets no EXIT event */
        else if (ev == CMARK_EVENT_EXIT)
            leave(k, n);
    }
    cmark_iter_free(it);
}

char *render_blocks(cmark_node *first, cmark_node *stop, int width, bool color, Error *e)
{
    Text out = {0};
    Walk k;
    memset(&k, 0, sizeof k);
    k.w.out = &out;
    k.w.width = width < 30 ? 30 : width;
    k.w.indent = 2;
    k.w.color = color;
    for (cmark_node *n = first; n && n != stop && !k.failed; n = cmark_node_next(n)) {
        k.depth = 0;
        k.tight = false;
        k.level = 0;
        k.bold = k.italic = 0;
        k.w.indent = 2;
        k.w.marker = NULL;
        walk(&k, n);
    }
    mem_free(k.stack);
    if (k.failed) {
        text_free(&out);
        error_nomem(e, "render");
        return NULL;
    }
    /* No trailing blank lines: the engine spaces its own sections. */
    while (out.len > 1 && out.s[out.len - 1] == '\n' && out.s[out.len - 2] == '\n')
        out.s[--out.len] = '\0';
    return text_finish(&out, e);
}

char *render_markdown(const char *markdown, int width, bool color, Error *e)
{
    cmark_node *doc = cmark_parse_document(markdown, strlen(markdown), CMARK_OPT_DEFAULT);
    if (!doc) {
        error_nomem(e, "render");
        return NULL;
    }
    char *s = render_blocks(cmark_node_first_child(doc), NULL, width, color, e);
    cmark_node_free(doc);
    return s;
}

/* --- plain text ------------------------------------------------------------ */

char *render_wrap(const char *text, const char *lead, int hang, int width, Error *e)
{
    Text out = {0};
    if (width < 20)
        width = 20;
    if (hang >= width - 10)
        hang = width - 10;
    text_puts(&out, lead);
    int start = columns(lead, strlen(lead));
    int col = start;
    bool at_start = true;       /* nothing written on this line after its lead or hang */
    for (const char *p = text; *p;) {
        if (*p == '\n') {
            text_puts(&out, "\n");
            text_pad(&out, (size_t)hang);
            col = hang;
            at_start = true;
            p++;
            continue;
        }
        if (*p == ' ') {
            p++;
            continue;
        }
        /* A word runs to the next space, except that a backquoted span
         * runs to its closing backquote. */
        const char *q = p;
        bool quoted = false;
        while (*q && *q != '\n' && (quoted || *q != ' ')) {
            if (*q == '`')
                quoted = !quoted;
            q++;
        }
        if (quoted) {          /* no closing backquote: an ordinary word */
            q = p;
            while (*q && *q != ' ' && *q != '\n')
                q++;
        }
        int len = columns(p, (size_t)(q - p));
        if (!at_start && col + 1 + len > width) {
            text_puts(&out, "\n");
            text_pad(&out, (size_t)hang);
            col = hang;
            at_start = true;
        }
        if (!at_start) {
            text_puts(&out, " ");
            col++;
        }
        text_append(&out, p, (size_t)(q - p));
        col += len;
        at_start = false;
        p = q;
    }
    text_puts(&out, "\n");
    return text_finish(&out, e);
}

char *render_caret(const char *line, size_t len, int col, int indent, int width, Error *e)
{
    Text out = {0};
    /* Columns of each byte: control bytes show as '?', tabs as one space,
     * so the caret's column is the character count. */
    int total = columns(line, len);
    if (col < 1)
        col = 1;
    if (col > total + 1)
        col = total + 1;
    int room = width - indent;
    if (room < 20)
        room = 20;
    int from = 1, to = total;           /* the window of columns shown */
    if (total > room) {
        /* Keep the caret's column about a third of the way in. */
        from = col - room / 3;
        if (from < 1)
            from = 1;
        to = from + room - 1;
        if (to > total) {
            to = total;
            from = to - room + 1;
        }
        if (from > 1)
            from += 1;                  /* room for the leading … */
        if (to < total)
            to -= 1;                    /* and the trailing one */
    }
    text_pad(&out, (size_t)indent);
    if (from > 1)
        text_puts(&out, "…");
    int c = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)line[i];
        if ((b & 0xC0) != 0x80)
            c++;
        if (c < from || c > to)
            continue;
        if (b == '\t')
            text_puts(&out, " ");
        else if (b < 0x20 || b == 0x7f)
            text_puts(&out, "?");
        else
            text_append(&out, &line[i], 1);
    }
    if (to < total)
        text_puts(&out, "…");
    text_puts(&out, "\n");
    text_pad(&out, (size_t)(indent + (from > 1 ? 1 : 0) + (col - from)));
    text_puts(&out, "^\n");
    return text_finish(&out, e);
}
