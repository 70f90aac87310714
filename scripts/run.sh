#!/usr/bin/env bash
# Entry point of the npm scripts: installs what is missing, then runs the task on Node 24.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
task="${1:?usage: run.sh test|test:unit|start|invoke|topics|consume|bench|check}"; shift
# The unit tier, the checks and the Kafka tools (which talk to a running broker or cluster) need no
# broker jars and no Secrets Manager server.
case "$task" in
  test:unit|check|topics|consume) bash "$here/setup.sh" --node-only ;;
  *) bash "$here/setup.sh" ;;
esac
source "$here/env.sh"
cd "$SEMAPHORE_ROOT"
case "$task" in
  check) tsc --noEmit -p tsconfig.json && biome check . ;;
  test) tsc --noEmit -p tsconfig.json && biome check . && vitest run "$@" ;;
  test:unit) vitest run --project unit "$@" ;;
  # The local runtime runs many Kafka clients in one process (in Lambda each function has its own),
  # and librdkafka's bindings queue their calls on libuv's threadpool, 4 threads by default.
  start) UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-64}" exec tsx infra/local/main.ts "$@" ;;
  invoke) UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-64}" exec tsx infra/cli/invoke.ts "$@" ;;
  topics) exec tsx infra/cli/topics.ts "$@" ;;
  consume) exec tsx infra/cli/consume.ts "$@" ;;
  bench) exec tsx test/bench/main.ts "$@" ;;
  *) echo "unknown task: $task" >&2; exit 2 ;;
esac
