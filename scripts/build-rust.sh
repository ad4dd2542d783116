#!/usr/bin/env bash
# Builds the two binaries of @acme-ts/native from the crates in this repository:
#   packages/native/binaries/acme_native.node  N-API addon (crates/node), for this machine
#   packages/native/binaries/acme_native.wasm  WebAssembly module (crates/wasm), for anywhere
# The addon is built by rustup's cargo when present, else by Debian's; the wasm module by whichever
# toolchain has the wasm32-unknown-unknown target (installing Debian's when none has it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/packages/native/binaries"
mkdir -p "$out"
cd "$root"

# Every crate keeps to Rust 1.63, so Debian's cargo can build the addon too when rustup is absent.
if ! command -v cargo >/dev/null 2>&1; then
  bash "$root/scripts/install-wasm-toolchain.sh"
fi
native_cargo=(cargo)

echo "build-rust: N-API addon (crates/node)"
"${native_cargo[@]}" build --release --quiet -p acme-node
case "$(uname -s)" in
  Darwin) lib="libacme_node.dylib" ;;
  *) lib="libacme_node.so" ;;
esac
cp "target/release/$lib" "$out/acme_native.node.tmp" && mv "$out/acme_native.node.tmp" "$out/acme_native.node"

echo "build-rust: wasm module (crates/wasm)"
if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  wasm_cargo=(cargo)
else
  bash "$root/scripts/install-wasm-toolchain.sh"
  wasm_cargo=(env RUSTC=/usr/bin/rustc /usr/bin/cargo)
fi
# A separate target dir: the two toolchains must not share fingerprints.
"${wasm_cargo[@]}" build --release --quiet -p acme-wasm --target wasm32-unknown-unknown --target-dir target/wasm
cp target/wasm/wasm32-unknown-unknown/release/acme_wasm.wasm "$out/acme_native.wasm"
echo "build-rust: wrote $(ls "$out" | tr '\n' ' ')"
