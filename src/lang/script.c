/* script.c - running source: a chunk typed at the prompt, an expression
 * for a lesson check, the statements of a file or a stream one top-level
 * statement at a time, and saving the session as a script. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nudge/builtins.h"
#include "nudge/files.h"
#include "nudge/mem.h"
#include "nudge/text.h"
#include "state.h"

static int is_command(void *ctx, const char *word, size_t len)
{
    const Interp *in = ctx;
    if (!interp_find_command(in, word, len))
        return 0;
    char name[128];
    if (len >= sizeof name)
        return 1;
    memcpy(name, word, len);
    name[len] = '\0';
    return interp_get(in, name) ? 2 : 1;
}

static bool is_blank(const char *s)
{
    for (; *s; s++) {
        if (*s == '#')
            while (s[1] && s[1] != '\n')
                s++;
        else if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    }
    return true;
}

/* How many bytes of blank and comment lines come before a chunk's
 * statement: a chunk carries the comments above it (a saved workspace's
 * header), which are no part of the statement. */
static size_t leading_comments(const char *chunk, size_t len)
{
    size_t at = 0;
    for (;;) {
        size_t i = at;
        while (i < len && (chunk[i] == ' ' || chunk[i] == '\t' || chunk[i] == '\r'))
            i++;
        if (i < len && chunk[i] == '#')
            while (i < len && chunk[i] != '\n')
                i++;
        if (i >= len || chunk[i] != '\n')
            return at;
        at = i + 1;
    }
}

/* Runs src by Python's rules when python is 1, by nudge's when 0, and by
 * what it imports when -1. */
static bool run_source(Interp *in, const char *src, int python, Error *e)
{
    error_clear(e);
    /* The limit is the statement's, as save measures it: the comments
     * above it do not count. */
    size_t len = strlen(src);
    if (len - leading_comments(src, len) > INTERP_MAX_SOURCE)
        return error_set(e, ERROR_LIMIT, "this statement is longer than %d KiB; split it, or load data with load_csv",
                         INTERP_MAX_SOURCE >> 10);
    Program *prog = ast_parse(src, is_command, in, e);
    if (!prog)
        return false;
    if (!resolve_program(prog, e)) {
        ast_program_release(prog);
        return false;
    }
    prog->python = python < 0 ? ast_imports_python(src) : python;
    bool ok = exec_program(in, prog, e);
    ast_program_release(prog);
    return ok;
}

bool interp_run(Interp *in, const char *src, Error *e)
{
    return run_source(in, src, in->python ? 1 : in->rules, e);
}

bool interp_run_chunk(Interp *in, const char *chunk, Error *e)
{
    error_clear(e);
    bool ok = true;
    if (in->hooks.chunk && in->hooks.chunk(in->hooks.ctx, in, chunk, &ok, e))
        return ok;
    if (is_blank(chunk))
        return true;
    ok = run_source(in, chunk, in->rules, e);
    const char *nl = strchr(chunk, '\n');
    bool one_line = !nl || !nl[1];
    if (ok && in->interactive && !in->noted_python && one_line && ast_imports_python(chunk)) {
        /* Typed on its own at the prompt: say once what changes. */
        in->noted_python = true;
        interp_write(in, "note: a chunk that imports numpy or math runs by Python's rules (no `x = ...` echo, [...] "
                         "is a list); the lines you type next follow nudge's. `help python` says more.\n");
    }
    return ok;
}

bool interp_eval_source(Interp *in, const char *src, Value *out, Error *e)
{
    Node *n = ast_parse_expr(src, e);
    if (!n)
        return false;
    if (!resolve_expr(n, e)) {
        ast_free(n);
        return false;
    }
    /* The expression lives in a program of its own, so that a function it
     * makes keeps its node and its source for as long as it lives. */
    Program *prog = mem_calloc(1, sizeof *prog);
    Node *body = mem_calloc(1, sizeof *body);
    Node **kids = mem_alloc(sizeof *kids);
    char *copy = mem_strdup(src);
    if (!prog || !body || !kids || !copy) {
        mem_free(prog);
        mem_free(body);
        mem_free(kids);
        mem_free(copy);
        ast_free(n);
        return error_nomem(e, "eval");
    }
    body->kind = NODE_BLOCK;
    kids[0] = n;
    body->kids = kids;
    body->nkids = body->kcap = 1;
    prog->refs = 1;
    prog->body = body;
    prog->src = copy;
    Program *saved = in->program;
    in->program = prog;
    bool saved_record = in->record;
    in->record = true;
    bool ok = eval(in, n, out, e);
    in->record = saved_record;
    in->program = saved;
    ast_program_release(prog);      /* frees n too, unless a function made here keeps it */
    return ok;
}

/* --- files ---------------------------------------------------------------- */

char *interp_read_file(const char *path, const char *who, size_t limit, Error *e)
{
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        error_set_in(e, ERROR_IO, who, "'%s' is not a regular file", path);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        error_set_in(e, ERROR_IO, who, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    Text t = {0};
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (memchr(buf, '\0', n)) {
            fclose(f);
            text_free(&t);
            error_set_in(e, ERROR_IO, who, "'%s' is not a text file (it holds a NUL byte)", path);
            return NULL;
        }
        text_append(&t, buf, n);
        if (t.len > limit) {
            fclose(f);
            text_free(&t);
            error_set_in(e, ERROR_LIMIT, who, "'%s' is larger than %zu MiB", path, limit >> 20);
            return NULL;
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        text_free(&t);
        error_set_in(e, ERROR_IO, who, "cannot read '%s'", path);
        return NULL;
    }
    return text_finish(&t, e);
}

/* Echoes a chunk as it was typed, with the prompt and continuation
 * prompts. */
static void echo_chunk(Interp *in, const char *chunk, size_t len)
{
    /* Blank and comment lines before the statement are not part of it: the
     * prompt goes on its first line. */
    size_t skip = leading_comments(chunk, len);
    chunk += skip;
    len -= skip;
    while (len && (chunk[len - 1] == '\n' || chunk[len - 1] == '\r'))
        len--;
    /* Control characters are shown as \xNN: a script's `x = "<ESC>]0;..."`
     * must not retitle the window as it is echoed. */
    Text shown = {0};
    text_puts(&shown, ">> ");
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(chunk + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - chunk) + 1 : len;
        text_put_visible(&shown, chunk + i, end - i);
        if (nl)
            text_puts(&shown, "... ");
        i = end;
    }
    text_puts(&shown, "\n");
    if (!shown.failed) {
        if (in->echo)
            in->echo(in->echo_ctx, shown.s);
        else
            interp_write(in, shown.s);
    }
    text_free(&shown);
}

bool interp_run_lines(Interp *in, LineSource next, void *src_ctx, const char *origin, bool echo, bool keep_going,
                      bool python, ErrorReport report, void *report_ctx, Error *e)
{
    bool all_ok = true;
    Text buf = {0};
    size_t start = 0;           /* where the pending text starts in buf */
    int line = 1;               /* the number of the pending text's first line */
    bool more = true;
    int saved_rules = in->rules;
    in->rules = python;
    while (!in->quit) {
        /* Read until the pending text holds a whole statement.  The scan
         * starts from the statement's first line each time, so it runs
         * again only when the pending text has doubled: a statement of n
         * lines (a literal spread over 80 000 of them) costs O(n), not
         * O(n^2).  Reading ahead is harmless, since the statement's end does
         * not depend on what follows the line that starts the next one. */
        size_t end = 0;
        size_t rescan_at = 0;   /* the pending length that calls for a scan */
        while (more && !buf.failed) {
            size_t pending = buf.len - start;
            if (pending >= rescan_at) {
                end = lexer_statement_end(buf.s ? buf.s + start : "", false);
                if (end)
                    break;
                rescan_at = pending * 2;
            }
            const char *text;
            size_t len;
            more = next(src_ctx, &text, &len);
            if (more) {
                text_append(&buf, text, len);
                if (!len || text[len - 1] != '\n')
                    text_puts(&buf, "\n");
            } else if (pending < rescan_at) {
                end = lexer_statement_end(buf.s ? buf.s + start : "", false);
            }
        }
        if (buf.failed) {
            all_ok = error_nomem(e, "run");
            break;
        }
        if (!more && !end)
            end = lexer_statement_end(buf.s ? buf.s + start : "", true);
        if (!end)
            break;
        char *chunk = mem_alloc(end + 1);
        if (!chunk) {
            all_ok = error_nomem(e, "run");
            break;
        }
        memcpy(chunk, buf.s + start, end);
        chunk[end] = '\0';
        int first_line = line;
        for (size_t i = 0; i < end; i++)
            line += chunk[i] == '\n';
        start += end;
        /* Drop what has run, now and then, so a long file stays linear. */
        if (start > 65536 && start * 2 > buf.len) {
            memmove(buf.s, buf.s + start, buf.len - start + 1);
            buf.len -= start;
            start = 0;
        }
        if (!is_blank(chunk)) {
            if (echo)
                echo_chunk(in, chunk, end);
            Error local;
            if (!interp_run_chunk(in, chunk, &local)) {
                all_ok = false;
                if (report)
                    report(report_ctx, origin, chunk, first_line, &local);
                if (local.line > 0)
                    local.line += first_line - 1;
                local.shown = report != NULL;
                if (e)
                    *e = local;
                if (!keep_going || local.code == ERROR_INTERRUPT) {
                    mem_free(chunk);
                    break;
                }
            }
        }
        mem_free(chunk);
    }
    text_free(&buf);
    in->rules = saved_rules;
    return all_ok;
}

typedef struct StringLines {
    const char *p;
} StringLines;

static bool string_next(void *ctx, const char **text, size_t *len)
{
    StringLines *s = ctx;
    if (!*s->p)
        return false;
    const char *nl = strchr(s->p, '\n');
    *text = s->p;
    *len = nl ? (size_t)(nl - s->p) + 1 : strlen(s->p);
    s->p += *len;
    return true;
}

bool interp_run_string(Interp *in, const char *src, const char *origin, bool echo, bool keep_going,
                       ErrorReport report, void *report_ctx, Error *e)
{
    StringLines lines = { src };
    return interp_run_lines(in, string_next, &lines, origin, echo, keep_going, ast_imports_python(src), report,
                            report_ctx, e);
}

char *interp_resolve_path(const Interp *in, const char *path)
{
    if (path[0] != '/' && in->script_dir) {
        Text t = {0};
        text_printf(&t, "%s/%s", in->script_dir, path);
        char *beside = text_finish(&t, NULL);
        if (beside && access(beside, F_OK) == 0)
            return beside;
        mem_free(beside);
    }
    return mem_strdup(path);
}

char *interp_write_path(const Interp *in, const char *path)
{
    if (path[0] != '/' && in->script_dir) {
        Text t = {0};
        text_printf(&t, "%s/%s", in->script_dir, path);
        return text_finish(&t, NULL);
    }
    return mem_strdup(path);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

bool interp_run_file(Interp *in, const char *path, bool echo, bool keep_going, ErrorReport report, void *report_ctx,
                     Error *e)
{
    if (in->run_depth >= INTERP_MAX_RUN_DEPTH)
        return error_set_in(e, ERROR_LIMIT, "run", "scripts nested more than %d deep (does '%s' run itself?)",
                         INTERP_MAX_RUN_DEPTH, path);
    char *src = interp_read_file(path, "run", INTERP_MAX_FILE, e);
    if (!src)
        return false;
    bool python = ends_with(path, ".py");
    if (python) {
        /* Python reads a whole file before running any of it: a syntax
         * error anywhere runs nothing. */
        Program *check = ast_parse(src, is_command, in, e);
        bool ok = check && resolve_program(check, e);
        ast_program_release(check);
        if (!ok) {
            if (report)
                report(report_ctx, path, src, 1, e);
            if (e)
                e->shown = report != NULL;
            mem_free(src);
            return false;
        }
    }
    in->run_depth++;
    /* Relative paths inside the script are the script's folder's, while it
     * runs (see interp_resolve_path). */
    char *outer = in->script_dir;
    const char *slash = strrchr(path, '/');
    in->script_dir = NULL;
    if (slash) {
        in->script_dir = mem_alloc((size_t)(slash - path) + 1);
        if (!in->script_dir) {
            in->script_dir = outer;
            in->run_depth--;
            mem_free(src);
            return error_nomem(e, "run");
        }
        memcpy(in->script_dir, path, (size_t)(slash - path));
        in->script_dir[slash - path] = '\0';
    }
    StringLines lines = { src };
    bool ok = interp_run_lines(in, string_next, &lines, path, echo, keep_going, python, report, report_ctx, e);
    mem_free(in->script_dir);
    in->script_dir = outer;
    in->run_depth--;
    mem_free(src);
    return ok;
}

/* --- save ----------------------------------------------------------------- */

/* The first variable of a save's pass seen holding each object, found by
 * the object's address (open addressing), so that naming the aliases of
 * 80 000 variables stays linear. */
typedef struct AliasTable {
    const void **objs;
    const char **names;
    size_t cap;                 /* a power of two, or 0 */
} AliasTable;

static unsigned long alias_hash(const void *p)
{
    unsigned long long h = (unsigned long long)(uintptr_t)p * 0x9E3779B97F4A7C15ull;
    return (unsigned long)(h >> 20);
}

static bool alias_init(AliasTable *t, size_t n)
{
    t->cap = 16;
    while (t->cap < 2 * n + 1)
        t->cap *= 2;
    t->objs = mem_calloc(t->cap, sizeof *t->objs);
    t->names = mem_calloc(t->cap, sizeof *t->names);
    return t->objs && t->names;
}

static void alias_free(AliasTable *t)
{
    mem_free(t->objs);
    mem_free(t->names);
    memset(t, 0, sizeof *t);
}

/* The name first seen with obj, or NULL after recording name for it. */
static const char *alias_find_or_add(AliasTable *t, const void *obj, const char *name)
{
    size_t i = alias_hash(obj) & (t->cap - 1);
    while (t->objs[i]) {
        if (t->objs[i] == obj)
            return t->names[i];
        i = (i + 1) & (t->cap - 1);
    }
    t->objs[i] = obj;
    t->names[i] = name;
    return NULL;
}

bool interp_save(Interp *in, const char *path, size_t *saved, Error *e)
{
    Text t = {0};
    text_puts(&t, "# nudge workspace: run it (or `load` it) to get these variables back.\n");
    size_t skipped = 0;
    /* The file spells values with built-ins (zeros(0), perceptron(...),
     * mlp(...)): variables that shadow a built-in come last, so that they
     * do not yet shadow it while the others are read back.  Two names that
     * share one object are written as one object and an alias. */
    for (int pass = 0; pass < 2; pass++) {
        AliasTable aliases;
        if (!alias_init(&aliases, in->nvars)) {
            alias_free(&aliases);
            text_free(&t);
            return error_nomem(e, "save");
        }
        for (size_t i = 0; i < in->nvars; i++) {
            const Var *var = in->vars[i];
            if (!var->bound)
                continue;
            const char *name = var->name;
            if ((pass == 0) == (builtin_lookup(name, strlen(name)) != NULL))
                continue;
            const Value *v = &var->value;
            if (v->kind == VALUE_FUNCTION && v->as.func->node->kind == NODE_DEF && !v->as.func->closure
                && !strcmp(v->as.func->name, name)) {
                /* A function made with def is saved as its definition. */
                const Func *f = v->as.func;
                text_append(&t, f->prog->src + f->node->src_offset, f->node->src_len);
                text_puts(&t, "\n\n");
                if (saved)
                    (*saved)++;
                continue;
            }
            /* A module's function (from numpy import *, f = np.exp) has no
             * name of its own that load would read back as it: it is saved
             * as the import that binds it. */
            bool module_fn = v->kind == VALUE_BUILTIN && !builtin_named_as_itself(v->as.builtin);
            const Module *home = module_fn ? builtin_module_of(v->as.builtin) : NULL;
            if (home) {
                const char *fn = v->as.builtin->name;
                bool renamed = strcmp(fn, name) != 0;
                text_printf(&t, "from %s import %s%s%s;\n", builtin_module_name(home), fn, renamed ? " as " : "",
                            renamed ? name : "");
                if (saved)
                    (*saved)++;
                continue;
            }
            if (v->kind == VALUE_RECORD || v->kind == VALUE_NONE || v->kind == VALUE_MODULE || module_fn
                || v->kind == VALUE_METHOD || (v->kind == VALUE_FUNCTION && v->as.func->node->kind == NODE_DEF)) {
                if (v->kind == VALUE_RECORD || v->kind == VALUE_FUNCTION || v->kind == VALUE_METHOD || module_fn)
                    skipped++;
                if (v->kind == VALUE_MODULE)
                    text_printf(&t, "import %s as %s;\n", builtin_module_name(v->as.module), name);
                continue;
            }
            bool mutable_obj = v->kind == VALUE_TENSOR || v->kind == VALUE_LIST || v->kind == VALUE_DICT
                            || v->kind == VALUE_PERCEPTRON || v->kind == VALUE_MLP;
            const char *alias = mutable_obj ? alias_find_or_add(&aliases, v->as.mlp, name) : NULL;
            if (alias) {
                text_printf(&t, "%s = %s;\n", name, alias);
                if (saved)
                    (*saved)++;
                continue;
            }
            char *src = value_source(v, e);
            if (!src) {
                alias_free(&aliases);
                text_free(&t);
                return false;
            }
            /* Each variable is one statement of the file: load reads neither a
             * statement over INTERP_MAX_SOURCE nor a file over INTERP_MAX_FILE. */
            size_t len = strlen(name) + strlen(src) + 5;
            if (len > INTERP_MAX_SOURCE || t.len + len > INTERP_MAX_FILE) {
                mem_free(src);
                alias_free(&aliases);
                text_free(&t);
                return error_set_in(e, ERROR_LIMIT, "save", "'%s' is too large to save as a script (%zu KiB; load reads "
                                 "statements up to %d KiB and files up to %d MiB): clear it, or save a smaller part",
                                 name, len >> 10, INTERP_MAX_SOURCE >> 10, INTERP_MAX_FILE >> 20);
            }
            text_printf(&t, "%s = %s;\n", name, src);
            mem_free(src);
            if (saved)
                (*saved)++;
        }
        alias_free(&aliases);
    }
    if (t.failed) {
        text_free(&t);
        return error_nomem(e, "save");
    }
    bool ok = files_write_atomic(path, t.s, t.len, "save", e);
    text_free(&t);
    if (ok && skipped)
        interp_printf(in, "note: %zu value%s not saved (records, methods, closures, a def under a second name): save their "
                          "parts, or the script that makes them\n", skipped, skipped == 1 ? " was" : "s were");
    return ok;
}
