#!/usr/bin/env bash
# Provision-and-connect benchmark: how many devices per second the platform provisions by claim and
# accepts as connections.
#
# Starts the platform pinned to CPU 0 (its embedded PostgreSQL inherits the pinning) with a fresh
# data directory, runs the simulator pinned to CPU 1 RUNS times with a fresh serial prefix each, and
# prints the median provisionings/s and connects/s. The platform is stopped on any exit.
#
# Environment (defaults in brackets):
#   DEVICES [10000]          measured devices per run
#   CONCURRENCY [256]        operations in flight
#   RUNS [3]                 simulator runs against the same platform
#   WARMUP_DEVICES [2000]    unmeasured devices per run, provisioned and connected first
#   SKIP_BUILD [0]           1 reuses the jars already built
#   RESULTS_DIR [mktemp -d]  where JSON results, outputs and the platform log go
#   SIM_JAVA_OPTS, PLATFORM_JAVA_OPTS   extra JVM options
set -euo pipefail

DEVICES="${DEVICES:-10000}"
CONCURRENCY="${CONCURRENCY:-256}"
RUNS="${RUNS:-3}"
WARMUP_DEVICES="${WARMUP_DEVICES:-2000}"
SKIP_BUILD="${SKIP_BUILD:-0}"
# On the one CPU it is pinned to the JVM picks the serial collector with a small young generation;
# a large fixed young generation keeps collections rare during a run.
SIM_JAVA_OPTS="${SIM_JAVA_OPTS:--Xms2g -Xmx2g -Xmn1g}"
PLATFORM_JAVA_OPTS="${PLATFORM_JAVA_OPTS:-}"
READY_TIMEOUT_SECONDS=120

die() {
  echo "provision-connect.sh: $*" >&2
  exit 1
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(git -C "$script_dir" rev-parse --show-toplevel 2>/dev/null || (cd "$script_dir/../.." && pwd))"
cd "$repo_root"

command -v taskset >/dev/null || die "taskset not found (util-linux)"
command -v curl >/dev/null || die "curl not found"
taskset -c 0,1 true 2>/dev/null || die "needs CPUs 0 and 1: the platform and the simulator get one each"

# Every held connection is an open file in both processes; take all the hard limit allows (a bare
# "unlimited" is refused for open files, hence the fallback).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 1048576 2>/dev/null || true
if (($(ulimit -n) < DEVICES + 1000)); then
  echo "warning: open-file limit $(ulimit -n) is low for $DEVICES held connections" >&2
fi

if [[ "$SKIP_BUILD" != 1 ]]; then
  ./mvnw -B -q install -DskipTests
fi
platform_jar="platform/target/quarkus-app/quarkus-run.jar"
[[ -f "$platform_jar" ]] || die "$platform_jar missing; build the platform first"
sim_jars=(simulators/target/fleetcast-simulators-*-runnable.jar)
[[ -f "${sim_jars[0]}" ]] || die "simulator jar missing in simulators/target; build it first"
sim_jar="${sim_jars[0]}"

# A port below the ephemeral range, so that none of the simulator's own outgoing connections can
# hold it, with nothing listening on it yet. Another process could still take it before the
# platform binds; the readiness wait then fails with the platform's log.
free_port() {
  local low _high span port
  read -r low _high </proc/sys/net/ipv4/ip_local_port_range || low=32768
  span=$((low > 11000 ? low - 10000 : 1000))
  for _ in $(seq 1 100); do
    port=$((10000 + RANDOM % span))
    if [[ "$port" != "${1:-}" ]] && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free loopback port found"
}

random_hex() {
  od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

results_dir="${RESULTS_DIR:-$(mktemp -d -t fleetcast-provision-connect-XXXXXX)}"
mkdir -p "$results_dir"
data_dir="$(mktemp -d -t fleetcast-bench-data-XXXXXX)"
api_token="$(random_hex 24)"
http_port="$(free_port)"
mqtt_port="$(free_port "$http_port")"
platform_pid=""

stop_platform() {
  if [[ -n "$platform_pid" ]] && kill -0 "$platform_pid" 2>/dev/null; then
    kill "$platform_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do
      kill -0 "$platform_pid" 2>/dev/null || break
      sleep 1
    done
    kill -9 "$platform_pid" 2>/dev/null || true
    wait "$platform_pid" 2>/dev/null || true
  fi
  # Embedded PostgreSQL outlives a platform that had to be killed; its postmaster.pid names it.
  local pidfile pg_pid
  while IFS= read -r pidfile; do
    pg_pid="$(head -n 1 "$pidfile" 2>/dev/null || true)"
    if [[ "$pg_pid" =~ ^[0-9]+$ ]] && kill -0 "$pg_pid" 2>/dev/null; then
      kill "$pg_pid" 2>/dev/null || true
    fi
  done < <(find "$data_dir" -name postmaster.pid 2>/dev/null)
}

cleanup() {
  local status=$?
  trap - EXIT
  stop_platform
  rm -rf "$data_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "platform: http 127.0.0.1:$http_port, mqtt 127.0.0.1:$mqtt_port, data $data_dir" >&2
echo "results:  $results_dir" >&2
# shellcheck disable=SC2086 # PLATFORM_JAVA_OPTS holds several options on purpose
# No Keycloak here: OIDC is off and the API takes the platform's dev token (see decision 3).
FLEETCAST_API_DEV_TOKEN="$api_token" \
  QUARKUS_OIDC_TENANT_ENABLED=false \
  FLEETCAST_DATA_DIR="$data_dir" \
  QUARKUS_HTTP_PORT="$http_port" \
  FLEETCAST_MQTT_PORT="$mqtt_port" \
  taskset -c 0 java $PLATFORM_JAVA_OPTS -jar "$platform_jar" >"$results_dir/platform.log" 2>&1 &
platform_pid=$!

deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
until curl -fsS -o /dev/null "http://127.0.0.1:$http_port/q/health/ready" 2>/dev/null; do
  if ! kill -0 "$platform_pid" 2>/dev/null; then
    tail -n 50 "$results_dir/platform.log" >&2
    die "platform exited before it was ready (log: $results_dir/platform.log)"
  fi
  if ((SECONDS >= deadline)); then
    tail -n 50 "$results_dir/platform.log" >&2
    die "platform not ready after ${READY_TIMEOUT_SECONDS}s (log: $results_dir/platform.log)"
  fi
  sleep 0.5
done
# Readiness may not cover the MQTT listener; a refused first CONNECT would count as a failure.
until (exec 3<>"/dev/tcp/127.0.0.1/$mqtt_port") 2>/dev/null; do
  ((SECONDS < deadline)) || die "MQTT port $mqtt_port not accepting connections"
  sleep 0.5
done
echo "platform ready after $((SECONDS + READY_TIMEOUT_SECONDS - deadline))s" >&2

read -r -a sim_opts <<<"$SIM_JAVA_OPTS"
stamp="$(date +%s)"
failed_runs=0
for run in $(seq 1 "$RUNS"); do
  echo "== run $run of $RUNS" >&2
  # Serials must be new in every run: the platform refuses a serial it has provisioned (REPLAYED).
  if ! taskset -c 1 java "${sim_opts[@]}" -jar "$sim_jar" provision-connect \
    --mqtt-host 127.0.0.1 \
    --mqtt-port "$mqtt_port" \
    --api-url "http://127.0.0.1:$http_port" \
    --api-token "$api_token" \
    --devices "$DEVICES" \
    --concurrency "$CONCURRENCY" \
    --warmup-devices "$WARMUP_DEVICES" \
    --serial-prefix "bench-$stamp-$run" \
    --json "$results_dir/run-$run.json" | tee "$results_dir/run-$run.txt"; then
    echo "run $run failed" >&2
    failed_runs=$((failed_runs + 1))
  fi
done

# The simulator writes each headline rate on a line of its own: "  "name" : 1234.5,".
json_number() {
  sed -n "s/^ *\"$2\" *: *\([-0-9.eE+]*\).*/\1/p" "$1" | head -n 1
}

median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

report() {
  local field="$1" label="$2" values
  values="$(for file in "$results_dir"/run-*.json; do [[ -f "$file" ]] && json_number "$file" "$field"; done)"
  [[ -n "$values" ]] || return 0
  printf '%-34s median %9s   runs: %s\n' "$label" "$(median <<<"$values")" "$(tr '\n' ' ' <<<"$values")"
}

{
  echo
  echo "provision-connect: $DEVICES devices, concurrency $CONCURRENCY, $RUNS runs" \
    "(platform on CPU 0, simulator on CPU 1, open-file limit $(ulimit -n))"
  report provisioningsPerSecond "provisionings/s"
  report connectsPerSecond "connects/s (to CONNACK)"
  report stateReportsPerSecond "state reports/s (to PUBACK)"
} | tee "$results_dir/summary.txt"

if ((failed_runs > 0)); then
  die "$failed_runs of $RUNS runs failed; see $results_dir"
fi
