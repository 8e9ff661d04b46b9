//! Envoy's `jwt_authn` HTTP filter in bootstrap and listener YAML, xDS dumps and Istio
//! `EnvoyFilter` patches. Verified behaviour: docs/stacks-verified.md §7.

pub mod extract;
pub mod infer;

use super::{FileInput, Processed, Stack, manifest};
use crate::discover::FileKind;
use crate::model::Framework;
use crate::rules::support::Failure;

pub static STACK: Stack = Stack {
    id: "envoy",
    classify: super::no_files,
    extract,
    frameworks: &[Framework::EnvoyJwtAuthn],
    infer: infer::infer,
    from_variables: super::no_variables,
    error_text: jwt_authn_errors,
};

fn extract(input: &FileInput, out: &mut Processed) {
    if *input.kind() != FileKind::Yaml || !extract::may_hold(input.text) {
        return;
    }
    let unmistakable = extract::names_the_filter(input.text);
    if let Some(documents) = manifest::documents(input, out, unmistakable.then_some("Envoy")) {
        out.apps
            .extend(extract::providers(&documents, input.text, input.file));
    }
}

/// What the `jwt_authn` filter answers (Istio's JWT rules run in it too).
/// upstream: google/jwt_verify_lib src/status.cc (`JwtUnknownIssuer`, `JwtAudienceNotAllowed`,
/// `JwksKidAlgMismatch`, `JwksFetchFail`); envoyproxy/envoy
/// source/extensions/filters/http/jwt_authn/filter.cc (403 only for the audience);
/// istio/istio pilot/pkg/model/jwks_resolver.go (istiod's log when it cannot fetch keys).
pub fn jwt_authn_errors(framework: Framework, failure: Failure) -> Option<&'static str> {
    Some(match (framework, failure) {
        (Framework::IstioRequestAuthentication, Failure::Metadata) => {
            "istiod logs \"JWKS fetch failed for issuer ..., using public-only JWKS with discarded private key - JWT requests will be rejected\""
        }
        (_, Failure::Metadata) => "401 \"Jwks remote fetch is failed\"",
        (_, Failure::Issuer) => "401 \"Jwt issuer is not configured\"",
        (_, Failure::KeyNotFound) => "401 \"Jwks doesn't have key to match kid or alg from Jwt\"",
        (_, Failure::Audience) => "403 \"Audiences in Jwt are not allowed\"",
        // upstream: istio/istio pilot/pkg/security/authn/policy_applier.go (a rule's audiences
        // become its provider's as they are)
        (Framework::IstioRequestAuthentication, Failure::NoAudience) => {
            "the JWT rule's `audiences`"
        }
        // upstream: envoyproxy/envoy api/envoy/extensions/filters/http/jwt_authn/v3/config.proto
        // (`JwtProvider.audiences`, or `JwtRequirement.provider_and_audiences`: empty, unchecked)
        (_, Failure::NoAudience) => {
            "the provider's `audiences` (or `provider_and_audiences` in the rules that require it)"
        }
        // The issuer text above, via `Failure::Issuer`; Envoy fetches keys over http without a
        // word: the caller words it.
        (_, Failure::CommonIssuer | Failure::InsecureMetadata) => return None,
    })
}
