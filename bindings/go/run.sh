#!/usr/bin/env bash
# Tests the Go binding against the release libfastembed: bindings/reference/run.sh lays out the model folder
# and computes the expected results with a Java program (no fastembed engine involved), then go vet and
# go test with the race detector run. Offline: the module has no dependencies. Used by scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bindings/go"
lib="$root/fastembed-native/rust/target/release"
[ -f "$lib/libfastembed.so" ] || { echo "build libfastembed first (scripts/test.sh does)" >&2; exit 1; }
command -v go >/dev/null || { echo "go not found: run scripts/setup.sh (installs golang-go)" >&2; exit 1; }
"$root/bindings/reference/run.sh"
reference="$root/bindings/reference/target"

export GOFLAGS=-mod=mod GOTOOLCHAIN=local GOPROXY=off CGO_ENABLED=1
export FASTEMBED_TEST_ONNXRUNTIME="$reference/libonnxruntime.so"
export FASTEMBED_TEST_MODEL_DIR="$reference/bge-small-en-v1.5"
export FASTEMBED_TEST_REFERENCE="$reference/reference.json"
cd "$here"
unformatted="$(gofmt -l .)"
[ -z "$unformatted" ] || { echo "gofmt needed: $unformatted" >&2; exit 1; }
go vet ./...
go test -race -count=1 ./...
