#!/usr/bin/env bash
# Prism mock of the bundled spec in the foreground, for people: PORT=4010 by default.
set -euo pipefail
exec node_modules/.bin/prism mock generated/openapi.json --errors --host 127.0.0.1 --port "${PORT:-4010}"
