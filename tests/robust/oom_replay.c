/* oom_replay.c - out-of-memory injection over the golden transcripts.
 *
 * Usage: oom_replay GOLDEN_DIR LESSONS_DIR [--pending FILE] [CASE...]
 *
 * A case is a golden transcript typed at the prompt (NAME, for
 * tests/golden/NAME.nd, or NAME.stdin when there is one, with the -k
 * option of NAME.args), the same run as a script ("file:NAME"), one of the
 * hand-picked statement lists below ("stmts-..."), or "check-lessons" (the
 * --check-lessons run).  Without CASE arguments every case runs, except
 * those listed in the pending FILE (they wait for a fix).  Each case is run once to count its allocations (mem_count),
 * then again for every k (or, when there are more, NUDGE_OOM_SAMPLES k
 * spread evenly from the first allocation to the last: by default 300, or
 * 100 or 30 for a case whose run takes over 10 or 100 ms, a fifth of that
 * in the ASan build) on a fresh session with mem_fail_after(k), so that allocation k and every one
 * after it fail.  Each such run must:
 *   - not crash (ASan/UBSan in the sanitizer build);
 *   - report every error the run without failures reports, in the same
 *     order, up to the first error that says "out of memory" (after that,
 *     anything may follow: a variable that could not be made is unknown);
 *     an allocation failure that turns into a different error, or changes
 *     the errors without one, is a finding;
 *   - give every error that says "out of memory" the code ERROR_NOMEM;
 *   - leave the session usable: with injection off, `1 + 1` gives 2 and an
 *     assignment works;
 *   - free everything it allocated: checked with mallinfo2 in the ordinary
 *     build, and by LeakSanitizer after each case in the ASan build.
 *
 * (The program restarts itself once with glibc's malloc cache off, so
 * that mallinfo2 counts exactly.)
 *
 * Environment: NUDGE_OOM_SAMPLES (default by run time, see above; 0 runs
 * every k),
 * NUDGE_OOM_K=k runs that k alone (with the failing case named on the
 * command line), NUDGE_OOM_VERBOSE=1 shows each k.
 */
#include <glob.h>
#include <limits.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nudge/ast.h"
#include "nudge/interp.h"
#include "nudge/mem.h"
#include "nudge/tutor.h"
#include "nudge/value.h"
#include "../unit/tmpdir.h"

#if defined(__SANITIZE_ADDRESS__)
#define OOM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OOM_ASAN 1
#endif
#endif
#ifdef OOM_ASAN
#include <sanitizer/lsan_interface.h>
#endif

/* --- the cases ----------------------------------------------------------- */

/* CASE_CHUNKS runs a file as the prompt runs what is typed: chunk by chunk
 * through interp_run_chunk.  CASE_FILE runs it as a script, through
 * interp_run_file (the "file:NAME" cases). */
typedef enum CaseKind { CASE_CHUNKS, CASE_FILE, CASE_TEXT, CASE_CHECK_LESSONS } CaseKind;

typedef struct Case {
    char name[128];
    CaseKind kind;
    char path[PATH_MAX];        /* CASE_FILE */
    const char *text;           /* CASE_TEXT (a statement list, one per line) */
    bool keep_going, echo;
} Case;

/* Statements chosen to reach what the transcripts may not: every kind of
 * value, models, lambdas, files, lessons and printing.  %1$s is a scratch
 * directory, %2$s the golden directory. */
static const struct {
    const char *name;
    const char *text;
    bool keep_going;
} stmt_cases[] = {
    { "stmts-values",
      "a = [3, -1, 2]; b = [1, 4, 0.5]; dot(a, b)\n"
      "M = [[1, 2], [3, 4]]; M @ M.T; M[1, :]; M[:, 0]; M[0] = [9, 9]; M\n"
      "R = [1, 2; 3, 4]; R ** 2 > 4; a[-1] = 7; a[0:2]; norm(a); angle(a, b); outer(a, b)\n"
      "s = \"text\"; e0 = zeros(0); e2 = zeros(2, 0); E = eye(3); sum(M); mean(M); shape(M)\n"
      "vars\n"
      "format long\n"
      "x = 0.1 + 0.2\n"
      "softmax([1, 2, 3])\n"
      "format short\n"
      "clear a b\n",
      false },
    { "stmts-functions",
      "L = @(w1) (2*w1 + 1)*1.5 + 0.5; numgrad(L, 0.5)\n"
      "f = @(a, b) a * b + sigmoid(a); f(2, 3)\n"
      "jacobian(softmax, [1, 2, 3])\n"
      "jacobian(@(z) relu(z) * 2, [-1, 0.5])\n"
      "seed(1); W1 = rand(3, 4); rand(2)\n"
      "mse([1, 2], [1, 3]); cross_entropy([0.2, 0.8], [0, 1]); σ(0); tanh([1, 2]); argmax([1, 5, 2])\n"
      "exp(1000); log(0); 0/0; step([-1, 0, 1]); ones(2, 3) + [1, 2, 3]\n",
      false },
    { "stmts-models",
      "p = perceptron(w=[0.5, 0.5, -1.5], lr=1); learn(p, [1, 1, 1], 1)\n"
      "X = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [[0],[1],[1],[0]];\n"
      "train(p, X, [0, 1, 1, 0], epochs=3); predict(p, X); p.w; p2 = p\n"
      "net = mlp(3, 4, 1, seed=1); learn(net, X, y, lr=1)\n"
      "train(net, X, y, epochs=5, lr=1); forward(net, [1, 0, 1])\n"
      "b = backward(net, X, y); b.dW1\n"
      "net.W2[0, 0] = 0.5; net.W1 = net.W1 * 2; net\n"
      "plot loss\n"
      "sm = mlp(3, 2, 2, output=\"softmax\", loss=\"ce\", bias=1); train(sm, X, [[1,0],[0,1],[0,1],[1,0]], epochs=3)\n",
      false },
    /* Slices, in expressions and as targets (the parser once said "out of
     * memory" here with a syntax error's code). */
    { "stmts-slices",
      "a = [1, 2, 3]; a = [[1, 2], [3, 4]] @ [5, 6] + sum([1, 2, 3]) * a[0:2]\n"
      "net = mlp(3, 4, 1, seed=1); net.W1[0, 1:] = 5; net.W1[:, ::-1]\n"
      "M = [[1, 2, 3], [4, 5, 6]]; M[1:, 0:2] = [[7, 8]]; M[::2, 1:]\n",
      false },
    { "stmts-files",
      "w = [1, 2, 3]; net = mlp(2, 2, 1, seed=2); f = @(x) x + 1; s = \"hi\"\n"
      "save %1$s/ws.nd\n"
      "clear\n"
      "load %1$s/ws.nd\n"
      "run %1$s/ws.nd\n"
      "D = load_csv(\"%2$s/data/xor.csv\")\n"
      "help\n"
      "help train\n",
      false },
    { "stmts-lessons",
      "lessons\n"
      "lesson 1\n"
      "hint\n"
      "a = [3, -1, 2]\n"
      "next\n"
      "back\n"
      "lesson\n"
      "quit\n",
      false },
    { "stmts-errors",
      "dot([1, 2], [1, 2, 3])\n"
      "[1, 2; 3]\n"
      "unknown_thing + 1\n"
      "mlp(3, 4, 1, W1=[[1]])\n"
      "x = [1, 2\n"
      "]\n"
      "help nothing_here\n"
      "load %1$s/missing.nd\n"
      "f = @(z) z(1); f(2)\n",
      true },
};

/* --- error lists --------------------------------------------------------- */

typedef struct Errors {
    char **msg;
    size_t n, cap;
    /* The first error that says "out of memory" with a code other than
     * ERROR_NOMEM (a caller tells the two apart by the code), or NULL. */
    char *wrong_code;
} Errors;

static void errors_add(Errors *l, const char *msg)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->msg = realloc(l->msg, l->cap * sizeof *l->msg);
        if (!l->msg)
            abort();
    }
    l->msg[l->n] = strdup(msg);
    if (!l->msg[l->n])
        abort();
    l->n++;
}

static void errors_clear(Errors *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->msg[i]);
    free(l->msg);
    free(l->wrong_code);
    memset(l, 0, sizeof *l);
}

static bool says_nomem(const char *msg)
{
    return strstr(msg, "out of memory") != NULL;
}

/* Adds e's message, noting an out-of-memory error with the wrong code. */
static void errors_add_error(Errors *l, const Error *e)
{
    if (says_nomem(e->msg) && e->code != ERROR_NOMEM && !l->wrong_code) {
        char text[ERROR_MSG_MAX + 32];
        snprintf(text, sizeof text, "\"%s\" (code %d)", e->msg, (int)e->code);
        l->wrong_code = strdup(text);
        if (!l->wrong_code)
            abort();
    }
    errors_add(l, e->msg[0] ? e->msg : "(a failure with no message)");
}

static void collect(void *ctx, const char *origin, const char *chunk, int first_line, const Error *e)
{
    (void)origin;
    (void)chunk;
    (void)first_line;
    errors_add_error(ctx, e);
}

/* The --check-lessons report, one line per entry. */
static void collect_line(void *ctx, const char *text, size_t len)
{
    Errors *l = ctx;
    char line[ERROR_MSG_MAX * 2];
    snprintf(line, sizeof line, "%.*s", (int)len, text);
    errors_add(l, line);
}

/* --- sessions ------------------------------------------------------------ */

static void discard(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    (void)text;
    (void)len;
}

typedef struct Session {
    Interp *in;
    Tutor tutor;
} Session;

static const char *lessons_dir;
static char scratch[PATH_MAX];
static char golden_dir[PATH_MAX];

/* The interpreter itself is made with every allocation allowed (a program
 * that cannot make one stops at once); injection starts after it. */
static void session_open(Session *s, long fail_at)
{
    mem_fail_after(-1);
    s->in = interp_new(discard, NULL);
    if (!s->in)
        abort();
    interp_set_width(s->in, 80);
    mem_fail_after(fail_at);
    tutor_install(&s->tutor, s->in, lessons_dir, NULL, false);
}

static void session_close(Session *s)
{
    tutor_free(&s->tutor);
    interp_delete(s->in);
}

/* Runs a file as a person would type it at the prompt: each line joins the
 * chunk being typed until its brackets close, then the chunk runs (as
 * repl_interactive does).  The harness's own buffers use malloc, so only
 * nudge's allocations are made to fail. */
static bool run_chunks(Interp *in, FILE *f, bool keep_going, Errors *errs)
{
    char *chunk = NULL, *line = NULL;
    size_t len = 0, cap = 0;
    bool ok = true;
    while (!interp_quitting(in) && getline(&line, &cap, f) >= 0) {
        size_t n = strlen(line);
        char *grown = realloc(chunk, len + n + 2);
        if (!grown)
            abort();
        chunk = grown;
        memcpy(chunk + len, line, n + 1);
        len += n;
        if (!len || chunk[len - 1] != '\n') {
            chunk[len++] = '\n';
            chunk[len] = '\0';
        }
        if (!ast_is_complete(chunk))
            continue;
        Error e;
        error_clear(&e);
        if (!interp_run_chunk(in, chunk, &e)) {
            errors_add_error(errs, &e);
            ok = false;
            if (!keep_going) {
                len = 0;
                break;
            }
        }
        len = 0;
    }
    if (len && !interp_quitting(in)) {    /* brackets still open at the end */
        Error e;
        error_clear(&e);
        if (!interp_run_chunk(in, chunk, &e)) {
            errors_add_error(errs, &e);
            ok = false;
        }
    }
    free(chunk);
    free(line);
    return ok;
}

/* Opens a session, runs the case in it and collects its errors.  With
 * fail_at >= 0, allocation fail_at and every later one fail, from the
 * session's setup on.  Leaves the session open (injection off). */
static void run_case(const Case *c, Session *s, Errors *errs, long fail_at)
{
    session_open(s, fail_at);
    Error e;
    error_clear(&e);
    bool ok = true;
    if (c->kind == CASE_CHUNKS || c->kind == CASE_TEXT) {
        FILE *f = c->kind == CASE_CHUNKS ? fopen(c->path, "r") : fmemopen((void *)c->text, strlen(c->text), "r");
        if (!f) {
            perror(c->name);
            exit(2);
        }
        ok = run_chunks(s->in, f, c->keep_going, errs);
        fclose(f);
    } else if (c->kind == CASE_FILE) {
        ok = interp_run_file(s->in, c->path, c->echo, c->keep_going, collect, errs, &e);
    } else {
        /* Each failed check is a line of the report: it must say why. */
        Errors lines = { 0 };
        int failures = tutor_check_all(lessons_dir, NULL, collect_line, &lines);
        for (size_t i = 0; i < lines.n; i++)
            errors_add(errs, lines.msg[i]);
        if (failures < 0 || (size_t)failures > lines.n)
            errors_add(errs, "a lesson check failed without saying why");
        errors_clear(&lines);
    }
    /* An error outside any chunk (the file cannot be read, the next chunk
     * cannot be stored) comes back without being reported. */
    if (!ok && (errs->n == 0 || strcmp(errs->msg[errs->n - 1], e.msg)))
        errors_add_error(errs, &e);
    mem_fail_after(-1);
}

/* --- checks -------------------------------------------------------------- */

static int failures;
static int case_failures;      /* of the case running: only the first few are shown */
enum { SHOWN_PER_CASE = 3 };

static void fail(const Case *c, long k, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void fail(const Case *c, long k, const char *fmt, ...)
{
    failures++;
    if (++case_failures > SHOWN_PER_CASE)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL %s, allocation %ld failing: ", c->name, k);
    vprintf(fmt, ap);
    printf("\n    reproduce: NUDGE_OOM_K=%ld oom_replay GOLDEN_DIR LESSONS_DIR %s\n", k, c->name);
    va_end(ap);
    fflush(stdout);
}

/* Compares a run's errors with those of the run without failures. */
static bool errors_fit(const Case *c, long k, const Errors *base, const Errors *got)
{
    for (size_t i = 0; i < got->n; i++) {
        if (says_nomem(got->msg[i]))
            return true;
        if (i >= base->n) {
            fail(c, k, "error %zu is \"%s\", where the run without failures had no more errors", i + 1, got->msg[i]);
            return false;
        }
        if (strcmp(got->msg[i], base->msg[i])) {
            fail(c, k, "error %zu is \"%s\", where the run without failures had \"%s\" (an allocation "
                       "failure must say out of memory)", i + 1, got->msg[i], base->msg[i]);
            return false;
        }
    }
    if (got->n != base->n) {
        fail(c, k, "%zu errors where the run without failures had %zu, and none said out of memory (the "
                   "first one missing: \"%s\")", got->n, base->n, base->msg[got->n]);
        return false;
    }
    return true;
}

static bool still_usable(const Case *c, long k, Session *s)
{
    if (c->kind == CASE_CHECK_LESSONS)
        return true;
    Value v;
    Error e;
    error_clear(&e);
    if (!interp_eval_source(s->in, "1 + 1", &v, &e)) {
        fail(c, k, "afterwards `1 + 1` fails: %s", e.msg);
        return false;
    }
    bool two = value_is_scalar(&v) && value_to_double(&v) == 2;
    value_free(&v);
    if (!two) {
        fail(c, k, "afterwards `1 + 1` is not 2");
        return false;
    }
    error_clear(&e);
    if (!interp_run(s->in, "oom_probe = [1, 2] @ [3, 4];", &e)) {
        fail(c, k, "afterwards an assignment fails: %s", e.msg);
        return false;
    }
    return true;
}

static size_t heap_in_use(void)
{
#ifdef OOM_ASAN
    return 0;   /* ASan's allocator keeps no mallinfo; LeakSanitizer checks instead */
#else
    return mallinfo2().uordblks;
#endif
}

/* --- driving ------------------------------------------------------------- */

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run_one(const Case *c, const Errors *base, long k, bool verbose)
{
    if (verbose)
        printf("  %s: allocation %ld fails\n", c->name, k);
    size_t before = heap_in_use();
    Session s;
    Errors got = { 0 };
    run_case(c, &s, &got, k);
    if (got.wrong_code)
        fail(c, k, "%s says out of memory, but its code is not ERROR_NOMEM", got.wrong_code);
    if (errors_fit(c, k, base, &got))
        still_usable(c, k, &s);
    session_close(&s);
    errors_clear(&got);
    size_t after = heap_in_use();
    if (after != before)
        fail(c, k, "%zd bytes allocated during the run are still in use after the session was freed",
             (ssize_t)(after - before));
}

static void run_all(const Case *c, long samples, long only_k, bool verbose)
{
    int failures_before = failures;
    case_failures = 0;
    Session s;
    Errors base = { 0 };
    /* Once to warm up (first-use allocations of the C library), once to count. */
    run_case(c, &s, &base, -1);
    session_close(&s);
    errors_clear(&base);
    long start = mem_count();
    double t0 = seconds();
    run_case(c, &s, &base, -1);
    double took = seconds() - t0;
    long n = mem_count() - start;
    /* By default, fewer runs for a case that computes a lot (a demo that
     * trains on the digits data): 300, 100 or 30 as one run takes under
     * 10 ms, under 100 ms, or more. */
    if (samples < 0)
        samples = took < 0.01 ? 300 : took < 0.1 ? 100 : 30;
#ifdef OOM_ASAN
    if (getenv("NUDGE_OOM_SAMPLES") == NULL)
        samples /= 5;       /* ASan runs are slower; LeakSanitizer sees the rest */
#endif
    if (!still_usable(c, -1, &s)) {
        session_close(&s);
        errors_clear(&base);
        return;
    }
    session_close(&s);

    long runs = 0;
    if (only_k >= 0) {
        run_one(c, &base, only_k, true);
        runs = 1;
    } else if (samples <= 0 || n <= samples) {
        for (long k = 0; k < n; k++, runs++)
            run_one(c, &base, k, verbose);
    } else {
        for (long i = 0; i < samples; i++, runs++)
            run_one(c, &base, (long)((double)i * (double)n / (double)samples), verbose);
    }
#ifdef OOM_ASAN
    static bool leaks_seen;
    if (!leaks_seen && __lsan_do_recoverable_leak_check()) {
        leaks_seen = true;     /* later checks would report the same leaks again */
        printf("FAIL %s: LeakSanitizer found leaks (above); find the allocation with NUDGE_OOM_SAMPLES=0 and "
               "NUDGE_OOM_VERBOSE=1\n", c->name);
        failures++;
    }
#endif
    if (case_failures > SHOWN_PER_CASE)
        printf("    ... and %d more failures of %s\n", case_failures - SHOWN_PER_CASE, c->name);
    printf("%s %s: %ld allocations, %ld runs with failing allocations, %zu errors expected\n",
           failures == failures_before ? "ok" : "FAILED", c->name, n, runs, base.n);
    fflush(stdout);
    errors_clear(&base);
}

/* Fills c from tests/golden/NAME.nd; returns false (with a reason) for a
 * transcript this program cannot replay. */
static bool golden_case(Case *c, const char *name, CaseKind kind, char *why, size_t whylen)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s%s", kind == CASE_FILE ? "file:" : "", name);
    c->kind = kind;
    char args[PATH_MAX];
    snprintf(args, sizeof args, "%s.args", name);     /* the current directory: links to golden_dir */
    FILE *f = fopen(args, "r");
    if (f) {
        char word[256];
        while (fscanf(f, "%255s", word) == 1) {
            if (!strcmp(word, "-k") || !strcmp(word, "--keep-going"))
                c->keep_going = true;
            else if (!strcmp(word, "-e") || !strcmp(word, "--echo"))
                c->echo = true;
            else {
                snprintf(why, whylen, "needs the option %s", word);
                fclose(f);
                return false;
            }
        }
        fclose(f);
    }
    struct stat st;
    snprintf(c->path, sizeof c->path, "%s.stdin", name);
    if (stat(c->path, &st) != 0)
        snprintf(c->path, sizeof c->path, "%s.nd", name);
    return true;
}

static bool text_case(Case *c, const char *name)
{
    for (size_t i = 0; i < sizeof stmt_cases / sizeof stmt_cases[0]; i++)
        if (!strcmp(stmt_cases[i].name, name)) {
            static char texts[sizeof stmt_cases / sizeof stmt_cases[0]][4096];
            memset(c, 0, sizeof *c);
            snprintf(c->name, sizeof c->name, "%s", name);
            c->kind = CASE_TEXT;
            c->keep_going = stmt_cases[i].keep_going;
            snprintf(texts[i], sizeof texts[i], stmt_cases[i].text, scratch, golden_dir);
            c->text = texts[i];
            return true;
        }
    if (!strcmp(name, "check-lessons")) {
        memset(c, 0, sizeof *c);
        snprintf(c->name, sizeof c->name, "%s", name);
        c->kind = CASE_CHECK_LESSONS;
        return true;
    }
    return false;
}

static void run_named(const char *name, long samples, long only_k, bool verbose)
{
    Case c;
    char why[300];
    if (text_case(&c, name)) {
        run_all(&c, samples, only_k, verbose);
        return;
    }
    CaseKind kind = CASE_CHUNKS;
    if (!strncmp(name, "file:", 5)) {
        kind = CASE_FILE;
        name += 5;
    }
    char nd[PATH_MAX];
    snprintf(nd, sizeof nd, "%s.nd", name);
    if (access(nd, R_OK) != 0) {
        printf("FAIL %s: no such case (NAME or file:NAME for tests/golden/NAME.nd, stmts-..., or check-lessons)\n",
               name);
        failures++;
        return;
    }
    if (!golden_case(&c, name, kind, why, sizeof why)) {
        printf("skip %s: %s\n", name, why);
        return;
    }
    run_all(&c, samples, only_k, verbose);
}

/* Did snprintf's n characters fit in a buffer of size bytes? */
static bool fits(int n, size_t size)
{
    return n >= 0 && (size_t)n < size;
}

static void remove_scratch(void)
{
    tmpdir_remove(scratch);
}

/* The transcripts name their files relative to their folder, and
 * commands.nd saves one there.  They run from a copy of the folder made of
 * symbolic links inside the scratch directory, as tests/golden/workdir.sh
 * makes it (SCRATCH/src/tests/golden, with SCRATCH/src/assets and lessons
 * beside it), so that nothing is written into the source tree.  Returns
 * the copy's path, or NULL. */
static const char *link_golden(void)
{
    static char dir[PATH_MAX];
    char from[PATH_MAX], to[PATH_MAX];
    const char *const parts[] = { "src", "src/tests", "src/tests/golden" };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (!fits(snprintf(dir, sizeof dir, "%s/%s", scratch, parts[i]), sizeof dir) || mkdir(dir, 0700) != 0)
            return NULL;
    const char *const beside[] = { "assets", "lessons" };
    for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++)
        if (!fits(snprintf(from, sizeof from, "%s/../../%s", golden_dir, beside[i]), sizeof from) ||
            !fits(snprintf(to, sizeof to, "%s/src/%s", scratch, beside[i]), sizeof to) || symlink(from, to) != 0)
            return NULL;
    DIR *d = opendir(golden_dir);
    if (!d)
        return NULL;
    struct dirent *ent;
    bool ok = true;
    while (ok && (ent = readdir(d)))
        if (strcmp(ent->d_name, ".") && strcmp(ent->d_name, ".."))
            ok = fits(snprintf(from, sizeof from, "%s/%s", golden_dir, ent->d_name), sizeof from) &&
                 fits(snprintf(to, sizeof to, "%s/%s", dir, ent->d_name), sizeof to) && symlink(from, to) == 0;
    closedir(d);
    return ok ? dir : NULL;
}

/* Names listed in the pending file (one a line, '#' comments; a trailing
 * '*' matches a prefix) are left out of the default run: each waits for
 * the fix of a bug this program found. */
static char *pending[256];
static size_t npending;

static void read_pending(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    char line[256];
    while (npending < sizeof pending / sizeof pending[0] && fgets(line, sizeof line, f)) {
        line[strcspn(line, "#\r\n")] = '\0';
        size_t n = strlen(line);
        while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
            line[--n] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p && !(pending[npending++] = strdup(p)))
            abort();
    }
    fclose(f);
}

static bool is_pending(const char *name)
{
    for (size_t i = 0; i < npending; i++) {
        size_t n = strlen(pending[i]);
        if (n && pending[i][n - 1] == '*' ? !strncmp(name, pending[i], n - 1) : !strcmp(name, pending[i]))
            return true;
    }
    return false;
}

static size_t skipped;

static void run_default(const char *name, long samples, long only_k, bool verbose)
{
    if (is_pending(name)) {
        skipped++;
        return;
    }
    run_named(name, samples, only_k, verbose);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s GOLDEN_DIR LESSONS_DIR [--pending FILE] [CASE...]\n", argv[0]);
        return 2;
    }
#ifndef OOM_ASAN
    /* mallinfo2 counts the blocks parked in glibc's per-thread cache as in
     * use, which blurs the leak check; without the cache it is exact. */
    if (!getenv("NUDGE_OOM_NO_TCACHE")) {
        setenv("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0", 1);
        setenv("NUDGE_OOM_NO_TCACHE", "1", 1);
        execv("/proc/self/exe", argv);
        perror("oom_replay: cannot restart without the malloc cache");
        return 2;
    }
#endif
    if (!realpath(argv[1], golden_dir)) {
        perror(argv[1]);
        return 2;
    }
    static char lessons[PATH_MAX];
    if (!realpath(argv[2], lessons)) {
        perror(argv[2]);
        return 2;
    }
    lessons_dir = lessons;
    int first = 3;
    if (argc > 4 && !strcmp(argv[3], "--pending")) {
        read_pending(argv[4]);
        first = 5;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/nudge-oom-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(scratch)) {
        perror("mkdtemp");
        return 2;
    }
    atexit(remove_scratch);
    const char *run_dir = link_golden();
    if (!run_dir || chdir(run_dir) != 0) {
        perror("oom_replay: cannot make the folder of links to the transcripts");
        return 2;
    }
    const char *env = getenv("NUDGE_OOM_SAMPLES");
    long samples = env && *env ? atol(env) : -1;     /* -1: by the case's run time */
    env = getenv("NUDGE_OOM_K");
    long only_k = env && *env ? atol(env) : -1;
    env = getenv("NUDGE_OOM_VERBOSE");
    bool verbose = env && *env && strcmp(env, "0");

    if (argc > first) {
        for (int i = first; i < argc; i++)
            run_named(argv[i], samples, only_k, verbose);
    } else {
        glob_t g;
        if (glob("*.nd", 0, NULL, &g) == 0) {
            for (int mode = 0; mode < 2; mode++)
                for (size_t i = 0; i < g.gl_pathc; i++) {
                    char name[PATH_MAX];
                    snprintf(name, sizeof name, "%s%.*s", mode ? "file:" : "", (int)strlen(g.gl_pathv[i]) - 3,
                             g.gl_pathv[i]);
                    run_default(name, samples, only_k, verbose);
                }
            globfree(&g);
        }
        for (size_t i = 0; i < sizeof stmt_cases / sizeof stmt_cases[0]; i++)
            run_default(stmt_cases[i].name, samples, only_k, verbose);
        run_default("check-lessons", samples, only_k, verbose);
    }
    if (skipped)
        printf("pending: %zu case%s skipped, waiting for fixes (see the pending list)\n", skipped,
               skipped == 1 ? "" : "s");
    if (failures)
        printf("%d failure%s\n", failures, failures == 1 ? "" : "s");
    return failures ? 1 : 0;
}
