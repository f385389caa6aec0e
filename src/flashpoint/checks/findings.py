"""A finding: one defect that `flashpoint check` reports, and where to fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}


@dataclass
class Finding:
    """One defect.

    ``file`` is relative to the project root (POSIX separators) where the
    file is inside the project, else absolute; ``line`` is 1-based or None
    (the whole file). ``subject`` is the IRI of the node the finding is about,
    ``claim`` the IRI of the claim that produced it (when there is one), and
    ``quote`` / ``sentence`` that claim's quote and the sentence around it.
    """

    rule: str
    severity: str
    message: str
    file: str | None = None
    line: int | None = None
    subject: str | None = None
    claim: str | None = None
    quote: str | None = None
    sentence: str | None = None
    check: str = "rules"  # provenance | shacl | rules | owl
    details: list[str] = field(default_factory=list)

    def key(self) -> tuple:
        """Two findings with the same key are one (e.g. a SHACL shape and a SPARQL rule of the same id)."""
        return (self.rule, self.file or "", self.line or 0, self.claim or self.subject or "")

    def sort_key(self) -> tuple:
        return (self.file or "~", self.line or 0, -SEVERITY_RANK[self.severity], self.rule, self.message)

    def to_json(self) -> dict:
        data = asdict(self)
        return data


def deduplicate(findings: list[Finding]) -> list[Finding]:
    """Merge findings with the same key (keeping the most severe), sorted by file and line."""
    merged: dict[tuple, Finding] = {}
    for f in findings:
        old = merged.get(f.key())
        if old is None or SEVERITY_RANK[f.severity] > SEVERITY_RANK[old.severity] or (f.check == "rules" and old.check == "shacl" and f.severity == old.severity):
            if old is not None and not f.details:
                f.details = old.details
            merged[f.key()] = f
    return sorted(merged.values(), key=Finding.sort_key)
