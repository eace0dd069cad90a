#!/usr/bin/env bash
# SmtpMock.Testing, as a user gets it (issue #19): packs every package with README's command, creates a brand-new
# test project with `dotnet new nunit` in a temporary folder outside the repository, adds SmtpMock.Testing from the
# packed folder (through README's nuget.config) and MailKit from NuGet as README says, puts README's example in
# place of the template's test, and runs `dotnet test`: the one test must pass with whatever NUnit the template
# gives. Both README blocks are read between their markers, so README and this check cannot drift.
# Exit 0 when it does. Locally, take the build lock: flock -o /tmp/smtpmock-build.lock .ci/fixture-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "fixture-check: $*" >&2; exit 1; }
case "$work/" in "$repo"/*) fail "the temporary folder $work is inside the repository" ;; esac

# README's block between "<!-- NAME:begin -->" and "<!-- NAME:end -->" into OUT; the same rule as
# tests/SmtpMock.Testing.Tests/ReadmeSyncTests.cs: the begin marker, a ```LANG line, the text, a ``` line, the end marker.
readme_block() {  # NAME LANG OUT
  awk -v name="$1" -v lang="$2" -v out="$3" '
    $0 == "<!-- " name ":begin -->" { begins++; state = 1; next }
    state == 1 { if ($0 != "```" lang) exit 3; state = 2; next }
    state == 2 && $0 == "```" { state = 3; next }
    state == 2 { print > out; next }
    state == 3 { if ($0 != "<!-- " name ":end -->") exit 3; state = 4 }
    END { if (state != 4 || begins != 1) exit 3 }
  ' README.md || fail "README.md needs one '<!-- $1:begin -->', a \`\`\`$2 block, then '<!-- $1:end -->'"
}
mkdir "$work/readme"  # not $work itself: a nuget.config there would apply to the new project below
readme_block fixture-example csharp "$work/readme/example.cs"
readme_block nuget-config xml "$work/readme/nuget.config"
grep -q 'value="path/to/smtpmock/artifacts"' "$work/readme/nuget.config" || fail "README's nuget.config does not list path/to/smtpmock/artifacts"

SECONDS=0
dotnet pack -c Release -o "$work/artifacts" -v q -nologo --disable-build-servers >"$work/pack.log" 2>&1 \
  || { cat "$work/pack.log" >&2; fail "dotnet pack -c Release -o DIR failed"; }
for id in SmtpMock.Protocol SmtpMock.Server SmtpMock.Testing; do
  ls "$work/artifacts/$id".[0-9]*.nupkg >/dev/null 2>&1 || fail "dotnet pack made no $id package"
done

packed=$SECONDS
# The new project restores into a private package folder, so a stale SmtpMock.Testing 0.1.0 in ~/.nuget/packages is
# never used (the pack above keeps the usual folder: it restored the repository's own projects, whose obj/ must not
# point at a folder deleted on exit).
export NUGET_PACKAGES="$work/packages"
cd "$work"
dotnet new nunit -n MyApp.Tests -o MyApp.Tests --no-update-check >"$work/new.log" 2>&1 \
  || { cat "$work/new.log" >&2; fail "dotnet new nunit failed"; }
# dotnet new exits 0 when its restore (a post action) fails.
! grep -q "Post action failed" "$work/new.log" || { cat "$work/new.log" >&2; fail "dotnet new nunit could not restore"; }
cd MyApp.Tests
nunit=$(sed -n 's/.*Include="NUnit" Version="\([^"]*\)".*/\1/p' MyApp.Tests.csproj)
rm -f UnitTest1.cs
cp "$work/readme/example.cs" SignupMailTests.cs
# README's nuget.config, with the packed folder for path/to/smtpmock/artifacts, then README's two commands.
sed "s|path/to/smtpmock/artifacts|$work/artifacts|" "$work/readme/nuget.config" >nuget.config
dotnet add package SmtpMock.Testing >"$work/add.log" 2>&1 \
  || { cat "$work/add.log" >&2; fail "dotnet add package SmtpMock.Testing failed"; }
dotnet add package MailKit >"$work/add.log" 2>&1 || { cat "$work/add.log" >&2; fail "dotnet add package MailKit failed"; }

added=$SECONDS
dotnet test --disable-build-servers >"$work/test.log" 2>&1 || { cat "$work/test.log" >&2; fail "dotnet test failed"; }
grep -Eq 'Passed!\s+-\s+Failed:\s+0,\s+Passed:\s+1,\s+Skipped:\s+0,\s+Total:\s+1,' "$work/test.log" \
  || { cat "$work/test.log" >&2; fail "README's example did not run as exactly one passing test"; }
echo "fixture-check: README's example passes in a fresh 'dotnet new nunit' project (NUnit ${nunit:-?}) with the packed SmtpMock.Testing (pack ${packed} s, new project and packages $((added - packed)) s, test $((SECONDS - added)) s)"
