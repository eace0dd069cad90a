#!/usr/bin/env bash
# Fuzz a target with AFL++ and SharpFuzz for a bounded time; loopback-free, no network.
#   fuzz/run.sh [SECONDS=60] [session|scenario]
# Prints executions and crashes; new crashes are copied to fuzz/crashes/TARGET/ (commit them: the replay test
# in tests/ then keeps them as regressions). Exits 1 if the run found a crash, unless FUZZ_CRASH_OK=1 (CI: a
# crash is reported loudly, with the input saved, but does not by itself stop a landing).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
target=${2:-session}
case "$target" in session|scenario) ;; *) echo "target must be session or scenario" >&2; exit 2 ;; esac

if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "installing afl++ (Debian)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null; }
fi

tools=fuzz/.tools
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

build=fuzz/.build
rm -rf "$build"
dotnet publish fuzz/SmtpMock.Fuzz -c Release -o "$build" -p:PublishAot=false -v q >/dev/null
# SharpFuzz adds AFL's edge coverage to our own assemblies, in place.
"$tools/sharpfuzz" "$build/SmtpMock.Protocol.dll" >/dev/null
"$tools/sharpfuzz" "$build/SmtpMock.Server.dll" >/dev/null

findings="fuzz/findings/$target"
rm -rf "$findings"
mkdir -p fuzz/findings
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1
timeout $((secs + 60)) afl-fuzz -V "$secs" -i "fuzz/seeds/$target" -o "$findings" -x fuzz/smtp.dict -t 10000 -m none \
  -- dotnet "$build/SmtpMock.Fuzz.dll" "$target" > "$findings.log" 2>&1 || true

stats="$findings/default/fuzzer_stats"
if [ ! -f "$stats" ] || [ "$(awk -F: '/^execs_done/ {gsub(/ /,"",$2); print $2}' "$stats")" = 0 ]; then
  echo "afl-fuzz did not start; its log:" >&2
  tail -30 "$findings.log" >&2
  exit 1
fi

execs=$(awk -F: '/^execs_done/ {gsub(/ /,"",$2); print $2}' "$stats")
paths=$(awk -F: '/^corpus_count/ {gsub(/ /,"",$2); print $2}' "$stats")
crashes=$(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
hangs=$(find "$findings/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "fuzz $target: ${secs}s, $execs executions, $paths corpus entries, $crashes crashes, $hangs hangs"
if [ "$crashes" -gt 0 ]; then
  mkdir -p "fuzz/crashes/$target"
  for f in "$findings"/default/crashes/id:*; do cp "$f" "fuzz/crashes/$target/$(sha1sum "$f" | cut -c1-12)"; done
  echo "crashes copied to fuzz/crashes/$target/; replay: dotnet $build/SmtpMock.Fuzz.dll replay $target fuzz/crashes/$target/*" >&2
  [ "${FUZZ_CRASH_OK:-0}" = 1 ] && { echo "!! FUZZ CRASH FOUND (reported, not failing: FUZZ_CRASH_OK=1)" >&2; exit 0; }
  exit 1
fi
