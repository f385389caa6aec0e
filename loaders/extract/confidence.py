"""Confidence of a claim: the measured precision of the rule that made it.

``patterns/precision.yaml`` holds, per rule id, the precision measured by
``bench/extraction.py --update-precision`` over the reviewed claims of the
seed and the development gold (smoothed: (tp + 1) / (tp + fp + 2), so a rule
seen rarely stays near 0.5). Rules never measured get ``DEFAULT``. A hedged
or negated claim keeps its rule's confidence: confidence is about whether the
extraction is right, not whether the event happened.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT = 0.6
PATH = Path(__file__).resolve().parent / "patterns" / "precision.yaml"


@lru_cache(maxsize=1)
def _table() -> dict:
    if not PATH.exists():
        return {}
    data = yaml.safe_load(PATH.read_text(encoding="utf-8")) or {}
    return {str(k): float(v) for k, v in (data.get("rules") or {}).items()}


def confidence_of(rule_id: str, modality: str = "asserted") -> float:
    return round(_table().get(rule_id, DEFAULT), 2)


def reload() -> None:
    _table.cache_clear()
