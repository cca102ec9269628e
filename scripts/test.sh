#!/usr/bin/env bash
# `npm test`: everything CI runs. Every step runs even when an earlier one
# fails; the last line is vitest's totals, `N passed, N failed`.
set -uo pipefail
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
failed=()
step() {
  local name=$1
  shift
  echo "── $name"
  "$@" || failed+=("$name")
}
results=$(mktemp)
trap 'rm -f "$results"' EXIT

step "lint" bash scripts/lint.sh
step "generated/ drift" bash scripts/check-generated.sh
step "type-check" npm run -s typecheck
step "bundle size (.size-limit.json, on the built client/dist/)" bash -c "npm run -s build && node_modules/.bin/size-limit"
step "API report (api/medblocks-client.api.md, on the built client/dist/types)" node_modules/.bin/tsx scripts/api-report.ts
step "package checks (publint, attw and the READMEs' links on every packed package)" node_modules/.bin/tsx scripts/check-packages.ts
step "vitest" node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$results"

if [ ${#failed[@]} -gt 0 ]; then echo "failed steps: ${failed[*]}"; fi
node -e '
  const fs = require("node:fs");
  let r = {};
  try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { console.log("vitest wrote no results"); }
  console.log(`${r.numPassedTests ?? 0} passed, ${r.numFailedTests ?? 0} failed`);
' "$results"
[ ${#failed[@]} -eq 0 ]
