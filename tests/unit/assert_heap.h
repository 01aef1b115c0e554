/* assert_heap.h - "leaks nothing" checks that hold in every build.
 *
 *     size_t before = heap_in_use();
 *     ... make and free whatever the test needs ...
 *     assert_heap_back_to(before);
 *
 * heap_in_use() is what malloc has handed out and not had back (glibc's
 * mallinfo2, as tests/robust/oom_replay.c counts it).  glibc's per-thread
 * cache keeps some freed blocks counted as in use, so a test program that
 * includes this header restarts itself once, before main, with the cache
 * off (GLIBC_TUNABLES=glibc.malloc.tcache_count=0); then the count is exact.
 * Under AddressSanitizer mallinfo2 counts nothing, and LeakSanitizer's
 * check takes its place.  The C library's own first-use allocations (stdio
 * buffers, the locale) are not leaks: do what the test does once before
 * taking `before`.
 */
#ifndef NUDGE_ASSERT_HEAP_H
#define NUDGE_ASSERT_HEAP_H

#include <criterion/criterion.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define HEAP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_ASAN 1
#endif
#endif

#ifdef HEAP_ASAN
#include <sanitizer/lsan_interface.h>

static inline size_t heap_in_use(void)
{
    return 0;
}

#define assert_heap_back_to(before)                                                                 \
    do {                                                                                            \
        (void)(before);                                                                             \
        cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked: see LeakSanitizer's report"); \
    } while (0)

#else

#define HEAP_TUNABLE "glibc.malloc.tcache_count=0"

/* Is glibc's per-thread cache off in this process? */
static inline int heap_exact(void)
{
    const char *t = getenv("GLIBC_TUNABLES");
    return t && strstr(t, HEAP_TUNABLE) != NULL;
}

/* Before main: restart with the cache off (once; glibc reads its tunables
 * only at start).  glibc hands constructors main's argc and argv. */
__attribute__((constructor)) static void heap_restart_exact(int argc, char **argv)
{
    (void)argc;
    if (heap_exact() || getenv("NUDGE_HEAP_RESTARTED"))
        return;
    const char *old = getenv("GLIBC_TUNABLES");
    char tunables[512];
    snprintf(tunables, sizeof tunables, "%s%s%s", old ? old : "", old ? ":" : "", HEAP_TUNABLE);
    setenv("GLIBC_TUNABLES", tunables, 1);
    setenv("NUDGE_HEAP_RESTARTED", "1", 1);
    execv("/proc/self/exe", argv);
    /* If the restart fails, heap_exact() stays false and the checks say so. */
}

static inline size_t heap_in_use(void)
{
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

#define assert_heap_back_to(before)                                                                  \
    do {                                                                                             \
        cr_assert(heap_exact(), "the heap cannot be counted exactly: run with GLIBC_TUNABLES=" HEAP_TUNABLE); \
        size_t before_ = (before), after_ = heap_in_use();                                           \
        cr_assert_eq(after_, before_, "%zd bytes allocated since are still in use (leaked)",         \
                     (ssize_t)(after_ - before_));                                                   \
    } while (0)

#endif

#endif
