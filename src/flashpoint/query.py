"""``flashpoint query``: find a query, run it over the union of all graphs, format it."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, Store
from tabulate import tabulate

from flashpoint.errors import InputError, UsageError
from flashpoint.project import Project
from flashpoint.vocab import PREFIXES, compact, package_folder

FORMATS = {"csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV, "json": QueryResultsFormat.JSON}


@dataclass
class NamedQuery:
    text: str
    path: Path | None  # None for SPARQL given on the command line

    @property
    def title(self) -> str:
        """The first comment line of the header, without the '#'."""
        for line in self.text.splitlines():
            if line.startswith("#"):
                return line.lstrip("# ").strip()
        return self.path.stem if self.path else "query"


def resolve(q: str, project: Project | None) -> NamedQuery:
    """Q is a .rq file, the name (or prefix, 'cq01') of a query under queries/, or SPARQL text."""
    path = Path(q)
    if q.endswith(".rq"):
        if not path.is_file():
            raise UsageError(f"{q}: no such query file")
        return NamedQuery(_read(path), path)
    if re.fullmatch(r"[\w.-]+", q):
        folders = ([project.queries_dir] if project else []) + [package_folder("queries")]
        for folder in folders:
            matches = sorted(folder.glob(f"{q}*.rq")) if folder.is_dir() else []
            if len(matches) == 1 or (matches and matches[0].stem == q):
                return NamedQuery(_read(matches[0]), matches[0])
            if len(matches) > 1:
                raise UsageError(f"{q!r} names several queries: {', '.join(m.name for m in matches)}")
        raise UsageError(f"no query named {q!r} under queries/ (try `flashpoint query --list`)")
    return NamedQuery(q, None)


def competency_queries(project: Project | None) -> list[NamedQuery]:
    """The project's cqNN-*.rq queries (the bundled ones when it has none)."""
    folder = project.queries_dir if project and project.queries_dir.is_dir() else package_folder("queries")
    paths = sorted(folder.glob("cq[0-9][0-9]-*.rq")) or sorted(package_folder("queries").glob("cq[0-9][0-9]-*.rq"))
    return [NamedQuery(_read(p), p) for p in paths]


def list_queries(project: Project | None) -> list[NamedQuery]:
    folder = project.queries_dir if project and project.queries_dir.is_dir() else package_folder("queries")
    return [NamedQuery(_read(p), p) for p in sorted(folder.glob("*.rq"))]


def _read(path: Path) -> str:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(path, None, f"not valid UTF-8 (byte offset {err.start})") from None
    if not text.strip():
        raise InputError(path, None, "the query file is empty")
    return text


def run(store: Store, query: NamedQuery):
    try:
        return store.query(query.text, use_default_graph_as_union=True)
    except SyntaxError as err:
        raise _syntax_error(query, str(err)) from None


def _syntax_error(query: NamedQuery, message: str) -> InputError:
    match = re.search(r"error at (\d+):(\d+)", message)
    line = int(match.group(1)) if match else None
    where = query.path if query.path else Path("<query text>")
    return InputError(where, line, f"SPARQL syntax error: {message}")


def format_results(results, fmt: str) -> str:
    if isinstance(results, QueryBoolean):
        results = bool(results)
        return {"json": '{"head":{},"boolean":%s}\n' % str(results).lower()}.get(fmt, f"{str(results).lower()}\n")
    if not isinstance(results, QuerySolutions):  # CONSTRUCT / DESCRIBE
        from pyoxigraph import RdfFormat, serialize

        return (serialize(results, format=RdfFormat.TURTLE, prefixes=PREFIXES) or b"").decode()
    if fmt == "table":
        variables = [v.value for v in results.variables]
        rows = [[_cell(solution[v]) for v in variables] for solution in results]
        return tabulate(rows, headers=variables, tablefmt="simple") + f"\n({len(rows)} rows)\n"
    buffer = io.BytesIO()
    results.serialize(buffer, format=FORMATS[fmt])
    return buffer.getvalue().decode("utf-8")


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return compact(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return term.value
    return str(term)
