//! Node: passport-azure-ad (`BearerStrategy`, `OIDCStrategy`) and MSAL Node / MSAL.js.

pub mod extract;
pub mod lexer;
pub mod module;
pub mod msal;
pub mod passport;
