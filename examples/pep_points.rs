//! The PEP evidence of the certified-rates figure (`momentum figures`, rates_vs_kappa_certified):
//! for gradient descent, Polyak heavy ball, Nesterov (standard tuning) and triple momentum at a
//! few κ, the exact worst ‖x_N − x*‖/‖x₀ − x*‖ after N = 10 steps from rest on F(1/κ, 1)
//! (`momentum::pep`), and its N-th root. Writes the CSV the figure embeds:
//!
//! `cargo run --release --features sdp --example pep_points > cli/assets/pep_points.csv`
//!
//! `tests/it/certify_map.rs` (feature `sdp`) recomputes every row against the committed file.

use momentum::{Spectrum, pep, tune};

/// The horizon N.
const STEPS: usize = 10;
/// The condition numbers.
const KAPPAS: [f64; 5] = [5.0, 10.0, 25.0, 100.0, 400.0];

fn run() -> momentum::Result<()> {
    println!("tuning,kappa,steps,worst_factor,rate_estimate");
    for kappa in KAPPAS {
        let tunings = tune::all(&Spectrum::interval(1.0 / kappa, 1.0)?)?;
        // tune::all order: GD, heavy ball, Nesterov, Nesterov quadratic-optimal, triple momentum
        for t in [&tunings[0], &tunings[1], &tunings[2], &tunings[4]] {
            // a solve clarabel does not finish to momentum::pep's accuracy is left out (said on stderr)
            let w = match pep::worst_case(&t.method, 1.0 / kappa, 1.0, STEPS) {
                Ok(w) => w,
                Err(e) => {
                    eprintln!("skipped {} at kappa {kappa}: {e}", t.kind.as_str());
                    continue;
                }
            };
            println!(
                "{},{kappa},{STEPS},{:.9},{:.9}",
                t.kind.as_str(),
                w.worst_factor,
                w.worst_factor.powf(1.0 / STEPS as f64)
            );
        }
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
