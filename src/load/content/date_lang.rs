//! Dates in the site's language: month names and the order of day, month and year.

/// A language the dates are written in; other languages fall back to English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DateLang {
    #[default]
    En,
    Fr,
    De,
    Es,
    Uk,
    Ru,
}

const EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
/// Ukrainian and Russian name the month of a day in the genitive, a month alone
/// in the nominative.
const UK: [&str; 12] = [
    "січень",
    "лютий",
    "березень",
    "квітень",
    "травень",
    "червень",
    "липень",
    "серпень",
    "вересень",
    "жовтень",
    "листопад",
    "грудень",
];
const UK_OF: [&str; 12] = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
];
const RU: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];
const RU_OF: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

impl DateLang {
    /// The language of a site's `language` code: `fr`, `fr-CA` and `FR` are French.
    pub fn of(code: &str) -> DateLang {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        // Called for every date value: compare without allocating a lowercase copy.
        let is = |tag: &str| primary.eq_ignore_ascii_case(tag);
        if is("fr") {
            DateLang::Fr
        } else if is("de") {
            DateLang::De
        } else if is("es") {
            DateLang::Es
        } else if is("uk") {
            DateLang::Uk
        } else if is("ru") {
            DateLang::Ru
        } else {
            DateLang::En
        }
    }

    /// The English month name, for messages to authors.
    pub fn english_month(month: u8) -> &'static str {
        EN[index(month)]
    }

    /// `30 May 2024`, `30 mai 2024`, `30. Mai 2024`, `30 de mayo de 2024`, `30 травня 2024`.
    pub fn day(self, day: u8, month: u8, year: u16) -> String {
        let m = index(month);
        match self {
            DateLang::En => format!("{day} {} {year}", EN[m]),
            DateLang::Fr if day == 1 => format!("1er {} {year}", FR[m]),
            DateLang::Fr => format!("{day} {} {year}", FR[m]),
            DateLang::De => format!("{day}. {} {year}", DE[m]),
            DateLang::Es => format!("{day} de {} de {year}", ES[m]),
            DateLang::Uk => format!("{day} {} {year}", UK_OF[m]),
            DateLang::Ru => format!("{day} {} {year}", RU_OF[m]),
        }
    }

    /// `May 2024`, `mai 2024`, `Mai 2024`, `mayo de 2024`, `травень 2024`, `май 2024`.
    pub fn month(self, month: u8, year: u16) -> String {
        let m = index(month);
        match self {
            DateLang::En => format!("{} {year}", EN[m]),
            DateLang::Fr => format!("{} {year}", FR[m]),
            DateLang::De => format!("{} {year}", DE[m]),
            DateLang::Es => format!("{} de {year}", ES[m]),
            DateLang::Uk => format!("{} {year}", UK[m]),
            DateLang::Ru => format!("{} {year}", RU[m]),
        }
    }
}

/// Months are checked to be 1 to 12 when parsed; clamp rather than panic.
fn index(month: u8) -> usize {
    usize::from(month.clamp(1, 12)) - 1
}

#[cfg(test)]
mod tests {
    use super::DateLang;

    #[test]
    fn days_and_months_in_each_language() {
        let cases = [
            ("en", "30 May 2024", "May 2024"),
            ("fr", "30 mai 2024", "mai 2024"),
            ("de", "30. Mai 2024", "Mai 2024"),
            ("es", "30 de mayo de 2024", "mayo de 2024"),
            ("uk", "30 травня 2024", "травень 2024"),
            ("ru", "30 мая 2024", "май 2024"),
        ];
        for (code, day, month) in cases {
            let lang = DateLang::of(code);
            assert_eq!(lang.day(30, 5, 2024), day, "{code}");
            assert_eq!(lang.month(5, 2024), month, "{code}");
        }
    }

    #[test]
    fn regions_and_unknown_languages() {
        assert_eq!(DateLang::of("fr-CA"), DateLang::Fr);
        assert_eq!(DateLang::of("DE"), DateLang::De);
        assert_eq!(DateLang::of("ar"), DateLang::En);
        assert_eq!(DateLang::Fr.day(1, 8, 2024), "1er août 2024");
    }
}
