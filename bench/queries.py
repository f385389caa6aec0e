"""Time the 13 competency queries on one built store and print a Markdown table.

    python bench/queries.py bench/out/1000000-seed1                      # a project (its .flashpoint/store/oxigraph)
    python bench/queries.py path/to/oxigraph --only cq02,cq03 --timeout 60
    python bench/queries.py STORE --queries /tmp/old-queries --save before.json
    python bench/queries.py STORE --before before.json                   # adds "before" and speed-up columns
    python bench/queries.py STORE --dump /tmp/rows                       # also write each query's sorted solutions

Each query runs in its own subprocess on the store opened read-only
(`pyoxigraph.Store.read_only`, `use_default_graph_as_union=True`, exactly as
`flashpoint query` runs it), `--repeats` times (default 3), every solution
fetched; the table shows the median. A run that takes longer than `--timeout`
seconds (default 150) kills the subprocess and is reported as "> T s". Opening
the store is not timed. The machine may be shared: timings are noisy, compare
runs made one after the other.

`--dump DIR` writes DIR/cqNN-....json: the variables and the solutions of the
first run, each term in N-Triples syntax, sorted, so two versions of a query can
be compared with `diff` (or `--compare-dumps A B`).
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------ child


def _child(store_path: str, query_path: str, repeats: int, dump: str | None) -> None:
    import pyoxigraph

    store = pyoxigraph.Store.read_only(store_path)
    text = Path(query_path).read_text(encoding="utf-8")
    print(json.dumps({"ready": True}), flush=True)
    for i in range(repeats):
        start = time.perf_counter()
        solutions = store.query(text, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        rows = [tuple(None if s[n] is None else str(s[n]) for n in names) for s in solutions]
        seconds = time.perf_counter() - start
        if i == 0 and dump:
            sortable = sorted(rows, key=lambda r: tuple("" if t is None else t for t in r))
            Path(dump).write_text(
                json.dumps({"variables": names, "rows": sortable}, ensure_ascii=False, indent=0) + "\n",
                encoding="utf-8",
            )
        print(json.dumps({"seconds": seconds, "rows": len(rows)}), flush=True)


# ----------------------------------------------------------------- parent


def resolve_store(path: Path) -> Path:
    """A project folder, its .flashpoint/store, or the oxigraph folder itself."""
    for candidate in (path / ".flashpoint" / "store" / "oxigraph", path / "oxigraph", path):
        if (candidate / "CURRENT").is_file():
            return candidate
    raise SystemExit(f"{path}: no oxigraph store found")


def time_query(store: Path, query: Path, repeats: int, timeout: float, dump: Path | None) -> dict:
    """{'times': [...], 'rows': n} or {'timeout': T, 'times': [...]} if a run took too long."""
    cmd = [sys.executable, __file__, "--child", str(store), str(query), str(repeats), str(dump or "")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    result: dict = {"times": [], "rows": None}
    ready = False
    try:
        while len(result["times"]) < repeats:
            # opening the store gets a generous allowance; each run gets `timeout`
            limit = timeout if ready else max(timeout, 120)
            if not selector.select(limit):
                result["timeout"] = timeout
                break
            line = proc.stdout.readline()
            if not line:
                err = proc.stderr.read()
                raise RuntimeError(f"{query.name}: the query process failed\n{err}")
            msg = json.loads(line)
            if msg.get("ready"):
                ready = True
                continue
            result["times"].append(msg["seconds"])
            result["rows"] = msg["rows"]
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        selector.close()
    return result


def fmt_time(r: dict | None) -> str:
    if r is None:
        return ""
    if r.get("timeout") is not None and not r["times"]:
        return f"> {r['timeout']:g} s"
    median = statistics.median(r["times"])
    text = f"{median * 1000:,.0f}" if median >= 1 else f"{median * 1000:,.1f}"
    return text + (" (1 run)" if r.get("timeout") is not None else "")


def fmt_speedup(before: dict | None, after: dict) -> str:
    if before is None or not after["times"]:
        return ""
    a = statistics.median(after["times"])
    if not before["times"]:
        return f"> {before['timeout'] / a:,.0f}×"
    return f"{statistics.median(before['times']) / a:,.1f}×"


def compare_dumps(a: Path, b: Path) -> int:
    """Compare the sorted solutions of two --dump folders; 0 if all identical."""
    bad = 0
    for fa in sorted(a.glob("cq*.json")):
        fb = b / fa.name
        if not fb.is_file():
            print(f"{fa.name}: only in {a}")
            bad += 1
            continue
        da, db = json.loads(fa.read_text()), json.loads(fb.read_text())
        same_vars = da["variables"] == db["variables"]
        # compare by variable name, so a reordered SELECT clause still compares
        def by_name(d):
            return sorted(tuple(dict(zip(d["variables"], r)).get(v) or "" for v in sorted(d["variables"])) for r in d["rows"])
        same_rows = by_name(da) == by_name(db)
        status = "identical" if same_vars and same_rows else "DIFFERENT"
        print(f"{fa.stem}: {len(da['rows'])} vs {len(db['rows'])} rows, {status}"
              + ("" if same_vars else " (variables differ)"))
        bad += status != "identical"
    return 1 if bad else 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] or None)
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", type=Path, nargs="?", help="a built project, its store folder, or the oxigraph folder")
    ap.add_argument("--queries", type=Path, default=REPO / "queries", help="folder of cqNN-*.rq (default: queries/)")
    ap.add_argument("--only", default="", help="comma-separated prefixes, e.g. cq02,cq03")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=150.0, help="seconds per run (default 150)")
    ap.add_argument("--dump", type=Path, help="write each query's sorted solutions to this folder")
    ap.add_argument("--save", type=Path, help="write the raw timings as JSON")
    ap.add_argument("--before", type=Path, help="a --save file of an earlier run: add before / speed-up columns")
    ap.add_argument("--compare-dumps", nargs=2, type=Path, metavar=("A", "B"), help="compare two --dump folders and exit")
    args = ap.parse_args()

    if args.compare_dumps:
        return compare_dumps(*args.compare_dumps)
    if args.store is None:
        ap.error("a store is required")
    store = resolve_store(args.store)
    only = [p for p in args.only.split(",") if p]
    queries = [q for q in sorted(args.queries.glob("cq[0-9][0-9]-*.rq"))
               if not only or any(q.name.startswith(p) for p in only)]
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    before = json.loads(args.before.read_text()) if args.before else None

    results: dict[str, dict] = {}
    for q in queries:
        dump = args.dump / f"{q.stem}.json" if args.dump else None
        r = time_query(store, q, args.repeats, args.timeout, dump)
        results[q.stem] = r
        print(f"  {q.stem}: {fmt_time(r)} ms, {r['rows']} rows", file=sys.stderr, flush=True)

    if args.save:
        args.save.write_text(json.dumps({"store": str(store), "queries": str(args.queries),
                                         "repeats": args.repeats, "timeout": args.timeout,
                                         "results": results}, indent=1) + "\n")

    head = ["query", "rows", "ms (median)"]
    if before:
        head = ["query", "rows", "before (ms)", "after (ms)", "speed-up"]
    print(f"Store: `{store}` — median of {args.repeats} runs, every solution fetched, "
          f"timeout {args.timeout:g} s per run\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
    for name, r in results.items():
        rows = "" if r["rows"] is None else str(r["rows"])
        if before:
            b = before["results"].get(name)
            print(f"| {name[:4]} | {rows} | {fmt_time(b)} | {fmt_time(r)} | {fmt_speedup(b, r)} |")
        else:
            print(f"| {name[:4]} | {rows} | {fmt_time(r)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
