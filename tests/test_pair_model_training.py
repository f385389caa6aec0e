"""The shipped pair model (loaders/extract/models/pairs.json) is what
bench/train_pair_model.py makes from the development references today: a change
to the extractor or to the references that moves the model's training pairs
must come with a retrained model (like a lock file). Retraining on the same
machine writes the same bytes (lbfgs is deterministic). Needs scikit-learn (the
``bench`` extra) and the shared development corpus; skipped without them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


def _trainer():
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_train_pair_model", BENCH / "train_pair_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_retraining_reproduces_the_shipped_model(tmp_path):
    pytest.importorskip("sklearn")
    if not (ROOT.parent / "shared" / "corpus" / "dev").is_dir():
        pytest.skip("the shared development corpus is not here")
    import json

    from flashpoint.loaders.extract import pair_model

    trainer = _trainer()
    refs = trainer.extraction.references(trainer.extraction.Norm(), heldout=False)
    shipped = json.loads(pair_model.PATH.read_text(encoding="utf-8"))
    model = trainer.train(trainer.examples(refs), shipped["threshold"])
    stale = "the pair model is stale: run python bench/train_pair_model.py and commit loaders/extract/models/pairs.json"
    for key in ("trained_on", "examples", "positives", "labels"):
        assert model[key] == shipped[key], stale
    # the same pairs and labels: the weights agree up to the solver's last digits
    # (another scikit-learn or BLAS may round differently; on one machine the file is byte-identical)
    zero = [0.0] * len(model["labels"])
    for feature in set(model["weights"]) | set(shipped["weights"]):
        a, b = model["weights"].get(feature, zero), shipped["weights"].get(feature, zero)
        assert max(abs(x - y) for x, y in zip(a, b)) < 0.03, (feature, stale)
