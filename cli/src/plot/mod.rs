//! Figures (plotters, PNG or SVG by file extension) with an embedded font, so that no system font
//! or fontconfig is needed: DejaVu Sans is compiled in and registered as "sans-serif".
//!
//! One file per kind of figure: [`stability`] draws a map with its exact curves, [`overlay`] the
//! heavy-ball and Nesterov stability regions on one plot.

pub mod certified;
pub mod cycle;
pub mod delay;
pub mod framework;
pub mod noise;
pub mod overlay;
pub mod paths;
pub mod schedule;
pub mod stability;
pub mod sweep;
pub mod tuned;
pub mod zoo;

use momentum::error::{Error, Result};
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::Path;
use std::sync::Once;

/// DejaVu Sans (Bitstream Vera licence, see assets/fonts/DejaVuSans.LICENSE).
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The font family every figure uses.
pub const FAMILY: &str = "sans-serif";

/// Figure size in pixels.
pub const SIZE: (u32, u32) = (1280, 900);

pub(crate) fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // the bytes are a valid TrueType file compiled into the binary; a failure here is a
        // build defect, and the text would then fail to draw with a reported error, not a panic
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

/// PNG or SVG, from the file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Raster.
    Png,
    /// Vector.
    Svg,
}

/// The format a path asks for, or an error naming the extension.
pub fn format_of(path: &Path) -> Result<Format> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("png") => Ok(Format::Png),
        Some("svg") => Ok(Format::Svg),
        _ => Err(Error::Unsupported(format!(
            "cannot tell the figure format of {}: use a .png or .svg file name",
            path.display()
        ))),
    }
}

pub(crate) fn plot_err<E: std::fmt::Display>(path: &Path) -> impl Fn(E) -> Error + '_ {
    move |e| Error::Unsupported(format!("drawing {} failed: {e}", path.display()))
}

/// Register the font and open a PNG or SVG drawing area for `path`, then run `draw` on it.
macro_rules! on_backend {
    ($path:expr, $draw:expr) => {{
        let path: &std::path::Path = $path;
        $crate::plot::register();
        let r: std::result::Result<(), String> = match $crate::plot::format_of(path)? {
            $crate::plot::Format::Png => $draw(
                plotters::prelude::BitMapBackend::new(path, $crate::plot::SIZE).into_drawing_area(),
            ),
            $crate::plot::Format::Svg => $draw(
                plotters::prelude::SVGBackend::new(path, $crate::plot::SIZE).into_drawing_area(),
            ),
        };
        r.map_err($crate::plot::plot_err(path))
    }};
}
pub(crate) use on_backend;

/// Colour of a stable cell with radius ρ ∈ [0, 1): viridis (perceptually uniform).
pub fn radius_colour(rho: f64) -> RGBColor {
    use plotters::style::colors::colormaps::ViridisRGB;
    ViridisRGB::get_color(rho.clamp(0.0, 1.0))
}

/// How a map's stable radii become colours: linear in ρ from a rounded-down smallest stable ρ
/// to 1, or — when every stable cell is within 0.05 of 1, as at realistic condition numbers,
/// where a linear scale paints one flat colour — linear in log₁₀(1 − ρ) over the stable cells'
/// range (5, 10 or 15 decades). Both send the best cell to viridis' dark end and ρ → 1 to yellow.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// t = (ρ − vmin)/(1 − vmin).
    Linear {
        /// The bottom of the scale, a multiple of 0.05 in [0, 0.95).
        vmin: f64,
    },
    /// t = (top − log₁₀(1 − ρ))/(top − bottom): `top` the best cell's log gap, `bottom` the worst.
    LogGap {
        /// log₁₀(1 − ρ) of the smallest stable ρ.
        top: f64,
        /// `top` less 5, 10 or 15 decades: the largest stable ρ's log gap, rounded out.
        bottom: f64,
    },
}

impl Scale {
    /// The scale for these radii (stable ones, ρ < 1, decide it).
    pub fn for_radii(radii: impl IntoIterator<Item = f64>) -> Scale {
        let (mut lo, mut hi) = (1.0f64, 0.0f64);
        for r in radii.into_iter().filter(|r| *r < 1.0) {
            lo = lo.min(r);
            hi = hi.max(r);
        }
        if lo < 0.95 || lo > hi {
            return Scale::Linear {
                vmin: ((lo.min(0.95) / 0.05).floor() * 0.05).clamp(0.0, 0.9),
            };
        }
        // 1 − ρ is exact for ρ ∈ [0.5, 1)
        let top = ((1.0 - lo).log10() - 1e-9).ceil();
        // 5, 10 or 15 decades, so that the bar's ticks (fifths) fall on whole decades
        let span = ((top - ((1.0 - hi).log10() + 1e-3).floor()) / 5.0)
            .ceil()
            .clamp(1.0, 3.0)
            * 5.0;
        Scale::LogGap {
            top,
            bottom: top - span,
        }
    }

    /// Where ρ falls on the colour map, in [0, 1].
    pub fn t(&self, rho: f64) -> f64 {
        match *self {
            Scale::Linear { vmin } => (rho - vmin) / (1.0 - vmin),
            Scale::LogGap { top, bottom } => (top - (1.0 - rho).log10()) / (top - bottom),
        }
        .clamp(0.0, 1.0)
    }

    /// ρ's colour.
    pub fn colour(&self, rho: f64) -> RGBColor {
        radius_colour(self.t(rho))
    }

    /// The colour bar's label at position t ∈ [0, 1] (ρ, or 1 − ρ on the log scale).
    pub fn label(&self, t: f64) -> String {
        match *self {
            Scale::Linear { vmin } => format!("{:.2}", vmin + (1.0 - vmin) * t),
            Scale::LogGap { top, bottom } => {
                format!("1e{}", (top - (top - bottom) * t).round())
            }
        }
    }

    /// The colour bar's caption for the quantity `what` (e.g. "ρ").
    pub fn caption(&self, what: &str) -> String {
        match self {
            Scale::Linear { .. } => what.to_string(),
            Scale::LogGap { .. } => format!("1 − {what}"),
        }
    }
}

/// Colour of a divergent cell (ρ ≥ 1): one light grey, outside the colour map.
pub const DIVERGENT: RGBColor = RGBColor(215, 215, 215);

#[cfg(test)]
mod tests {
    use super::Scale;

    #[test]
    fn the_colour_scale_spreads_radii_near_one_by_their_gap() {
        // κ = 1e6-like map: every stable ρ above 0.99
        let s = Scale::for_radii([0.99, 0.999_999, 1.0 - 1e-12, 1.5]);
        assert_eq!(
            s,
            Scale::LogGap {
                top: -2.0,
                bottom: -12.0
            }
        );
        assert!(s.t(0.99) < s.t(0.999_999) && s.t(0.999_999) < s.t(1.0 - 1e-12));
        assert_eq!((s.t(0.99), s.t(1.0 - 1e-12)), (0.0, 1.0));
        assert_eq!((s.label(0.0), s.label(0.2)), ("1e-2".into(), "1e-4".into()));
        assert_eq!(s.caption("ρ"), "1 − ρ");
        // a map with small radii keeps the linear scale from a multiple of 0.05
        let s = Scale::for_radii([0.53, 0.9, 1.2]);
        assert_eq!(s, Scale::Linear { vmin: 0.5 });
        assert_eq!((s.t(0.5), s.t(1.0)), (0.0, 1.0));
    }
}
