#!/usr/bin/env bash
# ci/test.sh: your tests beside a sandbox, on any CI that runs a shell (GitLab, Jenkins, Buildkite, …).
set -euo pipefail
npm ci
npx medblocks-sandbox exec -- npm test
