/* workspace.c - copies of a session's variables for reset and undo.
 *
 * Names refer to objects, as in Python, and several names may share one
 * array or model.  A snapshot therefore keeps, for each variable, a deep
 * copy of its value *and* a reference to the object it named; restoring
 * binds the name to that same object again and puts the copy's contents
 * back into it (value_restore_into), so names that shared an object share
 * it again, and every other holder of the object sees it restored. */
#include "nudge/workspace.h"

#include <string.h>

#include "nudge/mem.h"

bool workspace_copy_value(Value *dst, const Value *src, Error *e)
{
    return value_copy(dst, src, e);
}

/* A value whose object can change in place, so that restoring it means
 * putting contents back into the object rather than binding a copy. */
static bool is_mutable(const Value *v)
{
    switch (v->kind) {
    case VALUE_TENSOR:
    case VALUE_LIST:
    case VALUE_DICT:
    case VALUE_RECORD:
    case VALUE_PERCEPTRON:
    case VALUE_MLP:
        return true;
    default:
        return false;
    }
}

/* The object a mutable value refers to (for identity), or NULL. */
static const void *object_of(const Value *v)
{
    switch (v->kind) {
    case VALUE_TENSOR: return v->as.tensor;
    case VALUE_LIST: return v->as.list;
    case VALUE_DICT: return v->as.dict;
    case VALUE_RECORD: return v->as.record;
    case VALUE_PERCEPTRON: return v->as.perceptron;
    case VALUE_MLP: return v->as.mlp;
    default: return NULL;
    }
}

void workspace_free(Workspace *s)
{
    for (size_t i = 0; i < s->n; i++) {
        mem_free(s->vars[i].name);
        value_free(&s->vars[i].value);
        value_free(&s->vars[i].object);
    }
    mem_free(s->vars);
    s->vars = NULL;
    s->n = 0;
}

bool workspace_take(Workspace *s, const Interp *in, Error *e)
{
    s->vars = NULL;
    s->n = 0;
    size_t count = 0, cursor = 0;
    const char *name;
    Value *v;
    while (interp_var_next(in, &cursor, &name, &v))
        count++;
    if (count == 0)
        return true;
    s->vars = mem_calloc(count, sizeof *s->vars);
    if (!s->vars)
        return error_nomem(e, "snapshot");
    cursor = 0;
    while (s->n < count && interp_var_next(in, &cursor, &name, &v)) {
        WorkspaceVar *sv = &s->vars[s->n];
        sv->value = value_none();
        sv->object = value_none();
        sv->name = mem_strdup(name);
        if (!sv->name || !workspace_copy_value(&sv->value, v, e)) {
            if (!sv->name)
                error_nomem(e, "snapshot");
            mem_free(sv->name);
            workspace_free(s);
            return false;
        }
        if (is_mutable(v))
            sv->object = value_ref(v);
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

/* Puts src's contents into obj's object and consumes src.  An array keeps
 * its elements in the same allocation as its header, so its contents are
 * copied over rather than swapped; one whose shape changed since is
 * replaced by the copy (its old object cannot grow). */
static void put_back(Value *obj, Value *src)
{
    if (obj->kind == VALUE_TENSOR) {
        Tensor *a = obj->as.tensor, *b = src->as.tensor;
        if (a->ndim == b->ndim && a->rows == b->rows && a->cols == b->cols) {
            if (tensor_size(a))
                memcpy(a->data, b->data, tensor_size(a) * sizeof *a->data);
            a->dtype = b->dtype;
            value_free(src);
        } else {
            value_free(obj);
            *obj = *src;
            *src = value_none();
        }
        return;
    }
    value_restore_into(obj, src);
}

bool workspace_restore(const Workspace *s, Interp *in, Error *e)
{
    /* Clear what the snapshot does not hold. */
    size_t cursor = 0;
    const char *name;
    Value *v;
    while (interp_var_next(in, &cursor, &name, &v)) {
        if (workspace_find(s, name))
            continue;
        char *copy = mem_strdup(name);
        if (!copy)
            return error_nomem(e, "restore");
        interp_clear(in, copy);
        mem_free(copy);
    }
    for (size_t i = 0; i < s->n; i++) {
        const WorkspaceVar *sv = &s->vars[i];
        Value *now = interp_get(in, sv->name);
        if (now && interp_version(in, sv->name) == sv->version && workspace_same_value(now, &sv->value)
            && object_of(now) == object_of(&sv->object))
            continue;       /* untouched: keep it, and its version */
        Value copy;
        if (!workspace_copy_value(&copy, &sv->value, e))
            return false;
        if (sv->object.kind != VALUE_NONE && sv->object.kind == copy.kind) {
            /* The same object again, with its contents put back. */
            Value obj = value_ref(&sv->object);
            put_back(&obj, &copy);
            if (!interp_set(in, sv->name, obj, e))
                return false;
        } else if (!interp_set(in, sv->name, copy, e)) {
            return false;
        }
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
    /* Changed in place through another name that shares the object. */
    return !workspace_same_value(now, &was->value);
}

bool workspace_differs(const Workspace *s, const Interp *in)
{
    size_t count = 0, cursor = 0;
    const char *name;
    Value *v;
    while (interp_var_next(in, &cursor, &name, &v)) {
        count++;
        if (!workspace_find(s, name) || workspace_name_changed(s, in, name))
            return true;
    }
    return count != s->n;
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
    if (!tensor_same_shape(a, b) || a->ndim != b->ndim || a->dtype != b->dtype)
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
    case VALUE_BOOL:
    case VALUE_INT:
        return a->as.integer == b->as.integer;
    case VALUE_NUMBER:
        return !memcmp(&a->as.number, &b->as.number, sizeof a->as.number);
    case VALUE_STRING:
        return value_strlen(a) == value_strlen(b) && !memcmp(value_str(a), value_str(b), value_strlen(a));
    case VALUE_TENSOR:
        return same_tensor(a->as.tensor, b->as.tensor);
    case VALUE_LIST:
    case VALUE_TUPLE:
        if (a->as.list->n != b->as.list->n)
            return false;
        for (size_t i = 0; i < a->as.list->n; i++)
            if (!workspace_same_value(&a->as.list->items[i], &b->as.list->items[i]))
                return false;
        return true;
    case VALUE_DICT:
        if (a->as.dict->n != b->as.dict->n)
            return false;
        for (size_t i = 0; i < a->as.dict->n; i++)
            if (!workspace_same_value(&a->as.dict->keys[i], &b->as.dict->keys[i])
                || !workspace_same_value(&a->as.dict->vals[i], &b->as.dict->vals[i]))
                return false;
        return true;
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
        if (!mlp_same_shape(ma, mb))
            return false;
        for (size_t k = 0; k < ma->n_layers; k++)
            if (!same_tensor(ma->W[k], mb->W[k]) || !same_tensor(ma->b[k], mb->b[k]))
                return false;
        return true;
    }
    case VALUE_RANGE:
        return a->as.range->start == b->as.range->start && a->as.range->stop == b->as.range->stop
            && a->as.range->step == b->as.range->step;
    default:
        /* Functions, built-ins, methods, modules: immutable, shared by a
         * copy, so the same object is the same value. */
        return !memcmp(&a->as, &b->as, sizeof a->as);
    }
}
