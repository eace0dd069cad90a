#!/bin/bash
# Rewrites PublicAPI.Shipped.txt of each library project from what the code makes public now (the analyzer's RS0016
# diagnostics), for when the public surface changed on purpose. Review the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
projects="src/SmtpMock.Protocol src/SmtpMock.Server src/SmtpMock.Testing src/SmtpMock.Control"
for p in $projects; do printf '#nullable enable\n' > "$p/PublicAPI.Shipped.txt"; printf '#nullable enable\n' > "$p/PublicAPI.Unshipped.txt"; done
for p in $projects; do
  name=$(basename "$p")
  dotnet build "$p" -v q -nologo -p:TreatWarningsAsErrors=false --no-incremental 2>&1 \
    | grep "RS0016" | grep "/$name/" | sed -E "s/.*Symbol '(.*)' is not part of the declared public API.*/\1/" | sort -u >> "$p/PublicAPI.Shipped.txt" || true
  echo "$p: $(($(wc -l < "$p/PublicAPI.Shipped.txt") - 1)) public symbols"
done
