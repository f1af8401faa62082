#!/usr/bin/env bash
# Fresh-machine rehearsal: proves that scripts/setup.sh installs everything the engine build needs.
#
# Builds a minimal Debian bookworm root (mmdebstrap, variant minbase: Essential packages and apt only) once
# under /var/tmp/fastembed-fresh/base, adds what this project expects a machine to have already (the JDK 25
# under /usr/lib/jvm and rustup's default toolchain under /root/.cargo and /root/.rustup, copied from this
# host), then for every run:
#   - a throw-away copy of that root (an overlay: the base itself is never changed, so every run starts clean),
#   - the repository's committed files (git archive HEAD; --worktree: the tracked files as they are now),
#   - inside the chroot: bash scripts/setup.sh, then
#       cargo build --release --offline -p fastembed-ffi
#       cargo test --no-run --offline --workspace --profile ci   (test targets need the dev-dependencies)
# and prints one PASS or FAIL line at the end (exit status 0 or 1).
#
#   scripts/fresh-check.sh              reuse the base root if it exists
#   scripts/fresh-check.sh --clean      rebuild the base root (e.g. after a JDK or toolchain update)
#   scripts/fresh-check.sh --worktree   check uncommitted edits of tracked files too
#   scripts/fresh-check.sh --with=libc6-dev,...
#                                       diagnosis: also install these packages after setup.sh, to see what else
#                                       is missing; the run then ends in FAIL even when the build passes
#
# Needs root, Debian's package mirror (nothing else on the network) and about 4 GB under /var/tmp. Downloaded
# .deb files are kept in /var/tmp/fastembed-fresh/apt-archives between runs (they are still installed by
# setup.sh every run). Maven is not run: it would download the Java dependencies from Maven Central.
set -euo pipefail
{ # bash reads a script as it runs: the braces make it read all of it first, so editing it mid-run is safe

self="$(readlink -f "${BASH_SOURCE[0]}")"
repo="$(cd "$(dirname "$self")/.." && pwd)"
state="${FRESH_CHECK_DIR:-/var/tmp/fastembed-fresh}"
# The root gets the mirrors this host's apt uses (its deb822 sources), unless given.
host_mirror() { # <suite>
  cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v suite="$1" '
    /^$/ { uri = ""; suites = "" }
    /^URIs:/ { uri = $2 } /^Suites:/ { suites = $0 " " }
    uri != "" && index(suites, " " suite " ") { print uri; exit }'
}
jdk=/usr/lib/jvm/temurin-25-jdk-amd64

clean=0
worktree=0
inner=0
extra=""
for arg in "$@"; do
  case "$arg" in
    --clean) clean=1 ;;
    --worktree) worktree=1 ;;
    --inner) inner=1 ;;
    --with=*) extra="${arg#--with=}"; extra="${extra//,/ }" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$self" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fresh-check: unknown argument $arg (--clean, --worktree)" >&2; exit 2 ;;
  esac
done

say() { printf 'fresh-check: %s\n' "$*"; }
elapsed() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

if [ "$inner" -eq 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "fresh-check: needs root (chroot, mounts, apt-get)" >&2; exit 2; }
  mkdir -p "$state"
  exec 9>"$state.lock"
  flock -n 9 || { echo "fresh-check: another run holds $state.lock" >&2; exit 2; }
  # Mounts of a run live in a private mount namespace (see below): none may be left in this one.
  if grep -q " $state/" /proc/self/mountinfo; then
    echo "fresh-check: something is mounted under $state; unmount it first" >&2
    exit 2
  fi
  if [ "$clean" -eq 1 ]; then
    say "--clean: removing $state"
    rm -rf --one-file-system "$state"
    mkdir -p "$state"
  fi
  # The run itself goes into a mount namespace of its own: its mounts cannot propagate to the host's
  # /dev or /proc, and they disappear with it whatever happens.
  set +e
  unshare --mount --propagation private bash "$self" --inner "$@" 2>&1 | tee "$state/last-run.log"
  status=${PIPESTATUS[0]}
  set -e
  exit "$status"
fi

# ---- inside the private mount namespace -------------------------------------------------------------------

start=$SECONDS
base="$state/base"
run="$state/run"
root="$run/root"
mounts=()

cleanup() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount "${mounts[$i]}" 2>/dev/null || umount -l "${mounts[$i]}" 2>/dev/null || true
  done
}
trap cleanup EXIT

fail() {
  say "FAIL: $* (after $(elapsed $((SECONDS - start))); log: $state/last-run.log)"
  exit 1
}

mount_at() { # mount_at <target> <mount arguments...>
  local target="$1"
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounts+=("$target")
}

# The base root: bookworm minbase + the JDK + rustup's default toolchain. Built once, then only read.
if [ ! -e "$base/.complete" ]; then
  phase=$SECONDS
  [ -x "$jdk/bin/java" ] || fail "no JDK at $jdk to copy into the root"
  [ -f /root/.rustup/settings.toml ] || fail "no rustup installation in /root/.rustup to copy into the root"
  toolchain="$(sed -n 's/^default_toolchain *= *"\(.*\)"/\1/p' /root/.rustup/settings.toml)"
  [ -n "$toolchain" ] && [ -d "/root/.rustup/toolchains/$toolchain" ] ||
    fail "rustup's default toolchain ($toolchain) is not in /root/.rustup/toolchains"
  if ! command -v mmdebstrap >/dev/null; then
    say "installing mmdebstrap"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
      mmdebstrap >/dev/null
  fi
  mirror="${FRESH_CHECK_MIRROR:-$(host_mirror bookworm)}"
  security_mirror="${FRESH_CHECK_SECURITY_MIRROR:-$(host_mirror bookworm-security)}"
  [ -n "$mirror" ] && [ -n "$security_mirror" ] || fail "no bookworm mirror in /etc/apt/sources.list.d/*.sources:" \
    "set FRESH_CHECK_MIRROR and FRESH_CHECK_SECURITY_MIRROR"
  say "building a minimal bookworm root in $base (once; --clean rebuilds it)"
  rm -rf --one-file-system "$base" "$base.tmp"
  mmdebstrap --mode=root --variant=minbase --components=main bookworm "$base.tmp" \
    "deb $mirror bookworm main" \
    "deb $mirror bookworm-updates main" \
    "deb $security_mirror bookworm-security main" || fail "mmdebstrap could not build the root"
  say "copying the JDK ($jdk) and rustup's $toolchain into the root"
  tar -C / -cf - "${jdk#/}" | tar -C "$base.tmp" -xf -
  # The rustup proxies (cargo, rustc, ... are one binary) and the default toolchain without its HTML docs.
  tar -C / -cf - --exclude="root/.rustup/toolchains/$toolchain/share/doc" \
    root/.cargo/bin root/.cargo/env root/.rustup/settings.toml "root/.rustup/toolchains/$toolchain" \
    $(cd / && ls -d "root/.rustup/update-hashes/$toolchain" 2>/dev/null) | tar -C "$base.tmp" -xf -
  touch "$base.tmp/.complete"
  mv "$base.tmp" "$base"
  say "base root ready ($(du -sh --one-file-system "$base" | cut -f1), $(elapsed $((SECONDS - phase))))"
else
  say "reusing the base root $base (built $(date -u -r "$base/.complete" '+%Y-%m-%d %H:%M UTC'))"
fi

# This run's root: an overlay whose upper layer is thrown away at the start of the next run.
rm -rf --one-file-system "$run"
mkdir -p "$run/upper" "$run/work" "$root"
if mount -t overlay overlay -o "lowerdir=$base,upperdir=$run/upper,workdir=$run/work" "$root" 2>/dev/null; then
  mounts+=("$root")
else
  say "overlayfs is not available here: copying the base root instead"
  rm -rf "$root"
  cp -a "$base" "$root"
fi
rm -f "$root/.complete"

mount_at "$root/proc" -t proc proc
mount_at "$root/sys" -t sysfs sysfs
mount_at "$root/dev" --bind /dev
mount_at "$root/dev/pts" --bind /dev/pts
mount_at "$root/dev/shm" -t tmpfs -o mode=1777 shm
mkdir -p "$state/apt-archives/partial"
mount_at "$root/var/cache/apt/archives" --bind "$state/apt-archives"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# dpkg without fsync: the same packages end up installed, a minute or two sooner.
echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/fresh-check-unsafe-io"

# The repository: committed files, or with --worktree the tracked files as they are in the working tree.
commit="$(git -C "$repo" rev-parse --short HEAD)"
mkdir -p "$root/work/fastembed"
if [ "$worktree" -eq 1 ]; then
  what="tracked files of the working tree at $commit"
  [ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ] || what="$what (with uncommitted edits)"
  (cd "$repo" && git ls-files -z | tar --null -T - --ignore-failed-read -cf - 2>/dev/null) |
    tar -C "$root/work/fastembed" -xf -
else
  what="commit $commit ($(git -C "$repo" log -1 --format=%s HEAD | cut -c1-70))"
  git -C "$repo" archive HEAD | tar -C "$root/work/fastembed" -xf -
fi
say "repository: $what"

# One step inside the chroot, in a login-like environment of a rustup user (cargo on the PATH via ~/.cargo/bin).
step() { # step <name> <bash commands>
  local name="$1" commands="$2" t=$SECONDS rc
  printf '\n==> %s\n' "$name"
  set +e
  chroot "$root" /usr/bin/env -i HOME=/root USER=root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
    PATH=/root/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "set -euo pipefail; cd /work/fastembed; $commands" 2>&1 | tee "$run/step.log"
  rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" -ne 0 ]; then
    say "step '$name' failed (exit $rc, $(elapsed $((SECONDS - t))))"
    # What setup.sh most likely missed: a crate Debian has not installed, or a tool.
    grep -E "no matching package|failed to select a version|failed to load source|linker .* not found|cannot find -l|unable to find library|cannot open .*\.o|command not found|Unable to locate package|^E: " \
      "$run/step.log" | sed 's/^[[:space:]]*//' | sort -u | head -20 | sed 's/^/fresh-check:   /' || true
    if grep -qE "cannot open (Scrt1|crt1|crti)\.o" "$run/step.log"; then
      say "  the C library's development files are missing: Debian package libc6-dev (gcc only recommends it)"
    fi
    return 1
  fi
  say "step '$name' ok ($(elapsed $((SECONDS - t))))"
}

step "setup.sh on a clean bookworm root" "bash scripts/setup.sh" || fail "scripts/setup.sh"
if [ -n "$extra" ]; then
  step "diagnosis: packages setup.sh does not install: $extra" \
    "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $extra >/dev/null" ||
    fail "apt-get install $extra"
fi
step "release build of the engine" \
  "cd fastembed-native/rust && cargo build --release --offline -p fastembed-ffi && test -f target/release/libfastembed.so" ||
  fail "cargo build --release -p fastembed-ffi after setup.sh"
step "test targets of every crate (dev-dependencies)" \
  "cd fastembed-native/rust && cargo test --no-run --offline --workspace --profile ci" ||
  fail "cargo test --no-run --workspace --profile ci after setup.sh"

if [ -n "$extra" ]; then
  fail "the build passes only with packages scripts/setup.sh does not install: $extra"
fi
installed="$(chroot "$root" dpkg-query -W -f='${Status}\n' | grep -c 'install ok installed')"
say "PASS: scripts/setup.sh on a clean Debian bookworm root installs what the engine build needs ($what; $installed packages installed; $(elapsed $((SECONDS - start))))"
exit 0
}
