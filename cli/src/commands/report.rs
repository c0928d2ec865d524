//! `momentum report`: the main job on an embedded default — every figure regenerated, and a
//! compact summary of what the toolkit knows, each number computed now by two routes.

use super::CliResult;
use super::format::num;
use clap::Args;
use momentum::Family;
use momentum::Spectrum;
use momentum::stability::{family_stable_steps, heavy_ball_max_step, nesterov_max_step};
use momentum::tune::{self as tuning, search as minimax};
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `momentum report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Directory to write the figures into (created if missing).
    #[arg(long = "out-dir", value_name = "DIR", default_value = "figures")]
    out_dir: PathBuf,
    /// Print the summary only; do not regenerate the figures.
    #[arg(long = "no-figures")]
    no_figures: bool,
}

pub fn run(a: &ReportArgs) -> CliResult<()> {
    let t0 = Instant::now();
    if !a.no_figures {
        // fail before printing anything if the figures cannot be written
        std::fs::create_dir_all(&a.out_dir).map_err(|e| {
            super::CliError::Io(format!("cannot create {}: {e}", a.out_dir.display()))
        })?;
    }
    println!(
        "momentum report: heavy ball, Nesterov and friends on quadratics (L = 1, mu = 1/kappa)"
    );
    println!();
    println!("1. Optimal tunings (closed form), with the numeric minimax search as a second route");
    println!(
        "   {:<8} {:<20} {:>10} {:>10} {:>10} {:>12} {:>12}",
        "kappa", "method", "step", "momentum", "rate", "iters/dec", "search rate"
    );
    for kappa in [10.0, 100.0, 1e4] {
        let interval = Spectrum::from_condition_number(kappa)?;
        for t in tuning::all(&interval)? {
            let search = match t.search_family() {
                Some(f) => num(minimax::tune(f, &interval)?.rate),
                None => "-".into(),
            };
            println!(
                "   {:<8} {:<20} {:>10} {:>10} {:>10} {:>12} {:>12}",
                num(kappa),
                t.kind,
                num(t.method.step()),
                num(t.method.momentum()),
                num(t.rate),
                t.iterations_per_decade().map(num).unwrap_or("-".into()),
                search
            );
        }
    }
    println!();
    println!(
        "2. Largest stable step h = alpha*L at a few momenta: closed form = exact Jury interval"
    );
    println!(
        "   {:<10} {:>14} {:>14} {:>14} {:>14}",
        "momentum", "HB 2(1+b)", "HB Jury", "NAG (2+2b)/(1+2b)", "NAG Jury"
    );
    let one = Spectrum::eigenvalues(vec![1.0])?;
    for b in [0.0, 0.5, 0.9, 0.99] {
        let jury = |f| {
            family_stable_steps(f, b, &one)
                .map(|i| num(i.hi))
                .unwrap_or_else(|| "-".into())
        };
        println!(
            "   {:<10} {:>14} {:>14} {:>14} {:>14}",
            num(b),
            num(heavy_ball_max_step(b, 1.0)),
            jury(Family::HeavyBall),
            num(nesterov_max_step(b, 1.0)),
            jury(Family::Nesterov)
        );
    }
    println!();
    println!(
        "2b. Beyond quadratics: each tuning's quadratic rate and the rate certified on every L-smooth mu-strongly convex f (IQC, momentum certify; - = none below 1)"
    );
    println!(
        "   {:<8} {:<20} {:>12} {:>12}",
        "kappa", "method", "quadratic", "certified"
    );
    for kappa in [10.0, 100.0, 1e4] {
        let interval = Spectrum::from_condition_number(kappa)?;
        let (mu, l) = interval.bounds();
        for t in tuning::all(&interval)? {
            let certified = momentum::certify::certified_rate(&t.method, mu, l)?.rate;
            println!(
                "   {:<8} {:<20} {:>12} {:>12}",
                num(kappa),
                t.kind,
                num(t.rate),
                certified.map(num).unwrap_or_else(|| "-".into())
            );
        }
    }
    println!();
    println!("3. The seed documents' claims (CLAIMS.md; one example and one test each)");
    let checks = momentum_claims::all()?;
    for c in &checks {
        let mut statement: String = c.statement.chars().take(58).collect();
        if c.statement.chars().count() > 58 {
            statement.push('…');
        }
        println!("   {:<5} {:<13} {statement}", c.id, c.verdict.tag());
    }
    println!("   {}", momentum_claims::Tally::of(&checks));
    println!();
    if !a.no_figures {
        println!("4. Figures");
        super::figures::run(&super::figures::FiguresArgs::new(a.out_dir.clone()))?;
        println!();
    }
    println!("done in {:.1} s", t0.elapsed().as_secs_f64());
    Ok(())
}
