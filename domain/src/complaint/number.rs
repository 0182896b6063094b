//! The human-readable complaint number `TS-YYYY-NNNNNN`.

use std::fmt;

/// `TS-` + the year of registration + a six-digit sequence that restarts every year.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ComplaintNumber {
    year: i32,
    sequence: u32,
}

/// A number outside the format or range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a complaint number of the form TS-YYYY-NNNNNN")]
pub struct InvalidComplaintNumber(pub String);

pub const MAX_SEQUENCE: u32 = 999_999;

impl ComplaintNumber {
    /// # Errors
    /// When the year is not four digits or the sequence is 0 or above [`MAX_SEQUENCE`].
    pub fn new(year: i32, sequence: u32) -> Result<Self, InvalidComplaintNumber> {
        if (1000..=9999).contains(&year) && (1..=MAX_SEQUENCE).contains(&sequence) {
            Ok(Self { year, sequence })
        } else {
            Err(InvalidComplaintNumber(format!("TS-{year}-{sequence}")))
        }
    }

    /// # Errors
    /// When `raw` is not `TS-YYYY-NNNNNN`.
    pub fn parse(raw: &str) -> Result<Self, InvalidComplaintNumber> {
        let invalid = || InvalidComplaintNumber(raw.to_owned());
        let rest = raw.strip_prefix("TS-").ok_or_else(invalid)?;
        let (year, seq) = rest.split_once('-').ok_or_else(invalid)?;
        if year.len() != 4
            || seq.len() != 6
            || !(year.chars().chain(seq.chars())).all(|c| c.is_ascii_digit())
        {
            return Err(invalid());
        }
        let year = year.parse().map_err(|_| invalid())?;
        let seq = seq.parse().map_err(|_| invalid())?;
        Self::new(year, seq).map_err(|_| invalid())
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

impl fmt::Display for ComplaintNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TS-{}-{:06}", self.year, self.sequence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let n = ComplaintNumber::new(2026, 123).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(n.to_string(), "TS-2026-000123");
        assert_eq!(ComplaintNumber::parse("TS-2026-000123"), Ok(n));
        for bad in [
            "TS-2026-0001",
            "TS-26-000001",
            "XX-2026-000001",
            "TS-2026-000000",
            "TS-2026-00000a",
        ] {
            assert!(ComplaintNumber::parse(bad).is_err(), "{bad}");
        }
        assert!(ComplaintNumber::new(2026, MAX_SEQUENCE + 1).is_err());
    }
}
