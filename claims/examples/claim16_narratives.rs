//! Claim C16 — seeds `000_7fac47b36c6dd606.txt`, `002_545e1695acb3b3aa.txt`,
//! `003_afe2b7722f671b23.txt`: the narratives (Batch Normalization, dropout, saddle points, flat
//! minima and generalization, federated staleness, PSO, HMC, low-pass "preconditioning", LASSO
//! threshold-crossing, memory, local minima, GNNs, adversarial transfer, continual and
//! semi-supervised learning).
//!
//! Setting: each row states its own model (curvature scaling for BN, a negative curvature for a
//! saddle, additive gradient noise for dropout, one round of staleness, …). Rows the toolkit
//! cannot speak to say what would test them.
//!
//! Run: `cargo run --release --example claim16_narratives`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    for c in claims::c16_narratives()? {
        println!("{c}\n");
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
