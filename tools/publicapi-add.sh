#!/bin/bash
# Brings each library project's public API lists in step with the code, in one build per project: what the code makes
# public and the lists lack (RS0016) is added to PublicAPI.Unshipped.txt, what the lists hold and the code no longer
# has (RS0017) is removed from both lists. For a deliberate change of the public surface; review the diff after it.
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
  grep "RS0017" "$log" | grep "/$name/" | sed -E "s/.*Symbol '(.*)' is part of the declared API.*/\1/" | sort -u > "$log.$name.gone" || true
  if [ -s "$log.$name.gone" ]; then
    for list in "$p/PublicAPI.Shipped.txt" "$p/PublicAPI.Unshipped.txt"; do
      grep -vxF -f "$log.$name.gone" "$list" > "$list.new" || true
      mv "$list.new" "$list"
    done
    echo "$p: $(wc -l < "$log.$name.gone") symbols removed"
  fi
  rm -f "$log.$name" "$log.$name.gone"
done
rm -f "$log"
