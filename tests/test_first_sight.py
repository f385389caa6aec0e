"""The record of the blind first-sight rounds (bench/first_sight.yaml) and the README text made
from it: the README says what the record says, and recording a round updates every place that
lists rounds, from the two first-sight reports alone."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _module():
    spec = importlib.util.spec_from_file_location("bench_first_sight", ROOT / "bench" / "first_sight.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fs = _module()


def _report_text() -> str:
    return (ROOT / "bench" / "results" / "extraction.md").read_text(encoding="utf-8")


def test_the_readme_is_what_the_record_and_the_extraction_report_render():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert fs.render(text, fs.load_rounds(), _report_text()) == text, "run: python bench/first_sight.py render"


def test_the_quality_table_adds_up_the_report():
    report = ("| seed: nk-missile-launches | 60 | 56 | 51 | 0.91 | 0.85 | **0.88** | 1.00 | 1.00 |\n"
              + "".join(f"| **{d}** | 10 | 8 | 6 | 0.75 | 0.60 | **0.67** | 1.00 | |\n" for d in fs.EARLY_DEV)
              + "| **dev-6** | 228 | 184 | 150 | 0.82 | 0.66 | **0.73** | 0.96 | |\n")
    table = fs.render_quality_table(fs.load_rounds(), report)
    assert "| seed (`kb/claims/nk-missile-launches.yaml`, reviewed by hand) | 60 | 0.91 | 0.85 | **0.88** |" in table
    # the four early sets as one row: 40 claims, 32 proposed, 24 right
    assert "| dev-2 … dev-5: 12 texts on other crises, development data | 40 | 0.75 | 0.60 | **0.67** | 1.00 |" in table
    assert "| dev-6: batches 4 + 5 (8 texts), first sight 0.28 | 228 | 0.82 | 0.66 | **0.73** | 0.96 |" in table
    assert "dev-7" not in table   # (not in this report)


def test_every_round_is_well_formed_and_each_batch_is_opened_once():
    rounds = fs.load_rounds()
    seen = set()
    for r in rounds:
        assert {"batches", "label", "texts", "claims", "f1"} <= r.keys(), r
        assert 0 <= r["f1"] <= 1 and r["claims"] > 0
        if "pair_model" in r:
            assert 0 <= r["pair_model"]["right"] <= r["pair_model"]["proposals"]
        if r.get("record"):
            assert (ROOT / r["record"]).is_file(), r["record"]
    for folders in fs.dev_folders(rounds).values():
        assert not seen & set(folders)
        seen |= set(folders)
        assert all((ROOT / "bench" / "heldout" / f).is_dir() for f in folders)


def _report(rows: dict[str, tuple[int, int, int]]) -> str:
    lines = ["| reference | gold | predicted | matched | precision | recall | F1 | modality acc. | habitual acc. |"]
    for name, (g, p, m) in rows.items():
        lines.append(f"| held-out: {name} | {g} | {p} | {m} | 0.00 | 0.00 | **0.00** | | |")
    return "\n".join(lines) + "\n"


@pytest.fixture()
def project(tmp_path):
    (tmp_path / "bench" / "results").mkdir(parents=True)
    (tmp_path / "bench" / "heldout").mkdir()
    shutil.copy(ROOT / "bench" / "first_sight.yaml", tmp_path / "bench" / "first_sight.yaml")
    shutil.copy(ROOT / "bench" / "heldout" / "README.md", tmp_path / "bench" / "heldout" / "README.md")
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    return tmp_path


META = {"batches": [901, 902], "dev": "dev-901", "date": "2031-01-01", "time": "10:00", "commit": "abc1234",
        "written": "09:00–09:05", "after": "after a round on dev-900", "frozen_note": "a test round",
        "crises": "one crisis; another", "short_styles": "wire; blog", "styles": {901: "a wire", 902: "a blog"},
        "comment": "A test."}


def test_recording_a_round_updates_the_record_the_readmes_and_the_dev_sets(project):
    pair = _report({"batch901/a": (10, 8, 6), "batch901/b": (10, 4, 2), "batch902/c": (20, 10, 5)})
    rules = _report({"batch901/a": (10, 6, 5), "batch901/b": (10, 4, 2), "batch902/c": (20, 8, 5)})
    before = fs.load_rounds(project / "bench" / "first_sight.yaml")
    entry = fs.record(META, pair, rules, root=project)

    # with the pair model: 40 claims, 22 proposed, 13 right; without it: 18 proposed, 12 right
    assert (entry["claims"], entry["f1"], entry["precision"], entry["recall"]) == (40, 0.42, 0.59, 0.33)
    assert entry["pair_model"] == {"right": 1, "proposals": 4} and entry["pair_model_delta"] == 0.01
    assert entry["rules_only"]["f1"] == 0.41
    rounds = fs.load_rounds(project / "bench" / "first_sight.yaml")
    assert rounds[:-1] == before and rounds[-1] == entry
    assert fs.dev_folders(rounds)["dev-901"] == ("batch901", "batch902")
    report = (project / entry["record"]).read_text(encoding="utf-8")
    assert "| **both** | 40 | 0.59 | 0.33 | **0.42** | 0.67 | 0.30 | 0.41 |" in report
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "| 901 + 902 (one crisis; another)" in readme and "| **0.42** |" in readme
    assert fs.render(readme, rounds, "") == readme
    heldout = (project / "bench" / "heldout" / "README.md").read_text(encoding="utf-8")
    assert "**dev-901**" in heldout and "(batch903 onwards; none written yet)" in heldout

    with pytest.raises(SystemExit, match="already have a first-sight record"):
        fs.record(META, pair, rules, root=project)


def test_a_report_without_the_rounds_batches_is_refused(project):
    with pytest.raises(SystemExit, match="no held-out rows for batch902"):
        fs.record(META, _report({"batch901/a": (10, 8, 6)}), _report({"batch901/a": (10, 6, 5)}), root=project)
    assert yaml.safe_load((project / "bench" / "first_sight.yaml").read_text())["rounds"] == fs.load_rounds()
