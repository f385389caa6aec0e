"""The ``flashpoint`` command line: one verb per command (see docs and cli.md).

Exit statuses: 0 success, 1 findings (``check``), 2 usage or input error. A
``FlashpointError`` is printed as one or two lines, never as a traceback; set
FLASHPOINT_DEBUG=1 to see the traceback of an unexpected failure.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from flashpoint import __version__
from flashpoint.errors import FlashpointError, UsageError
from flashpoint.project import Project, document_slug, find_project

project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The KG project (default: the current folder or its nearest parent that is one).",
)


class FlashpointGroup(click.Group):
    """Turns flashpoint's errors into short messages and exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FlashpointError as err:
            click.echo(f"flashpoint: {err}", err=True)
            ctx.exit(err.exit_status)
        except click.exceptions.Exit:
            raise
        except click.ClickException:
            raise
        except (KeyboardInterrupt, BrokenPipeError):
            ctx.exit(130)
        except Exception as err:  # an unexpected failure: a bug, said plainly
            if os.environ.get("FLASHPOINT_DEBUG"):
                raise
            click.echo(f"flashpoint: internal error: {type(err).__name__}: {err} (set FLASHPOINT_DEBUG=1 for the traceback)", err=True)
            ctx.exit(3)


@click.group(cls=FlashpointGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flashpoint")
def main() -> None:
    """flashpoint: analytic prose about security crises → a checked, queryable knowledge graph."""


def _progress(stage: str, done: int, total: int) -> None:
    """One overwritten status line on a terminal; silent in pipes and CI logs."""
    if sys.stderr.isatty():
        count = f" {done}/{total}" if total > 1 else ""
        click.echo(f"\r\033[K  {stage}{count}", err=True, nl=False)
        if "writing" in stage:
            click.echo("", err=True)


# ------------------------------------------------------------------ init


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """Create an empty KG project in DIRECTORY (with the bundled competency queries)."""
    from flashpoint.vocab import package_folder

    if (directory / "kb").exists():
        raise UsageError(f"{directory} already has a kb/ folder; not overwriting it")
    for sub in ("kb/documents", "kb/claims", "queries"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    for query in sorted(package_folder("queries").glob("*.rq")):
        shutil.copyfile(query, directory / "queries" / query.name)
    (directory / ".gitignore").write_text(".flashpoint/\n")
    click.echo(f"created a KG project in {directory}: put documents in kb/documents/, then run `flashpoint build`")


# ------------------------------------------------------------------ extract / add


@main.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=None, help="Folder for the claims files (default: the project's kb/claims/, or beside each document).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, help="Drop claims whose rule is less precise than this.")
@project_option
def extract(documents: tuple[Path, ...], out_dir: Path | None, min_confidence: float, project_dir: Path | None) -> None:
    """Propose a claims file for each document, for review. Touches no store."""
    project = _optional_project(project_dir, needed=project_dir is not None)
    if out_dir is None and project is not None:
        out_dir = project.claims_dir
    for doc in documents:
        if not doc.is_file():
            raise UsageError(f"{doc}: no such file")
    staged: list[tuple[Path, Path]] = []  # (temporary file, claims file)
    try:  # every document is extracted (to a temporary file) before any is put in place
        for doc in documents:
            target = (out_dir or doc.parent) / f"{document_slug(doc)}.yaml"
            staged.append((_extract_to(doc, target, project, min_confidence), target))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(temporary, target)
        click.echo(f"wrote {target}")


def _with_progress(claims, name: str, every: int = 500):
    """Pass claims through, showing on a terminal how far a long document has got."""
    count = 0
    for count, claim in enumerate(claims, 1):
        if count % every == 0:
            _progress(f"extracting {name}: sentence {claim['sentence']:,}, {count:,} claims", 0, 1)
        yield claim
    if count >= every and sys.stderr.isatty():
        click.echo("", err=True)  # end the status line


def _extract_to(doc: Path, target: Path, project: Project | None, min_confidence: float, name: str | None = None) -> Path:
    """Stream the claims of ``doc`` into a temporary file beside ``target``;
    memory stays flat however long the document is."""
    import hashlib
    import tempfile

    from flashpoint.gazetteer import load_gazetteer
    from flashpoint.loaders.claims_file import FORMAT, write_claims_file
    from flashpoint.loaders.extract import iter_claims
    from flashpoint.loaders.text import document_title

    with doc.open("rb") as handle:
        sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        handle.seek(0)
        first = handle.read(4096).decode("utf-8", "ignore")
    gazetteer = load_gazetteer(project.gazetteer_file if project else None)
    header = {"format": FORMAT, "document": name or doc.name, "sha256": sha256, "title": document_title(first, doc.name), "reviewed": False}
    # Beside the target when its folder exists (a rename then puts it in place); nothing is created before success.
    folder = target.parent if target.parent.is_dir() else None
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".yaml.tmp", dir=folder)
    try:
        with open(handle, "w", encoding="utf-8") as out:
            claims = _with_progress(iter_claims(doc, min_confidence=min_confidence, gazetteer=gazetteer), doc.name)
            write_claims_file(out, header, claims)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


@main.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0)
@project_option
def add(documents: tuple[Path, ...], min_confidence: float, project_dir: Path | None) -> None:
    """Copy documents into kb/documents/, extract their claims files, rebuild."""
    from flashpoint.build import build as run_build

    project = find_project(project_dir)
    staged: list[tuple[Path, Path, Path, Path]] = []  # (source, document target, temporary claims, claims target)
    try:  # extract everything first: a bad document changes nothing
        for doc in documents:
            target = project.documents_dir / f"{document_slug(doc)}{doc.suffix}"
            if target.exists() and target.read_bytes() != doc.read_bytes():
                raise UsageError(f"{target} exists with other content; remove it first")
            claims_target = project.claims_file_for(document_slug(doc))
            if claims_target.exists():
                raise UsageError(f"{claims_target} exists (perhaps reviewed); remove it to extract the document again")
            staged.append((doc, target, _extract_to(doc, claims_target, project, min_confidence, name=target.name), claims_target))
    except BaseException:
        for _, _, temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    written: list[Path] = []
    try:
        for doc, target, temporary, claims_target in staged:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                shutil.copyfile(doc, target)
                written.append(target)
            claims_target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(temporary, claims_target)
            written.append(claims_target)
            click.echo(f"added {target.relative_to(project.root)} and {claims_target.relative_to(project.root)}")
        report = run_build(project, progress=_progress)
    except BaseException:
        for path in written:  # the project as it was before: no half-added documents
            path.unlink(missing_ok=True)
        raise
    for line in report.lines():
        click.echo(line)


# ------------------------------------------------------------------ build


@main.command()
@click.option("--force", is_flag=True, help="Rebuild everything, even what did not change.")
@project_option
def build(force: bool, project_dir: Path | None) -> None:
    """Build the store from kb/: ontology, documents, claims, the reasoner's inferences."""
    from flashpoint.build import build as run_build

    project = find_project(project_dir)
    report = run_build(project, progress=_progress, force=force)
    for line in report.lines():
        click.echo(line)


# ------------------------------------------------------------------ check


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True, help="The lowest severity that makes the exit status 1.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Write the report to a file instead of standard output.")
@project_option
def check(fmt: str, fail_on: str, output: Path | None, project_dir: Path | None) -> None:
    """SHACL shapes, OWL consistency, integrity rules and provenance; exit 1 on findings."""
    from flashpoint.checks import run_checks

    project = find_project(project_dir)
    text, status = run_checks(project, fmt=fmt, fail_on=fail_on, color=output is None and sys.stdout.isatty())
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    sys.exit(status)


# ------------------------------------------------------------------ query


@main.command()
@click.argument("q", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--all", "run_all", is_flag=True, help="Run every competency question (queries/cqNN-*.rq) in turn.")
@click.option("--list", "list_only", is_flag=True, help="List the project's queries.")
@project_option
def query(q: str | None, fmt: str, run_all: bool, list_only: bool, project_dir: Path | None) -> None:
    """Run Q (a .rq file, a query name such as cq01, or SPARQL text) over all graphs."""
    from flashpoint import query as queries
    from flashpoint.store import open_read_only

    project = _optional_project(project_dir, needed=not list_only)
    if list_only:
        for named in queries.list_queries(project):
            click.echo(f"{named.path.stem:40} {named.title}")
        return
    if not run_all and not q:
        raise UsageError("give a query (a .rq file, a name such as cq01, or SPARQL text), or --all")
    selected = queries.competency_queries(project) if run_all else [queries.resolve(q, project)]
    store = open_read_only(project.store_dir)
    for named in selected:
        results = queries.run(store, named)
        if run_all:
            click.echo(f"\n== {named.title}")
        click.echo(queries.format_results(results, fmt), nl=False)


def _optional_project(project_dir: Path | None, needed: bool = True) -> Project | None:
    try:
        return find_project(project_dir)
    except UsageError:
        if needed:
            raise
        return None


# ------------------------------------------------------------------ export


@main.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"]), required=True)
@click.option("--graph", type=click.Choice(["all", "world", "claims", "ontology", "inferred"]), default="all", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None, help="File to write (default: standard output).")
@project_option
def export(fmt: str, graph: str, output: Path | None, project_dir: Path | None) -> None:
    """Write the KB (or one layer of it) deterministically: the same KB gives the same bytes."""
    from flashpoint.export import export as run_export
    from flashpoint.store import open_read_only

    project = find_project(project_dir)
    data = run_export(open_read_only(project.store_dir), fmt, graph)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)
    else:
        sys.stdout.buffer.write(data)


# ------------------------------------------------------------------ serve / push


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@project_option
def serve(port: int, project_dir: Path | None) -> None:
    """A SPARQL 1.1 Protocol endpoint on 127.0.0.1 over the store (read-only)."""
    from flashpoint.serve import serve as run_serve

    project = find_project(project_dir)
    run_serve(project, port=port)


@main.command()
@click.argument("endpoint")
@click.option("--user", default=None, help="user:password for HTTP basic authentication.")
@project_option
def push(endpoint: str, user: str | None, project_dir: Path | None) -> None:
    """Send the KB to a remote store over the SPARQL 1.1 Graph Store Protocol, one named graph per document."""
    from flashpoint.push import push as run_push
    from flashpoint.store import open_read_only

    project = find_project(project_dir)
    for line in run_push(open_read_only(project.store_dir), endpoint, user=user):
        click.echo(line)


if __name__ == "__main__":
    main()
