//! Load: the only reader of the site folder. Reads `site.yaml`, the theme and the
//! site's templates and static files, and every file under `content/`, and parses
//! them into typed values with their places for diagnostics.

pub mod config;
pub mod content;
pub mod data;
pub mod i18n;
pub mod served;
pub mod theme;
pub mod tree;
