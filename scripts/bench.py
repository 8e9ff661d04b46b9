#!/usr/bin/env python3
"""Benchmarks entralint against ripgrep (the I/O floor: the same files searched for the planted
mistakes) and semgrep (three equivalent rules), side by side on synthetic monorepos written by
gen-monorepo.py, with a warm file cache. Prints wall time, CPU time and peak memory (median of
the runs), the ratios, and whether the finding counts agree with what was planted.

    cargo build --release && python3 scripts/bench.py --sizes 1000 10000 100000

semgrep is installed into a throw-away virtual environment in the work folder (never a project
dependency); pass --semgrep PATH to use another, or --no-semgrep to skip it.

    python3 scripts/bench.py --scaling

instead doubles each dimension a hostile repository can inflate (keys in a section, apps on one
minified line, environments, web.config settings, transforms and merges, suppressions, named
values, C# fields that double each other) and prints wall time and peak memory per size, with
the growth per doubling: about 2x is linear, 4x quadratic.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# The planted mistakes, as patterns for ripgrep and semgrep.
PATTERNS = {
    "graph-audience": r'"Audience":\s*"https://graph\.microsoft\.com"',
    "insecure-metadata": r'"Instance":\s*"http://',
    "placeholder-value": r"Enter_the_Application_Id_Here",
}
# The files entralint reads, for ripgrep.
GLOBS = ["*.json", "*.config", "*.xml", "*.cfg", "*.cs", "*.yml", "*.yaml", ".env", "*.env", "*.properties"]
# JavaScript / TypeScript modules whose names say they may configure authentication, as the
# Node stack classifies them (src/stacks/node/mod.rs).
GLOBS += [f"*{word}*.{ext}" for word in ["auth", "config", "passport", "msal", "strategy", "index",
                                         "app", "server", "main", "environment", "settings",
                                         "identity"]
          for ext in ["js", "mjs", "cjs", "ts", "mts", "cts"]]
SKIPPED = ["node_modules", "bin", "obj", ".git"]


def timed(command, cwd=None):
    """Runs `command`; returns (stdout, wall s, CPU s, peak RSS MiB): wall by the clock, CPU and
    memory by GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        full = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", report.name] + command
        started = time.perf_counter()
        done = subprocess.run(full, cwd=cwd, capture_output=True, text=True)
        wall = time.perf_counter() - started
        _, user, system, rss_kib = report.read().split()[-4:]
    return done.stdout, wall, float(user) + float(system), int(rss_kib) / 1024


def measure(command, runs, count):
    """Median wall/cpu/memory over `runs` runs, after one warm-up run; `count` parses findings."""
    timed(command)
    samples = [timed(command) for _ in range(runs)]
    return {
        "wall": statistics.median(s[1] for s in samples),
        "cpu": statistics.median(s[2] for s in samples),
        "rss": max(s[3] for s in samples),
        "found": count(samples[-1][0]),
    }


def entralint(binary, tree, runs):
    def count(out):
        found = {}
        for d in json.loads(out)["diagnostics"]:
            found[d["rule"]] = found.get(d["rule"], 0) + 1
        return found

    return measure([binary, "check", tree, "--format", "json", "--exit-zero", "--isolated"], runs, count)


def ripgrep(tree, runs):
    command = ["rg", "--no-ignore", "--hidden", "--count-matches", "--no-filename"]
    for glob in GLOBS:
        command += ["-g", glob]
    for skipped in SKIPPED:
        command += ["-g", f"!{skipped}"]
    for pattern in PATTERNS.values():
        command += ["-e", pattern]
    command.append(tree)

    def count(out):
        return {"all": sum(int(line) for line in out.split())}

    return measure(command, runs, count)


def semgrep_rules(folder):
    path = os.path.join(folder, "rules.yml")
    with open(path, "w", encoding="utf-8") as f:
        f.write("rules:\n")
        for rule, pattern in PATTERNS.items():
            f.write(
                f"  - id: {rule}\n    languages: [generic]\n    severity: ERROR\n"
                f"    message: {rule}\n    paths:\n      include: ['appsettings*.json']\n"
                f"    pattern-regex: '{pattern}'\n"
            )
    return path


def semgrep(executable, rules, tree, runs):
    command = [executable, "scan", "--config", rules, "--metrics=off", "--json", "--quiet",
               "--disable-version-check", "--jobs", str(os.cpu_count() or 1)]
    for skipped in SKIPPED:
        command += ["--exclude", skipped]
    command.append(tree)

    def count(out):
        found = {}
        for result in json.loads(out)["results"]:
            rule = result["check_id"].rsplit(".", 1)[-1]
            found[rule] = found.get(rule, 0) + 1
        return found

    return measure(command, runs, count)


def install_semgrep(work):
    venv = os.path.join(work, "semgrep-venv")
    executable = os.path.join(venv, "bin", "semgrep")
    if not os.path.exists(executable):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "semgrep"], check=True)
    return executable


def version(command):
    """The first line a tool prints about its version."""
    done = subprocess.run(command, capture_output=True, text=True)
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else f"{command[0]} (version unknown)"


def write(tree, name, text):
    path = os.path.join(tree, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


APP = ('"Instance": "http://login.microsoftonline.com/", '
       '"TenantId": "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93", '
       '"ClientId": "5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45"')
TRANSFORM = ('<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform">'
             '<appSettings><add key="ida:Tenant" value="t" xdt:Transform="SetAttributes" '
             'xdt:Locator="Match(key)" /><remove key="k1" /></appSettings></configuration>')


def web_config(tree, settings, transforms):
    adds = "".join(f'<add key="k{i}" value="v" />' for i in range(settings))
    write(tree, "Web.config", f'<configuration><appSettings>{adds}<add key="ida:AADInstance" '
          'value="http://login.microsoftonline.com/{0}" /></appSettings></configuration>')
    for i in range(transforms):
        write(tree, f"Web.T{i}.config", TRANSFORM)


def named_values(tree, n):
    refs = "".join(f"{{{{nv{i}}}}}" for i in range(n))
    write(tree, "apim/policy.xml", '<policies><inbound><validate-jwt header-name="Authorization">'
          f'<openid-config url="{refs}" /></validate-jwt></inbound></policies>')
    values = "".join(f"  - name: nv{i}\n    properties:\n      displayName: nv{i}\n      value: x\n"
                     for i in range(n))
    write(tree, "apim/configuration.prod.yaml", "namedValues:\n" + values)


def doubling_fields(tree, n):
    fields = "".join(f" static string f{i} = f{i - 1} + f{i - 1};\n" for i in range(1, n))
    write(tree, "api/appsettings.json", "{}")
    write(tree, "api/Startup.cs", 'public class Startup {\n static string f0 = '
          f'"https://login.microsoftonline.com/";\n{fields} public void ConfigureServices('
          'IServiceCollection services) { services.AddAuthentication().AddJwtBearer(o => '
          f'{{ o.Authority = f{n - 1}; }}); }}\n}}\n')


# Each dimension: the smallest size, and how to write a tree of size n.
DIMENSIONS = {
    "keys in one section": (20000, lambda t, n: write(t, "appsettings.json", '{"AzureAd": {'
        + ", ".join(f'"Key{i}": "v"' for i in range(n)) + ', "Instance": "http://x/"}}')),
    "apps on one minified line": (1000, lambda t, n: write(t, "appsettings.json", "{"
        + ",".join(f'"App{i}": {{{APP}}}' for i in range(n)) + "}")),
    "environments of one app": (200, lambda t, n: [write(t, "appsettings.json", f'{{"AzureAd": {{{APP}}}}}')]
        + [write(t, f"appsettings.Env{i}.json", '{"AzureAd": {"TenantId": "t"}}') for i in range(n)]),
    "projects with .env overrides": (500, lambda t, n: [
        (write(t, f"p{i}/appsettings.json", f'{{"AzureAd": {{{APP}}}}}'),
         write(t, f"p{i}/.env", "AzureAd__TenantId=t\n")) for i in range(n)]),
    "web.config settings": (2000, lambda t, n: web_config(t, n, 20)),
    "web.config transforms": (100, lambda t, n: web_config(t, 20, n)),
    "web.config file= and <remove>": (2000, lambda t, n: [
        write(t, "Web.config", '<configuration><appSettings file="extra.config">' + "".join(
            f'<add key="k{i}" value="v" /><remove key="k{i}" />' for i in range(n))
            + "</appSettings></configuration>"),
        write(t, "extra.config", "<appSettings>" + "".join(
            f'<add key="k{i}" value="w" />' for i in range(n)) + "</appSettings>")]),
    "suppressions": (1000, lambda t, n: write(t, "appsettings.json", "{\n" + ",\n".join(
        f'  "App{i}": {{\n    // entralint-ignore insecure-metadata: generated\n    {APP}\n  }}'
        for i in range(n)) + "\n}\n")),
    "{{named values}}": (2000, named_values),
    "C# fields doubling each other": (16, doubling_fields),
}


def scaling(binary, work, runs, steps):
    """Doubles each dimension `steps` times; prints time and memory per size and per doubling."""
    print("| dimension | size | wall s | peak MiB | wall x per doubling |")
    print("|---|---:|---:|---:|---:|")
    for name, (smallest, make) in DIMENSIONS.items():
        previous = None
        for step in range(steps):
            n = smallest * 2 ** step
            tree = os.path.join(work, "scaling", name.replace(" ", "-").replace("/", "") + f"-{n}")
            if not os.path.exists(tree):
                os.makedirs(tree)
                make(tree, n)
            command = [binary, "check", tree, "--format", "concise", "--exit-zero", "--isolated"]
            result = measure(command, runs, lambda out: out.count("\n"))
            growth = f"{result['wall'] / previous:.2f}" if previous else "-"
            print(f"| {name} | {n} | {result['wall']:.3f} | {result['rss']:.0f} | {growth} |")
            previous = max(result["wall"], 1e-3)


def memory_gib():
    with open("/proc/meminfo", encoding="utf-8") as f:
        return int(f.readline().split()[1]) / (1024 * 1024)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "entralint-bench"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "entralint"))
    parser.add_argument("--semgrep", help="a semgrep executable to use instead of installing one")
    parser.add_argument("--no-semgrep", action="store_true")
    parser.add_argument("--semgrep-runs", type=int, default=1)
    parser.add_argument("--auth-code", action="store_true",
                        help="trees whose C# sources all name the authentication namespace")
    parser.add_argument("--scaling", action="store_true",
                        help="double each dimension a hostile repository can inflate instead")
    parser.add_argument("--steps", type=int, default=4, help="sizes per dimension (--scaling)")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    if args.scaling:
        print(f"machine: {os.cpu_count()} cores; runs: median of {args.runs}, warm cache; "
              f"{version([args.binary, '--version'])}\n")
        scaling(args.binary, args.work, args.runs, args.steps)
        return
    semgrep_exe = None if args.no_semgrep else (args.semgrep or install_semgrep(args.work))
    rules = semgrep_rules(args.work)
    print(f"machine: {os.cpu_count()} cores, {memory_gib():.0f} GiB; runs: median of {args.runs}, warm cache")
    tools = [[args.binary, "--version"], ["rg", "--version"]]
    if semgrep_exe:
        tools.append([semgrep_exe, "--version", "--disable-version-check"])
    print("tools: " + "; ".join(version(command) for command in tools) + "\n")
    print("| files | tool | wall s | CPU s | peak MiB | findings | agrees |")
    print("|---:|---|---:|---:|---:|---|---|")
    results = {}
    for size in args.sizes:
        tree = os.path.join(args.work, f"{size}-auth-code" if args.auth_code else str(size))
        if not os.path.exists(os.path.join(tree, "expected.json")):
            generate = [sys.executable, os.path.join(HERE, "gen-monorepo.py"), "--files", str(size),
                        "--out", tree] + (["--auth-code"] if args.auth_code else [])
            subprocess.run(generate, check=True, capture_output=True)
        with open(os.path.join(tree, "expected.json"), encoding="utf-8") as f:
            expected = json.load(f)
        planted = expected["planted"]
        rows = [("entralint", entralint(args.binary, tree, args.runs), planted),
                ("ripgrep", ripgrep(tree, args.runs), {"all": sum(planted.values())})]
        if semgrep_exe:
            rows.append(("semgrep", semgrep(semgrep_exe, rules, tree, args.semgrep_runs), planted))
        for tool, result, wanted in rows:
            agrees = "yes" if result["found"] == wanted else f"no (planted {wanted})"
            found = ", ".join(f"{k} {v}" for k, v in sorted(result["found"].items()))
            print(f"| {expected['files']} | {tool} | {result['wall']:.3f} | {result['cpu']:.3f} | "
                  f"{result['rss']:.0f} | {found} | {agrees} |")
            results[(size, tool)] = result
    print()
    for size in args.sizes:
        ours = results[(size, "entralint")]["wall"]
        line = f"{size} files: entralint / ripgrep = {ours / results[(size, 'ripgrep')]['wall']:.2f}x wall"
        if (size, "semgrep") in results:
            line += f"; semgrep / entralint = {results[(size, 'semgrep')]['wall'] / ours:.0f}x wall"
        print(line)
    sizes = sorted(args.sizes)
    for small, large in zip(sizes, sizes[1:]):
        growth = results[(large, "entralint")]["wall"] / results[(small, "entralint")]["wall"]
        print(f"{small} -> {large} files ({large // small}x): entralint wall time x{growth:.1f}")


if __name__ == "__main__":
    main()
