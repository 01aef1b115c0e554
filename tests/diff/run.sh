#!/bin/sh
# run.sh NUDGE [diff.py options] - the differential suite under ctest.
#
# Skips (exit 77, with the reason) when /usr/bin/python3 or its numpy is
# missing; otherwise runs diff.py with a fresh seed, printed first, so that
# a failure can be replayed with --seed.
set -u
here=$(cd "$(dirname "$0")" && pwd) || exit 2
python=${NUDGE_DIFF_PYTHON:-/usr/bin/python3}
if [ ! -x "$python" ]; then
    echo "diff: $python is not installed; the differential suite is skipped"
    exit 77
fi
if ! "$python" -c 'import numpy' 2>/dev/null; then
    echo "diff: numpy is not installed for $python (Debian: python3-numpy); the differential suite is skipped"
    exit 77
fi
nudge=$1
shift
exec "$python" "$here/diff.py" --nudge "$nudge" "$@"
