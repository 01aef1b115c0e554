/* interp.c - a session: its variables, settings, commands and output, and
 * the undo of statements that fail. */
#include "nudge/interp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/commands.h"
#include "nudge/graph.h"
#include "nudge/mem.h"
#include "nudge/text.h"
#include "state.h"

/* --- setup ----------------------------------------------------------------- */

Interp *interp_new(WriteFn write, void *ctx)
{
    Interp *in = mem_calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->write = write;
    in->write_ctx = ctx;
    in->format = FORMAT_SHORT;
    in->globals_gen = 1;
    in->rules = -1;
    in->retval = value_none();
    rng_init(&in->rng, 0);
    npprint_options_default(&in->printopts);
    size_t n;
    const Command *core = commands_core(&n);
    interp_add_commands(in, core, n, NULL);
    return in;
}

void interp_delete(Interp *in)
{
    if (!in)
        return;
    undo_drop(in, 0);
    mem_free(in->undo);
    value_free(&in->retval);
    for (size_t i = 0; i < in->nvars; i++) {
        mem_free(in->vars[i]->name);
        value_free(&in->vars[i]->value);
        mem_free(in->vars[i]);
    }
    mem_free(in->vars);
    mem_free(in->table);
    value_collect_cycles();     /* what only cycles kept alive goes too */
    mem_free(in->losses);
    mem_free(in->script_dir);
    mem_free(in);
    tensor_recycle_trim();
}

/* --- settings ---------------------------------------------------------------- */

void interp_set_output(Interp *in, WriteFn write, void *ctx)
{
    in->write = write;
    in->write_ctx = ctx;
}

WriteFn interp_output(const Interp *in, void **ctx)
{
    if (ctx)
        *ctx = in->write_ctx;
    return in->write;
}

void interp_set_width(Interp *in, int width) { in->width = width; }
int interp_width(const Interp *in) { return in->width; }
void interp_set_color(Interp *in, bool color) { in->color = color; }
bool interp_color(const Interp *in) { return in->color; }
void interp_set_interactive(Interp *in, bool interactive) { in->interactive = interactive; }
bool interp_interactive(const Interp *in) { return in->interactive; }
FormatMode interp_format(const Interp *in) { return in->format; }
void interp_set_interrupt(Interp *in, volatile sig_atomic_t *flag) { in->interrupted = flag; }
bool interp_quitting(const Interp *in) { return in->quit; }
void interp_set_quit(Interp *in, bool quit) { in->quit = quit; }
void interp_set_hooks(Interp *in, const SessionHooks *hooks) { in->hooks = *hooks; }
const SessionHooks *interp_hooks(const Interp *in) { return &in->hooks; }
bool interp_has_pause(const Interp *in) { return in->pause != NULL; }
void *interp_report_ctx(const Interp *in) { return in->report_ctx; }
void *interp_live_ctx(const Interp *in) { return in->live_ctx; }
void interp_set_live_ctx(Interp *in, void *ctx) { in->live_ctx = ctx; }
bool interp_live_default(const Interp *in) { return in->live_default; }
void interp_set_live_default(Interp *in, bool on) { in->live_default = on; }
Rng *interp_rng(Interp *in) { return &in->rng; }

void interp_set_pause(Interp *in, bool (*pause)(void *ctx), void *ctx)
{
    in->pause = pause;
    in->pause_ctx = ctx;
}

void interp_set_report(Interp *in, ErrorReport report, void *ctx)
{
    in->report = report;
    in->report_ctx = ctx;
}

void interp_set_note(Interp *in, NoteFn note, void *ctx)
{
    in->note = note;
    in->note_ctx = ctx;
}

void interp_note(Interp *in, const char *msg)
{
    if (in->note)
        in->note(in->note_ctx, msg);
    else
        interp_printf(in, "note: %s\n", msg);
}

void interp_set_live(Interp *in, LiveTrainFn live, LiveLoopFn loop, void *ctx)
{
    in->live = live;
    in->live_loop = loop;
    in->live_ctx = ctx;
}

void interp_set_echo(Interp *in, EchoFn echo, void *ctx)
{
    in->echo = echo;
    in->echo_ctx = ctx;
}

bool interp_interrupted(Interp *in)
{
    if (in->interrupted && *in->interrupted) {
        *in->interrupted = 0;
        return true;
    }
    return false;
}

/* --- commands ------------------------------------------------------------------ */

bool interp_add_commands(Interp *in, const Command *rows, size_t n, void *ctx)
{
    if (in->ntables >= INTERP_MAX_TABLES)
        return false;
    in->tables[in->ntables].rows = rows;
    in->tables[in->ntables].n = n;
    in->tables[in->ntables].ctx = ctx;
    in->ntables++;
    return true;
}

const Command *interp_find_command(const Interp *in, const char *word, size_t len)
{
    for (size_t t = in->ntables; t-- > 0;)
        for (size_t i = 0; i < in->tables[t].n; i++) {
            const Command *c = &in->tables[t].rows[i];
            if (strlen(c->name) == len && !memcmp(c->name, word, len))
                return c;
        }
    return NULL;
}

void interp_each_name(const Interp *in, const char *prefix, void (*each)(void *ctx, const char *name), void *ctx)
{
    size_t len = strlen(prefix);
    for (size_t t = 0; t < in->ntables; t++)
        for (size_t i = 0; i < in->tables[t].n; i++)
            if (!strncmp(in->tables[t].rows[i].name, prefix, len))
                each(ctx, in->tables[t].rows[i].name);
    size_t n;
    const Builtin *b = builtin_table(&n);
    for (size_t i = 0; i < n; i++)
        if (!strncmp(b[i].name, prefix, len))
            each(ctx, b[i].name);
    b = pybuiltin_table(&n);
    for (size_t i = 0; i < n; i++)
        if (!strncmp(b[i].name, prefix, len))
            each(ctx, b[i].name);
    for (size_t i = 0; i < in->nvars; i++)
        if (in->vars[i]->bound && !strncmp(in->vars[i]->name, prefix, len))
            each(ctx, in->vars[i]->name);
}

/* --- output ---------------------------------------------------------------------- */

void interp_write(Interp *in, const char *text)
{
    if (in->write)
        in->write(in->write_ctx, text, strlen(text));
}

void interp_printf(Interp *in, const char *fmt, ...)
{
    Text t = {0};
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof buf) {
        interp_write(in, buf);
        return;
    }
    if (!text_reserve(&t, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(t.s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    interp_write(in, t.s);
    text_free(&t);
}

void interp_losses_reset(Interp *in)
{
    in->nlosses = 0;
}

void interp_losses_push(Interp *in, double loss)
{
    double *p = mem_grow(in->losses, &in->caplosses, in->nlosses + 1, sizeof *p, 1024);
    if (!p)
        return;     /* the curve is a convenience: drop points, not the run */
    in->losses = p;
    in->losses[in->nlosses++] = loss;
}

size_t interp_nlosses(const Interp *in)
{
    return in->nlosses;
}

const double *interp_losses(const Interp *in, size_t *n)
{
    *n = in->nlosses;
    return in->losses;
}

/* --- did you mean ------------------------------------------------------------------ */

static void consider(const char *word, const char *name, size_t *best_d, const char **best)
{
    size_t d = text_edit_distance(word, name);
    if (d < *best_d) {
        *best_d = d;
        *best = name;
    }
}

const char *closest_name(const Interp *in, const char *word, bool variables, bool commands)
{
    const char *best = NULL;
    size_t best_d = strlen(word) <= 3 ? 2 : 3;
    for (size_t i = 0; variables && i < in->nvars; i++)
        if (in->vars[i]->bound)
            consider(word, in->vars[i]->name, &best_d, &best);
    size_t n;
    const Builtin *rows = builtin_table(&n);
    for (size_t i = 0; i < n; i++)
        consider(word, rows[i].name, &best_d, &best);
    rows = pybuiltin_table(&n);
    for (size_t i = 0; i < n; i++)
        consider(word, rows[i].name, &best_d, &best);
    for (size_t k = 0; commands && k < in->ntables; k++)
        for (size_t i = 0; i < in->tables[k].n; i++)
            consider(word, in->tables[k].rows[i].name, &best_d, &best);
    return best;
}

/* --- variables ------------------------------------------------------------------- */

static unsigned hash_name(const char *s)
{
    unsigned h = 2166136261u;       /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

Var *global_find(const Interp *in, const char *name)
{
    if (!in->tcap)
        return NULL;
    unsigned h = hash_name(name);
    for (size_t i = h & (in->tcap - 1);; i = (i + 1) & (in->tcap - 1)) {
        Var *v = in->table[i];
        if (!v)
            return NULL;
        if (v->hash == h && !strcmp(v->name, name))
            return v;
    }
}

static bool table_grow(Interp *in)
{
    size_t cap = in->tcap ? 2 * in->tcap : 64;
    Var **t = mem_calloc(cap, sizeof *t);
    if (!t)
        return false;
    for (size_t i = 0; i < in->nvars; i++) {
        Var *v = in->vars[i];
        size_t k = v->hash & (cap - 1);
        while (t[k])
            k = (k + 1) & (cap - 1);
        t[k] = v;
    }
    mem_free(in->table);
    in->table = t;
    in->tcap = cap;
    return true;
}

Var *global_make(Interp *in, const char *name, Error *e)
{
    Var *v = global_find(in, name);
    if (v)
        return v;
    if ((in->nvars + 1) * 2 > in->tcap && !table_grow(in)) {
        error_nomem(e, "assign");
        return NULL;
    }
    Var **p = mem_grow(in->vars, &in->capvars, in->nvars + 1, sizeof *p, 16);
    if (!p) {
        error_nomem(e, "assign");
        return NULL;
    }
    in->vars = p;
    v = mem_calloc(1, sizeof *v);
    char *nm = v ? mem_strdup(name) : NULL;
    if (!nm) {
        mem_free(v);
        error_nomem(e, "assign");
        return NULL;
    }
    v->name = nm;
    v->hash = hash_name(name);
    v->value = value_none();
    in->vars[in->nvars++] = v;
    size_t k = v->hash & (in->tcap - 1);
    while (in->table[k])
        k = (k + 1) & (in->tcap - 1);
    in->table[k] = v;
    in->globals_gen++;
    return v;
}

void global_bind(Interp *in, Var *var, Value v)
{
    value_free(&var->value);
    var->value = v;
    var->version = ++in->versions;
    if (!var->bound)
        var->order = ++in->order;
    var->bound = true;
}

Value *interp_get(const Interp *in, const char *name)
{
    Var *v = global_find(in, name);
    return v && v->bound ? &v->value : NULL;
}

unsigned long interp_version(const Interp *in, const char *name)
{
    Var *v = global_find(in, name);
    return v && v->bound ? v->version : 0;
}

bool interp_set(Interp *in, const char *name, Value v, Error *e)
{
    Var *var = global_make(in, name, e);
    if (!var) {
        value_free(&v);
        return false;
    }
    global_bind(in, var, v);
    return true;
}

bool interp_clear(Interp *in, const char *name)
{
    Var *v = global_find(in, name);
    if (!v || !v->bound)
        return false;
    value_free(&v->value);
    v->bound = false;
    v->version = ++in->versions;
    return true;
}

bool interp_var_next(const Interp *in, size_t *cursor, const char **name, Value **value)
{
    while (*cursor < in->nvars) {
        Var *v = in->vars[(*cursor)++];
        if (v->bound) {
            *name = v->name;
            *value = &v->value;
            return true;
        }
    }
    return false;
}

const char *interp_name_of(const Interp *in, const Value *v)
{
    for (size_t i = 0; i < in->nvars; i++) {
        const Var *x = in->vars[i];
        if (x->bound && x->value.kind == v->kind && x->value.as.mlp == v->as.mlp)
            return x->name;
    }
    return NULL;
}

/* --- putting objects back ---------------------------------------------------------- */

/* A statement that fails changes no variable, yet learn(), train() and
 * list.append() change an object in place before the statement is over.
 * So they keep a copy of it first, and a failing statement puts every copy
 * back into the object (so every name sharing it sees it restored); a
 * statement that succeeds drops them.  A list or a dict is copied one
 * level down: its methods change which items it holds, never the items,
 * and the items it gets back are the very objects it held. */
static Undo *undo_find(Interp *in, const Value *v)
{
    for (size_t i = in->undo_mark; i < in->nundo; i++)
        if (in->undo[i].obj.kind == v->kind && in->undo[i].obj.as.mlp == v->as.mlp)
            return &in->undo[i];
    return NULL;
}

static Undo *undo_push(Interp *in, Error *e)
{
    Undo *grown = mem_grow(in->undo, &in->capundo, in->nundo + 1, sizeof *grown, 4);
    if (!grown) {
        error_nomem(e, "undo");
        return NULL;
    }
    in->undo = grown;
    Undo *u = &in->undo[in->nundo];
    memset(u, 0, sizeof *u);
    u->before = value_none();
    return u;
}

/* A copy of the first n items of a list or of a whole dict, sharing the
 * items. */
static bool copy_shallow(Value *dst, const Value *src, size_t n, Error *e)
{
    if (src->kind == VALUE_DICT) {
        const Dict *d = src->as.dict;
        if (!value_dict(dst, e))
            return false;
        for (size_t i = 0; i < d->n; i++)
            if (!dict_set(dst, value_ref(&d->keys[i]), value_ref(&d->vals[i]), e)) {
                value_free(dst);
                return false;
            }
        return true;
    }
    if (!value_list(dst, src->kind, n, e))
        return false;
    for (size_t i = 0; i < n; i++)
        list_push(dst, value_ref(&src->as.list->items[i]), e);    /* room was made: cannot fail */
    return true;
}

bool undo_keep(Interp *in, const Value *v, Var *var, Error *e)
{
    switch (v->kind) {
    case VALUE_TENSOR: case VALUE_LIST: case VALUE_DICT: case VALUE_RECORD: case VALUE_PERCEPTRON: case VALUE_MLP:
        break;
    default:
        return true;
    }
    Undo *u = undo_find(in, v);
    if (u && u->cut) {
        /* The list only grew so far this statement: its first keep items
         * are what it held. */
        Value before;
        if (!copy_shallow(&before, v, u->keep, e))
            return false;
        u->before = before;
        u->cut = false;
        return true;
    }
    if (u)
        return true;
    if (!(u = undo_push(in, e)))
        return false;
    bool ok;
    if (v->kind == VALUE_LIST || v->kind == VALUE_DICT)
        ok = copy_shallow(&u->before, v, v->kind == VALUE_LIST ? v->as.list->n : 0, e);
    else
        ok = value_copy(&u->before, v, e);
    if (!ok)
        return false;
    u->obj = value_ref(v);
    u->var = var;
    u->version = var ? var->version : 0;
    in->nundo++;
    return true;
}

bool undo_keep_growth(Interp *in, const Value *v, Var *var, Error *e)
{
    if (undo_find(in, v))
        return true;        /* kept already, as a copy or a length: either still holds */
    Undo *u = undo_push(in, e);
    if (!u)
        return false;
    u->cut = true;
    u->keep = v->as.list->n;
    u->obj = value_ref(v);
    u->var = var;
    u->version = var ? var->version : 0;
    in->nundo++;
    return true;
}

bool undo_keep_binding(Interp *in, Value *slot, Var *var, Error *e)
{
    for (size_t i = in->undo_mark; i < in->nundo; i++)
        if (in->undo[i].slot == slot)
            return true;
    Undo *u = undo_push(in, e);
    if (!u)
        return false;
    u->slot = slot;
    if (var && !var->bound) {
        u->before.kind = VALUE_UNBOUND;
    } else {
        u->before = value_ref(slot);
    }
    u->var = var;
    u->version = var ? var->version : 0;
    in->nundo++;
    return true;
}

void undo_drop(Interp *in, size_t mark)
{
    while (in->nundo > mark) {
        Undo *u = &in->undo[--in->nundo];
        value_free(&u->obj);
        value_free(&u->before);
    }
}

void undo_restore(Interp *in, size_t mark)
{
    while (in->nundo > mark) {
        Undo *u = &in->undo[--in->nundo];
        if (u->slot) {
            value_free(u->slot);
            if (u->var && u->before.kind == VALUE_UNBOUND) {
                u->var->bound = false;      /* the name did not exist */
                *u->slot = value_none();
            } else {
                *u->slot = u->before;       /* a local may go back to VALUE_UNBOUND */
            }
            u->before = value_none();
        } else if (u->cut) {
            List *l = u->obj.as.list;
            while (l->n > u->keep)
                value_free(&l->items[--l->n]);
        } else {
            value_restore_into(&u->obj, &u->before);
        }
        if (u->var)
            u->var->version = u->version;
        value_free(&u->obj);
    }
}
