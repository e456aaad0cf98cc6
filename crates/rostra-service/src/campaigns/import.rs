//! Donations from a CSV file (a processor's export, a spreadsheet): a header
//! line, then one donation a line. Columns, by name, in any order: `id`
//! (required: a second import of the same line records nothing), `amount`
//! (required, decimal in major units: `25` or `25.50`; a leading `-` makes
//! a refund), `currency` (default: the campaign's), `date` (RFC 3339 or
//! `YYYY-MM-DD`; default: now) and `note`. Every line is checked before any
//! is recorded; a bad one is named (`line 3: amount`).

use super::{parse_event_id, ManualDonation};
use crate::{Service, ServiceError};
use rostra_core::campaign::{parse_instant, Source};
use rostra_core::{CampaignSlug, Currency, FieldError, SiteId};

/// The most lines one import takes.
pub const MAX_LINES: usize = 10_000;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    /// Lines recorded.
    pub recorded: u64,
    /// Lines seen before (same id).
    pub duplicates: u64,
}

fn parse(csv_text: &str, default: Currency) -> Result<Vec<ManualDonation>, FieldError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(csv_text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| FieldError::new("csv", format!("no header line: {e}")))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(id_col), Some(amount_col)) = (col("id"), col("amount")) else {
        return Err(FieldError::new(
            "csv",
            "the header names no id or no amount column",
        ));
    };
    let (currency_col, date_col, note_col) = (col("currency"), col("date"), col("note"));
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let field = |name: &str| format!("line {line}: {name}");
        let record = record.map_err(|e| FieldError::new(field("csv"), e.to_string()))?;
        if out.len() == MAX_LINES {
            return Err(FieldError::new(
                "csv",
                format!("at most {MAX_LINES} lines an import"),
            ));
        }
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).filter(|v| !v.is_empty());
        let currency = match get(currency_col) {
            Some(raw) => {
                Currency::parse(raw).map_err(|e| FieldError::new(field("currency"), e.message))?
            }
            None => default,
        };
        let raw_amount = get(Some(amount_col)).unwrap_or_default();
        let (refund, digits) = match raw_amount.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, raw_amount),
        };
        out.push(ManualDonation {
            amount: currency.parse_amount(digits, &field("amount"))?,
            currency: Some(currency),
            refund,
            id: Some(parse_event_id(
                get(Some(id_col)).unwrap_or_default(),
                &field("id"),
            )?),
            note: get(note_col).map(str::to_owned),
            at: get(date_col)
                .map(|d| parse_instant(d, &field("date")))
                .transpose()?,
        });
    }
    Ok(out)
}

impl Service {
    /// Records every line of a CSV file (each line once, however often the
    /// file is imported).
    pub async fn import_donations(
        &self,
        site: &SiteId,
        slug: &CampaignSlug,
        csv_text: &str,
    ) -> Result<Imported, ServiceError> {
        let campaign = self.campaign(site, slug).await?;
        let mut done = Imported::default();
        for entry in parse(csv_text, campaign.spec.currency)? {
            let recorded = self.manual_donation(site, slug, entry, Source::Csv).await?;
            if recorded.duplicate {
                done.duplicates += 1;
            } else {
                done.recorded += 1;
            }
        }
        Ok(done)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    #[test]
    fn lines_parse_in_any_column_order() {
        let rows = parse(
            "note,amount,id,date,currency\nthanks,25.50,a1,2026-09-02,\n,-5,a2,,EUR\n",
            usd(),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].amount, rows[0].refund), (2550, false));
        assert_eq!(rows[0].currency, Some(usd()));
        assert_eq!(rows[0].note.as_deref(), Some("thanks"));
        assert!(rows[0].at.is_some());
        assert_eq!((rows[1].amount, rows[1].refund), (500, true));
        assert_eq!(rows[1].currency, Some(Currency::parse("EUR").unwrap()));
    }

    #[test]
    fn a_bad_line_is_named() {
        let e = parse("id,amount\na1,25\na2,25.5.5\n", usd()).unwrap_err();
        assert_eq!(e.field, "line 3: amount");
        let e = parse("id,amount\n,25\n", usd()).unwrap_err();
        assert_eq!(e.field, "line 2: id");
        let e = parse("who,what\nx,y\n", usd()).unwrap_err();
        assert_eq!(e.field, "csv");
    }
}
