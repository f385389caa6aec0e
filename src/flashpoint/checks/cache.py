"""The check cache (``.flashpoint/check-cache/``): a memo on disk, and the process pool of a cold run.

What check computes for one document is a pure function of its inputs, so it is
kept under a key made of those inputs and of flashpoint's own code, and reused
while the key is the same:

- ``load/<slug>.json``: the loaded document (``kb.load_document``: provenance
  findings, quads, claim index), keyed by the bytes of the document and its
  claims file and by the model (the ontology with the project's extensions, the
  gazetteer with the project's actors);
- ``shacl-sparql/``: the hash of every graph and the SHACL results per graph (``shacl.py``);
- ``rules.json``: the integrity rules' rows while no graph changed (``rules.py``);
- ``owl.json``: the documents whose OWL module was consistent (``owl.py``);
- ``whole-run.json``: the last findings and a fingerprint of every input (``memo_store.py``).

Every key includes ``code_fingerprint()``: the source of *every* module and
data file of the installed flashpoint package. Listing the modules a result
depends on proved unsound (a change of ``identity.py``, which decides IRIs,
went unnoticed), and hashing all of them takes milliseconds.

The cache is JSON (no pickle: a cache directory that came with a pull request
cannot run code), written atomically (a temporary file renamed into place). A
missing, unreadable or stale entry is recomputed; a read-only checkout just has
no cache. Findings are the same with or without it (tests/test_check.py proves it).

Work that is not cached is spread over ``jobs`` processes (fork, POSIX only;
``FLASHPOINT_CHECK_JOBS``, default: the CPUs this process may use).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable

import flashpoint

FORMAT = "flashpoint-check-cache/3"
MIN_PARALLEL = 4  # fewer items than this: not worth starting processes
# The packages whose files make up flashpoint: its code, and the data it reads (ontology,
# shapes, gazetteer, lexicons, extraction patterns, queries). With an editable install they
# are separate folders; installed, they nest (a file found twice is hashed once).
CODE_PACKAGES = ("flashpoint", "flashpoint.loaders", "flashpoint.ontology", "flashpoint.queries")
CODE_SUFFIXES = (".py", ".ttl", ".yaml", ".json", ".rq")


def cache_dir(project_root: Path, *parts: str) -> Path:
    return project_root.joinpath(".flashpoint", "check-cache", *parts)


def job_count(requested: int | None = None) -> int:
    if requested:
        return max(1, requested)
    env = os.environ.get("FLASHPOINT_CHECK_JOBS")
    if env and env.isdigit():
        return max(1, int(env))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------- keys


def code_fingerprint() -> str:
    """The version and the source of every flashpoint module and data file: any change of code is a miss."""
    return tree_fingerprint(tuple(_package_folders()))


def _package_folders() -> list[Path]:
    return [Path(str(resources.files(package))) for package in CODE_PACKAGES]


@lru_cache(maxsize=4)
def tree_fingerprint(folders: tuple[Path, ...]) -> str:
    """A hash of the source files (``CODE_SUFFIXES``) under ``folders``, names and bytes."""
    files: dict[Path, str] = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
                files.setdefault(path.resolve(), f"{folder.name}/{path.relative_to(folder).as_posix()}")
    d = hashlib.sha256((FORMAT + flashpoint.__version__).encode())
    for path, name in sorted(files.items(), key=lambda item: item[1]):
        d.update(name.encode())
        d.update(path.read_bytes())
    return d.hexdigest()


def digest(*parts: bytes | str) -> str:
    d = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        d.update(len(data).to_bytes(8, "little"))
        d.update(data)
    return d.hexdigest()


def memo_key(*inputs: bytes | str) -> str:
    """The key of a result computed from ``inputs`` by flashpoint's code as it is now."""
    return digest(code_fingerprint(), *inputs)


def file_bytes(path: Path) -> bytes:
    """A file's bytes as a key input (a missing file is an input too)."""
    try:
        return path.read_bytes()
    except OSError:
        return b"\0missing"


def hash_lines(lines: Iterable[str]) -> str:
    d = hashlib.sha256()
    for line in sorted(lines):
        d.update(line.encode("utf-8"))
        d.update(b"\n")
    return d.hexdigest()


# ---------------------------------------------------------------- entries


def read(path: Path, key: str) -> Any | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return data.get("value")


def write(path: Path, key: str, value: Any) -> None:
    write_json(path, {"key": key, "value": value})


def write_json(path: Path, data: Any) -> None:
    """``data`` as JSON at ``path``, atomically (a temporary file renamed into place)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout: no cache, same findings


def memo_map(task: Callable[[str], Any], keys: dict[str, str], folder: Path, use_cache: bool = True, jobs: int | None = None,
             on_hits: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """``{name: task(name)}`` for every name of ``keys``: the result stored in ``folder/<name>.json``
    under the same key, or else computed (by ``jobs`` processes) and stored. Results must be
    JSON-able. ``on_hits`` gets the stored results before the others are computed (to start
    using them)."""
    out = {name: read(folder / f"{name}.json", key) for name, key in keys.items()} if use_cache else {}
    out = {name: value for name, value in out.items() if value is not None}
    if on_hits is not None:
        on_hits(dict(out))
    todo = [name for name in keys if name not in out]
    for name, value in zip(todo, parallel_map(task, todo, job_count(jobs))):
        out[name] = value
        write(folder / f"{name}.json", keys[name], value)
    return {name: out[name] for name in keys}


# ---------------------------------------------------------------- the pool

_TASK: Callable[[Any], Any] | None = None


def _call(item: Any) -> Any:
    assert _TASK is not None
    return _TASK(item)


def parallel_map(task: Callable[[Any], Any], items: list[Any], n_jobs: int) -> list[Any]:
    """``[task(x) for x in items]``, in ``n_jobs`` forked processes when that is worth it.

    ``task`` may be a closure: the workers are forked after it is set, so they
    inherit it (and everything it refers to, such as the model) without pickling.
    Items and results must pickle.
    """
    global _TASK
    if n_jobs <= 1 or len(items) < MIN_PARALLEL or sys.platform == "win32":
        return [task(x) for x in items]
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return [task(x) for x in items]
    _TASK = task
    try:
        with context.Pool(min(n_jobs, len(items))) as pool:
            return pool.map(_call, items, chunksize=max(1, len(items) // (n_jobs * 8)))
    finally:
        _TASK = None
