//! Python: the `identity` package's web apps (MSAL Python) and fastapi-azure-auth, from the
//! configuration they read (environment variables, `.env`, `aad.config.json`), never from code.

pub mod fastapi;
pub mod identity;
