//! Sets `cfg(momentum_avx512)` when rustc is 1.89 or newer, the first release with stable
//! `#[target_feature(enable = "avx512f")]`: the map kernel's AVX-512F copy is compiled then, and
//! older compilers (MSRV 1.87) build the AVX2 and baseline copies only.

use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(momentum_avx512)");
    println!("cargo::rerun-if-env-changed=RUSTC");
    println!("cargo::rerun-if-changed=build.rs");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    // "rustc 1.95.0 (hash date)": the minor version
    let minor = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| v.split('.').nth(1).and_then(|m| m.parse::<u32>().ok()));
    if minor.is_some_and(|m| m >= 89) {
        println!("cargo::rustc-cfg=momentum_avx512");
    }
}
