#!/usr/bin/env bash
# `npm test`: brings up what is missing (Kafka through scripts/kafka/start.sh), type-checks, builds the CLI
# the end-to-end tests run, then runs jest against the real services. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/local-services.sh
ensure_local_services
npx tsc --noEmit -p .
npm run --silent build
exec npx jest "$@"
