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
}
