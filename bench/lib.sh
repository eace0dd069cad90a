# Bash helpers for compare.sh (source this file). Bash >= 5 (EPOCHREALTIME).
# Adapted from the team's reference harness (/work/shared/bench/lib.sh); proc_ticks added.

# now_us: wall clock in microseconds, no fork.
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

# bsleep SECONDS: builtin sleep (no fork), via a read timeout on a pipe that never
# gets data.
bsleep() {
  [[ -n ${_BSLEEP_FD:-} ]] || exec {_BSLEEP_FD}<> <(:)
  read -r -t "$1" -u "$_BSLEEP_FD" _ || true
}

is_loopback() { case "$1" in 127.*|localhost|::1|'[::1]') return 0 ;; *) return 1 ;; esac; }

# free_port [LO] [HI]: a TCP port with no listener on this machine.
free_port() {
  local lo=${1:-20000} hi=${2:-29999} p i
  for ((i = 0; i < 200; i++)); do
    p=$(( lo + RANDOM % (hi - lo) ))
    if [[ -z $(ss -Hltn "sport = :$p" 2>/dev/null) ]] && [[ -z $(ss -Hltn "sport = :$((p + 1))" 2>/dev/null) ]]; then
      echo "$p"; return 0
    fi
  done
  return 1
}

# wait_banner HOST PORT [TIMEOUT_S=15]: polls (every ~2 ms) until a connection to
# HOST:PORT yields a line starting with 220, then sends QUIT and closes.
# Returns 0 on success, 1 on timeout. Uses bash /dev/tcp, no forks.
wait_banner() {
  local host=$1 port=$2 tmo=${3:-15} fd line
  is_loopback "$host" || { echo "wait_banner: loopback only" >&2; return 2; }
  local deadline=$(( $(now_us) + tmo * 1000000 ))
  while (( $(now_us) < deadline )); do
    if { exec {fd}<>"/dev/tcp/$host/$port"; } 2>/dev/null; then
      if IFS= read -r -t 5 -u "$fd" line && [[ $line == 220* ]]; then
        printf 'QUIT\r\n' >&"$fd" 2>/dev/null
        exec {fd}>&-
        return 0
      fi
      exec {fd}>&-
    fi
    bsleep 0.002
  done
  return 1
}

# proc_field PID FIELD: value (kB) of a /proc/PID/status field, e.g. VmHWM, VmRSS.
proc_field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null; }

# proc_ticks PID: user+system CPU clock ticks (CLK_TCK per second) used so far by PID, all its threads.
proc_ticks() {
  local stat rest
  stat=$(<"/proc/$1/stat") || return 1
  rest=${stat##*) }
  read -r -a f <<<"$rest"
  echo $(( f[11] + f[12] ))
}

# proc_cpu_s PID: user+system CPU seconds used so far by PID (own threads, not children).
proc_cpu_s() {
  local stat rest tck
  stat=$(<"/proc/$1/stat") || return 1
  rest=${stat##*) }                      # drop "pid (comm) "
  read -r -a f <<<"$rest"                # f[0] = state (field 3)
  tck=$(getconf CLK_TCK)
  awk -v u="${f[11]}" -v s="${f[12]}" -v t="$tck" 'BEGIN { printf "%.2f", (u + s) / t }'
}

# stop_pid PID: SIGTERM that exact PID, wait up to 5 s, then SIGKILL; reaps it if it
# is our child.
stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 250; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    bsleep 0.02
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

# median V1 V2 ...: median of numbers (middle one, or mean of the two middle ones).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "NA"; exit }
    if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
