#!/usr/bin/env bash
# Installs what the build needs on a fresh Debian machine of this project's kind.
# Idempotent and quiet when everything is present. Needs root (or sudo) only to install.
set -euo pipefail

# Rust crates come from Debian (crates.io is not used); the tools serve tests and examples.
packages=(
  librust-libloading-dev librust-serde-dev librust-serde-json-dev librust-thiserror-dev
  librust-regex-dev librust-fancy-regex-dev librust-unicode-normalization-dev
  librust-unicode-categories-dev librust-once-cell-dev librust-rayon-dev librust-image-dev
  librust-proptest-dev librust-memmap2-dev librust-sha2-dev librust-unicode-segmentation-dev
  cbindgen valgrind gcc golang-go
  snowball-data python3-snowballstemmer libdigest-murmurhash3-pureperl-perl
  python3-pil python3-numpy
  chromium chromium-driver
  wrk
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
