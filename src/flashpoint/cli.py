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
    """Create an empty KG project in DIRECTORY (with the bundled competency queries, as templates)."""
    from flashpoint.query import template_files

    if (directory / "kb").exists():
        raise UsageError(f"{directory} already has a kb/ folder; not overwriting it")
    for sub in ("kb/documents", "kb/claims", "queries"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    for query in template_files():  # the competency questions, parameterised: no actor hard-coded
        shutil.copyfile(query, directory / "queries" / query.name)
    (directory / ".gitignore").write_text(".flashpoint/\n")
    click.echo(f"created a KG project in {directory}: put documents in kb/documents/, then run `flashpoint build`")


# ------------------------------------------------------------------ extract / add


@main.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=None, help="Folder for the claims files (default: the project's kb/claims/, or beside each document).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, help="Drop claims whose rule is less precise than this.")
@click.option("--force", is_flag=True, help="Overwrite an existing claims file that nobody reviewed (reviewed: false). A reviewed one is never overwritten: the proposals go to SLUG.proposed.yaml beside it.")
@click.option("--proposals", is_flag=True, help="Write SLUG.proposed.yaml beside the claims file (to compare with it) instead of the claims file itself.")
@project_option
def extract(documents: tuple[Path, ...], out_dir: Path | None, min_confidence: float, force: bool, proposals: bool, project_dir: Path | None) -> None:
    """Propose a claims file for each document, for review. Touches no store and
    never overwrites a reviewed claims file."""
    from flashpoint.errors import InputError

    project = _optional_project(project_dir, needed=project_dir is not None)
    if out_dir is None and project is not None:
        out_dir = project.claims_dir
    for doc in documents:
        if not doc.is_file():
            raise UsageError(f"{doc}: no such file")
    plans: list[tuple[Path, Path, Path, str | None]] = []  # (document, claims file, file to write, note)
    refusals: list[InputError] = []
    for doc in documents:  # decide every target before extracting anything
        claims = (out_dir or doc.parent) / f"{document_slug(doc)}.yaml"
        if any(claims == planned for _, planned, _, _ in plans):
            raise UsageError(f"{doc}: another document of the same name also gives {claims}; extract them separately")
        try:
            plans.append((doc, claims, *_extract_target(claims, force, proposals)))
        except InputError as err:
            refusals.append(err)
    if refusals:
        if len(documents) == 1:
            raise refusals[0]
        for err in refusals:
            click.echo(f"flashpoint: {err}", err=True)
        raise UsageError(f"nothing written: {len(refusals)} of {len(documents)} claims files would have been overwritten")
    staged: list[Path] = []  # temporary files, in the order of plans
    try:  # every document is extracted (to a temporary file) before any is put in place
        for doc, _, target, _ in plans:
            staged.append(_extract_to(doc, target, project, min_confidence))
        with _writer_lock(project, "extract"):
            for _, claims, target, _ in plans:  # a file created or reviewed meanwhile is not overwritten either
                if _extract_target(claims, force, proposals)[0] != target:
                    raise UsageError(f"{claims} changed while extracting; nothing written")
            for temporary, (_, _, target, note) in zip(staged, plans):
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(temporary, target)
                click.echo(note or f"wrote {target}")
    except BaseException:
        for temporary in staged:
            temporary.unlink(missing_ok=True)
        raise


def _writer_lock(project: Project | None, command: str):
    """The project lock for a command that writes kb/ files (nothing to lock outside a project)."""
    import contextlib

    from flashpoint.lock import project_lock

    return project_lock(project.root, command) if project is not None else contextlib.nullcontext()


def _extract_target(claims: Path, force: bool, proposals: bool) -> tuple[Path, str | None]:
    """Where `extract` may write its proposals for the claims file ``claims``, and
    what to say when that is not a plain new file. Raises InputError when nothing
    may be written: extract never destroys a person's work."""
    from flashpoint.errors import InputError

    proposed = claims.with_name(f"{claims.stem}.proposed.yaml")
    if not proposals and not claims.exists():
        return claims, None
    if not proposals:
        why_kept = _reviewed_state(claims)
        if why_kept is None:  # reviewed: false, proposals nobody has reviewed yet
            if not force:
                raise InputError(claims, None, "exists (reviewed: false); not overwriting it", hint=f"--force replaces it; --proposals writes the new proposals to {proposed.name} beside it")
            return claims, f"wrote {claims} (replaced the unreviewed file)"
        if not force:
            raise InputError(claims, None, f"exists and {why_kept}; not overwriting it", hint=f"--proposals (or --force) writes the new proposals to {proposed.name} beside it; `flashpoint reanchor` fixes the offsets when only the document's text moved")
        note = f"{claims} {why_kept}: kept it, wrote the proposals to {proposed} instead"
    else:
        note = f"wrote {proposed} (proposals to compare with {claims.name})"
    if proposed.exists():
        why_kept = _reviewed_state(proposed)
        if why_kept is not None:
            raise InputError(proposed, None, f"exists and {why_kept}; not overwriting it", hint=f"move what you reviewed into {claims.name}, or remove {proposed.name}")
        if not force:
            raise InputError(proposed, None, "exists; not overwriting it", hint="--force replaces it")
    return proposed, note


def _reviewed_state(path: Path) -> str | None:
    """None when the claims file at ``path`` says ``reviewed: false``; otherwise why
    it must be kept (a file without ``reviewed`` counts as reviewed, as in the build)."""
    import yaml

    try:
        data = yaml.safe_load(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return "cannot be read as YAML, so it may hold someone's work"
    if not isinstance(data, dict) or "reviewed" not in data:
        return "does not say reviewed: false (a claims file without it counts as reviewed)"
    if data["reviewed"] is False:
        return None
    return "is reviewed (reviewed: true)" if data["reviewed"] is True else f"says reviewed: {data['reviewed']!r}"


@main.command()
@click.argument("claims_files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--keep-missing", is_flag=True, help="Write even when some quotes are no longer in their document: those claims stay as they were, and the build points at them until they are fixed or deleted.")
@project_option
def reanchor(claims_files: tuple[Path, ...], dry_run: bool, keep_missing: bool, project_dir: Path | None) -> None:
    """After a document was edited: recompute each claim's sentence, start and end
    from its quote, and the file's sha256 (default: every claims file of the project).
    Only those numbers change; comments, notes and `reviewed` stay as they are."""
    from flashpoint.errors import InputError
    from flashpoint.loaders.reanchor import plan_reanchor

    project = _optional_project(project_dir, needed=project_dir is not None or not claims_files)
    if claims_files:
        paths = list(claims_files)
        for path in paths:
            if not path.is_file():
                raise UsageError(f"{path}: no such file")
    else:
        paths = [p for p in project.claims_files().values() if not p.name.endswith(".proposed.yaml")]
        if not paths:
            raise UsageError(f"no claims files in {project.claims_dir}")
    plans = [plan_reanchor(path, documents_dir=project.documents_dir if project else None) for path in paths]

    def shown(path: Path) -> str:  # kb/claims/x.yaml, as a reviewer finds it
        for base in (project.root if project else None, Path.cwd().resolve()):
            if base is not None and path.resolve().is_relative_to(base):
                return str(path.resolve().relative_to(base))
        return str(path)

    missing = sum(len(plan.missing) for plan in plans)
    writing = not dry_run and (keep_missing or not missing)
    for plan in plans:
        name = shown(plan.path)
        note = "" if writing or not plan.changed else " (dry run: nothing written)" if dry_run else " (nothing written)"
        click.echo(plan.summary(name) + note)
        for line in plan.details(name):
            click.echo(line)
        for line in plan.problems(name):
            click.echo(line, err=True)
    if missing and not keep_missing:
        raise InputError(
            None, None,
            f"{missing} quote{' is' if missing == 1 else 's are'} no longer in {'its' if missing == 1 else 'their'} document; nothing written",
            hint="fix or delete those claims (or their quotes), then run reanchor again; --keep-missing writes the others and leaves these as they are",
        )
    if writing:
        with _writer_lock(project, "reanchor"):
            for plan in plans:
                if plan.changed:
                    plan.write()
        if missing:
            click.echo(f"{missing} claim{'' if missing == 1 else 's'} left as {'it was' if missing == 1 else 'they were'}: `flashpoint build` refuses {'it' if missing == 1 else 'them'} until fixed or deleted", err=True)


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
    memory stays flat however long the document is. Proposals that cannot hold
    under the project's ontology are dropped, and the count is reported."""
    import hashlib
    import tempfile

    from flashpoint.loaders.claims_file import FORMAT, write_claims_file
    from flashpoint.loaders.extract import Dropped, iter_claims
    from flashpoint.loaders.text import document_title
    from flashpoint.model import load_model

    with doc.open("rb") as handle:
        sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        handle.seek(0)
        first = handle.read(4096).decode("utf-8", "ignore")
    model = load_model(project)  # the bundled ontology and gazetteer with the project's extensions
    dropped = Dropped()
    header = {"format": FORMAT, "document": name or doc.name, "sha256": sha256, "title": document_title(first, doc.name), "reviewed": False}
    # Beside the target when its folder exists (a rename then puts it in place); nothing is created before success.
    folder = target.parent if target.parent.is_dir() else None
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".yaml.tmp", dir=folder)
    try:
        with open(handle, "w", encoding="utf-8") as out:
            claims = _with_progress(iter_claims(doc, min_confidence=min_confidence, gazetteer=model.gazetteer, ontology=model, dropped=dropped), doc.name)
            write_claims_file(out, header, claims)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if dropped.summary():
        click.echo(f"{doc.name}: {dropped.summary()}", err=True)
    return Path(temporary)


@main.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0)
@click.option("--no-wait", is_flag=True, help="Exit with status 2 at once if another command holds the project lock, instead of waiting.")
@project_option
def add(documents: tuple[Path, ...], min_confidence: float, no_wait: bool, project_dir: Path | None) -> None:
    """Copy documents into kb/documents/, extract their claims files, rebuild."""
    from flashpoint.lock import project_lock

    project = find_project(project_dir)
    with project_lock(project.root, "add", wait=not no_wait):  # the copy, the claims files and the build: one writer
        _add(project, documents, min_confidence)


def _add(project: Project, documents: tuple[Path, ...], min_confidence: float) -> None:
    from flashpoint.build import build as run_build

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


no_wait_option = click.option("--no-wait", is_flag=True, help="Exit with status 2 at once if another command holds the project lock, instead of waiting.")


@main.command()
@click.option("--force", is_flag=True, help="Rebuild everything, even what did not change.")
@no_wait_option
@project_option
def build(force: bool, no_wait: bool, project_dir: Path | None) -> None:
    """Build the store from kb/: ontology, documents, claims, the reasoner's inferences."""
    from flashpoint.build import build as run_build

    project = find_project(project_dir)
    report = run_build(project, progress=_progress, force=force, wait=not no_wait)
    for line in report.lines():
        click.echo(line)


# ------------------------------------------------------------------ check


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True, help="The lowest severity that makes the exit status 1.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Write the report to a file instead of standard output.")
@click.option("--require-reviewed", is_flag=True, help="Every document's claims must be reviewed: an unreviewed claims file, or a document without one, is an error (for CI).")
@project_option
def check(fmt: str, fail_on: str, output: Path | None, require_reviewed: bool, project_dir: Path | None) -> None:
    """SHACL shapes, OWL consistency, integrity rules and provenance; exit 1 on findings."""
    from flashpoint.checks import run_checks

    project = find_project(project_dir)
    text, status = run_checks(project, fmt=fmt, fail_on=fail_on, color=output is None and sys.stdout.isatty(), reviewed=require_reviewed)
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
@click.option("--timeout", type=click.FloatRange(min=0), default=None, help="Stop a query still running after SECONDS (exit status 2); 0 = no limit. Default: $FLASHPOINT_QUERY_TIMEOUT or 60.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind a parameter of a parameterised query, e.g. --param actor=iran (a gazetteer id, a Wikidata item or an IRI; several: actor=iran,israel). Defaults: queries/params.yaml.")
@click.option("--allow-service", is_flag=True, help="Permit SERVICE: the query may then send requests to other SPARQL endpoints over the network.")
@click.option("--reviewed-only", is_flag=True, help="Leave out the documents whose claims no person reviewed (fp:reviewed false) and the inferences drawn from them.")
@project_option
def query(q: str | None, fmt: str, run_all: bool, list_only: bool, timeout: float | None, params: tuple[str, ...], allow_service: bool, reviewed_only: bool, project_dir: Path | None) -> None:
    """Run Q (a .rq file, a query name such as cq01, or SPARQL text) over all graphs."""
    from flashpoint import query as queries

    project = _optional_project(project_dir, needed=not list_only)
    if list_only:
        for named in queries.list_queries(project):
            click.echo(f"{named.path.stem:40} {named.title}")
        return
    if not run_all and not q:
        raise UsageError("give a query (a .rq file, a name such as cq01, or SPARQL text), or --all")
    given = queries.parse_params(params)
    selected = queries.competency_queries(project) if run_all else [queries.resolve(q, project)]
    if given and not run_all:  # a parameter named on the command line must be one of the query's
        queries.bind_params(selected[0], given, project, strict=True)
    # the project's defaults (queries/params.yaml), overridden by --param; queries without them run as they are
    bound = {**queries.project_params(project), **given}
    selected = [queries.bind_params(named, bound, project, strict=False) for named in selected]
    limits = queries.Limits(
        timeout=queries.default_timeout() if timeout is None else timeout,
        max_bytes=queries.default_max_bytes(),
        max_memory=queries.default_max_memory(),
        width=shutil.get_terminal_size((100, 24)).columns,
    )
    for named in selected:
        answer = queries.execute(project.store_dir, named, fmt, limits, allow_service=allow_service, reviewed_only=reviewed_only)
        if run_all:
            click.echo(f"\n== {named.title}")
        click.echo(answer, nl=False)


def _optional_project(project_dir: Path | None, needed: bool = True) -> Project | None:
    try:
        return find_project(project_dir)
    except UsageError:
        if needed:
            raise
        return None


# ------------------------------------------------------------------ export


@main.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "html"]), required=True,
              help="An RDF format, or html: the graph picture of /graph as one self-contained page.")
@click.option("--graph", type=click.Choice(["all", "world", "claims", "hypothetical", "ontology", "inferred"]), default="all", show_default=True)
@click.option("--actor", default=None, help="html: the claims around this actor (gazetteer id, label, Wikidata item or IRI).")
@click.option("--predicate", default=None, help="html: only these predicates, comma-separated (triggers,causes,…).")
@click.option("--modality", default=None, help="html: only these modalities, comma-separated (asserted, hedged, possible, …).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None, help="File to write (default: standard output).")
@project_option
def export(fmt: str, graph: str, actor: str | None, predicate: str | None, modality: str | None, output: Path | None, project_dir: Path | None) -> None:
    """Write the KB (or one layer of it) deterministically: the same KB gives the same bytes."""
    from flashpoint.export import export as run_export
    from flashpoint.store import open_read_only

    project = find_project(project_dir)
    if fmt == "html":
        from flashpoint.web.graphdata import parse_filters
        from flashpoint.web.picture import picture_html

        filters = parse_filters(actor, predicate, modality, None, project)
        data = picture_html(open_read_only(project.store_dir), filters, title=project.root.resolve().name)
    elif actor or predicate or modality:
        raise UsageError("--actor, --predicate and --modality are options of --format html")
    else:
        data = run_export(open_read_only(project.store_dir), fmt, graph)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)
    else:
        sys.stdout.buffer.write(data)


# ------------------------------------------------------------------ serve / push


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="Port to listen on (0: a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; other than loopback needs --allow-remote.")
@click.option("--allow-remote", is_flag=True, help="Allow --host to be an address other computers can reach.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, help="Stop a query after this many seconds.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN", help="Allow browser pages of ORIGIN to query (repeatable); off by default.")
@click.option("--engine", type=click.Choice(["inprocess", "proxy"]), default="inprocess", show_default=True,
              help="inprocess: N worker processes answering with pyoxigraph; proxy: one front and an `oxigraph serve-read-only` child.")
@click.option("--workers", type=click.IntRange(0, 64), default=0, help="Worker processes of the inprocess engine (0: one per CPU, at least 2).")
@project_option
def serve(port: int, host: str, allow_remote: bool, timeout: float, cors: tuple[str, ...], engine: str, workers: int,
          project_dir: Path | None) -> None:
    """A SPARQL 1.1 Protocol endpoint on 127.0.0.1 over the store (read-only, no SERVICE); serves each new build without a restart."""
    from flashpoint.serve import serve as run_serve

    project = find_project(project_dir)
    run_serve(project, port=port, host=host, timeout=timeout, cors=cors, allow_remote=allow_remote, engine=engine, workers=workers)


@main.command()
@click.argument("doc", required=False)
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Print the URL, do not open a browser.")
@project_option
def review(doc: str | None, port: int, no_browser: bool, project_dir: Path | None) -> None:
    """Review claims in the browser: a local app on 127.0.0.1 behind a token (the URL is the first line printed)."""
    from flashpoint.review.app import run as run_review

    project = find_project(project_dir)
    slug = None
    if doc:
        slug = document_slug(Path(doc)) if doc.endswith((".txt", ".md")) else doc
        if slug not in project.documents():
            raise UsageError(f"{doc}: no such document in {project.root}/kb/documents (give its slug or file name)")
    run_review(project, slug, port=port, open_browser=not no_browser, echo=lambda line: click.echo(line, nl=True) or sys.stdout.flush())


@main.command()
@click.argument("endpoint")
@click.option("--user", default=None, metavar="USER",
              help="User for HTTP basic authentication; the password comes from FLASHPOINT_PUSH_PASSWORD or ~/.netrc "
                   "(USER:PASSWORD still works, but `ps` shows it). FLASHPOINT_PUSH_TOKEN sends a bearer token instead.")
@click.option("--query-endpoint", default=None, metavar="URL",
              help="The remote's SPARQL query endpoint, asked which graphs it holds (default: guessed from ENDPOINT: "
                   "oxigraph …/store → …/query, Fuseki …/data → …/sparql, GraphDB …/rdf-graphs/service → the repository).")
@click.option("--dry-run", is_flag=True, help="List what would be PUT, DELETEd and kept; send no write.")
@click.option("--no-prune", is_flag=True, help="Only PUT the KB's graphs: do not ask the remote for its graphs, delete none.")
@project_option
def push(endpoint: str, user: str | None, query_endpoint: str | None, dry_run: bool, no_prune: bool, project_dir: Path | None) -> None:
    """Mirror the KB into a remote store over the SPARQL 1.1 Graph Store Protocol: PUT each of its named
    graphs, DELETE those of documents that no longer exist, leave every other graph alone."""
    from flashpoint.push import push as run_push
    from flashpoint.store import open_read_only

    def clear_progress() -> None:
        if sys.stderr.isatty():
            click.echo("\r\033[K", err=True, nl=False)

    def warn(message: str) -> None:
        clear_progress()
        click.echo(f"flashpoint: warning: {message}", err=True)

    project = find_project(project_dir)
    try:
        for line in run_push(open_read_only(project.store_dir), endpoint, user=user, query_endpoint=query_endpoint,
                             dry_run=dry_run, prune=not no_prune, progress=_progress, warn=warn):
            clear_progress()
            click.echo(line)
    finally:
        clear_progress()


if __name__ == "__main__":
    main()
