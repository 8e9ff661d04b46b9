//! .NET target frameworks and NuGet package versions, as project files write them.

use std::cmp::Ordering;

/// The runtime a target framework moniker names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// .NET Core 1–3 (`netcoreapp3.1`) and .NET 5+ (`net8.0`), by major version.
    Core(u32),
    /// .NET Framework (`net48`, `net472`, `v4.7.2` in old-style projects).
    Framework,
    /// `netstandard2.0`: a library that runs on either.
    Standard,
}

/// The runtime of a target framework moniker (`net8.0`, `net8.0-windows`, `netcoreapp3.1`,
/// `net472`, `v4.8`), `None` for anything else.
pub fn runtime(moniker: &str) -> Option<Runtime> {
    let lower = moniker.trim().to_ascii_lowercase();
    let lower = lower.split('-').next().unwrap_or_default();
    if lower.starts_with("netstandard") {
        return Some(Runtime::Standard);
    }
    if lower.starts_with('v') && lower[1..].starts_with('4') {
        return Some(Runtime::Framework);
    }
    if let Some(rest) = lower.strip_prefix("netcoreapp") {
        return major(rest).map(Runtime::Core);
    }
    let rest = lower.strip_prefix("net")?;
    if rest.contains('.') {
        // `net5.0` and later carry a dot; `net48` never does.
        return major(rest).filter(|m| *m >= 5).map(Runtime::Core);
    }
    (rest.len() >= 2 && rest.bytes().all(|b| b.is_ascii_digit())).then_some(Runtime::Framework)
}

fn major(text: &str) -> Option<u32> {
    text.split('.').next()?.parse().ok()
}

/// A NuGet version's numeric parts (`8.0.1`, `6.35.0-preview` → 6.35.0); `None` for a range
/// or a property reference (`$(IdentityModelVersion)`, `[8.0,)`).
#[derive(Clone, Debug)]
pub struct PackageVersion(Vec<u64>);

impl PackageVersion {
    pub fn parse(text: &str) -> Option<Self> {
        let core = text.trim().split(['-', '+']).next()?;
        let parts: Option<Vec<u64>> = core.split('.').map(|p| p.parse().ok()).collect();
        parts
            .filter(|p| !p.is_empty() && p.len() <= 4)
            .map(PackageVersion)
    }

    pub fn major(&self) -> u64 {
        self.0[0]
    }

    /// `self` lies in `[from, to)`.
    pub fn within(&self, from: &PackageVersion, to: &PackageVersion) -> bool {
        self >= from && self < to
    }
}

// `8.0` and `8.0.0` are the same version.
impl PartialEq for PackageVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for PackageVersion {}

impl PartialOrd for PackageVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PackageVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let part = |v: &PackageVersion, i: usize| v.0.get(i).copied().unwrap_or(0);
        (0..4)
            .map(|i| part(self, i).cmp(&part(other, i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monikers_name_their_runtime() {
        assert_eq!(runtime("net8.0"), Some(Runtime::Core(8)));
        assert_eq!(runtime("net9.0-windows"), Some(Runtime::Core(9)));
        assert_eq!(runtime("netcoreapp3.1"), Some(Runtime::Core(3)));
        assert_eq!(runtime("net48"), Some(Runtime::Framework));
        assert_eq!(runtime("net472"), Some(Runtime::Framework));
        assert_eq!(runtime("v4.7.2"), Some(Runtime::Framework));
        assert_eq!(runtime("netstandard2.0"), Some(Runtime::Standard));
        assert_eq!(runtime("$(TargetFrameworks)"), None);
    }

    #[test]
    fn versions_compare_numerically() {
        let v = |t: &str| PackageVersion::parse(t).unwrap();
        assert!(v("6.10.0") > v("6.9.9"));
        assert_eq!(v("8.0"), v("8.0.0"));
        assert!(v("9.0.0-rc.1") == v("9.0.0"));
        assert!(v("9.0.0").within(&v("9.0.0"), &v("9.0.1")));
        assert!(!v("9.0.1").within(&v("9.0.0"), &v("9.0.1")));
        assert_eq!(PackageVersion::parse("$(Version)"), None);
        assert_eq!(PackageVersion::parse("[8.0,)"), None);
    }
}
