/* lesson.c - reading lesson files with cmark. */
#include "nudge/lesson.h"

#include <cmark.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/datadir.h"
#include "nudge/mem.h"
#include "nudge/text.h"

static char *dup_range(const char *s, size_t n)
{
    char *c = mem_alloc(n + 1);
    if (c) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

static char *trim_dup(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return dup_range(s, n);
}

/* lesson_split_check, telling a malformed line from a failed allocation
 * (*nomem). */
static bool split_check(const char *line, char **lhs, char **rhs, double *tol, bool *has_tol, bool *nomem);

bool lesson_split_check(const char *line, char **lhs, char **rhs, double *tol, bool *has_tol)
{
    bool nomem;
    return split_check(line, lhs, rhs, tol, has_tol, &nomem);
}

static bool split_check(const char *line, char **lhs, char **rhs, double *tol, bool *has_tol, bool *nomem)
{
    *nomem = false;
    *lhs = *rhs = NULL;
    *has_tol = false;
    *tol = 0;
    int depth = 0;
    const char *eq = NULL;
    for (const char *p = line; *p; p++) {
        if (*p == '(' || *p == '[')
            depth++;
        else if ((*p == ')' || *p == ']') && depth > 0)
            depth--;
        else if (*p == '=' && depth == 0 && p[1] != '=' && p > line && !strchr("=<>!", p[-1])) {
            eq = p;
            break;
        }
    }
    if (!eq)
        return false;
    const char *end = line + strlen(line);
    /* "± 0.01" or "+- 0.01" at the end. */
    const char *pm = strstr(eq, "±");
    size_t pmlen = 2;
    if (!pm) {
        pm = strstr(eq, "+-");
        pmlen = 2;
    }
    if (pm) {
        char *stop;
        double t = strtod(pm + pmlen, &stop);
        while (*stop && isspace((unsigned char)*stop))
            stop++;
        if (stop == pm + pmlen || *stop || !(t >= 0))
            return false;
        *tol = t;
        *has_tol = true;
        end = pm;
    }
    *lhs = trim_dup(line, (size_t)(eq - line));
    *rhs = trim_dup(eq + 1, (size_t)(end - eq - 1));
    *nomem = !*lhs || !*rhs;
    if (!*lhs || !*rhs || !**lhs || !**rhs) {
        mem_free(*lhs);
        mem_free(*rhs);
        *lhs = *rhs = NULL;
        return false;
    }
    return true;
}

void lesson_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mem_free(names[i]);
    mem_free(names);
}

static bool name_byte(unsigned char c)
{
    return c == '_' || isalnum(c) || c >= 0x80;
}

bool lesson_names_read(const char *expr, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    for (const char *p = expr; *p;) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\'') {
            const char *q = p + 1;
            while (*q && *q != *p)
                q += q[0] == '\\' && q[1] ? 2 : 1;
            p = *q ? q + 1 : q;
            continue;
        }
        if (isdigit(c)) {
            /* A number, exponent included: 1e-3 reads no name e. */
            while (isalnum((unsigned char)*p) || *p == '.')
                p++;
            continue;
        }
        if (!name_byte(c)) {
            p++;
            continue;
        }
        const char *start = p;
        while (name_byte((unsigned char)*p))
            p++;
        /* Skip a field (net.W1) and a keyword argument (axis=0). */
        const char *before = start;
        while (before > expr && before[-1] == ' ')
            before--;
        const char *after = p;
        while (*after == ' ')
            after++;
        if ((before > expr && before[-1] == '.') || (after[0] == '=' && after[1] != '='))
            continue;
        size_t len = (size_t)(p - start);
        bool seen = false;
        for (size_t i = 0; i < *n && !seen; i++)
            seen = strlen((*names)[i]) == len && !strncmp((*names)[i], start, len);
        if (seen)
            continue;
        char **grown = mem_realloc(*names, *n + 1, sizeof *grown);
        char *copy = grown ? dup_range(start, len) : NULL;
        if (grown)
            *names = grown;
        if (!copy) {
            lesson_names_free(*names, *n);
            *names = NULL;
            *n = 0;
            return false;
        }
        (*names)[(*n)++] = copy;
    }
    return true;
}

static void step_free(Step *s)
{
    mem_free(s->title);
    mem_free(s->code);
    for (size_t i = 0; i < s->nexpects; i++) {
        mem_free(s->expects[i].lhs);
        mem_free(s->expects[i].rhs);
        lesson_names_free(s->expects[i].names, s->expects[i].nnames);
    }
    mem_free(s->expects);
    for (size_t i = 0; i < s->nhints; i++)
        mem_free(s->hints[i]);
    mem_free(s->hints);
    mem_free(s->hint_lines);
    for (size_t i = 0; i < s->nmistakes; i++) {
        mem_free(s->mistakes[i].code);
        mem_free(s->mistakes[i].message);
    }
    mem_free(s->mistakes);
    mem_free(s->question);
    mem_free(s->answer);
}

void lesson_delete(Lesson *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nsteps; i++)
        step_free(&l->steps[i]);
    mem_free(l->steps);
    mem_free(l->title);
    mem_free(l->path);
    if (l->doc)
        cmark_node_free(l->doc);
    mem_free(l);
}

/* The plain text of a heading (its inline children concatenated). */
static char *heading_text(cmark_node *h)
{
    Text t = {0};
    cmark_iter *it = cmark_iter_new(h);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        const char *lit = cmark_node_get_literal(n);
        if (lit && (cmark_node_get_type(n) == CMARK_NODE_TEXT || cmark_node_get_type(n) == CMARK_NODE_CODE))
            text_puts(&t, lit);
    }
    cmark_iter_free(it);
    return text_finish(&t, NULL);
}

/* "Chapter 3 — The chain rule" reads well as a document's title; nudge
 * shows the number itself, so it keeps "The chain rule". */
static void strip_chapter_prefix(char *title)
{
    if (!title || strncmp(title, "Chapter ", 8))
        return;
    char *p = title + 8;
    while (isdigit((unsigned char)*p))
        p++;
    if (p == title + 8)
        return;
    while (*p == ' ' || *p == ':' || *p == '-' || *p == '.')
        p++;
    if (!strncmp(p, "—", strlen("—")) || !strncmp(p, "–", strlen("–")))
        p += strlen("—");
    while (*p == ' ')
        p++;
    if (*p)
        memmove(title, p, strlen(p) + 1);
}

static bool fail(Error *e, const char *name, int line, const char *msg, const char *detail)
{
    error_set(e, ERROR_SYNTAX, "%s:%d: %s%s", name, line, msg, detail ? detail : "");
    if (e)
        e->line = line;
    return false;
}

static bool add_string(char ***list, size_t *n, const char *s)
{
    char **p = mem_realloc(*list, *n + 1, sizeof *p);
    if (!p)
        return false;
    *list = p;
    if (!(p[*n] = mem_strdup(s)))
        return false;
    (*n)++;
    return true;
}

/* Reads a special fenced block into the step. */
static bool take_block(Step *s, cmark_node *n, const char *info, const char *name, Error *e)
{
    const char *body = cmark_node_get_literal(n);
    int line = cmark_node_get_start_line(n);
    if (!body)
        body = "";
    if (!strcmp(info, "nudge")) {
        Text t = {0};
        if (s->code)
            text_puts(&t, s->code);
        text_puts(&t, body);
        mem_free(s->code);
        s->code = text_finish(&t, e);
        return s->code != NULL;
    }
    if (!strcmp(info, "hint")) {
        int *lines = mem_realloc(s->hint_lines, s->nhints + 1, sizeof *lines);
        if (!lines)
            return error_nomem(e, "lesson");
        s->hint_lines = lines;
        lines[s->nhints] = line;
        return add_string(&s->hints, &s->nhints, body) || error_nomem(e, "lesson");
    }
    if (!strcmp(info, "mistake")) {
        /* The wrong statement, a line "---", then the message. */
        const char *sep = NULL;
        for (const char *p = body; *p;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            char *text = trim_dup(p, len);
            if (!text)
                return error_nomem(e, "lesson");
            bool is_sep = !strcmp(text, "---");
            mem_free(text);
            if (is_sep) {
                sep = p;
                break;
            }
            p += len + (nl ? 1 : 0);
        }
        if (!sep)
            return fail(e, name, line, "a mistake block holds the wrong statement, a line ---, then the message", NULL);
        const char *msg = strchr(sep, '\n');
        Mistake m = { trim_dup(body, (size_t)(sep - body)), trim_dup(msg ? msg + 1 : "", msg ? strlen(msg + 1) : 0),
                      line };
        if (!m.code || !m.message) {
            mem_free(m.code);
            mem_free(m.message);
            return error_nomem(e, "lesson");
        }
        if (!*m.code || !*m.message) {
            mem_free(m.code);
            mem_free(m.message);
            return fail(e, name, line, "a mistake block needs both a wrong statement (before ---) and a message (after it)",
                        NULL);
        }
        Mistake *grown = mem_realloc(s->mistakes, s->nmistakes + 1, sizeof *grown);
        if (!grown) {
            mem_free(m.code);
            mem_free(m.message);
            return error_nomem(e, "lesson");
        }
        s->mistakes = grown;
        s->mistakes[s->nmistakes++] = m;
        return true;
    }
    if (!strcmp(info, "expect")) {
        int ln = line;
        for (const char *p = body; *p;) {
            ln++;
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            char *text = trim_dup(p, len);
            if (!text)
                return error_nomem(e, "lesson");
            if (*text && *text != '#') {
                Expect x;
                memset(&x, 0, sizeof x);
                x.line = ln;
                bool nomem;
                if (!split_check(text, &x.lhs, &x.rhs, &x.tol, &x.has_tol, &nomem)) {
                    if (nomem)
                        error_nomem(e, "lesson");
                    else
                        fail(e, name, ln, "an expect line must read NAME = VALUE (or NAME = VALUE ± TOL), not: ", text);
                    mem_free(text);
                    return false;
                }
                Expect *grown = lesson_names_read(x.lhs, &x.names, &x.nnames)
                                    ? mem_realloc(s->expects, s->nexpects + 1, sizeof *grown) : NULL;
                if (!grown) {
                    mem_free(x.lhs);
                    mem_free(x.rhs);
                    lesson_names_free(x.names, x.nnames);
                    mem_free(text);
                    return error_nomem(e, "lesson");
                }
                s->expects = grown;
                s->expects[s->nexpects++] = x;
            }
            mem_free(text);
            p += len + (nl ? 1 : 0);
        }
        return true;
    }
    /* quiz: question lines, then "answer: EXPR [± TOL]". */
    if (s->question)
        return fail(e, name, line, "a step may hold one quiz", NULL);
    s->quiz_line = line;
    const char *ans = strstr(body, "answer:");
    if (!ans || (ans != body && ans[-1] != '\n'))
        return fail(e, name, line, "a quiz block needs a line 'answer: EXPR' after its question", NULL);
    s->question = trim_dup(body, (size_t)(ans - body));
    const char *a = ans + strlen("answer:");
    const char *nl = strchr(a, '\n');
    char *atext = trim_dup(a, nl ? (size_t)(nl - a) : strlen(a));
    if (!s->question || !atext) {
        mem_free(atext);
        return error_nomem(e, "lesson");
    }
    if (!*s->question || !*atext) {
        mem_free(atext);
        return fail(e, name, line, "a quiz needs a question and an answer", NULL);
    }
    /* Reuse the check splitter on "answer = EXPR ± TOL". */
    Text t = {0};
    text_printf(&t, "answer = %s", atext);
    mem_free(atext);
    char *joined = text_finish(&t, e);
    if (!joined)
        return false;
    char *lhs = NULL;
    bool nomem;
    bool ok = split_check(joined, &lhs, &s->answer, &s->answer_tol, &s->answer_has_tol, &nomem);
    mem_free(lhs);
    mem_free(joined);
    if (!ok && nomem)
        return error_nomem(e, "lesson");
    if (!ok)
        return fail(e, name, line, "the quiz answer must be a value or an expression, optionally with ± TOL", NULL);
    return true;
}

static bool is_special(cmark_node *n, const char **info)
{
    if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
        return false;
    const char *i = cmark_node_get_fence_info(n);
    if (!i)
        return false;
    static const char *const kinds[] = { "nudge", "expect", "hint", "quiz", "mistake" };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (!strcmp(i, kinds[k])) {
            *info = kinds[k];
            return true;
        }
    return false;
}

Lesson *lesson_parse(const char *text, size_t len, const char *name, int chapter, Error *e)
{
    Lesson *l = mem_calloc(1, sizeof *l);
    if (!l) {
        error_nomem(e, "lesson");
        return NULL;
    }
    l->chapter = chapter;
    l->path = mem_strdup(name);
    /* Control characters become \xNN before anything is read: every
     * title, step, hint and statement the tutor prints comes from here, and
     * an escape sequence in a lesson file must not reach the terminal.  In
     * a statement's string literal "\x1b" is the same character again. */
    Text visible = {0};
    text_put_visible(&visible, text, len);
    l->doc = visible.failed ? NULL : cmark_parse_document(visible.s ? visible.s : "", visible.len, CMARK_OPT_DEFAULT);
    text_free(&visible);
    if (!l->path || !l->doc) {
        lesson_delete(l);
        error_nomem(e, "lesson");
        return NULL;
    }
    bool ok = true;
    Step *cur = NULL;
    for (cmark_node *n = cmark_node_first_child(l->doc); n && ok; n = cmark_node_next(n)) {
        int type = (int)cmark_node_get_type(n);
        int level = type == CMARK_NODE_HEADING ? cmark_node_get_heading_level(n) : 0;
        const char *info;
        if (level == 1 && !l->title) {
            l->title = heading_text(n);
            strip_chapter_prefix(l->title);
            l->intro = cmark_node_next(n);
            ok = l->title != NULL || error_nomem(e, "lesson");
        } else if (level == 1) {
            ok = fail(e, name, cmark_node_get_start_line(n), "only one '#' title per lesson; steps are '##'", NULL);
        } else if (level == 2) {
            if (!l->title)
                ok = fail(e, name, cmark_node_get_start_line(n), "the lesson needs a '#' title before its first step", NULL);
            Step *grown = ok ? mem_realloc(l->steps, l->nsteps + 1, sizeof *grown) : NULL;
            if (ok && !grown)
                ok = error_nomem(e, "lesson");
            if (!ok)
                break;
            l->steps = grown;
            cur = &l->steps[l->nsteps++];
            memset(cur, 0, sizeof *cur);
            cur->title = heading_text(n);
            cur->line = cmark_node_get_start_line(n);
            cur->first = cmark_node_next(n);
            if (l->nsteps == 1)
                l->intro_stop = n;
            else
                l->steps[l->nsteps - 2].stop = n;
            if (cur->first == NULL || (cmark_node_get_type(cur->first) == CMARK_NODE_HEADING
                                       && cmark_node_get_heading_level(cur->first) <= 2))
                cur->first = NULL;
            ok = cur->title != NULL || error_nomem(e, "lesson");
        } else if (is_special(n, &info)) {
            if (!cur)
                ok = fail(e, name, cmark_node_get_start_line(n),
                          "this block must be inside a step (after a '##' heading): ", info);
            else
                ok = take_block(cur, n, info, name, e);
        }
    }
    if (ok && !l->title)
        ok = fail(e, name, 1, "the lesson has no '#' title", NULL);
    if (ok && l->nsteps == 0)
        ok = fail(e, name, 1, "the lesson has no steps ('##' headings)", NULL);
    for (size_t i = 0; ok && i < l->nsteps; i++)
        if (l->steps[i].nexpects && !l->steps[i].code)
            ok = fail(e, name, l->steps[i].line, "a step with an expect block needs a nudge block to run", NULL);
    if (!ok) {
        lesson_delete(l);
        return NULL;
    }
    if (l->intro == l->intro_stop)
        l->intro = NULL;
    return l;
}

/* The leading number of a file name such as "03-chain-rule.md", or 0 when
 * it has none or it is too large to be a chapter: "4294967297-x.md" is not
 * chapter 1, as a number cut to 32 bits would make it. */
static int number_of(const char *name)
{
    long n = 0;
    const char *p = name;
    for (; isdigit((unsigned char)*p); p++) {
        n = n * 10 + (*p - '0');
        if (n > LESSON_MAX_CHAPTERS * 10L)
            return 0;
    }
    return p == name || n > LESSON_MAX_CHAPTERS ? 0 : (int)n;
}

static int chapter_of(const char *path)
{
    const char *base = strrchr(path, '/');
    return number_of(base ? base + 1 : path);
}

Lesson *lesson_load(const char *path, Error *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        error_set(e, ERROR_IO, "lesson: cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    Text t = {0};
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && t.len < ((size_t)4 << 20))
        text_append(&t, buf, n);
    bool bad = ferror(f) || t.len >= ((size_t)4 << 20);
    fclose(f);
    if (t.failed && !bad) {
        text_free(&t);
        error_nomem(e, "lesson");
        return NULL;
    }
    if (bad || t.failed) {
        text_free(&t);
        error_set(e, ERROR_IO, "lesson: cannot read '%s' (unreadable or larger than 4 MiB)", path);
        return NULL;
    }
    Lesson *l = lesson_parse(t.s ? t.s : "", t.len, path, chapter_of(path), e);
    text_free(&t);
    return l;
}

char *lesson_find_dir(void)
{
    const char *env = getenv("NUDGE_LESSONS");
    if (env && *env)
        return mem_strdup(env);
    return datadir_find(DATADIR_LESSONS);
}

char *lesson_path(const char *dir, int chapter)
{
    errno = 0;
    if (chapter < 1 || chapter > LESSON_MAX_CHAPTERS)
        return NULL;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char *found = NULL;
    bool nomem = false;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        const char *nm = ent->d_name;
        size_t len = strlen(nm);
        if (len > 3 && !strcmp(nm + len - 3, ".md") && number_of(nm) == chapter) {
            Text t = {0};
            text_printf(&t, "%s/%s", dir, nm);
            mem_free(found);
            found = text_finish(&t, NULL);
            nomem = !found;
            break;
        }
    }
    closedir(d);
    errno = nomem ? ENOMEM : 0;
    return found;
}
