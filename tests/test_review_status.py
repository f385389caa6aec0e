"""Review status as data, hypothetical things, and machine claims that cannot break a build.

Before: a claims file with `reviewed: false` passed `check` with no finding
(even with --fail-on warning) and nothing in the store said so; "tensions could
lead to potential conflicts" put the conflict into the world layer, typed and
with North Korea as a participant; an unreviewed document whose machine claims
HermiT found inconsistent failed the whole build while `check` — which looked
at no document without a claims file — said the project was clean.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from flashpoint.checks.kb import load_kb
from flashpoint.project import Project

from conftest import REPO, run_cli

FIXTURES = REPO / "tests" / "fixtures" / "broken"
FP = "https://w3id.org/flashpoint/ontology#"
FPID = "https://w3id.org/flashpoint/id/"


def _fixture(name: str, tmp_path: Path, reviewed: bool | None = None) -> Path:
    project = tmp_path / name
    shutil.copytree(FIXTURES / name, project, ignore=shutil.ignore_patterns(".flashpoint", "expected.yaml"))
    if reviewed is not None:
        claims = project / "kb" / "claims" / "x.yaml"
        claims.write_text(claims.read_text().replace("reviewed: true", f"reviewed: {str(reviewed).lower()}"))
    return project


def _ask(project: Path, sparql: str) -> bool:
    result = run_cli("query", f"PREFIX fp: <{FP}> PREFIX fpid: <{FPID}> {sparql}", "--project", project)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip() == "true"


def _check(project: Path, *extra: str) -> tuple[int, list[dict]]:
    result = run_cli("check", "--project", project, "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)["findings"]


# ---------------------------------------------------------------- review status


def test_every_document_says_whether_it_was_reviewed(built_project: Path):
    assert _ask(built_project, "ASK { <https://w3id.org/flashpoint/id/doc/nk-missile-launches> fp:reviewed true }")


def test_an_unreviewed_claims_file_is_a_warning_and_an_error_in_ci(tmp_path: Path):
    project = _fixture("clean", tmp_path, reviewed=False)
    status, findings = _check(project)
    assert status == 0
    unreviewed = [f for f in findings if f["rule"] == "FP-P17"]
    assert [(f["severity"], f["file"], f["line"]) for f in unreviewed] == [("warning", "kb/claims/x.yaml", 5)]
    assert _check(project, "--fail-on", "warning")[0] == 1
    status, findings = _check(project, "--require-reviewed")
    assert status == 1 and {f["severity"] for f in findings if f["rule"] == "FP-P17"} == {"error"}
    # the store says so too, and a query can leave such documents out
    assert run_cli("build", "--project", project).exit_code == 0
    assert _ask(project, "ASK { <https://w3id.org/flashpoint/id/doc/x> fp:reviewed false }")
    assert _ask(project, "ASK { GRAPH ?g { ?s fp:perceivesAsThreat ?o } }")
    assert not _ask(project, "ASK { GRAPH ?g { ?s fp:perceivesAsThreat ?o . ?doc a fp:Document ; fp:reviewed true } }")
    reviewed_only = run_cli("query", f"ASK {{ ?s <{FP}perceivesAsThreat> ?o }}", "--reviewed-only", "--project", project)
    assert reviewed_only.exit_code == 0 and reviewed_only.stdout.strip() == "false"
    # … while the ontology and the gazetteer are still there
    reviewed_only = run_cli("query", f"ASK {{ <{FP}Actor> ?p ?o }}", "--reviewed-only", "--project", project)
    assert reviewed_only.stdout.strip() == "true"


def test_a_reviewed_file_has_no_review_finding(tmp_path: Path):
    status, findings = _check(_fixture("clean", tmp_path), "--require-reviewed", "--fail-on", "warning")
    assert status == 0, findings


def test_a_document_without_claims_file_is_an_error_with_require_reviewed(tmp_path: Path):
    project = _fixture("document-without-claims", tmp_path)
    assert _check(project)[0] == 0
    status, findings = _check(project, "--require-reviewed")
    assert status == 1 and any(f["rule"] == "FP-P08" and f["severity"] == "error" for f in findings)


# ---------------------------------------------------------------- machine claims never break a build


def test_unreviewed_inconsistent_claims_are_set_aside_and_the_rest_builds(tmp_path: Path):
    project = _fixture("inconsistency", tmp_path, reviewed=False)
    # a second, clean and reviewed document beside it
    clean = FIXTURES / "clean" / "kb"
    shutil.copy(clean / "documents" / "x.txt", project / "kb" / "documents" / "y.txt")
    (project / "kb" / "claims" / "y.yaml").write_text((clean / "claims" / "x.yaml").read_text().replace("document: x.txt", "document: y.txt"))
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.stderr
    assert "warning: x:" in result.stdout and "set aside" in result.stdout
    assert _ask(project, "ASK { ?c a fp:Claim ; <http://www.w3.org/ns/prov#wasDerivedFrom> <https://w3id.org/flashpoint/id/doc/y> }")
    assert not _ask(project, "ASK { ?c a fp:Claim ; <http://www.w3.org/ns/prov#wasDerivedFrom> <https://w3id.org/flashpoint/id/doc/x> }")
    assert _ask(project, "ASK { <https://w3id.org/flashpoint/id/doc/x> fp:reviewed false }")
    # an up-to-date build still says so; check explains it, at the same file
    again = run_cli("build", "--project", project)
    assert "up to date" in again.stdout and "set aside" in again.stdout
    status, findings = _check(project)
    assert status == 1 and any(f["rule"] == "FP-O01" and f["file"] == "kb/claims/x.yaml" for f in findings)


def test_reviewed_inconsistent_claims_still_stop_the_build(tmp_path: Path):
    project = _fixture("inconsistency", tmp_path)
    result = run_cli("build", "--project", project)
    assert result.exit_code == 2 and "x" in result.stderr


def test_check_reads_what_build_extracts_on_the_fly(tmp_path: Path):
    project = tmp_path / "p"
    assert run_cli("init", project).exit_code == 0
    shutil.copy(REPO / "kb" / "documents" / "nk-missile-launches.txt", project / "kb" / "documents")
    build = run_cli("build", "--project", project)
    assert build.exit_code == 0, build.stderr
    built_claims = json.loads((project / ".flashpoint" / "store" / "manifest.json").read_text())["documents"]["nk-missile-launches"]["claims"]
    kb = load_kb(Project(project), use_cache=False)
    assert built_claims > 20 and len(kb.claims) == built_claims
    # findings about an extracted claim point at the document's line of its quote
    assert {c.file for c in kb.claims.values()} == {"kb/documents/nk-missile-launches.txt"}


# ---------------------------------------------------------------- hypothetical things


def test_what_only_hedged_claims_mention_is_not_in_the_world_layer(built_project: Path):
    conflict = "?e a fp:ArmedConflict"
    # "rising tensions … could lead to … potential conflicts": the conflict is no world fact
    assert not _ask(built_project, f'ASK {{ GRAPH ?g {{ ?e a fp:ArmedConflict }} FILTER STRSTARTS(STR(?g), "{FPID}graph/doc/") }}')
    assert _ask(built_project, f"ASK {{ {conflict} . ?e fp:hypothetical true }}")
    assert not _ask(built_project, f"ASK {{ {conflict} FILTER NOT EXISTS {{ ?e fp:hypothetical true }} }}")
    # the reasoner never saw it: nothing is inferred about it
    assert not _ask(built_project, f"ASK {{ GRAPH <https://w3id.org/flashpoint/id/graph/inferred> {{ ?e a fp:ArmedConflict }} }}")
    # the presupposed subject of the hedge ("rising tensions") is real
    assert _ask(built_project, f'ASK {{ GRAPH ?g {{ ?t a fp:Tension }} FILTER STRSTARTS(STR(?g), "{FPID}graph/doc/") }}')
    # and the world export leaves it out
    world = run_cli("export", "--format", "ntriples", "--graph", "world", "--project", built_project).stdout
    assert "armed-conflict" not in world


def test_cq08_and_cq11_still_answer_about_hypothetical_things(built_project: Path):
    cq08 = run_cli("query", "cq08", "--format", "json", "--project", built_project)
    rows = json.loads(cq08.stdout)["results"]["bindings"]
    conflicts = [r for r in rows if r.get("outcomeClass", {}).get("value") == FP + "ArmedConflict"]
    assert conflicts and all(r["modality"]["value"] == FP + "Possible" for r in conflicts)
    cq11 = json.loads(run_cli("query", "cq11", "--format", "json", "--project", built_project).stdout)["results"]["bindings"]
    assert any("conflict" in r.get("objectLabel", {}).get("value", "") for r in cq11)


def test_a_hedged_target_in_the_description_is_no_hedged_fact(tmp_path: Path):
    """'The launch by Iran against Israel may target Israel': only hedged, so FP-R01 must not fire."""
    project = _fixture("clean", tmp_path)
    claims = project / "kb" / "claims" / "x.yaml"
    text = claims.read_text()
    hedged = """  - sentence: 2
    quote: The launches may lead to sanctions
    start: 89
    end: 123
    subject: {event: MissileLaunch, agents: [iran], targets: [israel]}
    predicate: targets
    object: israel
    modality: possible
"""
    claims.write_text(text.rstrip("\n") + "\n" + hedged)
    status, findings = _check(project)
    assert not [f for f in findings if f["rule"] == "FP-R01"], findings
    assert run_cli("build", "--project", project).exit_code == 0
    assert not _ask(project, f'ASK {{ GRAPH ?g {{ ?e fp:targets ?t }} FILTER STRSTARTS(STR(?g), "{FPID}graph/doc/") }}')


def _claims_file(project: Path, slug: str, text: str, claims: str) -> None:
    import hashlib

    (project / "kb" / "documents" / f"{slug}.txt").write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    (project / "kb" / "claims" / f"{slug}.yaml").write_text(
        f"format: flashpoint-claims/1\ndocument: {slug}.txt\nsha256: {sha}\ntitle: {slug}\nreviewed: true\n"
        f"claims:\n{claims}", encoding="utf-8")


CLASH = "{event: MilitaryConfrontation, participants: [iran, israel]}"
ASSERTED_CLASH = f"""  - sentence: 1
    quote: Japan sees the clash as a threat
    start: 32
    end: 64
    subject: japan
    predicate: perceivesAsThreat
    object: {CLASH}
    modality: asserted
"""


def test_a_hedge_in_one_document_and_a_fact_in_another_are_two_sources(tmp_path: Path):
    """Document A says the clash happened (its description names the sides); document B says
    the sides may clash. Sources may disagree: FP-R01 is about a document stating as fact what
    it hedges itself, not about another document's facts."""
    project = _fixture("clean", tmp_path)
    _claims_file(project, "a", "Iran and Israel clashed at sea. Japan sees the clash as a threat.", ASSERTED_CLASH)
    _claims_file(project, "b", "Iran and Israel may clash at sea.", f"""  - sentence: 0
    quote: Iran and Israel may clash
    start: 0
    end: 25
    subject: {CLASH}
    predicate: hasParticipant
    object: iran
    modality: possible
""")
    status, findings = _check(project)
    assert not [f for f in findings if f["rule"] == "FP-R01"], findings
    # within one document the same pair of claims is still an error
    _claims_file(project, "a", "Iran and Israel clashed at sea. Japan sees the clash as a threat. "
                 "Iran and Israel may clash at sea.", ASSERTED_CLASH + f"""  - sentence: 2
    quote: Iran and Israel may clash
    start: 65
    end: 90
    subject: {CLASH}
    predicate: hasParticipant
    object: iran
    modality: possible
""")
    (project / "kb" / "claims" / "b.yaml").unlink()
    (project / "kb" / "documents" / "b.txt").unlink()
    status, findings = _check(project)
    assert [f for f in findings if f["rule"] == "FP-R01"], findings
