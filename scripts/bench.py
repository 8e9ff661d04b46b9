#!/usr/bin/env python3
"""Benchmarks entralint against ripgrep (the I/O floor: the same files searched for the planted
mistakes) and semgrep (three equivalent rules), side by side on synthetic monorepos written by
gen-monorepo.py, with a warm file cache. Prints wall time, CPU time and peak memory (median of
the runs), the ratios, and whether the finding counts agree with what was planted.

    cargo build --release && python3 scripts/bench.py --sizes 1000 10000 100000

semgrep is installed into a throw-away virtual environment in the work folder (never a project
dependency); pass --semgrep PATH to use another, or --no-semgrep to skip it.
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
GLOBS = ["*.json", "*.config", "*.xml", "*.cfg", "*.cs", "*.yml", "*.yaml", ".env", "*.env"]
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
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
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
