//! Istio `RequestAuthentication`: istiod turns each JWT rule into an Envoy `jwt_authn` provider.
//! Verified behaviour: docs/stacks-verified.md §6.

pub mod extract;
pub mod infer;
