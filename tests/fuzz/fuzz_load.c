/* fuzz_load.c - fuzz target: a workspace file through `load`.
 *
 * The input is written to a file in the scratch directory and loaded with
 * the `load` command on a fresh Interp, as a student loads a file someone
 * sent them (so the file runs with save/run/load confined, and under the
 * CPU-time alarm of harness.h).  Inputs over 64 KiB are skipped.
 *
 * When it loads, the round trip is checked too: the workspace is saved,
 * the saved file must load on another fresh Interp, and saving that must
 * give the same bytes.  The round trip is skipped for workspaces holding
 * more than FUZZ_LOAD_ROUNDTRIP values (saving them is slow, and
 * tests/fuzz/pending/load holds the known failure for large matrices).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "nudge/interp.h"
#include "nudge/mem.h"
#include "nudge/value.h"

enum { FUZZ_LOAD_MAX = 64 << 10, FUZZ_LOAD_ROUNDTRIP = 20000 };

static Interp *session(void)
{
    Interp *in = interp_new(NULL, NULL);
    if (!in)
        abort();
    fuzz_interp_setup(in);
    return in;
}

static size_t values_held(const Interp *in)
{
    size_t n = 0, cursor = 0;
    const char *name;
    Value *v;
    while (interp_var_next(in, &cursor, &name, &v)) {
        if (v->kind == VALUE_TENSOR)
            n += tensor_size(v->as.tensor);
        else if (v->kind == VALUE_PERCEPTRON)
            n += tensor_size(v->as.perceptron->w);
        else if (v->kind == VALUE_MLP)
            n += v->as.mlp->n_hidden * (v->as.mlp->n_in + v->as.mlp->n_out + 2);
        else
            n++;
    }
    return n;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fuzz_fail("cannot reopen '%s'", path);
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

/* Saves a, loads the file into a fresh Interp and saves that: the two
 * files must be the same. */
static void round_trip(Interp *a)
{
    char *first = fuzz_scratch_path("roundtrip-1.nd"), *second = fuzz_scratch_path("roundtrip-2.nd");
    Error e;
    error_clear(&e);
    if (!interp_save(a, first, NULL, &e)) {
        fuzz_check_error(&e, NULL);
        goto done;
    }
    Interp *b = session();
    error_clear(&e);
    fuzz_alarm_start();
    bool ok = interp_run_file(b, first, false, false, NULL, NULL, &e);
    fuzz_alarm_stop();
    if (!ok && e.code != ERROR_INTERRUPT) {
        size_t len;
        char *text = slurp(first, &len);
        fprintf(stderr, "---- the saved workspace ----\n%.*s\n-----------------------------\n", (int)len, text);
        free(text);
        fuzz_fail("a saved workspace does not load back: line %d:%d: %s", e.line, e.col, e.msg);
    }
    if (ok) {
        error_clear(&e);
        if (!interp_save(b, second, NULL, &e))
            fuzz_fail("a loaded workspace does not save again: %s", e.msg);
        size_t n1, n2;
        char *s1 = slurp(first, &n1), *s2 = slurp(second, &n2);
        if (n1 != n2 || memcmp(s1, s2, n1)) {
            size_t at = 0;
            while (at < n1 && at < n2 && s1[at] == s2[at])
                at++;
            fprintf(stderr, "---- saved ----\n%.*s\n---- saved again after loading ----\n%.*s\n", (int)n1, s1,
                    (int)n2, s2);
            fuzz_fail("save, load, save changes the workspace (first difference at byte %zu)", at);
        }
        free(s1);
        free(s2);
    }
    interp_delete(b);
done:
    free(first);
    free(second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_LOAD_MAX || fuzz_names_outside((const char *)data, size))
        return 0;
    char *path = fuzz_scratch_path("input.nd");
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        fuzz_fail("cannot write '%s'", path);
    free(path);

    Interp *a = session();
    Error e;
    error_clear(&e);
    fuzz_alarm_start();
    bool ok = interp_run(a, "load input.nd", &e);
    fuzz_alarm_stop();
    if (!ok)
        fuzz_check_error(&e, "load input.nd");
    else if (!interp_quitting(a) && values_held(a) <= FUZZ_LOAD_ROUNDTRIP)
        round_trip(a);
    interp_delete(a);
    fuzz_scratch_clean();
    return 0;
}
