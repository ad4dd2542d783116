# Which Rust toolchain builds which binary, and probes that prove a toolchain works by using it.
# Sourced by scripts/toolchain.sh (which installs what a failed probe lacks) and scripts/build-rust.sh
# (which builds with the same choice), so the two never disagree.

# The addon: rustup's cargo when there is one on PATH (any version works), else Debian's.
acme_native_cargo() {
  if command -v cargo >/dev/null 2>&1; then
    ACME_NATIVE_CARGO=(cargo)
  else
    ACME_NATIVE_CARGO=(/usr/bin/cargo)
  fi
}

# The wasm module: rustup's cargo when its toolchain has the wasm32 target (not the case on these
# machines: rustup cannot download it), else Debian's rustc 1.63 with libstd-rust-dev-wasm32.
acme_wasm_cargo() {
  if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    ACME_WASM_CARGO=(cargo)
    ACME_WASM_FROM="rustup"
  else
    ACME_WASM_CARGO=(env RUSTC=/usr/bin/rustc /usr/bin/cargo)
    ACME_WASM_FROM="Debian"
  fi
}

# A one-file crate that needs std (a Vec), compiled as the real crates are (a cdylib, release).
acme_probe_crate() {
  local dir="$1"
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<'EOF'
[package]
name = "acme-toolchain-probe"
version = "0.0.0"
edition = "2021"

[lib]
crate-type = ["cdylib"]

[workspace]
EOF
  cat >"$dir/src/lib.rs" <<'EOF'
#[no_mangle]
pub extern "C" fn probe_sum(n: u32) -> u32 {
    let v: Vec<u32> = (0..n).collect();
    v.iter().sum()
}
EOF
}

# Builds and links the probe for this machine; on failure the compiler's words are in $dir/native.err.
acme_probe_native() {
  local dir="$1"
  acme_native_cargo
  [ -x "$(command -v "${ACME_NATIVE_CARGO[0]}" 2>/dev/null)" ] || {
    echo "no cargo on PATH and no /usr/bin/cargo" >"$dir/native.err"
    return 1
  }
  rm -f "$dir/Cargo.lock" # written by the other toolchain's cargo, maybe in a format this one cannot read
  (cd "$dir" && "${ACME_NATIVE_CARGO[@]}" build --release --offline --quiet --target-dir "$dir/native") \
    >"$dir/native.err" 2>&1 || return 1
  [ -f "$dir/native/release/libacme_toolchain_probe.so" ] || [ -f "$dir/native/release/libacme_toolchain_probe.dylib" ] || {
    echo "cargo succeeded but wrote no library" >>"$dir/native.err"
    return 1
  }
}

# Builds and links the probe for wasm32-unknown-unknown, then instantiates it in Node and calls it:
# a module that links but does not run is no toolchain either. Failure text in $dir/wasm.err.
acme_probe_wasm() {
  local dir="$1"
  acme_wasm_cargo
  if [ "$ACME_WASM_FROM" = Debian ] && [ ! -x /usr/bin/cargo ]; then
    echo "no toolchain with the wasm32-unknown-unknown target (Debian's /usr/bin/cargo is absent)" >"$dir/wasm.err"
    return 1
  fi
  rm -f "$dir/Cargo.lock"
  (cd "$dir" && "${ACME_WASM_CARGO[@]}" build --release --offline --quiet --target wasm32-unknown-unknown \
    --target-dir "$dir/wasm") >"$dir/wasm.err" 2>&1 || return 1
  node -e '
    const bytes = require("node:fs").readFileSync(process.argv[1]);
    WebAssembly.instantiate(bytes).then(({ instance }) => {
      const got = instance.exports.probe_sum(10);
      if (got !== 45) { console.error(`probe_sum(10) returned ${got}, expected 45`); process.exit(1); }
    }, (e) => { console.error(`the probe module does not instantiate: ${e.message}`); process.exit(1); });
  ' "$dir/wasm/wasm32-unknown-unknown/release/acme_toolchain_probe.wasm" >>"$dir/wasm.err" 2>&1
}
