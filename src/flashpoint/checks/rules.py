"""Integrity rules as SPARQL: every ``queries/checks/*.rq`` (bundled, plus a project's own).

Each file is one rule with a header of comment lines::

    # id: FP-R01
    # severity: error
    # message: {claim} is hedged, but its triple is asserted in the world layer.
    # column claim: the hedged claim
    # ...

The query returns one row per offence. ``message`` may name columns in braces;
they are replaced with the row's values (compacted: ``fp:``, ``fpid:``). The
row points at a claims file line through ``?claim`` when it has one, otherwise
through ``?subject`` (with ``?predicate`` / ``?object`` / ``?graph`` when it has
them): see KB.locate.

A rule about two claims of different documents (``?claim`` and ``?other``, as
FP-R04) may add ``# message at other:``: the row is then reported at both files,
at the other claim with that message (worded from its side).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import re
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from flashpoint.checks.findings import SEVERITIES, Finding
from flashpoint.checks.kb import KB
from flashpoint.errors import InputError
from flashpoint.vocab import PREFIXES, compact, package_folder

_HEADER = re.compile(r"^#\s*(id|severity|message at other|message|column\s+\w+)\s*:\s*(.*)$")


@dataclass
class Rule:
    id: str
    severity: str
    message: str
    columns: dict[str, str]
    query: str
    path: Path
    other_message: str | None = None  # the message at ``?other``'s file, when the rule reports there too


def parse_rule(path: Path) -> Rule:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    columns: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if match:
            key, value = match.group(1), match.group(2).strip()
            if key.startswith("column"):
                columns[key.split()[1]] = value
            else:
                header[key] = value
    for key in ("id", "severity", "message"):
        if key not in header:
            raise InputError(path, 1, f"the rule's header has no `# {key}:` line")
    if header["severity"] not in SEVERITIES:
        raise InputError(path, 1, f"severity {header['severity']!r} is not one of {', '.join(SEVERITIES)}")
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    prologue += "PREFIX fpc: <https://w3id.org/flashpoint/checks#>\n"
    return Rule(header["id"], header["severity"], header["message"], columns, prologue + text, path,
                header.get("message at other"))


def rule_files(project_root: Path | None) -> list[Path]:
    files = {p.name: p for p in sorted(package_folder("queries").joinpath("checks").glob("*.rq"))}
    if project_root is not None and (project_root / "queries" / "checks").is_dir():
        for p in sorted((project_root / "queries" / "checks").glob("*.rq")):
            files[p.name] = p  # a project's rule of the same name replaces the bundled one
    return [files[name] for name in sorted(files)]


def load_rules(project_root: Path | None) -> list[Rule]:
    return [parse_rule(p) for p in rule_files(project_root)]


def _value(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, Literal):
        return str(term)
    return str(term)


def _show(term) -> str:
    if isinstance(term, NamedNode):
        return compact(term.value)
    if isinstance(term, Literal):
        return term.value
    return str(term)


def run(kb: KB, rules: list[Rule] | None = None, use_cache: bool = True) -> list[Finding]:
    """Every rule's rows as findings, in a stable order (a finding that merges with another one of
    the same file and line must not depend on the order the engine returns rows in).

    The rows are kept in ``.flashpoint/check-cache/rules.json`` under a key of the rules' text,
    this code and the hash of every graph of the store (``shacl.unit_hashes``): while nothing
    changed, no rule runs. The rules read the union of all graphs (FP-R02 and FP-R07 ask whether
    *any* claim supports or names a node, FP-R04 and FP-R06 compare documents), so after a change
    they all run again; a row's file and line are looked up afresh every time (``kb.locate``)."""
    from flashpoint.checks import cache, shacl

    rules = rules if rules is not None else load_rules(kb.project.root)
    path = kb.project.root / ".flashpoint" / "check-cache" / "rules.json"
    key = cache.digest(cache.code_fingerprint(), *[f"{r.id}\n{r.severity}\n{r.message}\n{r.query}" for r in rules],
                            kb.model.fingerprint() if kb.model is not None else "",
                            *[f"{g} {h}" for g, h in sorted(shacl.unit_hashes(kb).items())])
    cached = cache.read(path, key) if use_cache else None
    if cached is not None:
        rows = _parse_rows(cached)
    else:
        # two at a time: pyoxigraph evaluates a query without the GIL, and the rules are independent
        with ThreadPoolExecutor(2, thread_name_prefix="flashpoint-rule") as pool:
            rows = list(zip(rules, pool.map(lambda rule: _rows(kb, rule), rules)))
        if use_cache:
            cache.write(path, key, [[rule.id, [{k: str(v) for k, v in row.items()} for row in found]] for rule, found in rows])
    if cached is not None:
        by_id = {rule.id: rule for rule in rules}
        rows = [(by_id[rule_id], found) for rule_id, found in rows]
    return [f for rule, found in rows for row in found for f in _findings(kb, rule, row)]


def _findings(kb: KB, rule: Rule, values: dict) -> list[Finding]:
    """The row's finding; and, for a rule with a message for the other side, the same row at
    ``?other``'s claim when that is in another file: each file involved is told."""
    first = _finding(kb, rule, values)
    other = _value(values.get("other"))
    if rule.other_message is None or other not in kb.claims or kb.claims[other].file == first.file:
        return [first]
    second = _finding(kb, rule, values, rule.other_message)
    kb.claim_finding(second, other, values.get("key") and values["key"].value)
    return [first, second]


def _rows(kb: KB, rule: Rule) -> list[dict]:
    try:
        solutions = kb.store.query(rule.query, use_default_graph_as_union=True)
    except SyntaxError as err:
        raise InputError(rule.path, None, f"SPARQL syntax error: {err}") from None
    variables = [v.value for v in solutions.variables]
    rows = [{name: row[name] for name in variables if row[name] is not None} for row in solutions]
    return sorted(rows, key=lambda row: sorted((k, str(v)) for k, v in row.items()))


def _parse_rows(cached: list) -> list[tuple[str, list[dict]]]:
    """Rows read back from the memo: the terms (N-Triples) parsed in one go."""
    from pyoxigraph import RdfFormat, parse

    terms = [t for _rule, found in cached for row in found for t in row.values()]
    if terms:
        parsed = [t.object for t in parse("".join(f"<urn:x> <urn:x> {t} .\n" for t in terms), format=RdfFormat.N_TRIPLES)]
    else:
        parsed = []
    it = iter(parsed)
    return [(rule_id, [{k: next(it) for k in row} for row in found]) for rule_id, found in cached]


def _finding(kb: KB, rule: Rule, values: dict, template: str | None = None) -> Finding:
    message = re.sub(r"\{(\w+)\}", lambda m: _show(values.get(m.group(1))) if values.get(m.group(1)) is not None else m.group(0),
                     template or rule.message)
    f = Finding(rule.id, rule.severity, message, check="rules",
                details=[f"{name} = {_show(v)}" for name, v in values.items() if v is not None])
    claim = _value(values.get("claim"))
    if claim and claim in kb.claims:
        f.subject = _value(values.get("subject"))
        kb.claim_finding(f, claim, values.get("key") and values["key"].value)
    else:
        kb.locate(f, _value(values.get("subject")), _value(values.get("predicate")), _value(values.get("object")), _value(values.get("graph")))
    return f
