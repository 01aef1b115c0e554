/* csv.h - reading a CSV file of numbers into a matrix, for load_csv.
 *
 * The format is the plain one that data sets for teaching use: fields
 * separated by commas, spaces and tabs around a field ignored, LF or CRLF line
 * ends, blank lines and lines whose first non-blank byte is '#' skipped.  Each
 * field must be one whole number as strtod reads it (so "nan", "inf" and
 * "1e-3" are fine), quoted or not: as in RFC 4180, a field may be enclosed
 * in double quotes (and may then hold commas, newlines and "" for a quote),
 * so "1","2" is a row of numbers, not a header.  A UTF-8 byte-order mark
 * at the start is skipped.  Every data line must have as many fields as
 * the first one.
 *
 * Errors name the function, the file, the 1-based line and the 1-based byte
 * column where the bad field starts, e.g.
 * "load_csv: data.csv:3:7: 'abc' is not a number", and set e->line and e->col
 * where they are known (0 otherwise).
 */
#ifndef NUDGE_CSV_H
#define NUDGE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "nudge/error.h"
#include "nudge/tensor.h"

/* The largest file (or text) csv_load and csv_parse accept: 64 MiB. */
#define CSV_MAX_BYTES ((size_t)64 << 20)

typedef struct CsvOptions {
    bool header;        /* true: the first non-comment line is a header and is skipped */
    bool auto_header;   /* true: skip the first line when none of its fields is a number */
} CsvOptions;

/* Reads a CSV of numbers into a rows x cols matrix (ndim 2, even for one
 * column), owned by the caller (free with tensor_delete); NULL with *e filled
 * in on failure.  opt may be NULL for no header. */
Tensor *csv_load(const char *path, const CsvOptions *opt, Error *e);

/* The same from len bytes of text in memory (not necessarily NUL-terminated;
 * still owned by the caller); `name` is used in messages as the file name. */
Tensor *csv_parse(const char *text, size_t len, const char *name, const CsvOptions *opt, Error *e);

#endif
