"""Errors that the command line turns into one or two lines and exit status 2."""

from __future__ import annotations

from pathlib import Path


class FlashpointError(Exception):
    """Base class: anything flashpoint reports to a user without a traceback."""

    exit_status = 2


class InputError(FlashpointError):
    """Bad input: a file (and line, where known) and what is wrong with it."""

    def __init__(self, path: Path | str | None, line: int | None, message: str, hint: str | None = None):
        self.path = Path(path) if path is not None else None
        self.line = line
        self.message = message
        self.hint = hint
        super().__init__(self.__str__())

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class UsageError(FlashpointError):
    """The command was called wrongly (unknown query name, no project here, …)."""


class InconsistentError(FlashpointError):
    """The OWL reasoner found the knowledge base inconsistent."""

    def __init__(self, message: str, details: list[str] | None = None, modules: list[str] | None = None):
        self.details = details or []
        self.modules = modules or []  # the reasoner's modules (document slugs) at fault
        super().__init__(message + "".join(f"\n  {d}" for d in self.details))
