"""Which numpy and which BLAS kernel this python3 runs, on one line.

threadpoolctl (Debian's python3-threadpoolctl) names the library and, for
OpenBLAS, the core type it chose; without it the loaded BLAS is read from
/proc/self/maps and OpenBLAS is asked for its core through ctypes.
"""
import ctypes
import os

import numpy as np


def describe():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        found = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if found:
            i = found[0]
            return "%s %s, core %s, %s threads (threadpoolctl)" % (
                i.get("internal_api"), i.get("version"),
                i.get("architecture"), i.get("num_threads"))
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in os.path.basename(path):
                libs.add(path)
    for path in sorted(libs):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return "openblas, core %s (%s)" % (
                lib.openblas_get_corename().decode(), path)
        except (OSError, AttributeError):
            pass
    if libs:
        return "reference BLAS (%s)" % ", ".join(sorted(libs))
    return "unknown BLAS"


print("numpy %s; %s" % (np.__version__, describe()))
