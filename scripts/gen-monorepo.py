#!/usr/bin/env python3
"""Writes a synthetic monorepo for benchmarks: services with appsettings*.json, web.config,
an API Management policy, an oauth2-proxy configuration, a Spring Boot module (application.yml
and an application.properties without identity settings) and ordinary source files, plus
node_modules/ and bin/obj/ trees that linters must skip. A known number of mistakes is planted
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


def spring_module(root: str, base: str, i: int, client: str, planted: dict) -> int:
    """A Spring Boot resource server and a properties file discovery must pass over cheaply."""
    audience = client
    if i % 17 == 9:
        audience = "https://graph.microsoft.com"
        planted["graph-audience"] += 1
    write(root, f"{base}/java/src/main/resources/application.yml", f"""server:
  port: 8080
spring:
  security:
    oauth2:
      resourceserver:
        jwt:
          issuer-uri: https://login.microsoftonline.com/{TENANT}/v2.0
          audiences: {audience}
""")
    write(root, f"{base}/java/src/main/resources/application.properties",
          "server.port=8080\nspring.application.name=orders\nlogging.level.root=INFO\n")
    return 2


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
    return f"# Handler {n}\n\nMultiplies values by {n}.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, required=True, help="about how many files to write")
    parser.add_argument("--out", required=True)
    parser.add_argument("--auth-code", action="store_true",
                        help="C# sources name the authentication namespace (read as possible startup code)")
    args = parser.parse_args()
    # Each service writes ~6 configuration files and SOURCES_PER_SERVICE sources; skipped
    # trees get a third of the total.
    services = max(1, (args.files * 2 // 3) // (6 + SOURCES_PER_SERVICE))
    skipped_files = args.files // 3
    planted = {"graph-audience": 0, "insecure-metadata": 0, "placeholder-value": 0}
    written = 0
    for i in range(services):
        client = guid(i + 1)
        base = f"services/svc{i:05}"
        write(args.out, f"{base}/Api/appsettings.json", appsettings(client, f"api://{client}"))
        env = {"Logging": {"LogLevel": {"Default": "Warning"}}}
        if i % 7 == 3:
            env["AzureAd"] = {"Audience": "https://graph.microsoft.com"}
            planted["graph-audience"] += 1
        write(args.out, f"{base}/Api/appsettings.Production.json", json.dumps(env, indent=2))
        dev = {"Logging": {"LogLevel": {"Default": "Debug"}}}
        if i % 11 == 5:
            dev["AzureAd"] = {"Instance": "http://login.microsoftonline.com/"}
            planted["insecure-metadata"] += 1
        if i % 13 == 8:
            dev.setdefault("AzureAd", {})["ClientId"] = "Enter_the_Application_Id_Here"
            planted["placeholder-value"] += 1
        write(args.out, f"{base}/Api/appsettings.Development.json", json.dumps(dev, indent=2))
        write(args.out, f"{base}/Legacy/Web.config", web_config(client))
        write(args.out, f"{base}/apim/apis/svc{i:05}/policy.xml", policy(client))
        write(args.out, f"{base}/deploy/oauth2-proxy.cfg", proxy_cfg(client))
        written += 6
        written += spring_module(args.out, base, i, client, planted)
        for n in range(SOURCES_PER_SERVICE):
            kind = ("cs", "ts", "md")[n % 3]
            folder = {"cs": "Api/Handlers", "ts": "web/src", "md": "docs"}[kind]
            write(args.out, f"{base}/{folder}/handler{n}.{kind}", source(kind, n, args.auth_code))
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
    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"files": written, "services": services, "planted": planted}, f, indent=2)
    print(json.dumps({"files": written, "services": services, "planted": planted}))


if __name__ == "__main__":
    main()
