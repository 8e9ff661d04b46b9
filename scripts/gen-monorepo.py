#!/usr/bin/env python3
"""Writes a synthetic polyglot monorepo for benchmarks: services, each in one language (.NET
with appsettings*.json and web.config, a Spring Boot resource server with a profile, a
passport-azure-ad Node module, a fastapi-azure-auth `.env`), each behind an API Management
policy, an oauth2-proxy configuration and an Istio RequestAuthentication (every tenth also an
Envoy jwt_authn configuration), with ordinary source files, plus node_modules/ and bin/obj/ trees that linters must skip (also listed in a
.gitignore). A known number of mistakes is planted
(only where a linter should look); expected.json records them.

    python3 scripts/gen-monorepo.py --files 10000 --out /tmp/entralint-bench/10000
"""

import argparse
import json
import os
import uuid

TENANT = "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93"
# Per service: config files + ordinary sources; skipped trees add about a third on top.
SOURCES_PER_SERVICE = 10
# Configuration files per service, on average over the languages below.
CONFIGS_PER_SERVICE = 5
LANGUAGES = ["dotnet", "spring", "node", "python"]
# Each language's source files (alongside Markdown docs).
SOURCE_KINDS = {"dotnet": ["cs", "cs"], "spring": ["java", "java"], "node": ["ts", "js"],
                "python": ["py", "py"]}


def guid(seed: int) -> str:
    return str(uuid.UUID(int=(seed * 0x9E3779B97F4A7C15 + 0x1234567) % (1 << 128), version=4))


def write(root: str, path: str, text: str) -> None:
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)


def appsettings(client: str, audience: str, instance: str = "https://login.microsoftonline.com/") -> str:
    return json.dumps(
        {
            "Logging": {"LogLevel": {"Default": "Information"}},
            "AzureAd": {
                "Instance": instance,
                "TenantId": TENANT,
                "ClientId": client,
                "Audience": audience,
            },
            "AllowedHosts": "*",
        },
        indent=2,
    )


def web_config(client: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <appSettings>
    <add key="webpages:Version" value="3.0.0.0" />
    <add key="ida:ClientId" value="{client}" />
    <add key="ida:TenantId" value="{TENANT}" />
    <add key="ida:AADInstance" value="https://login.microsoftonline.com/{{0}}{{1}}" />
    <add key="ida:RedirectUri" value="https://localhost:44368/" />
  </appSettings>
  <system.web>
    <compilation debug="true" targetFramework="4.8" />
  </system.web>
</configuration>
"""


def policy(client: str) -> str:
    return f"""<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" failed-validation-httpcode="401">
      <openid-config url="https://login.microsoftonline.com/{TENANT}/v2.0/.well-known/openid-configuration" />
      <audiences>
        <audience>{client}</audience>
        <audience>api://{client}</audience>
      </audiences>
    </validate-jwt>
  </inbound>
  <backend>
    <base />
  </backend>
</policies>
"""


def proxy_cfg(client: str) -> str:
    return f"""provider = "oidc"
client_id = "{client}"
oidc_issuer_url = "https://login.microsoftonline.com/{TENANT}/v2.0"
upstreams = ["http://localhost:8080/"]
email_domains = ["contoso.com"]
"""


def spring(client: str) -> str:
    return f"""spring:
  application:
    name: orders
  security:
    oauth2:
      resourceserver:
        jwt:
          issuer-uri: https://login.microsoftonline.com/{TENANT}/v2.0
          audiences:
            - {client}
server:
  port: 8080
"""


def spring_profile() -> str:
    return (
        "logging.level.root=WARN\n"
        "spring.security.oauth2.resourceserver.jwt.jwk-set-uri="
        f"https://login.microsoftonline.com/{TENANT}/discovery/v2.0/keys\n"
    )


def istio(client: str, i: int) -> str:
    return f"""apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: svc{i:05}-jwt
  namespace: svc{i:05}
spec:
  selector:
    matchLabels:
      app: svc{i:05}
  jwtRules:
  - issuer: "https://login.microsoftonline.com/{TENANT}/v2.0"
    jwksUri: "https://login.microsoftonline.com/{TENANT}/discovery/v2.0/keys"
    audiences:
    - "{client}"
"""


def envoy(client: str) -> str:
    return f"""static_resources:
  listeners:
  - name: main
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: ingress
          http_filters:
          - name: envoy.filters.http.jwt_authn
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication
              providers:
                entra:
                  issuer: https://login.microsoftonline.com/{TENANT}/v2.0
                  audiences:
                  - {client}
                  remote_jwks:
                    http_uri:
                      uri: https://login.microsoftonline.com/{TENANT}/discovery/v2.0/keys
                      cluster: entra
                      timeout: 5s
              rules:
              - match:
                  prefix: /
                requires:
                  provider_name: entra
          - name: envoy.filters.http.router
"""


def passport(client: str) -> str:
    return f"""const passport = require('passport');
const {{ BearerStrategy }} = require('passport-azure-ad');

const options = {{
  identityMetadata: 'https://login.microsoftonline.com/{TENANT}/v2.0/.well-known/openid-configuration',
  clientID: '{client}',
  audience: '{client}',
  validateIssuer: true,
  loggingLevel: 'warn',
}};

passport.use(new BearerStrategy(options, (token, done) => done(null, {{}}, token)));

module.exports = passport;
"""


def python_env(client: str) -> str:
    return f"TENANT_ID={TENANT}\nAPP_CLIENT_ID={client}\nOPENAPI_CLIENT_ID={client}\n"


def source(kind: str, n: int, auth_code: bool = False) -> str:
    if kind == "cs" and auth_code:
        # Names the authentication namespace, so it is read as possible startup code, but makes
        # no call: what most C# of a real service looks like to entralint.
        return (
            "using Microsoft.AspNetCore.Authentication;\n\nnamespace Contoso.Orders;\n\n"
            f"public class Handler{n}\n{{\n"
            f'    private const string Scheme = "Bearer";\n'
            f"    private static readonly int Factor = {n};\n"
            "    public int Handle(int value, string text)\n    {\n"
            "        var total = value * Factor + text.Length;\n"
            "        for (var i = 0; i < value; i++) { total += i % 7; }\n"
            "        return total;\n    }\n}\n"
        )
    if kind == "cs":
        return f"namespace Contoso.Orders;\n\npublic class Handler{n}\n{{\n    public int Handle(int value) => value * {n};\n}}\n"
    if kind == "ts":
        return f"export function handler{n}(value: number): number {{\n  return value * {n};\n}}\n"
    if kind == "js":
        return f"export function handler{n}(value) {{\n  return value * {n};\n}}\n"
    if kind == "java":
        return f"package orders;\n\npublic class Handler{n} {{\n    public int handle(int value) {{ return value * {n}; }}\n}}\n"
    if kind == "py":
        return f"def handler{n}(value: int) -> int:\n    return value * {n}\n"
    return f"# Handler {n}\n\nMultiplies values by {n}.\n"


def write_service(out: str, base: str, language: str, client: str, i: int, planted: dict,
                  auth_code: bool) -> int:
    """Writes one service's configuration and sources; returns how many files."""
    written = 0
    if language == "dotnet":
        write(out, f"{base}/Api/appsettings.json", appsettings(client, f"api://{client}"))
        env = {"Logging": {"LogLevel": {"Default": "Warning"}}}
        if i % 7 == 3:
            env["AzureAd"] = {"Audience": "https://graph.microsoft.com"}
            planted["graph-audience"] += 1
        write(out, f"{base}/Api/appsettings.Production.json", json.dumps(env, indent=2))
        dev = {"Logging": {"LogLevel": {"Default": "Debug"}}}
        if i % 11 == 5:
            dev["AzureAd"] = {"Instance": "http://login.microsoftonline.com/"}
            planted["insecure-metadata"] += 1
        if i % 13 == 8:
            dev.setdefault("AzureAd", {})["ClientId"] = "Enter_the_Application_Id_Here"
            planted["placeholder-value"] += 1
        write(out, f"{base}/Api/appsettings.Development.json", json.dumps(dev, indent=2))
        write(out, f"{base}/Legacy/Web.config", web_config(client))
        written += 4
    elif language == "spring":
        resources = f"{base}/src/main/resources"
        write(out, f"{resources}/application.yml", spring(client))
        write(out, f"{resources}/application-prod.properties", spring_profile())
        written += 2
    elif language == "node":
        write(out, f"{base}/src/auth.js", passport(client))
        written += 1
    else:
        write(out, f"{base}/.env", python_env(client))
        write(out, f"{base}/requirements.txt", "fastapi\nfastapi-azure-auth==5.0.1\n")
        written += 2
    for n in range(SOURCES_PER_SERVICE):
        kind = SOURCE_KINDS[language][n % 2] if n % 3 else "md"
        folder = "docs" if kind == "md" else "src/handlers"
        write(out, f"{base}/{folder}/handler{n}.{kind}", source(kind, n, auth_code))
        written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, required=True, help="about how many files to write")
    parser.add_argument("--out", required=True)
    parser.add_argument("--auth-code", action="store_true",
                        help="C# sources name the authentication namespace (read as possible startup code)")
    args = parser.parse_args()
    # Each service writes CONFIGS_PER_SERVICE configuration files and SOURCES_PER_SERVICE
    # sources; skipped trees get a third of the total.
    services = max(1, (args.files * 2 // 3) // (CONFIGS_PER_SERVICE + SOURCES_PER_SERVICE))
    write(args.out, ".gitignore", "node_modules/\nbin/\nobj/\n")
    skipped_files = args.files // 3
    planted = {"graph-audience": 0, "insecure-metadata": 0, "placeholder-value": 0}
    written = 0
    for i in range(services):
        client = guid(i + 1)
        base = f"services/svc{i:05}"
        # A service is written in one language; every service sits behind the same gateways.
        language = LANGUAGES[i % len(LANGUAGES)]
        written += write_service(args.out, base, language, client, i, planted, args.auth_code)
        write(args.out, f"{base}/apim/apis/svc{i:05}/policy.xml", policy(client))
        write(args.out, f"{base}/deploy/oauth2-proxy.cfg", proxy_cfg(client))
        write(args.out, f"{base}/deploy/request-authentication.yaml", istio(client, i))
        written += 3
        if i % 10 == 0:
            write(args.out, f"{base}/deploy/envoy.yaml", envoy(client))
            written += 1
    # What linters must skip: dependencies and build output, holding the same mistakes.
    for n in range(skipped_files):
        if n % 2 == 0:
            path = f"node_modules/pkg{n // 50:04}/lib/file{n}.json"
            text = json.dumps({"name": f"pkg{n}", "AzureAd": {"Audience": "https://graph.microsoft.com"}})
        else:
            svc = (n // 2) % services
            path = f"services/svc{svc:05}/Api/{'bin/Debug/net8.0' if n % 4 == 1 else 'obj'}/file{n}/appsettings.json"
            text = appsettings(guid(n), "https://graph.microsoft.com", "http://login.microsoftonline.com/")
        write(args.out, path, text)
        written += 1
    written += 1  # .gitignore
    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"files": written, "services": services, "planted": planted}, f, indent=2)
    print(json.dumps({"files": written, "services": services, "planted": planted}))


if __name__ == "__main__":
    main()
