//! entralint: finds the settings that make an application reject valid Microsoft Entra ID,
//! Azure AD B2C and External ID tokens, or accept tokens it should not.
//!
//! The pipeline runs one way: [`discover`] → [`read`] → extract → [`assemble`] → [`infer`] →
//! [`rules`] → [`report`]. Each technology is a stack in [`stacks`] (its file recognition,
//! extraction and framework models); [`domain`] holds the pure domain core.

pub mod assemble;
pub mod baseline;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod domain;
pub mod fix;
pub mod infer;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod read;
pub mod report;
pub mod rules;
pub mod server;
pub mod session;
pub mod source;
pub mod stacks;
pub mod suppress;
pub mod token;
