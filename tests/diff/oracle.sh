#!/bin/sh
# oracle.sh python|numpy SCRIPT ARGS... - runs SCRIPT with /usr/bin/python3
# when the oracle it needs is installed; otherwise says so and exits 77,
# which ctest counts as skipped.
need=$1
shift
if [ ! -x /usr/bin/python3 ]; then
    echo "skipped: /usr/bin/python3 is not installed, so there is no oracle to compare with"
    exit 77
fi
if [ "$need" = numpy ] && ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
    echo "skipped: numpy is not installed for /usr/bin/python3 (Debian: python3-numpy)"
    exit 77
fi
exec /usr/bin/python3 "$@"
