"""Smoke test of the benchmark generator (bench/generate.py): a small synthetic
project builds, lands near its target size, and is the same for the same seed.
No timing assertions: the timings are bench/build_query.py's business."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest

from flashpoint.build import build
from flashpoint.loaders.claims_file import check_against_document, load_claims_file
from flashpoint.loaders.text import read_document
from flashpoint.project import Project

BENCH = Path(__file__).resolve().parent.parent / "bench"
TARGET = 4500   # above the ~3,150 quads of ontology and gazetteer every store holds


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted((folder / "kb").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench-project")
    summary = _generator().generate(TARGET, folder, seed=7)
    return folder, summary


def test_generated_project_builds_near_its_target_size(generated):
    folder, summary = generated
    project = Project(folder)
    assert len(project.documents()) == summary["documents"] >= 3
    report = build(project)
    assert report.full and len(report.built) == summary["documents"]
    assert report.claims == summary["claims"]
    assert abs(report.total_quads - TARGET) <= 0.15 * TARGET, report.total_quads


def test_claims_carry_exact_provenance(generated):
    folder, _ = generated
    project = Project(folder)
    predicates, modalities = set(), set()
    for slug, doc in project.documents().items():
        claims = load_claims_file(project.claims_file_for(slug))
        text = read_document(doc)
        check_against_document(claims, doc, text)  # sha256, quotes, offsets, sentence indices
        for claim in claims.claims:
            assert text[claim.start : claim.end] == claim.quote
            predicates.add(claim.predicate)
            modalities.add(claim.modality)
    assert {"holdsStance", "perceivesAsThreat", "triggers"} <= predicates
    assert "asserted" in modalities and len(modalities) >= 2


def test_generator_is_deterministic(generated, tmp_path):
    folder, _ = generated
    again = tmp_path / "again"
    _generator().generate(TARGET, again, seed=7)
    assert _digest(again) == _digest(folder)
    other = tmp_path / "other-seed"
    _generator().generate(TARGET, other, seed=8)
    assert _digest(other) != _digest(folder)


def _bench_module(name: str):
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_robustness_harness_reads_no_blind_batch_before_its_first_sight():
    robustness = _bench_module("robustness")
    opened = {f for folders in robustness.extraction.DEV_FOLDERS.values() for f in folders}
    for path in robustness.development_texts():
        if path.parent.name.startswith("batch"):
            assert path.parent.name in opened, path
    # a claim that survives every rewrite is counted as kept
    kept, total, lost = robustness.measure(["Japan regards North Korea as a threat."])
    assert total["fronted phrase"] == kept["fronted phrase"] >= 1 and not lost["fronted phrase"]
