//! docs/REFERENCE.md §4's table (30-digit values, L = 1, μ = 1/κ): the worst-case spectral radius this crate
//! computes at each closed-form tuning must reproduce the tabulated rate, and the tabulated
//! parameters must be what the closed forms give.

use approx::assert_relative_eq;
use momentum::{Method, Spectrum};

struct Row {
    kappa: f64,
    gd_rate: f64,
    hb: (f64, f64, f64),
    nag_std: (f64, f64),
    nag_quad: (f64, f64, f64),
}

const TABLE: [Row; 3] = [
    Row {
        kappa: 4.0,
        gd_rate: 0.6,
        hb: (1.77777777778, 0.111111111111, 0.333333333333),
        nag_std: (0.333333333333, 0.5),
        nag_quad: (1.23076923077, 0.286421655349, 0.445299803775),
    },
    Row {
        kappa: 100.0,
        gd_rate: 0.980198019802,
        hb: (3.30578512397, 0.669421487603, 0.818181818182),
        nag_std: (0.818181818182, 0.9),
        nag_quad: (1.32890365449, 0.793274726291, 0.884721916459),
    },
    Row {
        kappa: 1e4,
        gd_rate: 0.999800019998,
        hb: (3.92118419763, 0.960788158024, 0.980198019802),
        nag_std: (0.980198019802, 0.99),
        nag_quad: (1.33328889037, 0.977169988001, 0.988453187061),
    },
];

/// The table has 12 significant digits.
const TABLE_TOL: f64 = 5e-12;

fn worst(m: Method, s: &Spectrum) -> f64 {
    s.worst_case(&m.recurrence()).unwrap().spectral_radius()
}

#[test]
fn closed_form_tunings_reproduce_the_table() {
    for row in &TABLE {
        let (l, mu) = (1.0f64, 1.0 / row.kappa);
        let s = Spectrum::interval(mu, l).unwrap();
        let sk = row.kappa.sqrt();

        let gd = Method::gradient_descent(2.0 / (l + mu)).unwrap();
        assert_relative_eq!(worst(gd, &s), row.gd_rate, max_relative = TABLE_TOL);

        let hb = Method::heavy_ball(
            4.0 / (l.sqrt() + mu.sqrt()).powi(2),
            ((sk - 1.0) / (sk + 1.0)).powi(2),
        )
        .unwrap();
        assert_relative_eq!(hb.step(), row.hb.0, max_relative = TABLE_TOL);
        assert_relative_eq!(hb.momentum(), row.hb.1, max_relative = TABLE_TOL);
        // a double root at both ends: the radius is known to ~√ε only
        assert_relative_eq!(worst(hb, &s), row.hb.2, max_relative = 1e-7);

        let nag = Method::nesterov(1.0 / l, (sk - 1.0) / (sk + 1.0)).unwrap();
        assert_relative_eq!(nag.momentum(), row.nag_std.0, max_relative = TABLE_TOL);
        assert_relative_eq!(worst(nag, &s), row.nag_std.1, max_relative = 1e-7);

        let q = (3.0 * row.kappa + 1.0).sqrt();
        let nq = Method::nesterov(4.0 / (3.0 * l + mu), (q - 2.0) / (q + 2.0)).unwrap();
        assert_relative_eq!(nq.step(), row.nag_quad.0, max_relative = TABLE_TOL);
        assert_relative_eq!(nq.momentum(), row.nag_quad.1, max_relative = TABLE_TOL);
        assert_relative_eq!(worst(nq, &s), row.nag_quad.2, max_relative = 1e-7);

        // triple momentum: rate 1 − 1/√κ at both endpoints
        let tm = Method::triple_momentum(mu, l).unwrap();
        let w = s.worst_case(&tm.recurrence()).unwrap();
        assert_relative_eq!(
            w.at_lo.spectral_radius(),
            1.0 - 1.0 / sk,
            max_relative = 1e-7
        );
        assert_relative_eq!(
            w.at_hi.spectral_radius(),
            1.0 - 1.0 / sk,
            max_relative = 1e-12
        );
    }
}

#[test]
fn tuning_module_reproduces_the_table() {
    for row in &TABLE {
        let (mu, l) = (1.0 / row.kappa, 1.0);
        let s = Spectrum::interval(mu, l).unwrap();
        let hb = Spectrum::interval(mu, l)
            .and_then(|iv| momentum::tune::heavy_ball(&iv))
            .unwrap();
        assert_relative_eq!(hb.method.step(), row.hb.0, max_relative = TABLE_TOL);
        assert_relative_eq!(hb.method.momentum(), row.hb.1, max_relative = TABLE_TOL);
        assert_relative_eq!(hb.rate, row.hb.2, max_relative = TABLE_TOL);
        let gd = Spectrum::interval(mu, l)
            .and_then(|iv| momentum::tune::gradient_descent(&iv))
            .unwrap();
        assert_relative_eq!(gd.rate, row.gd_rate, max_relative = TABLE_TOL);
        let nag = Spectrum::interval(mu, l)
            .and_then(|iv| momentum::tune::nesterov(&iv))
            .unwrap();
        assert_relative_eq!(
            nag.method.momentum(),
            row.nag_std.0,
            max_relative = TABLE_TOL
        );
        assert_relative_eq!(nag.rate, row.nag_std.1, max_relative = TABLE_TOL);
        let nq = Spectrum::interval(mu, l)
            .and_then(|iv| momentum::tune::nesterov_quadratic(&iv))
            .unwrap();
        assert_relative_eq!(nq.method.step(), row.nag_quad.0, max_relative = TABLE_TOL);
        assert_relative_eq!(
            nq.method.momentum(),
            row.nag_quad.1,
            max_relative = TABLE_TOL
        );
        assert_relative_eq!(nq.rate, row.nag_quad.2, max_relative = TABLE_TOL);
        // each promised rate is what the spectrum analysis finds (double roots: ~√ε)
        for t in Spectrum::interval(mu, l)
            .and_then(|iv| momentum::tune::all(&iv))
            .unwrap()
        {
            assert_relative_eq!(worst(t.method, &s), t.rate, max_relative = 1e-7);
        }
    }
    assert!(
        Spectrum::interval(2.0, 1.0)
            .and_then(|iv| momentum::tune::heavy_ball(&iv))
            .is_err()
    );
    assert!(
        Spectrum::interval(0.0, 1.0)
            .and_then(|iv| momentum::tune::nesterov(&iv))
            .is_err()
    );
}

#[test]
fn polyak_beats_every_nearby_tuning_by_brute_force() {
    // κ = 100: no (α, β) on a fine grid around Polyak's optimum has a smaller worst-case radius
    let s = Spectrum::interval(0.01, 1.0).unwrap();
    let best = worst(Method::heavy_ball(400.0 / 121.0, 81.0 / 121.0).unwrap(), &s);
    for i in -50..=50 {
        for j in -50..=50 {
            let a = 400.0 / 121.0 * (1.0 + i as f64 * 2e-3);
            let b = 81.0 / 121.0 + j as f64 * 1e-3;
            let r = worst(Method::heavy_ball(a, b).unwrap(), &s);
            assert!(r >= best * (1.0 - 1e-7), "α = {a}, β = {b}: {r} < {best}");
        }
    }
}
