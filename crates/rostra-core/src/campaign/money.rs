//! Money: an ISO 4217 currency and amounts in its minor unit (cents), never
//! floats. Amounts are parsed from decimal text ("2500", "25.50") and
//! written per locale ("$2,500", "2.500 $", "2 500 $").

use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The most an amount may be, in minor units: ten trillion, far past any
/// campaign, far below where sums of many could overflow an `i64`.
pub const MAX_AMOUNT: i64 = 10_000_000_000_000;

/// An ISO 4217 currency code, upper case (`USD`, `EUR`, `JPY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// Currencies without a minor unit (Stripe's "zero-decimal" list).
const ZERO_DECIMAL: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
    "XAF", "XOF", "XPF", "ISK",
];
/// Currencies with three decimals.
const THREE_DECIMAL: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

impl Currency {
    /// Parses a three-letter code, either case (`usd` becomes `USD`).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let bytes = raw.trim().as_bytes();
        match bytes {
            [a, b, c] if bytes.iter().all(u8::is_ascii_alphabetic) => Ok(Self([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(FieldError::new(
                "currency",
                "a currency is a three-letter ISO 4217 code such as USD or EUR",
            )),
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        // Three ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point: 0 for JPY, 3 for KWD, else 2.
    pub fn exponent(&self) -> u32 {
        if ZERO_DECIMAL.contains(&self.as_str()) {
            0
        } else if THREE_DECIMAL.contains(&self.as_str()) {
            3
        } else {
            2
        }
    }

    /// The sign readers know it by (`$`, `€`), else its code.
    pub fn symbol(&self) -> &str {
        match self.as_str() {
            "USD" | "CAD" | "AUD" | "NZD" | "MXN" => "$",
            "EUR" => "€",
            "GBP" => "£",
            "JPY" => "¥",
            "INR" => "₹",
            other => other,
        }
    }

    /// Parses decimal text in major units ("25", "25.5", "1,400.00" is
    /// refused: no grouping) into minor units, exactly. `field` names the
    /// field in the error.
    pub fn parse_amount(&self, raw: &str, field: &str) -> Result<i64, FieldError> {
        let bad = || {
            FieldError::new(
                field,
                format!(
                    "an amount is a positive number with at most {} decimals, e.g. 25 or 25.50",
                    self.exponent()
                ),
            )
        };
        let raw = raw.trim();
        let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) || whole.len() > 15 {
            return Err(bad());
        }
        let exp = self.exponent() as usize;
        if frac.len() > exp || (raw.contains('.') && frac.is_empty()) {
            return Err(bad());
        }
        let padded = format!("{whole}{frac:0<exp$}");
        let amount: i64 = padded.parse().map_err(|_| bad())?;
        check_amount(amount, field)?;
        Ok(amount)
    }

    /// `minor` written as decimal text in major units, without grouping or
    /// symbol ("2500", "25.50"), as [`Currency::parse_amount`] reads it.
    pub fn plain(&self, minor: i64) -> String {
        let exp = self.exponent();
        let unit = 10i64.pow(exp);
        let sign = if minor < 0 { "-" } else { "" };
        let (whole, frac) = (
            minor.unsigned_abs() / unit as u64,
            minor.unsigned_abs() % unit as u64,
        );
        if exp == 0 {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{frac:0width$}", width = exp as usize)
        }
    }

    /// `minor` written for readers in `style`: grouped, with the currency's
    /// sign, and decimals only when the amount has a fractional part
    /// ("2,500 $" but "25.50 $").
    pub fn format(&self, minor: i64, style: &NumberStyle) -> String {
        let exp = self.exponent();
        let unit = 10u64.pow(exp);
        let abs = minor.unsigned_abs();
        let (whole, frac) = (abs / unit, abs % unit);
        let digits = whole.to_string();
        let mut grouped = String::with_capacity(digits.len() + 8);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 && (digits.len() > 4 || style.group_four) {
                grouped.push_str(style.group);
            }
            grouped.push(c);
        }
        if frac != 0 {
            grouped.push(style.decimal);
            grouped.push_str(&format!("{frac:0width$}", width = exp as usize));
        }
        let sign = if minor < 0 { "-" } else { "" };
        if style.symbol_first {
            let gap = if self.symbol() == self.as_str() {
                "\u{a0}"
            } else {
                ""
            };
            format!("{sign}{}{gap}{grouped}", self.symbol())
        } else {
            format!("{sign}{grouped}\u{a0}{}", self.symbol())
        }
    }
}

/// Refuses zero, negative and absurd amounts.
pub fn check_amount(amount: i64, field: &str) -> Result<(), FieldError> {
    if amount <= 0 || amount > MAX_AMOUNT {
        return Err(FieldError::new(
            field,
            "an amount is positive and at most 10^13 minor units",
        ));
    }
    Ok(())
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Currency::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// How a locale writes numbers and money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberStyle {
    /// Between groups of three digits.
    pub group: &'static str,
    /// Whether four-digit numbers are grouped too (English: "2,500"; Spanish
    /// writes "2500").
    pub group_four: bool,
    /// Before the decimals.
    pub decimal: char,
    /// The sign before the number ("$2,500"), else after it ("2.500 $").
    pub symbol_first: bool,
}

impl NumberStyle {
    /// English: `$2,500.50`.
    pub const EN: Self = Self {
        group: ",",
        group_four: true,
        decimal: '.',
        symbol_first: true,
    };
    /// German: `2.500,50 $`.
    pub const DE: Self = Self {
        group: ".",
        group_four: true,
        decimal: ',',
        symbol_first: false,
    };
    /// French: `2 500,50 $` (a narrow no-break space between groups).
    pub const FR: Self = Self {
        group: "\u{202f}",
        group_four: true,
        decimal: ',',
        symbol_first: false,
    };
    /// Spanish: `2500,50 $`, `12.500 $`.
    pub const ES: Self = Self {
        group: ".",
        group_four: false,
        decimal: ',',
        symbol_first: false,
    };
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("usd").unwrap()
    }

    #[test]
    fn codes_are_three_letters_upper_cased() {
        assert_eq!(usd().as_str(), "USD");
        assert!(Currency::parse("US").is_err());
        assert!(Currency::parse("U$D").is_err());
        assert!(Currency::parse("dollars").is_err());
    }

    #[test]
    fn amounts_parse_exactly_in_minor_units() {
        assert_eq!(usd().parse_amount("25", "a").unwrap(), 2500);
        assert_eq!(usd().parse_amount("25.5", "a").unwrap(), 2550);
        assert_eq!(usd().parse_amount("0.01", "a").unwrap(), 1);
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(jpy.parse_amount("500", "a").unwrap(), 500);
        assert!(jpy.parse_amount("500.5", "a").is_err());
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(kwd.parse_amount("1.234", "a").unwrap(), 1234);
        for bad in ["", "-5", "0", "1,400", "1.", "1.234", "1e3", " . ", "NaN"] {
            let e = usd().parse_amount(bad, "amount").unwrap_err();
            assert_eq!(e.field, "amount", "{bad}");
        }
    }

    #[test]
    fn plain_text_round_trips() {
        for (minor, text) in [(250_000, "2500.00"), (1, "0.01"), (-150, "-1.50")] {
            assert_eq!(usd().plain(minor), text);
        }
        assert_eq!(
            usd().parse_amount(&usd().plain(12_345), "a").unwrap(),
            12_345
        );
    }

    #[test]
    fn amounts_are_written_per_locale() {
        let usd = usd();
        assert_eq!(usd.format(140_000, &NumberStyle::EN), "$1,400");
        assert_eq!(usd.format(2550, &NumberStyle::EN), "$25.50");
        assert_eq!(usd.format(140_000, &NumberStyle::DE), "1.400\u{a0}$");
        assert_eq!(
            usd.format(123_456_789, &NumberStyle::DE),
            "1.234.567,89\u{a0}$"
        );
        assert_eq!(usd.format(250_000, &NumberStyle::FR), "2\u{202f}500\u{a0}$");
        assert_eq!(usd.format(250_000, &NumberStyle::ES), "2500\u{a0}$");
        assert_eq!(usd.format(1_250_000, &NumberStyle::ES), "12.500\u{a0}$");
        assert_eq!(usd.format(0, &NumberStyle::EN), "$0");
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(eur.format(500_000, &NumberStyle::DE), "5.000\u{a0}€");
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(jpy.format(150_000, &NumberStyle::EN), "¥150,000");
        let chf = Currency::parse("CHF").unwrap();
        assert_eq!(chf.format(1000, &NumberStyle::EN), "CHF\u{a0}10");
    }
}
