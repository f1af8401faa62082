#!/usr/bin/env bash
# Regenerates src/unicode_tables.rs. Needs Java 25 (Unicode 16.0) and Perl with Unicode::UCD.
set -euo pipefail
cd "$(dirname "$0")"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
list="$(mktemp)"
trap 'rm -f "$list"' EXIT
perl -MUnicode::UCD=prop_invlist -e 'print join(" ", prop_invlist("In=9.0")), "\n"' > "$list"
"$java" GenerateUnicodeTables.java "$list" > ../src/unicode_tables.rs
