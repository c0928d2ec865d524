//! Draw the heavy-ball stability map over [μ, L] = [1, 100] in the terminal: each character is a
//! cell of the (step, momentum) plane, shaded by the worst-case rate ρ from the map's fastest cell
//! (`@`) to ρ → 1 (blank); `#` is ρ ≥ 1 (unstable).
//! The `momentum map` command draws the same map as a PNG.
//!
//! Run: `cargo run --example draw_a_map`

use momentum::map::{GridSpec, StabilityMap};
use momentum::{Family, Spectrum};

fn run() -> momentum::Result<()> {
    let spectrum = Spectrum::interval(1.0, 100.0)?;
    let (cols, rows) = (72, 24);
    let spec = GridSpec::new(Family::HeavyBall, 0.04, (0.0, 1.0), (cols, rows))?;
    let map = StabilityMap::compute(&spec, &spectrum)?;
    let shades = ['@', '%', '*', '+', '=', '-', ':', '.', ' '];
    let fastest = map.radii().iter().copied().fold(f64::INFINITY, f64::min);
    println!("heavy ball on {spectrum}: momentum (up) against step (right, 0 .. 0.04)");
    for j in (0..rows).rev() {
        let line: String = (0..cols)
            .map(|i| {
                let c = map.cell(i, j);
                if !c.stable {
                    '#'
                } else {
                    // ρ in [fastest, 1) spread over the shades
                    let t = ((c.radius - fastest) / (1.0 - fastest)).clamp(0.0, 0.999);
                    shades[(t * shades.len() as f64) as usize]
                }
            })
            .collect();
        println!("{:>5.2} |{line}", spec.momentum(j));
    }
    let s = map.summary();
    println!(
        "{} of {} cells stable; fastest cell rho = {fastest:.4} (`@`)",
        s.stable_cells, s.cells
    );
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
