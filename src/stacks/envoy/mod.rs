//! Envoy's `jwt_authn` HTTP filter. Verified behaviour: docs/stacks-verified.md §7.

pub mod extract;
pub mod infer;
