//! Pagination of the index pages (actors, questions, events, the timeline) and of
//! folder lists: which pages a list of `paginate` items a page makes, their URLs
//! (the first page at the index's own URL, then `page/2/`, ...), the `paginator`
//! templates get, and cutting a page's share out of grouped lists.

use std::ops::Range;

use tera::Value;

use crate::render::values::Obj;
use crate::resolve::{Site, INDEX_FOLDERS};

/// One page of a paginated list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// 1-based.
    pub number: usize,
    /// How many pages the list has (at least 1).
    pub total: usize,
    /// The items this page shows, as indexes into the whole list.
    pub items: Range<usize>,
    /// Site path of the list's first page: `/actors/`.
    pub base: String,
}

impl Pager {
    /// Site path of this page.
    pub fn url(&self) -> String {
        page_url(&self.base, self.number)
    }

    /// The `paginator` templates get: every page's number and URL, the current
    /// page, the total, and the previous and next pages' URLs (or none).
    pub fn value(&self) -> Value {
        let pages: Vec<Value> = (1..=self.total)
            .map(|n| {
                Obj::new()
                    .set("number", n)
                    .set("url", page_url(&self.base, n))
                    .build()
            })
            .collect();
        let near = |n: Option<usize>| {
            n.filter(|n| (1..=self.total).contains(n))
                .map_or_else(Value::none, |n| Value::from(page_url(&self.base, n)))
        };
        Obj::with_capacity(8)
            .set("pages", pages)
            .set("current", self.number)
            .set("total", self.total)
            .set("previous", near(self.number.checked_sub(1)))
            .set("next", near(Some(self.number + 1)))
            .set("first", page_url(&self.base, 1))
            .set("last", page_url(&self.base, self.total))
            .set("items_from", self.items.start + 1)
            .set("items_to", self.items.end)
            .build()
    }
}

/// Site path of page `n` of the list at `base`: page 1 is the list's own URL.
pub fn page_url(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// The pages of a list of `items` items at `base`, `per_page` a page; a list with
/// no items still has its first page.
pub fn pagers(base: &str, items: usize, per_page: usize) -> Vec<Pager> {
    let per_page = per_page.max(1);
    let total = items.div_ceil(per_page).max(1);
    (1..=total)
        .map(|number| Pager {
            number,
            total,
            items: (number - 1) * per_page..(number * per_page).min(items),
            base: base.to_string(),
        })
        .collect()
}

/// How many items the built-in index page of `folder` lists, when it is paginated:
/// the one list of which index pages are.
pub fn index_items(site: &Site, folder: &str) -> Option<usize> {
    match folder {
        "actors" => Some(site.actors.len()),
        "questions" => Some(site.questions.len()),
        "events" => Some(site.events.len()),
        // Every event and every stance is on the timeline (`Site::timeline`).
        "timeline" => Some(site.events.len() + site.stances.len()),
        // A row per actor with stances (`reader::matrix_page`).
        "matrix" => Some(site.actors.iter().filter(|a| !a.stances.is_empty()).count()),
        _ => None,
    }
}

/// The pages after the first of every paginated list of the site, as site paths,
/// for the sitemap: in the order of the indexes, then of the folder lists.
pub fn later_pages(site: &Site) -> Vec<String> {
    let per_page = site.config.paginate;
    let indexes = INDEX_FOLDERS.iter().filter_map(|folder| {
        index_items(site, folder).map(|n| pagers(&format!("/{folder}/"), n, per_page))
    });
    let lists = site
        .lists
        .iter()
        .map(|l| pagers(&l.page.url, l.pages.len(), per_page));
    indexes
        .chain(lists)
        .flat_map(|pages| pages.into_iter().skip(1).map(|p| p.url()))
        .collect()
}

/// The share of `items` of grouped lists (each group an object whose `key` holds
/// its items): the groups that keep items, each with only those. Items are counted
/// across groups, in order.
pub fn slice_groups(groups: &[Value], key: &str, items: &Range<usize>) -> Vec<Value> {
    let mut out = Vec::new();
    let mut start = 0;
    for group in groups {
        let list = group
            .get_from_path(key)
            .and_then(|l| l.as_array())
            .map(|l| l.to_vec())
            .unwrap_or_default();
        let end = start + list.len();
        let from = items.start.max(start);
        let to = items.end.min(end);
        if from < to {
            let kept: Vec<Value> = list[from - start..to - start].to_vec();
            out.push(with_key(group, key, Value::from(kept)));
        }
        start = end;
    }
    out
}

/// `group` with `key` set to `value`.
fn with_key(group: &Value, key: &str, value: Value) -> Value {
    let mut map = group.as_map().cloned().unwrap_or_default();
    map.insert(key.to_string().into(), value);
    Value::from(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_every_item_once_in_order() {
        for items in 0..25 {
            for per_page in 1..8 {
                let pages = pagers("/actors/", items, per_page);
                assert!(!pages.is_empty());
                assert_eq!(pages.len(), items.div_ceil(per_page).max(1));
                let covered: Vec<usize> = pages.iter().flat_map(|p| p.items.clone()).collect();
                assert_eq!(covered, (0..items).collect::<Vec<_>>());
                for (k, p) in pages.iter().enumerate() {
                    assert_eq!(p.number, k + 1);
                    assert_eq!(p.total, pages.len());
                    assert!(p.items.len() <= per_page);
                }
            }
        }
    }

    #[test]
    fn the_first_page_keeps_the_list_url() {
        assert_eq!(page_url("/actors/", 1), "/actors/");
        assert_eq!(page_url("/actors/", 2), "/actors/page/2/");
        assert_eq!(page_url("/notes/2024/", 3), "/notes/2024/page/3/");
    }

    #[test]
    fn the_paginator_links_its_neighbours() {
        let pages = pagers("/events/", 5, 2);
        let first = pages[0].value();
        assert_eq!(first.get_from_path("previous"), Some(&Value::none()));
        assert_eq!(
            first.get_from_path("next"),
            Some(&Value::from("/events/page/2/"))
        );
        let last = pages[2].value();
        assert_eq!(
            last.get_from_path("previous"),
            Some(&Value::from("/events/page/2/"))
        );
        assert_eq!(last.get_from_path("next"), Some(&Value::none()));
        assert_eq!(last.get_from_path("current"), Some(&Value::from(3)));
        assert_eq!(last.get_from_path("total"), Some(&Value::from(3)));
        assert_eq!(last.get_from_path("items_from"), Some(&Value::from(5)));
        assert_eq!(last.get_from_path("items_to"), Some(&Value::from(5)));
    }

    fn group(name: &str, n: usize) -> Value {
        let items: Vec<Value> = (0..n).map(|i| Value::from(format!("{name}{i}"))).collect();
        Obj::new()
            .set("label", name.to_string())
            .set("items", items)
            .build()
    }

    fn names(groups: &[Value]) -> Vec<String> {
        groups
            .iter()
            .flat_map(|g| {
                g.get_from_path("items")
                    .and_then(|l| l.as_array())
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn groups_are_cut_across_their_boundaries() {
        let groups = [group("a", 3), group("b", 0), group("c", 4)];
        let all = names(&groups);
        for per_page in 1..9 {
            let mut seen = Vec::new();
            for p in pagers("/x/", all.len(), per_page) {
                let cut = slice_groups(&groups, "items", &p.items);
                assert!(cut.iter().all(|g| g
                    .get_from_path("items")
                    .and_then(|l| l.as_array())
                    .is_some_and(|l| !l.is_empty())));
                seen.extend(names(&cut));
            }
            assert_eq!(seen, all, "{per_page} a page");
        }
        let cut = slice_groups(&groups, "items", &(2..4));
        assert_eq!(cut.len(), 2);
        assert_eq!(cut[0].get_from_path("label"), Some(&Value::from("a")));
        assert_eq!(cut[1].get_from_path("label"), Some(&Value::from("c")));
    }
}
