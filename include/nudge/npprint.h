/* npprint.h - numpy's str() and repr() of arrays, byte for byte as numpy
 * 1.24 writes them, under the options np.set_printoptions sets. */
#ifndef NUDGE_NPPRINT_H
#define NUDGE_NPPRINT_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"
#include "nudge/tensor.h"

typedef struct NpPrintOptions {
    int precision;          /* 8 */
    bool suppress;          /* false */
    int linewidth;          /* 75 */
    size_t threshold;       /* 1000 */
    int edgeitems;          /* 3 */
    char sign;              /* '-' */
    char *float_spec;       /* a format spec for floats (formatter={'float': '{: 0.3f}'.format}), or NULL; owned */
    char *int_spec;         /* the same for ints, or NULL; owned */
} NpPrintOptions;

void npprint_defaults(NpPrintOptions *o);
void npprint_free(NpPrintOptions *o);

/* str(a) and repr(a); strings owned by the caller (mem_free). */
char *npprint_str(const Tensor *t, const NpPrintOptions *o, Error *e);
char *npprint_repr(const Tensor *t, const NpPrintOptions *o, Error *e);

#endif
