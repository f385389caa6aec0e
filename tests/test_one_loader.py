"""Build and check load documents with one loader (``loaders/document.py``):
check's scratch store holds exactly the quads build stores, rule codes travel on
the error objects, and the check cache is keyed by every module of flashpoint."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pyoxigraph import Quad

from conftest import REPO, run_cli
from flashpoint.checks import cache
from flashpoint.checks import kb as kb_module
from flashpoint.checks.kb import load_kb
from flashpoint.checks.provenance import document_findings
from flashpoint.errors import CollectAll, InputError, Problem
from flashpoint.loaders.document import load_document
from flashpoint.model import load_model
from flashpoint.project import Project
from flashpoint.store import open_read_only
from flashpoint.vocab import DOC_GRAPH_PREFIX, HYPOTHETICAL_GRAPH_PREFIX

FIXTURES = REPO / "tests" / "fixtures" / "broken"


def _document_quads(quads) -> set[Quad]:
    """The quads of the documents' own graphs: doc/<slug> and hypothetical/<slug>."""
    return {q for q in quads if q.graph_name.value.startswith((DOC_GRAPH_PREFIX, HYPOTHETICAL_GRAPH_PREFIX))}


def _assert_check_loads_what_build_stores(project: Path) -> None:
    store = open_read_only(project / ".flashpoint" / "store")
    built = _document_quads(store)
    del store
    checked = _document_quads(load_kb(Project(project), use_cache=False).store)
    assert built, "no document quads in the store"
    assert checked == built, (len(checked - built), len(built - checked))


def test_check_loads_the_quads_build_stores_seed_kb(built_project: Path):
    _assert_check_loads_what_build_stores(built_project)


def test_check_loads_the_quads_build_stores_with_an_extracted_document(tmp_path: Path):
    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "document-without-claims", project, ignore=shutil.ignore_patterns(".flashpoint", "expected.yaml"))
    build = run_cli("build", "--project", project)
    assert build.exit_code == 0, build.stderr
    assert "extracted on the fly" in build.stdout
    _assert_check_loads_what_build_stores(project)


# ---------------------------------------------------------------- rule codes on the error


_PROVENANCE_FIXTURES = [p for p in sorted(FIXTURES.iterdir()) if (p / "expected.yaml").exists()
                        and yaml.safe_load((p / "expected.yaml").read_text())["rule"] in
                        {"FP-P01", "FP-P02", "FP-P03", "FP-P04", "FP-P05", "FP-P06", "FP-P09", "FP-P10", "FP-P16", "FP-R03"}]


@pytest.mark.parametrize("fixture", _PROVENANCE_FIXTURES, ids=[p.name for p in _PROVENANCE_FIXTURES])
def test_the_loader_reports_each_error_with_its_rule(fixture: Path):
    """The collecting loader gives the fixture's rule and line on the error object itself;
    the build's loader (raise_first) raises that same error first."""
    expected = yaml.safe_load((fixture / "expected.yaml").read_text())
    project = Project(fixture)
    model = load_model(project)
    slug, doc = next(iter(project.documents().items()))
    collector = CollectAll()
    load_document(project, model, slug, doc, collector)
    found = [(p.error.rule, p.error.path.relative_to(fixture).as_posix(), p.error.line) for p in collector.problems]
    assert (expected["rule"], expected["file"], expected["line"]) in found, found
    with pytest.raises(InputError) as raised:
        load_document(project, model, slug, doc)
    assert raised.value.rule == collector.problems[0].error.rule
    assert str(raised.value) == str(collector.problems[0].error)


def test_a_finding_takes_its_rule_from_the_error_not_its_wording(tmp_path: Path):
    project = Project(tmp_path)
    error = InputError(tmp_path / "kb" / "claims" / "x.yaml", 7, "malformed YAML: duplicate key, says the text", rule="FP-P05")
    [finding] = [f for f in document_findings(project, "x", tmp_path / "kb" / "documents" / "x.txt", None, [Problem(error)])
                 if f.rule != "FP-P08"]
    assert (finding.rule, finding.file, finding.line) == ("FP-P05", "kb/claims/x.yaml", 7)


# ---------------------------------------------------------------- the memo


def _copy_of_flashpoint(target: Path) -> list[Path]:
    folders = []
    for folder in cache._package_folders():
        copy = target / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "templates"))
        folders.append(copy)
    return folders


@pytest.mark.parametrize("changed", ["flashpoint/identity.py", "flashpoint/terms.py", "flashpoint/gazetteer.py", "flashpoint/vocab.py",
                                     "loaders/to_rdf.py", "loaders/extract/lexicons", "ontology/gazetteer.yaml", "ontology/flashpoint.ttl"])
def test_the_memo_key_changes_with_any_module(changed: str, tmp_path: Path, monkeypatch):
    folders = _copy_of_flashpoint(tmp_path)
    monkeypatch.setattr(cache, "_package_folders", lambda: folders)
    cache.tree_fingerprint.cache_clear()
    before = cache.memo_key("load_document", "the same inputs")
    target = tmp_path / changed
    if target.is_dir():
        target = sorted(target.glob("*.yaml"))[0]
    target.write_bytes(target.read_bytes() + b"\n# changed\n")
    cache.tree_fingerprint.cache_clear()
    try:
        assert cache.memo_key("load_document", "the same inputs") != before
        assert cache.memo_key("load_document", "other inputs") != cache.memo_key("load_document", "the same inputs")
    finally:
        cache.tree_fingerprint.cache_clear()


def test_a_change_of_code_reloads_every_document(tmp_path: Path, monkeypatch):
    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "clean", project, ignore=shutil.ignore_patterns(".flashpoint", "expected.yaml"))
    loaded: list[str] = []
    original = kb_module.load_document
    monkeypatch.setattr(kb_module, "load_document", lambda project, model, slug, path: loaded.append(slug) or original(project, model, slug, path))
    first = load_kb(Project(project))
    again = load_kb(Project(project))
    assert loaded == ["x"]  # the second time from the cache
    monkeypatch.setattr(cache, "code_fingerprint", lambda *modules: "another version of the code")
    changed = load_kb(Project(project))
    assert loaded == ["x", "x"]
    assert _document_quads(first.store) == _document_quads(again.store) == _document_quads(changed.store)


def test_checks_import_without_cycles():
    """cache.py is generic and provenance.py does not need the KB: neither imports kb.py."""
    code = ("import sys; import flashpoint.checks.cache, flashpoint.checks.provenance; "
            "assert 'flashpoint.checks.kb' not in sys.modules, 'kb imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
