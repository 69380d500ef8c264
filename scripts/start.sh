#!/usr/bin/env bash
# `npm start` (and `npm run demo`, which adds --demo): starts the local Kafka broker when KAFKA_BROKERS is
# unset and nothing answers on localhost:9092, builds, and runs `rollcall all`. PostgreSQL and Redis need
# nothing installed: without DATABASE_URL / REDIS_URL and nothing answering, rollcall embeds them (issue 8).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/local-services.sh
ensure_kafka || exit 1
npm run --silent build
exec node dist/services/cli.js all "$@"
