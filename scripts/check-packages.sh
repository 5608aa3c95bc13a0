#!/usr/bin/env bash
# Packaging test: build the published packages, then pack, lint and install them the way npm
# users will (see scripts/packaging/check-packages.mjs). Needs the npm registry for the peers.
set -euo pipefail
cd "$(dirname "$0")/.."

pnpm exec turbo run build --filter='./packages/*' --output-logs=errors-only
node scripts/packaging/check-packages.mjs
