# Sourced by scripts/start.sh and scripts/test.sh. Brings up the local servers the defaults point at, when
# the matching variable is unset and nothing answers there: PostgreSQL and Redis with this machine's own
# commands, Kafka with scripts/kafka/start.sh. A configured URL is never touched.

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

ensure_postgres() {
  [[ -n "${DATABASE_URL:-}" ]] && return 0
  port_open 127.0.0.1 5432 && return 0
  if command -v pg_ctlcluster >/dev/null && [[ -d /etc/postgresql ]]; then
    echo "local-services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  else
    echo "local-services: nothing answers on localhost:5432 and no local PostgreSQL to start; set DATABASE_URL" >&2
    return 1
  fi
}

ensure_redis() {
  [[ -n "${REDIS_URL:-}" ]] && return 0
  port_open 127.0.0.1 6379 && return 0
  if command -v redis-server >/dev/null; then
    echo "local-services: starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 1 50); do port_open 127.0.0.1 6379 && return 0; sleep 0.1; done
  fi
  echo "local-services: nothing answers on localhost:6379 and no local Redis could be started; set REDIS_URL" >&2
  return 1
}

ensure_kafka() {
  [[ -n "${KAFKA_BROKERS:-}" ]] && return 0
  port_open 127.0.0.1 9092 && return 0
  if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
    cat >&2 <<'MSG'
rollcall: no Kafka answers on localhost:9092 and KAFKA_BROKERS is unset.
  The local broker runs Apache Kafka's own jars, which needs Java 17+ and Maven. Two ways out:
    - install a JDK and Maven (Debian/Ubuntu: apt install openjdk-17-jre-headless maven), then run this again;
    - or run a broker in Docker: docker compose up -d kafka, then run this again with KAFKA_BROKERS=localhost:29092.
MSG
    return 1
  fi
  bash "$(dirname "${BASH_SOURCE[0]}")/kafka/start.sh" 9092
}

ensure_local_services() {
  ensure_postgres
  ensure_redis
  ensure_kafka
}
