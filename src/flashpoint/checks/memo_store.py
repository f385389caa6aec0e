"""The whole-run memo of ``flashpoint check``: when no input changed, the last findings.

"No input changed" is decided from every file check can depend on (the project's
kb/, ontology/, queries/ and flashpoint's own code and data), by stat first and by
content hash only for files whose stat moved, so a check with nothing changed
costs a directory walk. The per-result memos (documents, SHACL units, rules, OWL)
are ``cache.py``'s; this one sits above them. JSON only, like them.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from flashpoint.checks.cache import digest, write_json


# ---------------------------------------------------------------- the whole-run memo

WHOLE_RUN_FORMAT = "flashpoint-check-memo/1"
RACY_NS = 3_000_000_000  # a file whose mtime is this close to the memo's own is hashed, not trusted by its stat


def _input_files(project_root: Path) -> list[Path]:
    """Every file check's findings can depend on: the project's kb/, ontology/, queries/ and
    top-level files, and flashpoint's own code and data (the package, its loaders, ontology and
    queries folders)."""
    import flashpoint
    import flashpoint.loaders
    from flashpoint.vocab import package_folder

    roots = [project_root / name for name in ("kb", "ontology", "queries")]
    roots += [Path(flashpoint.__file__).parent, Path(flashpoint.loaders.__file__).parent, package_folder("ontology"), package_folder("queries")]
    files: set[Path] = {p for p in project_root.iterdir() if p.is_file()} if project_root.is_dir() else set()
    seen_dirs: set[str] = set()
    for root in roots:
        for folder, dirs, names in os.walk(root, followlinks=True):
            real = os.path.realpath(folder)
            if real in seen_dirs:
                dirs[:] = []
                continue
            seen_dirs.add(real)
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
            files |= {Path(folder) / n for n in names if not n.endswith((".pyc", ".tmp"))}
    return sorted(files)


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("pyoxigraph", "pyshacl", "rdflib", "owlready2", "pyyaml", "jsonschema"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} -")
    return ", ".join(out)


def whole_run(project, compute, owl: bool = True, use_cache: bool = True):
    """``compute()`` (check's ``(findings, checks)``), or its memo when no input changed.

    The key is a fingerprint of every input (``_input_files``: path, size and mtime first; the
    content hash only of a file whose stat changed, or whose mtime is too close to the memo's to
    be trusted), the library versions and ``owl``. Findings are kept as JSON
    (``.flashpoint/check-cache/whole-run.json``)."""
    import time

    from flashpoint.checks.findings import Finding

    path = project.root / ".flashpoint" / "check-cache" / "whole-run.json"
    if not use_cache or os.environ.get("FLASHPOINT_CHECK_NO_MEMO"):
        return compute()
    owl = owl and not os.environ.get("FLASHPOINT_CHECK_NO_OWL")
    started = time.time_ns()
    files = _input_files(project.root)
    stats: dict[str, list[int]] = {}
    for f in files:
        try:
            st = f.stat()
            stats[str(f)] = [st.st_size, st.st_mtime_ns]
        except OSError:
            stats[str(f)] = [-1, 0]
    head = digest(WHOLE_RUN_FORMAT, _versions(), f"owl={owl}")
    try:
        memo = json.loads(path.read_text(encoding="utf-8"))
        if memo.get("head") != head:
            memo = None
    except (OSError, ValueError):
        memo = None
    old_stats = memo.get("stats", {}) if memo else {}
    old_hashes = memo.get("hashes", {}) if memo else {}
    written = memo.get("written", 0) if memo else 0
    hashes: dict[str, str] = {}
    rehashed = False
    for name, stat in stats.items():
        trusted = old_stats.get(name) == stat and name in old_hashes and stat[1] < written - RACY_NS
        if trusted:
            hashes[name] = old_hashes[name]
        else:
            rehashed = True
            try:
                hashes[name] = hashlib.sha256(Path(name).read_bytes()).hexdigest()
            except OSError:
                hashes[name] = "missing"
    key = digest(head, *[f"{name}\0{hashes[name]}" for name in sorted(hashes)])
    if memo is not None and memo.get("key") == key:
        if rehashed or memo.get("stats") != stats:  # touched, not changed: trust these stats next time
            memo.update(stats=stats, hashes=hashes, written=started)
            write_json(path, memo)
        return [Finding(**f) for f in memo["findings"]], dict(memo["checks"])
    findings, checks = compute()
    write_json(path, {"head": head, "key": key, "stats": stats, "hashes": hashes, "written": started,
                 "findings": [f.to_json() for f in findings], "checks": checks})
    return findings, checks


def memoized_check(collect):
    """Decorator for ``flashpoint.checks.collect(project, owl=True, use_cache=True)``: the whole-run
    memo (``whole_run``) around it."""
    import functools

    @functools.wraps(collect)
    def wrapper(project, owl: bool = True, use_cache: bool = True):
        return whole_run(project, lambda: collect(project, owl=owl, use_cache=use_cache), owl=owl, use_cache=use_cache)

    return wrapper
