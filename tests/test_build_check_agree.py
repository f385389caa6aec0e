"""`flashpoint build` and `flashpoint check` agree on every fixture: when build
refuses a project (exit 2), check reports an error at the file build named.
Never "build fails, check passes" (it happened for documents extracted on the
fly, which check did not read)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli

BROKEN = sorted(p for p in (REPO / "tests" / "fixtures" / "broken").iterdir() if p.is_dir())
_LOCATION = re.compile(r"^flashpoint: (?P<file>[^\n]+?)(?::(?P<line>\d+))?: ", re.M)


def _relative(project: Path, file: str) -> str:
    path = Path(file.split(" (extracted")[0])
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@pytest.mark.parametrize("fixture", BROKEN, ids=[p.name for p in BROKEN])
def test_build_refuses_only_what_check_reports_as_an_error(fixture: Path, tmp_path: Path):
    project = tmp_path / fixture.name
    shutil.copytree(fixture, project, ignore=shutil.ignore_patterns(".flashpoint", "expected.yaml"), symlinks=True)
    build = run_cli("build", "--project", project)
    assert build.exit_code in (0, 2), build.stderr  # never an internal error
    check = run_cli("check", "--project", project, "--format", "json")
    assert check.exit_code in (0, 1), check.stderr
    errors = [f for f in json.loads(check.stdout)["findings"] if f["severity"] == "error"]
    if build.exit_code == 0:
        return
    assert errors, f"build refused ({build.stderr.strip()}) but check found no error"
    match = _LOCATION.search(build.stderr)
    assert match, build.stderr
    named = _relative(project, match["file"])
    assert named in {f["file"] for f in errors}, (build.stderr, [(f["rule"], f["file"], f["line"]) for f in errors])
