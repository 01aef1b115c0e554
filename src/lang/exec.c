/* exec.c - running statements: assignment and display, control flow,
 * functions, imports, and `watch` on a loop. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/graph.h"
#include "nudge/mem.h"
#include "nudge/text.h"
#include "state.h"

bool eval_shown(Interp *in, const Node *n, Value *out, char **show, Error *e);
bool eval_augassign(Interp *in, const Node *n, Error *e);
bool value_pystr(Interp *in, const Value *v, Text *out, Error *e);
bool value_pyrepr(Interp *in, const Value *v, Text *out, Error *e);

/* --- display ---------------------------------------------------------------- */

void show_value(Interp *in, const char *name, const Value *v)
{
    Error e;
    error_clear(&e);
    char *s = value_show(name, v, in->format, in->width, &e);
    if (s) {
        interp_write(in, s);
        mem_free(s);
    } else {
        interp_write(in, "error: out of memory while printing\n");
    }
}

/* The source text of a target, for "net.W1 = ..." displays. */
static void target_text(const Node *t, Text *out)
{
    if (t->kind == NODE_NAME) {
        text_puts(out, t->text);
    } else if (t->kind == NODE_FIELD) {
        target_text(t->kids[0], out);
        text_printf(out, ".%s", t->text);
    } else if (t->kind == NODE_INDEX) {
        target_text(t->kids[0], out);
        text_puts(out, "[...]");
    } else {
        text_puts(out, "ans");
    }
}

/* Whether a statement's result is shown: only at the top level of nudge's
 * own rules, and not after ';'. */
static bool shows(const Interp *in, const Node *s)
{
    return !s->quiet && !in->python && !in->frame && !in->in_block;
}

static void show_target(Interp *in, const Node *target)
{
    if (target->kind == NODE_TUPLE || target->kind == NODE_LIST) {
        for (size_t i = 0; i < target->nkids; i++)
            show_target(in, target->kids[i]);
        return;
    }
    /* a[0] = 7 shows all of a, as Octave does: the element alone would
     * say nothing about where it went. */
    /* net.W[k] = v shows that layer: a net's W is a list made afresh, so
     * all of it would say less (k must be a plain number or name, so that
     * showing it calls nothing again). */
    bool layer = target->kind == NODE_INDEX && target->kids[0]->kind == NODE_FIELD
              && (!strcmp(target->kids[0]->text, "W") || !strcmp(target->kids[0]->text, "b"))
              && (target->kids[1]->kind == NODE_NUMBER || target->kids[1]->kind == NODE_NAME
                  || (target->kids[1]->kind == NODE_UNARY && target->kids[1]->kids[0]->kind == NODE_NUMBER));
    while (target->kind == NODE_INDEX && !layer)
        target = target->kids[0];
    /* Only names and their fields are shown: evaluating anything else
     * (f().w) again could call a function a second time. */
    const Node *root = target;
    while (root->kind == NODE_FIELD || root->kind == NODE_INDEX)
        root = root->kids[0];
    if (root->kind != NODE_NAME)
        return;
    Value v;
    Error e;
    error_clear(&e);
    if (!eval(in, target, &v, &e))
        return;
    Text name = {0};
    target_text(target, &name);
    if (!name.failed)
        show_value(in, name.s, &v);
    text_free(&name);
    value_free(&v);
}

/* --- simple statements ------------------------------------------------------------ */

static bool exec_assign(Interp *in, const Node *s, Error *e)
{
    const Node *value = s->kids[s->nkids - 1];
    Value v;
    char *show = NULL;
    if (!eval_shown(in, value, &v, &show, e))
        return false;
    if (v.kind == VALUE_NONE && show) {
        /* backward(), learn() and the like explained themselves; nothing is kept. */
        const Node *c = value;
        if (!s->quiet)
            interp_write(in, show);
        mem_free(show);
        return fail_at(s->kids[0], e, ERROR_TYPE, "%s%s gives no value to store; call it without '... ='",
                       c->kind == NODE_CALL && c->kids[0]->kind == NODE_NAME ? c->kids[0]->text : "this",
                       c->kind == NODE_CALL ? "(...)" : "");
    }
    if (show && !s->quiet)
        interp_write(in, show);
    /* a = b = v binds every target to the same object. */
    const Node *first = s->kids[0];
    bool shadows = false;
    if (first->kind == NODE_NAME && first->scope == SCOPE_GLOBAL && !in->frame && !in->python) {
        const Builtin *b;
        const Var *old = cached_var(in, first, &b);
        shadows = (!old || !old->bound) && interp_find_command(in, first->text, strlen(first->text));
    }
    /* The value that grad should see under the new name: a plain copy of a
     * variable keeps its history, as a step of its own. */
    if (!v.graph && in->record && value->kind == NODE_NAME && (v.kind == VALUE_NUMBER || v.kind == VALUE_TENSOR)) {
        unsigned long version = 0;
        if (value->scope == SCOPE_GLOBAL) {
            const Var *src = global_find(in, value->text);
            version = src ? src->version : 0;
        }
        GNode *leaf = graph_leaf(v.kind == VALUE_TENSOR ? v.as.tensor : NULL, v.as.number, value->text, version);
        if (leaf) {
            v.graph = graph_node(GRAPH_COPY, leaf, NULL, v.kind == VALUE_TENSOR ? v.as.tensor : NULL, v.as.number);
            graph_release(leaf);
        }
    }
    /* Several targets (a, b[0] = ..., a = b = ...): each keeps what it
     * replaces, so that one failing leaves the others as they were. */
    bool saved_atomic = in->atomic;
    in->atomic = s->nkids > 2 || first->kind == NODE_TUPLE || first->kind == NODE_LIST;
    bool ok = true, moved = false;
    for (size_t i = 0; i + 1 < s->nkids && ok; i++) {
        /* the last target takes v itself, the others a reference each */
        moved = i + 2 == s->nkids;
        ok = assign_target(in, s->kids[i], moved ? v : value_ref(&v), e);
    }
    in->atomic = saved_atomic;
    if (!moved)
        value_free(&v);     /* a target before the last failed */
    if (ok && shows(in, s) && !show)
        for (size_t i = 0; i + 1 < s->nkids; i++)
            show_target(in, s->kids[i]);
    if (ok && shadows)
        interp_printf(in, "note: %s is also a command, and a line that is just %s runs it; (%s) shows the "
                          "variable\n", first->text, first->text, first->text);
    mem_free(show);
    return ok;
}

static bool exec_expr(Interp *in, const Node *s, Error *e)
{
    const Node *x = s->kids[0];
    Value v;
    char *show = NULL;
    if (!eval_shown(in, x, &v, &show, e))
        return false;
    bool ok = true;
    if (show) {
        if (!s->quiet)
            interp_write(in, show);
        mem_free(show);
        if (v.kind != VALUE_NONE && !in->frame && !in->python) {
            Var *ans = global_make(in, "ans", e);
            if (ans)
                global_bind(in, ans, v);
            else
                value_free(&v);
            return ans != NULL || locate(s, e);
        }
        value_free(&v);
        return true;
    }
    if (v.kind == VALUE_NONE || x->kind == NODE_STRING) {
        /* None shows nothing; a string standing alone is a docstring. */
        value_free(&v);
        return true;
    }
    bool display = shows(in, s);
    const char *name = x->kind == NODE_NAME ? x->text : "ans";
    if (display)
        show_value(in, name, &v);
    if (x->kind != NODE_NAME && !in->frame && !in->python) {
        Var *ans = global_make(in, "ans", e);
        if (ans)
            global_bind(in, ans, v);
        else {
            value_free(&v);
            ok = locate(s, e);
        }
    } else {
        value_free(&v);
    }
    return ok;
}

static bool exec_augassign(Interp *in, const Node *s, Error *e)
{
    if (!eval_augassign(in, s, e))
        return false;
    if (shows(in, s))
        show_target(in, s->kids[0]);
    return true;
}

static bool exec_command(Interp *in, const Node *s, Error *e)
{
    const Command *c = NULL;
    void *ctx = NULL;
    for (size_t t = in->ntables; t-- > 0 && !c;)
        for (size_t i = 0; i < in->tables[t].n; i++)
            if (!strcmp(in->tables[t].rows[i].name, s->text)) {
                c = &in->tables[t].rows[i];
                ctx = in->tables[t].ctx;
                break;
            }
    if (!c)
        return fail_at(s, e, ERROR_NAME, "unknown command '%s'", s->text);
    error_clear(e);
    if (c->fn(in, ctx, s->text2, e))
        return true;
    int arg_col = (int)s->number;
    if (e && e->col > 0 && e->line <= 1) {
        e->col += arg_col - 1;
        e->line = s->line;
    } else if (e && e->col <= 0) {
        /* A complaint about the argument points at it. */
        e->line = s->line;
        e->col = *s->text2 ? arg_col : s->col;
    }
    return false;
}

static bool exec_import(Interp *in, const Node *s, Error *e)
{
    for (size_t i = 0; i < s->nkids; i++) {
        const Node *al = s->kids[i];
        if (s->kind == NODE_IMPORT) {
            const Module *m = module_find(al->text);
            if (!m)
                return fail_at(al, e, ERROR_NAME, "nudge can import numpy and math, not '%s' (it has no other "
                               "modules)", al->text);
            /* `import numpy.random` binds numpy; `import numpy.random as r` binds the submodule. */
            const Module *bound = m;
            if (!al->text2 && strchr(al->text, '.')) {
                char top[64];
                snprintf(top, sizeof top, "%.*s", (int)(strchr(al->text, '.') - al->text), al->text);
                bound = module_find(top);
            }
            Value v = value_none();
            v.kind = VALUE_MODULE;
            v.as.module = bound;
            Node name = *al;
            name.kind = NODE_NAME;
            char first[64];
            snprintf(first, sizeof first, "%.*s", (int)strcspn(al->text, "."), al->text);
            name.text = al->text2 ? al->text2 : first;
            name.cache = NULL;
            name.cache_gen = 0;
            if (!assign_target(in, &name, v, e))
                return false;
            continue;
        }
        const Module *m = module_find(s->text);
        if (!m)
            return fail_at(s, e, ERROR_NAME, "nudge can import from numpy and math, not from '%s'", s->text);
        if (!strcmp(al->text, "*")) {
            for (size_t k = 0; k < m->n; k++) {
                Value v = value_none();
                v.kind = VALUE_BUILTIN;
                v.as.builtin = &m->rows[k];
                Node name = *al;
                name.kind = NODE_NAME;
                name.text = (char *)m->rows[k].name;
                name.scope = in->frame ? SCOPE_GLOBAL : al->scope;
                name.cache = NULL;
                name.cache_gen = 0;
                name.scope = SCOPE_GLOBAL;
                if (!assign_target(in, &name, v, e))
                    return false;
            }
            for (size_t k = 0; k < m->nconsts; k++) {
                Node name = *al;
                name.kind = NODE_NAME;
                name.text = (char *)m->consts[k].name;
                name.cache = NULL;
                name.cache_gen = 0;
                name.scope = SCOPE_GLOBAL;
                if (!assign_target(in, &name, value_number(m->consts[k].value), e))
                    return false;
            }
            continue;
        }
        Value v;
        if (!module_get(m, al->text, &v))
            return fail_at(al, e, ERROR_NAME, "%s has no '%s' in nudge (help %s lists what it has)", s->text, al->text,
                           !strcmp(s->text, "numpy") ? "np" : s->text);
        Node name = *al;
        name.kind = NODE_NAME;
        name.text = al->text2 ? al->text2 : al->text;
        name.cache = NULL;
        name.cache_gen = 0;
        if (!assign_target(in, &name, v, e))
            return false;
    }
    return true;
}

static bool exec_assert(Interp *in, const Node *s, Error *e)
{
    Value c;
    if (!eval(in, s->kids[0], &c, e))
        return false;
    bool t;
    bool ok = value_truth(&c, &t, e) || locate(s->kids[0], e);
    value_free(&c);
    if (!ok || t)
        return ok;
    if (!s->kids[1])
        return fail_at(s, e, ERROR_ARG, "assertion failed");
    Value m;
    if (!eval(in, s->kids[1], &m, e))
        return false;
    Text msg = {0};
    ok = value_pystr(in, &m, &msg, e);
    value_free(&m);
    if (ok)
        fail_at(s, e, ERROR_ARG, "assertion failed: %s", msg.s ? msg.s : "");
    text_free(&msg);
    return false;
}

static bool exec_raise(Interp *in, const Node *s, Error *e)
{
    if (!s->nkids || !s->kids[0])
        return fail_at(s, e, ERROR_ARG, "raise with nothing to raise (nudge has no exception to re-raise)");
    const Node *x = s->kids[0];
    /* raise ValueError("...") reads as an error with that message */
    const Node *msgnode = x;
    const char *kind = NULL;
    if (x->kind == NODE_CALL && x->kids[0]->kind == NODE_NAME) {
        kind = x->kids[0]->text;
        msgnode = x->nkids > 1 ? x->kids[1] : NULL;
    } else if (x->kind == NODE_NAME) {
        kind = x->text;
        msgnode = NULL;
    }
    Text msg = {0};
    if (msgnode) {
        Value m;
        if (!eval(in, msgnode, &m, e))
            return false;
        bool ok = value_pystr(in, &m, &msg, e);
        value_free(&m);
        if (!ok)
            return false;
    }
    if (kind && msg.len)
        fail_at(s, e, ERROR_ARG, "%s: %s", kind, msg.s);
    else if (kind)
        fail_at(s, e, ERROR_ARG, "%s", kind);
    else
        fail_at(s, e, ERROR_ARG, "%s", msg.s ? msg.s : "error");
    text_free(&msg);
    return false;
}

static bool exec_del(Interp *in, const Node *s, Error *e)
{
    for (size_t i = 0; i < s->nkids; i++) {
        const Node *t = s->kids[i];
        if (t->kind == NODE_NAME) {
            if (t->scope == SCOPE_GLOBAL) {
                if (!interp_clear(in, t->text))
                    return fail_at(t, e, ERROR_NAME, "'%s' is not a variable", t->text);
            } else {
                Frame *f = in->frame;
                for (int k = 0; t->scope == SCOPE_FREE && k < t->up && f; k++)
                    f = f->up;
                value_free(&f->slots[t->slot]);
                f->slots[t->slot].kind = VALUE_UNBOUND;
            }
            continue;
        }
        if (t->kind == NODE_INDEX) {
            Value seq;
            if (!eval(in, t->kids[0], &seq, e))
                return false;
            bool ok = true;
            if (seq.kind == VALUE_LIST) {
                Value iv;
                ok = eval(in, t->kids[1], &iv, e);
                if (ok) {
                    List *l = seq.as.list;
                    long long k = iv.kind == VALUE_INT ? iv.as.integer : LLONG_MIN;
                    if (k < 0 && k != LLONG_MIN)
                        k += (long long)l->n;
                    if (iv.kind != VALUE_INT || k < 0 || k >= (long long)l->n)
                        ok = fail_at(t->kids[1], e, ERROR_ARG, "del: the index is not a position in the list");
                    else {
                        value_free(&l->items[k]);
                        memmove(&l->items[k], &l->items[k + 1], (l->n - (size_t)k - 1) * sizeof *l->items);
                        l->n--;
                    }
                    value_free(&iv);
                }
            } else if (seq.kind == VALUE_DICT) {
                Value key;
                ok = eval(in, t->kids[1], &key, e);
                if (ok) {
                    Dict *d = seq.as.dict;
                    size_t k = 0;
                    while (k < d->n && !value_equal(&d->keys[k], &key))
                        k++;
                    if (k == d->n)
                        ok = fail_at(t->kids[1], e, ERROR_NAME, "del: the dict has no such key");
                    else {
                        value_free(&d->keys[k]);
                        value_free(&d->vals[k]);
                        memmove(&d->keys[k], &d->keys[k + 1], (d->n - k - 1) * sizeof *d->keys);
                        memmove(&d->vals[k], &d->vals[k + 1], (d->n - k - 1) * sizeof *d->vals);
                        d->n--;
                    }
                    value_free(&key);
                }
            } else {
                char d[64];
                ok = fail_at(t, e, ERROR_TYPE, "del: cannot delete items of %s", value_describe(&seq, d, sizeof d));
            }
            value_free(&seq);
            if (!ok)
                return false;
            continue;
        }
        return fail_at(t, e, ERROR_SYNTAX, "del works on names, list items and dict keys");
    }
    return true;
}

/* Runs one simple statement: all or nothing, as far as variables go. */
static bool exec_simple(Interp *in, const Node *s, Error *e)
{
    switch (s->kind) {
    case NODE_EXPR_STMT: return exec_expr(in, s, e);
    case NODE_ASSIGN: return exec_assign(in, s, e);
    case NODE_AUGASSIGN: return exec_augassign(in, s, e);
    case NODE_COMMAND: return exec_command(in, s, e);
    case NODE_IMPORT:
    case NODE_FROM: return exec_import(in, s, e);
    case NODE_ASSERT: return exec_assert(in, s, e);
    case NODE_RAISE: return exec_raise(in, s, e);
    case NODE_DEL: return exec_del(in, s, e);
    case NODE_PASS:
    case NODE_GLOBAL:
    case NODE_NONLOCAL: return true;
    default: return fail_at(s, e, ERROR_SYNTAX, "cannot run this statement");
    }
}

/* --- loops ---------------------------------------------------------------------- */

static bool interrupted(Interp *in, const Node *at, Error *e)
{
    if (in->interrupted && *in->interrupted) {
        *in->interrupted = 0;
        return fail_at(at, e, ERROR_INTERRUPT, "interrupted"), true;
    }
    return false;
}

/* Names the iteration an error happened in: "for loop, i = 37". */
static void name_iteration(Interp *in, const Node *loop, size_t pass, Error *e)
{
    if (!e || e->code == ERROR_INTERRUPT)
        return;
    const Node *target = loop->kind == NODE_FOR ? loop->kids[0] : NULL;
    if (target && target->kind == NODE_NAME) {
        Value v;
        Error ignore;
        error_clear(&ignore);
        if (eval(in, target, &v, &ignore)) {
            char *s = value_inline(&v, FORMAT_SHORT, &ignore);
            value_free(&v);
            if (s) {
                if (strlen(s) > 40)
                    strcpy(s + 37, "...");
                char layer[ERROR_CONTEXT_MAX];
                snprintf(layer, sizeof layer, "for loop, %s = %s", target->text, s);
                mem_free(s);
                /* a loop in a function that calls itself: named once */
                if (!context_has(e, layer, true))
                    error_add_context(e, "%s", layer);
                return;
            }
        }
    }
    char layer[64];
    snprintf(layer, sizeof layer, "%s loop, pass %zu", loop->kind == NODE_FOR ? "for" : "while", pass);
    if (!context_has(e, layer, true))
        error_add_context(e, "%s", layer);
}

Flow exec_stmt(Interp *in, const Node *s, Error *e);

/* A block inside a compound statement (a branch of if, a loop's else):
 * its statements run without echo, as a loop body's do. */
static Flow inner_block(Interp *in, const Node *block, Error *e)
{
    bool saved = in->in_block;
    in->in_block = true;
    Flow f = exec_block(in, block, e);
    in->in_block = saved;
    return f;
}

/* The body of a loop for one pass: what the pass ended with. */
static Flow loop_body(Interp *in, const Node *loop, const Node *body, size_t pass, Error *e)
{
    bool saved_loop = in->in_block, saved_record = in->record;
    in->in_block = true;
    /* Histories are kept in a loop only when its body asks for gradients:
     * a training loop would otherwise keep every step it ever took. */
    in->record = saved_record && loop->uses_grad;
    Flow f = exec_block(in, body, e);
    in->in_block = saved_loop;
    in->record = saved_record;
    if (f == FLOW_ERROR)
        name_iteration(in, loop, pass, e);
    return f;
}

static Flow exec_for(Interp *in, const Node *s, Error *e)
{
    Value seq;
    if (!eval(in, s->kids[1], &seq, e))
        return FLOW_ERROR;
    Iter it;
    bool ok = iter_init(in, &seq, &it, e) || locate(s->kids[1], e);
    value_free(&seq);
    if (!ok)
        return FLOW_ERROR;
    Flow result = FLOW_NORMAL;
    bool broke = false;
    size_t pass = 0;
    for (;;) {
        if (interrupted(in, s, e)) {
            result = FLOW_ERROR;
            break;
        }
        Value item;
        int r = iter_next(in, &it, &item, e);
        if (r < 0) {
            locate(s, e);
            result = FLOW_ERROR;
            break;
        }
        if (r == 0)
            break;
        pass++;
        if (!assign_target(in, s->kids[0], item, e)) {
            result = FLOW_ERROR;
            break;
        }
        Flow f = loop_body(in, s, s->kids[2], pass, e);
        if (f == FLOW_BREAK) {
            broke = true;
            break;
        }
        if (f == FLOW_RETURN || f == FLOW_ERROR) {
            result = f;
            break;
        }
    }
    iter_free(&it);
    if (result == FLOW_NORMAL && !broke && s->kids[3])
        return inner_block(in, s->kids[3], e);
    return result;
}

static Flow exec_while(Interp *in, const Node *s, Error *e)
{
    size_t pass = 0;
    for (;;) {
        if (interrupted(in, s, e))
            return FLOW_ERROR;
        Value c;
        if (!eval(in, s->kids[0], &c, e))
            return FLOW_ERROR;
        bool t;
        bool ok = value_truth(&c, &t, e) || locate(s->kids[0], e);
        value_free(&c);
        if (!ok)
            return FLOW_ERROR;
        if (!t)
            break;
        Flow f = loop_body(in, s, s->kids[1], ++pass, e);
        if (f == FLOW_BREAK)
            return FLOW_NORMAL;
        if (f == FLOW_RETURN || f == FLOW_ERROR)
            return f;
    }
    if (s->kids[2])
        return inner_block(in, s->kids[2], e);
    return FLOW_NORMAL;
}

/* --- watch -------------------------------------------------------------------------- */

struct LiveLoop {
    Interp *in;
    const Node *stmt;       /* the watch statement */
    const Node *loop;
    Iter it;
    bool started, done;
    size_t iteration;
    char **targets;         /* names the body assigns */
    size_t ntargets;
    char **charted;         /* names the student asked to chart */
    size_t ncharted;
};

static void add_name(char ***names, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*names)[i], name))
            return;
    char **grown = mem_realloc(*names, *n + 1, sizeof *grown);
    char *copy = grown ? mem_strdup(name) : NULL;
    if (grown)
        *names = grown;
    if (copy)
        (*names)[(*n)++] = copy;
}

static void collect_targets(LiveLoop *l, const Node *n)
{
    if (!n)
        return;
    if (n->kind == NODE_ASSIGN) {
        for (size_t i = 0; i + 1 < n->nkids; i++)
            collect_targets(l, n->kids[i]);
        return;
    }
    if (n->kind == NODE_AUGASSIGN) {
        collect_targets(l, n->kids[0]);
        return;
    }
    if (n->kind == NODE_NAME && n->scope == SCOPE_GLOBAL) {
        add_name(&l->targets, &l->ntargets, n->text);
        return;
    }
    if (n->kind == NODE_FIELD || n->kind == NODE_INDEX) {
        collect_targets(l, n->kids[0]);
        return;
    }
    if (n->kind == NODE_TUPLE || n->kind == NODE_BLOCK || n->kind == NODE_IF || n->kind == NODE_FOR
        || n->kind == NODE_WHILE)
        for (size_t i = 0; i < n->nkids; i++)
            if (n->kids[i] && !(n->kind == NODE_FOR && i == 1) && !(n->kind == NODE_IF && i == 0)
                && !(n->kind == NODE_WHILE && i == 0))
                collect_targets(l, n->kids[i]);
}

size_t interp_loop_iteration(const LiveLoop *l) { return l->iteration; }
bool interp_loop_done(const LiveLoop *l) { return l->done; }

size_t interp_loop_length(const LiveLoop *l)
{
    if (!l->started || l->loop->kind != NODE_FOR)
        return 0;
    switch (l->it.src.kind) {
    case VALUE_RANGE:
    case VALUE_TENSOR: return l->it.n;
    case VALUE_LIST:
    case VALUE_TUPLE: return l->it.src.as.list->n;
    case VALUE_DICT: return l->it.src.as.dict->n;
    default: return 0;
    }
}

const char *const *interp_loop_targets(const LiveLoop *l, size_t *n)
{
    *n = l->ntargets;
    return (const char *const *)l->targets;
}

const char *const *interp_loop_charted(const LiveLoop *l, size_t *n)
{
    *n = l->ncharted;
    return (const char *const *)l->charted;
}

/* The loop's source line, for the view's title. */
const char *interp_loop_source(const LiveLoop *l, char *buf, size_t n)
{
    const char *src = l->in->program ? l->in->program->src + l->stmt->src_offset : "";
    size_t len = strcspn(src, "\n");
    snprintf(buf, n, "%.*s", (int)(len < n ? len : n - 1), src);
    return buf;
}

/* One whole pass of the watched loop: 1 when it ran, 0 when the loop is
 * over, -1 on an error (then the loop is over too). */
int interp_loop_step(Interp *in, LiveLoop *l, Error *e)
{
    if (l->done)
        return 0;
    const Node *s = l->loop;
    if (!l->started) {
        l->started = true;
        if (s->kind == NODE_FOR) {
            Value seq;
            if (!eval(in, s->kids[1], &seq, e)) {
                l->done = true;
                return -1;
            }
            bool ok = iter_init(in, &seq, &l->it, e) || locate(s->kids[1], e);
            value_free(&seq);
            if (!ok) {
                l->done = true;
                return -1;
            }
        }
    }
    Flow f;
    if (s->kind == NODE_FOR) {
        Value item;
        int r = iter_next(in, &l->it, &item, e);
        if (r <= 0) {
            l->done = true;
            if (r < 0)
                return locate(s, e), -1;
            if (s->kids[3] && inner_block(in, s->kids[3], e) == FLOW_ERROR)
                return -1;
            return 0;
        }
        if (!assign_target(in, s->kids[0], item, e)) {
            l->done = true;
            return -1;
        }
        f = loop_body(in, s, s->kids[2], l->iteration + 1, e);
    } else {
        Value c;
        if (!eval(in, s->kids[0], &c, e)) {
            l->done = true;
            return -1;
        }
        bool t;
        bool ok = value_truth(&c, &t, e) || locate(s->kids[0], e);
        value_free(&c);
        if (!ok) {
            l->done = true;
            return -1;
        }
        if (!t) {
            l->done = true;
            if (s->kids[2] && inner_block(in, s->kids[2], e) == FLOW_ERROR)
                return -1;
            return 0;
        }
        f = loop_body(in, s, s->kids[1], l->iteration + 1, e);
    }
    l->iteration++;
    if (f == FLOW_ERROR) {
        l->done = true;
        return -1;
    }
    if (f == FLOW_BREAK || f == FLOW_RETURN) {
        l->done = true;
        return 1;
    }
    return 1;
}

static Flow exec_watch(Interp *in, const Node *s, Error *e)
{
    const Node *loop = s->kids[0];
    if (!in->live_loop || in->frame)
        return exec_stmt(in, loop, e);
    LiveLoop l;
    memset(&l, 0, sizeof l);
    l.in = in;
    l.stmt = s;
    l.loop = loop;
    collect_targets(&l, loop->kind == NODE_FOR ? loop->kids[2] : loop->kids[1]);
    for (const char *p = s->text2; *p;) {
        size_t len = strcspn(p, " ");
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), p);
        add_name(&l.charted, &l.ncharted, name);
        p += len;
        while (*p == ' ')
            p++;
    }
    bool ok = in->live_loop(in->live_ctx, in, &l, e);
    if (l.started && loop->kind == NODE_FOR)
        iter_free(&l.it);
    for (size_t i = 0; i < l.ntargets; i++)
        mem_free(l.targets[i]);
    for (size_t i = 0; i < l.ncharted; i++)
        mem_free(l.charted[i]);
    mem_free(l.targets);
    mem_free(l.charted);
    if (!ok)
        locate(s, e);
    return ok ? FLOW_NORMAL : FLOW_ERROR;
}

/* --- statements ---------------------------------------------------------------------- */

bool make_def(Interp *in, const Node *n, Value *out, Error *e);

Flow exec_stmt(Interp *in, const Node *s, Error *e)
{
    switch (s->kind) {
    case NODE_IF: {
        Value c;
        if (!eval(in, s->kids[0], &c, e))
            return FLOW_ERROR;
        bool t;
        bool ok = value_truth(&c, &t, e) || locate(s->kids[0], e);
        value_free(&c);
        if (!ok)
            return FLOW_ERROR;
        const Node *branch = t ? s->kids[1] : s->kids[2];
        if (!branch)
            return FLOW_NORMAL;
        return branch->kind == NODE_IF ? exec_stmt(in, branch, e) : inner_block(in, branch, e);
    }
    case NODE_FOR:
        return exec_for(in, s, e);
    case NODE_WHILE:
        return exec_while(in, s, e);
    case NODE_WATCH:
        return exec_watch(in, s, e);
    case NODE_BREAK:
        return FLOW_BREAK;
    case NODE_CONTINUE:
        return FLOW_CONTINUE;
    case NODE_RETURN: {
        /* Evaluated aside first: `return g()` runs g's own return, which
         * passes its value through in->retval too. */
        Value v = value_none();
        if (s->nkids && s->kids[0] && !eval(in, s->kids[0], &v, e))
            return FLOW_ERROR;
        value_free(&in->retval);
        in->retval = v;
        return FLOW_RETURN;
    }
    case NODE_DEF: {
        Value f;
        if (!make_def(in, s, &f, e))
            return FLOW_ERROR;
        Node name = *s;
        name.kind = NODE_NAME;
        return assign_target(in, &name, f, e) ? FLOW_NORMAL : FLOW_ERROR;
    }
    default: {
        /* A simple statement changes nothing when it fails. */
        if (interrupted(in, s, e))
            return FLOW_ERROR;
        size_t outer = in->undo_mark;
        in->undo_mark = in->nundo;
        bool ok = exec_simple(in, s, e);
        if (ok)
            undo_drop(in, in->undo_mark);
        else
            undo_restore(in, in->undo_mark);
        in->undo_mark = outer;
        return ok ? FLOW_NORMAL : FLOW_ERROR;
    }
    }
}

Flow exec_block(Interp *in, const Node *block, Error *e)
{
    for (size_t i = 0; i < block->nkids && !in->quit; i++) {
        Flow f = exec_stmt(in, block->kids[i], e);
        if (f != FLOW_NORMAL)
            return f;
    }
    return FLOW_NORMAL;
}

bool exec_program(Interp *in, Program *prog, Error *e)
{
    Program *saved = in->program;
    bool saved_python = in->python;
    in->program = prog;
    in->python = prog->python;
    bool ok = true;
    for (size_t i = 0; i < prog->body->nkids && ok && !in->quit; i++) {
        error_clear(e);
        in->record = true;
        Flow f = exec_stmt(in, prog->body->kids[i], e);
        ok = f != FLOW_ERROR;
        if (f == FLOW_BREAK || f == FLOW_CONTINUE)
            ok = fail_at(prog->body->kids[i], e, ERROR_SYNTAX, "break and continue belong inside a loop");
        if (!ok && e && e->line == 0)
            e->line = prog->body->kids[i]->line;
    }
    in->record = false;
    in->program = saved;
    in->python = saved_python;
    return ok;
}
