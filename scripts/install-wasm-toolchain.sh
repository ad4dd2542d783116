#!/usr/bin/env bash
# Makes a wasm32-unknown-unknown Rust toolchain available for crates/wasm.
#
# rustup's toolchains on these machines have no wasm32 target and cannot download one, so this
# installs Debian's Rust 1.63 with its wasm32 standard library (packages rustc, cargo,
# libstd-rust-dev-wasm32; rust-lld links the module). Nothing is done when either toolchain
# already has the target. Needs root or sudo for apt-get.
set -euo pipefail

if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "wasm toolchain: rustup already has wasm32-unknown-unknown; nothing to install"
  exit 0
fi
if [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/wasm32-unknown-unknown ]; then
  echo "wasm toolchain: Debian rustc $(/usr/bin/rustc --version | cut -d' ' -f2) with wasm32 std is installed"
  exit 0
fi

packages="rustc cargo libstd-rust-dev-wasm32"
echo "wasm toolchain: installing Debian packages: $packages"
echo "  (rustup here has no wasm32-unknown-unknown target; Debian's Rust 1.63 builds crates/wasm)"
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "error: installing $packages needs root; run this script as root or install them yourself" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $packages >/dev/null
echo "wasm toolchain: installed $(/usr/bin/rustc --version)"
