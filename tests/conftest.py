"""Shared fixtures: the repository's own KB copied into a temporary project,
built once per session, and a helper that runs the command line in-process."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashpoint.cli import main

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"  # CI lays shared/ beside the clone


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path) -> CliResult:
    """Run `flashpoint ARGS` in-process; returns exit status, stdout and stderr."""
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


def copy_repo_kb(target: Path) -> Path:
    """A KG project holding the repository's kb/ and queries/."""
    shutil.copytree(REPO / "kb", target / "kb", ignore=shutil.ignore_patterns(".flashpoint"))
    shutil.copytree(REPO / "queries", target / "queries", ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return target


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """The seed KB, built once for the whole session. Tests must not modify it."""
    project = copy_repo_kb(tmp_path_factory.mktemp("seed"))
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.stderr
    return project


@pytest.fixture
def seed_project(tmp_path) -> Path:
    """A fresh, unbuilt copy of the seed KB that a test may change."""
    return copy_repo_kb(tmp_path / "kb-project")
