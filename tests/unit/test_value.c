/* test_value.c - values as Python's objects: sharing and reference counts,
 * containers, deep copies, putting an object back, equality, descriptions,
 * nudge's display, saving as source that reads back bit for bit, cycles,
 * and running out of memory. */
#include "nudge/value.h"

#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assert_tensor.h"
#include "nudge/builtins.h"
#include "nudge/interp.h"
#include "nudge/mem.h"

#if defined(__SANITIZE_ADDRESS__)
#define NUDGE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NUDGE_LSAN 1
#endif
#endif
#ifdef NUDGE_LSAN
#include <sanitizer/lsan_interface.h>
#define assert_no_leaks() \
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked: see the LeakSanitizer report above")
#else
#define assert_no_leaks() ((void)0)
#endif

/* --- making values ---------------------------------------------------------- */

static Value vec(size_t n, const double *x)
{
    Tensor *t = tensor_from(1, 1, n, x, NULL);
    cr_assert_not_null(t);
    return value_tensor(t);
}

static Value mat(size_t r, size_t c, const double *x)
{
    Tensor *t = tensor_from(2, r, c, x, NULL);
    cr_assert_not_null(t);
    return value_tensor(t);
}

static Value str(const char *s)
{
    Value v;
    cr_assert(value_string(&v, s, strlen(s), NULL));
    return v;
}

/* The value of an expression, evaluated by nudge's rules (or Python's with
 * a leading "py:") in a session of its own. */
static Value make(const char *src)
{
    Interp *in = interp_new(NULL, NULL);
    cr_assert_not_null(in);
    Error e;
    Value v;
    if (!strncmp(src, "py:", 3)) {
        /* a chunk that imports math runs by Python's rules */
        char buf[512];
        snprintf(buf, sizeof buf, "import math\nmade_ = %s\n", src + 3);
        cr_assert(interp_run(in, buf, &e), "\"%s\": %s", src, e.msg);
        v = value_ref(interp_get(in, "made_"));
    } else {
        cr_assert(interp_eval_source(in, src, &v, &e), "\"%s\": %s", src, e.msg);
    }
    interp_delete(in);
    return v;
}

static char *show(const char *name, const Value *v, FormatMode mode)
{
    Error e;
    char *s = value_show(name, v, mode, 0, &e);
    cr_assert_not_null(s, "value_show failed: %s", e.msg);
    return s;
}

static void assert_show(const Value *v, FormatMode mode, const char *want)
{
    char *s = show("x", v, mode);
    cr_assert_str_eq(s, want, "showed\n%s\nexpected\n%s", s, want);
    mem_free(s);
}

static void assert_inline(const Value *v, FormatMode mode, const char *want)
{
    Error e;
    char *s = value_inline(v, mode, &e);
    cr_assert_not_null(s, "%s", e.msg);
    cr_assert_str_eq(s, want, "inline\n%s\nexpected\n%s", s, want);
    mem_free(s);
}

static bool same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || (a == b && signbit(a) == signbit(b));
}

/* a and b hold the same numbers, bit for bit, in the same shapes. */
static void assert_same_value(const Value *a, const Value *b)
{
    cr_assert_eq(a->kind, b->kind, "%s and %s", value_kind_name(a), value_kind_name(b));
    switch (a->kind) {
    case VALUE_NUMBER:
        cr_assert(same_double(a->as.number, b->as.number), "%.17g and %.17g", a->as.number, b->as.number);
        break;
    case VALUE_TENSOR: {
        const Tensor *x = a->as.tensor, *y = b->as.tensor;
        cr_assert_eq(x->ndim, y->ndim);
        cr_assert_eq(x->rows, y->rows);
        cr_assert_eq(x->cols, y->cols);
        cr_assert_eq(x->dtype, y->dtype, "dtype %d and %d", x->dtype, y->dtype);
        for (size_t i = 0; i < tensor_size(x); i++)
            cr_assert(same_double(x->data[i], y->data[i]), "[%zu]: %.17g and %.17g", i, x->data[i], y->data[i]);
        break;
    }
    case VALUE_LIST:
    case VALUE_TUPLE:
        cr_assert_eq(a->as.list->n, b->as.list->n);
        for (size_t i = 0; i < a->as.list->n; i++)
            assert_same_value(&a->as.list->items[i], &b->as.list->items[i]);
        break;
    case VALUE_DICT:
        cr_assert_eq(a->as.dict->n, b->as.dict->n);
        for (size_t i = 0; i < a->as.dict->n; i++) {
            assert_same_value(&a->as.dict->keys[i], &b->as.dict->keys[i]);
            assert_same_value(&a->as.dict->vals[i], &b->as.dict->vals[i]);
        }
        break;
    case VALUE_PERCEPTRON: {
        Value wa = value_tensor(a->as.perceptron->w), wb = value_tensor(b->as.perceptron->w);
        assert_same_value(&wa, &wb);
        cr_assert(same_double(a->as.perceptron->lr, b->as.perceptron->lr));
        break;
    }
    case VALUE_MLP: {
        const Mlp *x = a->as.mlp, *y = b->as.mlp;
        cr_assert_eq(x->n_in, y->n_in);
        cr_assert_eq(x->n_hidden, y->n_hidden);
        cr_assert_eq(x->n_out, y->n_out);
        cr_assert_eq(x->bias, y->bias);
        cr_assert_eq(x->output, y->output);
        for (int w = MLP_W1; w <= MLP_B2; w++) {
            const Tensor *tx = mlp_param(x, (MlpParam)w), *ty = mlp_param(y, (MlpParam)w);
            cr_assert_eq(tx == NULL, ty == NULL);
            if (tx) {
                Value va = value_tensor((Tensor *)tx), vb = value_tensor((Tensor *)ty);
                assert_same_value(&va, &vb);
            }
        }
        break;
    }
    default:
        cr_assert(value_equal(a, b), "%s values differ", value_kind_name(a));
        break;
    }
}

/* --- references --------------------------------------------------------------- */

Test(refs, a_handle_shares_its_object_and_the_last_free_frees_it)
{
    Value a = vec(3, (double[]){ 1, 2, 3 });
    Value b = value_ref(&a);
    cr_assert_eq(a.as.tensor, b.as.tensor);
    b.as.tensor->data[0] = 9;
    cr_assert_eq(a.as.tensor->data[0], 9, "the same array");
    value_free(&a);
    cr_assert_eq(a.kind, VALUE_NONE, "a freed handle is None");
    cr_assert_eq(b.as.tensor->data[1], 2, "the array lives on in b");
    value_free(&b);
    value_free(&b);     /* twice is harmless */
    Value s = str("text"), t = value_ref(&s);
    cr_assert_eq(s.as.string, t.as.string);
    value_free(&s);
    cr_assert_str_eq(value_str(&t), "text");
    value_free(&t);
    assert_no_leaks();
}

Test(refs, value_string_copies_exactly_len_bytes)
{
    Value v;
    cr_assert(value_string(&v, "ab\0cd", 5, NULL));
    cr_assert_eq(value_strlen(&v), 5);
    cr_assert(!memcmp(value_str(&v), "ab\0cd", 6), "NUL-terminated after the bytes");
    value_free(&v);
}

/* --- containers -------------------------------------------------------------------- */

Test(containers, lists_and_tuples_grow_and_own_their_items)
{
    Value l;
    cr_assert(value_list(&l, VALUE_LIST, 0, NULL));
    for (int i = 0; i < 100; i++)
        cr_assert(list_push(&l, value_int(i), NULL));
    cr_assert_eq(l.as.list->n, 100);
    cr_assert_eq(l.as.list->items[99].as.integer, 99);
    Value t;
    cr_assert(value_list(&t, VALUE_TUPLE, 2, NULL));
    cr_assert(list_push(&t, value_ref(&l), NULL));
    cr_assert(list_push(&t, str("x"), NULL));
    cr_assert_eq(t.kind, VALUE_TUPLE);
    value_free(&l);
    cr_assert_eq(t.as.list->items[0].as.list->n, 100, "the tuple keeps the list");
    value_free(&t);
    assert_no_leaks();
}

Test(containers, dicts_find_keys_by_equality_and_keep_their_order)
{
    Value d;
    cr_assert(value_dict(&d, NULL));
    cr_assert(dict_set(&d, str("lr"), value_number(0.1), NULL));
    cr_assert(dict_set(&d, value_int(1), str("one"), NULL));
    cr_assert(dict_set(&d, str("epochs"), value_int(10), NULL));
    cr_assert(dict_set(&d, value_number(1.0), str("uno"), NULL), "1.0 is the key 1");
    cr_assert_eq(d.as.dict->n, 3);
    Value k = value_bool(true);
    cr_assert_str_eq(value_str(dict_get(&d, &k)), "uno", "True is the key 1 too");
    Value lr = str("lr"), missing = str("nope");
    cr_assert_eq(dict_get(&d, &lr)->as.number, 0.1);
    cr_assert_null(dict_get(&d, &missing));
    cr_assert_str_eq(value_str(&d.as.dict->keys[2]), "epochs", "insertion order");
    value_free(&lr);
    value_free(&missing);
    value_free(&d);
    assert_no_leaks();
}

Test(containers, ranges_count_their_values_as_python_does)
{
    static const struct { long long a, b, s, n; } cases[] = {
        { 0, 10, 1, 10 }, { 0, 10, 3, 4 }, { 10, 0, -3, 4 }, { 5, 5, 1, 0 }, { 5, 0, 1, 0 }, { 0, 5, -1, 0 },
        { -3, 3, 2, 3 }, { 0, 1, 100, 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Value r;
        cr_assert(value_range(&r, cases[i].a, cases[i].b, cases[i].s, NULL));
        cr_assert_eq(range_len(r.as.range), cases[i].n, "range(%lld, %lld, %lld)", cases[i].a, cases[i].b, cases[i].s);
        value_free(&r);
    }
}

Test(containers, record_fields_keep_their_order_and_values)
{
    Value r;
    cr_assert(value_record(&r, NULL));
    cr_assert(record_add(&r, "a", value_number(1), NULL));
    cr_assert(record_add(&r, "w", vec(2, (double[]){ 1, 2 }), NULL));
    cr_assert_eq(r.as.record->n, 2);
    cr_assert_str_eq(r.as.record->names[1], "w");
    cr_assert_eq(record_get(&r, "a")->as.number, 1);
    cr_assert_null(record_get(&r, "b"));
    record_get(&r, "w")->as.tensor->data[0] = 7;
    cr_assert_eq(r.as.record->values[1].as.tensor->data[0], 7, "record_get gives the stored value");
    value_free(&r);
    assert_no_leaks();
}

/* --- copying and putting back --------------------------------------------------------- */

Test(copy, value_copy_is_deep_and_shares_only_immutable_parts)
{
    Value l = make("py:[[1, 2], 'text', (3, [4]), {'k': [5]}]");
    Value c;
    cr_assert(value_copy(&c, &l, NULL));
    cr_assert(value_equal(&c, &l));
    cr_assert_neq(c.as.list, l.as.list);
    cr_assert_neq(c.as.list->items[0].as.list, l.as.list->items[0].as.list, "nested lists are copied");
    cr_assert_eq(c.as.list->items[1].as.string, l.as.list->items[1].as.string, "strings are shared");
    list_push(&c.as.list->items[0], value_int(3), NULL);
    cr_assert_not(value_equal(&c, &l));
    value_free(&c);
    value_free(&l);
    Value net = make("mlp(3, 4, 1, seed=1, bias=1)"), twin;
    cr_assert(value_copy(&twin, &net, NULL));
    assert_same_value(&twin, &net);
    cr_assert_neq(twin.as.mlp, net.as.mlp);
    cr_assert_neq(twin.as.mlp->W1, net.as.mlp->W1);
    twin.as.mlp->W1->data[0] = 0;
    cr_assert_eq(net.as.mlp->W1->data[0], 0.417022004702574);
    value_free(&twin);
    value_free(&net);
    assert_no_leaks();
}

Test(copy, a_failed_copy_is_out_of_memory_and_leaks_nothing)
{
    const char *srcs[] = { "py:[[1, 2], 'x', (3, [4]), {'k': [5]}]", "mlp(3, 4, 1, seed=1, bias=1)",
                           "perceptron(w=[1, 2], lr=0.5)", "[[1, 2], [3, 4]]" };
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        Value v = make(srcs[i]);
        bool done = false;
        for (long k = 0; k < 200 && !done; k++) {
            Value c;
            Error e;
            error_clear(&e);
            mem_fail_after(k);
            bool ok = value_copy(&c, &v, &e);
            mem_fail_after(-1);
            if (ok) {
                assert_same_value(&c, &v);
                value_free(&c);
                done = true;
            } else {
                cr_assert_eq(e.code, ERROR_NOMEM, "\"%s\" with %ld: %s", srcs[i], k, e.msg);
                cr_assert_eq(c.kind, VALUE_NONE);
            }
        }
        cr_assert(done);
        value_free(&v);
    }
    assert_no_leaks();
}

/* Fixed bug: restoring an array swapped the two headers, and the data of
 * each lives right after its header: the restored array pointed into the
 * copy, freed at once. */
Test(copy, restore_into_puts_contents_back_where_every_handle_sees_them)
{
    const char *srcs[] = { "[1, 2, 3]", "[[1, 2], [3, 4]]", "py:[1, [2], 'x']", "py:{'a': 1}", "perceptron(2)",
                           "mlp(2, 3, 1, seed=1)" };
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        Value v = make(srcs[i]);
        Value other = value_ref(&v);
        Value before;
        cr_assert(value_copy(&before, &v, NULL));
        Value keep;
        cr_assert(value_copy(&keep, &v, NULL));
        /* change v in place */
        switch (v.kind) {
        case VALUE_TENSOR: v.as.tensor->data[0] = 99; break;
        case VALUE_LIST: list_push(&v, value_int(5), NULL); value_free(&v.as.list->items[0]); break;
        case VALUE_DICT: dict_set(&v, str("b"), value_int(2), NULL); break;
        case VALUE_PERCEPTRON: v.as.perceptron->w->data[0] = 99; break;
        case VALUE_MLP: v.as.mlp->W1->data[0] = 99; break;
        default: break;
        }
        value_restore_into(&v, &before);
        cr_assert_eq(before.kind, VALUE_NONE, "src is consumed");
        assert_same_value(&other, &keep);
        assert_same_value(&v, &keep);
        if (v.kind == VALUE_TENSOR)
            cr_assert_eq((const void *)v.as.tensor->data, (const void *)(v.as.tensor + 1),
                         "the data still lives after its own header");
        value_free(&keep);
        value_free(&other);
        value_free(&v);
    }
    assert_no_leaks();
}

/* --- equality ------------------------------------------------------------------------- */

Test(equality, values_compare_as_python_compares_them)
{
    Value one = value_int(1), onef = value_number(1.0), yes = value_bool(true), nan = value_number(NAN);
    cr_assert(value_equal(&one, &onef));
    cr_assert(value_equal(&one, &yes));
    cr_assert_not(value_equal(&nan, &nan), "nan is not equal to itself");
    Value a = make("py:[1, (2.0, 'x'), {'k': None}]"), b = make("py:[1.0, (2, 'x'), {'k': None}]");
    Value c = make("py:[1, (2, 'y'), {'k': None}]");
    cr_assert(value_equal(&a, &b));
    cr_assert_not(value_equal(&a, &c));
    Value t = make("(1, 2)"), l = make("py:[1, 2]");
    cr_assert_not(value_equal(&t, &l), "a tuple is not a list");
    Value r1 = make("range(0, 3)"), r2 = make("range(0, 4, 1)"), r3 = make("range(0, 3, 1)");
    cr_assert_not(value_equal(&r1, &r2));
    cr_assert(value_equal(&r1, &r3));
    Value x = make("[1, 2]"), y = make("[1, 2]");
    cr_assert_not(value_equal(&x, &y), "arrays: identity here; the language compares them element-wise");
    Value x2 = value_ref(&x);
    cr_assert(value_equal(&x, &x2));
    Value *all[] = { &a, &b, &c, &t, &l, &r1, &r2, &r3, &x, &y, &x2 };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        value_free(all[i]);
    assert_no_leaks();
}

Test(equality, only_immutable_values_can_be_dict_keys)
{
    const char *yes[] = { "1", "1.5", "'s'", "None", "True", "(1, 'a', (2,))", "range(3)", "len" };
    const char *no[] = { "[1, 2]", "py:[1]", "py:{}", "(1, [2])", "perceptron(2)" };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        Value v = make(yes[i]);
        cr_assert(value_hashable(&v), "%s", yes[i]);
        value_free(&v);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        Value v = make(no[i]);
        cr_assert_not(value_hashable(&v), "%s", no[i]);
        value_free(&v);
    }
}

/* --- descriptions --------------------------------------------------------------------- */

Test(describe, every_kind_has_a_name_a_type_and_a_description)
{
    static const struct { const char *src, *kind, *type, *described; } cases[] = {
        { "None", "None", "NoneType", "None" },
        { "True", "bool", "bool", "a bool" },
        { "3", "int", "int", "an int" },
        { "2.5", "number", "float", "a number" },
        { "'s'", "string", "str", "a string" },
        { "[1, 2, 3]", "vector", "numpy.ndarray", "a (3,) vector" },
        { "[[1, 2], [3, 4]]", "matrix", "numpy.ndarray", "a (2, 2) matrix" },
        { "[[1], [2]]", "matrix", "numpy.ndarray", "a (2, 1) matrix" },
        { "[True, False]", "vector", "numpy.ndarray", "a (2,) bool vector" },
        { "[1, 2].astype(int)", "vector", "numpy.ndarray", "a (2,) int vector" },
        { "py:[1, 2]", "list", "list", "a list of 2" },
        { "(1,)", "tuple", "tuple", "a tuple of 1" },
        { "py:{}", "dict", "dict", "a dict" },
        { "range(3)", "range", "range", "a range" },
        { "perceptron(2)", "perceptron", "perceptron", "a perceptron" },
        { "mlp(2, 2, 1)", "mlp", "mlp", "a network (mlp)" },
        { "sigmoid", "function", "builtin_function_or_method", "the function sigmoid" },
        { "lambda x: x", "function", "function", "the function lambda x: x" },
        { "@(z) z", "function", "function", "the function @(z) z" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Value v = make(cases[i].src);
        char buf[80];
        cr_assert_str_eq(value_kind_name(&v), cases[i].kind, "%s", cases[i].src);
        cr_assert_str_eq(value_type_name(&v), cases[i].type, "%s", cases[i].src);
        cr_assert_str_eq(value_describe(&v, buf, sizeof buf), cases[i].described, "%s", cases[i].src);
        value_free(&v);
    }
}

/* --- nudge's display ------------------------------------------------------------------- */

Test(show, scalars_show_on_one_line)
{
    Value v = value_number(0.9247976287021183);
    assert_show(&v, FORMAT_SHORT, "x = 0.9248\n");
    assert_show(&v, FORMAT_LONG, "x = 0.9247976287021183\n");
    v = value_number(3);
    assert_show(&v, FORMAT_SHORT, "x = 3\n");
    v = value_number(-INFINITY);
    assert_show(&v, FORMAT_SHORT, "x = -Inf\n");
    v = value_int(-12);
    assert_show(&v, FORMAT_SHORT, "x = -12\n");
    v = value_bool(true);
    assert_show(&v, FORMAT_SHORT, "x = 1\n");
    v = value_none();
    assert_show(&v, FORMAT_SHORT, "x = None\n");
}

Test(show, strings_containers_and_functions_show_inline)
{
    const struct { const char *src, *want; } cases[] = {
        { "'file.nd'", "x = \"file.nd\"\n" },
        { "'tab\\there\\n'", "x = \"tab\\there\\n\"\n" },
        { "py:[1, 'a', 2.5, None, True]", "x = [1, \"a\", 2.5, None, True]\n" },
        { "(1, (2,), ())", "x = (1, (2,), ())\n" },
        { "py:{'w': [0.5, 1], 3: 'z'}", "x = {\"w\": [0.5, 1], 3: \"z\"}\n" },
        { "range(2, 9, 3)", "x = range(2, 9, 3)\n" },
        { "range(4)", "x = range(0, 4)\n" },
        { "sigmoid", "x = built-in function sigmoid\n" },
        { "@(z) z**2", "x = @(z) z**2\n" },
        { "lambda a, *b: a", "x = lambda a, *b: a\n" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Value v = make(cases[i].src);
        assert_show(&v, FORMAT_SHORT, cases[i].want);
        value_free(&v);
    }
}

Test(show, arrays_show_under_their_name_between_blank_lines)
{
    Value v = vec(3, (double[]){ 3, -1, 2 });
    assert_show(&v, FORMAT_SHORT, "x =\n\n   3  -1   2\n\n");
    value_free(&v);
    v = mat(2, 2, (double[]){ 0.758, 0.771, 0.791, 0.801 });
    assert_show(&v, FORMAT_SHORT, "x =\n\n   0.7580   0.7710\n   0.7910   0.8010\n\n");
    assert_show(&v, FORMAT_LONG, "x =\n\n  0.758  0.771\n  0.791  0.801\n\n");
    value_free(&v);
    v = mat(0, 3, NULL);
    assert_show(&v, FORMAT_SHORT, "x = [](0, 3)\n");
    value_free(&v);
    v = vec(0, NULL);
    assert_show(&v, FORMAT_SHORT, "x = [](0,)\n");
    value_free(&v);
}

Test(show, models_and_records_show_their_parts)
{
    Value p = make("perceptron(w=[0, 0, 0], lr=0.1)");
    assert_show(&p, FORMAT_SHORT, "x = perceptron with 3 weights, lr = 0.1\n  w = [0, 0, 0]\n");
    value_free(&p);
    Value net = make("mlp(2, 2, 1, seed=1)");
    assert_show(&net, FORMAT_SHORT,
                "x = mlp 2-2-1, sigmoid hidden layer, sigmoid + squared-error output, no biases\n"
                "\n"
                "  W1 (2, 2) =\n"
                "\n"
                "       4.1702e-01   7.2032e-01\n"
                "       1.1437e-04   3.0233e-01\n"
                "\n"
                "  W2 (2, 1) =\n"
                "\n"
                "       0.146756\n"
                "       0.092339\n"
                "\n");
    value_free(&net);
    Value r;
    cr_assert(value_record(&r, NULL));
    cr_assert(record_add(&r, "n", value_number(2), NULL));
    cr_assert(record_add(&r, "w", vec(2, (double[]){ 1, 2 }), NULL));
    cr_assert(record_add(&r, "s", str("x"), NULL));
    assert_show(&r, FORMAT_SHORT,
                "x = record with fields: n w s\n"
                "\n"
                "  n = 2\n"
                "  w (2,) =\n"
                "\n"
                "     1   2\n"
                "\n"
                "  s = \"x\"\n");
    value_free(&r);
}

Test(show, a_large_matrix_shows_its_corners_and_a_long_vector_its_ends)
{
    double *x = calloc(100 * 30, sizeof *x);
    cr_assert_not_null(x);
    for (int i = 0; i < 100 * 30; i++)
        x[i] = i;
    Value v = mat(100, 30, x);
    char *s = show("m", &v, FORMAT_SHORT);
    cr_assert(!strncmp(s, "m = (100, 30) matrix, 3000 values: the first and last 4 rows and columns\n\n",
                       strlen("m = (100, 30) matrix, 3000 values: the first and last 4 rows and columns\n\n")), "%s", s);
    cr_assert(strstr(s, "   2970   2971   2972   2973  ...   2996   2997   2998   2999\n"), "%s", s);
    mem_free(s);
    value_free(&v);
    v = vec(3000, x);
    s = show("v", &v, FORMAT_SHORT);
    cr_assert(!strncmp(s, "v = (3000,) vector, 3000 values: the first and last 8 elements\n\n",
                       strlen("v = (3000,) vector, 3000 values: the first and last 8 elements\n\n")), "%s", s);
    cr_assert(strstr(s, "   ...\n"), "%s", s);
    mem_free(s);
    value_free(&v);
    for (size_t rows = 1; rows <= 5; rows++) {
        v = mat(rows, 2100 / rows + 1, x);
        s = show("a", &v, FORMAT_SHORT);
        cr_assert(strstr(s, ") matrix, "), "%s", s);
        mem_free(s);
        value_free(&v);
    }
    free(x);
}

Test(show, inline_forms_fit_on_one_line_and_follow_the_format)
{
    Value v = value_number(1.0 / 3);
    assert_inline(&v, FORMAT_SHORT, "0.3333");
    assert_inline(&v, FORMAT_LONG, "0.3333333333333333");
    Value l = make("py:[1, [2.5, 'x'], {'k': (None,)}]");
    assert_inline(&l, FORMAT_SHORT, "[1, [2.5, \"x\"], {\"k\": (None,)}]");
    value_free(&l);
    Value m = make("[[0, 0, 1], [0, 1, 1]]");
    assert_inline(&m, FORMAT_SHORT, "[[0, 0, 1], [0, 1, 1]]");
    value_free(&m);
    Value net = make("mlp(3, 4, 1)");
    assert_inline(&net, FORMAT_SHORT, "mlp 3-4-1, sigmoid hidden layer, sigmoid + squared-error output, no biases");
    value_free(&net);
    Value ctl = str("bell\a esc\x1b[2J");
    assert_inline(&ctl, FORMAT_SHORT, "\"bell\\x07 esc\\x1b[2J\"");
    value_free(&ctl);
}

Test(show, showing_runs_out_of_memory_cleanly)
{
    const char *srcs[] = { "mlp(3, 4, 1, seed=1, bias=1)", "perceptron(3)", "[[1, 2], [3, 4]]",
                           "py:[1, 'a', (2, {'k': [3]})]", "'text'", "2.5", "lambda x: x + 1" };
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        Value v = make(srcs[i]);
        bool done = false;
        for (long k = 0; k < 300 && !done; k++) {
            Error e;
            error_clear(&e);
            mem_fail_after(k);
            char *s = value_show("x", &v, FORMAT_LONG, 40, &e);
            mem_fail_after(-1);
            if (s) {
                mem_free(s);
                done = true;
            } else {
                cr_assert_eq(e.code, ERROR_NOMEM, "%s, %ld allocations: %s", srcs[i], k, e.msg);
            }
        }
        cr_assert(done, "%s never shown", srcs[i]);
        value_free(&v);
    }
    assert_no_leaks();
}

/* --- source for save --------------------------------------------------------------------- */

/* value_source(v) read back by nudge's rules must give v again, bit for
 * bit and with its dtype. */
static void assert_round_trip(const Value *v)
{
    Error e;
    char *src = value_source(v, &e);
    cr_assert_not_null(src, "%s cannot be written: %s", value_kind_name(v), e.msg);
    Interp *in = interp_new(NULL, NULL);
    Value back;
    cr_assert(interp_eval_source(in, src, &back, &e), "\"%s\" does not read back: %s", src, e.msg);
    assert_same_value(v, &back);
    value_free(&back);
    interp_delete(in);
    mem_free(src);
}

static void assert_source(const Value *v, const char *want)
{
    Error e;
    char *src = value_source(v, &e);
    cr_assert_not_null(src, "%s", e.msg);
    cr_assert_str_eq(src, want);
    mem_free(src);
}

Test(source, numbers_round_trip_bit_for_bit)
{
    const double xs[] = { 0, -0.0, 1, -1, 0.1, 1.0 / 3, 2.0 / 3, 1e-300, 5e-324, DBL_MIN, DBL_MAX, -DBL_MAX,
                          1e16, 123456789012345678.0, 0.9247976287021183, INFINITY, -INFINITY, NAN };
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        Value v = value_number(xs[i]);
        assert_round_trip(&v);
    }
    Value v = value_number(1.0 / 3);
    assert_source(&v, "0.3333333333333333");
    v = value_number(2);
    assert_source(&v, "2.0");
    v = value_number(INFINITY);
    assert_source(&v, "inf");
    v = value_int(-5);
    assert_source(&v, "-5");
    v = value_bool(false);
    assert_source(&v, "False");
}

Test(source, arrays_round_trip_with_their_dtype)
{
    const char *srcs[] = { "[0.1, 1/3, -0.0]", "[[1.5, 2], [3, 4]]", "[[1], [2], [3]]", "[[1, 2, 3]]", "[42]",
                           "[inf, -inf, nan, 0]", "zeros(0)", "zeros(0, 3)", "[1, -2, 3].astype(int)",
                           "[[1, 2], [3, 4]].astype(int)", "[True, False]", "zeros(0).astype(int)",
                           "zeros(2, 0).astype(bool)" };
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        Value v = make(srcs[i]);
        assert_round_trip(&v);
        value_free(&v);
    }
    Value v = make("[[1.5, 2], [3, 4]]");
    assert_source(&v, "[[1.5, 2.0], [3.0, 4.0]]");
    value_free(&v);
    v = make("[1, 2].astype(int)");
    assert_source(&v, "[1, 2].astype(int)");
    value_free(&v);
}

Test(source, strings_lists_tuples_dicts_and_ranges_round_trip)
{
    const char *srcs[] = { "'file.nd'", "\"it's\"", "'say \"hi\"'", "''", "'η = 0.1 # not a comment'",
                           "'tab\\t new\\n cr\\r back\\\\ bell\\x07'", "py:[1, 2, 3]", "py:[]", "py:[1]",
                           "py:[[1, 2], ['a', None], (True, 2.5)]", "(1,)", "()", "py:{'a': [1, 2], 3: (4,)}",
                           "range(2, 9, 3)", "py:[[]]" };
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        Value v = make(srcs[i]);
        assert_round_trip(&v);
        value_free(&v);
    }
    Value v = make("py:[1, [2]]");
    assert_source(&v, "list((1, list((2,))))");
    value_free(&v);
}

Test(source, models_and_functions_round_trip)
{
    const char *srcs[] = { "perceptron(w=[0.5, 1/3, -1.5], lr=0.1)", "perceptron(w=[1, 2], lr=inf)",
                           "mlp(3, 4, 1, seed=1)", "mlp(2, 3, 2, seed=7, bias=1, output=\"softmax\")" };
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        Value v = make(srcs[i]);
        assert_round_trip(&v);
        value_free(&v);
    }
    Value net = make("mlp(2, 2, 1, seed=1, bias=1)");
    net.as.mlp->W1->data[0] = -0.0;
    net.as.mlp->W1->data[1] = 5e-324;
    net.as.mlp->W2->data[0] = 1e300;
    net.as.mlp->b1->data[1] = -1.0 / 3;
    assert_round_trip(&net);
    value_free(&net);
    Value b = make("softmax"), l = make("@(z, w) sum((z - w)**2) / 2"), m = make("lambda v: v + 1");
    assert_source(&b, "softmax");
    assert_source(&l, "@(z, w) sum((z - w)**2) / 2");
    assert_source(&m, "lambda v: v + 1");
    value_free(&b);
    value_free(&l);
    value_free(&m);
}

Test(source, what_cannot_be_written_says_so)
{
    Value r;
    cr_assert(value_record(&r, NULL));
    Error e;
    cr_assert_null(value_source(&r, &e));
    cr_assert_eq(e.code, ERROR_TYPE);
    cr_assert_str_eq(e.msg, "save: a record cannot be saved");
    value_free(&r);
    Value m = make("py:[1].append");
    cr_assert_null(value_source(&m, &e));
    value_free(&m);
}

Test(source, writing_source_runs_out_of_memory_cleanly)
{
    const char *srcs[] = { "mlp(3, 4, 1, seed=1, bias=1)", "perceptron(3)", "[[1, 2], [3, 4]]",
                           "py:[1, 'a', (2, {'k': [3]})]", "'text'", "2.5", "lambda x: x + 1" };
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        Value v = make(srcs[i]);
        bool done = false;
        for (long k = 0; k < 200 && !done; k++) {
            Error e;
            error_clear(&e);
            mem_fail_after(k);
            char *s = value_source(&v, &e);
            mem_fail_after(-1);
            if (s) {
                mem_free(s);
                done = true;
            } else {
                cr_assert_eq(e.code, ERROR_NOMEM, "%s, %ld allocations: %s", srcs[i], k, e.msg);
            }
        }
        cr_assert(done, "%s never written", srcs[i]);
        value_free(&v);
    }
    assert_no_leaks();
}

/* --- cycles ------------------------------------------------------------------------------ */

Test(cycles, a_list_that_holds_itself_is_freed_by_the_collector)
{
    Value l;
    cr_assert(value_list(&l, VALUE_LIST, 0, NULL));
    cr_assert(list_push(&l, value_ref(&l), NULL));
    Value d;
    cr_assert(value_dict(&d, NULL));
    cr_assert(dict_set(&d, str("me"), value_ref(&d), NULL));
    cr_assert(dict_set(&d, str("l"), value_ref(&l), NULL));
    cr_assert_eq(value_collect_cycles(), 0, "held from outside: nothing to free");
    value_free(&l);
    cr_assert_eq(value_collect_cycles(), 0, "the dict still reaches the list");
    value_free(&d);
    cr_assert_eq(value_collect_cycles(), 2);
    cr_assert_eq(value_collect_cycles(), 0);
    assert_no_leaks();
}

Test(cycles, acyclic_values_are_freed_by_counts_alone)
{
    Value l = make("py:[[1], (2, [3]), {'k': [4]}]");
    value_free(&l);
    cr_assert_eq(value_collect_cycles(), 0);
    assert_no_leaks();
}
