//! The table of Microsoft identity hosts and the clouds they belong to
//! (reference: gateways-and-other-stacks.md §12.1, §12.2, §12.4, §12.5).

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cloud {
    Public,
    UsGov,
    China,
    Germany,
    Unknown,
}

impl Cloud {
    pub fn id(self) -> &'static str {
        match self {
            Cloud::Public => "public",
            Cloud::UsGov => "us-gov",
            Cloud::China => "china",
            Cloud::Germany => "germany",
            Cloud::Unknown => "unknown",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Cloud::Public => "the public cloud",
            Cloud::UsGov => "Azure US Government",
            Cloud::China => "Azure China (21Vianet)",
            Cloud::Germany => "Azure Germany (closed)",
            Cloud::Unknown => "an unknown cloud",
        }
    }

    /// The host Entra ID puts in v2.0 issuers of this cloud.
    pub fn v2_issuer_host(self) -> &'static str {
        match self {
            Cloud::UsGov => "login.microsoftonline.us",
            Cloud::China => "login.partner.microsoftonline.cn",
            Cloud::Germany => "login.microsoftonline.de",
            Cloud::Public | Cloud::Unknown => "login.microsoftonline.com",
        }
    }

    /// The host Entra ID puts in v1.0 issuers of this cloud.
    pub fn v1_issuer_host(self) -> &'static str {
        match self {
            Cloud::China => "sts.chinacloudapi.cn",
            _ => "sts.windows.net",
        }
    }

    /// The canonical sign-in host of this cloud.
    pub fn login_host(self) -> &'static str {
        self.v2_issuer_host()
    }

    pub fn graph_host(self) -> &'static str {
        match self {
            Cloud::UsGov => "graph.microsoft.us",
            Cloud::China => "microsoftgraph.chinacloudapi.cn",
            Cloud::Germany => "graph.microsoft.de",
            Cloud::Public | Cloud::Unknown => "graph.microsoft.com",
        }
    }
}

/// What a host is to Microsoft's identity platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostKind {
    /// An Entra ID sign-in host (`login.microsoftonline.com` and its aliases).
    EntraLogin,
    /// A host that only appears in v1.0 issuers (`sts.windows.net`).
    EntraIssuer,
    /// An Azure AD B2C host (`{tenant}.b2clogin.com`).
    B2c,
    /// An Entra External ID host (`{tenant}.ciamlogin.com`).
    Ciam,
    /// Microsoft Graph.
    Graph,
    /// The retired Azure AD Graph.
    AadGraph,
    /// Anything else: a custom domain, another identity provider, localhost.
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostInfo {
    pub kind: HostKind,
    pub cloud: Cloud,
    /// The host no longer serves tokens.
    pub retired: bool,
}

impl HostInfo {
    const fn new(kind: HostKind, cloud: Cloud) -> Self {
        HostInfo {
            kind,
            cloud,
            retired: matches!(cloud, Cloud::Germany),
        }
    }

    /// Microsoft's own identity hosts (not Graph, not custom domains).
    pub fn is_identity_host(self) -> bool {
        matches!(
            self.kind,
            HostKind::EntraLogin | HostKind::EntraIssuer | HostKind::B2c | HostKind::Ciam
        )
    }
}

const FIXED_HOSTS: &[(&str, HostKind, Cloud)] = &[
    (
        "login.microsoftonline.com",
        HostKind::EntraLogin,
        Cloud::Public,
    ),
    ("login.windows.net", HostKind::EntraLogin, Cloud::Public),
    ("login.microsoft.com", HostKind::EntraLogin, Cloud::Public),
    ("sts.windows.net", HostKind::EntraIssuer, Cloud::Public),
    (
        "login.microsoftonline.us",
        HostKind::EntraLogin,
        Cloud::UsGov,
    ),
    (
        "login.usgovcloudapi.net",
        HostKind::EntraLogin,
        Cloud::UsGov,
    ),
    (
        "login-us.microsoftonline.com",
        HostKind::EntraLogin,
        Cloud::UsGov,
    ),
    (
        "login.partner.microsoftonline.cn",
        HostKind::EntraLogin,
        Cloud::China,
    ),
    ("login.chinacloudapi.cn", HostKind::EntraLogin, Cloud::China),
    ("sts.chinacloudapi.cn", HostKind::EntraIssuer, Cloud::China),
    (
        "login.microsoftonline.de",
        HostKind::EntraLogin,
        Cloud::Germany,
    ),
    ("graph.microsoft.com", HostKind::Graph, Cloud::Public),
    ("graph.microsoft.us", HostKind::Graph, Cloud::UsGov),
    ("dod-graph.microsoft.us", HostKind::Graph, Cloud::UsGov),
    (
        "microsoftgraph.chinacloudapi.cn",
        HostKind::Graph,
        Cloud::China,
    ),
    ("graph.microsoft.de", HostKind::Graph, Cloud::Germany),
    ("graph.windows.net", HostKind::AadGraph, Cloud::Public),
    ("graph.chinacloudapi.cn", HostKind::AadGraph, Cloud::China),
];

const WILDCARD_SUFFIXES: &[(&str, HostKind, Cloud)] = &[
    (".b2clogin.com", HostKind::B2c, Cloud::Public),
    (".b2clogin.us", HostKind::B2c, Cloud::UsGov),
    (".b2clogin.cn", HostKind::B2c, Cloud::China),
    (".b2clogin.de", HostKind::B2c, Cloud::Germany),
    (".ciamlogin.com", HostKind::Ciam, Cloud::Public),
];

/// Classifies a host name (case-insensitive, port excluded).
pub fn classify_host(host: &str) -> HostInfo {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Some(&(_, kind, cloud)) = FIXED_HOSTS.iter().find(|(name, _, _)| *name == host) {
        return HostInfo::new(kind, cloud);
    }
    for &(suffix, kind, cloud) in WILDCARD_SUFFIXES {
        if host.len() > suffix.len() && host.ends_with(suffix) {
            return HostInfo::new(kind, cloud);
        }
    }
    HostInfo::new(HostKind::Other, Cloud::Unknown)
}

/// The Microsoft host a user most likely meant when `host` is a near miss of one (a typo, a
/// tenant domain used as a host). `None` for hosts that are not trying to be Microsoft's.
pub fn intended_microsoft_host(host: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if classify_host(&host).kind != HostKind::Other || host.is_empty() {
        return None;
    }
    let (first_label, rest) = host.split_once('.').unwrap_or((host.as_str(), ""));

    // A tenant domain used as the host: `contoso.onmicrosoft.com`.
    if rest == "onmicrosoft.com" || host.ends_with(".onmicrosoft.com") {
        return Some("login.microsoftonline.com".to_string());
    }
    if host.ends_with(".partner.onmschina.cn") || host.ends_with(".onmschina.cn") {
        return Some("login.partner.microsoftonline.cn".to_string());
    }
    // A near miss of a fixed host.
    let mut best: Option<(usize, &str)> = None;
    for &(name, kind, _) in FIXED_HOSTS {
        if kind == HostKind::AadGraph {
            continue;
        }
        let distance = edit_distance(&host, name);
        if distance <= 2 && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, name));
        }
    }
    if let Some((_, name)) = best {
        return Some(name.to_string());
    }
    // A near miss of a tenant-named family: `contoso.b2clogin.co`, `contoso.ciamlogin.net`.
    if !rest.is_empty() {
        for &(suffix, _, _) in WILDCARD_SUFFIXES {
            let family = &suffix[1..];
            if edit_distance(rest, family) <= 2 {
                return Some(format!("{first_label}{suffix}"));
            }
        }
    }
    // Something that names Microsoft's sign-in service but is not one of its hosts.
    if host.contains("microsoftonline") {
        return Some(
            if rest.starts_with("microsoftonline.") && first_label != "login" {
                format!("{first_label}.b2clogin.com")
            } else {
                "login.microsoftonline.com".to_string()
            },
        );
    }
    if host.contains("b2clogin") {
        return Some(format!("{first_label}.b2clogin.com"));
    }
    if host.contains("ciamlogin") {
        return Some(format!("{first_label}.ciamlogin.com"));
    }
    None
}

/// Optimal string alignment distance (Levenshtein with adjacent transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 2 {
        return 3;
    }
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    rows[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_every_cloud() {
        assert_eq!(
            classify_host("login.microsoftonline.com").cloud,
            Cloud::Public
        );
        assert_eq!(
            classify_host("LOGIN.WINDOWS.NET").kind,
            HostKind::EntraLogin
        );
        assert_eq!(
            classify_host("login.microsoftonline.us").cloud,
            Cloud::UsGov
        );
        assert_eq!(
            classify_host("login.partner.microsoftonline.cn").cloud,
            Cloud::China
        );
        assert_eq!(classify_host("login.chinacloudapi.cn").cloud, Cloud::China);
        assert!(classify_host("login.microsoftonline.de").retired);
        assert_eq!(classify_host("sts.windows.net").kind, HostKind::EntraIssuer);
    }

    #[test]
    fn classifies_tenant_named_hosts() {
        assert_eq!(classify_host("contoso.b2clogin.com").kind, HostKind::B2c);
        assert_eq!(classify_host("contoso.b2clogin.cn").cloud, Cloud::China);
        assert_eq!(classify_host("contoso.ciamlogin.com").kind, HostKind::Ciam);
        assert_eq!(classify_host("b2clogin.com").kind, HostKind::Other);
        assert_eq!(classify_host("login.contoso.com").kind, HostKind::Other);
    }

    #[test]
    fn classifies_graph_hosts() {
        assert_eq!(classify_host("graph.microsoft.com").kind, HostKind::Graph);
        assert_eq!(classify_host("dod-graph.microsoft.us").cloud, Cloud::UsGov);
        assert_eq!(classify_host("graph.windows.net").kind, HostKind::AadGraph);
    }

    #[test]
    fn suggests_the_host_a_typo_meant() {
        assert_eq!(
            intended_microsoft_host("login.micorosftonline.com").as_deref(),
            Some("login.microsoftonline.com")
        );
        assert_eq!(
            intended_microsoft_host("login.microsoftonline.co").as_deref(),
            Some("login.microsoftonline.com")
        );
        assert_eq!(
            intended_microsoft_host("contoso.b2clogin.co").as_deref(),
            Some("contoso.b2clogin.com")
        );
        assert_eq!(
            intended_microsoft_host("contoso.onmicrosoft.com").as_deref(),
            Some("login.microsoftonline.com")
        );
        assert_eq!(
            intended_microsoft_host("fabrikam.microsoftonline.com").as_deref(),
            Some("fabrikam.b2clogin.com")
        );
    }

    #[test]
    fn never_suggests_for_other_identity_providers() {
        for host in [
            "accounts.google.com",
            "dev-123.okta.com",
            "localhost",
            "login.contoso.com",
            "keycloak.local",
            "ees.local",
        ] {
            assert_eq!(intended_microsoft_host(host), None, "{host}");
        }
        assert_eq!(intended_microsoft_host("login.microsoftonline.com"), None);
    }
}
