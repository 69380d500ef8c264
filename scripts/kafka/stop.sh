#!/usr/bin/env bash
# Stops the broker started by scripts/kafka/start.sh [PORT] (default 9092), by its pid. Idempotent.
#   scripts/kafka/stop.sh [PORT] [--wipe]   --wipe also deletes its data folder.
set -euo pipefail

port="${1:-9092}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$(cd "$here/../.." && pwd)/.local/kafka-$port"
pidfile="$dir/kafka.pid"

if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  pid="$(cat "$pidfile")"
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { echo "kafka: pid $pid ignored SIGTERM for 30 s, killing it"; kill -9 "$pid"; }
  echo "kafka: stopped (pid $pid)"
else
  echo "kafka: not running on port $port"
fi
rm -f "$pidfile"
[[ "${2:-}" == "--wipe" ]] && rm -rf "$dir" && echo "kafka: removed $dir"
exit 0
