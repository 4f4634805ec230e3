//! One page to render: its URL, template, values and where it comes from.

use std::sync::Arc;

use tera::Value;

use crate::resolve::markdown::Placed;

/// One page to render.
pub(super) struct Job {
    /// Site path: `/actors/joe-biden/`.
    pub(super) url: String,
    pub(super) template: String,
    pub(super) page: Value,
    /// The content file the page comes from, for error notes.
    pub(super) source: Option<String>,
    /// Set when the template was chosen by the page's `template:` key.
    pub(super) chosen: Option<String>,
    /// The shortcodes of its body, whose values `page.embeds` holds.
    pub(super) embeds: Arc<[Placed]>,
}

impl Job {
    /// The page at `url`, rendered with its `template:` or else with `default`.
    pub(super) fn new(
        url: &str,
        default: &str,
        template: &Option<String>,
        page: Value,
        source: Option<&str>,
    ) -> Job {
        Job {
            url: url.to_string(),
            template: template.clone().unwrap_or_else(|| default.to_string()),
            page,
            source: source.map(str::to_string),
            chosen: template.clone(),
            embeds: Arc::default(),
        }
    }
}
