/* resolve.c - Python's scope rules, worked out once after parsing (the job
 * of CPython's symtable.c): a name assigned anywhere in a function is local
 * to it unless declared global or nonlocal; a name a function only reads
 * comes from the nearest enclosing function that binds it, else from the
 * session's variables.  Each name node learns its slot, so evaluation never
 * searches for a local by its spelling. */
#include <stdio.h>
#include <string.h>

#include "nudge/mem.h"
#include "state.h"

typedef struct Sym {
    Node *fn;                   /* the function, lambda or comprehension */
    Scope *scope;               /* being filled; becomes fn->fscope */
    size_t cap;
    const Node **globals;       /* its `global` statements' names */
    size_t nglobals, capglobals;
    const Node **nonlocals;
    size_t nnonlocals, capnonlocals;
    struct Sym *up;
} Sym;

typedef struct Resolver {
    Error *e;
    bool failed;
    int loops;                  /* loops around the statement being resolved (in this function) */
    bool in_function;
} Resolver;

static bool fail(Resolver *r, const Node *n, const char *fmt, const char *name)
{
    if (!r->failed) {
        r->failed = true;
        error_set(r->e, ERROR_SYNTAX, fmt, name);
        if (r->e) {
            r->e->line = n->line;
            r->e->col = n->col;
        }
    }
    return false;
}

/* An allocation failed: "out of memory" at n, with the code that says so. */
static bool nomem(Resolver *r, const Node *n)
{
    bool first = !r->failed;
    fail(r, n, "%s", "out of memory");
    if (first && r->e)
        r->e->code = ERROR_NOMEM;
    return false;
}

static int slot_of(const Scope *s, const char *name)
{
    for (size_t i = 0; i < s->nslots; i++)
        if (!strcmp(s->names[i], name))
            return (int)i;
    return -1;
}

static bool declared(const Node **list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i]->text, name))
            return true;
    return false;
}

static bool add_slot(Resolver *r, Sym *s, const Node *at, const char *name)
{
    if (slot_of(s->scope, name) >= 0 || declared(s->globals, s->nglobals, name)
        || declared(s->nonlocals, s->nnonlocals, name))
        return true;
    Scope *sc = s->scope;
    char **names = mem_grow(sc->names, &s->cap, sc->nslots + 1, sizeof *names, 8);
    if (!names)
        return nomem(r, at);
    sc->names = names;
    char *copy = mem_strdup(name);
    if (!copy)
        return nomem(r, at);
    sc->names[sc->nslots++] = copy;
    return true;
}

static bool push_decl(Resolver *r, const Node ***list, size_t *n, size_t *cap, const Node *name)
{
    const Node **l = mem_grow((void *)*list, cap, *n + 1, sizeof *l, 4);
    if (!l)
        return nomem(r, name);
    *list = l;
    (*list)[(*n)++] = name;
    return true;
}

/* --- pass 1: the names a function binds --------------------------------------- */

static bool collect_target(Resolver *r, Sym *s, const Node *t)
{
    if (!t)
        return true;
    switch (t->kind) {
    case NODE_NAME:
        return add_slot(r, s, t, t->text);
    case NODE_TUPLE:
    case NODE_LIST:
        for (size_t i = 0; i < t->nkids; i++)
            if (!collect_target(r, s, t->kids[i]))
                return false;
        return true;
    default:
        return true;    /* a field or an element: binds no name */
    }
}

/* Walks statements (and the expressions in them that cannot hold a nested
 * scope's bindings) for what the function binds. */
static bool collect(Resolver *r, Sym *s, const Node *n)
{
    if (!n || r->failed)
        return !r->failed;
    switch (n->kind) {
    case NODE_DEF:
        return add_slot(r, s, n, n->text);      /* its body is its own scope */
    case NODE_LAMBDA:
    case NODE_LISTCOMP:
    case NODE_GENEXP:
    case NODE_DICTCOMP:
        return true;
    case NODE_ASSIGN:
        for (size_t i = 0; i + 1 < n->nkids; i++)
            if (!collect_target(r, s, n->kids[i]))
                return false;
        return true;
    case NODE_AUGASSIGN:
        return collect_target(r, s, n->kids[0]);
    case NODE_FOR:
        if (!collect_target(r, s, n->kids[0]))
            return false;
        for (size_t i = 2; i < n->nkids; i++)
            if (!collect(r, s, n->kids[i]))
                return false;
        return true;
    case NODE_IMPORT:
    case NODE_FROM:
        for (size_t i = 0; i < n->nkids; i++) {
            const Node *al = n->kids[i];
            if (!strcmp(al->text, "*"))
                continue;
            char first[128];
            const char *name = al->text2;
            if (!name) {
                /* `import numpy.random` binds numpy */
                snprintf(first, sizeof first, "%s", al->text);
                char *dot = strchr(first, '.');
                if (dot && n->kind == NODE_IMPORT)
                    *dot = '\0';
                name = first;
            }
            if (!add_slot(r, s, al, name))
                return false;
        }
        return true;
    case NODE_DEL:
        for (size_t i = 0; i < n->nkids; i++)
            if (n->kids[i]->kind == NODE_NAME && !add_slot(r, s, n->kids[i], n->kids[i]->text))
                return false;
        return true;
    case NODE_GLOBAL:
    case NODE_NONLOCAL:
        for (size_t i = 0; i < n->nkids; i++) {
            const Node *nm = n->kids[i];
            if (slot_of(s->scope, nm->text) >= 0 && (size_t)slot_of(s->scope, nm->text) < s->scope->nparams)
                return fail(r, nm, "'%s' is a parameter, so it cannot also be declared global or nonlocal", nm->text);
            if (slot_of(s->scope, nm->text) >= 0)
                return fail(r, nm, "'%s' is assigned before its global or nonlocal declaration; declare it first",
                            nm->text);
            if (n->kind == NODE_GLOBAL) {
                if (!push_decl(r, &s->globals, &s->nglobals, &s->capglobals, nm))
                    return false;
            } else if (!push_decl(r, &s->nonlocals, &s->nnonlocals, &s->capnonlocals, nm)) {
                return false;
            }
        }
        return true;
    case NODE_BLOCK:
    case NODE_IF:
    case NODE_WHILE:
    case NODE_WATCH:
        for (size_t i = 0; i < n->nkids; i++)
            if (!collect(r, s, n->kids[i]))
                return false;
        return true;
    default:
        return true;
    }
}

/* --- pass 2: every name's place --------------------------------------------------- */

static bool resolve(Resolver *r, Sym *s, Node *n);

static bool resolve_name(Resolver *r, Sym *s, Node *n)
{
    n->scope = SCOPE_GLOBAL;
    if (!s)
        return true;
    if (declared(s->globals, s->nglobals, n->text))
        return true;
    int slot = slot_of(s->scope, n->text);
    if (slot >= 0 && !declared(s->nonlocals, s->nnonlocals, n->text)) {
        n->scope = SCOPE_LOCAL;
        n->slot = slot;
        return true;
    }
    int up = 1;
    for (Sym *o = s->up; o; o = o->up, up++) {
        if (declared(o->globals, o->nglobals, n->text))
            break;
        int k = slot_of(o->scope, n->text);
        if (k >= 0) {
            n->scope = SCOPE_FREE;
            n->slot = k;
            n->up = up;
            return true;
        }
    }
    if (declared(s->nonlocals, s->nnonlocals, n->text))
        return fail(r, n, "nonlocal '%s' is not a variable of any enclosing function", n->text);
    return true;
}


/* A new scope for fn: its parameters first, then what its body binds. */
static bool open_scope(Resolver *r, Sym *sym, Sym *up, Node *fn, size_t nparams, const Node *body)
{
    memset(sym, 0, sizeof *sym);
    sym->fn = fn;
    sym->up = up;
    sym->scope = mem_calloc(1, sizeof *sym->scope);
    if (!sym->scope)
        return nomem(r, fn);
    for (size_t i = 0; i < nparams; i++) {
        const Node *p = fn->kids[i];
        if (!add_slot(r, sym, p, p->text))
            return false;
        if (p->op == TOKEN_STAR)
            sym->scope->star = true;
    }
    sym->scope->nparams = nparams;
    sym->scope->uses_grad = ast_uses_grad(body);
    return collect(r, sym, body);
}

static void close_scope(Sym *sym, bool keep)
{
    if (keep)
        sym->fn->fscope = sym->scope;
    else if (sym->scope) {
        for (size_t i = 0; i < sym->scope->nslots; i++)
            mem_free(sym->scope->names[i]);
        mem_free(sym->scope->names);
        mem_free(sym->scope);
    }
    mem_free((void *)sym->globals);
    mem_free((void *)sym->nonlocals);
}

static bool resolve_function(Resolver *r, Sym *s, Node *fn)
{
    size_t nparams = fn->nkids - 1;
    Node *body = fn->kids[nparams];
    /* Defaults are worked out where the function is made. */
    for (size_t i = 0; i < nparams; i++)
        if (fn->kids[i]->nkids && !resolve(r, s, fn->kids[i]->kids[0]))
            return false;
    Sym sym;
    bool ok = open_scope(r, &sym, s, fn, nparams, body);
    Resolver inner = { r->e, false, 0, true };
    if (ok)
        ok = resolve(&inner, &sym, body);
    if (!ok && inner.failed)
        r->failed = true;
    close_scope(&sym, ok);
    return ok;
}

/* A comprehension runs in a scope of its own, whose locals are its loop
 * targets. */
static bool resolve_comprehension(Resolver *r, Sym *s, Node *comp)
{
    Sym sym;
    memset(&sym, 0, sizeof sym);
    sym.fn = comp;
    sym.up = s;
    sym.scope = mem_calloc(1, sizeof *sym.scope);
    if (!sym.scope)
        return nomem(r, comp);
    sym.scope->uses_grad = ast_uses_grad(comp);
    bool ok = true;
    size_t first = comp->kind == NODE_DICTCOMP ? 2 : 1;
    for (size_t i = first; i < comp->nkids && ok; i++)
        if (comp->kids[i]->kind == NODE_COMPFOR)
            ok = collect_target(r, &sym, comp->kids[i]->kids[0]);
    Resolver inner = { r->e, false, 0, true };
    for (size_t i = 0; i < comp->nkids && ok; i++)
        ok = resolve(&inner, &sym, comp->kids[i]);
    if (!ok && inner.failed)
        r->failed = true;
    close_scope(&sym, ok);
    return ok;
}

static bool resolve_kids(Resolver *r, Sym *s, Node *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        if (n->kids[i] && !resolve(r, s, n->kids[i]))
            return false;
    return true;
}

static bool resolve(Resolver *r, Sym *s, Node *n)
{
    if (r->failed)
        return false;
    switch (n->kind) {
    case NODE_NAME:
        return resolve_name(r, s, n);
    case NODE_DEF:
        n->scope = SCOPE_GLOBAL;
        if (s) {
            int slot = slot_of(s->scope, n->text);
            if (slot >= 0 && !declared(s->globals, s->nglobals, n->text)) {
                n->scope = SCOPE_LOCAL;
                n->slot = slot;
            }
        }
        return resolve_function(r, s, n);
    case NODE_LAMBDA:
        return resolve_function(r, s, n);
    case NODE_LISTCOMP:
    case NODE_GENEXP:
    case NODE_DICTCOMP:
        return resolve_comprehension(r, s, n);
    case NODE_FIELD:
    case NODE_KWARG:
        return resolve_kids(r, s, n);
    case NODE_ALIAS: {
        /* The name an import binds, as a name node would be. */
        char first[128];
        const char *name = n->text2;
        if (!name) {
            snprintf(first, sizeof first, "%s", n->text);
            char *dot = strchr(first, '.');
            if (dot)
                *dot = '\0';
            name = first;
        }
        n->scope = SCOPE_GLOBAL;
        if (s && !declared(s->globals, s->nglobals, name)) {
            int slot = slot_of(s->scope, name);
            if (slot >= 0) {
                n->scope = SCOPE_LOCAL;
                n->slot = slot;
            }
        }
        return true;
    }
    case NODE_RETURN:
        if (!r->in_function)
            return fail(r, n, "%s", "'return' is only allowed inside a function (def)");
        return resolve_kids(r, s, n);
    case NODE_BREAK:
        if (!r->loops)
            return fail(r, n, "%s", "'break' is only allowed inside a for or while loop");
        return true;
    case NODE_CONTINUE:
        if (!r->loops)
            return fail(r, n, "%s", "'continue' is only allowed inside a for or while loop");
        return true;
    case NODE_NONLOCAL:
        if (!s)
            return fail(r, n, "%s", "'nonlocal' is only allowed inside a function (use 'global' at the top level)");
        for (size_t i = 0; i < n->nkids; i++) {
            bool found = false;
            for (Sym *o = s->up; o && !found; o = o->up)
                found = slot_of(o->scope, n->kids[i]->text) >= 0;
            if (!found)
                return fail(r, n->kids[i], "nonlocal '%s' is not a variable of any enclosing function",
                            n->kids[i]->text);
        }
        return true;
    case NODE_GLOBAL:
        return true;
    case NODE_FOR:
    case NODE_WHILE: {
        /* The loop's test and target are outside its body; else runs after it. */
        size_t body = n->kind == NODE_FOR ? 2 : 1;
        for (size_t i = 0; i < body; i++)
            if (n->kids[i] && !resolve(r, s, n->kids[i]))
                return false;
        r->loops++;
        bool ok = resolve(r, s, n->kids[body]);
        r->loops--;
        if (ok && n->nkids > body + 1 && n->kids[body + 1])
            ok = resolve(r, s, n->kids[body + 1]);
        return ok;
    }
    default:
        return resolve_kids(r, s, n);
    }
}

bool resolve_program(Program *prog, Error *e)
{
    Resolver r = { e, false, 0, false };
    return resolve(&r, NULL, prog->body);
}

bool resolve_expr(Node *n, Error *e)
{
    Resolver r = { e, false, 0, false };
    return resolve(&r, NULL, n);
}
