#!/usr/bin/env bash
# Builds and starts the sample app (semantic search on http://127.0.0.1:8080) on a fresh machine:
# installs what the build needs, builds the Rust engine and the Java modules, then runs the app with JDK 25.
# Arguments go to the app, e.g. scripts/run-sample.sh --server.port=9090 --fastembed.model=BAAI/bge-base-en-v1.5
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
source scripts/env.sh

echo "run-sample: building the sample app and what it needs (first build compiles the Rust engine)"
scripts/mvn -B -q -ntp -pl sample-app -am -Dmaven.test.skip=true package

# The index goes to sample-app/data (kept across restarts, ignored by git).
cd sample-app
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar target/fastembed-sample-app.jar "$@"
