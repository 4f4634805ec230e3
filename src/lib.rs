//! standpoint: a static site generator for explainer sites.
//!
//! The pipeline is load ([`content`], [`config`], [`theme`]) -> resolve ([`graph`],
//! [`markdown`]) -> render ([`render`], [`values`], [`feeds`]) -> write ([`output`]);
//! [`pipeline`] runs it, [`diagnostics`] reports what went wrong and where.

// Diagnostics are large values on the cold path of every fallible step; boxing them
// would only add noise to the code that builds them.
#![allow(clippy::result_large_err)]

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feeds;
pub mod graph;
pub mod links;
pub mod markdown;
pub mod memo;
pub mod minify;
pub mod output;
pub mod patch;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod theme;
pub mod values;
