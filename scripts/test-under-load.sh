#!/usr/bin/env bash
# Runs the README's test command under one of the loads a shared CI machine puts on it:
#   bash scripts/test-under-load.sh alone    pnpm test by itself
#   bash scripts/test-under-load.sh twin     pnpm test here while a second clone runs its own
#   bash scripts/test-under-load.sh stress   pnpm test while stress-ng keeps every core busy
# Each exits with pnpm test's status (twin: non-zero when either run failed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=lib/packages.sh
source "$root/scripts/lib/packages.sh"

case "${1:-}" in
  alone)
    pnpm test
    ;;
  twin)
    twin="$(mktemp -d "${TMPDIR:-/tmp}/acme-twin.XXXXXX")"
    trap 'rm -rf "$twin"' EXIT
    git clone -q "$root" "$twin"
    (cd "$twin" && bash scripts/setup.sh >/dev/null)
    (cd "$twin" && pnpm test >"$twin.log" 2>&1) &
    twin_pid=$!
    status=0
    pnpm test || status=$?
    wait "$twin_pid" || { echo "test-under-load: the second clone's pnpm test failed; its log: $twin.log" >&2; status=1; }
    exit "$status"
    ;;
  stress)
    acme_apt_install "${ACME_TEST_PACKAGES[@]}"
    stress-ng --cpu "$(nproc)" --quiet &
    stress_pid=$!
    trap 'kill "$stress_pid" 2>/dev/null || true' EXIT
    pnpm test
    ;;
  *)
    echo "usage: bash scripts/test-under-load.sh alone|twin|stress" >&2
    exit 2
    ;;
esac
