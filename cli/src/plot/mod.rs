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
pub mod stability;
pub mod tuned;

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

/// Colour of a divergent cell (ρ ≥ 1): one light grey, outside the colour map.
pub const DIVERGENT: RGBColor = RGBColor(215, 215, 215);
