#!/bin/bash
# Adds what the code makes public now and the lists do not yet hold (the analyzer's RS0016) to each library project's
# PublicAPI.Unshipped.txt, in one build. For a deliberate change of the public surface; review the diff after it.
# (tools/publicapi.sh rewrites the lists whole instead.)
set -euo pipefail
cd "$(dirname "$0")/.."
projects="src/SmtpMock.Protocol src/SmtpMock.Server src/SmtpMock.Testing src/SmtpMock.Control"
log=$(mktemp)
for p in $projects; do dotnet build "$p" -v q -nologo -p:TreatWarningsAsErrors=false >> "$log" 2>&1 || true; done
for p in $projects; do
  name=$(basename "$p")
  grep "RS0016" "$log" | grep "/$name/" | sed -E "s/.*Symbol '(.*)' is not part of the declared public API.*/\1/" | sort -u > "$log.$name" || true
  if [ -s "$log.$name" ]; then
    cat "$log.$name" >> "$p/PublicAPI.Unshipped.txt"
    echo "$p: $(wc -l < "$log.$name") symbols added"
  fi
  rm -f "$log.$name"
done
rm -f "$log"
