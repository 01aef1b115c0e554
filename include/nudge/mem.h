/* mem.h - the one checked allocation wrapper.
 *
 * Every allocation in nudge goes through these functions so that a test
 * build can make the N-th allocation fail and check that every caller turns
 * that into "out of memory" instead of a crash.  They return NULL on failure
 * (and on overflow of n * size); they never abort.
 */
#ifndef NUDGE_MEM_H
#define NUDGE_MEM_H

#include <stdbool.h>
#include <stddef.h>

/* Returns n * size zeroed bytes, owned by the caller (free with mem_free). */
void *mem_calloc(size_t n, size_t size);

/* Returns size uninitialised bytes owned by the caller. */
void *mem_alloc(size_t size);

/* Resizes p (owned by the caller) to n * size bytes.  On failure returns NULL
 * and p is unchanged and still owned by the caller. */
void *mem_realloc(void *p, size_t n, size_t size);

/* The one growable-array step: returns p (an array of items of size bytes,
 * owned by the caller) resized to hold at least need >= 1 items, doubling
 * *cap from first (or from *cap), and sets *cap to the new capacity.  Returns
 * p itself when *cap already suffices.  On failure returns NULL, and p and
 * *cap are unchanged and p is still owned by the caller. */
void *mem_grow_to(void *p, size_t *cap, size_t need, size_t size, size_t first);
static inline void *mem_grow(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
    return need <= *cap && p ? p : mem_grow_to(p, cap, need, size, first);
}

/* Returns a copy of s owned by the caller, or NULL. */
char *mem_strdup(const char *s);

/* Counts an allocation served from a cache of freed blocks, as if it were
 * one from mem_alloc: false when fault injection says it fails. */
bool mem_charge(void);

/* Frees p (NULL is fine). */
void mem_free(void *p);

/* Fault injection for tests: after `n` more successful allocations, every
 * further one fails until the next call.  n < 0 turns injection off. */
void mem_fail_after(long n);

/* How many allocations have succeeded since the process started. */
long mem_count(void);

#endif
