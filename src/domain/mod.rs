//! The domain core: clouds and hosts, identity URLs, value shapes, secrets, Microsoft Graph.
//! Pure functions only; no I/O, no configuration model.

pub mod graph;
pub mod hosts;
pub mod identity_url;
pub mod secrets;
pub mod values;
pub mod versions;
