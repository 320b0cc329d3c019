//! The charts' typeface: DejaVu Sans, embedded in the binary (from the
//! `dejavu` crate, under the Bitstream Vera / DejaVu licence) and rasterised
//! by `ab_glyph` in pure Rust. PNG text therefore renders the same on a
//! fresh machine with no font packages and no fontconfig.

use std::sync::OnceLock;

use plotters::style::{FontStyle, register_font};

/// The family name charts ask for; SVG viewers fall back to their own
/// sans-serif face, PNGs use the embedded DejaVu Sans.
pub const FAMILY: &str = "sans-serif";

/// Registers the embedded faces with plotters, once per process. Every
/// drawing function calls this first: plotters' text layout needs a
/// registered face even when it writes SVG.
pub fn ensure_registered() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let faces = [
            (FontStyle::Normal, dejavu::sans::regular()),
            (FontStyle::Bold, dejavu::sans::bold()),
            (FontStyle::Oblique, dejavu::sans::oblique()),
            (FontStyle::Italic, dejavu::sans::oblique()),
        ];
        for (style, bytes) in faces {
            // The bytes are a known-good TrueType file compiled in; a
            // failure here is a build defect, not bad input.
            if register_font(FAMILY, style, bytes).is_err() {
                panic!("the embedded DejaVu Sans is not a valid font");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    /// Text drawn into a bitmap must set pixels: the embedded face works
    /// without any system font.
    #[test]
    fn text_renders_into_a_bitmap() {
        ensure_registered();
        let (w, h) = (120u32, 40u32);
        let mut buf = vec![255u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            root.draw(&Text::new("Release", (5, 5), (FAMILY, 20).into_font()))
                .unwrap();
            root.present().unwrap();
        }
        let dark = buf.chunks(3).filter(|p| p[0] < 128).count();
        assert!(dark > 50, "only {dark} dark pixels: text did not render");
    }
}
