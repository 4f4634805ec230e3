//! Sharing equal values between builds: [`intern`] makes this build's shared
//! template values point at the last build's wherever they are equal, so that
//! comparing page values mostly compares addresses, and says what changed.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use tera::Value;

use crate::render::values::{same, SiteValues};
use crate::resolve::EntityRef;

/// What [`intern`] gives.
pub struct Interned {
    /// The new values, sharing every part equal to the old one's.
    pub values: SiteValues,
    /// Whether everything was the same.
    pub all_same: bool,
    /// The ids whose card or URL changed, or that came or went.
    pub changed_ids: HashSet<String>,
}

/// `new`, with each part that is the same as in `old` replaced by `old`'s, so that
/// pages built from it share those parts with the cached pages and comparing them
/// mostly compares pointers; whether everything was the same; and the ids whose
/// card or URL changed. Names every field, so that a field added to `SiteValues`
/// fails to compile here rather than go unnoticed.
pub fn intern(old: &SiteValues, new: SiteValues) -> Interned {
    let SiteValues {
        refs,
        urls,
        stances,
        actor_cards,
        question_cards,
        event_cards,
        page_cards,
        matrix,
        timeline,
        timeline_items,
        timeline_index,
        actors,
        questions,
        events,
    } = new;
    let all_same = AtomicBool::new(
        refs == old.refs
            && urls == old.urls
            && matrix == old.matrix
            && timeline_items == old.timeline_items
            && timeline_index == old.timeline_index,
    );
    let one = |o: Option<&Value>, n: Value| -> (Value, bool) {
        match o {
            Some(o) if same(o, &n) => (o.clone(), false),
            _ => {
                all_same.store(false, Ordering::Relaxed);
                (n, true)
            }
        }
    };
    // Element by element: an insertion shares nothing after it, which is safe.
    // Also says which elements changed.
    let list = |o: &[Value], n: Vec<Value>| -> (Vec<Value>, Vec<bool>) {
        if o.len() != n.len() {
            all_same.store(false, Ordering::Relaxed);
        }
        n.into_par_iter()
            .enumerate()
            .map(|(k, v)| one(o.get(k), v))
            .unzip()
    };
    let (actor_cards, actors_changed) = list(&old.actor_cards, actor_cards);
    let (question_cards, questions_changed) = list(&old.question_cards, question_cards);
    let (event_cards, events_changed) = list(&old.event_cards, event_cards);
    let (page_cards, pages_changed) = list(&old.page_cards, page_cards);
    let card_changed = |r: &EntityRef| {
        let (flags, i) = match *r {
            EntityRef::Actor(i) => (&actors_changed, i),
            EntityRef::Question(i) => (&questions_changed, i),
            EntityRef::Event(i) => (&events_changed, i),
            EntityRef::Page(i) => (&pages_changed, i),
        };
        flags.get(i).copied().unwrap_or(true)
    };
    // Ids whose card changed, whose URL changed, or that came or went.
    let mut changed_ids: HashSet<String> = refs
        .iter()
        .filter(|(id, r)| card_changed(r) || old.urls.get(*id) != urls.get(*id))
        .map(|(id, _)| id.clone())
        .collect();
    changed_ids.extend(
        old.refs
            .keys()
            .filter(|id| !refs.contains_key(*id))
            .cloned(),
    );
    let values = SiteValues {
        refs,
        stances: list(&old.stances, stances).0,
        actor_cards,
        question_cards,
        event_cards,
        page_cards,
        timeline: list(&old.timeline, timeline).0,
        timeline_items,
        timeline_index,
        actors: one(Some(&old.actors), actors).0,
        questions: one(Some(&old.questions), questions).0,
        events: one(Some(&old.events), events).0,
        urls,
        matrix,
    };
    Interned {
        values,
        all_same: all_same.into_inner(),
        changed_ids,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::incremental::tests::tree;
    use crate::pipeline::{build, BuildOptions, Reuse};

    const SITE: &str = "title: T\nbase_url: https://example.org/\n";
    const HOME: &str = "---\ntitle: Home\n---\n";

    fn values(alice_role: &str) -> SiteValues {
        let alice = format!("---\nname: Alice\nkind: person\nrole: {alice_role}\n---\n");
        let tree = tree(&[
            ("site.yaml", SITE),
            ("content/_index.md", HOME),
            ("content/actors/alice.md", &alice),
            (
                "content/actors/bob.md",
                "---\nname: Bob\nkind: person\n---\n",
            ),
        ]);
        let built = build(&tree, &BuildOptions::default(), Reuse::none());
        Arc::unwrap_or_clone(built.parts.expect("builds").rendered.values)
    }

    #[test]
    fn equal_values_are_shared_and_changed_ids_named() {
        let old = values("Mayor");
        let same_again = intern(&old, values("Mayor"));
        assert!(same_again.all_same);
        assert!(same_again.changed_ids.is_empty());

        let edited = intern(&old, values("Former mayor"));
        assert!(!edited.all_same);
        assert_eq!(edited.changed_ids, HashSet::from(["alice".to_string()]));
        // Bob's card is the old one, by address; Alice's is new.
        let (old_cards, new_cards) = (&old.actor_cards, &edited.values.actor_cards);
        let map = |v: &Value| v.as_map().map(|m| m as *const _);
        assert_eq!(map(&old_cards[1]), map(&new_cards[1]));
        assert_ne!(map(&old_cards[0]), map(&new_cards[0]));
        assert!(same(&new_cards[1], &old_cards[1]));
        assert!(!same(&new_cards[0], &old_cards[0]));
    }

    #[test]
    fn same_is_stricter_than_equality_about_order_and_safety() {
        let a = Value::from("<b>");
        assert!(same(&a, &Value::from("<b>")));
        assert!(!same(&a, &Value::safe_string("<b>")));
        let one = crate::render::values::Obj::new()
            .set("x", 1)
            .set("y", 2)
            .build();
        let other = crate::render::values::Obj::new()
            .set("y", 2)
            .set("x", 1)
            .build();
        assert!(!same(&one, &other));
        assert!(same(&one, &one.clone()));
    }
}
