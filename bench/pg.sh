#!/usr/bin/env bash
# pg.sh: SmtpMock on real engines (issue #21, "How fast"): capture into PostgreSQL and scenario state in Redis, each
# beside the in-memory figure of the same run, and a store filled to 1,000,000 messages.
#
# Usage (from the repository root; the script takes /tmp/smtpmock-build.lock per measurement, never across one):
#   bash bench/pg.sh [PHASE ...]        PHASE: capture state fill (default: all three)
#
# It starts, in a temporary folder, a throw-away PostgreSQL (initdb as the `postgres` user, 127.0.0.1 on a free
# port, fsync and synchronous_commit on, the rest Debian's defaults) and a throw-away Redis
# (`redis-server --port P --save ''`), and stops both at the end (or on Ctrl+C). Every smtpmock is started fresh on
# free ports and stopped by its PID.
#   capture  REPS times, alternating: `smtpmock serve` with the in-memory store, then with --store postgresql://...,
#            each driven by `smtpmock-bench throughput` (N messages of SIZE bytes over SESSIONS sessions, no
#            pipelining): msgs/s, server CPU µs/msg, DATA-to-250 p50/p99, PostgreSQL's own CPU µs/msg.
#   state    REPS times, alternating: scenarios/greylisting.yaml with `for: 1s` (keyed on client, sender, recipient) with the
#            in-memory state, then with --state redis://...; one warm-up message takes the 451, the window passes,
#            then N messages all pass the rule, each RCPT one keyed lookup. Server CPU µs/msg and its ratio, Redis
#            commands and CPU per message. Both with the in-memory store, so only the state differs.
#   fill     one smtpmock on PostgreSQL; smtp-source (-d -s SESSIONS -N: a distinct recipient per message) sends
#            FILL_CHUNK messages of FILL_SIZE bytes at a time until the store holds FILL; the server's VmRSS after
#            each chunk (and every 2 s in fill-rss.tsv); then QUERIES requests each of list-newest-50 and
#            search-by-recipient over the HTTP API (bench/api_latency.py), p50/p99/max.
#
# Knobs (environment), defaults in brackets:
#   SMTPMOCK [publishes src/SmtpMock.Cli -c Release to a temp folder]   the smtpmock executable to measure
#   BENCH [builds bench/SmtpMock.Bench -c Release]                      the smtpmock-bench executable or .dll
#   REPS [3]  N [20000]  SESSIONS [20]  SIZE [1024]
#   FILL [1000000]  FILL_CHUNK [100000]  FILL_SIZE [200]  QUERIES [200]  SEARCHES [QUERIES]: search requests
#   FILL_MODE [smtp]: every message through SMTP; sql: the first and the last FILL_SMTP [20000] through SMTP, the rest
#            by INSERT ... SELECT copies of the oldest captured message (each its own id, time and recipient), which
#            goes past the instance: the store grows, the instance keeps serving (for when SMTP alone is too slow)
#   FILL_LOCK [1]: 0 fills without the build lock (the chunk rates are then indicative only; the API's latencies are
#            measured under the lock either way)
#   OUT [bench/results/pg-<stamp>]   where the lines, logs and summary go
# FILL_SIZE is small because `smtpmock serve` has no option for the store's byte budget (512 MiB): 1,000,000
# messages of 1 KiB would be evicted oldest-first long before the count is reached.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
. "$BENCH_DIR/lib.sh"

REPS=${REPS:-3}
N=${N:-20000}
SESSIONS=${SESSIONS:-20}
SIZE=${SIZE:-1024}
FILL=${FILL:-1000000}
FILL_CHUNK=${FILL_CHUNK:-100000}
FILL_SIZE=${FILL_SIZE:-200}
QUERIES=${QUERIES:-200}
SEARCHES=${SEARCHES:-$QUERIES}
FILL_MODE=${FILL_MODE:-smtp}
FILL_SMTP=${FILL_SMTP:-20000}
FILL_LOCK=${FILL_LOCK:-1}
LOCK=/tmp/smtpmock-build.lock
PHASES=("$@")
(( ${#PHASES[@]} )) || PHASES=(capture state fill)
OUT=${OUT:-$REPO_DIR/bench/results/pg-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT/logs"
WORK=$(mktemp -d /tmp/smtpmock-pg.XXXXXX)
chmod 755 "$WORK"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PIDS=()

say() { echo "$*" | tee -a "$OUT/summary.txt"; }

cleanup() {
  local p
  for p in "${PIDS[@]}"; do stop_pid "$p"; done
  [[ -n ${PG_DATA:-} && -f $PG_DATA/postmaster.pid ]] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1
  [[ -n ${REDIS_PID:-} ]] && stop_pid "$REDIS_PID"
  [[ -f $WORK/pg/postgres.log ]] && cp "$WORK/pg/postgres.log" "$OUT/logs/"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# locked CMD...: CMD while holding the build lock (so nobody builds while it measures).
locked() { flock "$LOCK" "$@"; }
# lock / unlock: hold the build lock across several commands (one measurement); servers started meanwhile do not inherit it.
lock() { exec {LOCKFD}>"$LOCK"; flock "$LOCKFD"; }
unlock() { flock -u "$LOCKFD"; exec {LOCKFD}>&-; unset LOCKFD; }

load() { echo "$(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"; }

# --- builds ---------------------------------------------------------------------------------------------------
if [[ -z ${SMTPMOCK:-} ]]; then
  MSBUILDDISABLENODEREUSE=1 flock -o "$LOCK" dotnet publish "$REPO_DIR/src/SmtpMock.Cli" -c Release -o "$WORK/pub" >"$OUT/logs/publish.log" 2>&1 \
    || { echo "pg.sh: publish failed, see $OUT/logs/publish.log" >&2; exit 1; }
  SMTPMOCK=$WORK/pub/smtpmock
fi
if [[ -z ${BENCH:-} ]]; then
  MSBUILDDISABLENODEREUSE=1 flock -o "$LOCK" dotnet build "$BENCH_DIR/SmtpMock.Bench" -c Release -o "$WORK/bench" >"$OUT/logs/bench-build.log" 2>&1 \
    || { echo "pg.sh: bench build failed, see $OUT/logs/bench-build.log" >&2; exit 1; }
  BENCH=$WORK/bench/smtpmock-bench
fi
bench() { if [[ $BENCH == *.dll ]]; then dotnet "$BENCH" "$@"; else "$BENCH" "$@"; fi; }

# --- engines --------------------------------------------------------------------------------------------------
start_postgres() {
  PG_PORT=$(free_port 30000 39999)
  PG_DATA=$WORK/pg/data
  PG_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  mkdir -p "$WORK/pg/socket"
  echo "$PG_PASSWORD" >"$WORK/pg/password"
  chown -R postgres "$WORK/pg"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U smtpmock --pwfile="$WORK/pg/password" --auth-host=scram-sha-256 \
    --auth-local=trust -E UTF8 --no-locale --no-sync --no-instructions >"$OUT/logs/initdb.log" 2>&1 || { echo "pg.sh: initdb failed" >&2; exit 1; }
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg/postgres.log" -w -o \
    "-p $PG_PORT -k $WORK/pg/socket -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on" start >/dev/null \
    || { echo "pg.sh: postgres did not start: $(tail -5 "$WORK/pg/postgres.log")" >&2; exit 1; }
  PG_PID=$(head -1 "$PG_DATA/postmaster.pid")
  psql_do "postgres" "CREATE DATABASE smtpmock" >/dev/null
  PG_URI="postgresql://smtpmock:$PG_PASSWORD@127.0.0.1:$PG_PORT/smtpmock"
}
psql_do() { runuser -u postgres -- "$PG_BIN/psql" -X -q -A -t -h "$WORK/pg/socket" -p "$PG_PORT" -U smtpmock -d "$1" -c "$2"; }

# pg_ticks: CPU ticks of the postmaster and every backend it runs.
pg_ticks() {
  local sum=0 p t
  for p in "$PG_PID" $(pgrep -P "$PG_PID"); do t=$(proc_ticks "$p" 2>/dev/null) && sum=$((sum + t)); done
  echo "$sum"
}

start_redis() {
  REDIS_PORT=$(free_port 40000 49999)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --unixsocket '' >"$OUT/logs/redis.log" 2>&1 &
  REDIS_PID=$!
  local i
  for ((i = 0; i < 500; i++)); do [[ $(redis-cli -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]] && return 0; bsleep 0.01; done
  echo "pg.sh: redis did not start, see $OUT/logs/redis.log" >&2; exit 1
}
redis_stat() { redis-cli -p "$REDIS_PORT" info "$1" | tr -d '\r' | awk -F'[:=,]' -v k="$2" '$1 == k { print $2 ; exit }'; }
# redis_calls: "COMMAND CALLS" per command Redis has run (those inside scripts included), from INFO commandstats.
redis_calls() { redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' | awk -F'[:=,]' '$1 ~ /^cmdstat_/ { print substr($1, 9), $3 }'; }
# redis_per_msg BEFORE AFTER MESSAGES: each command's calls per message between two redis_calls, and their sum.
redis_per_msg() {
  awk -v n="$3" 'NR == FNR { b[$1] = $2; next } { d = $2 - b[$1]; if (d > 0) { t += d; s = s sprintf(" %s=%.2f", $1, d / n) } }
    END { printf "redis_calls_per_msg=%.2f%s", t / n, s }' <(echo "$1") <(echo "$2")
}

# --- smtpmock -------------------------------------------------------------------------------------------------
# serve NAME ARGS...: starts smtpmock fresh on free ports (the lock's descriptor is not inherited); SMTP_PID, SMTP_PORT, HTTP_PORT.
serve() {
  local name=$1; shift
  SMTP_PORT=$(free_port); HTTP_PORT=$(free_port 50000 59999)
  if [[ -n ${LOCKFD:-} ]]; then
    "$SMTPMOCK" serve --host 127.0.0.1 --port "$SMTP_PORT" --http-port "$HTTP_PORT" --max-connections 20000 "$@" \
      >"$OUT/logs/$name.log" 2>&1 {LOCKFD}>&- &
  else
    "$SMTPMOCK" serve --host 127.0.0.1 --port "$SMTP_PORT" --http-port "$HTTP_PORT" --max-connections 20000 "$@" \
      >"$OUT/logs/$name.log" 2>&1 &
  fi
  SMTP_PID=$!
  PIDS+=("$SMTP_PID")
  wait_banner 127.0.0.1 "$SMTP_PORT" 60 || { echo "pg.sh: smtpmock ($name) did not answer, see $OUT/logs/$name.log" >&2; exit 1; }
}
unserve() { stop_pid "$SMTP_PID"; PIDS=("${PIDS[@]/$SMTP_PID}"); }

kv() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "NA"; else printf "%.2f", a / b }'; }

throughput() { bench throughput --port "$SMTP_PORT" --messages "$1" --sessions "$SESSIONS" --size "$SIZE" --pid "$SMTP_PID" --max-seconds 300 2>>"$OUT/logs/bench.err"; }

# --- phases ---------------------------------------------------------------------------------------------------
phase_capture() {
  say "## capture: $N x $SIZE B, $SESSIONS sessions, smtpmock-bench throughput (no pipelining), $REPS runs each"
  local r line t0 t1
  for ((r = 1; r <= REPS; r++)); do
    lock
    say "run $r before: $(load)"
    serve "mem-$r" --max-messages 2000000
    say "memory   $(throughput "$N")"
    unserve
    serve "pg-$r" --max-messages 2000000 --store "$PG_URI"
    t0=$(pg_ticks)
    line=$(throughput "$N")
    t1=$(pg_ticks)
    say "postgres $line postgres_cpu_us_per_msg=$(per_msg $((t1 - t0)) "$line")"
    unserve
    say "run $r after: $(load)"
    unlock
  done
}

# per_msg TICKS LINE: CPU ticks as µs per message of the tool's line.
per_msg() { awk -v d="$1" -v n="$(kv "$2" messages)" -v t="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", n ? d / t / n * 1e6 : 0 }'; }

# The shipped greylisting scenario with a one-second window, so that after one warm-up message every RCPT passes
# it, each with one keyed lookup.
GREYLIST=$WORK/greylist.yaml
sed 's/^    for: 30s$/    for: 1s/' "$REPO_DIR/scenarios/greylisting.yaml" >"$GREYLIST"
grep -q '^    for: 1s$' "$GREYLIST" || { echo "pg.sh: scenarios/greylisting.yaml has no 'for: 30s' line to shorten" >&2; exit 1; }

# keyed NAME ARGS...: the greylisting run: warm-up (451), the window passes, then N messages.
keyed() {
  local name=$1; shift
  serve "$name" --max-messages 2000000 --scenario "$GREYLIST" "$@"
  bench throughput --port "$SMTP_PORT" --messages 1 --sessions 1 --size "$SIZE" --max-seconds 10 >/dev/null 2>&1
  bsleep 1.2
  local c0 c1 rt0 rt1 line
  if [[ -n ${REDIS_PORT:-} && $* == *redis* ]]; then c0=$(redis_calls); rt0=$(proc_ticks "$REDIS_PID"); fi
  line=$(throughput "$N")
  if [[ -n ${c0:-} ]]; then
    c1=$(redis_calls); rt1=$(proc_ticks "$REDIS_PID")
    line+=" $(redis_per_msg "$c0" "$c1" "$(kv "$line" messages)")"
    line+=" redis_cpu_us_per_msg=$(per_msg $((rt1 - rt0)) "$line")"
  fi
  echo "$line"
  unserve
}

phase_state() {
  say "## state: greylisting rule on RCPT, $N x $SIZE B, $SESSIONS sessions, in-memory store, $REPS runs each"
  local r
  for ((r = 1; r <= REPS; r++)); do
    lock
    say "run $r before: $(load)"
    say "memory $(keyed "grey-mem-$r")"
    say "redis  $(keyed "grey-redis-$r" --state "redis://127.0.0.1:$REDIS_PORT")"
    say "run $r after: $(load)"
    unlock
  done
}

# fill_smtp N CHUNK: N messages through SMTP (smtp-source, a distinct recipient each), timed under the lock.
fill_smtp() {
  fill_lock
  t0=$(now_us)
  timeout 300 smtp-source -d -s "$SESSIONS" -m "$1" -l "$FILL_SIZE" -N -M localhost -f from@example.com \
    -t "c$2.to@example.com" "127.0.0.1:$SMTP_PORT" 2>>"$OUT/logs/smtp-source.err"
  t1=$(now_us)
  fill_unlock
}
# With FILL_LOCK=0 the fill's chunks run without the lock (their rates are then indicative only); the API's
# latencies are measured under it either way.
fill_lock() { [[ $FILL_LOCK == 0 ]] || lock; }
fill_unlock() { [[ $FILL_LOCK == 0 ]] || unlock; }

# fill_sql N FIRST: N rows by one INSERT ... SELECT, each a copy of the oldest captured message with its own id
# (bulk-FIRST...), an older time and its own recipient (FIRST...bulk.to@example.com), timed under the lock.
fill_sql() {
  fill_lock
  t0=$(now_us)
  psql_do smtpmock "INSERT INTO smtpmock_messages (id, received_at, session_id, client, helo, sender, recipients, envelope, tls, auth_user,
      auth_mechanism, subject, message_id, summary, attachments, body_text, size, tags, tag_keys, content, search_text, raw_text, origin_kind, origin_id)
    SELECT 'bulk-' || g, t.received_at - g * interval '1 millisecond', t.session_id, t.client, t.helo, t.sender, g || 'bulk.to@example.com',
      t.envelope, t.tls, t.auth_user, t.auth_mechanism, t.subject, t.message_id, t.summary, t.attachments, t.body_text, t.size, t.tags,
      t.tag_keys, t.content, t.search_text, t.raw_text, t.origin_kind, t.origin_id
    FROM (SELECT * FROM smtpmock_messages ORDER BY received_at LIMIT 1) t, generate_series($2, $2 + $1 - 1) g" >/dev/null
  t1=$(now_us)
  fill_unlock
}

phase_fill() {
  local how="through SMTP (smtp-source -d -s $SESSIONS -N), chunks of $FILL_CHUNK"
  [[ $FILL_MODE == sql ]] && how="first and last $FILL_SMTP through SMTP (smtp-source -d -s $SESSIONS -N), the rest by INSERT ... SELECT in chunks of $FILL_CHUNK"
  say "## fill: PostgreSQL store to $FILL messages of $FILL_SIZE B, $how"
  serve fill --max-messages 2000000 --store "$PG_URI"
  local sampler have chunk=0 t0 t1 rate n via bulk=1
  ( while kill -0 "$SMTP_PID" 2>/dev/null; do
      echo "$(date -u +%s) $(psql_do smtpmock 'SELECT messages FROM smtpmock_message_totals' 2>/dev/null) $(proc_field "$SMTP_PID" VmRSS) $(proc_field "$SMTP_PID" VmHWM)"
      bsleep 2
    done ) >"$OUT/fill-rss.tsv" &
  sampler=$!
  say "messages rss_kib hwm_kib how chunk_msgs_per_s load"
  have=$(psql_do smtpmock 'SELECT messages FROM smtpmock_message_totals')
  say "$have $(proc_field "$SMTP_PID" VmRSS) $(proc_field "$SMTP_PID" VmHWM) - - $(load)"
  while (( have < FILL )); do
    chunk=$((chunk + 1))
    n=$(( FILL - have < FILL_CHUNK ? FILL - have : FILL_CHUNK ))
    if [[ $FILL_MODE == sql ]] && (( chunk == 1 || FILL - have <= FILL_SMTP )); then
      n=$(( FILL - have < FILL_SMTP ? FILL - have : FILL_SMTP )); via=smtp; fill_smtp "$n" "$chunk"
    elif [[ $FILL_MODE == sql ]]; then
      n=$(( FILL - FILL_SMTP - have < n ? FILL - FILL_SMTP - have : n )); via=sql; fill_sql "$n" "$bulk"; bulk=$((bulk + n))
    else
      via=smtp; fill_smtp "$n" "$chunk"
    fi
    rate=$(awk -v n="$n" -v d=$((t1 - t0)) 'BEGIN { printf "%.0f", n / (d / 1e6) }')
    have=$(psql_do smtpmock 'SELECT messages FROM smtpmock_message_totals')
    say "$have $(proc_field "$SMTP_PID" VmRSS) $(proc_field "$SMTP_PID" VmHWM) $via $rate $(load)"
    (( chunk < 100 )) || break
  done
  say "table: $(psql_do smtpmock "SELECT pg_size_pretty(pg_total_relation_size('smtpmock_messages'))")"
  say "## API at $have messages: $QUERIES requests each (after 20 warm-up), one client, keep-alive"
  say "before: $(load)"
  # Addresses spread over the whole store (a 0.1% block sample), searched in turn.
  psql_do smtpmock "SELECT split_part(recipients, E'\\n', 1) FROM smtpmock_messages TABLESAMPLE SYSTEM (0.1) LIMIT $QUERIES" >"$WORK/recipients.txt"
  say "recipients searched: $(wc -l <"$WORK/recipients.txt"), e.g. $(head -1 "$WORK/recipients.txt")"
  locked python3 "$BENCH_DIR/api_latency.py" --port "$HTTP_PORT" --requests "$QUERIES" --searches "$SEARCHES" --recipients "$WORK/recipients.txt" \
    | tee -a "$OUT/summary.txt"
  say "after: $(load); server VmRSS $(proc_field "$SMTP_PID" VmRSS) KiB, VmHWM $(proc_field "$SMTP_PID" VmHWM) KiB"
  unserve
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
}

# --- run ------------------------------------------------------------------------------------------------------
{
  echo "date: $(date -u +%FT%TZ)"
  echo "git: $(git -C "$REPO_DIR" rev-parse --short HEAD) dirty_files_in_src=$(git -C "$REPO_DIR" status --porcelain src | wc -l)"
  echo "smtpmock: $SMTPMOCK"
  echo "postgres: $("$PG_BIN/postgres" --version)  redis: $(redis-server --version | cut -d' ' -f3)"
  echo "knobs: REPS=$REPS N=$N SESSIONS=$SESSIONS SIZE=$SIZE FILL=$FILL FILL_CHUNK=$FILL_CHUNK FILL_SIZE=$FILL_SIZE FILL_MODE=$FILL_MODE FILL_SMTP=$FILL_SMTP FILL_LOCK=$FILL_LOCK QUERIES=$QUERIES"
  echo "cores: $(nproc); $(load)"
} | tee "$OUT/env.txt" >>"$OUT/summary.txt"
cat "$OUT/env.txt"
start_postgres
start_redis
for phase in "${PHASES[@]}"; do
  case $phase in
    capture) phase_capture ;;
    state) phase_state ;;
    fill) phase_fill ;;
    *) echo "pg.sh: unknown phase $phase (capture, state, fill)" >&2; exit 2 ;;
  esac
done
echo "pg.sh: results in $OUT"
