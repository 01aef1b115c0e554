/* mem.c - the checked allocation wrapper with fault injection for tests.
 *
 * The injection counter is process state on purpose: it is a test hook that
 * must reach every allocation without threading a context through them all,
 * as sqlite's test control does for its malloc failures. */
#include "nudge/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static long fail_after = -1;   /* < 0: never fail */
static long succeeded;

static int may_allocate(void)
{
    if (fail_after == 0)
        return 0;
    if (fail_after > 0)
        fail_after--;
    succeeded++;
    return 1;
}

bool mem_charge(void)
{
    return may_allocate();
}

void *mem_alloc(size_t size)
{
    if (!may_allocate())
        return NULL;
    return malloc(size ? size : 1);
}

void *mem_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;    /* refused here: sanitizers abort on calloc's own check */
    if (!may_allocate())
        return NULL;
    if (n == 0 || size == 0)
        n = size = 1;
    return calloc(n, size);
}

void *mem_realloc(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    if (!may_allocate())
        return NULL;
    size_t bytes = n * size;
    return realloc(p, bytes ? bytes : 1);
}

void *mem_grow_to(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
    size_t c = *cap ? *cap : (first ? first : 1);
    while (c < need)
        c = c > SIZE_MAX / 2 ? need : 2 * c;
    void *q = mem_realloc(p, c, size);
    if (q)
        *cap = c;
    return q;
}

char *mem_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = mem_alloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

void mem_free(void *p)
{
    free(p);
}

void mem_fail_after(long n)
{
    fail_after = n;
}

long mem_count(void)
{
    return succeeded;
}
