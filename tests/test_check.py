"""`flashpoint check`: negative fixtures, the seed KB, report formats, a property test,
and equality of findings with a plain pyshacl run on synthetic KBs."""

from __future__ import annotations

import json
import os
import random
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


# ---------------------------------------------------------------- the seed KB


@pytest.fixture(scope="module")
def seed_copy(tmp_path_factory) -> Path:
    return copy_repo_kb(tmp_path_factory.mktemp("check-seed"))


def test_seed_kb_passes_clean(seed_copy: Path):
    if not (seed_copy / "kb" / "claims").glob("*.yaml"):
        pytest.skip("the seed claims file is not there yet")
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


GITHUB = re.compile(r"^::(error|warning|notice)( file=[^,:]+(,line=\d+)?,)?( ?title=[^,:]+)?::.+$")


def test_github_annotations(tmp_path: Path):
    project = _copy(FIXTURES / "broken" / "negation-across-documents", tmp_path)
    result = run_cli("check", "--project", project, "--format", "github", "--fail-on", "warning")
    assert result.exit_code == 1
    lines = [l for l in result.stdout.splitlines() if l.startswith("::")]
    assert lines and all(GITHUB.match(l) for l in lines), lines
    assert lines[0].startswith("::warning file=kb/claims/y.yaml,line=12,title=FP-R04::")


# ---------------------------------------------------------------- property test

CLEAN = FIXTURES / "broken" / "clean"


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    kind = rng.randrange(7)
    i = rng.randrange(len(lines))
    if kind == 0:  # drop a line
        del lines[i]
    elif kind == 1:  # duplicate a line
        lines.insert(i, lines[i])
    elif kind == 2:  # swap two lines
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == 3:  # change one character
        line = lines[i]
        if line.strip():
            k = rng.randrange(len(line))
            lines[i] = line[:k] + rng.choice("x:-{}[] 7'\"#\t") + line[k + 1 :]
    elif kind == 4:  # replace a value
        if ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {rng.choice(['-1', 'maybe', '', 'null', '3.5', '[a, b]', '{x: 1}', 'true', 'north-korea', '9999999'])}\n"
    elif kind == 5:  # truncate
        lines = lines[: i + 1]
    else:  # re-indent a line
        lines[i] = (" " * rng.randrange(6)) + lines[i].lstrip()
    return "".join(lines)


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
@given(seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 4))
def test_random_edits_never_crash_and_never_pass_an_invalid_file(tmp_path_factory, seed: int, edits: int):
    os.environ["FLASHPOINT_CHECK_NO_OWL"] = "1"  # the schema is what this test is about; HermiT is slow to start
    try:
        project = tmp_path_factory.mktemp("mutant")
        shutil.copytree(CLEAN / "kb", project / "kb")
        claims = project / "kb" / "claims" / "x.yaml"
        rng = random.Random(seed)
        text = claims.read_text()
        for _ in range(edits):
            text = _mutate(text, rng) or "\n"
        claims.write_text(text)
        result = run_cli("check", "--project", project, "--format", "json")
        assert result.exit_code in (0, 1), (result.exit_code, result.stderr, text)
        report = json.loads(result.stdout)
        if not _schema_valid(text):
            assert result.exit_code == 1, text
            assert report["summary"]["error"] >= 1
    finally:
        os.environ.pop("FLASHPOINT_CHECK_NO_OWL", None)


# ---------------------------------------------------------------- equality with plain pyshacl


def _generate(triples: int, out: Path) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    generate(triples, out, seed=7)
    # a few defects, so that there are findings to compare
    (out / "ontology").mkdir(exist_ok=True)
    (out / "ontology" / "defects.ttl").write_text(
        "@prefix fp: <https://w3id.org/flashpoint/ontology#> .\n@prefix fpid: <https://w3id.org/flashpoint/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "fpid:actor\\/atlantis a fp:State ; rdfs:label \"Atlantis\"@en , \"Atlantis\"@de .\n"
        "fpid:stance\\/x a fp:PolicyStance ; rdfs:label \"x\"@en ; fp:stanceValue fp:Support , fp:Opposition .\n"
        "fpid:event\\/e a fp:MissileLaunch ; fp:hasParticipant fpid:stance\\/x .\n"
    )
    return out


def _same_findings_as_plain_pyshacl(project: Path) -> None:
    from flashpoint.checks import shacl
    from flashpoint.checks.kb import load_kb
    from flashpoint.project import Project

    kb = load_kb(Project(project))
    ours = {(f.rule, f.subject, f.message) for f in shacl.run(kb)}
    # the plain run: pyshacl on the same data, parsed independently, with the same shapes file
    import pyshacl

    data = rdflib.Graph()
    data.parse(data=kb.union_ntriples(), format="nt")
    shapes = rdflib.Graph().parse(REPO / "ontology" / "shapes.ttl")
    _c, report, _t = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    plain = shacl.results_of(report, shapes)
    assert {(r.focus, r.path, r.value, r.component) for r in shacl.validate(data, shapes)} == {(r.focus, r.path, r.value, r.component) for r in plain}
    assert len(ours) <= len(plain)
    assert {r.focus for r in plain} == {f.subject for f in shacl.run(kb)}


def test_findings_equal_plain_pyshacl_10k(tmp_path: Path):
    _same_findings_as_plain_pyshacl(_generate(10_000, tmp_path / "kb10k"))


@pytest.mark.slow
def test_findings_equal_plain_pyshacl_100k(tmp_path: Path):
    if not os.environ.get("FLASHPOINT_SLOW_TESTS"):
        pytest.skip("set FLASHPOINT_SLOW_TESTS=1 (about a minute)")
    _same_findings_as_plain_pyshacl(_generate(100_000, tmp_path / "kb100k"))


# ---------------------------------------------------------------- per-document SHACL, the cache


def _cross_document_defects(kb) -> None:
    """Defects that only the union of two document graphs has (the per-document split must see
    them as the plain run does): a second English label for a node of another document, a
    participant typed an Actor only in another document (no finding in the union, one in its own
    document), and a stance held in one document and described in another without a holder."""
    from pyoxigraph import Literal, NamedNode, Quad

    from flashpoint.vocab import FP, FPID, RDF, RDFS, doc_graph

    docs = sorted(kb.doc_world)
    a, b = doc_graph(docs[0]), doc_graph(docs[1])
    event = next(t.subject for t in kb.doc_world[docs[0]] if t.subject.value.startswith(FPID + "event/"))
    rdf_type, label = NamedNode(RDF + "type"), NamedNode(RDFS + "label")
    z, stance, option = NamedNode(FPID + "actor/zed"), NamedNode(FPID + "stance/split-test"), NamedNode(FPID + "policy/split-test")
    actor = next(t.subject for t in kb.doc_world[docs[1]] if t.subject.value.startswith(FPID + "actor/"))
    kb.store.extend([
        Quad(event, label, Literal("another label", language="en"), b),
        Quad(event, NamedNode(FP + "hasParticipant"), z, a),
        Quad(z, rdf_type, NamedNode(FP + "Actor"), b),
        Quad(z, label, Literal("Zed", language="en"), b),
        Quad(stance, rdf_type, NamedNode(FP + "PolicyStance"), a),
        Quad(stance, label, Literal("a stance", language="en"), a),
        Quad(stance, NamedNode(FP + "stanceOn"), option, a),
        Quad(stance, NamedNode(FP + "stanceValue"), NamedNode(FP + "Support"), a),
        Quad(option, rdf_type, NamedNode(FP + "PolicyOption"), a),
        Quad(option, label, Literal("an option", language="en"), a),
        Quad(actor, NamedNode(FP + "holdsStance"), stance, b),
    ])


def _split_equals_plain(project: Path) -> None:
    """check's SHACL (per document, cold and from the cache, in a pool) gives exactly the plain
    pyshacl results over the union, including defects across documents."""
    from flashpoint.checks import shacl
    from flashpoint.checks.kb import load_kb
    from flashpoint.project import Project

    kb = load_kb(Project(project))
    _cross_document_defects(kb)
    assert shacl.ShapePlan.of(shacl.shapes_graph(project)) is not None  # the bundled shapes are focus-local
    plain = set(shacl.validate(shacl.data_graph(kb), shacl.shapes_graph(project)))
    cold = set(shacl.run_results(kb, use_cache=False, jobs=2))
    warm = set(shacl.run_results(kb, use_cache=True, jobs=1))
    assert cold == plain, (cold ^ plain)
    assert warm == plain, (warm ^ plain)
    rules = {r.shape_rule for r in plain}
    assert {"FP-S03", "FP-S06"} <= rules, rules  # the cross-document defects are there
    z = [r for r in plain if r.value == "https://w3id.org/flashpoint/id/actor/zed"]
    assert not z, z  # typed in another document: fine in the union


def test_split_shacl_equals_plain_10k(tmp_path: Path):
    _split_equals_plain(_generate(10_000, tmp_path / "kb10k"))


@pytest.mark.slow
def test_split_shacl_equals_plain_100k(tmp_path: Path):
    if not os.environ.get("FLASHPOINT_SLOW_TESTS"):
        pytest.skip("set FLASHPOINT_SLOW_TESTS=1 (about two minutes)")
    _split_equals_plain(_generate(100_000, tmp_path / "kb100k"))


def test_unsupported_shapes_fall_back_to_the_plain_run():
    from flashpoint.checks import shacl

    shapes = shacl.shapes_graph(None)
    assert shacl.ShapePlan.of(shapes) is not None
    extra = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix fp: <https://w3id.org/flashpoint/ontology#> .
        <urn:s> a sh:NodeShape ; sh:targetClass fp:Event ;
            sh:property [ sh:path ( fp:hasAgent fp:partOf ) ; sh:minCount 1 ] .
        """, format="turtle")
    assert shacl.ShapePlan.of(shapes + extra) is None


def _report(project: Path, use_cache: bool) -> list[dict]:
    from flashpoint.checks import collect
    from flashpoint.project import Project

    findings, _checks = collect(Project(project), use_cache=use_cache)
    return [f.to_json() for f in findings]


def test_cache_revalidates_only_the_changed_document(tmp_path: Path, monkeypatch):
    from flashpoint.checks import cache

    monkeypatch.setenv("FLASHPOINT_CHECK_JOBS", "1")
    project = _generate(10_000, tmp_path / "kb")
    cold = _report(project, use_cache=True)
    assert (project / ".flashpoint" / "check-cache" / "shacl").is_dir()
    calls: list[list] = []
    original = cache.parallel_map

    def spy(task, items, n_jobs):
        calls.append(list(items))
        return original(task, items, n_jobs)

    monkeypatch.setattr(cache, "parallel_map", spy)
    assert _report(project, use_cache=True) == cold  # a cached run: the same output
    assert all(items == [] for items in calls), calls  # nothing loaded, validated or reasoned again

    claims = sorted((project / "kb" / "claims").glob("*.yaml"))[3]
    slug = claims.stem
    text = claims.read_text()
    claims.write_text(text.replace('title: "', 'title: "(revised) ', 1))
    calls.clear()
    changed = _report(project, use_cache=True)
    load, shacl_graphs = calls[:2]
    assert load == [slug]
    assert shacl_graphs == ["https://w3id.org/flashpoint/id/graph/doc/" + slug]
    assert all(runs == [] for runs in calls[2:])  # its world triples did not change: nothing to reason
    assert changed == _report(project, use_cache=False)

    # a defect in that document: the findings follow
    sha = text.split("sha256: ", 1)[1][:64]
    claims.write_text(text.replace(sha, "f" * 64, 1))
    calls.clear()
    broken = _report(project, use_cache=True)
    assert calls[0] == [slug]
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
