"""SPARQL endpoint benchmark: ``flashpoint serve`` against ``oxigraph serve-read-only``, same store, same run.

    python bench/serve.py [--triples 100000] [--seconds 5] [--clients 1,10,50] [--seed 1]

The store is the repository's seed KB (built into bench/out/serve-seed/), or with
``--triples N`` a synthetic project from bench/generate.py (bench/out/serve-N-seedS/),
built once and cached. On it, one after the other:

* ``oxigraph serve-read-only --location <store>/oxigraph --union-default-graph``
  (the engine alone), queried at ``/query?query=…``;
* ``flashpoint serve --port 0`` (the guard, the proxy and its supervised oxigraph
  child), queried at ``/sparql?query=…``;

with a small SELECT (10 rows), over HTTP/1.1 keep-alive and over a new connection
per query (``Connection: close``), at 1, 10 and 50 concurrent clients, each for
``--seconds``. Load: ``wrk`` (one thread) when it is installed, else the asyncio
load generator below (raw sockets; stated in the results). Loopback only, bounded
in time and in clients. Reports q/s, p50 and p99 latency, errors, and the ratio
flashpoint / oxigraph; writes bench/results/serve.md and serve.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
RESULTS = BENCH / "results"
PY = sys.executable
OXIGRAPH = str(Path(PY).parent / "oxigraph") if (Path(PY).parent / "oxigraph").exists() else (shutil.which("oxigraph") or "oxigraph")
FLASHPOINT = [str(Path(PY).parent / "flashpoint")] if (Path(PY).parent / "flashpoint").exists() else [PY, "-m", "flashpoint.cli"]
QUERY = "SELECT ?s ?t WHERE { ?s a ?t } LIMIT 10"
GOAL = 0.5
NOTE = ("Errors are oxigraph/flashpoint: non-2xx answers plus wrk's socket errors. With `Connection: close`, wrk counts "
        "read errors on oxigraph's connections (it closes them before wrk has finished reading), none on flashpoint's; "
        "q/s counts completed answers only.")
LOADS = {"wrk": "`wrk -t1` (with `-H 'Connection: close'` for new connections)",
         "asyncio": "the asyncio raw-socket generator of bench/serve.py"}


def build_store(triples: int | None, seed: int) -> Path:
    if triples is None:
        project = OUT / "serve-seed"
        if not (project / ".flashpoint" / "store" / "manifest.json").exists():
            shutil.rmtree(project, ignore_errors=True)
            project.mkdir(parents=True)
            shutil.copytree(ROOT / "kb", project / "kb", ignore=shutil.ignore_patterns(".flashpoint"))
            shutil.copytree(ROOT / "queries", project / "queries", ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    else:
        project = OUT / f"serve-{triples}-seed{seed}"
        if not (project / ".flashpoint" / "store" / "manifest.json").exists():
            sys.path.insert(0, str(BENCH))
            import generate

            shutil.rmtree(project, ignore_errors=True)
            generate.generate(triples, project, seed)
    if not (project / ".flashpoint" / "store" / "manifest.json").exists():
        print(f"building {project} …", file=sys.stderr, flush=True)
        subprocess.run(FLASHPOINT + ["build", "--project", str(project)], check=True, stdout=subprocess.DEVNULL)
    return project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, seconds: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "?query=" + quote("ASK {}"), timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer")


# ------------------------------------------------------------------ load


def parse_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url: str, clients: int, seconds: float, keep_alive: bool) -> dict:
    command = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "10s"]
    if not keep_alive:
        command += ["-H", "Connection: close"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    result = {"qps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "p50_ms": parse_ms(re.search(r"(?m)^\s+50%\s+(\S+)", out).group(1)),
              "p99_ms": parse_ms(re.search(r"(?m)^\s+99%\s+(\S+)", out).group(1)),
              "requests": int(re.search(r"(\d+) requests in", out).group(1)), "errors": 0}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["errors"] = (int(bad.group(1)) if bad else 0) + (sum(int(g) for g in sock.groups()) if sock else 0)
    return result


async def _client(host: str, port: int, request: bytes, keep_alive: bool, stop: float, latencies: list, errors: list):
    reader = writer = None
    while time.monotonic() < stop:
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length:\s*(\d+)", head)
            if length:
                await reader.readexactly(int(length.group(1)))
            else:  # chunked
                while True:
                    size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            if b" 200 " not in head.split(b"\r\n", 1)[0]:
                errors.append(1)
            latencies.append(time.perf_counter() - started)
            if not keep_alive:
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError):
            errors.append(1)
            if writer is not None:
                writer.close()
            writer = None
    if writer is not None:
        writer.close()


def run_asyncio(url: str, clients: int, seconds: float, keep_alive: bool) -> dict:
    host, port_path = url.split("//", 1)[1].split(":", 1)
    port, path = port_path.split("/", 1)
    request = (f"GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n").encode()
    latencies: list = []
    errors: list = []

    async def main():
        stop = time.monotonic() + seconds
        await asyncio.gather(*(_client(host, int(port), request, keep_alive, stop, latencies, errors) for _ in range(clients)))

    started = time.perf_counter()
    asyncio.run(main())
    took = time.perf_counter() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")
    return {"qps": len(latencies) / took, "p50_ms": pick(0.5), "p99_ms": pick(0.99), "requests": len(latencies), "errors": len(errors)}


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=None, help="a synthetic store of about this many quads (default: the seed KB)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--load", choices=["auto", "wrk", "asyncio"], default="auto")
    args = parser.parse_args(argv)
    clients = [int(c) for c in args.clients.split(",")]
    if any(c < 1 or c > 100 for c in clients) or args.seconds > 30:
        parser.error("bounded load only: 1..100 clients, at most 30 s a run")
    load = args.load if args.load != "auto" else ("wrk" if shutil.which("wrk") else "asyncio")
    run = run_wrk if load == "wrk" else run_asyncio

    project = build_store(args.triples, args.seed)
    store = project / ".flashpoint" / "store"
    quads = json.loads((store / "manifest.json").read_text()).get("total_quads")
    path = "?query=" + quote(QUERY)
    rows = []
    port = free_port()
    targets = [
        ("oxigraph serve-read-only", [OXIGRAPH, "serve-read-only", "--location", str(store / "oxigraph"),
                                      "--bind", f"127.0.0.1:{port}", "--union-default-graph"], f"http://127.0.0.1:{port}/query"),
        ("flashpoint serve", FLASHPOINT + ["serve", "--project", str(project), "--port", "0"], None),
    ]
    for name, command, url in targets:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            if url is None:
                url = process.stdout.readline().split()[2]
            wait_ready(url)
            for keep_alive in (True, False):
                for c in clients:
                    run(url + path, c, 1, keep_alive)  # warm-up
                    result = run(url + path, c, args.seconds, keep_alive)
                    row = {"server": name, "connections": "keep-alive" if keep_alive else "new", "clients": c, **result}
                    rows.append(row)
                    print(f"{name:26} {row['connections']:10} c={c:<3} {result['qps']:9.0f} q/s  p50 {result['p50_ms']:.2f} ms"
                          f"  p99 {result['p99_ms']:.2f} ms  errors {result['errors']}", flush=True)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    write_results(rows, load, project, quads, args)
    return 0


def write_results(rows: list[dict], load: str, project: Path, quads, args) -> None:
    RESULTS.mkdir(exist_ok=True)
    base = {(r["connections"], r["clients"]): r for r in rows if r["server"].startswith("oxigraph")}
    lines = [
        "# SPARQL endpoint: flashpoint serve vs oxigraph serve-read-only",
        "",
        f"`python bench/serve.py{' --triples ' + str(args.triples) if args.triples else ''}` — store `{project.relative_to(ROOT)}` "
        f"({quads:,} quads), query `{QUERY}`, {args.seconds:g} s a cell after a 1 s warm-up, load by "
        f"{LOADS[load]}, "
        f"loopback. {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs (shared with other work: absolute numbers are noisy, "
        "the ratio of the same run is what counts).",
        "",
        "| connections | clients | oxigraph q/s | p50 ms | p99 ms | flashpoint q/s | p50 ms | p99 ms | errors | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    ratios = []
    for r in rows:
        if r["server"].startswith("oxigraph"):
            continue
        b = base[(r["connections"], r["clients"])]
        ratio = r["qps"] / b["qps"] if b["qps"] else float("nan")
        ratios.append(ratio)
        lines.append(f"| {r['connections']} | {r['clients']} | {b['qps']:,.0f} | {b['p50_ms']:.2f} | {b['p99_ms']:.2f} | "
                     f"{r['qps']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {b['errors']}/{r['errors']} | {ratio:.2f} |")
    verdict = "met" if ratios and min(ratios) >= GOAL else "NOT met"
    lines += ["", f"Goal: flashpoint ≥ {GOAL} × oxigraph in every row — **{verdict}** (lowest ratio {min(ratios):.2f})."
              if ratios else "", "", NOTE, ""]
    text = "\n".join(lines)
    (RESULTS / "serve.md").write_text(text + "\n")
    (RESULTS / "serve.json").write_text(json.dumps({"load": load, "quads": quads, "rows": rows}, indent=1) + "\n")
    print(text)


if __name__ == "__main__":
    sys.exit(main())
