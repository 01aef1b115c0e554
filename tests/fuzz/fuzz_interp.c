/* fuzz_interp.c - fuzz target: one chunk of statements, as a student types
 * it at the prompt, through the lexer, parser and evaluator.
 *
 * The Interp is set up as main.c sets it up (the lesson commands installed,
 * progress kept in memory), with output discarded and save/run/load
 * confined to a scratch directory.  Limits: inputs longer than
 * FUZZ_INTERP_MAX bytes are skipped (the REPL takes up to 1 MiB a chunk, but
 * short inputs mutate faster), and the CPU-time alarm of harness.h stands in
 * for Ctrl-C, so `train(..., epochs=1e9)` is stopped as a student would
 * stop it.  Inputs with a '/' inside a string literal are skipped, so that
 * load_csv reads only files in the current directory.
 *
 * Checked after each input: every failure carries a proper error (see
 * fuzz_check_error), and the same Interp still evaluates 1 + 1 to 2.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "nudge/interp.h"
#include "nudge/tutor.h"
#include "nudge/value.h"

enum { FUZZ_INTERP_MAX = 4096 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_INTERP_MAX || memchr(data, '\0', size) || fuzz_names_outside((const char *)data, size))
        return 0;
    char *src = malloc(size + 1);
    if (!src)
        return 0;
    memcpy(src, data, size);
    src[size] = '\0';

    Interp *in;
    in = interp_new(NULL, NULL);
    Tutor tutor;
    tutor_install(&tutor, in, NUDGE_SOURCE_DIR "/lessons", NULL, false);
    fuzz_interp_setup(in);

    Error e;
    error_clear(&e);
    fuzz_alarm_start();
    if (!interp_run_chunk(in, src, &e))
        fuzz_check_error(&e, src);
    fuzz_alarm_stop();

    /* Whatever happened, the session goes on. */
    Value v;
    error_clear(&e);
    if (!interp_eval_source(in, "1 + 1", &v, &e))
        fuzz_fail("1 + 1 fails after the input: %s", e.msg);
    if (!value_is_scalar(&v) || value_to_double(&v) != 2)
        fuzz_fail("1 + 1 is not 2 after the input");
    value_free(&v);

    tutor_free(&tutor);
    interp_delete(in);
    fuzz_scratch_clean();
    free(src);
    return 0;
}
