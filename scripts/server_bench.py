#!/usr/bin/env python3
"""Measures how fast `entralint server` answers an edit: a synthetic workspace (gen-monorepo.py),
one service's appsettings.json opened and changed with unsaved text, the time from sending
didChange to receiving its publishDiagnostics. Prints the start-up check time and the median
and 95th percentile of the change latency. A benchmark, not a test: numbers depend on the machine.

    cargo build --release && python3 scripts/server_bench.py --files 1000 --changes 50
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def uri(path: str) -> str:
    return "file://" + urllib.parse.quote(os.path.abspath(path))


class Server:
    def __init__(self, binary: str, root: str):
        self.process = subprocess.Popen(
            [binary, "server"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.next_id = 1

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict:
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                sys.exit("the server stopped")
            line = line.strip()
            if not line:
                break
            if line.startswith(b"Content-Length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def request(self, method: str, params) -> dict:
        request_id = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == request_id:
                return message

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def published(self, for_uri: str) -> dict:
        while True:
            message = self.receive()
            if (
                message.get("method") == "textDocument/publishDiagnostics"
                and message["params"]["uri"] == for_uri
            ):
                return message


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--binary", default=os.path.join(ROOT, "target/release/entralint"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            [sys.executable, os.path.join(HERE, "gen-monorepo.py"), "--files", str(args.files), "--out", work],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        files = sum(len(names) for _, _, names in os.walk(work))
        target = os.path.join(work, "services", sorted(os.listdir(os.path.join(work, "services")))[0], "Api", "appsettings.json")
        with open(target, encoding="utf-8") as f:
            original = f.read()
        # Two texts with different findings (a padded TenantId or not), so every change publishes.
        assert '"TenantId": "' in original, target
        texts = [original.replace('"TenantId": "', '"TenantId": " '), original]
        server = Server(args.binary, work)
        started = time.perf_counter()
        server.request("initialize", {"processId": None, "rootUri": uri(work), "capabilities": {}})
        server.notify("initialized", {})
        # Requests are answered in order: this one waits for the start-up check.
        server.request("textDocument/hover", {"textDocument": {"uri": uri(target)}, "position": {"line": 0, "character": 0}})
        startup = time.perf_counter() - started
        # Opened as on disk: the findings are those already published, so nothing is sent.
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri(target), "languageId": "json", "version": 1, "text": original}})
        latencies = []
        for version in range(args.changes):
            sent = time.perf_counter()
            server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri(target), "version": version + 2},
                "contentChanges": [{"text": texts[version % 2]}],
            })
            server.published(uri(target))
            latencies.append((time.perf_counter() - sent) * 1000)
        server.request("shutdown", None)
        server.notify("exit", None)
        server.process.wait()
    latencies.sort()
    print(f"workspace: {files} files; start-up check {startup * 1000:.0f} ms")
    print(
        f"change -> diagnostics over {args.changes} changes: median {statistics.median(latencies):.1f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms, max {latencies[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
