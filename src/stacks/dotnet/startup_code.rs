//! What C# startup code says about authentication: which middleware consumes the settings, the
//! configuration section it binds, and the values it assigns to options. Works on tokens from
//! the lexical scanner; expressions are evaluated symbolically and resolved against
//! configuration later, per environment.

use crate::model::{Framework, Role};
use crate::read::csharp::{InterpolatedPart, Token, TokenKind, tokenize};
use crate::source::{FileId, Location, Span};
use std::collections::HashMap;

/// A value computed by startup code, before configuration is known.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Literal(String, Location),
    Bool(bool, Location),
    /// `ConfigurationManager.AppSettings["key"]` (web.config).
    AppSetting(String, Location),
    /// `Configuration["A:B"]`, `GetValue<string>("A:B")`, `GetSection("A")["B"]` (appsettings).
    ConfigKey(String, Location),
    Concat(Vec<Expr>),
    /// `string.Format(template, args...)`.
    Format(Box<Expr>, Vec<Expr>),
    /// `EnsureTrailingSlash(x)` of the samples.
    TrailingSlash(Box<Expr>),
    /// `x.ToLower()` / `ToLowerInvariant()`.
    Lower(Box<Expr>),
    /// `new T(args) { Name = value, ... }`.
    Object {
        type_name: String,
        args: Vec<Expr>,
        fields: Vec<(String, Expr)>,
    },
    List(Vec<Expr>),
    Unknown(Location),
}

impl Expr {
    /// What evaluating the expression built: its leaves and the bytes of its literals. Both
    /// stay within the evaluator's budget however the code refers to itself.
    pub fn footprint(&self) -> (usize, usize) {
        let sum = |exprs: &mut dyn Iterator<Item = &Expr>| {
            exprs
                .map(Expr::footprint)
                .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
        };
        match self {
            Expr::Literal(text, _) => (1, text.len()),
            Expr::Concat(parts) | Expr::List(parts) => sum(&mut parts.iter()),
            Expr::Format(template, args) => sum(&mut std::iter::once(&**template).chain(args)),
            Expr::TrailingSlash(inner) | Expr::Lower(inner) => inner.footprint(),
            Expr::Object { args, fields, .. } => {
                sum(&mut args.iter().chain(fields.iter().map(|(_, e)| e)))
            }
            Expr::Bool(..) | Expr::AppSetting(..) | Expr::ConfigKey(..) | Expr::Unknown(_) => {
                (1, 0)
            }
        }
    }

    pub fn location(&self) -> Location {
        match self {
            Expr::Literal(_, l)
            | Expr::Bool(_, l)
            | Expr::AppSetting(_, l)
            | Expr::ConfigKey(_, l)
            | Expr::Unknown(l) => *l,
            Expr::Concat(parts) => parts.first().map_or(
                Location {
                    file: FileId(0),
                    span: Span::default(),
                },
                Expr::location,
            ),
            Expr::Format(template, _) | Expr::TrailingSlash(template) | Expr::Lower(template) => {
                template.location()
            }
            Expr::Object { args, fields, .. } => {
                args.first().or(fields.first().map(|(_, e)| e)).map_or(
                    Location {
                        file: FileId(0),
                        span: Span::default(),
                    },
                    Expr::location,
                )
            }
            Expr::List(items) => items.first().map_or(
                Location {
                    file: FileId(0),
                    span: Span::default(),
                },
                Expr::location,
            ),
        }
    }

    fn field(&self, name: &str) -> Option<&Expr> {
        match self {
            Expr::Object { fields, .. } => {
                fields.iter().rev().find(|(n, _)| n == name).map(|(_, e)| e)
            }
            _ => None,
        }
    }
}

/// Tokens of one file with where they come from.
#[derive(Debug)]
pub struct CodeFile {
    pub file: FileId,
    /// Every token of a file that makes an authentication call. A file that makes none keeps
    /// none: only its declarations could matter, to a call in another file of its project, and
    /// most projects' code makes no call at all. See [`CodeFile::reread`].
    pub tokens: Vec<Token>,
    pub makes_calls: bool,
    /// The file uses Katana (`IAppBuilder`, `using Owin;`).
    pub owin: bool,
}

impl CodeFile {
    pub fn new(file: FileId, tokens: Vec<Token>, owin: bool) -> Self {
        let makes_calls = (0..tokens.len()).any(|i| {
            (is_app_call(&tokens[i]) && tokens.get(i + 1).is_some_and(|t| t.is("(")))
                || options_class_call(&tokens[i..]).is_some()
        });
        let tokens = if makes_calls { tokens } else { Vec::new() };
        CodeFile {
            file,
            tokens,
            makes_calls,
            owin,
        }
    }

    /// The file with every token, read again from its text when a call in its project may use
    /// its declarations.
    pub fn reread(&self, text: &str) -> CodeFile {
        CodeFile {
            tokens: tokenize(text),
            ..*self
        }
    }
}

/// `Configure<JwtBearerOptions>(` and its kin at the start of `tokens`: the framework whose
/// options they amend, whether every scheme is amended (`ConfigureAll`), and the index of `(`.
fn options_class_call(tokens: &[Token]) -> Option<(Framework, bool, usize)> {
    let [name, open, class, close, paren, ..] = tokens else {
        return None;
    };
    let every = match name.text.as_str() {
        "Configure" | "PostConfigure" if name.kind == TokenKind::Ident => false,
        "ConfigureAll" | "PostConfigureAll" if name.kind == TokenKind::Ident => true,
        _ => return None,
    };
    if !open.is("<") || !close.is(">") || !paren.is("(") {
        return None;
    }
    let framework = match class.text.as_str() {
        "JwtBearerOptions" => Framework::AspnetcoreJwtBearer,
        "OpenIdConnectOptions" => Framework::AspnetcoreOpenIdConnect,
        _ => return None,
    };
    Some((framework, every, 4))
}

/// `name = ...` or `name => ...` after a type, a modifier, a generic or an array type: a
/// field, property or local with an initializer.
fn declares(tokens: &[Token], i: usize) -> bool {
    tokens[i].kind == TokenKind::Ident
        && (tokens[i + 1].is("=") || tokens[i + 1].is("=>"))
        && (tokens[i - 1].kind == TokenKind::Ident
            || tokens[i - 1].is(">")
            || tokens[i - 1].is("]")
            || tokens[i - 1].is("?"))
}

/// A call that configures token validation (the calls [`code_apps`] evaluates).
fn is_app_call(name: &Token) -> bool {
    name.kind == TokenKind::Ident
        && (KATANA_CALLS.iter().any(|(n, _, _)| *n == name.text)
            || IDENTITY_WEB_CALLS.iter().any(|(n, _)| *n == name.text)
            || LEGACY_UI_CALLS.iter().any(|(n, ..)| *n == name.text)
            || name.text == "AddJwtBearer"
            || name.text == "AddOpenIdConnect")
}

/// The text may hold a call [`CodeFile::new`] looks for: without one of these names, no token
/// of it can be one, and the file need not be tokenized.
pub fn may_make_calls(text: &str) -> bool {
    (KATANA_CALLS.iter().map(|(n, _, _)| *n))
        .chain(IDENTITY_WEB_CALLS.iter().map(|(n, _)| *n))
        .chain(LEGACY_UI_CALLS.iter().map(|(n, ..)| *n))
        .chain(["AddJwtBearer", "AddOpenIdConnect"])
        .chain(["JwtBearerOptions", "OpenIdConnectOptions"])
        .any(|name| text.contains(name))
}

/// A middleware or builder call that consumes identity settings.
#[derive(Debug, Clone)]
pub struct CodeApp {
    pub framework: Framework,
    pub role: Role,
    /// The configuration section bound, and where the code names it (the call when defaulted).
    pub section: Option<(String, Location)>,
    /// Option values assigned in code, by .NET-style key (`Authority`, `TokenValidationParameters:ValidAudience`).
    pub options: Vec<(String, Expr)>,
    /// The call's name, where findings about the call point.
    pub call: Location,
    /// The authentication scheme the options belong to (`Bearer`, `OpenIdConnect`); `None`
    /// for Katana middleware and for `ConfigureAll`, which amends every scheme of its type.
    pub scheme: Option<String>,
    /// `Configure<JwtBearerOptions>(scheme, ...)` and the like: amends the options of a scheme
    /// another call registers, and is no app of its own.
    pub amends: bool,
}

impl CodeApp {
    /// A call that binds a configuration section to the scheme it registers, with no option
    /// set in code (Microsoft.Identity.Web, AzureAD.UI).
    fn bound(
        framework: Framework,
        role: Role,
        section: (String, Location),
        call: Location,
        scheme: &str,
    ) -> Self {
        CodeApp {
            framework,
            role,
            section: Some(section),
            options: Vec::new(),
            call,
            scheme: Some(scheme.to_string()),
            amends: false,
        }
    }
}

const KATANA_CALLS: &[(&str, Framework, Role)] = &[
    (
        "UseOpenIdConnectAuthentication",
        Framework::OwinOpenIdConnect,
        Role::WebApp,
    ),
    (
        "UseWindowsAzureActiveDirectoryBearerAuthentication",
        Framework::OwinAzureAdBearer,
        Role::WebApi,
    ),
    (
        "UseOAuthBearerAuthentication",
        Framework::OwinJwtBearer,
        Role::WebApi,
    ),
    (
        "UseWsFederationAuthentication",
        Framework::OwinWsFederation,
        Role::WebApp,
    ),
];

/// The retired AzureAD.UI / AzureADB2C.UI registrations, with the scheme each registers
/// (upstream: dotnet/aspnetcore src/Azure/AzureAD/Authentication.AzureAD.UI/src/AzureADDefaults.cs
/// and its B2C twin).
const LEGACY_UI_CALLS: &[(&str, Framework, Role, &str)] = &[
    (
        "AddAzureAD",
        Framework::AzureAdUi,
        Role::WebApp,
        "AzureADOpenID",
    ),
    (
        "AddAzureADBearer",
        Framework::AzureAdUi,
        Role::WebApi,
        "AzureADJwtBearer",
    ),
    (
        "AddAzureADB2C",
        Framework::AzureAdB2cUi,
        Role::WebApp,
        "AzureADB2COpenID",
    ),
    (
        "AddAzureADB2CBearer",
        Framework::AzureAdB2cUi,
        Role::WebApi,
        "AzureADB2CJwtBearer",
    ),
];

const IDENTITY_WEB_CALLS: &[(&str, Role)] = &[
    ("AddMicrosoftIdentityWebApi", Role::WebApi),
    ("AddMicrosoftIdentityWebApiAuthentication", Role::WebApi),
    ("AddMicrosoftIdentityWebApp", Role::WebApp),
    ("AddMicrosoftIdentityWebAppAuthentication", Role::WebApp),
];

/// The words a C# file must contain to be worth scanning.
pub const CODE_WORDS: &[&str] = &[
    "Authentication",
    "AppSettings[",
    "AddMicrosoftIdentityWeb",
    "AddJwtBearer",
    "AddOpenIdConnect",
    "JwtBearerOptions",
    "OpenIdConnectOptions",
    "AddAzureAD",
];

/// Fields, properties and locals with an initializer, across the files of one project.
pub struct Symbols<'a> {
    initializers: HashMap<&'a str, (FileId, &'a [Token])>,
}

impl<'a> Symbols<'a> {
    pub fn new(files: &[&'a CodeFile]) -> Self {
        let mut initializers = HashMap::new();
        for file in files {
            let tokens = &file.tokens;
            for i in 1..tokens.len().saturating_sub(1) {
                if declares(tokens, i) {
                    let end = expression_end(tokens, i + 2);
                    initializers
                        .entry(tokens[i].text.as_str())
                        .or_insert((file.file, &tokens[i + 2..end]));
                }
            }
        }
        Symbols { initializers }
    }
}

/// The end (exclusive) of an expression starting at `from`: the first `;`, or `,` / closing
/// bracket at depth zero.
fn expression_end(tokens: &[Token], from: usize) -> usize {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(from) {
        if token.kind != TokenKind::Punct {
            continue;
        }
        match token.text.as_str() {
            "(" | "{" | "[" => depth += 1,
            ")" | "}" | "]" if depth == 0 => return i,
            ")" | "}" | "]" => depth -= 1,
            ";" => return i,
            "," if depth == 0 => return i,
            _ => {}
        }
    }
    tokens.len()
}

/// The index of the bracket closing the one at `open`.
fn closing(tokens: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        if token.kind != TokenKind::Punct {
            continue;
        }
        match token.text.as_str() {
            "(" | "{" | "[" => depth += 1,
            ")" | "}" | "]" => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// Splits `tokens` at top-level commas.
fn split_args(tokens: &[Token]) -> Vec<&[Token]> {
    let mut args = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        if token.kind != TokenKind::Punct {
            continue;
        }
        match token.text.as_str() {
            "(" | "{" | "[" => depth += 1,
            ")" | "}" | "]" => depth = depth.saturating_sub(1),
            "," if depth == 0 => {
                args.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < tokens.len() {
        args.push(&tokens[start..]);
    }
    args
}

struct Evaluator<'a, 'b> {
    symbols: &'b Symbols<'a>,
    depth: usize,
    /// Expressions evaluated for this call so far: fields that refer to each other twice
    /// (`f1 = f0 + f0; f2 = f1 + f1; ...`) would otherwise build a tree exponential in their
    /// number from a few lines.
    work: usize,
    /// Bytes of literal text the call's values hold so far.
    built: usize,
}

impl<'a, 'b> Evaluator<'a, 'b> {
    /// A fresh budget for one call.
    fn new(symbols: &'b Symbols<'a>) -> Self {
        Evaluator {
            symbols,
            depth: 0,
            work: 0,
            built: 0,
        }
    }
}

const MAX_DEPTH: usize = 24;

/// Expressions one call's values may take; past it, what is left is unknown.
pub const MAX_WORK: usize = 10_000;

/// Bytes one call's values, or one resolved value, may hold; past it, the value is unknown.
/// Real authorities, audiences and keys are far shorter.
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

impl Evaluator<'_, '_> {
    fn at(file: FileId, token: &Token) -> Location {
        Location {
            file,
            span: token.span,
        }
    }

    fn expr(&mut self, file: FileId, tokens: &[Token]) -> Expr {
        let unknown = || {
            Expr::Unknown(Location {
                file,
                span: tokens.first().map(|t| t.span).unwrap_or_default(),
            })
        };
        self.work += 1;
        if tokens.is_empty() || self.depth > MAX_DEPTH || self.work > MAX_WORK {
            return unknown();
        }
        // `a ?? b`: the first operand is what configuration normally supplies.
        if let Some(i) = top_level(tokens, "??") {
            return self.expr(file, &tokens[..i]);
        }
        let parts: Vec<Expr> = split_top_level(tokens, "+")
            .into_iter()
            .map(|t| self.term(file, t))
            .collect();
        if parts.len() == 1 {
            parts.into_iter().next().unwrap_or_else(unknown)
        } else {
            Expr::Concat(parts)
        }
    }

    fn term(&mut self, file: FileId, tokens: &[Token]) -> Expr {
        let Some(first) = tokens.first() else {
            return Expr::Unknown(Location {
                file,
                span: Span::default(),
            });
        };
        let unknown = Expr::Unknown(Self::at(file, first));
        match &first.kind {
            TokenKind::Str if tokens.len() == 1 => {
                return self.literal(&first.text, Self::at(file, first));
            }
            TokenKind::Interpolated(parts) if tokens.len() == 1 => {
                let mut pieces = Vec::new();
                for part in parts {
                    match part {
                        InterpolatedPart::Text(text) if !text.is_empty() => {
                            pieces.push(self.literal(text, Self::at(file, first)))
                        }
                        InterpolatedPart::Hole(inner) => pieces.push(self.nested(file, inner)),
                        _ => {}
                    }
                }
                return Expr::Concat(pieces);
            }
            _ => {}
        }
        if first.is_ident("true") || first.is_ident("false") {
            return Expr::Bool(first.text == "true", Self::at(file, first));
        }
        if first.is("(") {
            let close = closing(tokens, 0);
            // A cast `(string)x` is followed by more tokens; a parenthesised expression is not.
            if close + 1 < tokens.len() {
                return self.term(file, &tokens[close + 1..]);
            }
            return self.nested(file, &tokens[1..close.min(tokens.len())]);
        }
        if first.is_ident("new") {
            return self.object(file, &tokens[1..]);
        }
        if first.kind != TokenKind::Ident {
            return unknown;
        }
        self.chain(file, tokens).unwrap_or(unknown)
    }

    /// A string literal, while the call's values stay within [`MAX_VALUE_BYTES`].
    fn literal(&mut self, text: &str, at: Location) -> Expr {
        self.built += text.len();
        if self.built > MAX_VALUE_BYTES {
            return Expr::Unknown(at);
        }
        Expr::Literal(text.to_string(), at)
    }

    fn nested(&mut self, file: FileId, tokens: &[Token]) -> Expr {
        self.depth += 1;
        let value = self.expr(file, tokens);
        self.depth -= 1;
        value
    }

    /// `new T(args) { A = x, B = y }` or a collection `new[] { a, b }`.
    fn object(&mut self, file: FileId, tokens: &[Token]) -> Expr {
        let mut i = 0;
        let mut type_name = String::new();
        while i < tokens.len() && !tokens[i].is("(") && !tokens[i].is("{") {
            if tokens[i].kind == TokenKind::Ident {
                type_name = tokens[i].text.clone();
            }
            i += 1;
        }
        let mut args = Vec::new();
        if i < tokens.len() && tokens[i].is("(") {
            let close = closing(tokens, i);
            args = split_args(&tokens[i + 1..close.min(tokens.len())])
                .into_iter()
                .map(|a| self.nested(file, a))
                .collect();
            i = close + 1;
        }
        let mut fields = Vec::new();
        if i < tokens.len() && tokens[i].is("{") {
            let close = closing(tokens, i);
            let entries = split_args(&tokens[i + 1..close.min(tokens.len())]);
            let is_collection = entries.iter().any(|e| e.len() < 2 || !e[1].is("="));
            if is_collection && !entries.is_empty() {
                return Expr::List(
                    entries
                        .into_iter()
                        .filter(|e| !e.is_empty())
                        .map(|e| self.nested(file, e))
                        .collect(),
                );
            }
            for entry in entries {
                if entry.len() >= 3 && entry[0].kind == TokenKind::Ident && entry[1].is("=") {
                    fields.push((entry[0].text.clone(), self.nested(file, &entry[2..])));
                }
            }
        }
        Expr::Object {
            type_name,
            args,
            fields,
        }
    }

    /// An identifier chain: a configuration lookup, a known call, or a symbol.
    fn chain(&mut self, file: FileId, tokens: &[Token]) -> Option<Expr> {
        let mut names: Vec<&Token> = vec![&tokens[0]];
        let mut i = 1;
        while i + 1 < tokens.len() && tokens[i].is(".") && tokens[i + 1].kind == TokenKind::Ident {
            names.push(&tokens[i + 1]);
            i += 2;
        }
        // Generic arguments: `GetValue<string>`.
        if i < tokens.len() && tokens[i].is("<") {
            while i < tokens.len() && !tokens[i].is(">") {
                i += 1;
            }
            i += 1;
        }
        let last = names.last()?;
        let at = Self::at(file, last);
        if i < tokens.len() && tokens[i].is("[") {
            let close = closing(tokens, i);
            let key = tokens.get(i + 1).filter(|t| t.kind == TokenKind::Str)?;
            let holder = names.iter().map(|t| t.text.as_str()).collect::<Vec<_>>();
            if holder.last() == Some(&"AppSettings") {
                return Some(Expr::AppSetting(key.text.clone(), Self::at(file, key)));
            }
            if holder.iter().any(|n| {
                n.eq_ignore_ascii_case("configuration") || n.eq_ignore_ascii_case("config")
            }) {
                return Some(Expr::ConfigKey(key.text.clone(), Self::at(file, key)));
            }
            let _ = close;
            return None;
        }
        if i < tokens.len() && tokens[i].is("(") {
            let close = closing(tokens, i);
            let args: Vec<&[Token]> = split_args(&tokens[i + 1..close.min(tokens.len())]);
            let method = last.text.as_str();
            let receiver = &names[..names.len() - 1];
            let value = match method {
                "Format" => {
                    let mut values: Vec<Expr> = args.iter().map(|a| self.nested(file, a)).collect();
                    if args
                        .first()
                        .is_some_and(|a| a.first().is_some_and(|t| t.text == "CultureInfo"))
                    {
                        values.remove(0);
                    }
                    if values.is_empty() {
                        return None;
                    }
                    let template = values.remove(0);
                    Expr::Format(Box::new(template), values)
                }
                "Concat" => Expr::Concat(args.iter().map(|a| self.nested(file, a)).collect()),
                "EnsureTrailingSlash" => {
                    Expr::TrailingSlash(Box::new(self.nested(file, args.first()?)))
                }
                "ToLower" | "ToLowerInvariant" if !receiver.is_empty() => {
                    Expr::Lower(Box::new(self.symbol(file, receiver.last()?)))
                }
                "GetValue" => {
                    let key = args.first()?.first().filter(|t| t.kind == TokenKind::Str)?;
                    Expr::ConfigKey(key.text.clone(), Self::at(file, key))
                }
                "GetSection" | "GetRequiredSection" => {
                    let section = args.first()?.first().filter(|t| t.kind == TokenKind::Str)?;
                    let rest = &tokens[close + 1..];
                    let key = rest
                        .get(1)
                        .filter(|t| rest[0].is("[") && t.kind == TokenKind::Str)?;
                    Expr::ConfigKey(
                        format!("{}:{}", section.text, key.text),
                        Self::at(file, key),
                    )
                }
                _ => Expr::Unknown(at),
            };
            return Some(value);
        }
        Some(self.symbol(file, last))
    }

    /// The initializer of a field, property or local, evaluated where it is declared.
    fn symbol(&mut self, file: FileId, name: &Token) -> Expr {
        match self.symbols.initializers.get(name.text.as_str()) {
            Some(&(declared_in, tokens)) if self.depth < MAX_DEPTH => {
                self.depth += 1;
                let value = self.expr(declared_in, tokens);
                self.depth -= 1;
                value
            }
            _ => Expr::Unknown(Self::at(file, name)),
        }
    }
}

fn top_level(tokens: &[Token], punct: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        match token.text.as_str() {
            "(" | "{" | "[" if token.kind == TokenKind::Punct => depth += 1,
            ")" | "}" | "]" if token.kind == TokenKind::Punct => depth = depth.saturating_sub(1),
            _ if depth == 0 && token.is(punct) => return Some(i),
            _ => {}
        }
    }
    None
}

fn split_top_level<'t>(tokens: &'t [Token], punct: &str) -> Vec<&'t [Token]> {
    let mut parts = Vec::new();
    let mut rest = tokens;
    while let Some(i) = top_level(rest, punct) {
        parts.push(&rest[..i]);
        rest = &rest[i + 1..];
    }
    parts.push(rest);
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

/// Flattens an options object into .NET-style keys (`TokenValidationParameters:ValidAudience`).
fn flatten_options(prefix: &str, value: &Expr, out: &mut Vec<(String, Expr)>) {
    if let Expr::Object { fields, .. } = value {
        for (name, field) in fields {
            let key = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}:{name}")
            };
            match field {
                Expr::Object { .. } => flatten_options(&key, field, out),
                _ => out.push((key, field.clone())),
            }
        }
    }
}

/// Finds, anywhere inside `value`, an object whose type name contains `part`.
fn find_object<'e>(value: &'e Expr, part: &str) -> Option<&'e Expr> {
    match value {
        Expr::Object {
            type_name,
            args,
            fields,
        } => {
            if type_name.contains(part) {
                return Some(value);
            }
            args.iter()
                .chain(fields.iter().map(|(_, e)| e))
                .find_map(|e| find_object(e, part))
        }
        _ => None,
    }
}

/// Every authentication call of one project, evaluated against the project's symbols.
pub fn code_apps(files: &[&CodeFile]) -> Vec<CodeApp> {
    let symbols = Symbols::new(files);
    let mut apps = Vec::new();
    for file in files {
        let tokens = &file.tokens;
        for i in 0..tokens.len().saturating_sub(1) {
            let name = &tokens[i];
            if let Some((framework, every, paren)) = options_class_call(&tokens[i..]) {
                let open = i + paren;
                let close = closing(tokens, open);
                let args = &tokens[open + 1..close.min(tokens.len())];
                let call = Location {
                    file: file.file,
                    span: name.span,
                };
                let mut evaluator = Evaluator::new(&symbols);
                apps.extend(amendment(
                    &mut evaluator,
                    file.file,
                    framework,
                    every,
                    args,
                    call,
                ));
                continue;
            }
            if !is_app_call(name) || !tokens[i + 1].is("(") {
                continue;
            }
            let close = closing(tokens, i + 1);
            let args = &tokens[i + 2..close.min(tokens.len())];
            let call = Location {
                file: file.file,
                span: name.span,
            };
            let mut evaluator = Evaluator::new(&symbols);
            if let Some(&(_, framework, role)) =
                KATANA_CALLS.iter().find(|(n, _, _)| *n == name.text)
            {
                apps.push(katana_app(
                    &mut evaluator,
                    file.file,
                    framework,
                    role,
                    args,
                    call,
                ));
            } else if let Some(&(_, role)) =
                IDENTITY_WEB_CALLS.iter().find(|(n, _)| *n == name.text)
            {
                let framework = if file.owin {
                    Framework::MicrosoftIdentityWebOwin
                } else {
                    Framework::MicrosoftIdentityWeb
                };
                let section = section_argument(file.file, args)
                    .unwrap_or_else(|| ("AzureAd".to_string(), call));
                // The schemes Microsoft.Identity.Web registers by default.
                let scheme = if role == Role::WebApi {
                    "Bearer"
                } else {
                    "OpenIdConnect"
                };
                apps.push(CodeApp::bound(framework, role, section, call, scheme));
            } else if let Some(&(_, framework, role, scheme)) =
                LEGACY_UI_CALLS.iter().find(|(n, ..)| *n == name.text)
            {
                let default = if framework == Framework::AzureAdUi {
                    "AzureAd"
                } else {
                    "AzureAdB2C"
                };
                let section = section_argument(file.file, args)
                    .unwrap_or_else(|| (default.to_string(), call));
                apps.push(CodeApp::bound(framework, role, section, call, scheme));
            } else if name.text == "AddJwtBearer" || name.text == "AddOpenIdConnect" {
                let (framework, role, default_scheme) = if name.text == "AddJwtBearer" {
                    (Framework::AspnetcoreJwtBearer, Role::WebApi, "Bearer")
                } else {
                    (
                        Framework::AspnetcoreOpenIdConnect,
                        Role::WebApp,
                        "OpenIdConnect",
                    )
                };
                apps.push(aspnetcore_app(
                    &mut evaluator,
                    file.file,
                    framework,
                    role,
                    default_scheme,
                    args,
                    call,
                ));
            }
        }
    }
    apps
}

fn katana_app(
    evaluator: &mut Evaluator,
    file: FileId,
    framework: Framework,
    role: Role,
    args: &[Token],
    call: Location,
) -> CodeApp {
    let argument = split_args(args)
        .into_iter()
        .next()
        .map(|a| evaluator.expr(file, a))
        .unwrap_or(Expr::Unknown(call));
    let mut options = Vec::new();
    flatten_options("", &argument, &mut options);
    if framework == Framework::OwinJwtBearer {
        // `AccessTokenFormat = new JwtFormat(tvps, new OpenIdConnectCachingSecurityTokenProvider(metadata))`
        if let Some(Expr::Object { args, .. }) = find_object(&argument, "JwtFormat") {
            if let Some(tvp) = args.first() {
                flatten_options("TokenValidationParameters", tvp, &mut options);
            }
            if let Some(provider) = args.get(1)
                && let Some(Expr::Object {
                    args: provider_args,
                    ..
                }) = find_object(provider, "Provider")
                && let Some(metadata) = provider_args.first()
            {
                options.push(("MetadataAddress".to_string(), metadata.clone()));
            }
        }
    }
    if let Some(tvp) = argument.field("TokenValidationParameters")
        && !matches!(tvp, Expr::Object { .. })
    {
        options.push(("TokenValidationParameters".into(), tvp.clone()));
    }
    CodeApp {
        framework,
        role,
        section: None,
        options,
        call,
        scheme: None,
        amends: false,
    }
}

/// The configuration section a Microsoft.Identity.Web call binds: a `configSectionName:`
/// argument, a string argument, `GetSection("X")` or `Bind("X", ...)`.
fn section_argument(file: FileId, args: &[Token]) -> Option<(String, Location)> {
    let string_at = |i: usize| {
        args.get(i)
            .filter(|t| t.kind == TokenKind::Str)
            .map(|t| (t.text.clone(), Location { file, span: t.span }))
    };
    for (i, token) in args.iter().enumerate() {
        if token.is_ident("configSectionName") && args.get(i + 1).is_some_and(|t| t.is(":")) {
            return string_at(i + 2);
        }
        if (token.is_ident("GetSection")
            || token.is_ident("Bind")
            || token.is_ident("GetRequiredSection"))
            && args.get(i + 1).is_some_and(|t| t.is("("))
        {
            return string_at(i + 2);
        }
    }
    let top: Vec<&[Token]> = split_args(args);
    top.iter().find_map(|arg| {
        (arg.len() == 1 && arg[0].kind == TokenKind::Str).then(|| {
            (
                arg[0].text.clone(),
                Location {
                    file,
                    span: arg[0].span,
                },
            )
        })
    })
}

/// `AddJwtBearer("scheme", options => { options.Authority = ...; Configuration.Bind("X", options); })`.
fn aspnetcore_app(
    evaluator: &mut Evaluator,
    file: FileId,
    framework: Framework,
    role: Role,
    default_scheme: &str,
    args: &[Token],
    call: Location,
) -> CodeApp {
    let scheme = args
        .first()
        .filter(|t| t.kind == TokenKind::Str)
        .map_or(default_scheme.to_string(), |t| t.text.clone());
    let bound = section_argument(file, args).filter(|(name, _)| *name != scheme);
    let options = assignments(evaluator, file, args);
    let section = bound.or_else(|| Some((format!("Authentication:Schemes:{scheme}"), call)));
    CodeApp {
        framework,
        role,
        section,
        options,
        call,
        scheme: Some(scheme),
        amends: false,
    }
}

/// `Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => ...)`,
/// `PostConfigure<...>(...)`, `ConfigureAll<...>(...)`. Without a name, `Configure` amends the
/// default-named options, which no scheme uses (upstream: dotnet/runtime
/// src/libraries/Microsoft.Extensions.Options/src/OptionsServiceCollectionExtensions.cs,
/// `Configure<TOptions>(services, action)` is `Configure(services, Options.DefaultName, action)`).
fn amendment(
    evaluator: &mut Evaluator,
    file: FileId,
    framework: Framework,
    every: bool,
    args: &[Token],
    call: Location,
) -> Option<CodeApp> {
    let parts = split_args(args);
    let scheme = if every {
        None
    } else {
        let first = parts.first().filter(|_| parts.len() > 1)?;
        Some(match first {
            [name] if name.kind == TokenKind::Str => name.text.clone(),
            [class, dot, field] if dot.is(".") => {
                match (class.text.as_str(), field.text.as_str()) {
                    ("JwtBearerDefaults", "AuthenticationScheme") => "Bearer".to_string(),
                    ("OpenIdConnectDefaults", "AuthenticationScheme") => {
                        "OpenIdConnect".to_string()
                    }
                    ("AzureADDefaults", "JwtBearerAuthenticationScheme") => {
                        "AzureADJwtBearer".to_string()
                    }
                    ("AzureADDefaults", "OpenIdScheme") => "AzureADOpenID".to_string(),
                    ("AzureADB2CDefaults", "JwtBearerAuthenticationScheme") => {
                        "AzureADB2CJwtBearer".to_string()
                    }
                    ("AzureADB2CDefaults", "OpenIdScheme") => "AzureADB2COpenID".to_string(),
                    _ => return None,
                }
            }
            _ => return None,
        })
    };
    let role = if framework == Framework::AspnetcoreJwtBearer {
        Role::WebApi
    } else {
        Role::WebApp
    };
    Some(CodeApp {
        framework,
        role,
        section: None,
        options: assignments(evaluator, file, args),
        call,
        scheme,
        amends: true,
    })
}

/// `receiver.Property[.Property] = value;` inside a configure delegate, by .NET-style key.
fn assignments(evaluator: &mut Evaluator, file: FileId, args: &[Token]) -> Vec<(String, Expr)> {
    let mut options = Vec::new();
    let mut i = 0;
    while i + 3 < args.len() {
        // `receiver.Property[.Property] = value;` inside the configure delegate.
        if args[i].kind == TokenKind::Ident
            && args[i + 1].is(".")
            && args[i + 2].kind == TokenKind::Ident
        {
            let mut path = vec![args[i + 2].text.clone()];
            let mut j = i + 3;
            while j + 1 < args.len() && args[j].is(".") && args[j + 1].kind == TokenKind::Ident {
                path.push(args[j + 1].text.clone());
                j += 2;
            }
            if j < args.len() && args[j].is("=") {
                let end = expression_end(args, j + 1);
                let value = evaluator.expr(file, &args[j + 1..end]);
                let key = path.join(":");
                match &value {
                    Expr::Object { .. } => flatten_options(&key, &value, &mut options),
                    _ => options.push((key, value)),
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apps(sources: &[&str]) -> Vec<CodeApp> {
        let files: Vec<CodeFile> = sources
            .iter()
            .enumerate()
            .map(|(i, s)| {
                // As a project is assembled: files without calls are read again.
                let file = CodeFile::new(FileId(i), tokenize(s), s.contains("IAppBuilder"));
                if file.makes_calls {
                    file
                } else {
                    file.reread(s)
                }
            })
            .collect();
        code_apps(&files.iter().collect::<Vec<_>>())
    }

    fn option<'a>(app: &'a CodeApp, key: &str) -> &'a Expr {
        &app.options
            .iter()
            .find(|(k, _)| k == key)
            .unwrap_or_else(|| panic!("{key} in {:?}", app.options))
            .1
    }

    #[test]
    fn katana_openid_connect_with_fields_and_format() {
        let code = r#"
            public partial class Startup {
                private static string clientId = ConfigurationManager.AppSettings["ida:ClientId"];
                private static string aadInstance = ConfigurationManager.AppSettings["ida:AADInstance"];
                private static string tenant = ConfigurationManager.AppSettings["ida:Tenant"];
                string authority = String.Format(CultureInfo.InvariantCulture, aadInstance, tenant);
                public void ConfigureAuth(IAppBuilder app) {
                    app.UseOpenIdConnectAuthentication(new OpenIdConnectAuthenticationOptions {
                        ClientId = clientId,
                        Authority = authority,
                        TokenValidationParameters = new TokenValidationParameters { ValidateIssuer = false }
                    });
                }
            }"#;
        let found = apps(&[code]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].framework, Framework::OwinOpenIdConnect);
        assert!(
            matches!(option(&found[0], "ClientId"), Expr::AppSetting(k, _) if k == "ida:ClientId")
        );
        let Expr::Format(template, args) = option(&found[0], "Authority") else {
            panic!()
        };
        assert!(matches!(template.as_ref(), Expr::AppSetting(k, _) if k == "ida:AADInstance"));
        assert_eq!(args.len(), 1);
        assert!(matches!(
            option(&found[0], "TokenValidationParameters:ValidateIssuer"),
            Expr::Bool(false, _)
        ));
    }

    #[test]
    fn only_files_that_make_calls_keep_their_tokens() {
        let globals = "public static class Globals { public static string Tenant = \"contoso\"; }";
        let held = CodeFile::new(FileId(0), tokenize(globals), false);
        assert!(!held.makes_calls && held.tokens.is_empty());
        assert_eq!(held.reread(globals).tokens.len(), tokenize(globals).len());
        let startup = "app.UseOpenIdConnectAuthentication(new OpenIdConnectAuthenticationOptions { ClientId = id }); int x = 1;";
        let count = tokenize(startup).len();
        let held = CodeFile::new(FileId(1), tokenize(startup), true);
        assert!(held.makes_calls);
        assert_eq!(held.tokens.len(), count);
    }

    #[test]
    fn b2c_bearer_metadata_from_the_key_provider_across_files() {
        let globals = r#"public static class Globals {
            public static string AadInstance = ConfigurationManager.AppSettings["ida:AadInstance"];
            public static string Tenant = ConfigurationManager.AppSettings["ida:Tenant"];
            public static string DefaultPolicy = ConfigurationManager.AppSettings["ida:SignUpSignInPolicyId"];
        }"#;
        let startup = r#"public void ConfigureAuth(IAppBuilder app) {
            TokenValidationParameters tvps = new TokenValidationParameters { ValidAudience = ClientId };
            app.UseOAuthBearerAuthentication(new OAuthBearerAuthenticationOptions {
                AccessTokenFormat = new JwtFormat(tvps, new OpenIdConnectCachingSecurityTokenProvider(String.Format(Globals.AadInstance, Globals.Tenant, Globals.DefaultPolicy)))
            });
        }"#;
        let found = apps(&[globals, startup]);
        assert_eq!(found[0].framework, Framework::OwinJwtBearer);
        assert!(
            matches!(option(&found[0], "MetadataAddress"), Expr::Format(_, args) if args.len() == 2)
        );
        assert!(matches!(
            option(&found[0], "TokenValidationParameters:ValidAudience"),
            Expr::Unknown(_)
        ));
    }

    #[test]
    fn identity_web_section_names() {
        let code = r#"
            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddMicrosoftIdentityWebApi(Configuration, "AzureAdB2C");
            builder.Services.AddMicrosoftIdentityWebAppAuthentication(builder.Configuration.GetSection("Entra"));
            services.AddMicrosoftIdentityWebApiAuthentication(Configuration);"#;
        let found = apps(&[code]);
        let sections: Vec<(&str, Role)> = found
            .iter()
            .map(|a| (a.section.as_ref().unwrap().0.as_str(), a.role))
            .collect();
        assert_eq!(
            sections,
            [
                ("AzureAdB2C", Role::WebApi),
                ("Entra", Role::WebApp),
                ("AzureAd", Role::WebApi)
            ]
        );
        assert!(
            found
                .iter()
                .all(|a| a.framework == Framework::MicrosoftIdentityWeb)
        );
    }

    #[test]
    fn jwt_bearer_options_from_a_delegate() {
        let code = r#"builder.Services.AddAuthentication().AddJwtBearer(options => {
            options.Authority = $"https://login.microsoftonline.com/{builder.Configuration["Auth:TenantId"]}/v2.0";
            options.TokenValidationParameters.ValidAudience = "api://orders";
        });"#;
        let found = apps(&[code]);
        assert_eq!(
            found[0].section.as_ref().unwrap().0,
            "Authentication:Schemes:Bearer"
        );
        let Expr::Concat(parts) = option(&found[0], "Authority") else {
            panic!("{:?}", found[0].options)
        };
        assert!(matches!(&parts[1], Expr::ConfigKey(k, _) if k == "Auth:TenantId"));
        assert!(
            matches!(option(&found[0], "TokenValidationParameters:ValidAudience"), Expr::Literal(v, _) if v == "api://orders")
        );
    }

    // upstream: dotnet/runtime src/libraries/Microsoft.Extensions.Options/src/OptionsServiceCollectionExtensions.cs
    // (an unnamed Configure amends Options.DefaultName, not a scheme) and the Microsoft.Identity.Web
    // docs' `Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, ...)`.
    #[test]
    fn options_class_calls_amend_a_named_scheme() {
        let code = r#"services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => {
                o.TokenValidationParameters.ValidAudiences = new[] { "api://a" };
            });
            services.PostConfigure<OpenIdConnectOptions>("Entra", o => { o.ClientId = "c"; });
            services.ConfigureAll<JwtBearerOptions>(o => { o.RequireHttpsMetadata = false; });
            services.Configure<JwtBearerOptions>(o => { o.Authority = "x"; });"#;
        let found = apps(&[code]);
        let summary: Vec<(Framework, Option<&str>, bool)> = found
            .iter()
            .map(|a| (a.framework, a.scheme.as_deref(), a.amends))
            .collect();
        assert_eq!(
            summary,
            [
                (Framework::AspnetcoreJwtBearer, Some("Bearer"), true),
                (Framework::AspnetcoreOpenIdConnect, Some("Entra"), true),
                (Framework::AspnetcoreJwtBearer, None, true),
            ],
            "the unnamed Configure amends no scheme"
        );
        assert!(matches!(
            option(&found[0], "TokenValidationParameters:ValidAudiences"),
            Expr::List(items) if matches!(&items[0], Expr::Literal(v, _) if v == "api://a")
        ));
    }

    #[test]
    fn self_reference_does_not_loop() {
        let code = r#"static string a = b; static string b = a;
            void C(IAppBuilder app) { app.UseOpenIdConnectAuthentication(new OpenIdConnectAuthenticationOptions { Authority = a }); }"#;
        let found = apps(&[code]);
        assert!(matches!(option(&found[0], "Authority"), Expr::Unknown(_)));
    }

    fn leaves(expr: &Expr) -> usize {
        expr.footprint().0
    }

    #[test]
    fn doubling_fields_stay_within_the_budget() {
        let mut code = String::from("static string f0 = \"https://login.microsoftonline.com/\";\n");
        for i in 1..64 {
            code.push_str(&format!("static string f{i} = f{} + f{};\n", i - 1, i - 1));
        }
        code.push_str("void C(IAppBuilder app) { app.UseOpenIdConnectAuthentication(new OpenIdConnectAuthenticationOptions { Authority = f63 }); app.UseOpenIdConnectAuthentication(new OpenIdConnectAuthenticationOptions { ClientId = f3 }); }");
        let found = apps(&[&code]);
        let authority = option(&found[0], "Authority");
        assert!(leaves(authority) <= MAX_WORK, "{}", leaves(authority));
        // Each call has its own budget, and a small doubling is evaluated: eight literals.
        let client_id = option(&found[1], "ClientId");
        assert_eq!(leaves(client_id), 8);
        assert!(matches!(client_id, Expr::Concat(_)));
    }

    #[test]
    fn long_literals_stay_within_the_budget() {
        let long = "x".repeat(MAX_VALUE_BYTES / 2 + 1);
        let code = format!(
            "static string a = \"{long}\"; static string b = a + a + a;\nvoid C(IAppBuilder app) {{ app.UseOpenIdConnectAuthentication(new OpenIdConnectAuthenticationOptions {{ Authority = b }}); }}"
        );
        let found = apps(&[&code]);
        let Expr::Concat(parts) = option(&found[0], "Authority") else {
            panic!("{:?}", found[0].options)
        };
        assert!(matches!(parts[0], Expr::Literal(..)));
        assert!(matches!(parts[1..], [Expr::Unknown(_), Expr::Unknown(_)]));
    }
}
