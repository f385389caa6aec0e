"""The wheel works on its own: ontology, queries and gazetteer ship inside it, and
the console script runs init + build + query from a folder outside the repository."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)], check=True)
    return next(out.glob("flashpoint-*.whl"))


def test_wheel_ships_the_data_and_only_the_flashpoint_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {n.split("/")[0] for n in names if not n.startswith("flashpoint-")}
    assert top_level == {"flashpoint"}
    for needed in ("flashpoint/ontology/flashpoint.ttl", "flashpoint/ontology/gazetteer.yaml", "flashpoint/ontology/shapes.ttl",
                   "flashpoint/queries/cq01-", "flashpoint/loaders/claims_schema.json", "flashpoint/loaders/to_rdf.py", "flashpoint/cli.py"):
        assert any(n.startswith(needed) for n in names), needed


def test_installed_wheel_runs_outside_the_repository(wheel, tmp_path):
    # A fresh virtual environment with the wheel; its dependencies come from the
    # running environment through a .pth file, so the test needs no network.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    target = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True).stdout.strip())
    deps = [p for p in site.getsitepackages() + [sysconfig.get_paths()["purelib"]] if Path(p).is_dir()]
    (target / "deps.pth").write_text("\n".join(sorted(set(deps))) + "\n")
    with zipfile.ZipFile(wheel) as archive:  # installing a wheel is unpacking it
        archive.extractall(target)
    script = env_dir / "bin" / "flashpoint"
    script.write_text(f"#!{python}\nimport sys\nfrom flashpoint.cli import main\nsys.exit(main())\n")
    script.chmod(0o755)

    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def run(*args):
        return subprocess.run([str(script), *args], cwd=workdir, capture_output=True, text=True, env=env)

    assert run("init", "project").returncode == 0
    project = workdir / "project"
    assert sorted(p.name for p in (project / "queries").glob("cq*.rq"))[0].startswith("cq01")
    shutil.copyfile(REPO / "kb/documents/nk-missile-launches.txt", project / "kb/documents/nk-missile-launches.txt")
    shutil.copyfile(REPO / "kb/claims/nk-missile-launches.yaml", project / "kb/claims/nk-missile-launches.yaml")
    built = run("build", "--project", "project")
    assert built.returncode == 0, built.stderr
    answered = run("query", "cq01", "--project", "project", "--format", "csv")
    assert answered.returncode == 0, answered.stderr
    assert len(answered.stdout.strip().splitlines()) > 1
    # the package imported is the wheel's, not the repository's source
    where = subprocess.run([python, "-c", "import flashpoint; print(flashpoint.__file__)"], capture_output=True, text=True, cwd=workdir, env=env).stdout
    assert str(target) in where
