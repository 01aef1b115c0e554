/* value.h - the values a nudge variable can hold, and how they display.
 *
 * Values have copy semantics, as in Octave: `p2 = p` copies the model.  A
 * Value owns what its union points to; value_free releases it and leaves the
 * value as VALUE_NONE.
 */
#ifndef NUDGE_VALUE_H
#define NUDGE_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/ast.h"
#include "nudge/format.h"
#include "nudge/mlp.h"
#include "nudge/perceptron.h"
#include "nudge/tensor.h"

typedef enum ValueKind {
    VALUE_NONE,         /* what seed() and plot() return: nothing to show */
    VALUE_NUMBER,
    VALUE_STRING,
    VALUE_TENSOR,
    VALUE_PERCEPTRON,
    VALUE_MLP,
    VALUE_BUILTIN,      /* a built-in function used as a value: jacobian(softmax, z) */
    VALUE_LAMBDA,       /* @(z) expr */
    VALUE_RECORD        /* named fields, e.g. what backward() returns */
} ValueKind;

struct Builtin;
struct Record;

typedef struct Value {
    ValueKind kind;
    union {
        double number;
        char *string;
        Tensor *tensor;
        Perceptron *perceptron;
        Mlp *mlp;
        const struct Builtin *builtin;   /* borrowed from the static table */
        Node *lambda;                    /* a NODE_LAMBDA tree, owned */
        struct Record *record;
    } as;
    struct GNode *graph;    /* how a number or tensor was computed, or NULL (graph.h) */
} Value;

typedef struct Record {
    size_t n;
    char **names;
    Value *values;
} Record;

static inline Value value_none(void) { Value v = { VALUE_NONE, { 0 }, NULL }; return v; }
static inline Value value_number(double x) { Value v = { VALUE_NUMBER, { .number = x }, NULL }; return v; }
/* Takes ownership of t. */
static inline Value value_tensor(Tensor *t) { Value v = { VALUE_TENSOR, { .tensor = t }, NULL }; return v; }

/* Frees what v owns; v becomes VALUE_NONE. */
void value_free(Value *v);
/* A deep copy of src into dst (dst is overwritten, not freed first). */
bool value_copy(Value *dst, const Value *src, Error *e);
/* A new string value with a copy of s (len bytes). */
bool value_string(Value *out, const char *s, size_t len, Error *e);

/* A new empty record; fields are added with record_add. */
bool value_record(Value *out, Error *e);
/* Adds a field to a record value, taking ownership of v (freed on error). */
bool record_add(Value *rec, const char *name, Value v, Error *e);
/* The field's value, or NULL. */
Value *record_get(const Value *rec, const char *name);

/* "a number", "a (3,) vector", "a (4, 1) matrix", "a perceptron", ... */
const char *value_describe(const Value *v, char *buf, size_t n);
/* The short kind word used by `vars`: "number", "vector", "matrix", ... */
const char *value_kind_name(const Value *v);

/* Tensors with more elements than this show only their first and last
 * elements, or a matrix its corners (the first and last rows and columns). */
#define VALUE_SHOW_MAX 2000

/* The display of `name = value` as the REPL prints it (Octave style: a
 * scalar on one line, a matrix under a "name =" line between blank lines).
 * width is the terminal width (0: no limit).  Returns a string owned by the
 * caller (mem_free), or NULL with *e set. */
char *value_show(const char *name, const Value *v, FormatMode mode, int width, Error *e);

/* The value on one line, for `vars` and explanations. */
char *value_inline(const Value *v, FormatMode mode, Error *e);

/* Writes v as nudge source that recreates it, at full precision, for
 * `save`.  Returns a string owned by the caller, or NULL with *e set (also
 * for values that cannot be saved, such as built-in functions). */
char *value_source(const Value *v, Error *e);

#endif
