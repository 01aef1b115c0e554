/* commands.c - help, vars, clear, format, run, save, load, plot, quit. */
#include "nudge/commands.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/chart.h"
#include "nudge/datadir.h"
#include "nudge/graph.h"
#include "nudge/mem.h"
#include "nudge/text.h"
#include "state.h"

static bool cmd_help(Interp *in, void *ctx, const char *arg, Error *e);

char *commands_path_arg(const char *arg, const char *who, Error *e)
{
    const char *p = arg;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p) {
        error_set_in(e, ERROR_ARG, who, "which file? (for example: %s \"work.nd\")", who);
        return NULL;
    }
    const char *start = p, *end;
    if (*p == '"' || *p == '\'') {
        char q = *p;
        start = ++p;
        while (*p && *p != q)
            p++;
        if (!*p) {
            error_set_in(e, ERROR_SYNTAX, who, "the file name has no closing quote");
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
        error_set_in(e, ERROR_ARG, who, "one file name only (put names with spaces in quotes)");
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

static bool cmd_vars(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    if (!no_arg(arg, "vars", e))
        return false;
    size_t wn = 4, count = 0;
    for (size_t i = 0; i < in->nvars; i++)
        if (in->vars[i]->bound) {
            count++;
            if (display_width(in->vars[i]->name) > wn)
                wn = display_width(in->vars[i]->name);
        }
    if (count == 0) {
        interp_write(in, "no variables yet: try  a = [3, -1, 2]\n");
        return true;
    }
    if (wn > 40)
        wn = 40;
    interp_printf(in, "  %-*s  %-10s  %-8s  %s\n", (int)wn, "name", "kind", "shape", "value");
    for (size_t i = 0; i < in->nvars; i++) {
        const Var *var = in->vars[i];
        if (!var->bound)
            continue;
        const Value *v = &var->value;
        char shape[128] = "";
        if (v->kind == VALUE_TENSOR)
            tensor_shape_str(v->as.tensor, shape, sizeof shape);
        else if (v->kind == VALUE_MLP)
            mlp_shape_str(v->as.mlp, shape, sizeof shape);
        else if (v->kind == VALUE_PERCEPTRON)
            snprintf(shape, sizeof shape, "(%zu,)", tensor_size(v->as.perceptron->w));
        else if (v->kind == VALUE_LIST || v->kind == VALUE_TUPLE)
            snprintf(shape, sizeof shape, "%zu items", v->as.list->n);
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
        size_t w = display_width(var->name);
        size_t pad = wn > w ? wn - w : 0;
        interp_printf(in, "  %s%*s  %-10s  %-8s  %s\n", var->name, (int)pad, "", value_kind_name(v), shape, preview);
        mem_free(preview);
    }
    return true;
}

/* The next space-separated word of p, or NULL at the end. */
static const char *next_word(const char *p, const char **end)
{
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return NULL;
    const char *q = p;
    while (*q && *q != ' ' && *q != '\t')
        q++;
    *end = q;
    return p;
}

static bool cmd_clear(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    if (!*arg) {
        for (size_t i = 0; i < in->nvars; i++)
            if (in->vars[i]->bound)
                interp_clear(in, in->vars[i]->name);
        return true;
    }
    /* Check every name first, so that a typo clears nothing; a name is
     * taken whole or refused, never cut. */
    const char *p = arg, *q;
    while ((p = next_word(p, &q))) {
        char name[256];
        if ((size_t)(q - p) >= sizeof name) {
            error_set_in(e, ERROR_NAME, "clear", "'%.20s...' is longer than any variable's name can be", p);
            e->col = (int)(p - arg) + 1;
            return false;
        }
        snprintf(name, sizeof name, "%.*s", (int)(q - p), p);
        if (!interp_get(in, name)) {
            error_set_in(e, ERROR_NAME, "clear", "there is no variable '%s'", name);
            e->col = (int)(p - arg) + 1;
            return false;
        }
        p = q;
    }
    for (p = arg; (p = next_word(p, &q)); p = q) {
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(q - p), p);
        interp_clear(in, name);
    }
    return true;
}

static bool cmd_format(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    if (!*arg) {
        interp_printf(in, "format is %s\n", in->format == FORMAT_LONG ? "long" : "short");
        return true;
    }
    if (!strcmp(arg, "short"))
        in->format = FORMAT_SHORT;
    else if (!strcmp(arg, "long"))
        in->format = FORMAT_LONG;
    else
        return error_set_in(e, ERROR_ARG, "format", "'%s' is not a format; use short (5 digits) or long (every digit)", arg);
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

static bool cmd_run(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
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

/* The bindings of every variable, to put back after a failed load. */
typedef struct Bindings {
    Var **vars;
    Value *values;
    bool *bound;
    unsigned long *versions;
    size_t n;
} Bindings;

static bool bindings_keep(Interp *in, Bindings *b, Error *e)
{
    b->n = in->nvars;
    b->vars = mem_calloc(b->n ? b->n : 1, sizeof *b->vars);
    b->values = mem_calloc(b->n ? b->n : 1, sizeof *b->values);
    b->bound = mem_calloc(b->n ? b->n : 1, sizeof *b->bound);
    b->versions = mem_calloc(b->n ? b->n : 1, sizeof *b->versions);
    if (!b->vars || !b->values || !b->bound || !b->versions) {
        mem_free(b->vars);
        mem_free(b->values);
        mem_free(b->bound);
        mem_free(b->versions);
        return error_nomem(e, "load");
    }
    for (size_t i = 0; i < b->n; i++) {
        b->vars[i] = in->vars[i];
        b->bound[i] = in->vars[i]->bound;
        b->versions[i] = in->vars[i]->version;
        b->values[i] = b->bound[i] ? value_ref(&in->vars[i]->value) : value_none();
    }
    return true;
}

static void bindings_end(Interp *in, Bindings *b, bool restore)
{
    if (restore) {
        /* Variables the load made go; the others get their values back. */
        for (size_t i = b->n; i < in->nvars; i++)
            if (in->vars[i]->bound) {
                value_free(&in->vars[i]->value);
                in->vars[i]->bound = false;
            }
        for (size_t i = 0; i < b->n; i++) {
            Var *v = b->vars[i];
            value_free(&v->value);
            v->value = b->values[i];
            v->bound = b->bound[i];
            v->version = b->versions[i];
            b->values[i] = value_none();
        }
    }
    for (size_t i = 0; i < b->n; i++)
        value_free(&b->values[i]);
    mem_free(b->vars);
    mem_free(b->values);
    mem_free(b->bound);
    mem_free(b->versions);
}

static bool cmd_load(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    char *path = file_arg(in, arg, "load", e);
    if (!path)
        return false;
    Bindings b;
    if (!bindings_keep(in, &b, e)) {
        mem_free(path);
        return false;
    }
    Error inner;
    error_clear(&inner);
    bool ok = interp_run_file(in, path, false, false, NULL, NULL, &inner);
    bindings_end(in, &b, !ok);
    if (ok) {
        size_t n = 0;
        for (size_t i = 0; i < in->nvars; i++)
            n += in->vars[i]->bound;
        interp_printf(in, "loaded '%s' (%zu variable%s now)\n", path, n, n == 1 ? "" : "s");
    } else if (inner.line > 0) {
        char msg[ERROR_MSG_MAX];
        error_set_in(e, inner.code, "load", "%s:%d:%d: %s (nothing was loaded)", path, inner.line, inner.col,
                     error_text(&inner, msg, sizeof msg));
    } else {
        error_set_in(e, inner.code, "load", "%s", error_from(&inner, "run") ? error_facts(&inner) : inner.msg);
    }
    mem_free(path);
    return ok;
}

static bool cmd_save(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    char *raw = commands_path_arg(arg, "save", e);
    if (!raw)
        return false;
    char *path = interp_write_path(in, raw);
    mem_free(raw);
    if (!path)
        return error_nomem(e, "save");
    size_t saved = 0;
    bool ok = interp_save(in, path, &saved, e);
    if (ok)
        interp_printf(in, "saved %zu variable%s to '%s'\n", saved, saved == 1 ? "" : "s", path);
    mem_free(path);
    return ok;
}

/* Where the top-level commas of a command's argument are (outside
 * brackets and strings); the parts' starts go in at[], their count is
 * returned (0 when there are more than max). */
static size_t split_args(const char *arg, const char **at, size_t *len, size_t max)
{
    size_t n = 0;
    int depth = 0;
    char quote = 0;
    const char *start = arg;
    for (const char *p = arg;; p++) {
        if (quote) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == quote)
                quote = 0;
            else if (!*p)
                return 0;
            continue;
        }
        if (*p == '"' || *p == '\'')
            quote = *p;
        else if (*p == '(' || *p == '[' || *p == '{')
            depth++;
        else if (*p == ')' || *p == ']' || *p == '}')
            depth--;
        else if ((*p == ',' && depth == 0) || !*p) {
            if (n == max)
                return 0;
            while (start < p && (*start == ' ' || *start == '\t'))
                start++;
            const char *end = p;
            while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
                end--;
            at[n] = start;
            len[n++] = (size_t)(end - start);
            start = p + 1;
            if (!*p)
                break;
        }
    }
    return n;
}

/* Whether a part is a keyword argument (NAME = value, not ==). */
static bool is_keyword(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_'))
        i++;
    while (i < len && s[i] == ' ')
        i++;
    return i > 0 && i + 1 < len && s[i] == '=' && s[i + 1] != '=';
}

/* Whether a command's first argument is a function: @(x) ..., a lambda,
 * or a name of one (looked up, never evaluated: evaluating twice could
 * draw different random numbers). */
static bool starts_function(Interp *in, const char *s, size_t len)
{
    if ((len >= 2 && !strncmp(s, "@(", 2)) || (len >= 6 && !strncmp(s, "lambda", 6) && !isalnum((unsigned char)s[6])))
        return true;
    char name[64];
    size_t i = 0;
    while (i < len && i + 1 < sizeof name && (isalnum((unsigned char)s[i]) || s[i] == '_')) {
        name[i] = s[i];
        i++;
    }
    if (i != len)
        return false;
    name[i] = '\0';
    const Value *v = interp_get(in, name);
    if (v)
        return v->kind == VALUE_BUILTIN || v->kind == VALUE_FUNCTION || v->kind == VALUE_METHOD;
    return builtin_lookup(name, i) != NULL;
}

/* `plot loss` charts the last training run; `plot EXPR, EXPR, ...` is
 * plot(EXPR, EXPR, ...), each series named in the legend as it was
 * written (or the chart titled so, for one). */
static bool cmd_plot(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    if (!strcmp(arg, "loss") && !interp_get(in, "loss"))
        return chart_last_loss(in, e);
    if (!*arg)
        return error_set_in(e, ERROR_ARG, "plot", "of what? (for example: plot loss, plot r.loss, or "
                         "plot(r1.loss, r2.loss, labels=[\"a\", \"b\"]))");
    const char *at[ARGS_MAX];
    size_t len[ARGS_MAX];
    size_t n = split_args(arg, at, len, ARGS_MAX);
    size_t series = 0;
    bool named = false, titled = false;
    for (size_t i = 0; i < n; i++) {
        if (!is_keyword(at[i], len[i]))
            series++;
        else if (!strncmp(at[i], "labels", 6) || !strncmp(at[i], "title", 5))
            named = titled = true;
    }
    Text src = {0};
    text_printf(&src, "plot(%s", arg);
    /* A name for each series from its own text, unless the statement
     * names them or draws functions (whose interval is no series). */
    bool function = n > 0 && starts_function(in, at[0], len[0]);
    if (series >= 1 && !named && !titled && !function) {
        text_puts(&src, series == 1 ? ", title=" : ", labels=[");
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (is_keyword(at[i], len[i]))
                continue;
            text_puts(&src, k++ ? ", \"" : "\"");
            for (size_t j = 0; j < len[i]; j++) {
                if (at[i][j] == '"' || at[i][j] == '\\')
                    text_puts(&src, "\\");
                text_append(&src, &at[i][j], 1);
            }
            text_puts(&src, "\"");
        }
        if (series > 1)
            text_puts(&src, "]");
    }
    text_puts(&src, ")");
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
        return error_set_in(e, ERROR_ARG, who, "of what? (for example: %s L)", who);
    if (!interp_eval_source(in, arg, v, e))
        return false;
    if (v->graph)
        return true;
    value_free(v);
    return error_set_in(e, ERROR_ARG, who, "%s has no history (it was typed in, not computed); compute it from "
                                   "variables first, as in L = (x*w1 + b1)*w2 + b2", arg);
}

static bool cmd_graph(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
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

static bool cmd_backprop(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    Value v;
    if (!history_arg(in, arg, "backprop", &v, e))
        return false;
    size_t n;
    char **steps = graph_backprop_steps(v.graph, arg, &n, e);
    value_free(&v);
    if (!steps) {
        if (error_from(e, "grad"))
            error_rename(e, "backprop");
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

static bool cmd_pause(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    char *msg = message_arg(arg, "pause", e);
    if (!msg)
        return *arg ? false : error_nomem(e, "pause");
    if (!in->pause) {       /* --no-pause, or nobody at a terminal */
        if (*msg)
            interp_printf(in, "%s\n", msg);
        mem_free(msg);
        return true;
    }
    /* Waiting says how to go on, or the screen looks stuck. */
    interp_printf(in, "%s%s%s%s", in->color ? "\x1b[2m" : "", msg, *msg ? " (press Enter)" : "(press Enter to go on)",
                  in->color ? "\x1b[0m " : " ");
    mem_free(msg);
    in->pause(in->pause_ctx);
    return true;
}

/* say "text", say f"loss {C:.3f}", say "a" + str(b): a string expression
 * is evaluated and printed; anything else is printed as it stands. */
static bool cmd_say(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    Value v;
    Error local;
    error_clear(&local);
    char *msg = NULL;
    if (*arg && interp_eval_source(in, arg, &v, &local)) {
        if (v.kind == VALUE_STRING) {
            msg = mem_strdup(value_str(&v));
            if (!msg)
                error_nomem(e, "say");
        } else {
            Text t = {0};
            if (value_pystr(in, &v, &t, e))
                msg = text_finish(&t, e);
            else
                text_free(&t);
        }
        value_free(&v);
        if (!msg)
            return false;
    } else if ((*arg == '"' || *arg == '\'' || *arg == 'f') && local.code != ERROR_SYNTAX && *arg != 'f') {
        /* A string expression that failed: say why. */
        *e = local;
        return false;
    } else {
        msg = mem_strdup(arg);
        if (!msg)
            return error_nomem(e, "say");
    }
    Text t = {0};
    /* Control characters are shown, not sent to the terminal. */
    text_put_visible(&t, msg, strlen(msg));
    mem_free(msg);
    if (t.failed) {
        text_free(&t);
        return error_nomem(e, "say");
    }
    interp_printf(in, "%s%s%s\n", in->color ? "\x1b[1;33m" : "", t.s ? t.s : "", in->color ? "\x1b[0m" : "");
    text_free(&t);
    return true;
}

static bool cmd_quit(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
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
      "Writes every variable (models included) to FILE as a nudge script, at full precision; a "
      "module's function is written as the import that binds it. Records, methods and closures "
      "are left out, with a note. The file is written whole or not at all." },
    { "load", cmd_load, "load FILE", "Runs a file written by save, bringing its variables back." },
    { "plot", cmd_plot, "plot loss | plot r.loss | plot(y1, y2, ..., labels=[...])",
      "`plot loss` charts the loss per epoch of the last training run. `plot r.loss` is plot(r.loss), "
      "titled with what was written; `plot r1.loss, r2.loss` names each line so in the legend. "
      "help plot tells the rest." },
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

static void list_names(Interp *in, const char *title, const Builtin *rows, size_t n, int chapter, bool any_chapter)
{
    Text line = {0};
    for (size_t i = 0; i < n; i++)
        if ((any_chapter || rows[i].chapter == chapter) && strcmp(rows[i].name, "σ") && rows[i].fn)
            text_printf(&line, "%s%s", line.len ? ", " : "", rows[i].name);
    /* Every chapter is named, also one that brings no new function: its
     * lesson is still there to take. */
    if (!line.len && !any_chapter && chapter > 0)
        text_printf(&line, "(no new functions; lesson %d walks through the chapter)", chapter);
    if (line.len && !line.failed) {
        interp_printf(in, "\n%s\n", title);
        write_wrapped(in, line.s, 2, help_width(in));
    }
    text_free(&line);
}

/* Where the shipped lessons, demos and data sets are, as datadir_find
 * finds them for this copy of nudge. */
static void help_files(Interp *in)
{
    /* Each folder, and an example that uses it: before, the folder, after. */
    static const struct { DataDir kind; const char *what, *before, *after; } rows[] = {
        { DATADIR_LESSONS, "lessons", NULL, NULL },
        { DATADIR_DEMOS, "demos", "run ", "/01-vectors.nd" },
        { DATADIR_SETS, "data sets", "load_csv(\"", "/iris.csv\")" },
    };
    interp_write(in, "\nFiles\n");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *dir = datadir_find(rows[i].kind);
        if (!dir)
            interp_printf(in, "  %-10s not found (installed, they are in %s)\n", rows[i].what,
                          datadir_installed(rows[i].kind));
        else if (rows[i].before)
            interp_printf(in, "  %-10s %s\n             %s%s%s\n", rows[i].what, dir, rows[i].before, dir,
                          rows[i].after);
        else
            interp_printf(in, "  %-10s %s\n", rows[i].what, dir);
        mem_free(dir);
    }
    interp_write(in, "  manual     man nudge\n");
}

static bool help_overview(Interp *in)
{
    size_t n;
    const Builtin *t = builtin_table(&n);
    interp_write(in, "nudge: type statements such as  a = [3, -1, 2]  or  dot(a, a).\n"
                     "`help NAME` explains one name with an example; `help for`, `help def`, `help print`, "
                     "`help np` and `help python` explain the language.\n");
    for (int ch = 1; ch <= 8; ch++) {
        int c = ch == 8 ? 0 : ch;
        list_names(in, chapter_titles[c], t, n, c, false);
    }
    const Builtin *py = pybuiltin_table(&n);
    Text line = {0};
    for (size_t i = 0; i < n; i++)
        if (py[i].chapter == -1 && !strchr(py[i].name, '.'))
            text_printf(&line, "%s%s", line.len ? ", " : "", py[i].name);
    if (!line.failed && line.len) {
        interp_write(in, "\nPython's built-in functions\n");
        write_wrapped(in, line.s, 2, help_width(in));
    }
    text_free(&line);
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
                  "Python's statements: if/elif/else, for x in ...:, while, def, return, lambda, break, "
                  "continue, +=, a, b = b, a, [x*x for x in xs], f\"{x:.3f}\", import numpy as np, import "
                  "math. Blocks are indented; at the prompt an empty line ends one. Numbers 2, -0.5, 1e-3; "
                  "vectors [3, -1, 2]; matrices [[0, 1], [1, 0]] or [0, 1; 1, 0]. A statement at the top "
                  "level shows its result (a trailing ; hides it). Operators + - * / work element by element "
                  "and broadcast like numpy; ** is power; @ is the matrix product; M.T transposes; M[0], "
                  "M[1, 2], M[:, 0] index from zero. More: help operators, help indexing, help objects.",
                  2, help_width(in));
    help_files(in);
    return true;
}


static void help_row(Interp *in, const Builtin *b, const char *prefix)
{
    interp_printf(in, "%s%s\n", prefix, b->usage);
    write_wrapped(in, b->help, 2, help_width(in));
    if (b->kwargs && *b->kwargs && !(b->flags & BUILTIN_ANY_KW))
        interp_printf(in, "  options: %s\n", b->kwargs);
    if (b->grad && b->grad->about) {
        Text t = {0};
        text_printf(&t, "gradient (for grad): %s.", b->grad->about);
        if (!t.failed)
            write_wrapped(in, t.s, 2, help_width(in));
        text_free(&t);
    }
}

static void help_module(Interp *in, const Module *m, const char *alias)
{
    write_wrapped(in, m->help, 0, help_width(in));
    char title[96];
    snprintf(title, sizeof title, "Functions (%s.NAME; help %s.NAME for one)", alias, alias);
    list_names(in, title, m->rows, m->n, 0, true);
    if (m->nconsts) {
        Text t = {0};
        for (size_t i = 0; i < m->nconsts; i++)
            text_printf(&t, "%s%s.%s", i ? ", " : "", alias, m->consts[i].name);
        interp_printf(in, "\nNumbers\n");
        if (!t.failed)
            write_wrapped(in, t.s, 2, help_width(in));
        text_free(&t);
    }
    for (size_t i = 0; i < m->nsubs; i++) {
        const char *sub = strrchr(m->subs[i]->name, '.');
        snprintf(title, sizeof title, "%s.%s", alias, sub ? sub + 1 : m->subs[i]->name);
        list_names(in, title, m->subs[i]->rows, m->subs[i]->n, 0, true);
    }
}

static const struct { const char *topic, *text; } topics[] = {
    { "operators", "+ - * / ** are element-wise and broadcast as numpy does: a number with anything, a vector "
                   "with each row of a matrix, a column (n x 1) with each column. // and % are floor division "
                   "and remainder. @ is the matrix product: M @ v, v @ M, A @ B, and a @ b for two vectors is "
                   "their dot product. Comparisons < <= > >= == != give True or False (element by element for "
                   "arrays; shown as 1 and 0). and, or, not combine conditions; & | ~ do so for bool arrays." },
    { "indexing", "Indices start at 0 as in numpy. a[0] is the first element, a[-1] the last; M[1] is row 1 "
                  "(a vector), M[1, 2] one number, M[:, 0] column 0, M[0:2] rows 0 and 1, a[::-1] reversed, "
                  "a[a > 0] the positive elements. You can assign to them: a[0] = 5, M[:, 0] = 0, net.W1[0, 1] "
                  "= 0.5. Indexing gives a copy: change the array itself through an index on it." },
    { "objects", "Names refer to objects, as in Python: after b = a, a and b are the same array, list or model, "
                 "so b[0] = 5 changes a too, and a function given a net trains that net. copy(x) or x.copy() "
                 "makes an independent copy. Numbers and strings never change in place." },
    { "for", "for NAME in SEQUENCE: runs the indented lines once for each item: a range, a list, a vector's "
             "elements, a matrix's rows, a dict's keys, enumerate(xs) or zip(xs, ys).\n"
             "  for i in range(3):\n      w = w - 0.1 * 2 * w\n      print(i, w)\n"
             "break leaves the loop, continue goes to the next item; an else: block runs if the loop ended "
             "without break. Ctrl-C stops a loop after the statement it is in. Lines inside a loop do not "
             "show their values: print what you want to see." },
    { "while", "while CONDITION: runs the indented lines again and again while the condition is true.\n"
               "  while L > 0.01:\n      w -= 0.1 * grad(L, w); L = (w - 3)**2" },
    { "if", "if CONDITION: runs the indented lines only when it is true; elif and else add other cases.\n"
            "  if y == 1:\n      w = w + x\n  elif y == 0:\n      w = w - x\n"
            "x if c else y is the same choice inside an expression." },
    { "def", "def NAME(PARAMETERS): makes a function from the indented lines; return gives its value (several "
             "values make a tuple). Parameters may have defaults: def step(w, lr=0.1). A name assigned inside "
             "is the function's own unless declared global.\n"
             "  def sigmoid(z):\n      return 1 / (1 + np.exp(-z))\n"
             "lambda x: x**2 (or @(x) x**2) makes a one-line function." },
    { "lambda", "lambda PARAMETERS: EXPRESSION is a function of one expression: f = lambda w: (w - 3)**2. "
                "@(w) (w - 3)**2 is the same, as Octave writes it." },
    { "return", "return VALUE ends a function and gives VALUE; return a, b gives a tuple." },
    { "print", "print(a, b, ...) writes the values as Python does, separated by spaces (sep=) and ending with "
               "a newline (end=). Arrays print as numpy prints them; np.set_printoptions changes how.\n"
               "  print(\"epoch\", k, \"loss\", round(L, 4))\n  print(f\"epoch {k:4d}  loss {L:.4f}\")" },
    { "f-strings", "f\"...{EXPR:SPEC}...\" puts values into text: {x:.3f} three decimals, {k:4d} an int in "
                   "four columns, {x!r} the repr, {{ and }} braces. \"...\".format(...) and \"%.3f\" % x do "
                   "the same.\n  f\"w = {w:.3f}\"" },
    { "list", "[a, b, c] of numbers makes a vector at nudge's prompt; lists hold anything: losses = [] then "
              "losses.append(L). Methods: append, extend, pop, insert, remove, index, count, sort, reverse, "
              "copy. len(xs), xs[0], xs[-1], xs[1:3], xs + ys, x in xs." },
    { "dict", "{\"lr\": 0.1, \"epochs\": 10} maps keys to values: d[\"lr\"], d[\"lr\"] = 0.5, \"lr\" in d, "
              "d.keys(), d.values(), d.items(), d.get(k, default)." },
    { "str", "Strings are text in quotes, with escapes such as \\n and \\t; \"\"\"...\"\"\" may span lines. "
             "Methods: format, join, split, strip, upper, lower, replace, startswith, endswith, find. "
             "s + t joins, s * 3 repeats, len(s), s[0]." },
    { "import", "import numpy as np gives numpy's names (np.dot, np.exp, np.random.seed, ...); import math "
                "gives Python's math module. Nothing else can be imported. help np and help math list them." },
    { "python", "Two sets of rules. At nudge's prompt and in .nd scripts, a statement at the top level shows "
                "its result and [1, 2, 3] makes a vector. A .py file, and any chunk of lines that imports numpy "
                "or math (a pasted program), runs by Python's rules: nothing is shown but what print writes, "
                "and [1, 2, 3] is a list, so the program prints what python3 prints. np.array([...]) is an "
                "array under both." },
    { "ndarray", "Arrays (numpy's ndarray) have 1 or 2 dimensions and a dtype (float64, int64 or bool). "
                 "Attributes: .T .shape .ndim .size .dtype. Methods: dot, sum, mean, max, min, argmax, reshape, "
                 "flatten, ravel, copy, astype, tolist, item, transpose; sum, mean, max and min take axis=." },
    { "format", "format short (the default) shows 5 significant digits as Octave does; format long shows each "
                "number exactly, as the shortest decimal that reads back as the same double." },
    { "comprehension", "[EXPR for NAME in SEQUENCE if CONDITION] builds a list: [x**2 for x in range(5)]. "
                       "{k: v for ...} builds a dict." },
    { "assert", "assert CONDITION, \"message\" stops with the message when the condition is false." },
};

static bool help_topic(Interp *in, const char *arg)
{
    const char *alias = !strcmp(arg, "for") || !strcmp(arg, "break") || !strcmp(arg, "continue") ? "for"
                      : !strcmp(arg, "elif") || !strcmp(arg, "else") ? "if"
                      : !strcmp(arg, "f-string") || !strcmp(arg, "fstring") ? "f-strings"
                      : !strcmp(arg, "array") ? "ndarray" : arg;
    for (size_t i = 0; i < sizeof topics / sizeof topics[0]; i++)
        if (!strcmp(alias, topics[i].topic)) {
            write_wrapped(in, topics[i].text, 0, help_width(in));
            return true;
        }
    return false;
}

static bool cmd_help(Interp *in, void *ctx, const char *arg, Error *e)
{
    (void)ctx;
    if (!*arg)
        return help_overview(in);
    /* help np, help math, help np.dot, help np.random.seed, help list.append */
    const char *dot = strchr(arg, '.');
    char head[64];
    snprintf(head, sizeof head, "%.*s", (int)(dot ? dot - arg : (long)strlen(arg)), arg);
    const Module *m = module_find(!strcmp(head, "np") ? "numpy" : head);
    if (m) {
        const char *alias = !strcmp(head, "numpy") ? "np" : head;
        if (!dot) {
            help_module(in, m, alias);
            return true;
        }
        const char *rest = dot + 1;
        const char *dot2 = strchr(rest, '.');
        if (dot2) {
            char sub[64];
            snprintf(sub, sizeof sub, "%s.%.*s", m->name, (int)(dot2 - rest), rest);
            m = module_find(sub);
            rest = dot2 + 1;
            if (!m)
                return error_set_in(e, ERROR_NAME, "help", "%s is not part of nudge", arg);
        }
        Value v;
        if (module_get(m, rest, &v) && v.kind == VALUE_BUILTIN) {
            help_row(in, v.as.builtin, "");
            return true;
        }
        if (module_get(m, rest, &v) && v.kind == VALUE_MODULE) {
            help_module(in, v.as.module, arg);
            return true;
        }
        return error_set_in(e, ERROR_NAME, "help", "%s is not part of nudge (help %s lists what is)", arg, alias);
    }
    if (dot) {
        /* a method: list.append, str.format, ndarray.dot */
        static const struct { const char *name; ValueKind kind; } types[] = {
            { "list", VALUE_LIST }, { "str", VALUE_STRING }, { "dict", VALUE_DICT }, { "tuple", VALUE_TUPLE },
            { "ndarray", VALUE_TENSOR }, { "array", VALUE_TENSOR },
        };
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (!strcmp(head, types[i].name)) {
                size_t n;
                const Builtin *rows = method_table(types[i].kind, &n);
                for (size_t k = 0; k < n; k++)
                    if (!strcmp(rows[k].name, dot + 1)) {
                        help_row(in, &rows[k], "");
                        return true;
                    }
            }
    }
    const Command *cmd = interp_find_command(in, arg, strlen(arg));
    const Builtin *b = builtin_lookup(arg, strlen(arg));
    if (cmd && b) {
        /* format long and format(x, ".2f"), help and help(x): both */
        interp_printf(in, "%s\n", cmd->usage);
        write_wrapped(in, cmd->help, 2, help_width(in));
        help_row(in, b, "");
        return true;
    }
    if (b) {
        help_row(in, b, "");
        if (!strcmp(arg, "list") || !strcmp(arg, "dict") || !strcmp(arg, "str")) {
            interp_write(in, "\n");
            help_topic(in, arg);
        }
        return true;
    }
    const Command *c = interp_find_command(in, arg, strlen(arg));
    if (c) {
        interp_printf(in, "%s\n", c->usage);
        write_wrapped(in, c->help, 2, help_width(in));
        return true;
    }
    if (help_topic(in, arg))
        return true;
    static const char *const unsupported[] = { "class", "with", "try", "except", "yield", "async", "await" };
    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++)
        if (!strcmp(arg, unsupported[i]))
            return error_set_in(e, ERROR_NAME, "help", "'%s' is Python, but not part of nudge (it has functions, loops, "
                             "lists, dicts, arrays and its own models)", arg);
    const char *near = closest_name(in, arg, false, true);
    if (near)
        return error_set_in(e, ERROR_NAME, "help", "nothing is called '%s' (did you mean '%s'?)", arg, near);
    return error_set_in(e, ERROR_NAME, "help", "nothing is called '%s'; type help for the list", arg);
}
