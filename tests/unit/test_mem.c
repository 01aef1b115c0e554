/* test_mem.c - the checked allocator: overflow, fault injection, growth. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "nudge/mem.h"

Test(mem, a_size_that_overflows_is_refused_not_wrapped)
{
    cr_assert_null(mem_calloc(SIZE_MAX / 2, 4));
    cr_assert_null(mem_realloc(NULL, SIZE_MAX / 8 + 1, 8));
}

Test(mem, grow_starts_at_first_and_doubles_until_need_fits)
{
    size_t cap = 0;
    int *p = mem_grow(NULL, &cap, 1, sizeof *p, 4);
    cr_assert_not_null(p);
    cr_assert_eq(cap, 4);
    int *q = mem_grow(p, &cap, 4, sizeof *p, 4);
    cr_assert_eq(q, p, "a request that fits keeps the block");
    cr_assert_eq(cap, 4);
    p = mem_grow(q, &cap, 5, sizeof *p, 4);
    cr_assert_eq(cap, 8);
    p = mem_grow(p, &cap, 100, sizeof *p, 4);
    cr_assert_eq(cap, 128, "doubled from 8 past 100, not to 100 or 200");
    for (int i = 0; i < 100; i++)
        p[i] = i;
    cr_assert_eq(p[99], 99);
    mem_free(p);
}

Test(mem, a_failed_grow_keeps_the_block_and_its_capacity)
{
    size_t cap = 0;
    int *p = mem_grow(NULL, &cap, 3, sizeof *p, 4);
    cr_assert_not_null(p);
    p[0] = 7;
    mem_fail_after(0);
    int *q = mem_grow(p, &cap, 5, sizeof *p, 4);
    mem_fail_after(-1);
    cr_assert_null(q);
    cr_assert_eq(cap, 4);
    cr_assert_eq(p[0], 7);
    mem_free(p);
}

Test(mem, a_grow_near_the_top_of_size_t_fails_cleanly)
{
    size_t cap = SIZE_MAX / 2 + 2;
    char c = 0;
    cr_assert_null(mem_grow(&c, &cap, SIZE_MAX, sizeof(double), 4));
    cr_assert_eq(cap, SIZE_MAX / 2 + 2);
}
