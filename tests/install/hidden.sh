#!/bin/sh
# hidden.sh SOURCE BUILD TRACE COMMAND... - runs COMMAND with the folders
# SOURCE and BUILD out of its reach: in a mount namespace of its own
# (unshare; as root, or in a user namespace) with an empty tmpfs over each.
# Where no namespace can be made, COMMAND runs under strace (its trace in
# the file TRACE) and fails if anything it ran touched either folder.
# Without either, exits 77 (skip).  COMMAND and the files it needs must lie
# outside both folders.
set -u
source=$1 build=$2 trace=$3
shift 3
if unshare -m true 2>/dev/null; then how="unshare -m"
elif unshare -rm true 2>/dev/null; then how="unshare -rm"
else how=; fi
if [ -n "$how" ]; then
    echo "ok: hiding $source and $build ($how, an empty tmpfs over each)"
    # The build tree first: it may lie inside the source tree.
    exec $how sh -c 'mount -t tmpfs none "$1" && mount -t tmpfs none "$2" && shift 2 && cd / && exec "$@"' \
        sh "$build" "$source" "$@"
fi
if command -v strace >/dev/null 2>&1; then
    echo "ok: no mount namespace here: checking with strace that nothing touches $source or $build"
    (cd / && strace -f -qq -e trace=%file -o "$trace" "$@")
    status=$?
    if grep -F -e "\"$source/" -e "\"$build/" -e "\"$source\"" -e "\"$build\"" "$trace" | head -n 5 | grep .; then
        echo "FAIL: the installed copy looked into the source or build tree (above)"
        status=1
    fi
    exit "$status"
fi
echo "neither unshare nor strace can hide the source tree here: skipping"
exit 77
