//! Plural forms of whole numbers, after the CLDR plural rules of each language.

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Plural {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl Plural {
    pub fn named(name: &str) -> Option<Plural> {
        Some(match name {
            "zero" => Plural::Zero,
            "one" => Plural::One,
            "two" => Plural::Two,
            "few" => Plural::Few,
            "many" => Plural::Many,
            "other" => Plural::Other,
            _ => return None,
        })
    }

    /// Its name in words files and in `Intl.PluralRules`.
    pub fn name(self) -> &'static str {
        match self {
            Plural::Zero => "zero",
            Plural::One => "one",
            Plural::Two => "two",
            Plural::Few => "few",
            Plural::Many => "many",
            Plural::Other => "other",
        }
    }
}

/// The rule a language's whole numbers follow.
enum Rule {
    /// 1 is one, the rest other: English, German, Spanish, Italian, Dutch, ...
    OneOther,
    /// 0 and 1 are one: French, Portuguese.
    ZeroOneOther,
    /// One, few, many by the last digits: Ukrainian, Russian, Belarusian.
    EastSlavic,
    Polish,
    /// Two forms besides one: Hebrew.
    Hebrew,
    Arabic,
    /// No plural forms: Chinese, Japanese, Korean, ...
    Only,
}

fn rule(lang: &str) -> Rule {
    let primary = lang.split(['-', '_']).next().unwrap_or(lang);
    match primary.to_ascii_lowercase().as_str() {
        "fr" | "pt" => Rule::ZeroOneOther,
        "uk" | "ru" | "be" => Rule::EastSlavic,
        "pl" => Rule::Polish,
        "he" => Rule::Hebrew,
        "ar" => Rule::Arabic,
        "zh" | "ja" | "ko" | "vi" | "th" | "id" | "ms" => Rule::Only,
        _ => Rule::OneOther,
    }
}

/// The category of `n` in `lang`.
pub fn category(lang: &str, n: u64) -> Plural {
    let (ten, hundred) = (n % 10, n % 100);
    match rule(lang) {
        Rule::OneOther if n == 1 => Plural::One,
        Rule::ZeroOneOther if n <= 1 => Plural::One,
        Rule::EastSlavic if ten == 1 && hundred != 11 => Plural::One,
        Rule::EastSlavic | Rule::Polish
            if (2..=4).contains(&ten) && !(12..=14).contains(&hundred) =>
        {
            Plural::Few
        }
        Rule::Polish if n == 1 => Plural::One,
        Rule::EastSlavic | Rule::Polish => Plural::Many,
        Rule::Hebrew if n == 1 => Plural::One,
        Rule::Hebrew if n == 2 => Plural::Two,
        Rule::Arabic => match (n, hundred) {
            (0, _) => Plural::Zero,
            (1, _) => Plural::One,
            (2, _) => Plural::Two,
            (_, 3..=10) => Plural::Few,
            (_, 11..=99) => Plural::Many,
            _ => Plural::Other,
        },
        _ => Plural::Other,
    }
}

/// The categories whole numbers fall in for `lang`: the forms a plural word needs.
pub fn needed(lang: &str) -> &'static [Plural] {
    use Plural::*;
    match rule(lang) {
        Rule::OneOther | Rule::ZeroOneOther => &[One, Other],
        Rule::EastSlavic | Rule::Polish => &[One, Few, Many],
        Rule::Hebrew => &[One, Two, Other],
        Rule::Arabic => &[Zero, One, Two, Few, Many, Other],
        Rule::Only => &[Other],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_of_each_rule() {
        let cases: &[(&str, u64, Plural)] = &[
            ("en", 0, Plural::Other),
            ("en", 1, Plural::One),
            ("en", 2, Plural::Other),
            ("de", 1, Plural::One),
            ("fr", 0, Plural::One),
            ("fr", 1, Plural::One),
            ("fr", 2, Plural::Other),
            ("uk", 1, Plural::One),
            ("uk", 2, Plural::Few),
            ("uk", 5, Plural::Many),
            ("uk", 11, Plural::Many),
            ("uk", 12, Plural::Many),
            ("uk", 21, Plural::One),
            ("uk", 22, Plural::Few),
            ("uk", 111, Plural::Many),
            ("ru-RU", 104, Plural::Few),
            ("pl", 1, Plural::One),
            ("pl", 22, Plural::Few),
            ("pl", 21, Plural::Many),
            ("ar", 0, Plural::Zero),
            ("ar", 103, Plural::Few),
            ("ar", 111, Plural::Many),
            ("ar", 100, Plural::Other),
            ("he", 2, Plural::Two),
            ("ja", 1, Plural::Other),
        ];
        for &(lang, n, want) in cases {
            assert_eq!(category(lang, n), want, "{lang} {n}");
        }
    }

    /// Every number falls in a category its language lists as needed.
    #[test]
    fn every_category_is_needed() {
        for lang in ["en", "fr", "uk", "pl", "he", "ar", "ja"] {
            for n in 0..300 {
                assert!(needed(lang).contains(&category(lang, n)), "{lang} {n}");
            }
        }
    }
}
