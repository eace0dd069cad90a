#!/bin/bash
# Regenerates PublicAPI.Shipped.txt for the library projects from the analyzer's RS0016 diagnostics.
set -e
cd /work/main
projects="src/SmtpMock.Protocol src/SmtpMock.Server src/SmtpMock.Testing"
for p in $projects; do printf '#nullable enable\n' > $p/PublicAPI.Shipped.txt; printf '#nullable enable\n' > $p/PublicAPI.Unshipped.txt; done
for p in $projects; do
  name=$(basename $p)
  flock /tmp/smtpmock-build.lock dotnet build $p -v q -nologo -p:TreatWarningsAsErrors=false --no-incremental 2>&1 \
    | grep "RS0016" | grep "/$name/" | sed -E "s/.*Symbol '(.*)' is not part of the declared public API.*/\1/" | sort -u >> $p/PublicAPI.Shipped.txt || true
  echo "$p: $(($(wc -l < $p/PublicAPI.Shipped.txt)-1)) symbols"
done
