#!/usr/bin/env bash
# Publishes lines of `key|value` from standard input to a topic, with Kafka's own console producer.
#   echo 'user:42|{"specversion":"1.0",...}' | scripts/kafka/publish.sh [TOPIC]
# TOPIC defaults to $EVENTS_TOPIC or user-events; the broker is $KAFKA_BROKERS or localhost:9092.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
topic="${1:-${EVENTS_TOPIC:-user-events}}"
classpath="$(bash "$here/classpath.sh")"
log4j="$(cd "$here/../.." && pwd)/.local/kafka-tools-log4j.properties"
printf '%s\n' 'log4j.rootLogger=ERROR, stderr' 'log4j.appender.stderr=org.apache.log4j.ConsoleAppender' \
  'log4j.appender.stderr.Target=System.err' 'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout' \
  'log4j.appender.stderr.layout.ConversionPattern=%p %m%n' > "$log4j"
exec java -cp "$classpath" "-Dlog4j.configuration=file:$log4j" kafka.tools.ConsoleProducer \
  --bootstrap-server "${KAFKA_BROKERS:-localhost:9092}" --topic "$topic" \
  --property parse.key=true --property key.separator='|' --producer-property acks=all
