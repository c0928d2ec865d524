//! Claim C13 — seed `003_afe2b7722f671b23.txt` writes Nesterov as
//! v_{t+1} = γv_t + α∇J(θ_t + γv_t), θ_{t+1} = θ_t − v_{t+1}: with θ_{t+1} = θ_t − v_{t+1} the
//! velocity points backwards, so the "look-ahead" θ_t + γv_t looks behind.
//!
//! Setting: the literal update against the canonical (α, β, γ) = (α, γ, −γ); its stable steps
//! at one curvature and its rates on [0.01, 1] (κ = 100) against Nesterov and heavy ball.
//!
//! Run: `cargo run --release --example claim13_reversed_lookahead`

use momentum::Method;
use momentum_claims::{
    self as claims, iterate_scalar, reversed_lookahead, seed003_nesterov_literal,
};
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}\n", claims::c13_reversed_lookahead()?);
    let lit = seed003_nesterov_literal(0.05, 0.9, |x| x, 1.0, 6);
    let can = iterate_scalar(&reversed_lookahead(0.05, 0.9)?, |x| x, 1.0, 6);
    let nag = iterate_scalar(&Method::nesterov(0.05, 0.9)?, |x| x, 1.0, 6);
    println!("α = 0.05, γ = 0.9, λ = 1, from θ₀ = 1:");
    println!(
        "{:>3} {:>22} {:>22} {:>22}",
        "t", "seed 003 literal", "general(α, γ, −γ)", "Nesterov (α, γ, γ)"
    );
    for t in 0..=6 {
        println!("{t:>3} {:>22} {:>22} {:>22}", lit[t], can[t], nag[t]);
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
