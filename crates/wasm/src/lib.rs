//! The WebAssembly module of acme-ts: C-ABI exports of the pure crates for `wasm32-unknown-unknown`
//! (no wasm-bindgen: the TypeScript loader in `@acme-ts/native` is hand-written). Bindings only:
//! every check of lengths and values lives in the crate each export wraps.

pub mod ffi;
pub mod frames;
pub mod kernels;
pub mod replay;
pub mod stats;
// Debugging only: `cargo build -p acme-wasm --features heap-check` (see heap_check.rs).
#[cfg(all(feature = "heap-check", target_arch = "wasm32"))]
mod heap_check;
