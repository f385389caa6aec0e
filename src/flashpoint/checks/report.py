"""Report formats of `flashpoint check`: text, json, junit, github.

JSON report (``--format json``), format ``flashpoint-check-report/1``
(also in docs/check-report.md)::

    {
      "format": "flashpoint-check-report/1",
      "project": "/abs/path/of/the/project",
      "fail_on": "error" | "warning",
      "exit_status": 0 | 1,
      "summary": {"error": int, "warning": int, "info": int, "files": int},
      "checks": {"provenance": str, "shacl": str, "rules": str, "owl": str},
                              # "ran", or "skipped: <why>"
      "findings": [            # sorted by file, line, severity
        {
          "rule": "FP-R01",            # rule id (docs/check-report.md lists them)
          "severity": "error" | "warning" | "info",
          "message": str,              # a sentence a person understands
          "file": str | null,          # relative to the project (POSIX), or absolute outside it
          "line": int | null,          # 1-based; null = the whole file
          "subject": str | null,       # IRI of the node the finding is about
          "claim": str | null,         # IRI of the claim behind it
          "quote": str | null,         # that claim's quote
          "sentence": str | null,      # the document sentence around the quote
          "check": "provenance" | "shacl" | "rules" | "owl",
          "details": [str]             # further lines: SHACL constraint, axioms, other claims
        }
      ]
    }
"""

from __future__ import annotations

import json
from collections import Counter

from flashpoint.checks.findings import SEVERITY_RANK, Finding

FORMAT = "flashpoint-check-report/1"
_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def counts(findings: list[Finding]) -> dict[str, int]:
    c = Counter(f.severity for f in findings)
    return {"error": c["error"], "warning": c["warning"], "info": c["info"], "files": len({f.file for f in findings if f.file})}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def text(findings: list[Finding], checks: dict[str, str], fail_on: str, status: int, color: bool = False) -> str:
    def paint(s: str, code: str) -> str:
        return f"{code}{s}{_RESET}" if color else s

    out: list[str] = []
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.file or "(project)", []).append(f)
    for file, items in by_file.items():
        c = Counter(f.severity for f in items)
        summary = ", ".join(_plural(c[s], s) for s in ("error", "warning", "info") if c[s])
        out.append(paint(file, _BOLD) + f"  ({summary})")
        for f in items:
            where = f"{f.line}" if f.line else "-"
            out.append(f"  {where:>5}  {paint(f'{f.severity:<7}', _COLOURS[f.severity])}  {f.rule:<7}  {f.message}")
            if f.quote:
                out.append(paint(f"{'':>7}           quote: {f.quote!r}", _DIM))
            if f.sentence and f.sentence != f.quote:
                out.append(paint(f"{'':>7}           sentence: {f.sentence!r}", _DIM))
            for d in f.details:
                out.append(paint(f"{'':>7}           {d}", _DIM))
        out.append("")
    c = counts(findings)
    skipped = [f"{name} {how}" for name, how in checks.items() if how != "ran"]
    verdict = "FAILED" if status else "passed"
    where = f" in {_plural(c['files'], 'file')}" if c["files"] else ""
    line = f"{_plural(c['error'], 'error')}, {_plural(c['warning'], 'warning')}, {c['info']} info{where}: check {verdict} (--fail-on {fail_on})"
    out.append(paint(line, _COLOURS["error"] if status else "\033[32m"))
    if skipped:
        out.append("not run: " + "; ".join(skipped))
    return "\n".join(out) + "\n"


def as_json(findings: list[Finding], checks: dict[str, str], fail_on: str, status: int, project: str) -> str:
    data = {
        "format": FORMAT,
        "project": project,
        "fail_on": fail_on,
        "exit_status": status,
        "summary": counts(findings),
        "checks": checks,
        "findings": [f.to_json() for f in findings],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def junit(findings: list[Finding], checks: dict[str, str], fail_on: str) -> str:
    """JUnit XML: one test suite per check, one failed test case per finding at or above
    ``fail_on`` (a skipped one below it), one passing case for a check without findings."""
    from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite

    xml = JUnitXml("flashpoint check")
    threshold = SEVERITY_RANK[fail_on]
    for check in checks:
        suite = TestSuite(f"flashpoint check: {check}")
        mine = [f for f in findings if f.check == check]
        if checks[check] != "ran":
            case = TestCase(f"{check}", classname="flashpoint.check")
            case.result = [Skipped(checks[check])]
            suite.add_testcase(case)
        elif not mine:
            suite.add_testcase(TestCase(f"all {check} checks", classname="flashpoint.check"))
        for f in mine:
            where = f"{f.file}:{f.line}" if f.line else (f.file or "(project)")
            case = TestCase(f"{f.rule} {where}", classname=(f.file or "project").replace("/", "."))
            body = "\n".join(filter(None, [f.message, f.quote and f"quote: {f.quote}", f.sentence and f"sentence: {f.sentence}", *f.details]))
            if SEVERITY_RANK[f.severity] >= threshold:
                result = Failure(f"{f.severity}: {f.message}", f.severity)
                result.text = body
            else:
                result = Skipped(f"{f.severity}: {f.message}")
                result.text = body
            case.result = [result]
            suite.add_testcase(case)
        suite.update_statistics()
        xml.add_testsuite(suite)
    xml.update_statistics()
    return xml.tostring().decode("utf-8") if isinstance(xml.tostring(), bytes) else str(xml.tostring())


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(findings: list[Finding]) -> str:
    """GitHub Actions workflow commands: ``::error file=…,line=…,title=RULE::message``."""
    command = {"error": "error", "warning": "warning", "info": "notice"}
    out = []
    for f in findings:
        props = []
        if f.file:
            props.append(f"file={_escape_property(f.file)}")
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_escape_property(f.rule)}")
        message = f.message + (f"\nquote: {f.quote}" if f.quote else "")
        out.append(f"::{command[f.severity]} {','.join(props)}::{_escape_data(message)}")
    c = counts(findings)
    out.append(f"flashpoint check: {c['error']} error(s), {c['warning']} warning(s), {c['info']} info")
    return "\n".join(out) + "\n"
