/* commands.c - help, vars, clear, format, run, save, load, plot, quit. */
#include "nudge/commands.h"

#include <stdio.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/chart.h"
#include "nudge/graph.h"
#include "nudge/mem.h"
#include "nudge/text.h"

static bool cmd_help(Interp *in, const char *arg, Error *e);

char *commands_path_arg(const char *arg, const char *who, Error *e)
{
    const char *p = arg;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p) {
        error_set(e, ERROR_ARG, "%s: which file? (for example: %s \"work.nd\")", who, who);
        return NULL;
    }
    const char *start = p, *end;
    if (*p == '"' || *p == '\'') {
        char q = *p;
        start = ++p;
        while (*p && *p != q)
            p++;
        if (!*p) {
            error_set(e, ERROR_SYNTAX, "%s: the file name has no closing quote", who);
            return NULL;
        }
        end = p++;
    } else {
        while (*p && *p != ' ' && *p != '\t')
            p++;
        end = p;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p) {
        error_set(e, ERROR_ARG, "%s: one file name only (put names with spaces in quotes)", who);
        e->col = (int)(p - arg) + 1;
        return NULL;
    }
    char *s = mem_alloc((size_t)(end - start) + 1);
    if (!s) {
        error_nomem(e, who);
        return NULL;
    }
    memcpy(s, start, (size_t)(end - start));
    s[end - start] = '\0';
    return s;
}

/* Characters on screen of a UTF-8 string (every character one column). */
static size_t display_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static bool no_arg(const char *arg, const char *who, Error *e)
{
    if (!*arg)
        return true;
    return error_set(e, ERROR_ARG, "%s takes nothing after it", who);
}

static bool cmd_vars(Interp *in, const char *arg, Error *e)
{
    if (!no_arg(arg, "vars", e))
        return false;
    if (in->nvars == 0) {
        interp_write(in, "no variables yet: try  a = [3, -1, 2]\n");
        return true;
    }
    size_t wn = 4;
    for (size_t i = 0; i < in->nvars; i++)
        if (display_width(in->vars[i].name) > wn)
            wn = display_width(in->vars[i].name);
    interp_printf(in, "  %-*s  %-10s  %-8s  %s\n", (int)wn, "name", "kind", "shape", "value");
    for (size_t i = 0; i < in->nvars; i++) {
        const Value *v = &in->vars[i].value;
        char shape[48] = "";
        if (v->kind == VALUE_TENSOR)
            tensor_shape_str(v->as.tensor, shape, sizeof shape);
        else if (v->kind == VALUE_MLP)
            snprintf(shape, sizeof shape, "%zu-%zu-%zu", v->as.mlp->n_in, v->as.mlp->n_hidden, v->as.mlp->n_out);
        else if (v->kind == VALUE_PERCEPTRON)
            snprintf(shape, sizeof shape, "(%zu,)", tensor_size(v->as.perceptron->w));
        char *preview = value_inline(v, FORMAT_SHORT, e);
        if (!preview)
            return false;
        /* Keep each line to about 80 columns. */
        int room = 80 - (int)wn - 28;
        if (room < 10)
            room = 10;
        if ((int)strlen(preview) > room)
            strcpy(preview + room - 3, "...");
        /* Pad by characters, not bytes, so Greek names line up. */
        size_t pad = wn - display_width(in->vars[i].name);
        interp_printf(in, "  %s%*s  %-10s  %-8s  %s\n", in->vars[i].name, (int)pad, "", value_kind_name(v), shape, preview);
        mem_free(preview);
    }
    return true;
}

static bool cmd_clear(Interp *in, const char *arg, Error *e)
{
    if (!*arg) {
        while (in->nvars)
            interp_clear(in, in->vars[0].name);
        return true;
    }
    /* Check every name first, so that a typo clears nothing. */
    const char *p = arg;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *q = p;
        while (*q && *q != ' ')
            q++;
        if (q > p) {
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(q - p), p);
            if (!interp_get(in, name)) {
                error_set(e, ERROR_NAME, "clear: there is no variable '%s'", name);
                e->col = (int)(p - arg) + 1;
                return false;
            }
        }
        p = q;
    }
    for (p = arg; *p;) {
        while (*p == ' ')
            p++;
        const char *q = p;
        while (*q && *q != ' ')
            q++;
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(q - p), p);
        if (q > p)
            interp_clear(in, name);
        p = q;
    }
    return true;
}

static bool cmd_format(Interp *in, const char *arg, Error *e)
{
    if (!*arg) {
        interp_printf(in, "format is %s\n", in->format == FORMAT_LONG ? "long" : "short");
        return true;
    }
    if (!strcmp(arg, "short"))
        in->format = FORMAT_SHORT;
    else if (!strcmp(arg, "long"))
        in->format = FORMAT_LONG;
    else
        return error_set(e, ERROR_ARG, "format: '%s' is not a format; use short (5 digits) or long (every digit)", arg);
    return true;
}

/* The file argument of a command, resolved beside the running script. */
static char *file_arg(Interp *in, const char *arg, const char *who, Error *e)
{
    char *raw = commands_path_arg(arg, who, e);
    if (!raw)
        return NULL;
    char *path = interp_resolve_path(in, raw);
    mem_free(raw);
    if (!path)
        error_nomem(e, who);
    return path;
}

static bool cmd_run(Interp *in, const char *arg, Error *e)
{
    char *path = file_arg(in, arg, "run", e);
    if (!path)
        return false;
    Error inner;
    error_clear(&inner);
    bool ok = interp_run_file(in, path, false, false, in->report, in->report_ctx, &inner);
    if (!ok) {
        if (!in->report || inner.line == 0) {
            error_set(e, inner.code, "%s", inner.msg);     /* nothing shown yet */
            e->shown = inner.shown;
        } else {
            /* The script's own error was shown where it happened; a script
             * that runs scripts does not repeat it at every level. */
            error_set(e, inner.code, "run: '%s' stopped at line %d", path, inner.line);
            e->shown = inner.shown || in->run_depth > 0;
        }
    }
    mem_free(path);
    return ok;
}

static bool cmd_load(Interp *in, const char *arg, Error *e)
{
    char *path = file_arg(in, arg, "load", e);
    if (!path)
        return false;
    Error inner;
    error_clear(&inner);
    bool ok = interp_run_file(in, path, false, false, NULL, NULL, &inner);
    if (ok)
        interp_printf(in, "loaded '%s' (%zu variable%s now)\n", path, in->nvars, in->nvars == 1 ? "" : "s");
    else if (inner.line > 0)
        error_set(e, inner.code, "load: %s:%d:%d: %s", path, inner.line, inner.col, inner.msg);
    else
        error_set(e, inner.code, "load: %s", !strncmp(inner.msg, "run: ", 5) ? inner.msg + 5 : inner.msg);
    mem_free(path);
    return ok;
}

static bool cmd_save(Interp *in, const char *arg, Error *e)
{
    char *path = commands_path_arg(arg, "save", e);
    if (!path)
        return false;
    size_t saved = 0;
    bool ok = interp_save(in, path, &saved, e);
    if (ok)
        interp_printf(in, "saved %zu variable%s to '%s'\n", saved, saved == 1 ? "" : "s", path);
    mem_free(path);
    return ok;
}

static bool cmd_plot(Interp *in, const char *arg, Error *e)
{
    if (!strcmp(arg, "loss")) {
        if (in->nlosses == 0)
            return error_set(e, ERROR_ARG, "plot loss: nothing trained yet; run train(...) first");
        int w = in->width > 20 ? in->width - 12 : 60;
        char title[96];
        snprintf(title, sizeof title, "loss over %zu epoch%s of the last training run", in->nlosses,
                 in->nlosses == 1 ? "" : "s");
        char *c = chart_columns(in->losses, in->nlosses, w > 100 ? 100 : w, 8, title, e);
        if (!c)
            return false;
        interp_write(in, c);
        mem_free(c);
        return true;
    }
    Text src = {0};
    text_printf(&src, "plot(%s)", arg);
    if (src.failed) {
        text_free(&src);
        return error_nomem(e, "plot");
    }
    bool ok = interp_run(in, src.s, e);
    if (!ok && e->col > 5)
        e->col -= 5;    /* report columns in the user's text, not "plot(" */
    text_free(&src);
    return ok;
}

/* Evaluates a command's argument to a value that has a history. */
static bool history_arg(Interp *in, const char *arg, const char *who, Value *v, Error *e)
{
    if (!*arg)
        return error_set(e, ERROR_ARG, "%s: of what? (for example: %s L)", who, who);
    if (!interp_eval_source(in, arg, v, e))
        return false;
    if (v->graph)
        return true;
    value_free(v);
    return error_set(e, ERROR_ARG, "%s: %s has no history (it was typed in, not computed); compute it from "
                                   "variables first, as in L = (x*w1 + b1)*w2 + b2", who, arg);
}

static bool cmd_graph(Interp *in, const char *arg, Error *e)
{
    Value v;
    if (!history_arg(in, arg, "graph", &v, e))
        return false;
    char *s = graph_draw(v.graph, arg, in->width > 0 ? in->width : 80, e);
    value_free(&v);
    if (!s)
        return false;
    interp_write(in, s);
    mem_free(s);
    return true;
}

static bool cmd_backprop(Interp *in, const char *arg, Error *e)
{
    Value v;
    if (!history_arg(in, arg, "backprop", &v, e))
        return false;
    size_t n;
    char **steps = graph_backprop_steps(v.graph, arg, &n, e);
    value_free(&v);
    if (!steps) {
        if (!strncmp(e->msg, "grad: ", 6))
            memmove(e->msg + 4, e->msg + 2, strlen(e->msg + 2) + 1), memcpy(e->msg, "backprop", 8);
        return false;
    }
    interp_printf(in, "Backpropagation through %s, from the output back: each node once, its gradient "
                      "passed to its inputs.\n", arg);
    size_t shown = 0;
    for (; shown < n; shown++) {
        interp_write(in, steps[shown]);
        if (shown + 1 < n && in->pause) {
            /* Waiting says so, or the screen looks stuck. */
            interp_printf(in, "%s(Enter: the next node, q: stop)%s", in->color ? "\x1b[2m" : "",
                          in->color ? "\x1b[0m " : " ");
            if (!in->pause(in->pause_ctx))
                break;
        }
    }
    if (shown >= n)
        interp_printf(in, "%zu nodes, each visited once: the gradients of the variables are the sums that reached "
                          "them (grad gives them too).\n", n);
    graph_free_steps(steps, n);
    return true;
}

/* The text of a "quoted" argument, or the bare text. */
static char *message_arg(const char *arg, const char *who, Error *e)
{
    if (*arg == '"' || *arg == '\'')
        return commands_path_arg(arg, who, e);
    return mem_strdup(arg);
}

static bool cmd_pause(Interp *in, const char *arg, Error *e)
{
    char *msg = message_arg(arg, "pause", e);
    if (!msg)
        return *arg ? false : error_nomem(e, "pause");
    if (!in->pause) {       /* --no-pause, or nobody at a terminal */
        if (*msg)
            interp_printf(in, "%s\n", msg);
        mem_free(msg);
        return true;
    }
    interp_printf(in, "%s%s%s", in->color ? "\x1b[2m" : "", *msg ? msg : "(press Enter to go on)",
                  in->color ? "\x1b[0m " : " ");
    mem_free(msg);
    in->pause(in->pause_ctx);
    return true;
}

static bool cmd_say(Interp *in, const char *arg, Error *e)
{
    char *msg = message_arg(arg, "say", e);
    if (!msg)
        return false;
    interp_printf(in, "%s%s%s\n", in->color ? "\x1b[1;33m" : "", msg, in->color ? "\x1b[0m" : "");
    mem_free(msg);
    return true;
}

static bool cmd_quit(Interp *in, const char *arg, Error *e)
{
    (void)arg;
    (void)e;
    in->quit = true;
    return true;
}

static const Command core[] = {
    { "help", cmd_help, "help [name]",
      "Lists everything nudge knows, grouped by chapter; `help NAME` explains one function or command "
      "with a worked example." },
    { "vars", cmd_vars, "vars", "Lists your variables with their kind, shape and value." },
    { "clear", cmd_clear, "clear [name ...]", "Forgets the named variables, or all of them." },
    { "format", cmd_format, "format short|long",
      "`format short` (the default) shows 5 significant digits; `format long` shows every digit "
      "of each number, the shortest decimal that reads back as exactly the same double." },
    { "run", cmd_run, "run FILE", "Runs a nudge script, stopping at its first error." },
    { "save", cmd_save, "save FILE",
      "Writes every variable (models included) to FILE as a nudge script, at full precision. The "
      "file is written whole or not at all." },
    { "load", cmd_load, "load FILE", "Runs a file written by save, bringing its variables back." },
    { "plot", cmd_plot, "plot loss | plot(v)",
      "`plot loss` charts the loss of the last training run; `plot(v)` charts the values of v." },
    { "graph", cmd_graph, "graph f",
      "Draws how f was computed, as a tree: each operation with its value and, once grad or backprop "
      "has run, its gradient." },
    { "backprop", cmd_backprop, "backprop f",
      "Walks the history of f from the output back, one node at a time: the incoming gradient, the "
      "local derivative and what is passed on, each node visited once." },
    { "pause", cmd_pause, "pause [\"message\"]",
      "Shows the message and waits for Enter, for demos in front of a class. It does not wait when "
      "nudge runs with --no-pause or without a terminal." },
    { "say", cmd_say, "say \"text\"", "Prints a line of narration (highlighted on a colour terminal), for demos." },
    { "quit", cmd_quit, "quit", "Leaves nudge (Ctrl-D does too)." },
    { "exit", cmd_quit, "exit", "The same as quit." },
};

const Command *commands_core(size_t *n)
{
    *n = sizeof core / sizeof core[0];
    return core;
}

/* --- help ---------------------------------------------------------------- */

static const char *const chapter_titles[] = {
    [0] = "Tools",
    [1] = "Chapter 1: vectors, dot products and the hyperplane",
    [2] = "Chapter 2: the perceptron",
    [3] = "Chapter 3: gradient descent and the chain rule",
    [4] = "Chapter 4: backpropagation",
    [5] = "Chapter 5: gradients and Jacobians",
    [6] = "Chapter 6: softmax and cross-entropy",
    [7] = "Chapter 7: a two-layer network",
};

/* Writes text wrapped at width columns, each line indented.  Lines that
 * start with two spaces are examples and are written as they are. */
static void write_wrapped(Interp *in, const char *text, int indent, int width)
{
    Text t = {0};
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line);
        if (line[0] == ' ' && line[1] == ' ') {
            text_pad(&t, (size_t)indent);
            text_append(&t, line, (size_t)(end - line));
            text_puts(&t, "\n");
        } else {
            int col = 0;
            for (const char *p = line; p < end;) {
                const char *q = p;
                while (q < end && *q != ' ')
                    q++;
                int len = 0;
                for (const char *r = p; r < q; r++)
                    if (((unsigned char)*r & 0xC0) != 0x80)
                        len++;
                if (col > indent && col + 1 + len > width) {
                    text_puts(&t, "\n");
                    col = 0;
                }
                if (col == 0) {
                    text_pad(&t, (size_t)indent);
                    col = indent;
                } else {
                    text_puts(&t, " ");
                    col++;
                }
                text_append(&t, p, (size_t)(q - p));
                col += len;
                p = q;
                while (p < end && *p == ' ')
                    p++;
            }
            text_puts(&t, "\n");
        }
        line = *end ? end + 1 : end;
    }
    if (!t.failed)
        interp_write(in, t.s);
    text_free(&t);
}

static int help_width(const Interp *in)
{
    int w = in->width > 0 ? in->width : 80;
    return w > 100 ? 100 : w < 40 ? 40 : w;
}

static bool help_overview(Interp *in)
{
    size_t n;
    const Builtin *t = builtin_table(&n);
    interp_write(in, "nudge: type statements such as  a = [3, -1, 2]  or  dot(a, a).\n"
                     "`help NAME` explains one name with an example.\n");
    for (int ch = 1; ch <= 8; ch++) {
        int c = ch == 8 ? 0 : ch;
        Text line = {0};
        for (size_t i = 0; i < n; i++)
            if (t[i].chapter == c && strcmp(t[i].name, "σ"))
                text_printf(&line, "%s%s", line.len ? ", " : "", t[i].name);
        /* Every chapter is named, also one that brings no new function:
         * its lesson is still there to take. */
        if (!line.len && c > 0)
            text_printf(&line, "(no new functions; lesson %d walks through the chapter)", c);
        if (line.len) {
            interp_printf(in, "\n%s\n", chapter_titles[c]);
            if (!line.failed)
                write_wrapped(in, line.s, 2, help_width(in));
        }
        text_free(&line);
    }
    Text cmds = {0};
    for (size_t k = 0; k < in->ntables; k++)
        for (size_t i = 0; i < in->tables[k].n; i++) {
            /* A later table may override a word (quit); list it once. */
            const char *name = in->tables[k].rows[i].name;
            if (interp_find_command(in, name, strlen(name)) == &in->tables[k].rows[i])
                text_printf(&cmds, "%s%s", cmds.len ? ", " : "", name);
        }
    interp_write(in, "\nCommands (a word at the start of a line)\n");
    if (!cmds.failed)
        write_wrapped(in, cmds.s, 2, help_width(in));
    text_free(&cmds);
    interp_write(in, "\nLanguage\n");
    write_wrapped(in,
                  "Numbers 2, -0.5, 1e-3; vectors [3, -1, 2]; matrices [[0, 1], [1, 0]] or [0, 1; 1, 0]. "
                  "name = expr assigns; a trailing ; hides the result. Operators + - * / work element by "
                  "element and broadcast like numpy; ** is power; @ is the matrix product (vector @ vector "
                  "is the dot product); M.T transposes; M[0], M[1, 2], M[:, 0] index from zero. "
                  "Comparisons < <= > >= == != give 1 or 0. @(z) expr makes a function. # starts a comment. "
                  "More in help operators and help indexing.",
                  2, help_width(in));
    return true;
}

/* The builtin or command whose name is closest to word (at most two
 * edits away), or NULL. */
static const char *help_closest(const Interp *in, const char *word)
{
    const char *best = NULL;
    size_t best_d = 3, n;
    const Builtin *t = builtin_table(&n);
    for (size_t i = 0; i < n; i++) {
        size_t d = text_edit_distance(word, t[i].name);
        if (d < best_d) {
            best_d = d;
            best = t[i].name;
        }
    }
    for (size_t k = 0; k < in->ntables; k++)
        for (size_t i = 0; i < in->tables[k].n; i++) {
            size_t d = text_edit_distance(word, in->tables[k].rows[i].name);
            if (d < best_d) {
                best_d = d;
                best = in->tables[k].rows[i].name;
            }
        }
    return best;
}

static bool cmd_help(Interp *in, const char *arg, Error *e)
{
    if (!*arg)
        return help_overview(in);
    const Builtin *b = builtin_find(arg, strlen(arg));
    if (b) {
        interp_printf(in, "%s\n", b->usage);
        write_wrapped(in, b->help, 2, help_width(in));
        if (b->kwargs && *b->kwargs)
            interp_printf(in, "  options: %s\n", b->kwargs);
        return true;
    }
    const Command *c = interp_find_command(in, arg, strlen(arg));
    if (c) {
        interp_printf(in, "%s\n", c->usage);
        write_wrapped(in, c->help, 2, help_width(in));
        return true;
    }
    static const struct { const char *topic, *text; } topics[] = {
        { "operators", "+ - * / ** are element-wise and broadcast as numpy does: a number with "
                       "anything, a vector with each row of a matrix, a column (n x 1) with each column. "
                       "@ is the matrix product: M @ v, v @ M, A @ B, and a @ b for two vectors is their "
                       "dot product. Comparisons give 1 where true and 0 where false." },
        { "indexing", "Indices start at 0 as in numpy. a[0] is the first element, a[-1] the last; "
                      "M[1] is row 1 (a vector), M[1, 2] one number, M[:, 0] column 0, M[0:2] rows 0 "
                      "and 1. You can assign to them: a[0] = 5, net.W1[0, 1] = 0.5." },
        { "format", "format short shows 5 significant digits; format long shows each number exactly." },
    };
    for (size_t i = 0; i < sizeof topics / sizeof topics[0]; i++)
        if (!strcmp(arg, topics[i].topic)) {
            write_wrapped(in, topics[i].text, 0, help_width(in));
            return true;
        }
    const char *near = help_closest(in, arg);
    if (near)
        return error_set(e, ERROR_NAME, "help: nothing is called '%s' (did you mean '%s'?)", arg, near);
    return error_set(e, ERROR_NAME, "help: nothing is called '%s'; type help for the list", arg);
}
