#!/usr/bin/env bash
# The agent's download, verify and install of a full OTA bundle against `curl` + `sha256sum` of the
# same file from the same HTTP server (target: the agent within 2x).
#
# Builds a random image and a signed full bundle of it with the real ota-builder, serves the bundle
# from BundleFileServer (a small JDK HTTP server with ETag and Range, its own JVM, pinned to CPU 0),
# then runs OtaInstallBench pinned to CPU 1: one unmeasured run of each contender, then RUNS runs of
# each, alternately, and the medians. The server is stopped on any exit.
#
# Environment (defaults in brackets):
#   SIZE_MB [200]            image size in MiB
#   RUNS [5]                 measured runs of each contender
#   SKIP_BUILD [0]           1 reuses the jars already built
#   PIN [1]                  0 runs without taskset
#   BENCH_JAVA_OPTS          extra JVM options for the agent side (e.g. -XX:StartFlightRecording=...)
# Usage: device-agent/bench/ota-install.sh [work-dir]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
SIZE_MB="${SIZE_MB:-200}"
RUNS="${RUNS:-5}"
SKIP_BUILD="${SKIP_BUILD:-0}"
PIN="${PIN:-1}"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-}"
work="${1:-}"
if [ -z "$work" ]; then
  work="$(mktemp -d)"
  cleanup_work=1 # 400 MB of image and bundle: only kept when the caller named the directory
fi
mkdir -p "$work"
work="$(cd "$work" && pwd)"

if [ "$SKIP_BUILD" != 1 ]; then
  (cd "$repo" && ./mvnw -B -q -pl device-agent,ota-builder -am package -DskipTests)
fi
agent_jar="$(ls "$repo"/device-agent/target/fleetcast-device-agent-*-runnable.jar | head -1)"
builder_jar="$(ls "$repo"/ota-builder/target/fleetcast-ota-builder-*-runnable.jar | head -1)"
classpath="$agent_jar:$repo/device-agent/target/test-classes"
server_cpu=() bench_cpu=()
if [ "$PIN" = 1 ]; then server_cpu=(taskset -c 0) bench_cpu=(taskset -c 1); fi

cd "$work"
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom > image.img
rm -f bench.key.pem bench.pub.pem
java -jar "$builder_jar" keygen --out bench >/dev/null
java -jar "$builder_jar" build --key bench.key.pem --image image.img --version 2.0.0 --model bench-tv \
  --anti-rollback 1 --out image.fcota >/dev/null

rm -f port
"${server_cpu[@]}" java -cp "$classpath" io.fleetcast.agent.bench.BundleFileServer image.fcota port &
server=$!
trap 'kill "$server" 2>/dev/null || true; [ -z "${cleanup_work:-}" ] || rm -rf "$work"' EXIT
for _ in $(seq 1 300); do [ -s port ] && break; kill -0 "$server" || exit 1; sleep 0.1; done
url="http://127.0.0.1:$(cat port)/image.fcota"

echo "image $(stat -c %s image.img) bytes, bundle $(stat -c %s image.fcota) bytes, $(nproc) cores, $(uname -r)"
# shellcheck disable=SC2086
"${bench_cpu[@]}" java $BENCH_JAVA_OPTS -cp "$classpath" io.fleetcast.agent.bench.OtaInstallBench \
  "$url" image.img bench.pub.pem bench-tv 2.0.0 "$work/runs" "$RUNS" "$(stat -c %s image.fcota)"
