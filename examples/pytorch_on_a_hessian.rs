//! Is my PyTorch setting stable on this model's Hessian? Read its eigenvalues (or the matrix)
//! from a file saved with `np.save` or `json.dump`, then ask for the worst case and the largest
//! stable learning rate.
//!
//! Run: `cargo run --example pytorch_on_a_hessian [FILE] [LR] [MOMENTUM]`
//! (default: the PyHessian top-3 eigenvalues shipped in `tests/data/spectra`, lr 0.006, momentum 0.9)

use momentum::stability::stable_steps;
use momentum::{Framework, FrameworkParams};
use std::path::PathBuf;

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/spectra/pyhessian_top3.json")
    });
    let lr: f64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(0.006);
    let momentum: f64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(0.9);

    let spectrum = momentum::io::load(&path)?;
    println!("{}: {spectrum}", path.display());
    let params = FrameworkParams {
        lr,
        momentum: Some(momentum),
        ..Default::default()
    };
    let converted = Framework::PyTorch.convert(&params)?;
    let worst = spectrum.worst_case(&converted.recurrence)?;
    println!("torch.optim.SGD(lr={lr}, momentum={momentum}): {worst}");
    // the exact interval of stable learning rates, the momentum held
    let steps = stable_steps(&spectrum, |lr| {
        Framework::PyTorch.recurrence(&params.with_lr(lr))
    })?;
    match steps {
        Some(iv) => println!("stable for {} < lr < {:.6}", iv.lo, iv.hi),
        None => println!("no learning rate is stable at this momentum"),
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
