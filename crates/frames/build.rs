//! Says whether this compiler has the AVX-512 intrinsics (stable since Rust 1.89): the crate keeps
//! to Rust 1.63 (Debian's, which builds the wasm module), so the AVX-512 kernels are compiled only
//! when the compiler can, under `cfg(acme_avx512)`, and chosen at run time like the AVX2 ones.

use std::env;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC");
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    // "rustc 1.95.0 (59807616e 2026-04-14)" -> 95
    let version = Command::new(rustc).arg("--version").output().ok().and_then(|out| String::from_utf8(out.stdout).ok());
    let minor = version
        .as_deref()
        .and_then(|text| text.split_whitespace().nth(1))
        .and_then(|v| v.split('.').nth(1))
        .and_then(|m| m.parse::<u32>().ok());
    // Cargo knows `rustc-check-cfg` from 1.80 (older ones warn about it).
    if minor.map_or(false, |m| m >= 80) {
        println!("cargo:rustc-check-cfg=cfg(acme_avx512)");
    }
    let x86_64 = env::var("CARGO_CFG_TARGET_ARCH").map_or(false, |arch| arch == "x86_64");
    if x86_64 && minor.map_or(false, |m| m >= 89) {
        println!("cargo:rustc-cfg=acme_avx512");
    }
}
