"""bench/agreement.py: one annotator's gold scored against another's on the same texts."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import REPO, SHARED

DEV = SHARED / "corpus" / "dev"


def _agreement():
    sys.path.insert(0, str(REPO / "bench"))
    spec = importlib.util.spec_from_file_location("bench_agreement", REPO / "bench" / "agreement.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def two_annotators(tmp_path):
    if not DEV.exists():
        pytest.skip("../shared/corpus/dev is not there")
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        for path in DEV.glob("houthi-red-sea.*"):
            shutil.copy(path, folder / path.name)
    return first, second


def test_an_annotator_agrees_with_itself(two_annotators):
    (row,) = _agreement().agreement(*two_annotators)
    assert row[1] == row[2] == row[3] > 20


def test_claims_the_second_annotator_leaves_out_or_changes_do_not_agree(two_annotators):
    first, second = two_annotators
    gold = second / "houthi-red-sea.gold.json"
    data = json.loads(gold.read_text(encoding="utf-8"))
    kept = data["claims"][: len(data["claims"]) // 2]
    kept[0] = dict(kept[0], sentence=kept[0]["sentence"] + 1)   # the same claim on another sentence
    data["claims"] = kept
    gold.write_text(json.dumps(data), encoding="utf-8")
    (doc, n_first, n_second, agreed) = _agreement().agreement(first, second)[0]
    assert n_second == len(kept) and agreed == len(kept) - 1 and n_first == 26
