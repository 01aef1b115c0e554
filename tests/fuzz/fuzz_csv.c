/* fuzz_csv.c - fuzz target: a CSV file through csv_parse, as load_csv
 * reads it.
 *
 * The text is handed over exactly as libFuzzer gives it: not
 * NUL-terminated, so that ASan sees any read past its end.  The low bits of
 * the first byte choose the options (bit 0 header, bit 1 auto_header); the
 * byte is still part of the text.  A matrix that comes back must be a
 * rows x cols matrix whose every value can be read, with an error position
 * inside the text when it fails.  Inputs over 1 MiB are skipped.
 */
#include <string.h>

#include "harness.h"
#include "nudge/csv.h"
#include "nudge/tensor.h"

enum { FUZZ_CSV_MAX = 1 << 20 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_CSV_MAX)
        return 0;
    CsvOptions opt = { .header = size && (data[0] & 1), .auto_header = size && (data[0] & 2) };
    Error e;
    error_clear(&e);
    Tensor *t = csv_parse((const char *)data, size, "fuzz.csv", &opt, &e);
    if (!t) {
        fuzz_check_error(&e, NULL);
        int lines = 1;
        for (size_t i = 0; i < size; i++)
            lines += data[i] == '\n';
        if (e.line > lines)
            fuzz_fail("csv error at line %d of a %d-line text: %s", e.line, lines, e.msg);
        return 0;
    }
    if (t->ndim != 2)
        fuzz_fail("csv_parse gave a %d-dimensional tensor", t->ndim);
    size_t n = tensor_size(t);
    if (n != t->rows * t->cols || n > TENSOR_MAX_ELEMS)
        fuzz_fail("csv_parse gave %zu values for %zu x %zu", n, t->rows, t->cols);
    volatile double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += t->data[i];
    (void)sum;
    tensor_delete(t);
    return 0;
}
