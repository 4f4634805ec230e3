//! Dates as authors write them: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, kept as given.

use std::cmp::Ordering;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::date_lang::DateLang;

/// A possibly partial calendar date. A partial date sorts before the full dates
/// of its period (`2024-05` < `2024-05-01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Date {
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        let bad_shape =
            || format!("invalid date `{text}`: expected `YYYY`, `YYYY-MM` or `YYYY-MM-DD`");
        let parts: Vec<&str> = text.split('-').collect();
        let widths = [4, 2, 2];
        if parts.is_empty() || parts.len() > 3 {
            return Err(bad_shape());
        }
        for (part, width) in parts.iter().zip(widths) {
            if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad_shape());
            }
        }
        let year: u16 = parts[0].parse().map_err(|_| bad_shape())?;
        let month: Option<u8> = parts.get(1).map(|m| m.parse().unwrap_or(0));
        let day: Option<u8> = parts.get(2).map(|d| d.parse().unwrap_or(0));
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(format!("invalid date `{text}`: the month must be 01 to 12"));
            }
            if let Some(d) = day {
                let last = days_in_month(year, m);
                if d < 1 || d > last {
                    return Err(format!(
                        "invalid date `{text}`: {} {year} has days 01 to {last}",
                        DateLang::english_month(m)
                    ));
                }
            }
        }
        Ok(Date { year, month, day })
    }

    fn sort_key(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(0), self.day.unwrap_or(0))
    }

    /// The first day of the date's period: (year, month, day).
    pub fn first_day(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day of the date's period: `2024-05` ends on (2024, 5, 31).
    pub fn last_day(&self) -> (u16, u8, u8) {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        (self.year, month, day)
    }

    /// `30 May 2024`, `May 2024`, `2024`.
    pub fn display(&self) -> String {
        self.display_in(DateLang::En)
    }

    /// The date in a language: `30 mai 2024`, `mai 2024`, `2024`.
    pub fn display_in(&self, lang: DateLang) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => lang.day(d, m, self.year),
            (Some(m), None) => lang.month(m, self.year),
            _ => self.year.to_string(),
        }
    }

    /// `2024-05`: the month this date falls in, for grouping.
    pub fn month_key(&self) -> String {
        match self.month {
            Some(m) => format!("{:04}-{m:02}", self.year),
            None => format!("{:04}", self.year),
        }
    }

    /// The month this date falls in, in a language: `May 2024`, `травень 2024`.
    pub fn month_label_in(&self, lang: DateLang) -> String {
        match self.month {
            Some(m) => lang.month(m, self.year),
            None => self.year.to_string(),
        }
    }

    /// RFC 3339 timestamp at the start of the date's period, for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }

    /// `2024-05-30` with missing parts filled with `01`, for W3C datetime fields.
    pub fn full(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date: YYYY, YYYY-MM or YYYY-MM-DD")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Date, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Date, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_keeps_partial_dates() {
        assert_eq!(Date::parse("2024").unwrap().to_string(), "2024");
        assert_eq!(Date::parse("2024-05").unwrap().to_string(), "2024-05");
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
    }

    #[test]
    fn rejects_impossible_and_foreign_dates() {
        assert!(Date::parse("2024-13-45").unwrap_err().contains("month"));
        assert!(Date::parse("2023-02-29")
            .unwrap_err()
            .contains("days 01 to 28"));
        assert!(Date::parse("May 2024").unwrap_err().contains("expected"));
        assert!(Date::parse("2024-5").is_err());
    }

    #[test]
    fn partial_dates_sort_before_their_period() {
        let mut dates: Vec<Date> = ["2024-05-30", "2024-05", "2024", "2023-12-31", "2024-05-01"]
            .iter()
            .map(|s| Date::parse(s).unwrap())
            .collect();
        dates.sort();
        let shown: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            shown,
            ["2023-12-31", "2024", "2024-05", "2024-05-01", "2024-05-30"]
        );
    }
}
