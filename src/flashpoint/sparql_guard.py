"""Checks a SPARQL query's text before it reaches the engine.

Oxigraph's parser and evaluator recurse: a query nested a few thousand levels
deep (``FILTER((((…``) overflows the stack and kills the process, an update is
refused only with a confusing parser message, and ``SERVICE`` makes the store
send HTTP requests to any address the query names. ``check_query`` reads the
text once with a small SPARQL-aware lexer (strings, long strings, IRIs,
comments, variables and prefixed names are skipped as whole tokens, so a
keyword inside ``"…"`` or ``<…>`` or ``?insert`` is not one) and refuses:

* a query larger than ``max_bytes`` (1 MB by default);
* nesting of ``(``, ``{`` and ``[`` deeper than ``max_depth`` (64);
* more than ``max_chain`` operands in one flat sequence (``1+1+1…``,
  ``{…} UNION {…} UNION …``, ``a/b/c/…``, many triple patterns) — long
  chains are evaluated recursively too;
* an update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``,
  ``ADD``, ``MOVE``, ``COPY``, ``WITH``): the store is read-only;
* ``SERVICE`` (a federated query reaches the network) unless ``allow_service``.

It reports what the query is (``QueryInfo``): its form, whether it names its
own dataset (``FROM`` / ``FROM NAMED``), whether it uses ``SERVICE``. Errors
are ``InputError`` with the line of the offending token. Used by
``flashpoint query``; meant for the HTTP endpoint as well.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from flashpoint.errors import InputError

MAX_BYTES = 1_000_000
MAX_DEPTH = 64
MAX_CHAIN = 2_000

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
OPENERS, CLOSERS = "({[", ")}]"

# The token kinds of the lexer, tried in this order at each position.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z)
             | '''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)
             | "(?:[^"\\\n]|\\.)*"?
             | '(?:[^'\\\n]|\\.)*'?)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]*)
  | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w\-:%.]|\\.)*(?<!\.)|_:[\w.\-]*(?<!\.))
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|.)
    """,
    re.VERBOSE | re.DOTALL,
)
# Operators that chain operands without nesting: each one adds a link to the chain
# of the group it is in (the group's triple patterns count too, by their '.' and ';').
_CHAIN_PUNCT = frozenset({"+", "-", "*", "/", "|", "||", "&&", "=", "!=", "<", ">", "<=", ">=", ".", ";", ","})
_CHAIN_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "VALUES", "GRAPH", "SERVICE"})


@dataclass(frozen=True)
class Token:
    kind: str  # ws, comment, string, iri, var, pname, lang, word, number, punct
    text: str
    line: int


@dataclass
class QueryInfo:
    """What a checked query is."""

    form: str | None = None  # SELECT, ASK, CONSTRUCT, DESCRIBE (None if the lexer found none)
    has_dataset: bool = False  # it names its own dataset: FROM and/or FROM NAMED
    from_graphs: list[str] = field(default_factory=list)
    uses_service: bool = False
    depth: int = 0  # the deepest nesting of (, {, [
    size: int = 0  # bytes (UTF-8)


def tokens(text: str) -> list[Token]:
    """The significant tokens of TEXT (no whitespace, no comments), with their lines."""
    out: list[Token] = []
    line = 1
    pos = 0
    n = len(text)
    while pos < n:
        match = _TOKEN.match(text, pos)
        kind = match.lastgroup
        value = match.group()
        if kind not in ("ws", "comment"):
            out.append(Token(kind, value, line))
        line += value.count("\n")
        pos = match.end()
    return out


def check_query(
    text: str,
    *,
    source: Path | None = None,
    allow_service: bool = False,
    max_depth: int = MAX_DEPTH,
    max_bytes: int = MAX_BYTES,
    max_chain: int = MAX_CHAIN,
    service_hint: str = " (use --allow-service to permit it)",
) -> QueryInfo:
    """Refuse TEXT (``InputError``, with SOURCE and the offending line) if it is too large,
    too deep, an update or uses SERVICE (unless allowed); otherwise say what it is.
    ``service_hint`` ends the SERVICE refusal (the endpoint has no way to allow it)."""
    where = source if source is not None else Path("<query text>")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise InputError(where, None, f"the query is {size:,} bytes; the limit is {max_bytes:,}")
    info = QueryInfo(size=size)
    stack: list[list[int]] = [[0]]  # per open group: [links in its chain]
    previous: Token | None = None
    for token in tokens(text):
        if token.kind == "punct" and token.text in OPENERS:
            stack.append([0])
            info.depth = max(info.depth, len(stack) - 1)
            if len(stack) - 1 > max_depth:
                raise InputError(where, token.line, f"the query is nested more than {max_depth} levels deep "
                                 "(parentheses, braces and brackets together); simplify it")
        elif token.kind == "punct" and token.text in CLOSERS:
            if len(stack) > 1:
                stack.pop()
        elif (token.kind == "punct" and token.text in _CHAIN_PUNCT) or (
            token.kind == "word" and token.text.upper() in _CHAIN_WORDS
        ):
            stack[-1][0] += 1
            if stack[-1][0] > max_chain:
                raise InputError(where, token.line, f"more than {max_chain:,} operators, patterns or UNIONs in one "
                                 "group; split the query")
        if token.kind == "word":
            word = token.text.upper()
            if word in UPDATE_KEYWORDS:
                raise InputError(where, token.line, f"{word} is an update: updates are not allowed "
                                 "(the store is read-only; change kb/ and run `flashpoint build`)")
            if word == "SERVICE":
                info.uses_service = True
                if not allow_service:
                    raise InputError(where, token.line, "SERVICE is refused: it sends requests to other "
                                     f"endpoints over the network{service_hint}")
            elif word in QUERY_FORMS and info.form is None:
                info.form = word
            elif word == "FROM":
                info.has_dataset = True
        elif token.kind in ("iri", "pname") and previous is not None and previous.kind == "word" and previous.text.upper() in ("FROM", "NAMED"):
            info.from_graphs.append(token.text)
        previous = token
    return info


MEMO_ENTRIES = 2048  # verdicts remembered by check_query_memo
MEMO_MAX_TEXT = 4096  # characters: a longer query is checked every time (the memo holds at most 8M characters)


@functools.lru_cache(maxsize=MEMO_ENTRIES)
def _verdict(text: str, options: tuple) -> tuple[QueryInfo | None, tuple | None]:
    try:
        return check_query(text, **dict(options)), None
    except InputError as err:  # remembered as its fields: a cached exception raised again keeps growing its traceback
        return None, (err.line, err.message, err.hint, err.rule)


def check_query_memo(text: str, **options) -> QueryInfo:
    """``check_query`` remembered per exact text and options (it is a pure function of them): an
    endpoint gets the same queries again and again (~35 µs each saved). Bounded in entries and in
    bytes; a refusal is raised as a new ``InputError`` each time. The ``QueryInfo`` returned is
    shared between calls: read it, do not change it."""
    if len(text) > MEMO_MAX_TEXT or "source" in options:
        return check_query(text, **options)
    info, refusal = _verdict(text, tuple(sorted(options.items())))
    if refusal is not None:
        line, message, hint, rule = refusal
        raise InputError(Path("<query text>"), line, message, hint, rule)
    return info
