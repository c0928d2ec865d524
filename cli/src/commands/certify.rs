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
    /// Default 3 ([`momentum::certify::lifted::DEFAULT_WINDOW`]); the order-n conventions take 1
    /// only (one-step certificate).
    #[arg(long, value_name = "W")]
    window: Option<usize>,
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
    let linear = momentum::Framework::from(a.m.convention).is_linear();
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
    if linear {
        // the shared layer decides what the order-n certificate refuses (window, engine), before
        // whether this build has the SDP engine: the same message on every build and front end
        let asked = match a.engine {
            EngineName::Frequency => Engine::Frequency,
            EngineName::Sdp => Engine::Sdp,
        };
        momentum::setting::certify::zoo_options(a.m.convention.into(), a.window, asked)?;
        let spectrum = a.spectrum.spectrum()?;
        return run_linear(a, &spectrum);
    }
    let eng = engine(a.engine)?;
    let spectrum = a.spectrum.spectrum()?;
    let window = a
        .window
        .unwrap_or(momentum::certify::lifted::DEFAULT_WINDOW);
    let core = momentum::setting::certify::certify_window(&a.m.setting(), &spectrum, eng, window)?;
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

/// `certify --convention X` for the order-n optimizers: the pencil certificate
/// (`momentum::setting::certify::certify_zoo`; `zoo_options` has refused a window or the SDP
/// engine).
fn run_linear(a: &CertifyArgs, spectrum: &momentum::Spectrum) -> CliResult<()> {
    let conv = momentum::Framework::from(a.m.convention);
    if a.certificate.is_some() {
        return Err(CliError::Usage(format!(
            "--certificate exports the two-step LMI certificate; for --convention {conv} the checked multiplier is in certify --json (certificate)"
        )));
    }
    let setting = a.m.setting();
    let Some(steps) = a.steps else {
        let c = momentum::setting::certify::certify_zoo(&setting, spectrum)?;
        if a.json {
            println!("{}", serde_json::to_string_pretty(&c)?);
            return Ok(());
        }
        print_linear(conv, &c);
        return Ok(());
    };
    // with --steps: the PEP for every optimizer, the rate where one is certifiable
    let horizon = zoo_horizon(&setting, spectrum, steps)?;
    let (core, refused) = match momentum::setting::certify::certify_zoo(&setting, spectrum) {
        Ok(c) => (Some(c), None),
        Err(momentum::Error::Usage(why)) => (None, Some(why)),
        Err(e) => return Err(e.into()),
    };
    let head = match &core {
        Some(_) => None,
        None => {
            let m = momentum::setting::zoo::method(&setting)?;
            let (mu, l) = spectrum.bounds();
            Some(serde_json::json!({
                "schema": momentum::setting::SCHEMA,
                "class": "smooth_strongly_convex",
                "convention": conv,
                "optimizer": m.optimizer(),
                "lr": m.lr(),
                "mu": mu,
                "L": l,
                "certified": false,
                "rate": null,
            }))
        }
    };
    if a.json {
        let out = ZooJson {
            core: core.as_ref(),
            head,
            certify_refused: refused,
            horizon,
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    match &core {
        Some(c) => print_linear(conv, c),
        None => println!(
            "no rate: {}",
            refused.as_deref().unwrap_or("not certifiable")
        ),
    }
    print_horizon(&horizon);
    Ok(())
}

/// `certify --convention X --steps N --json`.
#[derive(Serialize)]
struct ZooJson<'a> {
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    core: Option<&'a momentum::setting::certify::ZooCertification>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    head: Option<serde_json::Value>,
    /// Why no rate is searched (SAM, schedule-free, Lookahead).
    #[serde(skip_serializing_if = "Option::is_none")]
    certify_refused: Option<String>,
    #[serde(flatten)]
    horizon: ZooHorizonJson,
}

#[cfg(feature = "sdp")]
type ZooHorizonJson = momentum::setting::certify::ZooHorizon;

/// Without the feature `sdp` there is no horizon (`--steps` is a usage error before any output).
#[cfg(not(feature = "sdp"))]
type ZooHorizonJson = serde_json::Value;

#[cfg(feature = "sdp")]
fn zoo_horizon(
    s: &momentum::setting::Setting,
    spectrum: &momentum::Spectrum,
    steps: u64,
) -> CliResult<ZooHorizonJson> {
    Ok(momentum::setting::certify::zoo_horizon(s, spectrum, steps)?)
}

#[cfg(not(feature = "sdp"))]
fn zoo_horizon(
    _: &momentum::setting::Setting,
    _: &momentum::Spectrum,
    _: u64,
) -> CliResult<ZooHorizonJson> {
    Err(CliError::Usage(
        "--steps (the exact N-step worst case by PEP) needs the CLI built with the sdp feature: cargo build -p momentum-cli --features sdp (Debian: apt-get install libopenblas-dev)".into(),
    ))
}

#[cfg(feature = "sdp")]
fn print_horizon(h: &ZooHorizonJson) {
    println!(
        "after {} steps ({} gradient calls) from the framework's start: worst |x_N - x*|/|x_0 - x*| = {} on the class (PEP; squared {}), {} on its quadratics ({} curvatures)",
        h.steps,
        h.gradient_calls,
        num(h.worst_factor),
        num(h.worst_factor_squared),
        num(h.quadratic_worst_factor),
        momentum::setting::zoo::INTERVAL_SAMPLES
    );
}

#[cfg(not(feature = "sdp"))]
fn print_horizon(_: &ZooHorizonJson) {}

fn print_linear(conv: momentum::Framework, c: &momentum::setting::certify::ZooCertification) {
    println!(
        "{conv} (lr {}, pencil of order {}) on every L-smooth mu-strongly convex f, mu = {}, L = {}",
        exact(c.lr),
        c.order,
        num(c.mu),
        num(c.l)
    );
    match (c.rate, c.outcome) {
        (Some(r), _) => println!(
            "certified rate: {} (frequency route; checked exactly at rho = {}, multiplier t = {})",
            rate(r),
            c.certificate
                .as_ref()
                .map_or_else(String::new, |m| exact(m.rho)),
            c.multiplier.map_or_else(String::new, num)
        ),
        (None, "check_failed") => println!(
            "not certified: the search found a rate but its certificate failed the exact check"
        ),
        (None, "below_resolution") => {
            println!("not certified: 1 - rho is below f64's resolution near 1")
        }
        (None, _) => println!("not certified: no rate below 1"),
    }
    println!(
        "quadratic worst-case rate: {}{}",
        rate(c.quadratic_rate),
        if c.quadratic_rate < 1.0 {
            ""
        } else {
            " (unstable on quadratics)"
        }
    );
}
