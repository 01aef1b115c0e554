/* harness.h - what the fuzz targets share.
 *
 * Each target is one file defining LLVMFuzzerTestOneInput.  It is built
 * twice: with libFuzzer (clang, -DNUDGE_FUZZ=ON) to search for inputs, and
 * with replay_main.c (any compiler) to replay saved inputs in ctest.
 *
 * The harness plays the part of a student pressing Ctrl-C: a CPU-time alarm
 * (ITIMER_PROF, so it never meets libFuzzer's own SIGALRM) sets the flag an
 * Interp polls, first after FUZZ_FIRST_MS and then every FUZZ_EVERY_MS.  A
 * computation that does not stop then is a finding: libFuzzer's -timeout
 * reports it, as a student would see a Ctrl-C that does nothing.
 */
#ifndef NUDGE_FUZZ_HARNESS_H
#define NUDGE_FUZZ_HARNESS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nudge/error.h"
#include "nudge/interp.h"

enum { FUZZ_FIRST_MS = 300, FUZZ_EVERY_MS = 100 };

/* The most output one input may cause: more is a finding (a value shown
 * in full that should have been summarised, 25 MB for mlp(3, 812, 2200)). */
#define FUZZ_MAX_OUTPUT ((size_t)16 << 20)

/* libFuzzer's entry point, defined by each target. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The Ctrl-C flag the alarm sets (an Interp's `interrupted` points here). */
extern volatile sig_atomic_t fuzz_interrupted;

/* Arms the alarm (and clears the flag, and the output count of
 * fuzz_sink) / disarms it. */
void fuzz_alarm_start(void);
void fuzz_alarm_stop(void);

/* An output sink that reads every byte, so that ASan checks the text, and
 * fails past FUZZ_MAX_OUTPUT bytes since the alarm was armed. */
void fuzz_sink(void *ctx, const char *text, size_t len);

/* Prints "fuzz: invariant broken: ..." and aborts (a finding). */
void fuzz_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2), noreturn))
#endif
    ;

/* The invariants every failing call must keep: a code, a non-empty and
 * terminated message, and no negative position.  src (may be NULL) is the
 * text that failed: a line number must lie inside it. */
void fuzz_check_error(const Error *e, const char *src);

/* A private scratch directory (made on first use, removed at exit), and a
 * path inside it owned by the caller. */
const char *fuzz_scratch(void);
char *fuzz_scratch_path(const char *name);
/* Removes every file in the scratch directory. */
void fuzz_scratch_clean(void);

/* Sets up in for fuzzing: output to the sink, the alarm's flag, width 80,
 * and save, run and load confined to the scratch directory (a plain file
 * name means that file there; anything else is refused).  Call after any
 * other interp_add_commands (tutor_install) so the confinement wins. */
void fuzz_interp_setup(Interp *in);

/* True when the text may reach files outside the scratch directory through
 * load_csv: a string literal holding '/'.  Such inputs are skipped. */
bool fuzz_names_outside(const char *text, size_t len);

#endif
