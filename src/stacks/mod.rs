pub mod envoy;
pub mod istio;
pub mod manifest;
