#!/usr/bin/env bash
# Entry point of the npm scripts: installs what is missing, then runs the task on Node 24.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
task="${1:?usage: run.sh test|test:unit|start|bench|check}"; shift
# The unit tier and the checks need no broker and no Secrets Manager server.
case "$task" in
  test:unit|check) bash "$here/setup.sh" --node-only ;;
  *) bash "$here/setup.sh" ;;
esac
source "$here/env.sh"
cd "$SEMAPHORE_ROOT"
case "$task" in
  check) tsc --noEmit -p tsconfig.json && biome check . ;;
  test) tsc --noEmit -p tsconfig.json && biome check . && vitest run "$@" ;;
  test:unit) vitest run --project unit "$@" ;;
  start) exec tsx infra/local/main.ts "$@" ;;
  bench) exec tsx test/bench/main.ts "$@" ;;
  *) echo "unknown task: $task" >&2; exit 2 ;;
esac
