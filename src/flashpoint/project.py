"""A KG project: ``kb/documents/``, ``kb/claims/``, ``queries/`` and its store."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from flashpoint.errors import InputError, UsageError
from flashpoint.identity import slugify
from flashpoint.safe_yaml import shorten
from flashpoint.vocab import ONTOLOGY_FILES

DOCUMENT_SUFFIXES = (".txt", ".md")
PROPOSALS_SUFFIX = ".proposed.yaml"  # `flashpoint extract --proposals/--force`: for review, never read as claims
# Files of the packaged ontology folder that are not ontology extensions.
NOT_EXTENSIONS = set(ONTOLOGY_FILES) | {"shapes.ttl"}


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def documents_dir(self) -> Path:
        return self.root / "kb" / "documents"

    @property
    def claims_dir(self) -> Path:
        return self.root / "kb" / "claims"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def store_dir(self) -> Path:
        return self.root / ".flashpoint" / "store"

    @property
    def gazetteer_file(self) -> Path:
        """A project's own actors, added to the bundled gazetteer."""
        return self.root / "kb" / "gazetteer.yaml"

    def extension_files(self) -> list[Path]:
        """Turtle files in the project's ``ontology/`` that extend the bundled ontology."""
        folder = self.root / "ontology"
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.ttl") if p.name not in NOT_EXTENSIONS and not p.name.endswith(".shapes.ttl"))

    def documents(self) -> dict[str, Path]:
        """Documents by slug: the ``.txt`` and ``.md`` files of ``kb/documents/``
        that can be read safely. A file with a layout problem (``layout_problems``)
        is left out, and so is every other file of its slug; this never raises,
        so that ``flashpoint check`` reports the problems as findings."""
        bad = {slug for _error, slug in self._layout_problems()}
        return {slug: path for slug, path in self._document_files() if slug not in bad}

    def claims_files(self) -> dict[str, Path]:
        """Claims files by slug. Raises the first of ``layout_problems()`` (InputError):
        ``flashpoint build`` lists the claims files right after the documents, before it
        reads anything, so a project with an unsafe or ambiguous layout stops here.
        ``flashpoint check`` uses ``claims_files_unvalidated`` and reports the problems as findings."""
        return self._claims_files(validate=True)

    def claims_files_unvalidated(self) -> dict[str, Path]:
        """``claims_files()`` without the layout check, leaving out the files with a layout problem."""
        bad = {slug for _error, slug in self._layout_problems()}
        return {slug: path for slug, path in self._claims_files(validate=False).items() if slug not in bad}

    def _claims_files(self, validate: bool) -> dict[str, Path]:
        if validate:
            self.validate()
        if not self.claims_dir.is_dir():
            return {}
        return {p.stem: p for p in self._claims_paths()}

    def _claims_paths(self) -> list[Path]:
        """The claims files: ``*.yaml`` but not the proposals ``extract`` writes beside a reviewed file."""
        return sorted(p for p in self.claims_dir.glob("*.yaml") if not p.name.endswith(PROPOSALS_SUFFIX))

    def claims_file_for(self, slug: str) -> Path:
        return self.claims_dir / f"{slug}.yaml"

    # ------------------------------------------------------------ the layout of kb/

    def validate(self) -> None:
        """Raise the first layout problem of ``kb/documents/`` and ``kb/claims/`` (InputError)."""
        problems = self.layout_problems()
        if problems:
            raise problems[0]

    def layout_problems(self) -> list[InputError]:
        """What makes a project's files unsafe or ambiguous to read, each an InputError
        at the file to fix (no line: the file as a whole):

        * a document or claims file that is a symbolic link to a file outside the
          project, or not a regular file (a link inside the project is followed);
        * a document whose file name gives an empty slug (``..txt``, ``---.md``);
        * two documents with the same slug (``NK Missile Launches.md`` and
          ``nk-missile-launches.txt``): they would share one claims file and one IRI.
        """
        return [error for error, _slug in self._layout_problems()]

    def _layout_problems(self) -> list[tuple[InputError, str]]:
        """(problem, the slug it makes unusable) pairs."""
        problems: list[tuple[InputError, str]] = []
        by_slug: dict[str, list[Path]] = {}
        root = self.root.resolve()  # once: resolving it and each file took 1.9 s (cProfile) at 1,000 documents
        if self.documents_dir.is_dir():
            folder = _resolved_inside(self.documents_dir, root)
            for path in sorted(self.documents_dir.iterdir()):
                if not _is_document_name(path) or not (path.is_file() or path.is_symlink()):
                    continue
                slug = slugify(_document_stem(path))
                outside = self._outside(path, "document", root, folder)
                if outside is not None:
                    problems.append((outside, slug))
                    continue
                if not slug:
                    problems.append((_empty_slug(path), slug))
                    continue
                by_slug.setdefault(slug, []).append(path)
        for slug, paths in by_slug.items():
            if len(paths) > 1:
                at = _least_canonical(slug, paths)
                others = ", ".join(self._rel(p) for p in paths if p != at)
                problems.append((InputError(at, None, f"{_quoted(at.name)} and {others} have the same slug {slug!r}, so they would share "
                                                      f"kb/claims/{slug}.yaml and one IRI: rename or remove one of them", rule="FP-P14"), slug))
        if self.claims_dir.is_dir():
            folder = _resolved_inside(self.claims_dir, root)
            for path in self._claims_paths():
                outside = self._outside(path, "claims file", root, folder)
                if outside is not None:
                    problems.append((outside, path.stem))
        return problems

    def _outside(self, path: Path, what: str, root: Path, folder: Path | None) -> InputError | None:
        """An InputError when ``path`` is a link out of the project or not a regular file.
        ``root``: the project's resolved root; ``folder``: the resolved folder of ``path``
        when it is inside the project (a file there that is no link is then inside too)."""
        if folder is not None and not path.is_symlink():
            return None if path.is_file() else InputError(path, None, f"this {what} is not a regular file", rule="FP-P13")
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # a dangling link, a loop
            return InputError(path, None, f"this {what} is a symbolic link to {_quoted(os.readlink(path)) if path.is_symlink() else 'nothing'} that cannot be followed", rule="FP-P13")
        if not target.is_relative_to(root):
            return InputError(path, None, f"this {what} is a symbolic link to {_quoted(str(target))}, outside the project: refused "
                                          f"(copy the file into the project instead)", rule="FP-P13")
        if not target.is_file():
            return InputError(path, None, f"this {what} is not a regular file", rule="FP-P13")
        return None

    def _document_files(self) -> list[tuple[str, Path]]:
        if not self.documents_dir.is_dir():
            return []
        return [(slugify(_document_stem(p)), p) for p in sorted(self.documents_dir.iterdir())
                if _is_document_name(p) and (p.is_file() or p.is_symlink())]

    def _rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def _resolved_inside(folder: Path, root: Path) -> Path | None:
    """``folder`` resolved, or None when it is (a link to) a folder outside ``root``."""
    resolved = folder.resolve()
    return resolved if resolved.is_relative_to(root) else None


def document_slug(path: Path) -> str:
    """The slug of a document (its IRI and claims file name); InputError when empty."""
    slug = slugify(_document_stem(path))
    if not slug:
        raise _empty_slug(path)
    return slug


def _is_document_name(path: Path) -> bool:
    return path.suffix in DOCUMENT_SUFFIXES or path.name in DOCUMENT_SUFFIXES  # ".txt" has no suffix for pathlib


def _document_stem(path: Path) -> str:
    """The name without its document suffix ('' for '.txt', where pathlib's stem is '.txt')."""
    return "" if path.name in DOCUMENT_SUFFIXES else path.stem


def _empty_slug(path: Path) -> InputError:
    return InputError(path, None, f"the file name {_quoted(path.name)} gives an empty slug (a slug is made of the letters and digits of the name): rename the document",
                      rule="FP-P15")


def _quoted(text: str) -> str:
    return shorten(text, 120)


def _least_canonical(slug: str, paths: list[Path]) -> Path:
    """Of files sharing a slug, the one to report: one not named after its slug, else the last."""
    odd = [p for p in paths if p.stem != slug]
    return odd[-1] if odd else paths[-1]


def is_project(folder: Path) -> bool:
    return (folder / "kb" / "documents").is_dir() or (folder / "kb" / "claims").is_dir()


def find_project(explicit: Path | None = None, start: Path | None = None) -> Project:
    """``--project DIR``, or the current folder or its nearest parent that is a KG project."""
    if explicit is not None:
        if not explicit.is_dir():
            raise UsageError(f"--project {explicit}: no such folder")
        if not is_project(explicit):
            raise UsageError(f"{explicit} is not a KG project (no kb/documents/); create one with `flashpoint init {explicit}`")
        return Project(explicit.resolve())
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return Project(folder)
    raise UsageError(f"no KG project in {here} or its parents (no kb/documents/); use --project DIR or `flashpoint init DIR`")
