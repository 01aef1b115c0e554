/* value.c - copying, freeing, describing and showing values. */
#include "nudge/value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nudge/builtins.h"
#include "nudge/graph.h"
#include "nudge/mem.h"
#include "nudge/text.h"

void value_free(Value *v)
{
    graph_release(v->graph);
    switch (v->kind) {
    case VALUE_STRING:
        mem_free(v->as.string);
        break;
    case VALUE_TENSOR:
        tensor_delete(v->as.tensor);
        break;
    case VALUE_PERCEPTRON:
        if (v->as.perceptron)
            perceptron_free(v->as.perceptron);
        mem_free(v->as.perceptron);
        break;
    case VALUE_MLP:
        if (v->as.mlp)
            mlp_free(v->as.mlp);
        mem_free(v->as.mlp);
        break;
    case VALUE_LAMBDA:
        ast_free(v->as.lambda);
        break;
    case VALUE_RECORD:
        if (v->as.record) {
            for (size_t i = 0; i < v->as.record->n; i++) {
                mem_free(v->as.record->names[i]);
                value_free(&v->as.record->values[i]);
            }
            mem_free(v->as.record->names);
            mem_free(v->as.record->values);
            mem_free(v->as.record);
        }
        break;
    case VALUE_NONE:
    case VALUE_NUMBER:
    case VALUE_BUILTIN:
        break;
    }
    *v = value_none();
}

bool value_string(Value *out, const char *s, size_t len, Error *e)
{
    char *c = mem_alloc(len + 1);
    if (!c)
        return error_nomem(e, "string");
    memcpy(c, s, len);
    c[len] = '\0';
    *out = value_none();
    out->kind = VALUE_STRING;
    out->as.string = c;
    return true;
}

bool value_record(Value *out, Error *e)
{
    Record *r = mem_calloc(1, sizeof *r);
    if (!r)
        return error_nomem(e, "record");
    *out = value_none();
    out->kind = VALUE_RECORD;
    out->as.record = r;
    return true;
}

bool record_add(Value *rec, const char *name, Value v, Error *e)
{
    Record *r = rec->as.record;
    char *nm = mem_strdup(name);
    char **names = nm ? mem_realloc(r->names, r->n + 1, sizeof *names) : NULL;
    if (names)
        r->names = names;
    Value *values = names ? mem_realloc(r->values, r->n + 1, sizeof *values) : NULL;
    if (!values) {
        mem_free(nm);
        value_free(&v);
        return error_nomem(e, "record");
    }
    r->values = values;
    r->names[r->n] = nm;
    r->values[r->n] = v;
    r->n++;
    return true;
}

Value *record_get(const Value *rec, const char *name)
{
    const Record *r = rec->as.record;
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->names[i], name))
            return &r->values[i];
    return NULL;
}

bool value_copy(Value *dst, const Value *src, Error *e)
{
    *dst = value_none();
    switch (src->kind) {
    case VALUE_NONE:
    case VALUE_NUMBER:
    case VALUE_BUILTIN:
        *dst = *src;
        dst->graph = graph_retain(src->graph);
        return true;
    case VALUE_STRING:
        return value_string(dst, src->as.string, strlen(src->as.string), e);
    case VALUE_TENSOR: {
        Tensor *t = tensor_copy(src->as.tensor, e);
        if (!t)
            return false;
        *dst = value_tensor(t);
        dst->graph = graph_retain(src->graph);
        return true;
    }
    case VALUE_PERCEPTRON: {
        Perceptron *p = mem_alloc(sizeof *p);
        if (!p)
            return error_nomem(e, "copy");
        if (!perceptron_copy(p, src->as.perceptron, e)) {
            mem_free(p);
            return false;
        }
        dst->kind = VALUE_PERCEPTRON;
        dst->as.perceptron = p;
        return true;
    }
    case VALUE_MLP: {
        Mlp *m = mem_alloc(sizeof *m);
        if (!m)
            return error_nomem(e, "copy");
        if (!mlp_copy(m, src->as.mlp, e)) {
            mem_free(m);
            return false;
        }
        dst->kind = VALUE_MLP;
        dst->as.mlp = m;
        return true;
    }
    case VALUE_LAMBDA: {
        Node *n = ast_clone(src->as.lambda);
        if (!n)
            return error_nomem(e, "copy");
        dst->kind = VALUE_LAMBDA;
        dst->as.lambda = n;
        return true;
    }
    case VALUE_RECORD: {
        if (!value_record(dst, e))
            return false;
        const Record *r = src->as.record;
        for (size_t i = 0; i < r->n; i++) {
            Value c;
            if (!value_copy(&c, &r->values[i], e) || !record_add(dst, r->names[i], c, e)) {
                value_free(dst);
                return false;
            }
        }
        return true;
    }
    }
    return true;
}

const char *value_kind_name(const Value *v)
{
    switch (v->kind) {
    case VALUE_NONE: return "nothing";
    case VALUE_NUMBER: return "number";
    case VALUE_STRING: return "string";
    case VALUE_TENSOR: return v->as.tensor->ndim == 1 ? "vector" : "matrix";
    case VALUE_PERCEPTRON: return "perceptron";
    case VALUE_MLP: return "mlp";
    case VALUE_BUILTIN: return "function";
    case VALUE_LAMBDA: return "function";
    case VALUE_RECORD: return "record";
    }
    return "value";
}

const char *value_describe(const Value *v, char *buf, size_t n)
{
    char shape[48];
    switch (v->kind) {
    case VALUE_TENSOR:
        snprintf(buf, n, "a %s %s", tensor_shape_str(v->as.tensor, shape, sizeof shape),
                 value_kind_name(v));
        break;
    case VALUE_NONE:
        snprintf(buf, n, "nothing");
        break;
    case VALUE_MLP:
        snprintf(buf, n, "a two-layer net (mlp)");
        break;
    case VALUE_PERCEPTRON:
    case VALUE_NUMBER:
    case VALUE_STRING:
    case VALUE_BUILTIN:
    case VALUE_LAMBDA:
    case VALUE_RECORD:
        snprintf(buf, n, "a %s", value_kind_name(v));
        break;
    }
    return buf;
}

/* --- display ------------------------------------------------------------- */

/* Appends body (lines ending in '\n', owned, freed here; NULL when it
 * could not be made) with each non-empty line indented. */
static void put_body(Text *t, char *body, int indent)
{
    if (!body) {
        t->failed = true;
        return;
    }
    for (const char *line = body; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len)
            text_pad(t, (size_t)indent);
        text_append(t, line, len);
        text_puts(t, "\n");
        line += len + (nl ? 1 : 0);
    }
    mem_free(body);
}

static void show_tensor_body(Text *t, const Tensor *x, FormatMode mode, int width, int indent, Error *e)
{
    put_body(t, format_tensor(x, mode, width > indent ? width - indent : width, e), indent);
}

/* A tensor too large to read on screen shows its first and last few
 * elements, or a matrix its corners: the first and last few rows and
 * columns, as numpy summarises large arrays. */
static void show_large(Text *t, const char *name, const Tensor *x, FormatMode mode, int width, int indent, Error *e)
{
    char shape[48];
    if (x->ndim == 1) {
        enum { KEEP = 8 };
        text_printf(t, "%s = %s vector, %zu values: the first and last %d elements\n\n", name,
                    tensor_shape_str(x, shape, sizeof shape), tensor_size(x), KEEP);
        for (int part = 0; part < 2; part++) {
            Tensor view = *x;
            view.cols = KEEP;
            view.data = x->data + (part ? x->cols - KEEP : 0);
            show_tensor_body(t, &view, mode, width, indent, e);
            if (!part) {
                text_pad(t, (size_t)indent);
                text_puts(t, "   ...\n");
            }
        }
        text_puts(t, "\n");
        return;
    }
    enum { KEEP_ROWS = 4, KEEP_COLS = 4 };
    bool cut_rows = x->rows > 2 * KEEP_ROWS, cut_cols = x->cols > 2 * KEEP_COLS;
    text_printf(t, "%s = %s matrix, %zu values: the first and last %d %s\n\n", name,
                tensor_shape_str(x, shape, sizeof shape), tensor_size(x), cut_rows ? KEEP_ROWS : KEEP_COLS,
                cut_rows && cut_cols ? "rows and columns" : cut_rows ? "rows" : "columns");
    put_body(t, format_tensor_corners(x, mode, KEEP_ROWS, KEEP_COLS, e), indent);
    text_puts(t, "\n");
}

static void show_model_summary(Text *t, const Value *v, FormatMode mode, Error *e)
{
    char num[FORMAT_NUMBER_MAX];
    if (v->kind == VALUE_PERCEPTRON) {
        const Perceptron *p = v->as.perceptron;
        char *w = format_inline(p->w, mode, e);
        if (!w) {
            t->failed = true;
            return;
        }
        text_printf(t, "perceptron with %zu weights, lr = %s\n", tensor_size(p->w),
                    format_inline_number(p->lr, mode, num, sizeof num));
        text_printf(t, "  w = %s\n", w);
        mem_free(w);
        return;
    }
    const Mlp *m = v->as.mlp;
    text_printf(t, "mlp %zu-%zu-%zu, sigmoid hidden layer, %s output%s\n", m->n_in, m->n_hidden,
                m->n_out, m->output == MLP_SOFTMAX ? "softmax + cross-entropy" : "sigmoid + squared-error",
                m->bias ? ", with biases" : ", no biases");
}

static void show_into(Text *t, const char *name, const Value *v, FormatMode mode, int width, int indent, Error *e);

static void show_mlp(Text *t, const Mlp *m, FormatMode mode, int width, int indent, Error *e)
{
    for (int w = MLP_W1; w <= MLP_B2; w++) {
        const Tensor *x = mlp_param(m, w);
        if (!x)
            continue;
        char shape[48];
        text_puts(t, "\n");
        text_pad(t, (size_t)indent);
        if (tensor_size(x) > VALUE_SHOW_MAX) {
            /* Summarised as a large tensor is: mlp(3, 800, 2000) has 1.6
             * million weights, 25 MB of text. */
            show_large(t, mlp_param_name(w), x, mode, width, indent + 2, e);
            continue;
        }
        text_printf(t, "%s %s =\n\n", mlp_param_name(w), tensor_shape_str(x, shape, sizeof shape));
        show_tensor_body(t, x, mode, width, indent + 2, e);
    }
}

static void show_into(Text *t, const char *name, const Value *v, FormatMode mode, int width, int indent, Error *e)
{
    char num[FORMAT_NUMBER_MAX];
    text_pad(t, (size_t)indent);
    switch (v->kind) {
    case VALUE_NONE:
        text_printf(t, "%s = (nothing)\n", name);
        break;
    case VALUE_NUMBER:
        text_printf(t, "%s = %s\n", name, format_number(v->as.number, mode, num, sizeof num));
        break;
    case VALUE_STRING:
        text_printf(t, "%s = \"%s\"\n", name, v->as.string);
        break;
    case VALUE_TENSOR:
        if (tensor_size(v->as.tensor) == 0) {
            text_printf(t, "%s = [](%zux%zu)\n", name, v->as.tensor->rows, v->as.tensor->cols);
            break;
        }
        if (tensor_size(v->as.tensor) > VALUE_SHOW_MAX) {
            show_large(t, name, v->as.tensor, mode, width, indent, e);
            break;
        }
        text_printf(t, "%s =\n\n", name);
        show_tensor_body(t, v->as.tensor, mode, width, indent, e);
        text_puts(t, "\n");
        break;
    case VALUE_PERCEPTRON:
        text_printf(t, "%s = ", name);
        show_model_summary(t, v, mode, e);
        break;
    case VALUE_MLP:
        text_printf(t, "%s = ", name);
        show_model_summary(t, v, mode, e);
        show_mlp(t, v->as.mlp, mode, width, indent + 2, e);
        text_puts(t, "\n");
        break;
    case VALUE_BUILTIN:
        text_printf(t, "%s = built-in function %s\n", name, v->as.builtin->name);
        break;
    case VALUE_LAMBDA:
        text_printf(t, "%s = %s\n", name, v->as.lambda->text ? v->as.lambda->text : "@(...)");
        break;
    case VALUE_RECORD: {
        const Record *r = v->as.record;
        text_printf(t, "%s = record with fields:", name);
        for (size_t i = 0; i < r->n; i++)
            text_printf(t, " %s", r->names[i]);
        text_puts(t, "\n\n");
        for (size_t i = 0; i < r->n; i++) {
            const Value *f = &r->values[i];
            if (f->kind == VALUE_TENSOR && tensor_size(f->as.tensor)) {
                char shape[48];
                text_pad(t, (size_t)indent + 2);
                text_printf(t, "%s %s =\n\n", r->names[i], tensor_shape_str(f->as.tensor, shape, sizeof shape));
                show_tensor_body(t, f->as.tensor, mode, width, indent + 2, e);
                text_puts(t, "\n");
            } else {
                show_into(t, r->names[i], f, mode, width, indent + 2, e);
            }
        }
        break;
    }
    }
}

char *value_show(const char *name, const Value *v, FormatMode mode, int width, Error *e)
{
    Text t = {0};
    Error local;
    error_clear(&local);
    show_into(&t, name, v, mode, width, 0, &local);
    if (t.failed || local.code) {
        text_free(&t);
        return error_nomem(e, "show"), NULL;
    }
    return text_finish(&t, e);
}

char *value_inline(const Value *v, FormatMode mode, Error *e)
{
    char num[FORMAT_NUMBER_MAX];
    Text t = {0};
    switch (v->kind) {
    case VALUE_TENSOR:
        return format_inline(v->as.tensor, mode, e);
    case VALUE_NUMBER:
        text_puts(&t, format_inline_number(v->as.number, mode, num, sizeof num));
        break;
    case VALUE_PERCEPTRON:
    case VALUE_MLP:
        show_model_summary(&t, v, mode, e);
        if (t.len && t.s[t.len - 1] == '\n') {
            /* first line only */
            char *nl = strchr(t.s, '\n');
            t.len = (size_t)(nl - t.s);
            t.s[t.len] = '\0';
        }
        break;
    case VALUE_STRING:
        text_printf(&t, "\"%s\"", v->as.string);
        break;
    case VALUE_BUILTIN:
        text_printf(&t, "built-in function %s", v->as.builtin->name);
        break;
    case VALUE_LAMBDA:
        text_puts(&t, v->as.lambda->text ? v->as.lambda->text : "@(...)");
        break;
    case VALUE_RECORD:
        text_puts(&t, "record:");
        for (size_t i = 0; i < v->as.record->n; i++)
            text_printf(&t, " %s", v->as.record->names[i]);
        break;
    case VALUE_NONE:
        text_puts(&t, "(nothing)");
        break;
    }
    return text_finish(&t, e);
}

/* --- source for save ----------------------------------------------------- */

/* A number as source that reads back exactly; non-finite values are
 * spelled as the expressions that make them. */
static const char *source_number(double d, char *buf, size_t n)
{
    if (isnan(d))
        return "0/0";
    if (isinf(d))
        return d > 0 ? "1/0" : "-1/0";
    return format_repr(d, buf, n);
}

static void source_tensor(Text *t, const Tensor *x)
{
    char num[FORMAT_NUMBER_MAX];
    if (tensor_size(x) == 0) {
        text_printf(t, x->ndim == 1 ? "zeros(0)" : "zeros(%zu, %zu)", x->rows, x->cols);
        return;
    }
    text_puts(t, "[");
    for (size_t r = 0; r < x->rows; r++) {
        if (x->ndim == 2)
            text_puts(t, r ? ", [" : "[");
        for (size_t c = 0; c < x->cols; c++) {
            text_printf(t, c ? ", %s" : "%s", source_number(tensor_at(x, r, c), num, sizeof num));
        }
        if (x->ndim == 2)
            text_puts(t, "]");
    }
    text_puts(t, "]");
}

char *value_source(const Value *v, Error *e)
{
    Text t = {0};
    char num[FORMAT_NUMBER_MAX];
    switch (v->kind) {
    case VALUE_NUMBER:
        text_puts(&t, source_number(v->as.number, num, sizeof num));
        break;
    case VALUE_STRING:
        if (strchr(v->as.string, '"'))
            text_printf(&t, "'%s'", v->as.string);
        else
            text_printf(&t, "\"%s\"", v->as.string);
        break;
    case VALUE_TENSOR:
        source_tensor(&t, v->as.tensor);
        break;
    case VALUE_PERCEPTRON:
        text_puts(&t, "perceptron(w=");
        source_tensor(&t, v->as.perceptron->w);
        text_printf(&t, ", lr=%s)", source_number(v->as.perceptron->lr, num, sizeof num));
        break;
    case VALUE_MLP: {
        const Mlp *m = v->as.mlp;
        text_printf(&t, "mlp(%zu, %zu, %zu", m->n_in, m->n_hidden, m->n_out);
        if (m->bias)
            text_puts(&t, ", bias=1");
        if (m->output == MLP_SOFTMAX)
            text_puts(&t, ", output=\"softmax\"");
        text_puts(&t, ", W1=");
        source_tensor(&t, m->W1);
        text_puts(&t, ", W2=");
        source_tensor(&t, m->W2);
        if (m->bias) {
            text_puts(&t, ", b1=");
            source_tensor(&t, m->b1);
            text_puts(&t, ", b2=");
            source_tensor(&t, m->b2);
        }
        text_puts(&t, ")");
        break;
    }
    case VALUE_LAMBDA:
        text_puts(&t, v->as.lambda->text ? v->as.lambda->text : "");
        break;
    case VALUE_BUILTIN:
        text_puts(&t, v->as.builtin->name);
        break;
    case VALUE_RECORD:
    case VALUE_NONE:
        text_free(&t);
        error_set(e, ERROR_TYPE, "save: %s cannot be saved", value_kind_name(v));
        return NULL;
    }
    return text_finish(&t, e);
}
