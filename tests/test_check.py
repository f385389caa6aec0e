"""`flashpoint check`: negative fixtures, the seed KB, report formats, a property test,
and equality of findings with a plain pyshacl run on synthetic KBs."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import rdflib
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, copy_repo_kb, run_cli

FIXTURES = REPO / "tests" / "fixtures"
BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if (p / "expected.yaml").exists())


def _copy(fixture: Path, tmp_path: Path) -> Path:
    """Fixtures are copied: check writes its cache into .flashpoint/ of the project."""
    target = tmp_path / fixture.name
    shutil.copytree(fixture, target, ignore=shutil.ignore_patterns(".flashpoint", "expected.yaml"))
    return target


def _check_json(project: Path, *extra: str) -> tuple[int, dict]:
    result = run_cli("check", "--project", project, "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


# ---------------------------------------------------------------- shapes


def test_shapes_conform_to_shacl_for_shacl():
    import pyshacl

    shapes = rdflib.Graph().parse(REPO / "ontology" / "shapes.ttl")
    shsh = rdflib.Graph().parse(FIXTURES / "shsh.ttl")
    conforms, _graph, text = pyshacl.validate(shapes, shacl_graph=shsh)
    assert conforms, text


def test_shapes_use_core_constraints_only():
    shapes = rdflib.Graph().parse(REPO / "ontology" / "shapes.ttl")
    assert not list(shapes.triples((None, rdflib.URIRef("http://www.w3.org/ns/shacl#sparql"), None)))


def test_every_rule_file_has_a_header():
    from flashpoint.checks.rules import load_rules

    rules = load_rules(None)
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    assert {"FP-R01", "FP-R02", "FP-R03", "FP-R04", "FP-R05", "FP-R06", "FP-R07", "FP-R08", "FP-R09"} <= set(ids)
    for rule in rules:
        assert rule.severity in ("error", "warning", "info") and rule.message


# ---------------------------------------------------------------- fixtures


@pytest.mark.parametrize("fixture", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_fixture_is_caught(fixture: Path, tmp_path: Path):
    expected = yaml.safe_load((fixture / "expected.yaml").read_text())
    project = _copy(fixture, tmp_path)
    status, report = _check_json(project, "--fail-on", expected["fail_on"])
    assert status == expected["exit_status"], report["findings"]
    assert report["exit_status"] == status
    if expected["rule"] == "none":
        assert report["findings"] == []
        return
    hits = [(f["rule"], f["file"], f["line"]) for f in report["findings"]]
    assert (expected["rule"], expected["file"], expected["line"]) in hits, hits
    # exactly one kind of defect: nothing but the expected rule and those it entails
    allowed = {expected["rule"], *expected.get("also", [])}
    assert {f["rule"] for f in report["findings"]} <= allowed, hits


def test_malformed_yaml_line_is_pyyamls():
    """The fixture's expected line comes from PyYAML itself (``MarkedYAMLError.problem_mark``), not
    from flashpoint's parser, so test_broken_fixture_is_caught[malformed-yaml] compares the two."""
    sys.path.insert(0, str(FIXTURES / "broken"))
    try:
        from make_fixtures import yaml_error_line
    finally:
        sys.path.pop(0)
    fixture = FIXTURES / "broken" / "malformed-yaml"
    try:
        yaml.safe_load((fixture / "kb" / "claims" / "x.yaml").read_text())
    except yaml.MarkedYAMLError as err:
        line = err.problem_mark.line + 1
    else:
        pytest.fail("the malformed-yaml fixture parses")
    assert yaml.safe_load((fixture / "expected.yaml").read_text())["line"] == line == yaml_error_line(fixture / "kb" / "claims" / "x.yaml")


def test_warnings_do_not_fail_by_default(tmp_path: Path):
    project = _copy(FIXTURES / "broken" / "support-and-opposition", tmp_path)
    status, report = _check_json(project)
    assert status == 0 and report["summary"]["warning"] >= 1


def test_inconsistency_is_explained_with_claims(tmp_path: Path):
    project = _copy(FIXTURES / "broken" / "inconsistency", tmp_path)
    _status, report = _check_json(project)
    [owl] = [f for f in report["findings"] if f["rule"] == "FP-O01"]
    assert "fp:Actor and fp:Event are disjoint" in owl["message"]
    assert owl["quote"] == "South Korea sees the launches as a threat"
    assert any(d.startswith("claim at line") for d in owl["details"])


def test_unchanged_inconsistent_document_is_not_reasoned_again(tmp_path: Path, monkeypatch):
    """HermiT runs only for documents whose world triples changed: an inconsistent document's
    explained finding is kept with its module's hash (no reasoner run, no explanation search)."""
    from flashpoint.checks import owl
    from flashpoint.checks.kb import load_kb
    from flashpoint.project import Project

    project = _copy(FIXTURES / "broken" / "inconsistency", tmp_path)
    first = [f.to_json() for f in owl.run(load_kb(Project(project)))]
    assert [f["rule"] for f in first] == ["FP-O01"]
    runs: list = []
    original = owl.run_reasoner
    monkeypatch.setattr(owl, "run_reasoner", lambda *a, **k: runs.append(1) or original(*a, **k))
    assert [f.to_json() for f in owl.run(load_kb(Project(project)))] == first
    assert runs == []


# ---------------------------------------------------------------- the seed KB


@pytest.fixture(scope="module")
def seed_copy(tmp_path_factory) -> Path:
    return copy_repo_kb(tmp_path_factory.mktemp("check-seed"))


def test_seed_kb_passes_clean(seed_copy: Path):
    # no skip: the seed KB ships its claims files, and a check of an empty KB would prove nothing
    assert any((seed_copy / "kb" / "claims").glob("*.yaml")), "the seed KB has no claims file"
    status, report = _check_json(seed_copy)
    assert status == 0, report["findings"]
    assert report["summary"]["error"] == 0
    assert all(v == "ran" for v in report["checks"].values()), report["checks"]


def test_json_report_shape(tmp_path: Path):
    project = _copy(FIXTURES / "broken" / "quote-mismatch", tmp_path)
    _status, report = _check_json(project)
    assert report["format"] == "flashpoint-check-report/1"
    assert set(report) == {"format", "project", "fail_on", "exit_status", "summary", "checks", "findings"}
    keys = {"rule", "severity", "message", "file", "line", "subject", "claim", "quote", "sentence", "check", "details"}
    assert all(set(f) == keys for f in report["findings"])


def test_text_report_groups_by_file(tmp_path: Path):
    project = _copy(FIXTURES / "broken" / "quote-mismatch", tmp_path)
    result = run_cli("check", "--project", project)
    assert result.exit_code == 1
    assert result.stdout.startswith("kb/claims/x.yaml  (1 error)")
    assert "\033[" not in result.stdout  # no colour when not on a terminal
    assert "1 error, 0 warnings, 0 info in 1 file: check FAILED" in result.stdout


def test_junit_report_parses(tmp_path: Path):
    from junitparser import JUnitXml

    project = _copy(FIXTURES / "broken" / "quote-mismatch", tmp_path)
    result = run_cli("check", "--project", project, "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    failures = root.findall(".//testcase/failure")
    assert len(failures) == 1 and "quote does not match" in failures[0].get("message")
    out = tmp_path / "report.xml"
    out.write_text(result.stdout)
    xml = JUnitXml.fromfile(str(out))
    assert sum(s.failures for s in xml) == 1


def test_a_contradiction_across_documents_is_reported_at_both_files(tmp_path: Path):
    """FP-R04: y.yaml negates what x.yaml asserts; each file is told, in words from its side."""
    project = _copy(FIXTURES / "broken" / "negation-across-documents", tmp_path)
    _status, report = _check_json(project)
    found = {f["file"]: f for f in report["findings"] if f["rule"] == "FP-R04"}
    assert set(found) == {"kb/claims/x.yaml", "kb/claims/y.yaml"}, found
    assert found["kb/claims/y.yaml"]["message"].startswith("This document says ") and "is not so (negated), while fpid:doc/x asserts it" in found["kb/claims/y.yaml"]["message"]
    assert found["kb/claims/x.yaml"]["message"].startswith("This document asserts ") and found["kb/claims/x.yaml"]["message"].endswith("while fpid:doc/y says it is not so (negated).")
    assert found["kb/claims/x.yaml"]["claim"] != found["kb/claims/y.yaml"]["claim"]
    assert all(f["line"] for f in found.values())


GITHUB = re.compile(r"^::(error|warning|notice)( file=[^,:]+(,line=\d+)?,)?( ?title=[^,:]+)?::.+$")


def test_github_annotations(tmp_path: Path):
    project = _copy(FIXTURES / "broken" / "negation-across-documents", tmp_path)
    result = run_cli("check", "--project", project, "--format", "github", "--fail-on", "warning")
    assert result.exit_code == 1
    lines = [l for l in result.stdout.splitlines() if l.startswith("::")]
    assert lines and all(GITHUB.match(l) for l in lines), lines
    assert any(line.startswith("::warning file=kb/claims/y.yaml,line=12,title=FP-R04::") for line in lines), lines
    assert any(line.startswith("::warning file=kb/claims/x.yaml,") and "title=FP-R04::" in line for line in lines), lines


# ---------------------------------------------------------------- property test

CLEAN = FIXTURES / "broken" / "clean"


EDIT_KINDS = ("drop", "duplicate", "swap", "char", "value", "truncate", "indent")
CHARS = "x:-{}[] 7'\"#\t"
VALUES = ["-1", "maybe", "", "null", "3.5", "[a, b]", "{x: 1}", "true", "north-korea", "9999999"]

# One edit of a claims file, drawn by Hypothesis itself (not a seed for random.Random), so that
# a failing example shrinks to the fewest, simplest edits: (kind, line, other line, column, char, value, indent).
EDITS = st.lists(
    st.tuples(st.sampled_from(EDIT_KINDS), st.integers(0, 200), st.integers(0, 200), st.integers(0, 200),
              st.sampled_from(CHARS), st.sampled_from(VALUES), st.integers(0, 5)),
    min_size=1, max_size=4,
)


def _apply(text: str, edit: tuple) -> str:
    kind, i, j, k, char, value, indent = edit
    lines = text.splitlines(keepends=True) or ["\n"]
    i, j = i % len(lines), j % len(lines)
    if kind == "drop":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "char":
        line = lines[i]
        if line.strip():
            k %= len(line)
            lines[i] = line[:k] + char + line[k + 1 :]
    elif kind == "value":
        if ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {value}\n"
    elif kind == "truncate":
        lines = lines[: i + 1]
    else:
        lines[i] = (" " * indent) + lines[i].lstrip()
    return "".join(lines) or "\n"


def _schema_valid(text: str) -> bool:
    from flashpoint.loaders.claims_file import schema

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    if not isinstance(data, dict):
        return False
    try:
        jsonschema.validate(data, schema())
    except jsonschema.ValidationError:
        return False
    # a duplicate key is not valid either (safe_load keeps the last one silently)
    from flashpoint.errors import InputError
    from flashpoint.loaders.claims_file import parse_yaml

    try:
        parse_yaml(Path("x.yaml"), raw=text)
    except InputError:
        return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_random_edits_never_crash_and_never_pass_an_invalid_file(tmp_path_factory, edits: list):
    os.environ["FLASHPOINT_CHECK_NO_OWL"] = "1"  # the schema is what this test is about; HermiT is slow to start
    try:
        project = tmp_path_factory.mktemp("mutant")
        shutil.copytree(CLEAN / "kb", project / "kb")
        claims = project / "kb" / "claims" / "x.yaml"
        text = claims.read_text()
        for edit in edits:
            text = _apply(text, edit)
        claims.write_text(text)
        result = run_cli("check", "--project", project, "--format", "json")
        assert result.exit_code in (0, 1), (result.exit_code, result.stderr, text)
        report = json.loads(result.stdout)
        if not _schema_valid(text):
            assert result.exit_code == 1, text
            assert report["summary"]["error"] >= 1
    finally:
        os.environ.pop("FLASHPOINT_CHECK_NO_OWL", None)


def test_edits_apply_as_drawn():
    text = "a: 1\nb: 2\nc: 3\n"
    assert _apply(text, ("drop", 1, 0, 0, "x", "", 0)) == "a: 1\nc: 3\n"
    assert _apply(text, ("swap", 0, 2, 0, "x", "", 0)) == "c: 3\nb: 2\na: 1\n"
    assert _apply(text, ("char", 0, 0, 1, "x", "", 0)) == "ax 1\nb: 2\nc: 3\n"
    assert _apply(text, ("value", 2, 0, 0, "x", "maybe", 0)) == "a: 1\nb: 2\nc: maybe\n"
    assert _apply(text, ("indent", 1, 0, 0, "x", "", 3)) == "a: 1\n   b: 2\nc: 3\n"


# ---------------------------------------------------------------- equality with plain pyshacl
#
# tests/test_shacl_sparql.py compares the SHACL *result sets* (focus node, path, value, source
# shape, component, severity, message) of check's engine with plain pyshacl's: on every fixture,
# on drawn defects, and at 100,000 quads. Here: the *findings* check reports from them.


def _generate(triples: int, out: Path) -> Path:
    from test_shacl_sparql import _generate as generate

    return generate(triples, out)


def test_shacl_findings_equal_plain_pyshacl_10k(tmp_path: Path):
    """Every SHACL finding check reports (rule, severity, message, file, line, claim, details) is
    one that plain pyshacl's results give, and the other way round: whole sets, with cross-document
    defects."""
    from flashpoint.checks import shacl
    from flashpoint.checks.kb import load_kb
    from flashpoint.project import Project
    from test_shacl_sparql import _cross_document_defects

    kb = load_kb(Project(_generate(10_000, tmp_path / "kb10k")))
    _cross_document_defects(kb)
    plain = shacl.validate(shacl.data_graph(kb), shacl.shapes_graph(kb.project.root))  # pyshacl, rdflib's own parse
    expected = {json.dumps(shacl.finding(kb, r).to_json(), sort_keys=True) for r in plain}
    ours = {json.dumps(f.to_json(), sort_keys=True) for f in shacl.run(kb, use_cache=False)}
    assert ours == expected, (sorted(ours - expected)[:5], sorted(expected - ours)[:5])
    assert len(expected) >= 8  # the defects are there: the comparison is not of two empty sets
    cached = {json.dumps(f.to_json(), sort_keys=True) for f in shacl.run(kb, use_cache=True)}
    assert cached == expected


# ---------------------------------------------------------------- rules


# The text of FP-R02, FP-R07 and FP-R08 before they were rewritten for speed (queries/checks/):
# the rewritten rules must give the same rows.
OLD_REACHED = """SELECT DISTINCT ?subject WHERE {
        ?c (fp:claimSubject|fp:claimObject)/(fp:hasAgent|fp:hasParticipant|fp:targets|fp:involves|fp:capabilityOf|fp:partOf|fp:hasMember)* ?subject .
      }"""
OLD_R08 = """SELECT DISTINCT ?claim ?term ?replacement ?key WHERE {
  ?term owl:deprecated ?deprecated .
  FILTER (?deprecated = true || STR(?deprecated) = "true")
  ?claim a fp:Claim .
  {
    ?claim fp:claimPredicate ?term .
    BIND ("predicate" AS ?key)
  } UNION {
    { ?claim fp:claimSubject ?x . BIND ("subject" AS ?key) } UNION { ?claim fp:claimObject ?x . BIND ("object" AS ?key) }
    { ?x a ?term } UNION { ?x ?term ?y } UNION { ?x ?p ?term . FILTER (?p != rdf:type) }
  }
  OPTIONAL { ?term dcterms:isReplacedBy ?by }
  BIND (IF(BOUND(?by), CONCAT(" (use ", REPLACE(STR(?by), "^.*[#/]", ""), " instead)"), "") AS ?replacement)
}"""

DEPRECATIONS = """@prefix fp: <https://w3id.org/flashpoint/ontology#> . @prefix fpid: <https://w3id.org/flashpoint/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
fp:MissileLaunch owl:deprecated true ; dcterms:isReplacedBy fp:MissileTest .
fp:hasAgent owl:deprecated "true" .
fp:perceivesAsThreat owl:deprecated true .
fpid:actor\\/north-korea owl:deprecated true .
fpid:event\\/orphan a fp:MissileTest ; rdfs:label "orphan"@en ; fp:hasAgent fpid:actor\\/north-korea .
fpid:actor\\/lonely a fp:State .
"""


def _old_query(rule) -> str:
    import re as regex

    text = rule.query
    if rule.id == "FP-R08":
        return text[: text.index("SELECT DISTINCT")] + OLD_R08
    # the reached nodes, as they were computed before (one path per claim)
    return regex.sub(r"SELECT DISTINCT \?subject WHERE \{\s*#[^\n]*\n\s*\{ SELECT DISTINCT \?start[^\n]*\n[^\n]*\n\s*\}", OLD_REACHED, text)


def test_faster_rules_give_the_rows_of_their_former_text(tmp_path: Path):
    from flashpoint.checks import rules
    from flashpoint.checks.kb import load_kb
    from flashpoint.project import Project

    project = _generate(10_000, tmp_path / "kb10k")
    (project / "ontology" / "deprecations.ttl").write_text(DEPRECATIONS)
    kb = load_kb(Project(project))
    for rule in [r for r in rules.load_rules(None) if r.id in ("FP-R02", "FP-R07", "FP-R08")]:
        old = _old_query(rule)
        assert old != rule.query and "?start" not in old, rule.id
        rows = sorted(str(r) for r in kb.store.query(rule.query, use_default_graph_as_union=True))
        before = sorted(str(r) for r in kb.store.query(old, use_default_graph_as_union=True))
        assert rows == before, rule.id
        assert rows, rule.id  # the deprecations, orphans and unsupported triples are found


def test_rule_findings_do_not_depend_on_row_order(tmp_path: Path):
    """Rows of one rule that point at the same file and line merge into one finding: which one must
    not depend on the order the engine returns rows in (it did: cold and cached runs differed)."""
    from flashpoint.checks import rules
    from flashpoint.checks.findings import deduplicate
    from flashpoint.checks.kb import load_kb
    from flashpoint.project import Project

    project = _generate(10_000, tmp_path / "kb10k")
    kb = load_kb(Project(project))
    first = [f.to_json() for f in deduplicate(rules.run(kb, use_cache=False))]
    assert [f.to_json() for f in deduplicate(rules.run(kb, use_cache=True))] == first  # computed, then kept
    assert [f.to_json() for f in deduplicate(rules.run(kb, use_cache=True))] == first  # from the memo
    assert any(f["rule"] == "FP-R02" for f in first)


# ---------------------------------------------------------------- incremental check, the cache


def _report(project: Path, use_cache: bool) -> list[dict]:
    from flashpoint.checks import collect
    from flashpoint.project import Project

    findings, _checks = collect(Project(project), use_cache=use_cache)
    return [f.to_json() for f in findings]


def test_cache_revalidates_only_the_changed_document(tmp_path: Path, monkeypatch):
    from flashpoint.checks import kb as kb_module
    from flashpoint.checks import owl, shacl

    monkeypatch.setenv("FLASHPOINT_CHECK_JOBS", "1")
    project = _generate(10_000, tmp_path / "kb")
    cold = _report(project, use_cache=True)
    assert (project / ".flashpoint" / "check-cache" / "shacl-sparql").is_dir()
    loaded: list[str] = []  # documents loaded again (not from the cache)
    reasoned: list = []  # HermiT runs
    original_load, original_reasoner = kb_module.load_document, owl.run_reasoner

    validated: list = []  # the focus nodes SHACL validated again: None for all
    original_results = shacl.sparql_results

    def spy_shacl(store, compiled, focus=None):
        validated.append(None if focus is None else [str(t) for t in focus])
        return original_results(store, compiled, focus)

    monkeypatch.setattr(kb_module, "load_document", lambda project, model, slug, path: loaded.append(slug) or original_load(project, model, slug, path))
    monkeypatch.setattr(owl, "run_reasoner", lambda *args, **kwargs: reasoned.append(1) or original_reasoner(*args, **kwargs))
    monkeypatch.setattr(shacl, "sparql_results", spy_shacl)
    assert _report(project, use_cache=True) == cold  # a cached run: the same output
    assert loaded == [] and reasoned == []  # nothing loaded or reasoned again
    assert validated == []  # no SHACL query ran

    claims = sorted((project / "kb" / "claims").glob("*.yaml"))[3]
    slug = claims.stem
    text = claims.read_text()
    claims.write_text(text.replace('title: "', 'title: "(revised) ', 1))
    changed = _report(project, use_cache=True)
    assert loaded == [slug]  # loaded again: that document only
    assert reasoned == []  # its world triples did not change: nothing to reason
    # SHACL: only the nodes that document's graph names (its claims, its document node, …)
    from flashpoint.checks.kb import load_kb
    from flashpoint.project import Project
    from flashpoint.vocab import doc_graph

    kb = load_kb(Project(project))
    own = {str(q.subject) for q in kb.store.quads_for_pattern(None, None, None, doc_graph(slug))}
    assert len(validated) == 1 and validated[0] is not None, validated
    assert f"<https://w3id.org/flashpoint/id/doc/{slug}>" in validated[0] and set(validated[0]) <= own, validated
    assert changed == _report(project, use_cache=False)

    # a defect in that document: the findings follow
    sha = text.split("sha256: ", 1)[1][:64]
    claims.write_text(text.replace(sha, "f" * 64, 1))
    loaded.clear()
    broken = _report(project, use_cache=True)
    assert loaded == [slug]
    assert any(f["rule"] == "FP-P04" and f["file"] == f"kb/claims/{slug}.yaml" for f in broken)
    assert broken == _report(project, use_cache=False)
    claims.write_text(text)
    assert _report(project, use_cache=True) == cold


def test_cached_check_gives_identical_output(tmp_path: Path):
    project = _copy(FIXTURES / "broken" / "stance-without-holder", tmp_path)
    first = run_cli("check", "--project", project, "--format", "json")
    assert (project / ".flashpoint" / "check-cache" / "load").is_dir()
    second = run_cli("check", "--project", project, "--format", "json")
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout
