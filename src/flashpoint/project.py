"""A KG project: ``kb/documents/``, ``kb/claims/``, ``queries/`` and its store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flashpoint.errors import UsageError
from flashpoint.identity import slugify
from flashpoint.vocab import ONTOLOGY_FILES

DOCUMENT_SUFFIXES = (".txt", ".md")
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
        """Documents by slug."""
        docs: dict[str, Path] = {}
        if self.documents_dir.is_dir():
            for path in sorted(self.documents_dir.iterdir()):
                if path.suffix in DOCUMENT_SUFFIXES and path.is_file():
                    docs[document_slug(path)] = path
        return docs

    def claims_files(self) -> dict[str, Path]:
        if not self.claims_dir.is_dir():
            return {}
        return {p.stem: p for p in sorted(self.claims_dir.glob("*.yaml"))}

    def claims_file_for(self, slug: str) -> Path:
        return self.claims_dir / f"{slug}.yaml"


def document_slug(path: Path) -> str:
    return slugify(path.stem)


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
