#!/usr/bin/env bash
# `npm start`: brings up what the defaults need, builds, migrates and runs `rollcall all`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/local-services.sh
ensure_local_services
npm run --silent build
exec node dist/services/cli.js all
