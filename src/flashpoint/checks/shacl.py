"""SHACL validation with pyshacl against ``ontology/shapes.ttl`` (plus a project's ``*.shapes.ttl``).

The data graph is the union of every graph check loads (documents,
gazetteer, ontology and its extensions), so that ``sh:class`` sees the class
hierarchy. Each result becomes a Finding under the rule id its node shape
carries (``fpc:rule``), pointed at the claims file line behind its focus node.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, SH

from flashpoint.checks.findings import Finding
from flashpoint.checks.kb import KB, term_key
from flashpoint.vocab import package_folder

FPC = rdflib.Namespace("https://w3id.org/flashpoint/checks#")
SEVERITIES = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}


def shapes_files(project_root: Path | None = None) -> list[Path]:
    files = [package_folder("ontology") / "shapes.ttl"]
    if project_root is not None and (project_root / "ontology").is_dir():
        files += sorted((project_root / "ontology").glob("*.shapes.ttl"))
    return files


def shapes_graph(project_root: Path | None = None) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in shapes_files(project_root):
        graph.parse(path, format="turtle")
    return graph


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, reduced to what identifies it (for comparisons)."""

    focus: str
    path: str
    value: str
    component: str
    shape_rule: str
    severity: str
    message: str


def validate(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Result]:
    """Plain pyshacl: no inference, core constraints only."""
    import pyshacl

    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False, abort_on_first=False, allow_warnings=True)
    return results_of(report, shapes)


def results_of(report: rdflib.Graph, shapes: rdflib.Graph) -> list[Result]:
    parents = {ps: ns for ns, ps in shapes.subject_objects(SH.property)}
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(r, SH.sourceShape)
        rule = shapes.value(shape, FPC.rule) or shapes.value(parents.get(shape), FPC.rule) if shape is not None else None
        value = report.value(r, SH.value)
        path = report.value(r, SH.resultPath)
        out.append(Result(
            focus=term_key(report.value(r, SH.focusNode)),
            path=term_key(path) if path is not None else "",
            value=term_key(value) if value is not None else "",
            component=str(report.value(r, SH.sourceConstraintComponent)),
            shape_rule=str(rule or "FP-S00"),
            severity=SEVERITIES.get(report.value(r, SH.resultSeverity), "error"),
            message=str(report.value(r, SH.resultMessage) or "SHACL constraint violated"),
        ))
    return sorted(set(out), key=lambda x: (x.focus, x.path, x.value, x.component))


def data_graph(kb: KB) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=kb.union_ntriples(), format="nt")
    return graph


def run(kb: KB) -> list[Finding]:
    results = validate(data_graph(kb), shapes_graph(kb.project.root))
    return [finding(kb, r) for r in results]


def finding(kb: KB, r: Result) -> Finding:
    from flashpoint.vocab import compact

    what = compact(r.path) if r.path else ""
    value = f" (value: {compact(r.value) if not r.value.startswith(chr(34)) else r.value})" if r.value else ""
    f = Finding(r.shape_rule, r.severity, f"{r.message}{value}", check="shacl", details=[f"SHACL: {compact(r.focus)} {what} fails {r.component.rsplit('#', 1)[-1]}"])
    return kb.locate(f, r.focus, r.path or None, r.value or None)
