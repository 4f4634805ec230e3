//! What a shortcode call means: the built-ins' arguments and their types, the ids
//! they name (of the right kind), and the site's own shortcodes, whose arguments
//! are theirs to read. Every mistake is an error at the argument that makes it.

use std::collections::HashMap;
use std::ops::Range;

use super::parse::{Arg, ArgValue, Call};
use super::Embed;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::load::content::Date;
use crate::resolve::markdown::{Linker, TargetKind};

/// What an argument must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// An id of this kind.
    Id(TargetKind),
    /// An id of any actor, question, event or page.
    Entity,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Date,
    /// A whole number of at least 1.
    Count,
    Text,
    /// A list of ids of this kind, with at least `min` and at most `max` items.
    Ids(TargetKind, usize, usize),
}

impl Want {
    fn describe(self) -> &'static str {
        match self {
            Want::Id(TargetKind::Actor) => "a string (an actor id)",
            Want::Id(TargetKind::Question) => "a string (a question id)",
            Want::Id(_) | Want::Entity => "a string (an id)",
            Want::Date => "a string (a date: \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\")",
            Want::Count => "an integer",
            Want::Text => "a string",
            Want::Ids(TargetKind::Actor, ..) => "a list of actor ids",
            Want::Ids(..) => "a list of question ids",
        }
    }
}

struct Param {
    name: &'static str,
    want: Want,
    required: bool,
}

const fn req(name: &'static str, want: Want) -> Param {
    Param {
        name,
        want,
        required: true,
    }
}

const fn opt(name: &'static str, want: Want) -> Param {
    Param {
        name,
        want,
        required: false,
    }
}

/// A built-in shortcode: its arguments, whether it may stand inside a paragraph,
/// and whether it takes a body.
pub(super) struct Spec {
    pub name: &'static str,
    params: &'static [Param],
    pub inline: bool,
    body: bool,
}

const ACTOR: Want = Want::Id(TargetKind::Actor);
const QUESTION: Want = Want::Id(TargetKind::Question);

pub(super) const BUILT_INS: &[Spec] = &[
    Spec {
        name: "stance",
        params: &[
            req("actor", ACTOR),
            req("question", QUESTION),
            opt("as_of", Want::Date),
        ],
        inline: true,
        body: false,
    },
    Spec {
        name: "spectrum",
        params: &[req("question", QUESTION)],
        inline: false,
        body: false,
    },
    Spec {
        name: "matrix",
        params: &[
            opt("actors", Want::Ids(TargetKind::Actor, 1, usize::MAX)),
            opt("questions", Want::Ids(TargetKind::Question, 1, usize::MAX)),
        ],
        inline: false,
        body: false,
    },
    Spec {
        name: "card",
        params: &[req("id", Want::Entity)],
        inline: true,
        body: false,
    },
    Spec {
        name: "timeline",
        params: &[
            opt("question", QUESTION),
            opt("actor", ACTOR),
            opt("from", Want::Date),
            opt("to", Want::Date),
            opt("limit", Want::Count),
        ],
        inline: false,
        body: false,
    },
    Spec {
        name: "compare",
        params: &[req("actors", Want::Ids(TargetKind::Actor, 2, 4))],
        inline: false,
        body: false,
    },
    Spec {
        name: "figure",
        params: &[
            req("src", Want::Text),
            req("alt", Want::Text),
            opt("credit", Want::Text),
        ],
        inline: false,
        body: true,
    },
];

pub(super) fn built_in(name: &str) -> Option<&'static Spec> {
    BUILT_INS.iter().find(|s| s.name == name)
}

/// An argument's value once checked.
#[derive(Debug, Clone)]
enum Checked {
    Str(String),
    Date(Date),
    Count(usize),
    List(Vec<String>),
}

/// The embed `call` makes, standing `inline` in a paragraph or alone on its line:
/// `None` with its errors in `errors` when it makes none.
pub(crate) fn check(
    call: &Call,
    inline: bool,
    linker: &Linker,
    errors: &mut Vec<Diagnostic>,
) -> Option<Embed> {
    let Some(spec) = built_in(&call.name) else {
        return site_shortcode(call, linker, errors);
    };
    let before = errors.len();
    if inline && !spec.inline {
        errors.push(
            Diagnostic::error(format!(
                "`{}` is a block shortcode: it must stand alone on its line",
                spec.name
            ))
            .at(call.name_span.clone())
            .label("here it stands inside a paragraph")
            .help(
                "put it on a line of its own; only `stance` and `card` may stand inside a sentence",
            ),
        );
    }
    if call.body.is_some() && !spec.body {
        errors.push(
            Diagnostic::error(format!("`{}` takes no body", spec.name))
                .at(call.name_span.clone())
                .label("opened with `{%`")
                .help(format!(
                    "write it `{{{{ {}(...) }}}}`, without `{{% end %}}`",
                    spec.name
                )),
        );
    }
    let values = checked_args(call, spec, linker, errors);
    if errors.len() > before {
        return None;
    }
    Some(embed(spec.name, values))
}

/// The arguments of a built-in call, each checked; errors for unknown, repeated,
/// missing and mistyped ones.
fn checked_args(
    call: &Call,
    spec: &Spec,
    linker: &Linker,
    errors: &mut Vec<Diagnostic>,
) -> HashMap<&'static str, Checked> {
    let mut values = HashMap::new();
    let mut seen: HashMap<&str, &Arg> = HashMap::new();
    for arg in &call.args {
        let Some(param) = spec.params.iter().find(|p| p.name == arg.name) else {
            let names = spec.params.iter().map(|p| p.name);
            let help = did_you_mean(&arg.name, names.clone()).unwrap_or_else(|| {
                format!(
                    "`{}` takes {}",
                    spec.name,
                    names
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
            errors.push(
                Diagnostic::error(format!("`{}` has no argument `{}`", spec.name, arg.name))
                    .at(arg.name_span.clone())
                    .label("unknown argument")
                    .help(help),
            );
            continue;
        };
        if seen.insert(param.name, arg).is_some() {
            errors.push(
                Diagnostic::error(format!("the argument `{}` is given twice", arg.name))
                    .at(arg.name_span.clone())
                    .label("given again here")
                    .help("keep one of them"),
            );
            continue;
        }
        if let Some(v) = checked_value(spec.name, param, arg, linker, errors) {
            values.insert(param.name, v);
        }
    }
    for p in spec
        .params
        .iter()
        .filter(|p| p.required && !seen.contains_key(p.name))
    {
        errors.push(
            Diagnostic::error(format!("`{}` needs the argument `{}`", spec.name, p.name))
                .at(call.name_span.clone())
                .label(format!("`{}` missing", p.name))
                .help(format!("add `{}=` with {}", p.name, p.want.describe())),
        );
    }
    values
}

fn mistyped(shortcode: &str, param: &Param, value: &ArgValue, at: Range<usize>) -> Diagnostic {
    Diagnostic::error(format!(
        "the argument `{}` of `{shortcode}` must be {}, not {}",
        param.name,
        param.want.describe(),
        value.kind()
    ))
    .at(at)
    .label(format!("{} here", value.kind()))
}

fn checked_value(
    shortcode: &str,
    param: &Param,
    arg: &Arg,
    linker: &Linker,
    errors: &mut Vec<Diagnostic>,
) -> Option<Checked> {
    let at = arg.span.clone();
    let fail = |errors: &mut Vec<Diagnostic>, d: Diagnostic| {
        errors.push(d);
        None
    };
    match (param.want, &arg.value) {
        (Want::Text, ArgValue::Str(s)) => Some(Checked::Str(s.clone())),
        (Want::Id(kind), ArgValue::Str(id)) => {
            known_id(id, Some(kind), at, linker, errors).map(|()| Checked::Str(id.clone()))
        }
        (Want::Entity, ArgValue::Str(id)) => {
            known_id(id, None, at, linker, errors).map(|()| Checked::Str(id.clone()))
        }
        (Want::Date, ArgValue::Str(s)) => match Date::parse(s) {
            Ok(d) => Some(Checked::Date(d)),
            Err(e) => fail(errors, Diagnostic::error(e).at(at).label("not a date")),
        },
        (Want::Date, ArgValue::Int(y)) => match Date::parse(&y.to_string()) {
            Ok(d) => Some(Checked::Date(d)),
            Err(e) => fail(errors, Diagnostic::error(e).at(at).label("not a year")),
        },
        (Want::Count, ArgValue::Int(n)) => match usize::try_from(*n) {
            Ok(n) if n >= 1 => Some(Checked::Count(n)),
            _ => fail(
                errors,
                Diagnostic::error(format!("`{}` must be at least 1", param.name))
                    .at(at)
                    .label(format!("{n} here")),
            ),
        },
        (Want::Ids(kind, min, max), ArgValue::List(items)) => checked_ids(
            shortcode,
            param.name,
            kind,
            (min, max),
            items,
            at,
            linker,
            errors,
        ),
        (_, value) => fail(errors, mistyped(shortcode, param, value, at)),
    }
}

/// A list of ids of one kind, each known, none twice, as many as `bounds` allow.
#[allow(clippy::too_many_arguments)]
fn checked_ids(
    shortcode: &str,
    name: &str,
    kind: TargetKind,
    (min, max): (usize, usize),
    items: &[(ArgValue, Range<usize>)],
    at: Range<usize>,
    linker: &Linker,
    errors: &mut Vec<Diagnostic>,
) -> Option<Checked> {
    let before = errors.len();
    let mut ids: Vec<String> = Vec::new();
    for (value, span) in items {
        let ArgValue::Str(id) = value else {
            errors.push(
                Diagnostic::error(format!(
                    "the list `{name}` holds ids in quotes, not {}",
                    value.kind()
                ))
                .at(span.clone())
                .label(format!("{} here", value.kind())),
            );
            continue;
        };
        if ids.contains(id) {
            errors.push(
                Diagnostic::error(format!("`{id}` is listed twice"))
                    .at(span.clone())
                    .label("listed again here")
                    .help("list each id once"),
            );
            continue;
        }
        if known_id(id, Some(kind), span.clone(), linker, errors).is_some() {
            ids.push(id.clone());
        }
    }
    let count = items.len();
    if count < min || count > max {
        let wanted = if max == usize::MAX {
            format!("at least {min}")
        } else {
            format!("{min} to {max}")
        };
        errors.push(
            Diagnostic::error(format!(
                "`{shortcode}` takes {wanted} {}, not {count}",
                kind.plural()
            ))
            .at(at)
            .label(format!("{count} listed")),
        );
    }
    (errors.len() == before).then_some(Checked::List(ids))
}

/// Checks that `id` names an entity (of `kind`, when given). An id of a file
/// that failed to load is let through: that file's own error is reported.
fn known_id(
    id: &str,
    kind: Option<TargetKind>,
    at: Range<usize>,
    linker: &Linker,
    errors: &mut Vec<Diagnostic>,
) -> Option<()> {
    let what = kind.map_or("id", TargetKind::singular);
    if let Some(t) = linker.ids.get(id) {
        if kind.is_none_or(|k| k == t.kind) {
            return Some(());
        }
        errors.push(
            Diagnostic::error(format!(
                "`{id}` is {}, not {}",
                t.kind.with_article(),
                kind.map_or("an entity", TargetKind::with_article)
            ))
            .at(at)
            .label(format!("expected {} id", what))
            .help_opt(did_you_mean(id, ids_of(linker, kind))),
        );
        return None;
    }
    if linker.broken.contains_key(id) {
        return None;
    }
    if let Some(file) = linker.drafts.get(id) {
        errors.push(
            Diagnostic::error(format!("`{id}` is a draft"))
                .at(at)
                .label("embeds a draft")
                .help(format!(
                    "publish `{file}` (remove `draft: true`) or build with `--drafts`"
                )),
        );
        return None;
    }
    errors.push(
        Diagnostic::error(format!("unknown {what} `{id}`"))
            .at(at)
            .label(format!("no {what} has this id"))
            .help_opt(did_you_mean(id, ids_of(linker, kind))),
    );
    None
}

fn ids_of<'l>(
    linker: &'l Linker,
    kind: Option<TargetKind>,
) -> impl Iterator<Item = &'l str> + Clone {
    linker
        .ids
        .values()
        .filter(move |t| kind.is_none_or(|k| k == t.kind))
        .map(|t| t.id.as_str())
}

/// A call of one of the site's shortcodes (`templates/shortcodes/<name>.html`):
/// its arguments go to the template as they are.
fn site_shortcode(call: &Call, linker: &Linker, errors: &mut Vec<Diagnostic>) -> Option<Embed> {
    if !linker.shortcodes.contains(&call.name) {
        let names = BUILT_INS
            .iter()
            .map(|s| s.name)
            .chain(linker.shortcodes.iter().map(String::as_str));
        let help = did_you_mean(&call.name, names.clone()).unwrap_or_else(|| {
            let mut all: Vec<&str> = names.collect();
            all.sort_unstable();
            format!(
                "the shortcodes are {}; a site adds its own as `templates/shortcodes/<name>.html`",
                all.join(", ")
            )
        });
        errors.push(
            Diagnostic::error(format!("unknown shortcode `{}`", call.name))
                .at(call.name_span.clone())
                .label("no built-in or site shortcode has this name")
                .help(help),
        );
        return None;
    }
    let mut args: Vec<(String, ArgValue)> = Vec::new();
    for arg in &call.args {
        if args.iter().any(|(n, _)| *n == arg.name) {
            errors.push(
                Diagnostic::error(format!("the argument `{}` is given twice", arg.name))
                    .at(arg.name_span.clone())
                    .label("given again here"),
            );
            return None;
        }
        args.push((arg.name.clone(), arg.value.clone()));
    }
    Some(Embed::Site {
        name: call.name.clone(),
        args,
        body: None,
    })
}

/// The embed of a built-in whose arguments all checked.
fn embed(name: &str, mut v: HashMap<&'static str, Checked>) -> Embed {
    let mut str_of = |k: &str| match v.remove(k) {
        Some(Checked::Str(s)) => Some(s),
        _ => None,
    };
    let (a, q, i) = (str_of("actor"), str_of("question"), str_of("id"));
    let (src, alt, credit) = (str_of("src"), str_of("alt"), str_of("credit"));
    let date_of = |v: &mut HashMap<&str, Checked>, k: &str| match v.remove(k) {
        Some(Checked::Date(d)) => Some(d),
        _ => None,
    };
    let list_of = |v: &mut HashMap<&str, Checked>, k: &str| match v.remove(k) {
        Some(Checked::List(l)) => Some(l),
        _ => None,
    };
    match name {
        "stance" => Embed::Stance {
            actor: a.unwrap_or_default(),
            question: q.unwrap_or_default(),
            as_of: date_of(&mut v, "as_of"),
        },
        "spectrum" => Embed::Spectrum {
            question: q.unwrap_or_default(),
        },
        "matrix" => Embed::Matrix {
            actors: list_of(&mut v, "actors"),
            questions: list_of(&mut v, "questions"),
        },
        "card" => Embed::Card {
            id: i.unwrap_or_default(),
        },
        "timeline" => Embed::Timeline {
            question: q,
            actor: a,
            from: date_of(&mut v, "from"),
            to: date_of(&mut v, "to"),
            limit: match v.remove("limit") {
                Some(Checked::Count(n)) => Some(n),
                _ => None,
            },
        },
        "compare" => Embed::Compare {
            actors: list_of(&mut v, "actors").unwrap_or_default(),
        },
        _ => Embed::Figure {
            src: src.unwrap_or_default(),
            alt: alt.unwrap_or_default(),
            credit,
            caption: None,
        },
    }
}
