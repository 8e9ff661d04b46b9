//! Stacks: one folder each (file recognition, extraction, framework models).

pub mod spring;
