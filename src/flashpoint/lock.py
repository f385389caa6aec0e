"""The project lock: one writer of a project's store and kb/ files at a time.

Every command that writes (``build``, ``add``, ``extract`` into the project,
``reanchor``) holds ``.flashpoint/lock`` while it works. It is an OS advisory
lock (``fcntl.flock``): the kernel releases it when the process ends, however
it ends, so a crashed build never leaves a stale lock behind; the next writer
then clears the crashed build's staging folders (``store.py``).

The holder writes its pid and command into the lock file, so that a second
writer can say who it is waiting for. Readers (``query``, ``export``,
``serve``) take no lock: they open the live store, which a build never
modifies in place.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from flashpoint.errors import FlashpointError

# Locks this process holds, by path: a command that calls another writer
# (``add`` runs a build) must not wait for itself.
_HELD: dict[Path, int] = {}


class LockBusy(FlashpointError):
    """Another process holds the project lock and the caller asked not to wait."""


def lock_path(project_root: Path) -> Path:
    return project_root / ".flashpoint" / "lock"


def holder(path: Path) -> str:
    """Who holds the lock, as the holder wrote it ('pid 123: flashpoint build'), or ''."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


@contextmanager
def project_lock(project_root: Path, command: str, wait: bool = True,
                 timeout: float | None = None, notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the project's write lock for the duration of the block.

    ``wait=False`` raises LockBusy at once when another process holds it;
    otherwise ``notify`` is told once that we are waiting, and ``timeout``
    (seconds) bounds the wait.
    """
    path = lock_path(project_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path = path.resolve()
    if path in _HELD:
        _HELD[path] += 1
        try:
            yield
        finally:
            _HELD[path] -= 1
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, wait, timeout, notify or (lambda message: print(message, file=sys.stderr)))
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}: flashpoint {command}\n".encode())
        _HELD[path] = 1
        try:
            yield
        finally:
            del _HELD[path]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, wait: bool, timeout: float | None, notify: Callable[[str], None]) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    who = holder(path) or "another process"
    if not wait:
        raise LockBusy(f"{path}: the project is locked by {who}; try again when it has finished (or leave out --no-wait to wait)")
    notify(f"flashpoint: another writer ({who}) holds the project lock; waiting…")
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:  # poll rather than block, so that the wait can time out and Ctrl-C works at once
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if deadline is not None and time.monotonic() > deadline:
                raise LockBusy(f"{path}: still locked by {holder(path) or who} after {timeout:g} s; giving up") from None
            time.sleep(0.1)
