//! `momentum report`: the main job on an embedded default — every figure regenerated, and a
//! compact summary of what the toolkit knows, each number computed now by two routes.

use super::args::{MethodArgs, SpectrumArgs};
use super::common::{CliError, CliResult, Execute};
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
    /// Your curvatures (any of --kappa, --mu/--L, --lambda, --spectrum): the report is then about
    /// your case instead of the embedded default.
    #[command(flatten)]
    spectrum: SpectrumArgs,
    /// Your setting, in your framework's terms (--convention, --lr, --momentum, --nesterov, ...).
    #[command(flatten)]
    setting: MethodArgs,
    /// The horizon of the finite-horizon section (your setting's worst error after N steps).
    #[arg(long, value_name = "N", default_value = "100")]
    steps: u64,
}

/// `execute` runs one subcommand's argv (the dispatcher's, passed down so that this module does
/// not import its parent).
pub fn run(a: &ReportArgs, execute: Execute) -> CliResult<()> {
    let t0 = Instant::now();
    let s = &a.spectrum;
    let has_curvatures = s.kappa.is_some()
        || s.mu.is_some()
        || s.l.is_some()
        || !s.lambda.is_empty()
        || s.spectrum.is_some();
    let h = &a.setting.hyper;
    let has_setting = h.lr.is_some()
        || h.momentum.is_some()
        || a.setting.method.is_some()
        || a.setting.lookahead.is_some()
        || h.nesterov
        || h.dampening.is_some()
        || h.weight_decay.is_some()
        || a.setting.convention.0 != momentum::Framework::Canonical;
    if has_curvatures || has_setting {
        if !has_curvatures {
            return Err(CliError::Usage(
                "a report about your setting needs your curvatures: --kappa K, --mu M --L L, --lambda X ... or --spectrum FILE".into(),
            ));
        }
        let r = personal(a, has_setting, execute);
        println!("done in {:.1} s", t0.elapsed().as_secs_f64());
        return r;
    }
    if !a.no_figures {
        // fail before printing anything if the figures cannot be written
        std::fs::create_dir_all(&a.out_dir)
            .map_err(|e| CliError::Io(format!("cannot create {}: {e}", a.out_dir.display())))?;
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

/// The flags that name the user's curvatures, as given.
fn spectrum_argv(s: &SpectrumArgs) -> Vec<String> {
    let mut v = vec![];
    if let Some(k) = s.kappa {
        v.extend(["--kappa".into(), k.to_string()]);
    }
    if let Some(m) = s.mu {
        v.extend(["--mu".into(), m.to_string()]);
    }
    if let Some(l) = s.l {
        v.extend(["--L".into(), l.to_string()]);
    }
    if !s.lambda.is_empty() {
        v.push("--lambda".into());
        v.extend(s.lambda.iter().map(f64::to_string));
    }
    if let Some(p) = &s.spectrum {
        v.extend(["--spectrum".into(), p.display().to_string()]);
    }
    if let Some(t) = s.flat_tol {
        v.extend(["--flat-tol".into(), t.to_string()]);
    }
    v
}

/// The flags of the user's framework switches (not --lr/--momentum/--method).
fn switches_argv(m: &MethodArgs) -> Vec<String> {
    let mut v = vec![];
    let conv = clap::ValueEnum::to_possible_value(&m.convention)
        .map(|p| p.get_name().to_string())
        .unwrap_or_else(|| "canonical".into());
    v.extend(["--convention".into(), conv]);
    if m.hyper.nesterov {
        v.push("--nesterov".into());
    }
    if let Some(d) = m.hyper.dampening {
        v.extend(["--dampening".into(), d.to_string()]);
    }
    if let Some(w) = m.hyper.weight_decay {
        v.extend(["--weight-decay".into(), w.to_string()]);
    }
    v
}

/// The user's setting, as given.
fn setting_argv(m: &MethodArgs) -> Vec<String> {
    let mut v = switches_argv(m);
    if let Some(name) = m.method {
        let n = clap::ValueEnum::to_possible_value(&name)
            .map(|p| p.get_name().to_string())
            .unwrap_or_default();
        v.extend(["--method".into(), n]);
    }
    if let Some(lr) = m.hyper.lr {
        v.extend(["--lr".into(), lr.to_string()]);
    }
    if let Some(b) = m.hyper.momentum {
        v.extend(["--momentum".into(), b.to_string()]);
    }
    if let Some(g) = m.lookahead {
        v.extend(["--lookahead".into(), g.to_string()]);
    }
    v
}

/// `a` as a POSIX shell reads it back: bare when it holds only safe characters, else in single
/// quotes (a quote inside written as '\'').
fn shell_quoted(a: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    if !a.is_empty() && a.chars().all(safe) {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', "'\\''"))
    }
}

/// Print the command, then run it: the section is exactly what that command prints.
fn section(title: &str, argv: Vec<String>, execute: Execute) -> CliResult<()> {
    println!("{title}");
    let shown: Vec<String> = argv.iter().map(|a| shell_quoted(a)).collect();
    println!("$ momentum {}", shown.join(" "));
    println!();
    let r = execute(&argv);
    println!();
    r
}

/// `report` about the user's case: the spectrum and the setting, the optimal tunings in the
/// user's convention, the finite-horizon bound and a map with the setting marked.
fn personal(a: &ReportArgs, has_setting: bool, execute: Execute) -> CliResult<()> {
    let analysed = a.spectrum.analysed()?;
    let (mu, l) = analysed.spectrum.bounds();
    println!(
        "momentum report for your case: curvatures in [{}, {}]{}",
        num(mu),
        num(l),
        analysed
            .spectrum
            .condition_number()
            .map(|k| format!(", kappa = {}", num(k)))
            .unwrap_or_default()
    );
    for n in &analysed.notes {
        println!("note: {n}");
    }
    println!();
    let spec = spectrum_argv(&a.spectrum);
    let mut n = 1;
    let resolved = if has_setting {
        let r = a.setting.resolve(&analysed.spectrum)?;
        let mut argv = vec!["analyze".to_string()];
        argv.extend(spec.iter().cloned());
        argv.extend(setting_argv(&a.setting));
        section(
            &format!("{n}. Your setting: stability, rate, largest stable lr, critical momentum"),
            argv,
            execute,
        )?;
        n += 1;
        Some(r)
    } else {
        None
    };
    // tune over the positive curvatures' [mu, L], in the user's convention and switches
    let mut argv = vec![
        "tune".to_string(),
        "--mu".into(),
        mu.to_string(),
        "--L".into(),
        l.to_string(),
    ];
    argv.extend(switches_argv(&a.setting));
    section(
        &format!(
            "{n}. The optimal tunings for [mu, L] = [{}, {}], in your convention",
            num(mu),
            num(l)
        ),
        argv,
        execute,
    )?;
    n += 1;
    let Some(r) = resolved else {
        return Ok(());
    };
    let mut argv = vec!["bound".to_string()];
    argv.extend(spec.iter().cloned());
    argv.extend(setting_argv(&a.setting));
    argv.extend(["--steps".into(), a.steps.to_string()]);
    section(
        &format!(
            "{n}. Your setting's worst error after {} steps (every quadratic in your spectrum)",
            a.steps
        ),
        argv,
        execute,
    )?;
    n += 1;
    if a.no_figures {
        return Ok(());
    }
    std::fs::create_dir_all(&a.out_dir)
        .map_err(|e| CliError::Io(format!("cannot create {}: {e}", a.out_dir.display())))?;
    let m = r.converted.method;
    if !matches!(r.converted.weight_decay, momentum::WeightDecay::None) {
        println!(
            "{n}. Map: not drawn, weight decay takes the recurrence off the (step, momentum) plane of one family"
        );
        return Ok(());
    }
    let family: Vec<String> = match (m.momentum(), m.lookahead()) {
        (_, 0.0) => vec!["--method".into(), "hb".into()],
        (b, g) if g == b => vec!["--method".into(), "nag".into()],
        (_, g) => vec!["--lookahead".into(), g.to_string()],
    };
    let out = a.out_dir.join("your_map.png");
    let mut argv = vec!["map".to_string()];
    argv.extend(family);
    argv.extend(spec);
    let lo = (m.momentum() - 0.5).clamp(-1.0, 0.0);
    argv.extend([
        "--grid".into(),
        "400".into(),
        "--momentum-min".into(),
        lo.to_string(),
        "--mark".into(),
        format!("{},{}", m.step(), m.momentum()),
        "--out".into(),
        out.display().to_string(),
        "--quiet".into(),
    ]);
    section(
        &format!(
            "{n}. The (step, momentum) map with your setting marked (canonical step alpha = {})",
            num(m.step())
        ),
        argv,
        execute,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::shell_quoted;

    #[test]
    fn quoted_paths_read_back_through_sh() {
        for a in [
            "--lr",
            "0.1",
            "my hessian.npy",
            "it's.json",
            "",
            "$HOME/x",
            "a\"b",
        ] {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf %s {}", shell_quoted(a)))
                .output()
                .expect("sh runs");
            assert_eq!(String::from_utf8_lossy(&out.stdout), a, "{a:?}");
        }
        assert_eq!(shell_quoted("spectrum.npy"), "spectrum.npy");
    }
}
