/* render.c - wrapping CommonMark for the terminal. */
#include "nudge/render.h"

#include <cmark.h>
#include <string.h>

#include "nudge/mem.h"
#include "nudge/text.h"

#define SGR_BOLD "\x1b[1m"
#define SGR_NOBOLD "\x1b[22m"
#define SGR_ITALIC "\x1b[3m"
#define SGR_NOITALIC "\x1b[23m"
#define SGR_CODE "\x1b[36m"
#define SGR_NOCODE "\x1b[39m"

typedef struct Wrap {
    Text *out;
    int width;
    int indent;          /* columns every continuation line starts at */
    int col;             /* the current column; 0 at a line's start */
    const char *marker;  /* printed once at the next line start (list bullets) */
    bool space;          /* a space is owed before the next word */
    bool color;
} Wrap;

static int columns(const char *s, size_t n)
{
    int c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
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

/* One unbreakable piece of text with a style around it. */
static void word(Wrap *w, const char *s, size_t n, const char *on, const char *off)
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
    if (on && w->color)
        text_puts(w->out, on);
    text_append(w->out, s, n);
    if (off && w->color)
        text_puts(w->out, off);
    w->col += len;
}

static void words(Wrap *w, const char *s, const char *on, const char *off)
{
    while (*s) {
        if (*s == ' ' || *s == '\n' || *s == '\t') {
            w->space = true;
            s++;
            continue;
        }
        const char *q = s;
        while (*q && *q != ' ' && *q != '\n' && *q != '\t')
            q++;
        word(w, s, (size_t)(q - s), on, off);
        s = q;
    }
}

static void inlines(Wrap *w, cmark_node *parent, const char *on, const char *off)
{
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
            words(w, cmark_node_get_literal(n), on, off);
            break;
        case CMARK_NODE_CODE: {
            const char *lit = cmark_node_get_literal(n);
            if (w->color) {
                words(w, lit, SGR_CODE, SGR_NOCODE);
            } else {
                Text t = {0};
                text_printf(&t, "`%s`", lit);
                if (!t.failed)
                    words(w, t.s, NULL, NULL);
                text_free(&t);
            }
            break;
        }
        case CMARK_NODE_STRONG:
            inlines(w, n, SGR_BOLD, SGR_NOBOLD);
            break;
        case CMARK_NODE_EMPH:
            inlines(w, n, SGR_ITALIC, SGR_NOITALIC);
            break;
        case CMARK_NODE_SOFTBREAK:
            w->space = true;
            break;
        case CMARK_NODE_LINEBREAK:
            newline(w);
            break;
        case CMARK_NODE_LINK: {
            inlines(w, n, on, off);
            const char *url = cmark_node_get_url(n);
            if (url && *url) {
                Text t = {0};
                text_printf(&t, "(%s)", url);
                if (!t.failed) {
                    w->space = true;
                    words(w, t.s, NULL, NULL);
                }
                text_free(&t);
            }
            break;
        }
        default:
            inlines(w, n, on, off);
            break;
        }
    }
}

static void block(Wrap *w, cmark_node *n, bool tight);

static void children(Wrap *w, cmark_node *parent, bool tight)
{
    for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c))
        block(w, c, tight);
}

static bool is_lesson_block(cmark_node *n)
{
    if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
        return false;
    const char *info = cmark_node_get_fence_info(n);
    return info && (!strcmp(info, "nudge") || !strcmp(info, "expect") || !strcmp(info, "hint")
                    || !strcmp(info, "quiz"));
}

static void block(Wrap *w, cmark_node *n, bool tight)
{
    if (is_lesson_block(n))
        return;     /* the engine shows these its own way */
    int saved_indent = w->indent;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_PARAGRAPH:
        inlines(w, n, NULL, NULL);
        if (w->col)
            newline(w);
        if (!tight)
            newline(w);
        break;
    case CMARK_NODE_HEADING:
        inlines(w, n, SGR_BOLD, SGR_NOBOLD);
        if (w->col)
            newline(w);
        newline(w);
        break;
    case CMARK_NODE_LIST: {
        bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
        int num = cmark_node_get_list_start(n);
        bool list_tight = cmark_node_get_list_tight(n);
        for (cmark_node *item = cmark_node_first_child(n); item; item = cmark_node_next(item)) {
            char marker[16];
            if (ordered)
                snprintf(marker, sizeof marker, "%d. ", num++);
            else
                snprintf(marker, sizeof marker, "• ");
            w->indent = saved_indent + columns(marker, strlen(marker)) + 2;
            w->marker = marker;
            children(w, item, list_tight);
            w->marker = NULL;
            w->indent = saved_indent;
        }
        if (list_tight)
            newline(w);
        break;
    }
    case CMARK_NODE_BLOCK_QUOTE:
        w->indent = saved_indent + 2;
        children(w, n, tight);
        w->indent = saved_indent;
        break;
    case CMARK_NODE_CODE_BLOCK: {
        const char *lit = cmark_node_get_literal(n);
        for (const char *p = lit; p && *p;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            text_pad(w->out, (size_t)saved_indent + 4);
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
        break;
    }
    case CMARK_NODE_THEMATIC_BREAK: {
        text_pad(w->out, (size_t)saved_indent);
        for (int i = saved_indent; i < w->width && i < saved_indent + 40; i++)
            text_puts(w->out, "─");
        newline(w);
        newline(w);
        break;
    }
    default:
        break;
    }
}

char *render_blocks(cmark_node *first, cmark_node *stop, int width, bool color, Error *e)
{
    Text out = {0};
    Wrap w = { &out, width < 30 ? 30 : width, 2, 0, NULL, false, color };
    for (cmark_node *n = first; n && n != stop; n = cmark_node_next(n))
        block(&w, n, false);
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
