#!/usr/bin/env bash
# tests/soak/run.sh N: the connection churn of tests/SmtpMock.Load.Tests (Churn/ChurnTests.cs) with N sessions
# against one smtpmock process, Release build, and its figures: RSS, descriptors and threads after each tenth of
# the run (N/10 and N compared), sessions and acknowledged messages a second, the duration, and the machine's load
# (uptime) before and after. N is at least 5000; CI runs 20000 (.ci/run), docs/reliability.md has a 100000 run.
# Exit code: the test's (0 when every check held).
set -uo pipefail
cd "$(dirname "$0")/../.."

n=${1:-}
if ! [[ $n =~ ^[0-9]+$ ]] || (( n < 5000 )); then
  echo "usage: tests/soak/run.sh SESSIONS   (a whole number, at least 5000)" >&2
  exit 2
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "date:   $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
echo "load before: $(uptime)"
SMTPMOCK_CHURN_SESSIONS=$n dotnet test tests/SmtpMock.Load.Tests -c Release \
  --filter "FullyQualifiedName~SmtpMock.Load.Tests.Churn" --logger "console;verbosity=detailed" >"$log" 2>&1
status=$?
echo "load after:  $(uptime)"
# The detailed console logger prints a test's output twice (as it comes, and again under its result): once here.
grep -o 'churn: .*' "$log" | awk '!seen[$0]++'
if [ "$status" -ne 0 ]; then
  echo "!! the churn test failed:" >&2
  sed -n '/Error Message:/,/Stack Trace:/p' "$log" >&2
  grep -E 'error|Failed' "$log" | head -20 >&2
fi
exit "$status"
