//! Labelled comments in the Jigsaw layout:
//! `id,comment_text,<label columns>[,lang][,source]`. A file has only the
//! label columns its source labelled; a missing column says nothing.

use crate::model::{LABELS, LABEL_COUNT};
use std::path::{Path, PathBuf};

/// One labelled comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The row's id, unique within its source.
    pub id: String,
    /// The comment.
    pub text: String,
    /// Per label: `Some(true)` positive, `Some(false)` negative, `None` not
    /// labelled by this file.
    pub labels: [Option<bool>; LABEL_COUNT],
    /// Where it comes from: the `source` column, else the file's name.
    pub source: String,
}

/// Why a data file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// Unreadable or malformed CSV.
    #[error("{path}: {source}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: csv::Error,
    },
    /// A column the format needs is missing.
    #[error("{path}: no {column:?} column; the header must name id, comment_text and at least one of toxic, severe_toxic, obscene, threat, insult, identity_hate")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column.
        column: &'static str,
    },
    /// A label cell that is neither 0 nor 1.
    #[error("{path}, row {row}: {column} is {value:?}, not 0 or 1")]
    BadLabel {
        /// The file.
        path: PathBuf,
        /// 1-based data row.
        row: usize,
        /// The label column.
        column: &'static str,
        /// What it held.
        value: String,
    },
}

/// Reads one file.
pub fn read_csv(path: &Path) -> Result<Vec<Example>, DataError> {
    let csv_err = |source| DataError::Csv {
        path: path.to_owned(),
        source,
    };
    let missing = |column| DataError::MissingColumn {
        path: path.to_owned(),
        column,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(csv_err)?;
    let headers = reader.headers().map_err(csv_err)?.clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let id = column("id").ok_or_else(|| missing("id"))?;
    let text = column("comment_text").ok_or_else(|| missing("comment_text"))?;
    let labels: [Option<usize>; LABEL_COUNT] = LABELS.map(column);
    if labels.iter().all(Option::is_none) {
        return Err(missing("toxic"));
    }
    let source_column = column("source");
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(csv_err)?;
        let mut parsed = [None; LABEL_COUNT];
        for (l, col) in labels.iter().enumerate() {
            let Some(col) = col else { continue };
            let value = record.get(*col).unwrap_or("").trim();
            parsed[l] = Some(match value {
                "1" | "1.0" => true,
                "0" | "0.0" => false,
                _ => {
                    return Err(DataError::BadLabel {
                        path: path.to_owned(),
                        row: row + 1,
                        column: LABELS[l],
                        value: value.to_owned(),
                    })
                }
            });
        }
        let source = source_column
            .and_then(|c| record.get(c))
            .filter(|s| !s.is_empty())
            .map_or_else(|| stem.clone(), str::to_owned);
        out.push(Example {
            id: record.get(id).unwrap_or("").to_owned(),
            text: record.get(text).unwrap_or("").to_owned(),
            labels: parsed,
            source,
        });
    }
    Ok(out)
}

/// Whether a row belongs to the held-out `percent` of its source: decided
/// by a hash of source and id alone, so a split never depends on the order
/// or the company of the rows.
pub fn is_held_out(example: &Example, percent: u8) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in example.source.bytes().chain([0]).chain(example.id.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h % 100 < u64::from(percent)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(content: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new()
            .suffix(".csv")
            .tempfile()
            .expect("temp file");
        f.write_all(content.as_bytes()).expect("write");
        f
    }

    #[test]
    fn missing_label_columns_say_nothing() {
        let f = file("id,comment_text,toxic,identity_hate,lang,source\na,\"hi, you\",1,0,en,tw\nb,there,0,0,en,\n");
        let rows = read_csv(f.path()).expect("reads");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].text, "hi, you");
        assert_eq!(
            rows[0].labels,
            [Some(true), None, None, None, None, Some(false)]
        );
        assert_eq!(rows[0].source, "tw");
        // An empty source falls back to the file's name.
        assert!(rows[1].source.starts_with(".tmp") || !rows[1].source.is_empty());
    }

    #[test]
    fn bad_files_are_named() {
        let f = file("id,text,toxic\na,b,1\n");
        let err = read_csv(f.path()).expect_err("no comment_text").to_string();
        assert!(err.contains("comment_text"), "{err}");
        let f = file("id,comment_text,toxic\na,b,yes\n");
        let err = read_csv(f.path()).expect_err("bad label").to_string();
        assert!(err.contains("row 1") && err.contains("toxic"), "{err}");
    }

    #[test]
    fn the_split_is_stable() {
        let ex = |id: &str| Example {
            id: id.into(),
            text: String::new(),
            labels: [None; LABEL_COUNT],
            source: "s".into(),
        };
        let held = (0..1000)
            .filter(|i| is_held_out(&ex(&i.to_string()), 20))
            .count();
        assert!((150..250).contains(&held), "{held}");
        assert_eq!(is_held_out(&ex("42"), 20), is_held_out(&ex("42"), 20));
        assert!(!is_held_out(&ex("42"), 0));
    }
}
