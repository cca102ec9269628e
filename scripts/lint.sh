#!/usr/bin/env bash
# Lints the spec with the rules in redocly.yaml; any warning fails too.
set -euo pipefail
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
exec node_modules/.bin/redocly lint --max-problems 200 --format stylish "$@" 2> >(grep -v -e 'Node.js' -e '║' -e '╔' -e '╚' -e '^\s*$' >&2)
