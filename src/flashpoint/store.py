"""The on-disk store of a KG project and its atomic replacement.

``.flashpoint/store/`` holds the pyoxigraph (RocksDB) database, the manifest of
the last successful build and the reasoner's per-document inferences. A build
prepares a complete new folder next to it (a checkpoint copy of the old
database plus its changes) and swaps the two with renames, so a failed or
interrupted build leaves the previous store exactly as it was.

Order matters for crash safety: the database is written and closed first, the
manifest last (fsynced), and only a folder with a manifest is ever swapped in;
so a store with a manifest is complete. The caller holds the project lock
(``lock.py``), which is also what makes it safe to clear the staging folders a
crashed build left behind (``recover``).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pyoxigraph

from flashpoint.errors import UsageError

MANIFEST_VERSION = 1


@dataclass
class Manifest:
    """Hashes of the inputs of the last successful build."""

    base: str = ""  # flashpoint version + ontology + gazetteer: a change rebuilds everything
    documents: dict[str, dict] = field(default_factory=dict)  # slug → {"inputs": hash, "claims": n, "quads": n}
    total_quads: int = 0

    @classmethod
    def read(cls, path: Path) -> "Manifest":
        if not path.exists():
            return cls()
        data = json.loads(path.read_text())
        if data.get("version") != MANIFEST_VERSION:
            return cls()
        return cls(base=data["base"], documents=data["documents"], total_quads=data.get("total_quads", 0))

    def write(self, path: Path) -> None:
        data = {"version": MANIFEST_VERSION, "base": self.base, "documents": self.documents, "total_quads": self.total_quads}
        temporary = path.with_name(path.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(json.dumps(data, indent=1, sort_keys=True) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)


class StoreFolder:
    """One store folder: ``oxigraph/``, ``manifest.json``, ``inferred/``."""

    def __init__(self, path: Path):
        self.path = path

    @property
    def database(self) -> Path:
        return self.path / "oxigraph"

    @property
    def manifest_path(self) -> Path:
        return self.path / "manifest.json"

    @property
    def inferred_dir(self) -> Path:
        return self.path / "inferred"

    def exists(self) -> bool:
        return self.database.is_dir() and self.manifest_path.exists()

    def manifest(self) -> Manifest:
        return Manifest.read(self.manifest_path)


def open_read_only(folder: Path, attempts: int = 5) -> pyoxigraph.Store:
    """The live store, read-only. A build may swap folders while we open it (the
    previous store is renamed, then deleted): then we look again and retry."""
    for attempt in range(attempts):
        store = StoreFolder(folder)
        if not store.exists() and StoreFolder(retired_store(folder)).exists():
            store = StoreFolder(retired_store(folder))  # a build is between its two renames: the previous store
        if not store.exists():
            if attempt == 0 and not StoreFolder(_staging(folder)).exists():
                raise UsageError(f"no store at {folder}: run `flashpoint build` first")
            time.sleep(0.2)
            continue
        try:
            return _read_only(store.database)
        except (OSError, RuntimeError):  # the folder went away while we read it: look again
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)
    raise UsageError(f"no store at {folder}: run `flashpoint build` first")


def _read_only(database: Path) -> pyoxigraph.Store:
    """Open ``database`` read-only through a descriptor of its folder (on Linux): every file then
    comes from that one folder even if a build renames folders meanwhile. Opened by path, a
    reader could take the old store's MANIFEST and the new store's table file of the same
    number (RocksDB: "Corruption: Mismatch in unique ID on table file"). RocksDB has every file
    open once the store is open, so the folder may then be renamed and deleted."""
    if not Path("/proc/self/fd").is_dir():
        return pyoxigraph.Store.read_only(str(database))
    descriptor = os.open(database, os.O_RDONLY | os.O_DIRECTORY)
    try:
        return pyoxigraph.Store.read_only(f"/proc/self/fd/{descriptor}")
    finally:
        os.close(descriptor)


@contextmanager
def staged_replacement(live: Path, incremental: bool) -> Iterator[StoreFolder]:
    """Yield a new store folder to write into; on success it replaces ``live``.

    With ``incremental`` the new folder starts as a checkpoint copy of the live
    database (hard links on the same file system, so it is cheap) and its
    inferred caches; otherwise it starts empty. The caller opens the database
    (``open_for_writing``) and must have released it when the block ends, so
    that no open handle follows the folder through the rename.
    """
    recover(live)
    staging = _staging(live)
    staging.mkdir(parents=True)
    new = StoreFolder(staging)
    old = StoreFolder(live)
    try:
        if incremental and old.exists():
            source = pyoxigraph.Store.read_only(str(old.database))
            source.backup(str(new.database))
            del source
            # hard links too: the build replaces a file it changes, never writes into one
            shutil.copytree(old.inferred_dir, new.inferred_dir, copy_function=_link_or_copy)
        else:
            new.inferred_dir.mkdir()
        yield new
        if not new.exists():  # the writer did not finish (no manifest): never swap in half a store
            raise RuntimeError(f"internal error: the staged store {staging} has no manifest")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, live)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


def _staging(live: Path) -> Path:
    return live.with_name(live.name + ".new")


def retired_store(live: Path) -> Path:
    """Where a build keeps the previous store between its two renames."""
    return live.with_name(live.name + ".old")


def recover(live: Path) -> None:
    """Undo what a crashed build left (call with the project lock held):
    a staging folder is thrown away; a store retired by an interrupted swap
    is put back when there is no live store."""
    shutil.rmtree(_staging(live), ignore_errors=True)
    retired = retired_store(live)
    if retired.exists():
        if not StoreFolder(live).exists() and StoreFolder(retired).exists():
            shutil.rmtree(live, ignore_errors=True)
            retired.rename(live)
        else:
            shutil.rmtree(retired, ignore_errors=True)


def open_for_writing(folder: StoreFolder) -> pyoxigraph.Store:
    return pyoxigraph.Store(str(folder.database))


def _swap(staging: Path, live: Path) -> None:
    retired = retired_store(live)
    shutil.rmtree(retired, ignore_errors=True)
    if live.exists():
        live.rename(retired)
    staging.rename(live)
    shutil.rmtree(retired, ignore_errors=True)


def reviewed_graphs(store: pyoxigraph.Store) -> list[pyoxigraph.NamedNode]:
    """The named graphs a reviewed-only query sees: all but the graphs of documents
    with ``fp:reviewed false`` and the inferences drawn from them."""
    from flashpoint.vocab import FP, FPID, UNREVIEWED_INFERRED_GRAPH, doc_graph, hypothetical_graph

    unreviewed = store.quads_for_pattern(None, pyoxigraph.NamedNode(FP + "reviewed"), pyoxigraph.Literal(False), None)
    slugs = {q.subject.value[len(FPID + "doc/"):] for q in unreviewed if q.subject.value.startswith(FPID + "doc/")}
    excluded = {UNREVIEWED_INFERRED_GRAPH} | {g for slug in slugs for g in (doc_graph(slug), hypothetical_graph(slug))}
    return sorted((g for g in store.named_graphs() if isinstance(g, pyoxigraph.NamedNode) and g not in excluded), key=str)
