/* workspace.c - copies of a session's variables for reset and undo. */
#include "nudge/workspace.h"

#include <string.h>

#include "nudge/mem.h"

bool workspace_copy_value(Value *dst, const Value *src, Error *e)
{
    return value_copy(dst, src, e);
}

void workspace_free(Workspace *s)
{
    for (size_t i = 0; i < s->n; i++) {
        mem_free(s->vars[i].name);
        value_free(&s->vars[i].value);
    }
    mem_free(s->vars);
    s->vars = NULL;
    s->n = 0;
}

bool workspace_take(Workspace *s, const Interp *in, Error *e)
{
    s->vars = NULL;
    s->n = 0;
    size_t n = interp_var_count(in);
    if (n == 0)
        return true;
    s->vars = mem_calloc(n, sizeof *s->vars);
    if (!s->vars)
        return error_nomem(e, "snapshot");
    for (size_t i = 0; i < n; i++) {
        const char *name = interp_var_name(in, i);
        const Value *v = name ? interp_get(in, name) : NULL;
        if (!v)
            continue;
        WorkspaceVar *sv = &s->vars[s->n];
        sv->name = mem_strdup(name);
        if (!sv->name || !workspace_copy_value(&sv->value, v, e)) {
            if (!sv->name)
                error_nomem(e, "snapshot");
            mem_free(sv->name);
            workspace_free(s);
            return false;
        }
        sv->version = interp_version(in, name);
        s->n++;
    }
    return true;
}

WorkspaceVar *workspace_find(const Workspace *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->vars[i].name, name))
            return &s->vars[i];
    return NULL;
}

bool workspace_restore(const Workspace *s, Interp *in, Error *e)
{
    /* Clear what the snapshot does not hold, from the end so that the
     * indices still to visit do not move. */
    for (size_t i = interp_var_count(in); i-- > 0;) {
        const char *name = interp_var_name(in, i);
        if (name && !workspace_find(s, name))
            interp_clear(in, name);
    }
    for (size_t i = 0; i < s->n; i++) {
        const Value *now = interp_get(in, s->vars[i].name);
        if (now && interp_version(in, s->vars[i].name) == s->vars[i].version
            && workspace_same_value(now, &s->vars[i].value))
            continue;       /* untouched: keep it, and its version */
        Value copy;
        if (!workspace_copy_value(&copy, &s->vars[i].value, e))
            return false;
        if (!interp_set(in, s->vars[i].name, copy, e))
            return false;
    }
    return true;
}

bool workspace_name_changed(const Workspace *s, const Interp *in, const char *name)
{
    const Value *now = interp_get(in, name);
    if (!now)
        return false;
    const WorkspaceVar *was = workspace_find(s, name);
    if (!was)
        return true;
    if (interp_version(in, name) != was->version)
        return true;
    /* Changed in place by a function (learn, train) without a new version. */
    return !workspace_same_value(now, &was->value);
}

bool workspace_differs(const Workspace *s, const Interp *in)
{
    size_t n = interp_var_count(in);
    if (n != s->n)
        return true;
    for (size_t i = 0; i < n; i++) {
        const char *name = interp_var_name(in, i);
        if (!name || !workspace_find(s, name) || workspace_name_changed(s, in, name))
            return true;
    }
    return false;
}

void workspace_rebase(Workspace *s, const Interp *in)
{
    for (size_t i = 0; i < s->n; i++) {
        const Value *now = interp_get(in, s->vars[i].name);
        if (now && workspace_same_value(now, &s->vars[i].value))
            s->vars[i].version = interp_version(in, s->vars[i].name);
    }
}

static bool same_tensor(const Tensor *a, const Tensor *b)
{
    if (!a || !b)
        return a == b;
    if (!tensor_same_shape(a, b) || a->ndim != b->ndim)
        return false;
    size_t n = tensor_size(a);
    return n == 0 || !memcmp(a->data, b->data, n * sizeof *a->data);
}

bool workspace_same_value(const Value *a, const Value *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case VALUE_NONE:
        return true;
    case VALUE_NUMBER:
        return !memcmp(&a->as.number, &b->as.number, sizeof a->as.number);
    case VALUE_STRING:
        return !strcmp(a->as.string, b->as.string);
    case VALUE_TENSOR:
        return same_tensor(a->as.tensor, b->as.tensor);
    case VALUE_BUILTIN:
        return a->as.builtin == b->as.builtin;
    case VALUE_RECORD: {
        const Record *ra = a->as.record, *rb = b->as.record;
        if (ra->n != rb->n)
            return false;
        for (size_t i = 0; i < ra->n; i++)
            if (strcmp(ra->names[i], rb->names[i]) || !workspace_same_value(&ra->values[i], &rb->values[i]))
                return false;
        return true;
    }
    case VALUE_PERCEPTRON:
        return same_tensor(a->as.perceptron->w, b->as.perceptron->w)
            && !memcmp(&a->as.perceptron->lr, &b->as.perceptron->lr, sizeof a->as.perceptron->lr);
    case VALUE_MLP: {
        /* Compared weight by weight: value_source would format each in full. */
        const Mlp *ma = a->as.mlp, *mb = b->as.mlp;
        if (ma->n_in != mb->n_in || ma->n_hidden != mb->n_hidden || ma->n_out != mb->n_out || ma->bias != mb->bias
            || ma->output != mb->output)
            return false;
        for (int w = MLP_W1; w <= MLP_B2; w++)
            if (!same_tensor(mlp_param(ma, (MlpParam)w), mlp_param(mb, (MlpParam)w)))
                return false;
        return true;
    }
    default: {
        /* Functions: the same source is the same value. */
        Error e;
        char *sa = value_source(a, &e), *sb = value_source(b, &e);
        bool same = sa && sb && !strcmp(sa, sb);
        mem_free(sa);
        mem_free(sb);
        return same;
    }
    }
}
