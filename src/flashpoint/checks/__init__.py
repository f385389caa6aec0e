"""``flashpoint check``: the CI gate (docs/check-report.md).

Builds the knowledge base in memory from kb/ (no store needed: CI runs it on a
fresh clone) with the build's own loader (``kb.py``, ``loaders/document.py``),
once, then runs these (2-4 at the same time: HermiT in its own Java processes, the
rules in a thread while SHACL runs, pyoxigraph evaluating queries without the GIL;
the findings are sorted afterwards, so the order never shows):

1. provenance (``provenance.py``): what the loader found wrong with the claims
   files, documents, sha256 and quotes;
2. SHACL (``shacl.py``) with ``ontology/shapes.ttl``;
3. the integrity rules ``queries/checks/*.rq`` (``rules.py``);
4. OWL reasoning (``owl.py``): consistency with explanations, unsatisfiable classes.

Each step is incremental per document where that is sound, with a cache in
``.flashpoint/check-cache/`` and a process pool for what is not cached
(``cache.py``; ``FLASHPOINT_CHECK_JOBS``); the findings are the same with or
without the cache (``use_cache=False``).

Every finding names a rule id, a severity, the file and line to fix, and the
claim (quote, sentence) behind it. Exit status: 0 clean, 1 findings at or
above ``fail_on``; 2 (raised as FlashpointError) only when check itself cannot
run (no project, a broken rule file). Malformed claims files, unknown classes,
quotes that do not match and changed documents are *findings* (exit 1) here,
while ``flashpoint build`` refuses them with exit 2.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from flashpoint.checks.findings import SEVERITY_RANK, Finding, deduplicate
from flashpoint.checks.memo_store import memoized_check
from flashpoint.project import Project

__all__ = ["run_checks", "collect", "Finding"]


@memoized_check  # nothing changed since the last check: its findings, without loading anything
def collect(project: Project, owl: bool = True, use_cache: bool = True) -> tuple[list[Finding], dict[str, str]]:
    """All findings (deduplicated, sorted) and which checks ran."""
    # imported here, not at the top: `import flashpoint.checks` stays cheap (rdflib, pyshacl)
    from flashpoint.checks import kb as kb_module
    from flashpoint.checks import rules, shacl

    # Three steps at once, on every core: HermiT works in its own Java processes (started as soon
    # as every document's world triples are known, while the store is still being filled), and
    # pyoxigraph lets go of the GIL while it evaluates a query, so the rules (one thread) and
    # SHACL (this one) overlap too. The graphs are hashed first, once, for both memos.
    reasoning: list = []
    with_owl = owl and not os.environ.get("FLASHPOINT_CHECK_NO_OWL")

    def start_reasoning(kb) -> None:
        if with_owl and kb.model is not None:
            from flashpoint.checks import owl as owl_module

            reasoning.append(owl_module.start(kb, use_cache=use_cache))

    kb = kb_module.load_kb(project, use_cache=use_cache, on_indexed=start_reasoning)
    checks = {"provenance": "ran", "shacl": "ran", "rules": "ran", "owl": "ran"}
    findings = list(kb.findings)
    if kb.model is None:
        for name in ("shacl", "rules", "owl"):
            checks[name] = "skipped: the ontology could not be read"
        return deduplicate(findings), checks
    if not with_owl:
        checks["owl"] = "skipped: disabled"
    shacl.unit_hashes(kb)
    with ThreadPoolExecutor(1, thread_name_prefix="flashpoint-rules") as pool:
        rule_findings = pool.submit(rules.run, kb, None, use_cache)
        findings += shacl.run(kb, use_cache=use_cache)
        findings += rule_findings.result()
    for started in reasoning:
        findings += started.result()
    return deduplicate(findings), checks


def exit_status(findings: list[Finding], fail_on: str) -> int:
    threshold = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= threshold for f in findings) else 0


# Documents whose claims no person reviewed: a warning, or an error with --require-reviewed.
UNREVIEWED_RULES = ("FP-P08", "FP-P17")


def require_reviewed(findings: list[Finding]) -> list[Finding]:
    """``--require-reviewed`` (what a team puts in CI): unreviewed documents become errors."""
    for finding in findings:
        if finding.rule in UNREVIEWED_RULES:
            finding.severity = "error"
    return findings


def run_checks(project: Project, fmt: str = "text", fail_on: str = "error", color: bool = False,
               reviewed: bool = False) -> tuple[str, int]:
    """The report in ``fmt`` (text, json, junit, github) and the exit status (0 or 1);
    ``reviewed``: every document's claims must have been reviewed."""
    from flashpoint.checks import report

    findings, checks = collect(project)
    if reviewed:
        findings = require_reviewed(findings)
    status = exit_status(findings, fail_on)
    if fmt == "json":
        return report.as_json(findings, checks, fail_on, status, str(project.root)), status
    if fmt == "junit":
        return report.junit(findings, checks, fail_on), status
    if fmt == "github":
        return report.github(findings), status
    return report.text(findings, checks, fail_on, status, color=color), status
