use momentum::zoo::{ZooMethod, ZooParams};
use momentum::{Framework, Spectrum};
fn main() -> momentum::Result<()> {
    for (b3, alpha) in [(0.9999, 5.0), (0.9999, 0.0), (0.999, 5.0)] {
        for h in [10.0, 30.0, 37.0] {
            let m = ZooMethod::new(
                Framework::Ademamix,
                &ZooParams {
                    lr: h,
                    b3: Some(b3),
                    alpha: Some(alpha),
                    ..Default::default()
                },
            )?;
            let (p, t) = m.transient(1.0, 200000)?;
            println!(
                "ademamix b3={b3} a={alpha} h={h}: peak {p:e} at {t}, rho {}",
                m.mode(1.0)?.spectral_radius
            );
        }
    }
    let s = Spectrum::interval(0.01, 1.0)?;
    for moms in [
        vec![0.999],
        vec![0.0, 0.9, 0.99, 0.999],
        vec![0.0, 0.9, 0.99],
        vec![0.9],
    ] {
        let mut best = (1.0, 0.0);
        for i in 1..2000 {
            let lr = 4.0 * i as f64 / 2000.0;
            let m = ZooMethod::new(
                Framework::Aggmo,
                &ZooParams {
                    lr,
                    momenta: Some(moms.clone()),
                    ..Default::default()
                },
            )?;
            let w = m.worst_case(&s)?;
            if w.stable && w.spectral_radius < best.0 {
                best = (w.spectral_radius, lr);
            }
        }
        let m = ZooMethod::new(
            Framework::Aggmo,
            &ZooParams {
                lr: 1.0,
                momenta: Some(moms.clone()),
                ..Default::default()
            },
        )?;
        println!(
            "aggmo {moms:?}: best worst-case rate {best:?}, edge {:?}",
            m.stable_steps()?
        );
    }
    Ok(())
}
