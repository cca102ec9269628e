#!/usr/bin/env bash
# `npm test`: everything CI runs. Every step runs even when an earlier one
# fails; the last lines are the failed tests by name, if any, then vitest's
# totals, `N passed, N failed`.
#
# Each package is built and packed once, first (scripts/pack.ts, into the
# folder MEDBLOCKS_PACKED names for every later step: scripts/lib/packed.ts
# says who uses it). The checks that need no build run beside the packing,
# the checks of the build beside vitest; their output follows vitest's. The
# root project's tsc is vitest's `types` project; examples/nextjs is
# type-checked by the `next build` of its browser tests.
#
# Each step runs in a process group of its own; on an interrupt every step
# still running is stopped by its group's id (SIGTERM, then SIGKILL).
set -uo pipefail
cd "$(dirname "$0")/.."
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

work=$(mktemp -d)
export MEDBLOCKS_PACKED="$work/packed"
results="$work/vitest.json"
running=() # pids (= process group ids) of the steps not yet waited for
queued=()  # background steps, in the order their output is printed
failed=()

stop_running() {
  [ ${#running[@]} -gt 0 ] || return 0
  local pid
  for pid in "${running[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  for _ in $(seq 50); do
    local alive=0
    for pid in "${running[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.2
  done
  for pid in "${running[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
  running=()
}
trap 'stop_running; rm -rf "$work"' EXIT
for signal in INT:130 TERM:143 HUP:129; do
  trap "echo; echo 'npm test: interrupted, stopping its steps'; exit ${signal#*:}" "${signal%:*}"
done

# The step runner (bash -c, with $0 the step's file prefix, then `log` or `-`, then the command):
# the command's output to PREFIX.log (or as it comes, for `-`), then PREFIX.done with its exit code,
# its wall time and the CPU time of the command and of everything it waited for.
step_runner='
  mode=$1; shift
  t0=$EPOCHREALTIME
  if [ "$mode" = "-" ]; then "$@" </dev/null; else "$@" </dev/null >"$0.log" 2>&1; fi
  code=$?
  t1=$EPOCHREALTIME
  times >"$0.times"
  cpu=$(awk "NR == 2 { gsub(/[ms]/, \" \"); print \$1 * 60 + \$2 + \$3 * 60 + \$4 }" "$0.times")
  echo "$code $(awk -v a="$t0" -v b="$t1" "BEGIN { print b - a }") $cpu" >"$0.done"
'

# launch ID OUTPUT COMMAND...: starts COMMAND as a step in its own session (its pid is its group's id).
launch() {
  local id=$1 output=$2
  shift 2
  setsid bash -c "$step_runner" "$work/$id" "$output" "$@" &
  running+=($!)
  last_pid=$!
}

# finish ID NAME PID: waits for the step, prints its line (and its log, if it kept one), records a failure.
finish() {
  local id=$1 name=$2 pid=$3
  wait "$pid" 2>/dev/null
  local remaining=() other
  for other in "${running[@]}"; do [ "$other" = "$pid" ] || remaining+=("$other"); done
  running=(${remaining[@]+"${remaining[@]}"})
  local code=1 wall=0 cpu=0
  [ -f "$work/$id.done" ] && read -r code wall cpu <"$work/$id.done"
  local verdict=passed
  [ "$code" -eq 0 ] || { verdict="FAILED (exit $code)"; failed+=("$name"); }
  printf -- "── %s: %s in %.0f s (%.0f s CPU)\n" "$name" "$verdict" "$wall" "$cpu"
  [ -f "$work/$id.log" ] && cat "$work/$id.log"
  return 0
}

# background ID NAME COMMAND...: a step whose output is printed after vitest's.
background() {
  local id=$1 name=$2
  shift 2
  launch "$id" log "$@"
  queued+=("$id|$name|$last_pid")
}

background lint "spec lint (Redocly, redocly.yaml)" bash scripts/lint.sh
background code "code habits (scripts/check-code.sh: formatting, lint, import boundaries, line length)" bash scripts/check-code.sh
background drift "generated/ drift" bash scripts/check-generated.sh
background typecheck "type-check (examples/express; the root project is vitest's types project, examples/nextjs next build's)" \
  node_modules/.bin/tsc -p examples/express/tsconfig.json

launch pack log node_modules/.bin/tsx scripts/pack.ts "$MEDBLOCKS_PACKED"
finish pack "build and pack every package (scripts/pack.ts: each prepack builds its dist/)" "$last_pid"
if [ ! -f "$MEDBLOCKS_PACKED/packed.json" ]; then
  # The tests then pack and build for themselves, as when run alone, and say what fails.
  unset MEDBLOCKS_PACKED
fi

background size "bundle size (.size-limit.json, on the built client/dist/)" node_modules/.bin/size-limit
background api "API report (api/medblocks-client.api.md, on the built client/dist/types)" node_modules/.bin/tsx scripts/api-report.ts
background packages "package checks (publint, attw and the READMEs' links on every packed package)" \
  node_modules/.bin/tsx scripts/check-packages.ts

echo "── vitest (beside it: spec lint, code habits, generated/ drift, type-check, bundle size, API report, package checks;" \
  "their output follows)"
launch vitest - node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$results"
finish vitest "vitest" "$last_pid"
for entry in "${queued[@]}"; do
  IFS='|' read -r id name pid <<<"$entry"
  finish "$id" "$name" "$pid"
done

if [ ${#failed[@]} -gt 0 ]; then printf 'failed steps: %s\n' "$(IFS=,; echo "${failed[*]}" | sed 's/,/, /g')"; fi
vitest_failed=0
for name in ${failed[@]+"${failed[@]}"}; do [ "$name" = vitest ] && vitest_failed=1; done
node -e '
  const fs = require("node:fs");
  let r = {};
  try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { console.log("vitest wrote no results"); }
  if (process.argv[2] === "1" && !r.numFailedTests)
    console.log("vitest failed outside its tests (an error in a file it loaded or type-checked: see its output above)");
  // The failed tests by name, just above the totals, so that the last lines of a long log say which.
  const root = process.cwd() + "/";
  for (const file of r.testResults ?? [])
    for (const test of file.assertionResults ?? [])
      if (test.status === "failed") console.log(`failed: ${file.name.replace(root, "")} > ${test.fullName}`);
  console.log(`${r.numPassedTests ?? 0} passed, ${r.numFailedTests ?? 0} failed`);
' "$results" "$vitest_failed"
[ ${#failed[@]} -eq 0 ]
