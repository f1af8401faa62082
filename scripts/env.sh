# Sourced by the scripts: selects JDK 25 and rustup's cargo, or fails with a clear message.
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-25-openjdk-arm64; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "2[5-9]|version "[3-9][0-9]'; then
    export JAVA_HOME="$candidate"
    break
  fi
done
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "2[5-9]|version "[3-9][0-9]'; then
  echo "fastembed: JDK 25 not found. Install one (e.g. Temurin 25 under /usr/lib/jvm/temurin-25-jdk-amd64) or set JAVA_HOME to it." >&2
  exit 1
fi
export PATH="$JAVA_HOME/bin:${CARGO_HOME:-$HOME/.cargo}/bin:/root/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null 2>&1; then
  echo "fastembed: cargo not found. Install Rust with rustup (cargo >= 1.87)." >&2
  exit 1
fi
