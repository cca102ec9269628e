#!/usr/bin/env bash
# `npm run check:code` (a step of `npm test`): the code's habits, each checked even when another
# fails. Formatting and lint (Biome, biome.jsonc), the import boundaries (dependency-cruiser,
# .dependency-cruiser.cjs) and no line over 140 characters (scripts/check-line-length.ts).
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
check() {
  local name=$1
  shift
  "$@" || failed+=("$name")
}
check "formatting and lint (\`npm run format\` fixes the formatting)" \
  node_modules/.bin/biome ci --error-on-warnings --max-diagnostics=100 --colors=off .
check "import boundaries" npm run -s check:boundaries
check "line length" npm run -s check:lines
if [ ${#failed[@]} -gt 0 ]; then
  printf 'check:code failed: %s\n' "$(IFS=,; echo "${failed[*]}" | sed 's/,/, /g')"
  exit 1
fi
echo "check:code: formatted, no lint finding, import boundaries kept, no line over 140 characters"
