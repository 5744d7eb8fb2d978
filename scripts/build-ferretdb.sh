#!/usr/bin/env bash
# Builds tools/ferretdb (FerretDB v1, SQLite backend) into .cache/bin/ferretdb-test, the
# MongoDB-compatible server the store tests use. Does nothing when the binary is newer
# than its sources. The first build downloads Go modules and takes a few minutes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/tools/ferretdb"
out="$root/.cache/bin/ferretdb-test"

if [[ -x "$out" ]] && [[ -z "$(find "$src" -type f -newer "$out" -print -quit)" ]]; then
  echo "ferretdb-test is up to date: $out"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "build-ferretdb: Go is not installed (https://go.dev/doc/install); it is needed to build $out" >&2
  exit 1
fi

mkdir -p "$(dirname "$out")"
start=$(date +%s)
echo "building ferretdb-test with $(go version | cut -d' ' -f3) …"
# Pure Go (modernc SQLite), so no C toolchain is needed; build to a temporary name so an
# interrupted build never leaves a half-written binary that looks up to date.
(cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$out.tmp" .)
mv "$out.tmp" "$out"
echo "built $out in $(($(date +%s) - start))s"
