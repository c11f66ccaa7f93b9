#!/usr/bin/env bash
# Fan-out benchmark: one publisher to thousands of MQTT subscribers, Fleetcast against Mosquitto,
# HiveMQ CE and nats-server (MQTT mode), all in one run (scenarios S0-S7 of
# docs/benchmarks/fanout.md).
#
# The simulator (load generator and harness) is pinned to CPU 0; it starts each broker in turn on a
# free loopback port pinned to CPU 1, runs every scenario against it and stops it. Results go to
# RESULTS_DIR as run-<n>.csv, with each broker's log; with REPORT=1 the docs page is updated from them.
#
# Environment (defaults in brackets):
#   QUICK [0]               1: smoke run, 2,000 subscribers, short steps, one run (a couple of minutes)
#   RUNS [3, 1 if QUICK]    runs; every broker runs once per run, medians are reported
#   BROKERS [mosquitto,nats,hivemq,fleetcast]
#   SUBSCRIBERS             connections held; default 19,000 (2,000 if QUICK)
#   FANOUT_ARGS             further options for the fanout command (see --help), e.g. "--measure-ms 5000"
#                           or "--scenarios S5" (S0 and the chosen scenarios only)
#   BROKER_JAVA_OPTS [-Xms2g -Xmx2g -XX:+AlwaysPreTouch]   the same for HiveMQ and Fleetcast
#   SIM_JAVA_OPTS [-Xms2g -Xmx2g -Xmn1g]                     the generator's JVM
#   PLATFORM_JAR [platform/target/quarkus-app/quarkus-run.jar]
#   FLEETCAST_VERSION [main@<commit of the jar's checkout>]   how the results name the platform build
#   SKIP_BUILD [0]          1 reuses the jars already built
#   REPORT [0]              1 writes the results into docs/benchmarks/fanout.md and its chart
#   RESULTS_DIR [mktemp -d]
set -euo pipefail

QUICK="${QUICK:-0}"
RUNS="${RUNS:-}"
BROKERS="${BROKERS:-mosquitto,nats,hivemq,fleetcast}"
SUBSCRIBERS="${SUBSCRIBERS:-}"
FANOUT_ARGS="${FANOUT_ARGS:-}"
BROKER_JAVA_OPTS="${BROKER_JAVA_OPTS:--Xms2g -Xmx2g -XX:+AlwaysPreTouch}"
# Pinned to one CPU the JVM picks the serial collector; a large young generation keeps collections
# rare while tens of thousands of deliveries a second are decoded.
SIM_JAVA_OPTS="${SIM_JAVA_OPTS:--Xms2g -Xmx2g -Xmn1g}"
SKIP_BUILD="${SKIP_BUILD:-0}"
REPORT="${REPORT:-0}"

die() {
  echo "fanout.sh: $*" >&2
  exit 1
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(git -C "$script_dir" rev-parse --show-toplevel 2>/dev/null || (cd "$script_dir/../.." && pwd))"
cd "$repo_root"

command -v taskset >/dev/null || die "taskset not found (util-linux)"
taskset -c 0,1 true 2>/dev/null || die "needs CPUs 0 and 1: the generator and the broker get one each"

# 19,000 subscribers plus the publisher are open files in the generator and in the broker; brokers
# inherit this limit from the generator that starts them. A bare "unlimited" is refused for open
# files, hence the fallback.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 1048576 2>/dev/null || true
wanted=$((${SUBSCRIBERS:-19000} + 500))
if [[ "$QUICK" == 1 && -z "$SUBSCRIBERS" ]]; then wanted=2500; fi
if (($(ulimit -n) < wanted)); then
  die "open-file limit $(ulimit -n) is below the $wanted this run needs"
fi

if [[ "$SKIP_BUILD" != 1 ]]; then
  ./mvnw -B -q install -DskipTests -pl simulators -am
fi
sim_jars=(simulators/target/fleetcast-simulators-*-runnable.jar)
[[ -f "${sim_jars[0]}" ]] || die "simulator jar missing in simulators/target; build it first"
platform_jar="${PLATFORM_JAR:-platform/target/quarkus-app/quarkus-run.jar}"
# A missing platform jar is not fatal: the harness records Fleetcast as failed and runs the others.
[[ -f "$platform_jar" ]] || echo "warning: $platform_jar missing; Fleetcast will be recorded as failed" >&2

results_dir="${RESULTS_DIR:-$(mktemp -d -t fleetcast-fanout-XXXXXX)}"
mkdir -p "$results_dir"
# A copy, so that a rebuild during a long run cannot change the classes under the running JVM.
sim_jar="$results_dir/simulators.jar"
cp "${sim_jars[0]}" "$sim_jar"

# HiveMQ runs with its own dependency versions, resolved outside the project's Quarkus BOM.
hivemq_classpath="$results_dir/hivemq.classpath"
./mvnw -B -q -f simulators/bench/hivemq/pom.xml dependency:build-classpath \
  -Dmdep.outputFile="$hivemq_classpath" >/dev/null ||
  echo "warning: could not resolve HiveMQ CE; it will be recorded as failed" >&2

jar_commit="$(git -C "$(dirname "$platform_jar")" rev-parse --short HEAD 2>/dev/null || echo unknown)"
fleetcast_version="${FLEETCAST_VERSION:-main@$jar_commit}"
args=(fanout --brokers "$BROKERS" --results "$results_dir"
  --platform-jar "$platform_jar" --fleetcast-version "$fleetcast_version"
  --hivemq-classpath "$hivemq_classpath" --broker-cpus 1 --jvm-options "$BROKER_JAVA_OPTS")
[[ "$QUICK" == 1 ]] && args+=(--quick)
[[ -n "$RUNS" ]] && args+=(--runs "$RUNS")
[[ -n "$SUBSCRIBERS" ]] && args+=(--subscribers "$SUBSCRIBERS")
read -r -a extra <<<"$FANOUT_ARGS"
args+=("${extra[@]}")

shown="QUICK=$QUICK${RUNS:+ RUNS=$RUNS}${SUBSCRIBERS:+ SUBSCRIBERS=$SUBSCRIBERS} BROKERS=$BROKERS"
# The page names a platform jar from elsewhere by its version label, not by a path on this machine.
shown+="${PLATFORM_JAR:+ PLATFORM_JAR=<jar of $fleetcast_version>}"
shown+="${FANOUT_ARGS:+ FANOUT_ARGS=\"$FANOUT_ARGS\"} simulators/bench/fanout.sh"

sim_pid=""
cleanup() {
  local status=$?
  trap - EXIT
  # The harness stops its brokers itself; this covers an interrupted run.
  if [[ -n "$sim_pid" ]] && kill -0 "$sim_pid" 2>/dev/null; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "results: $results_dir" >&2
read -r -a sim_opts <<<"$SIM_JAVA_OPTS"
taskset -c 0 java "${sim_opts[@]}" -jar "$sim_jar" "${args[@]}" --command-line "$shown" \
  2> >(tee "$results_dir/progress.log" >&2) &
sim_pid=$!
wait "$sim_pid"
sim_pid=""

if [[ "$REPORT" == 1 ]]; then
  java -jar "$sim_jar" fanout-report --results "$results_dir" --page docs/benchmarks/fanout.md
  echo "updated docs/benchmarks/fanout.md and docs/benchmarks/fanout-knee.svg" >&2
fi
