#!/usr/bin/env bash
# Tests the Go binding against the release libfastembed: lays out the model folder, computes the expected
# results with the Java reference program (no fastembed engine involved), then runs go vet and go test with
# the race detector. Offline: the module has no dependencies. Used by scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bindings/go"
work="$here/target"
lib="$root/fastembed-native/rust/target/release"
[ -f "$lib/libfastembed.so" ] || { echo "build libfastembed first (scripts/test.sh does)" >&2; exit 1; }
command -v go >/dev/null || { echo "go not found: run scripts/setup.sh (installs golang-go)" >&2; exit 1; }
source "$root/scripts/env.sh" # JDK 25 for the reference program

mkdir -p "$work"
"$root/scripts/test-model.sh" "$work"

# The reference program's class path comes from its pom; it is compiled and run with plain javac/java.
"$root/scripts/mvn" -B -ntp -q -f "$here/reference/pom.xml" dependency:build-classpath \
  -Dmdep.outputFile="$work/reference.classpath" >/dev/null
classpath="$(cat "$work/reference.classpath")"
rm -rf "$work/reference-classes"
javac -d "$work/reference-classes" -cp "$classpath" "$here/reference/GoReference.java"
java --enable-native-access=ALL-UNNAMED -cp "$work/reference-classes:$classpath" dev.fastembed.goreference.GoReference \
  "$work/bge-small-en-v1.5" "$work" "$work/reference.json"

export GOFLAGS=-mod=mod GOTOOLCHAIN=local GOPROXY=off CGO_ENABLED=1
export FASTEMBED_TEST_ONNXRUNTIME="$work/libonnxruntime.so"
export FASTEMBED_TEST_MODEL_DIR="$work/bge-small-en-v1.5"
export FASTEMBED_TEST_REFERENCE="$work/reference.json"
cd "$here"
unformatted="$(gofmt -l .)"
[ -z "$unformatted" ] || { echo "gofmt needed: $unformatted" >&2; exit 1; }
go vet ./...
go test -race -count=1 ./...
