#!/usr/bin/env bash
# Installs what a bare machine of the project's kind lacks: pnpm and redis-server.
# PostgreSQL server binaries are expected preinstalled (see README, "Running the tests").
set -euo pipefail

if ! command -v pnpm >/dev/null 2>&1; then
  echo "› installing pnpm 10"
  npm install -g pnpm@10 >/dev/null
fi

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  echo "› installing redis-server"
  apt_get() { if [ "$(id -u)" = 0 ]; then apt-get "$@"; else sudo apt-get "$@"; fi; }
  apt_get update -qq
  DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends redis-server >/dev/null
fi

if ! command -v initdb >/dev/null 2>&1 && ! command -v pg_config >/dev/null 2>&1; then
  echo "› installing PostgreSQL server binaries"
  apt_get() { if [ "$(id -u)" = 0 ]; then apt-get "$@"; else sudo apt-get "$@"; fi; }
  apt_get update -qq
  DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends postgresql >/dev/null
fi
