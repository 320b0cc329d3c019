//! The charts' typeface: DejaVu Sans, embedded in the binary (from the
//! `dejavu` crate, under the Bitstream Vera / DejaVu licence) and rasterised
//! by `ab_glyph` in pure Rust. PNG text therefore renders the same on a
//! fresh machine with no font packages and no fontconfig.
//!
//! Plotters needs the faces registered to lay text out; resvg, which turns
//! the SVG into the PNG, needs them in its own font database.

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

/// resvg's options with the embedded faces as the only fonts, every
/// generic family mapped to DejaVu Sans; built once per process.
pub fn svg_options() -> &'static resvg::usvg::Options<'static> {
    static OPTIONS: OnceLock<resvg::usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut o = resvg::usvg::Options {
            font_family: "DejaVu Sans".into(),
            ..Default::default()
        };
        let db = o.fontdb_mut();
        for face in [
            dejavu::sans::regular(),
            dejavu::sans::bold(),
            dejavu::sans::oblique(),
        ] {
            db.load_font_data(face.to_vec());
        }
        db.set_sans_serif_family("DejaVu Sans");
        db.set_serif_family("DejaVu Sans");
        db.set_monospace_family("DejaVu Sans");
        o
    })
}

#[cfg(test)]
mod tests {
    /// The columns of a rendered PNG that hold ink, as runs of adjacent
    /// columns: one run per glyph that stands apart.
    fn ink_runs(png: &[u8]) -> usize {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let (w, h) = (info.width as usize, info.height as usize);
        let inked = |x: usize| (0..h).any(|y| buf[(y * w + x) * 3] < 128);
        (0..w)
            .filter(|&x| inked(x) && (x == 0 || !inked(x - 1)))
            .count()
    }

    /// Regression: plotters' bitmap text placed each glyph without its side
    /// bearing, so "portrelease" ran together and the dot of
    /// `policy.inspection_rate` sat inside the "y". The PNG is now the SVG
    /// rendered by resvg with the embedded face: "l.l" is three glyphs
    /// with clear space between them.
    #[test]
    fn png_text_keeps_each_glyph_apart() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><text x="10" y="45" font-family="sans-serif" font-size="40">l.l</text></svg>"#;
        let png = crate::plot::png_of_svg(svg, (120, 60)).unwrap();
        assert_eq!(ink_runs(&png), 3);
    }
}
