"""The shortcuts of an incremental build give the store a full build gives:
the graph-level delta of the inferred graphs, the reasoner's memo, skipping
HermiT for empty modules, hard-linked inference files in the staged store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import copy_repo_kb, run_cli
from flashpoint import reasoner
from flashpoint.build import _gazetteer_triples, build, load_document
from flashpoint.model import load_model
from flashpoint.project import Project
from test_build import SEED, add_second_document, store_quads

FP = "https://w3id.org/flashpoint/ontology#"


def full_build_quads(project: Path, tmp_path: Path) -> set[str]:
    """The quads of a build from nothing (no store, no memo) of the same kb/."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns(".flashpoint"))
    report = build(Project(fresh))
    assert report.full
    return store_quads(fresh)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def no_hermit(monkeypatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("HermiT should not run")

    monkeypatch.setattr(reasoner, "_run_hermit", refuse)


def test_incremental_rebuilds_give_the_quads_of_a_full_build(seed_project, tmp_path):
    """Each kind of change, built incrementally, against a full build of the same files."""
    second = add_second_document(seed_project)
    assert build(Project(seed_project)).full
    steps = [
        # a world-layer triple leaves (asserted → possible): inferences change
        lambda: edit(second, "modality: asserted", "modality: possible"),
        # the document becomes unreviewed: its inferences move to the other graph
        lambda: edit(second, "reviewed: true", "reviewed: false"),
        # and back
        lambda: edit(second, "reviewed: false", "reviewed: true"),
        # a removed document: what only it inferred leaves, what the other infers too stays
        lambda: (second.unlink(), (seed_project / "kb" / "documents" / "second-copy.txt").unlink()),
    ]
    for step in steps:
        step()
        report = build(Project(seed_project))
        assert not report.full and not report.up_to_date
        assert store_quads(seed_project) == full_build_quads(seed_project, tmp_path)


def test_the_memo_spares_hermit_when_the_world_layer_did_not_change(seed_project, tmp_path, monkeypatch):
    claims = seed_project / "kb" / "claims" / f"{SEED}.yaml"
    original = claims.read_text()
    assert build(Project(seed_project)).full
    edit(claims, "modality: asserted", "modality: possible")
    build(Project(seed_project))  # a new module: HermiT runs
    no_hermit(monkeypatch)
    # put back: the module of the first build, found in the memo
    claims.write_text(original)
    assert build(Project(seed_project)).built == [SEED]
    # a note changes the claims file but not the world layer
    edit(claims, "note: \"'the two nations'", "note: \"(checked) 'the two nations'")
    assert build(Project(seed_project)).built == [SEED]
    monkeypatch.undo()
    assert store_quads(seed_project) == full_build_quads(seed_project, tmp_path)


def test_a_forced_build_reuses_the_memo_and_gives_the_same_store(seed_project, monkeypatch):
    assert run_cli("build", "--project", seed_project).exit_code == 0
    before = store_quads(seed_project)
    no_hermit(monkeypatch)
    assert run_cli("build", "--force", "--project", seed_project).exit_code == 0
    assert store_quads(seed_project) == before


def test_hermit_is_skipped_only_for_empty_modules(seed_project, monkeypatch):
    """An empty module has no individuals to infer anything about; a module with
    world triples triggers axioms (here the defined class fp:Provocation)."""
    project = Project(seed_project)
    model = load_model(project)
    rdf, _ = load_document(project, SEED, project.documents()[SEED], model)
    module = rdf.world + _gazetteer_triples(model, rdf.gazetteer_ids)
    runs = []
    original = reasoner._run_hermit
    monkeypatch.setattr(reasoner, "_run_hermit", lambda ontology, modules: runs.append(len(modules)) or original(ontology, modules))
    result = reasoner.reason(model.reasoner_ntriples, model.axioms, {"empty": [], "seed": module})
    assert runs == [1]  # one run, with the seed's module only
    assert result["empty"] == set()
    assert any(t.predicate.value.endswith("#type") and t.object.value == FP + "Provocation" for t in result["seed"])


def test_a_failed_build_leaves_the_live_inference_files_alone(seed_project, monkeypatch):
    """The staged store's inference files are hard links to the live ones: a
    build writes new files and must never write into a linked one."""
    second = add_second_document(seed_project)
    assert build(Project(seed_project)).full
    inferred = seed_project / ".flashpoint" / "store" / "inferred"
    before = {path.name: path.read_bytes() for path in inferred.iterdir()}
    quads = store_quads(seed_project)
    edit(second, "modality: asserted", "modality: possible")
    from flashpoint import hypothetical

    def crash(_store):  # after the inference files were written
        raise RuntimeError("crash")

    monkeypatch.setattr(hypothetical, "mark", crash)
    with pytest.raises(RuntimeError):
        build(Project(seed_project))
    assert {path.name: path.read_bytes() for path in inferred.iterdir()} == before
    assert store_quads(seed_project) == quads


def test_the_memo_is_pruned(seed_project):
    from flashpoint.build import _prune_memo, _reason_memo

    assert build(Project(seed_project)).full
    memo = _reason_memo(Project(seed_project))
    entries = sorted(memo.glob("*.json"))
    assert entries
    _prune_memo(memo, keep=0)
    assert not list(memo.glob("*.json"))
