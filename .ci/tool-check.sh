#!/usr/bin/env bash
# The dotnet tool, as a user gets it: packs SmtpMock.Cli from a clean copy of HEAD (git archive, so no stale
# bin/ or obj/), installs it into a temporary --tool-path from that package, and runs the installed smtpmock:
# --help, codes 503, and a server on a free port (HTTP on a free port too) that must greet with 220 (and pass its
# own health check).
# Exit 0 when all of that works. Locally, take the build lock: flock -o /tmp/smtpmock-build.lock .ci/tool-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "tool-check: $*" >&2; [ -f "$work/serve.log" ] && cat "$work/serve.log" >&2; exit 1; }

mkdir "$work/src"
git archive HEAD | tar -x -C "$work/src"
dotnet pack "$work/src/src/SmtpMock.Cli" -c Release -o "$work/artifacts" -v q -nologo --disable-build-servers \
  || fail "dotnet pack failed"
# A private package folder, so an older SmtpMock.Cli of the same version in ~/.nuget/packages is never used.
NUGET_PACKAGES="$work/packages" dotnet tool install --tool-path "$work/tools" --add-source "$work/artifacts" SmtpMock.Cli \
  || fail "dotnet tool install failed"
smtpmock="$work/tools/smtpmock"

"$smtpmock" --help >"$work/help.txt" || fail "smtpmock --help exited $?"
for word in serve validate send codes health; do
  grep -q "^  $word" "$work/help.txt" || fail "smtpmock --help does not list $word"
done
"$smtpmock" codes 503 | head -1 | grep -qx "503 Bad sequence of commands" || fail "smtpmock codes 503 does not explain 503"

"$smtpmock" --port 0 --http-port 0 >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  grep -q "listening on" "$work/serve.log" && break
  kill -0 "$pid" 2>/dev/null || fail "smtpmock --port 0 exited before listening"
  sleep 0.1
done
port=$(grep -o 'smtp://127.0.0.1:[0-9]*' "$work/serve.log" | head -1 | sed 's/.*://')
[ -n "$port" ] || fail "no 'listening on smtp://127.0.0.1:PORT' line within 30 s"

exec 3<>"/dev/tcp/127.0.0.1/$port"
IFS= read -r -t 10 greeting <&3 || fail "no greeting from port $port"
printf 'QUIT\r\n' >&3
IFS= read -r -t 10 bye <&3 || fail "no reply to QUIT"
exec 3>&-
[[ $greeting == "220 "* ]] || fail "greeting was '$greeting', not 220"
[[ $bye == "221 "* ]] || fail "QUIT got '$bye', not 221"
"$smtpmock" health --port "$port" >/dev/null || fail "smtpmock health --port $port failed"

kill -TERM "$pid"
wait "$pid" || fail "smtpmock did not exit 0 on SIGTERM"
pid=
echo "tool-check: installed smtpmock works (${greeting%$'\r'})"
