#!/bin/sh
# deb.sh SOURCE OUT - the Debian package, from scratch, as CI makes it.
#
#   1. configures SOURCE in OUT/build with the prefix /usr and the tests
#      off, through a pkg-config that cannot find Criterion (nudge itself
#      needs none), and builds it;
#   2. makes OUT/nudge_VERSION_ARCH.deb with CPack (Depends derived by
#      dpkg-shlibdeps) and shows its size, Depends and files;
#   3. installs it with dpkg into a scratch root whose package database is
#      a copy of this system's, so that dpkg checks the Depends against the
#      real package names and versions, and runs the installed program
#      there (run_installed.sh: a lesson, every demo, load_csv, the manual
#      page) with the source tree and OUT out of reach (hidden.sh).
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 SOURCE OUT" >&2
    exit 2
fi
source=$(cd "$1" && pwd -P)
mkdir -p "$2"
out=$(cd "$2" && pwd -P)
here=$(cd "$(dirname "$0")" && pwd -P)
for tool in cpack dpkg dpkg-deb dpkg-shlibdeps pkg-config; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$0: $tool is missing (apt-get install cmake dpkg-dev pkg-config)" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/nudge-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 1. Every .pc file pkg-config would read, but Criterion's.
mkdir "$work/pc"
for dir in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
    for pc in "$dir"/*.pc; do
        [ -e "$pc" ] && [ ! -e "$work/pc/$(basename "$pc")" ] && ln -s "$pc" "$work/pc/"
    done
done
rm -f "$work/pc/criterion.pc"
PKG_CONFIG_LIBDIR="$work/pc" PKG_CONFIG_PATH= \
    cmake -S "$source" -B "$out/build" -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$out/build" -j2

# 2. The package.
rm -f "$out"/nudge_*.deb
(cd "$out/build" && cpack -G DEB -B "$out" > "$work/cpack.log") || { cat "$work/cpack.log"; exit 1; }
rm -rf "$out/_CPack_Packages"
deb=$(ls "$out"/nudge_*.deb)
echo "== $deb: $(wc -c < "$deb") bytes"
dpkg-deb --info "$deb"
dpkg-deb --contents "$deb"
depends=$(dpkg-deb --field "$deb" Depends)
for lib in libreadline8 libncursesw6 libcmark0.30.2; do
    case $depends in
        *"$lib "*|*"$lib,"*|*"$lib") ;;
        *) echo "FAIL: Depends lacks $lib: $depends"; exit 1 ;;
    esac
done

# 3. Installed in a scratch root, its Depends checked against this system.
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
cp /var/lib/dpkg/status "$root/var/lib/dpkg/status"
# (The packages' file lists, empty: only their names and versions matter.)
dpkg-query -W -f '${binary:Package}\n' | while read -r p; do : > "$root/var/lib/dpkg/info/$p.list"; done
touch "$root/var/lib/dpkg/available"
dpkg --root="$root" --force-not-root --log=/dev/null -i "$deb"
dpkg --root="$root" -s nudge | grep -q "^Status: install ok installed" || { echo "FAIL: dpkg did not install nudge"; exit 1; }
echo "ok: dpkg installed $(basename "$deb") into a scratch root; its Depends hold on this system"
mkdir "$work/expected" "$work/tmp"
cp "$source"/tests/golden/demo_*.out "$work/expected/"
cp "$here/run_installed.sh" "$work/"
TMPDIR=$work/tmp sh "$here/hidden.sh" "$source" "$out" "$work/trace" \
    sh "$work/run_installed.sh" "$root" /usr/bin /usr/share/nudge /usr/share/man "$work/expected"
