#!/usr/bin/env bash
# Proves that scripts/setup.sh installs, by construction, everything the build and the tests use:
#  - every crate of fastembed-native/rust/Cargo.lock is a folder of /usr/share/cargo/registry owned by a
#    Debian package that scripts/packages.txt lists or that one of those hard-depends on (no recommends,
#    no suggests: setup installs with --no-install-recommends);
#  - the same for every tool, Python module, Perl module and data folder a test calls (TOOLS below).
# A package installed by hand on this machine therefore cannot hide a missing line in packages.txt.
#
#   scripts/check-setup.sh [--lock Cargo.lock] [--packages packages.txt]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lock="$here/../fastembed-native/rust/Cargo.lock"
package_list="$here/packages.txt"
registry=/usr/share/cargo/registry
while [ $# -gt 0 ]; do
  case "$1" in
    --lock) lock="$2"; shift 2 ;;
    --packages) package_list="$2"; shift 2 ;;
    *) echo "usage: $0 [--lock FILE] [--packages FILE]" >&2; exit 2 ;;
  esac
done

# What the build and tests call, as "kind:name": cmd = a command on PATH, py = a module of Debian's /usr/bin/python3,
# pl = a Perl module, path = a file or folder.
TOOLS=(
  cmd:gcc cmd:cc cmd:cbindgen cmd:unzip cmd:valgrind cmd:go cmd:perl cmd:chromium cmd:chromedriver cmd:wrk
  path:/usr/include/stdio.h path:/usr/include/libstemmer.h path:/usr/bin/python3 py:PIL py:numpy py:snowballstemmer
  pl:Digest::MurmurHash3::PurePerl
  path:/usr/share/snowball/data
)

mapfile -t listed < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$package_list")
[ ${#listed[@]} -gt 0 ] || { echo "check-setup: $package_list lists no package" >&2; exit 1; }
# The packages setup brings: the listed ones and everything they hard-depend on (virtual names included).
closure="$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "${listed[@]}" 2>/dev/null | grep -v '^ ' | tr -d '<>' | sed 's/:.*//' | sort -u)"

failures=()
checks=()   # "what|path": each path's owner must be in the closure

# Cargo.lock: [[package]] blocks; crates with a registry source come from Debian.
crates=0
while read -r name version; do
  crates=$((crates + 1))
  dir="$registry/$name-$version"
  if [ -d "$dir" ]; then
    checks+=("crate $name $version|$dir")
  else
    failures+=("crate $name $version: $dir is missing (no Debian package installed it; apt-cache search librust-$name)")
  fi
done < <(awk '
  /^\[\[package\]\]/ { name = ""; version = "" }
  /^name = /    { gsub(/"/, "", $3); name = $3 }
  /^version = / { gsub(/"/, "", $3); version = $3 }
  /^source = "registry\+/ { print name, version }
' "$lock")

for tool in "${TOOLS[@]}"; do
  kind="${tool%%:*}" name="${tool#*:}" path=""
  case "$kind" in
    cmd) path="$(command -v "$name" 2>/dev/null || true)"; [ -n "$path" ] && path="$(readlink -f "$path")" ;;
    py) path="$(/usr/bin/python3 -c "import $name, os; print(os.path.realpath($name.__file__))" 2>/dev/null || true)" ;;
    pl) path="$(perl -M"$name" -e '($f = shift) =~ s{::}{/}g; print $INC{"$f.pm"}' "$name" 2>/dev/null || true)" ;;
    path) [ -e "$name" ] && path="$name" ;;
  esac
  if [ -n "$path" ]; then
    checks+=("$kind $name|$path")
  else
    failures+=("$kind $name: not found on this machine (add its Debian package to scripts/packages.txt)")
  fi
done

# One dpkg-query for every path: lines "pkg[:arch][, pkg...]: path".
declare -A owners=()
if [ ${#checks[@]} -gt 0 ]; then
  while IFS= read -r line; do
    path="${line#*: }"
    owners["$path"]="$(sed -e 's/: .*//' -e 's/:[a-z0-9]*//g' -e 's/,/ /g' <<<"${line%%: /*}")"
  done < <(dpkg-query -S "${checks[@]#*|}" 2>/dev/null || true)
fi
for check in "${checks[@]}"; do
  what="${check%%|*}" path="${check#*|}" found=""
  for owner in ${owners[$path]:-}; do
    grep -qxF "$owner" <<<"$closure" && found=1 && break
  done
  if [ -z "${owners[$path]:-}" ]; then
    failures+=("$what: $path belongs to no Debian package (installed by hand?)")
  elif [ -z "$found" ]; then
    failures+=("$what: provided by ${owners[$path]}, which scripts/packages.txt neither lists nor pulls in as a hard dependency")
  fi
done

if [ ${#failures[@]} -gt 0 ]; then
  echo "check-setup: scripts/setup.sh does not install everything the build and tests use:" >&2
  printf '  - %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "check-setup: $crates crates of $(basename "$lock") and ${#TOOLS[@]} tools come from the ${#listed[@]} packages setup installs"
