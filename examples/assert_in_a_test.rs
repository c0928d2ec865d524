//! Assert a convergence guarantee in your own test suite.
//!
//! Add `momentum = { version = "0.1", features = ["testing"] }` to `[dev-dependencies]`, then
//! write tests like `check()` below: the assertions print ρ, the worst curvature and the regime
//! when they fail.
//!
//! Run: `cargo run --example assert_in_a_test`

use momentum::testing::{assert_error_after_at_most, assert_rate_at_most, assert_stable};
use momentum::{Framework, FrameworkParams, Spectrum};

fn check() -> momentum::Result<()> {
    // the model's Hessian has curvatures in [0.01, 30] (say, from a Lanczos estimate)
    let spectrum = Spectrum::interval(0.01, 30.0)?;
    // the optimizer as it is configured: torch.optim.SGD(lr=0.05, momentum=0.9)
    let sgd = FrameworkParams {
        lr: 0.05,
        momentum: Some(0.9),
        ..Default::default()
    };
    let method = Framework::PyTorch.convert(&sgd)?.method;

    // 1. stable on every direction of that spectrum
    let worst = assert_stable(&method, &spectrum);
    println!("stable: {worst}");
    // 2. and no slower than a required asymptotic rate
    assert_rate_at_most(&method, &spectrum, 0.9995);
    // 3. and, transients included, within 1e-3 of the optimum after 20000 steps
    let fh = assert_error_after_at_most(&method, &spectrum, 20_000, 1e-3);
    println!("{fh}");
    Ok(())
}

fn main() {
    if let Err(e) = check() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
