//! CSV files that are safe to open in a spreadsheet. A cell that begins
//! with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
//! LibreOffice and Google Sheets as a formula, so a name such as
//! `=HYPERLINK(...)` from a scenario file would run when the file is
//! opened. Such a cell is written with a leading `'` (OWASP's advice), which
//! the spreadsheet shows as text; a number such as `-0.5` is left as it is.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a cell a spreadsheet will not evaluate.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    let is_number = || text.parse::<f64>().is_ok_and(f64::is_finite);
    if text.starts_with(FORMULA_STARTS) && !is_number() {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// An in-memory CSV writer that neutralises every cell it writes.
pub struct SheetWriter(csv::Writer<Vec<u8>>);

impl SheetWriter {
    pub fn new() -> Self {
        Self(csv::Writer::from_writer(Vec::new()))
    }

    /// Writes one row, each cell neutralised.
    pub fn row<I, T>(&mut self, cells: I) -> anyhow::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        let cells: Vec<T> = cells.into_iter().collect();
        for c in &cells {
            self.0.write_field(neutralise(c.as_ref()).as_bytes())?;
        }
        Ok(self.0.write_record(None::<&[u8]>)?)
    }

    /// The file's bytes.
    pub fn into_bytes(self) -> anyhow::Result<Vec<u8>> {
        Ok(self.0.into_inner()?)
    }
}

impl Default for SheetWriter {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-inf", "'-inf"),
            ("-0.5", "-0.5"),
            ("+1e5", "+1e5"),
            ("-3", "-3"),
            ("resource=-x", "resource=-x"),
            ("", ""),
            ("plain", "plain"),
        ] {
            assert_eq!(neutralise(cell), written, "{cell:?}");
        }
    }

    #[test]
    fn every_cell_of_a_row_is_neutralised() {
        let mut w = SheetWriter::new();
        w.row(["a", "=1+1", "-0.25"]).unwrap();
        assert_eq!(w.into_bytes().unwrap(), b"a,'=1+1,-0.25\n");
    }
}
