#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what is missing, then the Maven build
# (Rust engine + Java modules and their tests), the Rust unit tests, the header check, the C example and the
# Go binding.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh

step() { printf '\n==> %s\n' "$*"; }

step "Setup installs every crate of Cargo.lock and every tool the tests call (and the check's own tests)"
bash scripts/check-setup-test.sh

step "Lint: cargo fmt --check, cargo clippy -D warnings (every unsafe documented)"
(cd fastembed-native/rust && cargo fmt --all -- --check && cargo clippy --offline --workspace --all-targets -- -D warnings)

step "Maven: Rust engine, Java bindings, Spring modules, sample app (mvn verify)"
scripts/mvn -B -ntp verify

step "Benchmark harness builds (scripts/bench.sh's build, so the bench cannot rot outside the suite)"
scripts/mvn -B -ntp -q -Pbench -pl bench -am -DskipTests -Dfastembed.native.skip=true package

step "Rust: unit and integration tests of every crate"
(cd fastembed-native/rust && cargo test --profile ci --offline --workspace)

step "C header is generated from the ffi crate"
fastembed-native/generate-header.sh --check

step "C example through the header alone, under valgrind"
examples/c/run.sh

step "Soak: 45 s of embedding from two threads, resident memory and Java heap flat after warm-up"
scripts/soak.sh 45

step "Go binding (cgo over the header): parity with the Java reference, lifetime and errors, go test -race"
bindings/go/run.sh

step "All tests passed"
