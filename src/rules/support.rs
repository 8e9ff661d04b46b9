//! Facts several rules share, computed one way.

use super::AppContext;
use crate::domain::identity_url::{Family, IdentityUrl};
use crate::domain::values::placeholder_reason;
use crate::infer::{UrlPurpose, UrlSetting};
use crate::model::{Framework, Setting};

/// A setting's trimmed value when it holds a real value: not empty, not a placeholder.
pub fn usable(setting: &Setting) -> Option<&str> {
    setting.text().filter(|v| placeholder_reason(v).is_none())
}

pub use crate::domain::values::is_secret_key;

/// A failure, as each stack reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The metadata document cannot be fetched.
    Metadata,
    /// The token's issuer is not the expected one.
    Issuer,
    /// No signing key matches the token's `kid`.
    KeyNotFound,
    /// The token's audience is not an accepted one.
    Audience,
    /// Multi-tenant (`common`) metadata with no issuer configured to compare with.
    CommonIssuer,
    /// Metadata or keys are addressed over http: the whole consequence, as the stack words it.
    InsecureMetadata,
    /// No audience is configured and the framework then checks none: the setting(s) to write
    /// this API's client id and App ID URI into, as the fix names them. `None` from a stack:
    /// its frameworks never leave the audience unchecked this way, or a rule of its own says so.
    NoAudience,
}

impl AppContext<'_> {
    /// What the user sees for `failure`: the stack's own text, else the IdentityModel error code
    /// (.NET apps, API Management, App Service).
    pub fn error_for(&self, failure: Failure) -> &'static str {
        if let Some(text) = crate::stacks::error_text(self.app.framework, failure) {
            return text;
        }
        match failure {
            Failure::Metadata => "IDX20803: Unable to obtain configuration",
            Failure::Issuer => "IDX10205",
            Failure::KeyNotFound => "IDX10501/IDX10503 unable to match key",
            Failure::Audience => "IDX10214",
            // Stacks that have no wording of their own for it compare the template and fail
            // as with any other issuer.
            Failure::CommonIssuer => self.error_for(Failure::Issuer),
            Failure::InsecureMetadata => {
                "the app throws at startup \"The MetadataAddress or Authority must use HTTPS unless disabled for development by setting RequireHttpsMetadata=false.\""
            }
            // IdentityModel refuses every token instead (IDX10208); this is where audiences go.
            Failure::NoAudience => "`TokenValidationParameters.ValidAudiences`",
        }
    }

    /// The stack's own text for `failure`, else this rule's IdentityModel wording.
    pub fn error_or(&self, failure: Failure, identity_model: &'static str) -> &'static str {
        crate::stacks::error_text(self.app.framework, failure).unwrap_or(identity_model)
    }

    /// Where the app reads signing keys: its metadata address, else its JWKS URI; empty when
    /// unknown.
    pub fn keys_address(&self) -> &str {
        let inference = self.inference;
        (inference.metadata_address.as_deref())
            .or(inference.jwks_uri.as_deref())
            .unwrap_or_default()
    }

    pub fn is_identity_web(&self) -> bool {
        self.app.framework == Framework::MicrosoftIdentityWeb
    }

    /// The setting that decided the metadata address (`MetadataAddress`, `Authority` or `Instance`).
    pub fn metadata_source(&self) -> Option<&Setting> {
        self.inference.metadata_sources.first()
    }

    /// The metadata address the app will load, or an empty string when it is unknown.
    pub fn metadata_address(&self) -> &str {
        self.inference
            .metadata_address
            .as_deref()
            .unwrap_or_default()
    }

    /// The URL-valued settings used to find signing keys.
    pub fn sign_in_urls(&self) -> impl Iterator<Item = &UrlSetting> {
        self.inference
            .urls
            .iter()
            .filter(|u| u.purpose.is_sign_in())
    }

    pub fn urls_for(&self, purpose: UrlPurpose) -> impl Iterator<Item = &UrlSetting> {
        self.inference
            .urls
            .iter()
            .filter(move |u| u.purpose == purpose)
    }

    /// The family of the metadata document the app will really load.
    pub fn metadata_family(&self) -> Family {
        self.inference
            .metadata_url()
            .map_or(Family::Unknown, |u| u.family())
    }

    /// Settings that say a Microsoft.Identity.Web section is meant for Azure AD B2C, whether
    /// or not the library will treat it so (it only looks at `SignUpSignInPolicyId`).
    pub fn b2c_signals(&self) -> Vec<&Setting> {
        let app = self.app;
        let mut signals: Vec<&Setting> = [
            "SignUpSignInPolicyId",
            "ResetPasswordPolicyId",
            "EditProfilePolicyId",
        ]
        .iter()
        .filter_map(|k| app.setting(k).filter(|s| s.text().is_some()))
        .collect();
        signals.extend(self.inference.b2c_settings.iter());
        signals.extend(
            self.inference
                .urls
                .iter()
                .filter(|u| {
                    u.purpose != UrlPurpose::DownstreamApi
                        && u.purpose != UrlPurpose::Scope
                        && u.url.family() == Family::B2c
                })
                .map(|u| &u.setting),
        );
        signals
    }

    /// What the app's registration says, from an export or entralint.toml.
    pub fn registration(&self) -> Option<&crate::model::RegistrationFacts> {
        self.facts.for_app(self.client_id(), self.path)
    }

    /// The `TokenValidationParameters` switch `name` when it is written false where the
    /// framework reads it (under `TokenValidationParameters` for Microsoft.Identity.Web, at the
    /// app's level elsewhere).
    pub fn validation_switched_off(&self, name: &str) -> Option<&Setting> {
        let prefix = match self.app.framework {
            Framework::MicrosoftIdentityWeb => "TokenValidationParameters:",
            _ => "",
        };
        self.app
            .setting(&format!("{prefix}{name}"))
            .filter(|s| s.is_false())
    }

    /// The app's client id, when it is a real value (`ClientId`, or `client-id` as the
    /// stacks that spell options in kebab case name it).
    pub fn client_id(&self) -> Option<&str> {
        (self.inference.client_id.as_ref())
            .or_else(|| self.app.setting("ClientId"))
            .or_else(|| self.app.setting("client-id"))
            .and_then(usable)
    }
}

/// A parsed URL from a setting, when the value is a real URL.
pub fn url_of(setting: &Setting) -> Option<IdentityUrl> {
    usable(setting).and_then(IdentityUrl::parse)
}
