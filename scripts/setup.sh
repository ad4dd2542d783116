#!/usr/bin/env bash
# One-time setup from a fresh clone: pnpm, the wasm Rust toolchain, dependencies, and a full build.
# Safe to run again; each step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

pnpm_version="$(node -p "require('./package.json').packageManager.split('@')[1]")"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$pnpm_version" ]; then
  echo "setup: installing pnpm $pnpm_version with npm"
  npm install --global --silent "pnpm@$pnpm_version"
fi
bash scripts/toolchain.sh
echo "setup: installing dependencies"
pnpm install --frozen-lockfile --reporter=silent
echo "setup: building (Rust binaries and TypeScript packages)"
pnpm run --silent build --output-logs=errors-only
echo "setup: done"
