#!/usr/bin/env bash
# A/B of two SmtpMock commits on this machine: both published as Native AOT, each measurement on a freshly started
# server, A and B interleaved (the order alternates every round), at the default log level with HTTP on (a free port).
#   bench/ab.sh BASE_REF NEW_REF          e.g. bench/ab.sh ba007e9 main
# Prints per-round lines and then one markdown table of medians with B's change against A:
#   startup → first 220 (ms), server CPU per message persistent and one connection per message (µs, from /proc/PID/stat),
#   msg/s, and idle memory per connection (KiB, VmRSS with K connections open minus before, over K).
# Environment: ROUNDS [5], N [20000] persistent messages (20 sessions, 1 KiB), N_RECONNECT [3000], K [2000] idle
#   connections, OUT [a temporary folder], SMTPMOCK_BUILD_LOCK [a lock file taken (flock) around each build].
# Loopback only; every run is bounded by smtpmock-bench's --max-seconds. Check `uptime` before and after: a busy
# machine makes A and B look alike.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: bench/ab.sh BASE_REF NEW_REF" >&2; exit 2; }
REPO_DIR=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR="$REPO_DIR/bench"
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
ROUNDS=${ROUNDS:-5} N=${N:-20000} N_RECONNECT=${N_RECONNECT:-3000} K=${K:-2000}
OUT=${OUT:-$(mktemp -d /tmp/smtpmock-ab.XXXXXX)}
mkdir -p "$OUT/logs"
log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
locked() { if [[ -n ${SMTPMOCK_BUILD_LOCK:-} ]]; then flock "$SMTPMOCK_BUILD_LOCK" "$@"; else "$@"; fi; }
ulimit -n "$(ulimit -Hn)"

declare -A REF=([A]=$1 [B]=$2) BIN SHA
for side in A B; do
  SHA[$side]=$(git -C "$REPO_DIR" rev-parse --short "${REF[$side]}")
  BIN[$side]="$OUT/bin-$side/smtpmock"
  if [[ -x ${BIN[$side]} && $(cat "$OUT/bin-$side/.sha" 2>/dev/null) == "${SHA[$side]}" ]]; then
    log "$side = ${REF[$side]} (${SHA[$side]}) already published in $OUT"; continue
  fi
  tree="$OUT/src-$side"
  git -C "$REPO_DIR" worktree add -q --detach "$tree" "${SHA[$side]}"
  log "publishing $side = ${REF[$side]} (${SHA[$side]})"
  locked dotnet publish "$tree/src/SmtpMock.Cli" -c Release -o "$OUT/bin-$side" >"$OUT/logs/publish-$side.log" 2>&1 \
    || { log "publish of $side failed: $OUT/logs/publish-$side.log"; exit 1; }
  git -C "$REPO_DIR" worktree remove --force "$tree"
  echo "${SHA[$side]}" >"$OUT/bin-$side/.sha"
done
log "building smtpmock-bench"
locked dotnet build "$BENCH_DIR/SmtpMock.Bench" -c Release >"$OUT/logs/bench-build.log" 2>&1 || { log "bench build failed"; exit 1; }
TOOL="$BENCH_DIR/SmtpMock.Bench/bin/Release/net10.0/smtpmock-bench"

PID="" PORT="" STARTUP_MS=""
start() { # SIDE -> PID PORT STARTUP_MS
  local t0 t1
  PORT=$(free_port)
  t0=$(now_us)
  "${BIN[$1]}" serve --port "$PORT" --http-port 0 --max-connections $((K + 200)) --max-connections-per-ip $((K + 200)) >>"$OUT/logs/server-$1.log" 2>&1 </dev/null &
  PID=$!
  wait_banner 127.0.0.1 "$PORT" 60 || { log "$1: no 220 within 60 s"; exit 1; }
  t1=$(now_us)
  STARTUP_MS=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1000 }')
}
stop() { stop_pid "$PID"; PID=""; }
trap '[[ -n $PID ]] && stop_pid "$PID"' EXIT
# bench RUN ARGS...: one smtpmock-bench line; a run that failed still prints its figures (errors=N), kept as they are.
bench() { "$TOOL" "$@" || true; }
kv() { grep -oE "(^| )$1=[^ ]*" <<<"$2" | head -1 | sed 's/^ //; s/^[^=]*=//'; }
declare -A V
add() { V[$1]="${V[$1]:-} $2"; }

log "uptime before: $(uptime)"
for ((r = 1; r <= ROUNDS; r++)); do
  order=(A B); ((r % 2 == 0)) && order=(B A)
  for side in "${order[@]}"; do
    start "$side"; add "$side|startup" "$STARTUP_MS"
    line=$(bench throughput --port "$PORT" --pid "$PID" --messages "$N" --sessions 20 --size 1024 --max-seconds 300)
    add "$side|persist_cpu" "$(kv server_cpu_us_per_msg "$line")"; add "$side|persist_rate" "$(kv msgs_per_s "$line")"
    echo "round $r $side persist startup_ms=$STARTUP_MS $line"
    stop

    start "$side"; add "$side|startup" "$STARTUP_MS"
    line=$(bench throughput --port "$PORT" --pid "$PID" --messages "$N_RECONNECT" --sessions 20 --size 1024 --reconnect --max-seconds 300)
    add "$side|reconnect_cpu" "$(kv server_cpu_us_per_msg "$line")"; add "$side|reconnect_rate" "$(kv msgs_per_s "$line")"
    echo "round $r $side reconnect startup_ms=$STARTUP_MS $line"
    stop

    start "$side"; add "$side|startup" "$STARTUP_MS"
    line=$(bench conns --port "$PORT" --pid "$PID" -k "$K" --hold 2 --max-seconds 120)
    add "$side|kib_per_conn" "$(kv kib_per_conn "$line")"
    echo "round $r $side conns startup_ms=$STARTUP_MS $line"
    stop
  done
done
log "uptime after: $(uptime)"

change() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || a == 0) print "NA"; else printf "%+.1f%%", (b - a) / a * 100 }'; }
echo
echo "| measure (median of $ROUNDS rounds) | A ${REF[A]} (${SHA[A]}) | B ${REF[B]} (${SHA[B]}) | B against A |"
echo "|---|---|---|---|"
for m in "startup|startup → first 220, ms (every start)" "persist_cpu|persistent: server CPU per message, µs" "persist_rate|persistent: msg/s" \
  "reconnect_cpu|one connection per message: server CPU per message, µs" "reconnect_rate|one connection per message: msg/s" \
  "kib_per_conn|idle memory per connection ($K open), KiB"; do
  key=${m%%|*} label=${m#*|}
  # shellcheck disable=SC2086
  a=$(median ${V[A|$key]}) b=$(median ${V[B|$key]})
  echo "| $label | $a | $b | $(change "$a" "$b") |"
done
echo
echo "raw lines above; server logs in $OUT/logs"
