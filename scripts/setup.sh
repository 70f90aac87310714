#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine, idempotently: Debian build libraries
# for librdkafka, Node 24 (the Lambda runtime's major), npm dependencies (the Kafka client built
# from source), Apache Kafka broker jars from Maven Central, and moto's Secrets Manager server.
# Each step leaves a stamp so a second run costs seconds. `setup.sh --node-only` stops after the npm
# dependencies: enough for the unit tier, which needs no broker and no Secrets Manager server.
set -euo pipefail
node_only=false
[ "${1:-}" = "--node-only" ] && node_only=true
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$SEMAPHORE_ROOT"
mkdir -p "$SEMAPHORE_TOOLS/stamps"
log() { printf '[setup] %s\n' "$*" >&2; }
stamp_ok() { [ -f "$SEMAPHORE_TOOLS/stamps/$1" ] && [ "$(cat "$SEMAPHORE_TOOLS/stamps/$1")" = "$2" ]; }
stamp_set() { printf '%s' "$2" >"$SEMAPHORE_TOOLS/stamps/$1"; }

# 1. Debian libraries that librdkafka links against when built from source.
# gcc-aarch64-linux-gnu: the native-layer tests compile real AArch64 ELF files to check the verifier.
apt_pkgs=(libssl-dev zlib1g-dev libzstd-dev libcurl4-openssl-dev libsasl2-dev liblz4-dev openssl gcc-aarch64-linux-gnu)
missing=()
for p in "${apt_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for tool in java python3; do
  command -v "$tool" >/dev/null || { log "ERROR: $tool is required (Java 17+ runs the Kafka broker, Python 3 runs moto)"; exit 1; }
done

# 2. Node 24 from the npm registry's `node` package (ships the binary and its headers).
if ! stamp_ok node "$SEMAPHORE_NODE_VERSION" || [ -z "$SEMAPHORE_NODE_DIR" ]; then
  log "installing Node $SEMAPHORE_NODE_VERSION into .tools/node24"
  rm -rf "$SEMAPHORE_TOOLS/node24"
  npm install --no-save --no-package-lock --prefix "$SEMAPHORE_TOOLS/node24" "node@$SEMAPHORE_NODE_VERSION" >/dev/null
  source "$SEMAPHORE_ROOT/scripts/env.sh"
  stamp_set node "$SEMAPHORE_NODE_VERSION"
fi
[ "$(node --version)" = "v$SEMAPHORE_NODE_VERSION" ] || { log "ERROR: node on PATH is $(node --version), expected v$SEMAPHORE_NODE_VERSION"; exit 1; }

# 3. npm dependencies, built for Node 24 (librdkafka compiles from source here: ~90 s).
lock_hash="none"
[ -f package-lock.json ] && lock_hash="$(sha256sum package-lock.json | cut -c1-16)-$SEMAPHORE_NODE_VERSION"
if ! stamp_ok npm "$lock_hash" || [ ! -d node_modules ]; then
  log "installing npm dependencies with Node $(node --version) (builds the Kafka client from source)"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
  lock_hash="$(sha256sum package-lock.json | cut -c1-16)-$SEMAPHORE_NODE_VERSION"
  stamp_set npm "$lock_hash"
fi
node -e "require('@confluentinc/kafka-javascript')" 2>/dev/null || {
  log "ERROR: @confluentinc/kafka-javascript does not load under $(node --version); remove node_modules and .tools/stamps/npm and run again"; exit 1; }

if [ "$node_only" = true ]; then
  log "ready (node only): node $(node --version)"
  exit 0
fi

# 4. Apache Kafka broker jars from Maven Central.
bash "$SEMAPHORE_ROOT/scripts/setup-kafka.sh"

# 5. moto's server, a real Secrets Manager API endpoint on loopback for the tests and local runs.
moto_version="5.2.5"
if ! stamp_ok moto "$moto_version" || [ ! -x "$MOTO_SERVER_BIN" ]; then
  log "installing moto[server]==$moto_version into .tools/venv"
  python3 -m venv "$SEMAPHORE_TOOLS/venv"
  "$SEMAPHORE_TOOLS/venv/bin/pip" install -q "moto[server]==$moto_version"
  stamp_set moto "$moto_version"
fi
log "ready: node $(node --version), kafka libs in .tools/kafka/libs, moto in .tools/venv"
