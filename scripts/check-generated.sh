#!/usr/bin/env bash
# Fails when generated/ differs from what `npm run generate` makes from spec/.
set -euo pipefail
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
node_modules/.bin/tsx scripts/generate.ts --out "$fresh" > /dev/null 2>&1 || {
  echo "generate failed; run \`npm run generate\` to see why" >&2
  exit 1
}
if ! diff -r -u generated "$fresh" > "$fresh.diff" 2>&1; then
  head -40 "$fresh.diff" >&2
  rm -f "$fresh.diff"
  echo "generated/ is stale: run \`npm run generate\` and commit the result" >&2
  exit 1
fi
rm -f "$fresh.diff"
echo "generated/ is up to date"
