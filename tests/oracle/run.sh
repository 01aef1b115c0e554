#!/bin/sh
# run.sh SCRIPT.py NUDGE - runs a numpy oracle test with the system's Python,
# where Debian's python3-numpy lives; skipped (77) when that Python is missing.
py=/usr/bin/python3
if [ ! -x "$py" ]; then
    echo "skipped: $py is missing (the numpy reference runs on Debian's python3-numpy)"
    exit 77
fi
exec "$py" -B "$@"
