//! The optimal hyperparameters for a condition number κ = L/μ: every closed-form tuning, its
//! rate, the same optimum found by numeric search, and the arguments to pass to PyTorch.
//!
//! Run: `cargo run --example tune_from_kappa [KAPPA]` (default 1000)

use momentum::{Framework, Spectrum, tune};

fn run() -> momentum::Result<()> {
    let kappa: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000.0);
    let spectrum = Spectrum::from_condition_number(kappa)?;
    println!(
        "kappa = {kappa}: spectrum {spectrum}, Chebyshev rate {}",
        tune::chebyshev_rate(kappa)?
    );
    for t in tune::all(&spectrum)? {
        // the family optima are found again by search; the others are not family optima
        let search = match t.search_family() {
            Some(family) => format!("{:.12}", tune::search::tune(family, &spectrum)?.rate),
            None => "-".into(),
        };
        let torch = match Framework::PyTorch.express(&t.method) {
            Ok(p) => format!(
                "lr={:.6}, momentum={:.6}, nesterov={}",
                p.lr,
                p.momentum.unwrap_or(0.0),
                p.nesterov
            ),
            Err(e) => e.to_string(),
        };
        println!(
            "{:<20} rate {:.12}  search {search:<14}  iterations/decade {:>8.1}  torch: {torch}",
            t.kind,
            t.rate,
            t.iterations_per_decade().unwrap_or(f64::INFINITY)
        );
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
