"""Errors that the command line turns into one or two lines and exit status 2,
and the collectors that loaders report input errors to.

A loader does not decide whether an error stops everything: it reports each
error to a *collector*. ``flashpoint build`` passes ``raise_first`` (the first
error stops the build, exit 2); ``flashpoint check`` passes a ``CollectAll``
and turns every error into a finding. The check rule an error belongs to
travels on the error (``InputError.rule``), never in its wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


class FlashpointError(Exception):
    """Base class: anything flashpoint reports to a user without a traceback."""

    exit_status = 2


class InputError(FlashpointError):
    """Bad input: a file (and line, where known), what is wrong with it, and the
    check rule it breaks (``FP-P05``; docs/check-report.md) where one applies."""

    def __init__(self, path: Path | str | None, line: int | None, message: str, hint: str | None = None, rule: str | None = None):
        self.path = Path(path) if path is not None else None
        self.line = line
        self.message = message
        self.hint = hint
        self.rule = rule
        super().__init__(self.__str__())

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class InputLimitError(InputError):
    """Input refused by a safety limit (size, YAML anchors and aliases, nesting depth),
    not because it is malformed: check reports it under a rule of its own."""


class UsageError(FlashpointError):
    """The command was called wrongly (unknown query name, no project here, …)."""


class InconsistentError(FlashpointError):
    """The OWL reasoner found the knowledge base inconsistent."""

    def __init__(self, message: str, details: list[str] | None = None, modules: list[str] | None = None):
        self.details = details or []
        self.modules = modules or []  # the reasoner's modules (document slugs) at fault
        super().__init__(message + "".join(f"\n  {d}" for d in self.details))


# ---------------------------------------------------------------- collectors


class Collector(Protocol):
    """Where a loader reports an input error; ``claim`` is the claim it concerns, if any."""

    def __call__(self, error: InputError, claim: Any = None) -> None: ...


def raise_first(error: InputError, claim: Any = None) -> None:
    """build's collector: the first error stops the build (exit status 2)."""
    raise error


@dataclass
class Problem:
    error: InputError
    claim: Any = None  # a loaders.claims_file.Claim


class CollectAll:
    """check's collector: keeps every error, in the order the loader found them."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def __call__(self, error: InputError, claim: Any = None) -> None:
        self.problems.append(Problem(error, claim))
