#!/usr/bin/env bash
# Fetches the Apache Kafka broker (KRaft) and its runtime jars from Maven Central into
# $KAFKA_LIBS_DIR (.tools/kafka/libs), idempotently. The jar list is infra/local/kafka/pom.xml;
# Maven resolves it (`dependency:copy-dependencies`). The stamp .tools/stamps/kafka holds the
# Kafka version, so a second run returns at once. infra/local/kafka/broker.ts runs the broker
# with `java -cp "$KAFKA_LIBS_DIR/*" kafka.Kafka`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
log() { printf '[setup-kafka] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

pom="$SEMAPHORE_ROOT/infra/local/kafka/pom.xml"
stamp="$SEMAPHORE_TOOLS/stamps/kafka"
[ -f "$pom" ] || die "missing $pom"
kafka_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom" | head -n 1)"
[ -n "$kafka_version" ] || die "no <kafka.version> in $pom"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$kafka_version" ] &&
  [ -f "$KAFKA_LIBS_DIR/kafka_2.13-$kafka_version.jar" ]; then
  exit 0
fi

# Java 17+ runs the broker (Kafka 4.x brokers need 17).
command -v java >/dev/null || die "java not found on PATH: install a JDK/JRE 17+ (Debian: apt-get install openjdk-17-jre-headless)"
java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1)"
if ! [ "${java_major:-0}" -ge 17 ] 2>/dev/null; then
  die "Kafka $kafka_version needs Java 17+, found java.specification.version '${java_major:-unknown}' ($(command -v java))"
fi

# Maven resolves the jars; install it from Debian when missing and we can.
if ! command -v mvn >/dev/null; then
  if command -v apt-get >/dev/null; then
    log "installing Maven (Debian package 'maven') to fetch the Kafka jars"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends maven >/dev/null
  fi
  command -v mvn >/dev/null || die "mvn (Apache Maven 3.6+) not found on PATH: install it (Debian: apt-get install maven)"
fi

log "fetching Apache Kafka $kafka_version broker jars from Maven Central into ${KAFKA_LIBS_DIR#"$SEMAPHORE_ROOT"/}"
mkdir -p "$SEMAPHORE_TOOLS/stamps" "$(dirname "$KAFKA_LIBS_DIR")"
rm -f "$stamp"
# Download into a fresh directory, then swap it in, so an interrupted run never leaves a partial libs/.
tmp_libs="$(mktemp -d "$(dirname "$KAFKA_LIBS_DIR")/libs.tmp.XXXXXX")"
trap 'rm -rf "$tmp_libs"' EXIT
mvn_log="$(dirname "$KAFKA_LIBS_DIR")/mvn.log"
if ! mvn -B -q -f "$pom" \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$tmp_libs" >"$mvn_log" 2>&1; then
  tail -n 30 "$mvn_log" >&2
  die "mvn could not fetch the Kafka jars (full output: $mvn_log). Maven Central must be reachable (or mirrored in ~/.m2/settings.xml)."
fi
[ -f "$tmp_libs/kafka_2.13-$kafka_version.jar" ] || die "mvn finished but kafka_2.13-$kafka_version.jar is not in the output; see $mvn_log"
rm -rf "$KAFKA_LIBS_DIR"
mv "$tmp_libs" "$KAFKA_LIBS_DIR"
trap - EXIT
printf '%s' "$kafka_version" >"$stamp"
log "Kafka $kafka_version: $(find "$KAFKA_LIBS_DIR" -name '*.jar' | wc -l) jars in ${KAFKA_LIBS_DIR#"$SEMAPHORE_ROOT"/}"
