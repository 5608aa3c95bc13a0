#!/usr/bin/env bash
# Prints a PATH with every command of the current PATH except database server binaries and
# docker (links in one folder, .tmp/path-without-servers), to show what `pnpm test` does on a
# machine that lacks them.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$PWD/.tmp/path-without-servers"
rm -rf "$dir" && mkdir -p "$dir"
IFS=: read -ra path_dirs <<<"$PATH"
for path_dir in "${path_dirs[@]}"; do
  for exe in "$path_dir"/*; do
    name=${exe##*/}
    case $name in
      initdb | postgres | pg_ctl | pg_config | redis-server | redis-cli | docker) continue ;;
    esac
    if [ -x "$exe" ] && [ ! -e "$dir/$name" ]; then ln -s "$exe" "$dir/$name"; fi
  done
done
echo "$dir"
