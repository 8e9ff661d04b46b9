//! Stacks beyond .NET (temporary registration until the `Stacks:` reshaping lands).

pub mod node;
pub mod python;
