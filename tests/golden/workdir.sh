# workdir.sh - sourced by run_golden.sh, bless.sh and
# tests/robust/valgrind_golden.sh.
#
# golden_workdir GOLDEN WORK: makes WORK/src/tests/golden a folder of
# symbolic links to everything in the folder GOLDEN (absolute), with
# WORK/src/assets and WORK/src/lessons linked to the source tree's, and
# prints the folder's path.  A transcript run from there finds its files
# by the same relative names as in the source tree (data/xor.csv,
# ../../assets/demos/...), while whatever it writes (save) lands in WORK,
# which the caller removes: never in the source tree, and never in a place
# that two runs share.
golden_workdir() {
    mkdir -p "$2/src/tests/golden" || return 1
    ln -s "$1"/* "$2/src/tests/golden/" || return 1
    ln -s "$1/../../assets" "$2/src/assets" || return 1
    ln -s "$1/../../lessons" "$2/src/lessons" || return 1
    printf '%s\n' "$2/src/tests/golden"
}
