/* value.h - the values a nudge name can refer to, and how they display.
 *
 * Values follow Python's object model: a name refers to an object, and
 * assignment or passing an argument shares it.  Arrays, lists, dicts,
 * records and models are mutable objects with a reference count; numbers,
 * bools, None and strings are immutable.  A Value is a small handle: it
 * holds one reference to its object.  value_free drops that reference (the
 * object goes with the last one) and leaves the handle as None;
 * value_ref makes another handle to the same object; value_copy makes a
 * deep copy, as Python's copy.deepcopy would.
 */
#ifndef NUDGE_VALUE_H
#define NUDGE_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nudge/ast.h"
#include "nudge/format.h"
#include "nudge/mlp.h"
#include "nudge/perceptron.h"
#include "nudge/tensor.h"

typedef enum ValueKind {
    VALUE_NONE,         /* Python's None; also what seed() and plot() give */
    VALUE_BOOL,         /* as.integer is 0 or 1 */
    VALUE_INT,          /* as.integer, 64 bits */
    VALUE_NUMBER,       /* a float: as.number */
    VALUE_STRING,
    VALUE_TENSOR,       /* a numpy array (1-D or 2-D), shared */
    VALUE_LIST,
    VALUE_TUPLE,
    VALUE_DICT,
    VALUE_RANGE,
    VALUE_PERCEPTRON,
    VALUE_MLP,
    VALUE_BUILTIN,      /* a built-in function used as a value: jacobian(softmax, z) */
    VALUE_FUNCTION,     /* def, lambda, @(z) expr */
    VALUE_METHOD,       /* a built-in bound to its receiver: a.dot, xs.append */
    VALUE_MODULE,       /* numpy, numpy.random, math */
    VALUE_RECORD,       /* named fields, e.g. what backward() returns */
    VALUE_UNBOUND       /* inside the interpreter: a local not assigned yet */
} ValueKind;

struct Builtin;
struct Module;
struct GNode;
struct Frame;

/* Objects that can take part in a reference cycle (lists, tuples, dicts,
 * records, functions, methods, and the interpreter's call frames) are
 * linked together by their first member, so that value_collect_cycles can
 * find the cycles that reference counts never free (a list that holds
 * itself; a closure and the frame it was made in). */
typedef struct GcLink {
    struct GcLink *prev, *next;
    long gc_refs;               /* scratch for value_collect_cycles */
    int type;                   /* GC_LIST, ... */
} GcLink;

enum { GC_LIST = 1, GC_DICT, GC_RECORD, GC_FUNC, GC_METHOD, GC_FRAME };

/* Links a newly made object in (its GcLink is its first member) and out,
 * just before it is freed. */
void gc_track(GcLink *g, int type);
void gc_untrack(GcLink *g);

/* Frees every object that only cycles of other objects keep alive (what
 * nothing outside those objects refers to, as Python's gc.collect).
 * Returns how many it freed.  The session calls it when it ends. */
size_t value_collect_cycles(void);

/* An immutable string of len bytes (NUL-terminated too). */
typedef struct Str {
    int refs;
    size_t len;
    char s[];
} Str;

/* A list or a tuple. */
typedef struct List {
    GcLink gc;
    int refs;
    size_t n, cap;
    struct Value *items;
} List;

/* A dict: keys in insertion order, found by equality (dicts in nudge are
 * small: options and records). */
typedef struct Dict {
    GcLink gc;
    int refs;
    size_t n, cap;
    struct Value *keys, *vals;
} Dict;

typedef struct Range {
    int refs;
    long long start, stop, step;
} Range;

typedef struct Record {
    GcLink gc;
    int refs;
    size_t n;
    char **names;
    struct Value *values;
} Record;

/* A function made by def, lambda or @(...): its node (NODE_DEF or
 * NODE_LAMBDA) lives in prog, which the function keeps alive. */
typedef struct Func {
    GcLink gc;
    int refs;
    Program *prog;
    const Node *node;
    struct Frame *closure;      /* the frame it was made in (for its free names), or NULL */
    struct Value *defaults;     /* one per parameter; VALUE_UNBOUND where there is none */
    char *name;
    char *qualname;             /* for messages: "f", "<lambda>", "@(x)" */
} Func;

typedef struct Method {
    GcLink gc;
    int refs;
    struct Value *self;         /* the receiver (one owned value) */
    const struct Builtin *fn;
} Method;

typedef struct Value {
    ValueKind kind;
    union {
        double number;
        long long integer;
        Str *string;
        Tensor *tensor;
        List *list;             /* VALUE_LIST and VALUE_TUPLE */
        Dict *dict;
        Range *range;
        Perceptron *perceptron; /* a model lives in a box with its reference count (value.c) */
        Mlp *mlp;
        const struct Builtin *builtin;   /* borrowed from a static table */
        Func *func;
        Method *method;
        const struct Module *module;     /* static */
        Record *record;
    } as;
    struct GNode *graph;    /* how a number or tensor was computed, or NULL (graph.h) */
} Value;

static inline Value value_none(void) { Value v = { VALUE_NONE, { 0 }, NULL }; return v; }
static inline Value value_number(double x) { Value v = { VALUE_NUMBER, { .number = x }, NULL }; return v; }
static inline Value value_int(long long x) { Value v = { VALUE_INT, { .integer = x }, NULL }; return v; }
static inline Value value_bool(bool x) { Value v = { VALUE_BOOL, { .integer = x }, NULL }; return v; }
/* Takes ownership of t (one reference). */
static inline Value value_tensor(Tensor *t) { Value v = { VALUE_TENSOR, { .tensor = t }, NULL }; return v; }

/* Whether v is a number in the arithmetic sense: int, float or bool. */
static inline bool value_is_scalar(const Value *v)
{
    return v->kind == VALUE_NUMBER || v->kind == VALUE_INT || v->kind == VALUE_BOOL;
}
/* The number a scalar holds, as a double. */
static inline double value_to_double(const Value *v)
{
    return v->kind == VALUE_NUMBER ? v->as.number : (double)v->as.integer;
}
/* The text of a string value (NUL-terminated), and its length. */
static inline const char *value_str(const Value *v) { return v->as.string->s; }
static inline size_t value_strlen(const Value *v) { return v->as.string->len; }

/* Drops what v refers to; v becomes None. */
void value_free(Value *v);
/* Another handle to the object v refers to (and its history). */
Value value_ref(const Value *v);
/* A deep copy of src into dst (dst is overwritten, not freed first):
 * arrays, lists, dicts, records and models are copied all the way down;
 * strings and functions, being immutable, are shared. */
bool value_copy(Value *dst, const Value *src, Error *e);
/* Puts src's contents into the object dst refers to, so that every name
 * sharing dst's object sees them (undo, reset).  Both must be of the same
 * mutable kind; src is consumed.  Cannot fail. */
void value_restore_into(Value *dst, Value *src);

/* A new string value with a copy of s (len bytes). */
bool value_string(Value *out, const char *s, size_t len, Error *e);

/* Lists and tuples.  value_list makes an empty one with room for n;
 * list_push takes ownership of v (freed on error). */
bool value_list(Value *out, ValueKind kind, size_t n, Error *e);
bool list_push(Value *list, Value v, Error *e);

/* Dicts.  dict_set takes ownership of key and val (freed on error);
 * dict_get returns the value for key (borrowed) or NULL. */
bool value_dict(Value *out, Error *e);
bool dict_set(Value *dict, Value key, Value val, Error *e);
Value *dict_get(const Value *dict, const Value *key);

bool value_range(Value *out, long long start, long long stop, long long step, Error *e);
/* The number of values a range gives. */
long long range_len(const Range *r);

/* A new empty record; fields are added with record_add. */
bool value_record(Value *out, Error *e);
/* Adds a field to a record value, taking ownership of v (freed on error). */
bool record_add(Value *rec, const char *name, Value v, Error *e);
/* The field's value, or NULL. */
Value *record_get(const Value *rec, const char *name);

/* Models, boxed with a reference count.  The new model is zeroed; the
 * caller fills it (perceptron_init, mlp_init) and frees the value on
 * failure (which frees what the model holds). */
bool value_perceptron(Value *out, Error *e);
bool value_mlp(Value *out, Error *e);

/* A method: fn bound to a new reference to self. */
bool value_method(Value *out, const Value *self, const struct Builtin *fn, Error *e);

/* Python's ==: numbers by value across int/float/bool, strings, lists and
 * tuples element by element, dicts, and identity for everything else.
 * Arrays are compared element-wise by the language, not here: for two
 * arrays this is identity. */
bool value_equal(const Value *a, const Value *b);
/* Whether a value can be a dict key (numbers, strings, None, tuples of
 * such). */
bool value_hashable(const Value *v);

/* "a number", "a (3,) vector", "a (4, 1) matrix", "a perceptron", ... */
const char *value_describe(const Value *v, char *buf, size_t n);
/* The short kind word used by `vars`: "number", "vector", "matrix", ... */
const char *value_kind_name(const Value *v);
/* Python's name of a value's type: "int", "float", "list", "numpy.ndarray". */
const char *value_type_name(const Value *v);

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
