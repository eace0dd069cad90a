#!/usr/bin/env bash
# compare.sh: SmtpMock side by side with smtp-sink, aiosmtpd and node smtp-server on loopback, in ONE table.
#
# Usage (from the repository root):
#   flock /tmp/smtpmock-build.lock bash bench/compare.sh [SERVER ...]
# SERVER: smtp-sink smtpmock dotnet-floor smtpserver aiosmtpd node-smtp-server (default: all six). dotnet-floor
# (bench/peers/dotnet-floor) is not a product: a 150-line .NET sink with nothing but sockets, published like SmtpMock,
# to show what the runtime's socket layer costs by itself and how much of a gap is SmtpMock's own. smtpserver
# (bench/peers/smtpserver-sink) is the SmtpServer 11.1.0 NuGet package as a bare sink (discarding store, any
# mailbox, Native AOT, inline socket completions): what a .NET user would write instead of using SmtpMock. Without an outer flock the script takes
# /tmp/smtpmock-build.lock itself (and waits for it); with one it uses the lock it inherited. Either way the lock is
# held for the whole run, the builds included, so nobody builds while it measures.
#
# What it does:
#   1. installs what is missing (Debian, as root): postfix (smtp-source, smtp-sink; debconf "No configuration", no
#      daemon started), python3-aiosmtpd, nodejs + npm, and `npm ci` of smtp-server into bench/node/node_modules;
#   2. dotnet publish src/SmtpMock.Cli -c Release -o <tmp dir>; dotnet build bench/SmtpMock.Bench -c Release;
#      dotnet publish bench/peers/dotnet-floor -c Release -o <tmp dir>/floor;
#      dotnet publish bench/peers/smtpserver-sink -c Release -o <tmp dir>/smtpserver;
#   3. for every measurement, starts the server FRESH on a free 127.0.0.1 port, waits for its 220 banner, measures,
#      reads its VmHWM, stops that PID (TERM, KILL after 5 s);
#   4. prints one markdown table (each figure and its ratio to smtp-sink), saves it and the raw lines under
#      bench/results/compare-<stamp>/, and draws the headline ratios from raw.tsv as chart.svg there
#      (bench/chart.py); COPY_CHART=path also copies the chart there (e.g. docs/img/compare.svg).
#
# Knobs (environment), defaults in brackets:
#   REPS [3]            runs of each throughput and latency measurement (the table shows the median)
#   STARTUP_REPS [5]    runs of the startup measurement
#   N [20000]           messages of the persistent throughput runs; SESSIONS [20]; SIZE [1024] payload bytes
#   N_RECONNECT [5000]  messages of the reconnect (one connection per message) run
#   N_BIG [2000]        messages of the big-message run (persistent, smtp-source); SIZE_BIG [102400] their bytes
#   LAT_N [2000]        latency transactions, persistent; LAT_N_RECONNECT [200] with a connection each
#   K [5000]            idle connections held for every server; K_SMTPMOCK [10000] extra row for SmtpMock
#                       (only if the open-files limit allows; 0 skips it)
#   MAX_SECONDS [120]   bound of each single measurement (tool --max-seconds, timeout for smtp-source)
#   PHASES ["startup throughput big reconnect latency conns"]
#   QUICK=1             a short run: REPS=1 STARTUP_REPS=1 N=2000 N_BIG=200 N_RECONNECT=200 LAT_N=200 LAT_N_RECONNECT=20 K=200 K_SMTPMOCK=1000
#   SKIP_INSTALL=1      do not install anything (fail if something is missing)
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
. "$BENCH_DIR/lib.sh"

if [[ ${QUICK:-0} == 1 ]]; then
  : "${REPS:=1}" "${STARTUP_REPS:=1}" "${N:=2000}" "${N_BIG:=200}" "${N_RECONNECT:=200}" "${LAT_N:=200}" "${LAT_N_RECONNECT:=20}" "${K:=200}" "${K_SMTPMOCK:=1000}"
fi
REPS=${REPS:-3}
STARTUP_REPS=${STARTUP_REPS:-5}
N=${N:-20000}
SESSIONS=${SESSIONS:-20}
SIZE=${SIZE:-1024}
N_RECONNECT=${N_RECONNECT:-5000}
N_BIG=${N_BIG:-2000}
SIZE_BIG=${SIZE_BIG:-102400}
LAT_N=${LAT_N:-2000}
LAT_N_RECONNECT=${LAT_N_RECONNECT:-200}
K=${K:-5000}
K_SMTPMOCK=${K_SMTPMOCK:-10000}
MAX_SECONDS=${MAX_SECONDS:-120}
PHASES=${PHASES:-"startup throughput big reconnect latency conns"}
ALL_SERVERS="smtp-sink smtpmock dotnet-floor smtpserver aiosmtpd node-smtp-server"
LOCK=/tmp/smtpmock-build.lock

for v in REPS STARTUP_REPS N SESSIONS SIZE N_RECONNECT N_BIG SIZE_BIG LAT_N LAT_N_RECONNECT K K_SMTPMOCK MAX_SECONDS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "compare.sh: $v=${!v} is not a number" >&2; exit 2; }
done
(( REPS >= 1 && REPS <= 20 && STARTUP_REPS >= 1 && STARTUP_REPS <= 50 && N >= 1 && N <= 1000000 \
   && N_RECONNECT >= 1 && N_RECONNECT <= 100000 && N_BIG >= 1 && N_BIG <= 100000 && SIZE_BIG <= 10485760 && SESSIONS >= 1 && SESSIONS <= 1000 && SIZE <= 10485760 \
   && LAT_N >= 1 && LAT_N <= 1000000 && LAT_N_RECONNECT >= 1 && LAT_N_RECONNECT <= 100000 \
   && K >= 1 && K <= 30000 && K_SMTPMOCK <= 30000 && MAX_SECONDS >= 1 && MAX_SECONDS <= 600 )) \
  || { echo "compare.sh: a knob is out of bounds (see the header of $0)" >&2; exit 2; }

servers=("$@"); [[ ${#servers[@]} -gt 0 ]] || read -r -a servers <<<"$ALL_SERVERS"
for s in "${servers[@]}"; do
  [[ " $ALL_SERVERS " == *" $s "* ]] || { echo "compare.sh: unknown server '$s' (known: $ALL_SERVERS)" >&2; exit 2; }
done
has_server() { [[ " ${servers[*]} " == *" $1 "* ]]; }
has_phase() { [[ " $PHASES " == *" $1 "* ]]; }

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---- the build lock: inherited from an outer `flock $LOCK ...`, or taken here ----
LOCK_FD=""
for f in /proc/$$/fd/*; do
  if [[ $(readlink "$f" 2>/dev/null) == "$LOCK" ]]; then LOCK_FD=${f##*/}; break; fi
done
if [[ -n $LOCK_FD ]]; then
  log "holding $LOCK (inherited, fd $LOCK_FD)"
else
  exec {LOCK_FD}>>"$LOCK" || die "cannot open $LOCK"
  log "waiting for $LOCK ..."
  flock "$LOCK_FD" || die "cannot lock $LOCK"
  log "holding $LOCK"
fi

# ---- install what is missing (fresh Debian machine) ----
APT_UPDATED=0
apt_install() {
  [[ ${SKIP_INSTALL:-0} == 1 ]] && die "missing: $* (SKIP_INSTALL=1)"
  [[ $(id -u) == 0 ]] || die "missing: $*; install them as root: apt-get install $*"
  command -v apt-get >/dev/null || die "missing: $* (no apt-get on this machine)"
  export DEBIAN_FRONTEND=noninteractive
  if (( ! APT_UPDATED )); then apt-get update -qq >&2 || die "apt-get update failed"; APT_UPDATED=1; fi
  log "apt-get install $*"
  apt-get install -y -qq "$@" >&2 || die "apt-get install $* failed"
}
command -v dotnet >/dev/null || die "the .NET 10 SDK is required (dotnet not on PATH)"
# SmtpMock publishes as Native AOT, which links with clang against zlib.
if { has_server smtpmock || has_server dotnet-floor || has_server smtpserver; } && { ! command -v clang >/dev/null || [[ ! -e /usr/include/zlib.h ]]; }; then apt_install clang zlib1g-dev; fi
if [[ ! -x /usr/sbin/smtp-source ]] || { has_server smtp-sink && [[ ! -x /usr/sbin/smtp-sink ]]; }; then
  # Only the test tools are used; "No configuration" leaves Postfix without main.cf, so no daemon starts.
  [[ ${SKIP_INSTALL:-0} == 1 || $(id -u) != 0 ]] || echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt_install postfix
fi
if has_server aiosmtpd && ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then apt_install python3-aiosmtpd; fi
if has_server node-smtp-server; then
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  if [[ ! -f $BENCH_DIR/node/node_modules/smtp-server/package.json ]]; then
    [[ ${SKIP_INSTALL:-0} == 1 ]] && die "missing: bench/node/node_modules (SKIP_INSTALL=1)"
    log "npm ci in bench/node (smtp-server)"
    (cd "$BENCH_DIR/node" && timeout 300 npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed in bench/node"
  fi
fi

# ---- results folder ----
stamp=$(date +%Y%m%d-%H%M%S)
OUT="$BENCH_DIR/results/compare-$stamp"
mkdir -p "$OUT/logs" || die "cannot create $OUT"
RAW="$OUT/raw.tsv"
: >"$RAW"
raw() { local IFS=$'\t'; printf '%s\n' "$*" >>"$RAW"; }

PUB=""; PID=""; PORT=""
cleanup() {
  [[ -n $PID ]] && stop_pid "$PID"
  PID=""
  [[ -n $PUB && -d $PUB ]] && rm -rf "$PUB"
  PUB=""
}
trap 'log "interrupted"; cleanup; exit 130' INT TERM
trap cleanup EXIT

# ---- build (under the lock) ----
# The builds run with the lock's descriptor closed and without MSBuild node reuse: a node or compiler server left
# running would otherwise keep the lock for ever, and a build attached to another build's reused node fails with
# "MSB4166: Child node exited prematurely" when that node goes away. The script itself still holds the lock.
export MSBUILDDISABLENODEREUSE=1
PUB=$(mktemp -d /tmp/smtpmock-bench-pub.XXXXXX)
log "dotnet publish src/SmtpMock.Cli -c Release -o $PUB"
(exec {LOCK_FD}>&-; cd "$REPO_DIR" && dotnet publish src/SmtpMock.Cli -c Release -o "$PUB" >"$OUT/logs/publish.log" 2>&1) \
  || die "dotnet publish failed: see $OUT/logs/publish.log"
if [[ -x $PUB/smtpmock ]]; then SMTPMOCK=("$PUB/smtpmock")        # apphost or Native AOT binary: the process itself
elif [[ -f $PUB/smtpmock.dll ]]; then SMTPMOCK=(dotnet "$PUB/smtpmock.dll")
else die "no smtpmock or smtpmock.dll in $PUB"; fi
log "dotnet build bench/SmtpMock.Bench -c Release"
(exec {LOCK_FD}>&-; cd "$REPO_DIR" && dotnet build bench/SmtpMock.Bench -c Release >"$OUT/logs/build-bench.log" 2>&1) \
  || die "dotnet build bench/SmtpMock.Bench failed: see $OUT/logs/build-bench.log"
TOOL="$BENCH_DIR/SmtpMock.Bench/bin/Release/net10.0/smtpmock-bench"
if has_server dotnet-floor; then
  log "dotnet publish bench/peers/dotnet-floor -c Release -o $PUB/floor"
  (exec {LOCK_FD}>&-; cd "$REPO_DIR" && dotnet publish bench/peers/dotnet-floor -c Release -o "$PUB/floor" >"$OUT/logs/publish-floor.log" 2>&1) \
    || die "dotnet publish bench/peers/dotnet-floor failed: see $OUT/logs/publish-floor.log"
fi
if has_server smtpserver; then
  log "dotnet publish bench/peers/smtpserver-sink -c Release -o $PUB/smtpserver"
  (exec {LOCK_FD}>&-; cd "$REPO_DIR" && dotnet publish bench/peers/smtpserver-sink -c Release -o "$PUB/smtpserver" >"$OUT/logs/publish-smtpserver.log" 2>&1) \
    || die "dotnet publish bench/peers/smtpserver-sink failed: see $OUT/logs/publish-smtpserver.log"
fi
[[ -x $TOOL ]] || die "no $TOOL after the build"

# ---- open-files limit: the conns phase needs K (+ margin) in this shell, the client and the server ----
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n); [[ $NOFILE == unlimited ]] && NOFILE=1000000
if has_phase conns && (( NOFILE < K + 200 )); then
  die "ulimit -n is $NOFILE, the conns phase needs K+200=$((K + 200)): raise the hard limit or lower K"
fi
if (( K_SMTPMOCK > 0 && NOFILE < K_SMTPMOCK + 200 )); then
  log "ulimit -n is $NOFILE: skipping the K_SMTPMOCK=$K_SMTPMOCK row (needs $((K_SMTPMOCK + 200)))"
  K_SMTPMOCK=0
fi
(( K_SMTPMOCK == K )) && K_SMTPMOCK=0

# ---- environment record ----
{
  echo "date_utc=$(date -u '+%Y-%m-%d %H:%M:%S')"
  echo "host=$(hostname) cores=$(nproc) kernel=$(uname -r) loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "smtpmock_git=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null) dirty_files_in_src=$(git -C "$REPO_DIR" status --porcelain -- src 2>/dev/null | wc -l)"
  echo "smtpmock_cmd=${SMTPMOCK[*]} serve --port PORT --max-connections 20000"
  echo "dotnet=$(dotnet --version 2>/dev/null)"
  echo "postfix=$(postconf -d mail_version 2>/dev/null | sed 's/.*= //')"
  has_server smtpserver && echo "smtpserver=$(sed -n 's/.*Include="SmtpServer" Version="\([^"]*\)".*/\1/p' "$BENCH_DIR/peers/smtpserver-sink/SmtpServerSink.csproj")"
  has_server aiosmtpd && echo "aiosmtpd=$(/usr/bin/python3 -c 'import aiosmtpd; print(aiosmtpd.__version__)' 2>/dev/null) python=$(/usr/bin/python3 -V 2>&1)"
  has_server node-smtp-server && echo "node=$(node --version) smtp-server=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$BENCH_DIR/node/node_modules/smtp-server/package.json" | head -1)"
  echo "servers=${servers[*]} phases=$PHASES"
  echo "REPS=$REPS STARTUP_REPS=$STARTUP_REPS N=$N SESSIONS=$SESSIONS SIZE=$SIZE N_BIG=$N_BIG SIZE_BIG=$SIZE_BIG N_RECONNECT=$N_RECONNECT LAT_N=$LAT_N LAT_N_RECONNECT=$LAT_N_RECONNECT K=$K K_SMTPMOCK=$K_SMTPMOCK MAX_SECONDS=$MAX_SECONDS ulimit_n=$NOFILE"
} >"$OUT/env.txt"
log "$(tr '\n' ' ' <"$OUT/env.txt")"

# ---- servers ----
# server_cmd NAME PORT [MAXCONN] -> array CMD, exec'd directly so that $! is the server process itself.
server_cmd() {
  local name=$1 port=$2 maxconn=${3:-256}
  case "$name" in
    smtp-sink)
      # Postfix's test sink: discards mail. -m = simultaneous sessions (its default is 256); backlog 1000.
      CMD=(/usr/sbin/smtp-sink)
      [[ $(id -u) == 0 ]] && CMD+=(-u nobody)       # mandatory as root
      CMD+=(-m "$maxconn" "127.0.0.1:$port" 1000) ;;
    smtpmock)
      CMD=("${SMTPMOCK[@]}" serve --port "$port" --max-connections 20000) ;;
    dotnet-floor)
      CMD=("$PUB/floor/dotnet-floor" "$port") ;;
    smtpserver)
      CMD=("$PUB/smtpserver/smtpserver-sink" "$port") ;;
    aiosmtpd)
      CMD=(/usr/bin/python3 "$BENCH_DIR/peers/aiosmtpd_sink.py" "$port" 127.0.0.1) ;;
    node-smtp-server)
      CMD=(node "$BENCH_DIR/node/smtp-server-sink.js" "$port" 127.0.0.1) ;;
  esac
}

# start_server NAME [MAXCONN] -> PID PORT STARTUP_MS (process start to the first 220 line), 1 if no banner in 60 s
start_server() {
  local name=$1 t0 t1
  PORT=$(free_port) || { log "no free port"; return 1; }
  server_cmd "$name" "$PORT" "${2:-256}"
  t0=$(now_us)
  # The subshell closes the lock's descriptor and execs the server: $! is the server's own PID.
  ( exec {LOCK_FD}>&-; exec "${CMD[@]}" ) >>"$OUT/logs/$name.log" 2>&1 </dev/null &
  PID=$!
  if ! wait_banner 127.0.0.1 "$PORT" 60; then
    log "$name: no 220 banner on port $PORT within 60 s (see $OUT/logs/$name.log)"; stop_server; return 1
  fi
  t1=$(now_us)
  STARTUP_MS=$(awk -v d=$(( t1 - t0 )) 'BEGIN { printf "%.1f", d / 1000 }')
  kill -0 "$PID" 2>/dev/null || { log "$name exited"; PID=""; return 1; }
}
stop_server() { [[ -n $PID ]] && stop_pid "$PID"; PID=""; }
hwm_kib() { proc_field "$PID" VmHWM; }

# ---- value store: V[server|metric] = "v1 v2 ..." ----
declare -A V
add() { [[ -n ${2:-} ]] && V[$1]="${V[$1]:-} $2"; }
kv() { grep -oE "(^| )$1=[^ ]*" <<<"$2" | head -1 | sed 's/^ //; s/^[^=]*=//'; }
ERR_TOTAL=0
note_errors() { # SERVER ERRORS
  local e=${2:-1}; [[ $e =~ ^[0-9]+$ ]] || e=1
  V["$1|errors"]=$(( ${V["$1|errors"]:-0} + e ))
  ERR_TOTAL=$(( ERR_TOTAL + e ))
}

CLK_TCK=$(getconf CLK_TCK)
# smtp_source SERVER persist|reconnect MESSAGES [SIZE] -> one key=value line (smtp-source is Postfix's load generator).
smtp_source() {
  local server=$1 mode=$2 n=$3 size=${4:-$SIZE} tk0 tk1 t0 t1 rc done
  local opts=(-c -s "$SESSIONS" -m "$n" -l "$size" -r 1 -M localhost -f from@example.com -t to@example.com)
  [[ $mode == persist ]] && opts+=(-d)      # -d: keep the connection for the next message
  tk0=$(proc_ticks "$PID"); t0=$(now_us)
  ( exec {LOCK_FD}>&-; exec timeout "$MAX_SECONDS" /usr/sbin/smtp-source "${opts[@]}" "127.0.0.1:$PORT" ) \
    >"$OUT/logs/smtp-source.count" 2>>"$OUT/logs/smtp-source.err"
  rc=$?
  t1=$(now_us); tk1=$(proc_ticks "$PID")
  if (( rc == 0 )); then done=$n
  else
    done=$(tr '\r' '\n' <"$OUT/logs/smtp-source.count" | grep -E '^[0-9]+$' | tail -1); done=${done:-0}
    log "$server: smtp-source $mode rc=$rc after $done messages: $(tail -c 300 "$OUT/logs/smtp-source.err" | tr '\n' ' ')"
  fi
  awk -v n="$done" -v us=$(( t1 - t0 )) -v ticks=$(( tk1 - tk0 )) -v tck="$CLK_TCK" -v m="$mode" -v rc="$rc" \
      -v s="$SESSIONS" -v b="$size" -v h="$(hwm_kib)" 'BEGIN {
    sec = us / 1e6
    printf "tool=smtp-source mode=%s msgs_per_s=%.1f messages=%d sessions=%d size=%d seconds=%.3f errors=%d server_cpu_us_per_msg=%s server_peak_rss_kib=%s rc=%d\n",
      m, (sec > 0 ? n / sec : 0), n, s, b, sec, (rc == 0 ? 0 : 1),
      (n > 0 ? sprintf("%.1f", ticks / tck / n * 1e6) : "NA"), h, rc }'
}

# bench TOOL-ARGS... -> runs smtpmock-bench with the lock's descriptor closed
bench() { ( exec {LOCK_FD}>&-; exec "$TOOL" "$@" ) 2>>"$OUT/logs/smtpmock-bench.err"; }

# ---- the measurements: a fresh server process for each ----
log "servers: ${servers[*]}; phases: $PHASES; results: $OUT"
for server in "${servers[@]}"; do
  if has_phase startup; then
    for ((i = 1; i <= STARTUP_REPS; i++)); do
      start_server "$server" || { note_errors "$server" 1; continue; }
      h=$(hwm_kib); stop_server
      raw "$server" startup "$i" "startup_ms=$STARTUP_MS idle_peak_rss_kib=$h"
      add "$server|startup_ms" "$STARTUP_MS"; add "$server|idle_rss" "$h"
    done
    log "$server startup ms: ${V[$server|startup_ms]:-none}"
  fi

  if has_phase throughput; then
    for ((i = 1; i <= REPS; i++)); do
      for variant in smtp-source tool-off tool-on; do
        start_server "$server" || { note_errors "$server" 1; continue; }
        case $variant in
          smtp-source) out=$(smtp_source "$server" persist "$N") ;;
          tool-off) out=$(bench throughput --port "$PORT" --messages "$N" --sessions "$SESSIONS" --size "$SIZE" --pid "$PID" --max-seconds "$MAX_SECONDS") ;;
          tool-on) out=$(bench throughput --port "$PORT" --messages "$N" --sessions "$SESSIONS" --size "$SIZE" --pid "$PID" --max-seconds "$MAX_SECONDS" --pipelining) ;;
        esac
        stop_server
        raw "$server" "persist-$variant" "$i" "$out"
        log "$server persist $variant #$i: $out"
        add "$server|$variant|rate" "$(kv msgs_per_s "$out")"
        add "$server|$variant|cpu" "$(kv server_cpu_us_per_msg "$out")"
        add "$server|$variant|hwm" "$(kv server_peak_rss_kib "$out")"
        [[ $variant == tool-on ]] && V[$server|pipelining]=$(kv pipelining "$out")
        e=$(kv errors "$out"); [[ ${e:-x} == 0 && $(kv messages "$out") == "$N" ]] || note_errors "$server" "${e:-1}"
      done
    done
  fi

  if has_phase big; then
    for ((i = 1; i <= REPS; i++)); do
      start_server "$server" || { note_errors "$server" 1; continue; }
      out=$(smtp_source "$server" persist "$N_BIG" "$SIZE_BIG")
      stop_server
      raw "$server" persist-big-smtp-source "$i" "$out"
      log "$server persist big #$i: $out"
      add "$server|big|rate" "$(kv msgs_per_s "$out")"
      add "$server|big|cpu" "$(kv server_cpu_us_per_msg "$out")"
      add "$server|big|hwm" "$(kv server_peak_rss_kib "$out")"
      e=$(kv errors "$out"); [[ ${e:-x} == 0 && $(kv messages "$out") == "$N_BIG" ]] || note_errors "$server" "${e:-1}"
    done
  fi

  if has_phase reconnect; then
    for ((i = 1; i <= REPS; i++)); do
      start_server "$server" || { note_errors "$server" 1; continue; }
      out=$(smtp_source "$server" reconnect "$N_RECONNECT")
      stop_server
      raw "$server" reconnect-smtp-source "$i" "$out"
      log "$server reconnect #$i: $out"
      add "$server|reconnect|rate" "$(kv msgs_per_s "$out")"
      add "$server|reconnect|cpu" "$(kv server_cpu_us_per_msg "$out")"
      e=$(kv errors "$out"); [[ ${e:-x} == 0 && $(kv messages "$out") == "$N_RECONNECT" ]] || note_errors "$server" "${e:-1}"
    done
  fi

  if has_phase latency; then
    for ((i = 1; i <= REPS; i++)); do
      for mode in persist reconnect; do
        start_server "$server" || { note_errors "$server" 1; continue; }
        if [[ $mode == persist ]]; then
          out=$(bench latency --port "$PORT" -n "$LAT_N" --warmup 100 --max-seconds "$MAX_SECONDS")
        else
          out=$(bench latency --port "$PORT" -n "$LAT_N_RECONNECT" --warmup 20 --reconnect --max-seconds "$MAX_SECONDS")
        fi
        stop_server
        first=$(head -1 <<<"$out")
        raw "$server" "latency-$mode" "$i" "$first"
        raw "$server" "latency-$mode-commands" "$i" "$(sed -n 2p <<<"$out" | sed 's/^ *//')"
        log "$server latency $mode #$i: $first"
        add "$server|lat|$mode|p50" "$(kv txn_p50_us "$first")"
        add "$server|lat|$mode|p99" "$(kv txn_p99_us "$first")"
        e=$(kv errors "$first"); [[ ${e:-x} == 0 && $(kv timed_out "$first") == 0 ]] || note_errors "$server" "${e:-1}"
      done
    done
  fi

  if has_phase conns; then
    ks=("$K"); [[ $server == smtpmock ]] && (( K_SMTPMOCK > 0 )) && ks+=("$K_SMTPMOCK")
    for k in "${ks[@]}"; do
      # smtp-sink serves at most -m sessions at once: give it room for K plus the extra client.
      start_server "$server" $(( k + 100 )) || { note_errors "$server" 1; continue; }
      # Let the server settle before the base RSS is read: SmtpMock starts its HTTP side after the SMTP banner, and
      # a base sampled before that puts the HTTP side's memory on the connections (about 0.7 KiB each at 5000).
      bsleep 1
      out=$(bench conns --port "$PORT" -k "$k" --pid "$PID" --max-seconds "$MAX_SECONDS")
      stop_server
      raw "$server" "conns-$k" 1 "$out"
      log "$server conns k=$k: $out"
      V[$server|conns|$k]=$out
      e=$(kv errors "$out"); [[ ${e:-x} == 0 ]] || note_errors "$server" "${e:-1}"
    done
  fi
done
log "measurements done; load: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the table ----
med() { median ${V[$1]:-}; }
# cell VALUE BASE [DECIMALS]: "value (ratio×)" where ratio = value / smtp-sink's value
cell() {
  local v=$1 b=$2 d=${3:-0}
  if [[ -z $v || $v == NA ]]; then echo "n/a"; return; fi
  awk -v v="$v" -v b="$b" -v d="$d" 'BEGIN {
    s = sprintf("%." d "f", v)
    if (b != "" && b != "NA" && b + 0 > 0) s = s sprintf(" (%.2f×)", v / b)
    print s }'
}
mib() { [[ -n ${1:-} && $1 != NA ]] && awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }' || echo NA; }
names() { case $1 in smtp-sink) echo smtp-sink ;; smtpmock) echo "**SmtpMock**" ;; dotnet-floor) echo ".NET floor" ;; smtpserver) echo "SmtpServer sink" ;; aiosmtpd) echo aiosmtpd ;; node-smtp-server) echo "node smtp-server" ;; esac; }

row() { # LABEL KEY DECIMALS [TRANSFORM]
  local label=$1 key=$2 d=$3 tr=${4:-} base line v
  base=$(med "smtp-sink|$key"); [[ $tr == mib ]] && base=$(mib "$base")
  line="| $label |"
  for s in "${servers[@]}"; do
    v=$(med "$s|$key"); [[ $tr == mib ]] && v=$(mib "$v")
    has_server smtp-sink || base=""
    line+=" $(cell "$v" "$base" "$d") |"
  done
  echo "$line"
}
conns_row() { # LABEL FIELD DECIMALS [TRANSFORM]
  local label=$1 field=$2 d=$3 tr=${4:-} base="" line v o
  has_server smtp-sink && base=$(kv "$field" "${V[smtp-sink|conns|$K]:-}")
  [[ $tr == mib ]] && base=$(mib "$base")
  line="| $label |"
  for s in "${servers[@]}"; do
    o=${V[$s|conns|$K]:-}; v=$(kv "$field" "$o"); [[ $tr == mib ]] && v=$(mib "$v")
    line+=" $(cell "$v" "$base" "$d") |"
  done
  echo "$line"
}

{
  echo "SmtpMock vs peer SMTP test servers on loopback: $(date -u '+%Y-%m-%d %H:%M UTC'), $(hostname), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Each cell: median over the runs, then (value ÷ smtp-sink's value). A fresh server process for every run."
  echo
  header="| figure |"; sep="|---|"
  for s in "${servers[@]}"; do header+=" $(names "$s") |"; sep+="---|"; done
  echo "$header"; echo "$sep"
  if has_phase startup; then
    row "startup → first 220, ms (median of $STARTUP_REPS)" startup_ms 1
    row "idle peak RSS, MiB" idle_rss 1 mib
  fi
  if has_phase throughput; then
    row "persist $N×${SIZE} B, $SESSIONS sessions, smtp-source: msgs/s" smtp-source\|rate 0
    row "  server CPU µs/msg" smtp-source\|cpu 1
    row "  server peak RSS after it, MiB" smtp-source\|hwm 1 mib
    row "same, smtpmock-bench, no pipelining: msgs/s" tool-off\|rate 0
    row "  server CPU µs/msg" tool-off\|cpu 1
    row "same, smtpmock-bench, PIPELINING: msgs/s" tool-on\|rate 0
    row "  server CPU µs/msg" tool-on\|cpu 1
    line="|   PIPELINING advertised and used |"
    for s in "${servers[@]}"; do
      case ${V[$s|pipelining]:-} in on) line+=" yes |" ;; off) line+=" no (not advertised) |" ;; *) line+=" n/a |" ;; esac
    done
    echo "$line"
  fi
  if has_phase big; then
    row "persist $N_BIG×${SIZE_BIG} B, $SESSIONS sessions, smtp-source: msgs/s" big\|rate 0
    row "  server CPU µs/msg" big\|cpu 1
    row "  server peak RSS after it, MiB" big\|hwm 1 mib
  fi
  if has_phase reconnect; then
    row "reconnect (1 connection per message) $N_RECONNECT×${SIZE} B, smtp-source: msgs/s" reconnect\|rate 0
    row "  server CPU µs/msg" reconnect\|cpu 1
  fi
  if has_phase latency; then
    row "latency persist, txn p50 µs (EHLO MAIL RCPT DATA body RSET)" lat\|persist\|p50 0
    row "latency persist, txn p99 µs" lat\|persist\|p99 0
    row "latency reconnect, txn p50 µs (+ connect and banner)" lat\|reconnect\|p50 0
    row "latency reconnect, txn p99 µs" lat\|reconnect\|p99 0
  fi
  if has_phase conns; then
    line="| $K idle connections (banner + EHLO): held / extra client served |"
    for s in "${servers[@]}"; do
      o=${V[$s|conns|$K]:-}
      if [[ -n $o ]]; then line+=" $(kv ok "$o")/$K, alive $(kv alive_after_hold "$o"), extra $(kv extra_client "$o") |"; else line+=" n/a |"; fi
    done
    echo "$line"
    conns_row "  server RSS with them, MiB" server_rss_open_kib 1 mib
    conns_row "  KiB per idle connection" kib_per_conn 1
    conns_row "  seconds to open them all" open_seconds 2
    if (( K_SMTPMOCK > 0 )) && has_server smtpmock; then
      o=${V[smtpmock|conns|$K_SMTPMOCK]:-}
      line="| $K_SMTPMOCK idle connections, SmtpMock only: held, RSS MiB, KiB/conn |"
      for s in "${servers[@]}"; do
        if [[ $s == smtpmock && -n $o ]]; then
          line+=" $(kv ok "$o")/$K_SMTPMOCK, alive $(kv alive_after_hold "$o"), extra $(kv extra_client "$o"); $(mib "$(kv server_rss_open_kib "$o")") MiB; $(kv kib_per_conn "$o") KiB/conn |"
        else line+=" |"; fi
      done
      echo "$line"
    fi
  fi
  line="| errors (failed runs, failed messages or connections) |"
  for s in "${servers[@]}"; do line+=" ${V[$s|errors]:-0} |"; done; echo "$line"
  echo
  echo "Knobs: REPS=$REPS STARTUP_REPS=$STARTUP_REPS N=$N SESSIONS=$SESSIONS SIZE=$SIZE N_BIG=$N_BIG SIZE_BIG=$SIZE_BIG N_RECONNECT=$N_RECONNECT LAT_N=$LAT_N LAT_N_RECONNECT=$LAT_N_RECONNECT K=$K K_SMTPMOCK=$K_SMTPMOCK. Raw: bench/results/compare-$stamp/raw.tsv"
} | tee "$OUT/table.md"
log "saved $OUT/table.md"
# The chart is drawn from raw.tsv, the same lines the table's medians come from. Its ratios need smtp-sink and at
# least one throughput workload.
if ! has_server smtp-sink || ! { has_phase throughput || has_phase big || has_phase reconnect; }; then
  log "no chart: it needs smtp-sink and a throughput, big or reconnect phase"
elif /usr/bin/env python3 "$BENCH_DIR/chart.py" "$RAW" "$OUT/chart.svg" >>"$OUT/logs/chart.log" 2>&1; then
  log "saved $OUT/chart.svg"
  if [[ -n ${COPY_CHART:-} ]]; then cp "$OUT/chart.svg" "$COPY_CHART" && log "copied the chart to $COPY_CHART"; fi
else
  log "chart.py failed: see $OUT/logs/chart.log"; ERR_TOTAL=$(( ERR_TOTAL + 1 ))
fi
(( ERR_TOTAL == 0 )) || { log "there were $ERR_TOTAL errors: see $RAW and $OUT/logs"; exit 1; }
exit 0
