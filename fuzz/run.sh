#!/usr/bin/env bash
# Fuzz a target with AFL++ and SharpFuzz, bounded in time (and, with FUZZ_EXECS, in executions); no network.
#   fuzz/run.sh [SECONDS=60] [session|scenario|mime|http]
# Starts from fuzz/seeds/TARGET plus the kept corpus fuzz/corpus/TARGET, with the dictionary fuzz/dict/TARGET.dict.
# Prints executions, rate, corpus and findings; new crashes and hangs are copied to fuzz/crashes/TARGET/ (commit
# them: the replay test in tests/ then keeps them as regressions). Exits 1 on a crash or hang, unless FUZZ_CRASH_OK=1
# (CI: a finding is reported loudly, with the input saved, but does not by itself stop a landing).
# Environment:
#   FUZZ_EXECS=N          stop after about N executions (or SECONDS, whichever comes first): the long runs
#   FUZZ_KEEP_CORPUS=1    afterwards, minimise seeds + kept corpus + what the run found (afl-cmin) into fuzz/corpus/TARGET
#   SMTPMOCK_BUILD_LOCK=F take this lock (flock) around the build, the one step that competes with other builds
# Long runs: nice -n 19 fuzz/run.sh 86400 TARGET with FUZZ_EXECS=10000000 FUZZ_KEEP_CORPUS=1 (docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
target=${2:-session}
case "$target" in session|scenario|mime|http) ;; *) echo "target must be session, scenario, mime or http" >&2; exit 2 ;; esac

if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "installing afl++ (Debian)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null; }
fi

tools=fuzz/.tools
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

build=fuzz/.build/$target
rm -rf "$build"
publish=(dotnet publish fuzz/SmtpMock.Fuzz -c Release -o "$build/bin" -p:PublishAot=false -v q)
if [ -n "${SMTPMOCK_BUILD_LOCK:-}" ]; then
  flock "$SMTPMOCK_BUILD_LOCK" "${publish[@]}" >/dev/null
else
  "${publish[@]}" >/dev/null
fi
# SharpFuzz adds AFL's edge coverage, in place, to the assemblies whose code the target's input reaches.
case "$target" in
  session) instrument=(SmtpMock.Protocol SmtpMock.Server) ;;
  scenario) instrument=(SmtpMock.Protocol SmtpMock.Server YamlDotNet) ;;
  mime) instrument=(SmtpMock.Server SmtpMock.Control MimeKit) ;;
  http) instrument=(SmtpMock.Server SmtpMock.Control MimeKit YamlDotNet) ;;
esac
for assembly in "${instrument[@]}"; do "$tools/sharpfuzz" "$build/bin/$assembly.dll" >/dev/null; done

# The seeds and the kept corpus, as one input folder (AFL takes one); empty files are left out (AFL refuses them).
inputs="$build/in"
mkdir -p "$inputs"
for folder in "fuzz/seeds/$target" "fuzz/corpus/$target"; do
  [ -d "$folder" ] || continue
  find "$folder" -type f -size +0 -exec cp -t "$inputs" {} +
done

findings="fuzz/findings/$target"
rm -rf "$findings"
mkdir -p fuzz/findings
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1
limit=(-V "$secs")
[ -n "${FUZZ_EXECS:-}" ] && limit+=(-E "$FUZZ_EXECS")
run=("$(command -v dotnet)" "$build/bin/SmtpMock.Fuzz.dll" "$target")
timeout $((secs + 120)) afl-fuzz "${limit[@]}" -i "$inputs" -o "$findings" -x "fuzz/dict/$target.dict" -t 10000 -m none \
  -- "${run[@]}" > "$findings.log" 2>&1 || true

stats="$findings/default/fuzzer_stats"
stat() { awk -F: -v key="$1" '$1 ~ "^"key" *$" {gsub(/ /,"",$2); print $2}' "$stats"; }
if [ ! -f "$stats" ] || [ "$(stat execs_done)" = 0 ]; then
  echo "afl-fuzz did not start; its log:" >&2
  tail -30 "$findings.log" >&2
  exit 1
fi

execs=$(stat execs_done)
elapsed=$(( $(stat last_update) - $(stat start_time) ))
paths=$(stat corpus_count)
crashes=$(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
hangs=$(find "$findings/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "fuzz $target: ${elapsed}s, $execs executions ($(( execs / (elapsed > 0 ? elapsed : 1) ))/s), $paths corpus entries, $crashes crashes, $hangs hangs"

if [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ]; then
  # Everything the run started from or found, minimised to the inputs that keep its coverage, as the new kept corpus.
  all="$build/all" kept="$build/kept"
  mkdir -p "$all"
  cp "$inputs"/* "$all"/
  for f in "$findings"/default/queue/id:*; do cp "$f" "$all/$(sha1sum "$f" | cut -c1-12)"; done
  afl-cmin -i "$all" -o "$kept" -t 10000 -m none -- "${run[@]}" > "$findings.cmin.log" 2>&1 || { tail -20 "$findings.cmin.log" >&2; exit 1; }
  # Seeds stay in fuzz/seeds; the corpus holds the rest, each file named by its content.
  rm -rf "fuzz/corpus/$target"
  mkdir -p "fuzz/corpus/$target"
  for f in "$kept"/*; do
    name=$(sha1sum "$f" | cut -c1-12)
    cmp -s "$f" "fuzz/seeds/$target/$(basename "$f")" 2>/dev/null || cp "$f" "fuzz/corpus/$target/$name"
  done
  echo "corpus kept: $(find "fuzz/corpus/$target" -type f | wc -l) files, $(du -sh "fuzz/corpus/$target" | cut -f1) in fuzz/corpus/$target"
fi

found=$((crashes + hangs))
if [ "$found" -gt 0 ]; then
  mkdir -p "fuzz/crashes/$target"
  for f in "$findings"/default/crashes/id:* "$findings"/default/hangs/id:*; do
    [ -f "$f" ] && cp "$f" "fuzz/crashes/$target/$(sha1sum "$f" | cut -c1-12)"
  done
  echo "crashes and hangs copied to fuzz/crashes/$target/; replay: dotnet $build/bin/SmtpMock.Fuzz.dll replay $target fuzz/crashes/$target/*" >&2
  [ "${FUZZ_CRASH_OK:-0}" = 1 ] && { echo "!! FUZZ CRASH OR HANG FOUND (reported, not failing: FUZZ_CRASH_OK=1)" >&2; exit 0; }
  exit 1
fi
