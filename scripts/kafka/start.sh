#!/usr/bin/env bash
# Starts a single-node KRaft Apache Kafka broker from the jars Maven resolves (pom.xml beside this file).
#   scripts/kafka/start.sh [PORT]      PORT defaults to 9092; the controller listens on PORT+1.
# Data and logs live in .local/kafka-PORT/ (ignored by git). Idempotent: if the broker of that folder is
# already running, it says so and exits 0. Waits until the broker has started and accepts connections.
set -euo pipefail

port="${1:-9092}"
controller_port=$((port + 1))
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="$root/.local/kafka-$port"
pidfile="$dir/kafka.pid"
log="$dir/server.log"

die() { echo "kafka: $*" >&2; exit 1; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

command -v java >/dev/null || die "java is not installed (Java 17+ is needed to run the local broker)"

if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  echo "kafka: already running on 127.0.0.1:$port (pid $(cat "$pidfile"))"
  exit 0
fi
listening "$port" && die "port $port is taken by another process; choose another port"
listening "$controller_port" && die "port $controller_port (the controller's, PORT+1) is taken by another process; choose another port"

mkdir -p "$dir/data"
classpath="$(bash "$here/classpath.sh")"

cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# Lets tests use short sessions (a killed consumer frees its partitions sooner); clients default to 30 s.
group.min.session.timeout.ms=1000
log.retention.hours=-1
PROPS

cat > "$dir/log4j.properties" <<PROPS
log4j.rootLogger=WARN, file
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
PROPS

java_opts=(-Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true "-Dlog4j.configuration=file:$dir/log4j.properties")

if [[ ! -f "$dir/data/meta.properties" ]]; then
  cluster_id="$(java -cp "$classpath" "${java_opts[@]}" kafka.tools.StorageTool random-uuid)"
  java -cp "$classpath" "${java_opts[@]}" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$dir/server.properties" >"$dir/format.log" 2>&1 \
    || die "formatting the storage failed: $(tail -3 "$dir/format.log")"
fi

: > "$log"
nohup java -cp "$classpath" "${java_opts[@]}" kafka.Kafka "$dir/server.properties" >"$dir/stdout.log" 2>&1 &
echo $! > "$pidfile"

for _ in $(seq 1 120); do
  kill -0 "$(cat "$pidfile")" 2>/dev/null || die "the broker exited during start: $(tail -n 5 "$dir/stdout.log" "$log")"
  if listening "$port" && grep -q "Kafka Server started" "$log"; then
    echo "kafka: started on 127.0.0.1:$port (pid $(cat "$pidfile"), data in $dir)"
    exit 0
  fi
  sleep 0.5
done
die "the broker did not start within 60 s: $(tail -n 5 "$log")"
