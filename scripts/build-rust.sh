#!/usr/bin/env bash
# Builds the two binaries of @acme-ts/native from the crates in this repository:
#   packages/native/binaries/acme_native.node  N-API addon (crates/node), for this machine
#   packages/native/binaries/acme_native.wasm  WebAssembly module (crates/wasm), for anywhere
# with the toolchains scripts/lib/rust.sh picks (the ones scripts/toolchain.sh proved to work).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/packages/native/binaries"
mkdir -p "$out"
cd "$root"
# shellcheck source=lib/rust.sh
source "$root/scripts/lib/rust.sh"

# A build started without setup (pnpm build on a new machine) still gets working toolchains.
acme_wasm_cargo
if ! command -v cargo >/dev/null 2>&1 || { [ "$ACME_WASM_FROM" = Debian ] && [ ! -x /usr/bin/cargo ]; }; then
  bash "$root/scripts/toolchain.sh"
fi

echo "build-rust: N-API addon (crates/node)"
acme_native_cargo
"${ACME_NATIVE_CARGO[@]}" build --release --quiet -p acme-node
case "$(uname -s)" in
  Darwin) lib="libacme_node.dylib" ;;
  *) lib="libacme_node.so" ;;
esac
# Per-process temp names ($$): two builds running at once must not move each other's file.
cp "target/release/$lib" "$out/acme_native.node.tmp$$" && mv "$out/acme_native.node.tmp$$" "$out/acme_native.node"

echo "build-rust: wasm module (crates/wasm, $ACME_WASM_FROM toolchain)"
acme_wasm_cargo
# A separate target dir: the two toolchains must not share fingerprints.
"${ACME_WASM_CARGO[@]}" build --release --quiet -p acme-wasm --target wasm32-unknown-unknown --target-dir target/wasm
cp target/wasm/wasm32-unknown-unknown/release/acme_wasm.wasm "$out/acme_native.wasm.tmp$$"
mv "$out/acme_native.wasm.tmp$$" "$out/acme_native.wasm"
echo "build-rust: wrote $(ls "$out" | tr '\n' ' ')"
