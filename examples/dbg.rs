use momentum::Framework;
use momentum::zoo::{ZooMethod, ZooParams};
fn main() -> momentum::Result<()> {
    let m = ZooMethod::new(
        Framework::Ademamix,
        &ZooParams {
            lr: 5.0,
            b3: Some(0.99),
            ..Default::default()
        },
    )?;
    let md = m.mode(1.0)?;
    println!("{} {:?}", md.spectral_radius, md.roots);
    let (mut x, mut m1, mut m2) = (1.0f64, 0.0f64, 0.0f64);
    let (b1, b3, alpha, lr) = (0.9f64, 0.99f64, 5.0f64, 5.0f64);
    let mut v = vec![];
    for t in 1..=4000 {
        let g = x;
        m1 = b1 * m1 + (1.0 - b1) * g;
        m2 = b3 * m2 + (1.0 - b3) * g;
        let mh = m1 / (1.0 - b1.powi(t));
        x -= lr * (mh + alpha * m2);
        v.push(x.abs());
    }
    for w in [100usize, 500, 1000] {
        let n = v.len();
        println!(
            "w={w} {}",
            (v[n - 1].ln() - v[n - 1 - w].ln())
                .exp()
                .powf(1.0 / w as f64)
        );
    }
    println!("{:e}", v[3999]);
    let m = ZooMethod::new(
        Framework::Sam,
        &ZooParams {
            lr: 1.0,
            rho: Some(0.1),
            momentum: Some(0.9),
            ..Default::default()
        },
    )?;
    let lr = 3.8 / 2.4;
    for f in [0.99, 1.01] {
        let md = m.at_lr(f * lr)?.mode(2.0)?;
        println!("sam {f} {} {:?}", md.spectral_radius, md.h);
    }
    Ok(())
}
