//! Number formatting for human-readable tables.

use num_complex::Complex64;

/// Six significant digits, plain notation in [1e-4, 1e7), scientific outside.
pub fn num(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return format!("{x}");
    }
    let a = x.abs();
    if (1e-4..1e7).contains(&a) {
        let digits = (5 - a.log10().floor() as i32).max(0) as usize;
        let s = format!("{x:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        format!("{x:.5e}")
    }
}

/// A rate or spectral radius: [`num`], except within 1e-4 of 1, where six digits would print
/// `1` or `0.999999` and hide the answer: then `1 − d` or `1 + d` with d = |1 − x| (exact: x is in
/// [0.5, 2], so 1 − x is computed without rounding) in six significant digits.
pub fn rate(x: f64) -> String {
    let d = 1.0 - x;
    if x.is_finite() && d != 0.0 && d.abs() < 1e-4 {
        let sign = if d > 0.0 { '−' } else { '+' };
        format!("1 {sign} {:.5e}", d.abs())
    } else {
        num(x)
    }
}

/// An input echoed back: the shortest decimal that reads back as the same f64 (`1.99999999`
/// stays `1.99999999`), in scientific notation outside [1e-4, 1e7).
pub fn exact(x: f64) -> String {
    let a = x.abs();
    if x == 0.0 || !x.is_finite() || (1e-4..1e7).contains(&a) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// A root or a conjugate pair.
pub fn roots(r: &[Complex64; 2]) -> String {
    if r[0].im != 0.0 {
        format!("{} ± {}i", num(r[0].re), num(r[0].im.abs()))
    } else {
        format!("{}, {}", num(r[0].re), num(r[1].re))
    }
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn numbers_read_well() {
        assert_eq!(num(0.1), "0.1");
        assert_eq!(num(0.948683298), "0.948683");
        assert_eq!(num(43.7), "43.7");
        assert_eq!(num(-1.5), "-1.5");
        assert_eq!(num(1e-9), "1.00000e-9");
        assert_eq!(num(123456.0), "123456");
    }

    #[test]
    fn rates_near_one_show_their_distance_to_one() {
        use super::{exact, rate};
        assert_eq!(rate(0.948683298), "0.948683");
        assert_eq!(rate(1.0 - 1.2345678e-12), "1 − 1.23457e-12");
        assert_eq!(rate(1.0 + 2f64.powi(-52)), "1 + 2.22045e-16");
        assert_eq!(rate(1.0), "1");
        assert_eq!(exact(1.99999999), "1.99999999");
        assert_eq!(exact(1e-300), "1e-300");
        assert_eq!(exact(0.1), "0.1");
    }
}
