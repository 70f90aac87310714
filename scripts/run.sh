#!/usr/bin/env bash
# Entry point of the npm scripts: installs what is missing, then runs the task on Node 24.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/setup.sh"
source "$here/env.sh"
cd "$SEMAPHORE_ROOT"
task="${1:?usage: run.sh test|start|bench|check}"; shift
case "$task" in
  check) tsc --noEmit -p tsconfig.json && biome check . ;;
  test) tsc --noEmit -p tsconfig.json && biome check . && vitest run "$@" ;;
  start) exec tsx infra/local/main.ts "$@" ;;
  bench) tsx test/bench/main.ts "$@" && exec tsx test/bench/consumer-batch.ts ;;
  *) echo "unknown task: $task" >&2; exit 2 ;;
esac
