#!/usr/bin/env bash
# Makes sure both Rust binaries can be built, by building and running a probe crate with the same
# toolchains scripts/build-rust.sh uses, and installs the Debian packages a failed probe lacks:
#   N-API addon  rustup's cargo (or Debian's), linking a cdylib through cc
#   wasm module  a toolchain with the wasm32-unknown-unknown target, linking with rust-lld, and the
#                module instantiated and called in Node
# A file being present proves nothing (a dangling /usr/bin/rust-lld once passed for a linker).
#
#   bash scripts/toolchain.sh           probe; install what is missing; probe again; say what it did
#   bash scripts/toolchain.sh --check   probe and say what is there and what is missing; install nothing
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/packages.sh
source "$root/scripts/lib/packages.sh"
# shellcheck source=lib/rust.sh
source "$root/scripts/lib/rust.sh"

mode=install
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *)
    echo "usage: bash scripts/toolchain.sh [--check]" >&2
    exit 2
    ;;
esac

work="$(mktemp -d "${TMPDIR:-/tmp}/acme-toolchain.XXXXXX")"
trap 'rm -rf "$work"' EXIT
acme_probe_crate "$work"

failed=0
# One binary: probe; when it fails, name the missing packages, install them (unless --check) and probe
# again. $1: label, $2: probe function, $3: error file, rest: the packages this binary needs.
ensure() {
  local label="$1" probe="$2" err="$work/$3"
  shift 3
  if "$probe" "$work"; then
    echo "toolchain: $label: ok ($(describe "$label"))"
    return 0
  fi
  local reason missing
  reason="$(grep -m1 -E 'error|not found|No such' "$err" || head -n1 "$err")"
  missing="$(acme_apt_missing "$@" | tr '\n' ' ' | sed 's/ $//')"
  echo "toolchain: $label: the probe does not build: ${reason:-no output}"
  if [ -z "$missing" ]; then
    echo "toolchain: $label: every package it needs ($*) is installed; the probe said:" >&2
    sed 's/^/  /' "$err" >&2
    failed=1
    return 0
  fi
  if [ "$mode" = check ]; then
    echo "toolchain: $label: missing Debian packages: $missing (bash scripts/toolchain.sh installs them)"
    failed=1
    return 0
  fi
  # shellcheck disable=SC2086
  acme_apt_install $missing
  if "$probe" "$work"; then
    echo "toolchain: $label: installed $missing; the probe now builds and runs ($(describe "$label"))"
  else
    echo "toolchain: $label: still failing after installing $missing; the probe said:" >&2
    sed 's/^/  /' "$err" >&2
    failed=1
  fi
}

describe() {
  case "$1" in
    "N-API addon") echo "$("${ACME_NATIVE_CARGO[@]}" --version) from $(command -v "${ACME_NATIVE_CARGO[0]}"), linker cc" ;;
    "wasm module") echo "$ACME_WASM_FROM toolchain, $("${ACME_WASM_CARGO[@]}" --version), module instantiated in Node" ;;
  esac
}

native_needs=("${ACME_NATIVE_PACKAGES[@]}")
command -v cargo >/dev/null 2>&1 || native_needs+=("${ACME_RUST_PACKAGES[@]}")
ensure "N-API addon" acme_probe_native native.err "${native_needs[@]}"
acme_wasm_cargo
if [ "$ACME_WASM_FROM" = rustup ]; then
  ensure "wasm module" acme_probe_wasm wasm.err
else
  ensure "wasm module" acme_probe_wasm wasm.err "${ACME_WASM_PACKAGES[@]}"
fi
exit "$failed"
