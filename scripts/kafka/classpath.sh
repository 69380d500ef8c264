#!/usr/bin/env bash
# Prints the classpath of the Kafka jars that pom.xml names, resolving them with Maven on first use
# (the jars stay in Maven's cache; the classpath is cached in .local/kafka-classpath.txt).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="$(cd "$here/../.." && pwd)/.local/kafka-classpath.txt"
mkdir -p "$(dirname "$cache")"
if [[ ! -s "$cache" || "$here/pom.xml" -nt "$cache" ]]; then
  command -v mvn >/dev/null || { echo "kafka: mvn is not installed (Maven resolves the broker's jars)" >&2; exit 1; }
  log="$(dirname "$cache")/kafka-mvn.log"
  mvn -B -Dstyle.color=never -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cache" >"$log" 2>&1 \
    || { tail -30 "$log" >&2; echo "kafka: mvn could not resolve the broker's jars (above: the end of $log)" >&2; exit 1; }
fi
cat "$cache"
