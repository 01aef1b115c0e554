/* test_record.c - the record module's capture side: a terminal's bytes,
 * read in arbitrary pieces, become asciicast events of valid UTF-8. */
#include "nudge/record.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A recording in a private directory of $TMPDIR, read back as text. */
typedef struct Scratch {
    char dir[256];
    char path[320];
    Recorder rec;
} Scratch;

static void scratch_open(Scratch *s)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/nudge_record_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    cr_assert_not_null(mkdtemp(s->dir), "mkdtemp %s", s->dir);
    snprintf(s->path, sizeof s->path, "%s/t.cast", s->dir);
    Error e;
    cr_assert(recorder_open(&s->rec, s->path, 80, 24, &e), "%s", e.msg);
}

/* Closes the recording and returns its events (the lines after the
 * header), owned by the caller (free). */
static char *scratch_events(Scratch *s)
{
    Error e;
    cr_assert(recorder_close(&s->rec, &e), "%s", e.msg);
    FILE *f = fopen(s->path, "rb");
    cr_assert_not_null(f);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    unlink(s->path);
    rmdir(s->dir);
    char *nl = strchr(buf, '\n');
    cr_assert_not_null(nl, "no header line");
    /* Times vary: keep each event's kind and text, one per line. */
    char *out = calloc(1, n + 1), *o = out;
    for (char *p = nl + 1; *p;) {
        char *end = strchr(p, '\n');
        char *kind = strstr(p, ", \"");
        cr_assert(kind && end && kind < end, "bad event: %s", p);
        size_t len = (size_t)(end - kind) - 2;
        memcpy(o, kind + 2, len);
        o += len;
        *o++ = '\n';
        p = end + 1;
    }
    return out;
}

Test(record, a_character_cut_between_reads_arrives_whole)
{
    Scratch s;
    scratch_open(&s);
    char carry[4];
    size_t n = 0;
    /* "→" is E2 86 92; the first read ends after E2 86. */
    record_bytes(&s.rec, 'o', "a \xE2\x86", 4, carry, &n);
    cr_assert_eq(n, 2, "two bytes held back, not %zu", n);
    record_bytes(&s.rec, 'o', "\x92 b\r\n", 5, carry, &n);
    cr_assert_eq(n, 0);
    char *ev = scratch_events(&s);
    cr_assert_str_eq(ev, "\"o\", \"a \"]\n\"o\", \"\xE2\x86\x92 b\\u000d\\u000a\"]\n");
    free(ev);
}

Test(record, bytes_that_start_no_character_become_the_replacement_character)
{
    Scratch s;
    scratch_open(&s);
    char carry[4];
    size_t n = 0;
    /* A lone continuation byte, an overlong form, a surrogate, then an
     * escape sequence and a key. */
    record_bytes(&s.rec, 'o', "x\x80y\xC0\xAFz\xED\xA0\x80.", 10, carry, &n);
    record_bytes(&s.rec, 'i', "\x1b[A\x03", 4, carry, &n);
    char *ev = scratch_events(&s);
    cr_assert_str_eq(ev, "\"o\", \"x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD.\"]\n"
                         "\"i\", \"\\u001b[A\\u0003\"]\n");
    free(ev);
}

Test(record, a_sequence_left_unfinished_at_the_end_is_replaced)
{
    Scratch s;
    scratch_open(&s);
    char carry[4];
    size_t n = 0;
    record_bytes(&s.rec, 'o', "ok\xF0\x9F", 4, carry, &n);
    cr_assert_eq(n, 2);
    record_bytes(&s.rec, 'o', NULL, 0, carry, &n);     /* the session ended */
    char *ev = scratch_events(&s);
    cr_assert_str_eq(ev, "\"o\", \"ok\"]\n\"o\", \"\xEF\xBF\xBD\xEF\xBF\xBD\"]\n");
    free(ev);
}

Test(record, quotes_and_backslashes_are_escaped)
{
    Scratch s;
    scratch_open(&s);
    char carry[4];
    size_t n = 0;
    record_bytes(&s.rec, 'o', "say \"a\\b\"", 9, carry, &n);
    char *ev = scratch_events(&s);
    cr_assert_str_eq(ev, "\"o\", \"say \\\"a\\\\b\\\"\"]\n");
    free(ev);
}
