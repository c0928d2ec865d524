//! `momentum certify`: a linear rate valid on every L-smooth, μ-strongly convex function (the IQC
//! certificate of Lessard, Recht & Packard 2016), next to the quadratic worst case.

use super::args::{MethodArgs, SpectrumArgs};
use super::common::{CliError, CliResult};
use super::format::{exact, num, rate};
use clap::{Args, ValueEnum};
use momentum::certify::Engine;
use momentum::setting::certify::Certification;
use serde::Serialize;

/// Which solver certifies.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineName {
    /// KYP frequency-domain inequality, pure Rust (default).
    Frequency,
    /// The LMI by clarabel (needs the CLI built with `--features sdp`).
    Sdp,
}

/// Arguments of `momentum certify`.
#[derive(Args, Debug)]
pub struct CertifyArgs {
    #[command(flatten)]
    m: MethodArgs,
    #[command(flatten)]
    spectrum: SpectrumArgs,
    /// Solver: the frequency-domain route or the SDP (feature `sdp`).
    #[arg(long, value_enum, default_value = "frequency")]
    engine: EngineName,
    /// Window W of the lifted certificate: off-by-j multipliers for j = 1..W (interpolation
    /// conditions between iterates up to W steps apart); 1 is the one-step analysis alone.
    #[arg(long, value_name = "W", default_value_t = momentum::certify::lifted::DEFAULT_WINDOW)]
    window: usize,
    /// Also the exact worst ‖x_N − x*‖/‖x₀ − x*‖ after N steps from rest on the class, by
    /// performance estimation (PEP; needs the sdp feature), next to the quadratic one.
    #[arg(long, value_name = "N")]
    steps: Option<u64>,
    /// One JSON document on stdout instead of text.
    #[arg(long)]
    json: bool,
    /// Also write the checked certificate (P, multipliers, ρ, the method and the class) as
    /// exact rationals "p/q" in JSON to FILE (`-`: stdout, instead of the usual output);
    /// `scripts/check_certificate.py FILE` re-checks it. Exit 1 when no rate is certified.
    #[arg(long, value_name = "FILE")]
    certificate: Option<std::path::PathBuf>,
}

/// The N-step worst case on F(μ, L) (PEP) and on its quadratics (`bound`).
#[derive(Serialize)]
struct StepsJson {
    steps: u64,
    /// sup ‖x_N − x*‖/‖x₀ − x*‖ over F(μ, L), from rest; null when the PEP did not solve.
    worst_factor: Option<f64>,
    /// Its square, the form PEPit prints.
    worst_factor_squared: Option<f64>,
    /// The same over the quadratics of F(μ, L) (`momentum bound`): a lower bound of worst_factor.
    quadratic_worst_factor: f64,
    /// How worst_factor was obtained: `pep`, `quadratic` (μ = L: the class is the quadratics
    /// L/2‖x − x*‖² + c, the PEP's interpolation conditions do not apply and the answer is the
    /// quadratic one exactly) or `unsolved` (the PEP solver failed, e.g. at steps αL ≲ 1e-8,
    /// where the iterates differ below its tolerance; `pep_error` says why).
    worst_factor_source: &'static str,
    /// The solver's failure when `worst_factor_source` is `unsolved`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pep_error: Option<String>,
    /// The PEP's certificate and worst-case function (`worst_factor_source` `pep` only).
    #[cfg(feature = "sdp")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pep: Option<PepJson>,
}

/// `pep`: the dual multipliers λ_ij, a worst-case function's samples and their solver-independent
/// check (`momentum::pep::worst_case_detailed`).
#[cfg(feature = "sdp")]
#[derive(Serialize)]
struct PepJson {
    /// {i, j, value}: i, j are "*" (the minimiser) or the step k of y_k.
    multipliers: Vec<serde_json::Value>,
    worst_case_samples: momentum::pep::PepSamples,
    check: momentum::pep::PepCheck,
}

#[cfg(feature = "sdp")]
fn steps_json(method: &momentum::Method, mu: f64, l: f64, steps: u64) -> CliResult<StepsJson> {
    let n = usize::try_from(steps)
        .ok()
        .filter(|&n| (1..=momentum::pep::MAX_STEPS).contains(&n))
        .ok_or(CliError::Value(momentum::Error::OutOfRange {
            name: "steps",
            value: steps as f64,
            expected: "1 ..= 100",
        }))?;
    let quad = method.finite_horizon(&momentum::Spectrum::interval(mu, l)?, steps)?;
    let worst = (mu == l).then_some(quad.worst_factor);
    let (detailed, source, error) = if mu == l {
        (None, "quadratic", None)
    } else {
        match momentum::pep::worst_case_detailed(&vec![*method; n], mu, l) {
            Ok(pep) => (Some(pep), "pep", None),
            Err(momentum::Error::Unsupported(e)) => (None, "unsolved", Some(e)),
            Err(e) => return Err(e.into()),
        }
    };
    let (worst, pep) = match detailed {
        Some(p) => {
            let label = |k: Option<usize>| k.map_or_else(|| serde_json::json!("*"), |k| k.into());
            let multipliers = p
                .multipliers
                .iter()
                .map(|m| serde_json::json!({"i": label(m.i), "j": label(m.j), "value": m.value}))
                .collect();
            (
                Some(p.worst_case.worst_factor),
                Some(PepJson {
                    multipliers,
                    worst_case_samples: p.samples,
                    check: p.check,
                }),
            )
        }
        None => (worst, None),
    };
    Ok(StepsJson {
        steps,
        worst_factor: worst,
        worst_factor_squared: worst.map(|w| w * w),
        quadratic_worst_factor: quad.worst_factor,
        worst_factor_source: source,
        pep_error: error,
        pep,
    })
}

#[cfg(not(feature = "sdp"))]
fn steps_json(_: &momentum::Method, _: f64, _: f64, _: u64) -> CliResult<StepsJson> {
    Err(CliError::Usage(
        "--steps (the exact N-step worst case by PEP) needs the CLI built with the sdp feature: cargo build -p momentum-cli --features sdp (Debian: apt-get install libopenblas-dev)".into(),
    ))
}

/// `certify --json`: the library's document and, with --steps, the N-step worst cases.
#[derive(Serialize)]
struct CertifyJson {
    #[serde(flatten)]
    core: Certification,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    horizon: Option<StepsJson>,
}

fn engine(e: EngineName) -> CliResult<Engine> {
    match e {
        EngineName::Frequency => Ok(Engine::Frequency),
        EngineName::Sdp if cfg!(feature = "sdp") => Ok(Engine::Sdp),
        EngineName::Sdp => Err(CliError::Usage(
            "--engine sdp needs the CLI built with the sdp feature: cargo build -p momentum-cli --features sdp (Debian: apt-get install libopenblas-dev)".into(),
        )),
    }
}

pub fn run(a: &CertifyArgs) -> CliResult<()> {
    if !a.spectrum.lambda.is_empty() || a.spectrum.spectrum.is_some() {
        return Err(CliError::Usage(
            "certify is over the class F(mu, L): give --mu M --L L or --kappa K, not listed eigenvalues".into(),
        ));
    }
    if a.spectrum.flat_tol.is_some() {
        return Err(CliError::Usage(
            "--flat-tol sets listed eigenvalues apart; certify is over the class F(mu, L), an interval".into(),
        ));
    }
    let eng = engine(a.engine)?;
    let spectrum = a.spectrum.spectrum()?;
    let core =
        momentum::setting::certify::certify_window(&a.m.setting(), &spectrum, eng, a.window)?;
    let (mu, l) = (core.mu, core.l);
    let method = momentum::Method::general(
        core.method.step,
        core.method.momentum,
        core.method.lookahead,
    )?;
    let horizon = a.steps.map(|n| steps_json(&method, mu, l, n)).transpose()?;
    let c = &core;
    if let Some(path) = &a.certificate {
        super::certificate::write(c, path)?;
        if path.as_os_str() == "-" {
            return Ok(());
        }
    }
    let out = CertifyJson {
        core: core.clone(),
        horizon,
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "{} (step {}, momentum {}, lookahead {}) on every L-smooth mu-strongly convex f, mu = {}, L = {}",
        c.family,
        exact(method.step()),
        exact(method.momentum()),
        exact(method.lookahead()),
        num(mu),
        num(l)
    );
    match (c.rate, c.outcome) {
        (Some(r), _) if c.lifted_rate == Some(r) && c.one_step_rate != Some(r) => println!(
            "certified rate: {} (lifted, window {}; certificate checked exactly at rho = {}); one-step rate: {}",
            rate(r),
            c.window,
            c.lifted_certificate
                .as_ref()
                .map_or_else(String::new, |l| exact(l.rho)),
            c.one_step_rate.map_or_else(|| "none".to_string(), rate)
        ),
        (Some(r), _) => println!(
            "certified rate: {} (engine {}; certificate checked exactly at rho = {})",
            rate(r),
            c.engine,
            c.certificate.map_or_else(String::new, |l| exact(l.rho))
        ),
        (None, "below_resolution") => println!(
            "not certified: 1 - rho is below f64's resolution near 1 (the quadratic rate rounds to within 2.2e-16 of 1; engine {})",
            c.engine
        ),
        (None, "check_failed") => println!(
            "not certified: the search found a rate but its certificate failed the exact check (engine {})",
            c.engine
        ),
        (None, _) => println!("not certified: no rate below 1 (engine {})", c.engine),
    }
    println!(
        "quadratic worst-case rate: {}{}",
        rate(c.quadratic_rate),
        if c.outcome == "below_resolution" {
            " (within f64's resolution of 1)"
        } else if c.quadratic_rate < 1.0 {
            ""
        } else {
            " (unstable on quadratics)"
        }
    );
    if let Some(cx) = &c.counterexample {
        let xs: Vec<String> = cx.iterates.iter().map(|v| num(v[0])).collect();
        println!(
            "counterexample: a {}-cycle on a function of the class (iterates {}; interpolation conditions checked exactly): no rate below 1 holds on the class",
            cx.period,
            xs.join(", ")
        );
    }
    if let Some(h) = &out.horizon {
        match (h.worst_factor, h.worst_factor_source) {
            (Some(w), "quadratic") => println!(
                "after {} steps from rest: worst |x_N - x*|/|x_0 - x*| = {} (mu = L: the class is the quadratic L/2|x - x*|^2, exactly)",
                h.steps,
                num(w)
            ),
            (Some(w), _) => println!(
                "after {} steps from rest: worst |x_N - x*|/|x_0 - x*| = {} on the class (PEP; squared {}), {} on its quadratics",
                h.steps,
                num(w),
                num(w * w),
                num(h.quadratic_worst_factor)
            ),
            (None, _) => println!(
                "after {} steps from rest: worst |x_N - x*|/|x_0 - x*| >= {} (its quadratics); on the class not computed: {}",
                h.steps,
                num(h.quadratic_worst_factor),
                h.pep_error.as_deref().unwrap_or("the PEP did not solve")
            ),
        }
    }
    Ok(())
}
