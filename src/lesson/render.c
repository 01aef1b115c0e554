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

static void words(Wrap *w, const char *s, int style)
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
        word(w, s, (size_t)(q - s), style);
        s = q;
    }
}

/* Words built in a scratch Text: when it ran out of memory, so has the
 * output, or it would come back short without saying so. */
static void scratch_words(Wrap *w, Text *t, int style)
{
    if (t->failed)
        w->out->failed = true;
    else
        words(w, t->s, style);
    text_free(t);
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

static void inlines(Wrap *w, cmark_node *parent, int style)
{
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
            words(w, cmark_node_get_literal(n), style);
            break;
        case CMARK_NODE_CODE: {
            const char *lit = cmark_node_get_literal(n);
            if (w->color) {
                words(w, lit, style | STYLE_CODE);
            } else {
                Text t = {0};
                text_printf(&t, "`%s`", lit);
                scratch_words(w, &t, style);
            }
            break;
        }
        case CMARK_NODE_STRONG:
            inlines(w, n, style | STYLE_BOLD);
            break;
        case CMARK_NODE_EMPH:
            inlines(w, n, style | STYLE_ITALIC);
            break;
        case CMARK_NODE_SOFTBREAK:
            w->space = true;
            break;
        case CMARK_NODE_LINEBREAK:
            newline(w);
            break;
        case CMARK_NODE_LINK: {
            inlines(w, n, style);
            const char *url = cmark_node_get_url(n);
            if (url && *url && !shows_its_url(n, url)) {
                Text t = {0};
                text_printf(&t, "(%s)", url);
                w->space = true;
                scratch_words(w, &t, 0);
            }
            break;
        }
        default:
            inlines(w, n, style);
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
        inlines(w, n, 0);
        if (w->col)
            newline(w);
        if (!tight)
            newline(w);
        break;
    case CMARK_NODE_HEADING:
        inlines(w, n, STYLE_BOLD);
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
        /* A list nested in a tight list's item is as tight as its parent. */
        if (list_tight && !tight)
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
