"""Reading YAML that people edit (claims files, a project's ``kb/gazetteer.yaml``)
with limits, so that a small hostile or mistaken file cannot exhaust memory or
crash the reader.

* **No anchors or aliases** (``&name`` / ``*name``). A 500-byte file of nested
  aliases (a "billion laughs") expands to gigabytes once anything walks it
  (schema validation, an error message that quotes it). The formats need
  neither, and ``flashpoint extract`` never writes them.
* **Nesting depth** at most ``MAX_DEPTH`` collections. The deepest legitimate
  claims file is about 8 (file → claims → claim → object → agents → group →
  members → actor); deeper nesting would otherwise end in a RecursionError.
* **Size**: the caller passes the limit (``MAX_CLAIMS_FILE_BYTES`` for a claims
  file, ``MAX_GAZETTEER_BYTES`` for a gazetteer); the size is checked before
  the file is read.

Every refusal is an ``InputError`` with the file and, where there is one, the
line; a refusal by a limit is an ``InputLimitError``. ``shorten`` keeps a quoted value in a message to a bounded length.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from flashpoint.errors import InputError, InputLimitError

MAX_DEPTH = 20
MAX_CLAIMS_FILE_BYTES = 50 * 1024 * 1024  # 50 MB: about 150,000 claims
MAX_GAZETTEER_BYTES = 10 * 1024 * 1024  # 10 MB: the bundled gazetteer is 28 kB
MAX_QUOTED = 80  # characters of a value quoted in an error message

BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def shorten(value: Any, limit: int = MAX_QUOTED) -> str:
    """``repr(value)``, cut to about ``limit`` characters (``…`` and the full length when cut)."""
    if isinstance(value, (str, bytes)) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value)} characters)"
    text = repr(value) if isinstance(value, (str, bytes, int, float, bool, type(None))) else _bounded_repr(value, limit)
    return text if len(text) <= limit + 2 else text[:limit] + "…"


def _bounded_repr(value: Any, limit: int) -> str:
    """repr of a container without building the repr of all of it."""
    import reprlib

    r = reprlib.Repr()
    r.maxstring = r.maxother = limit
    r.maxlevel, r.maxdict, r.maxlist = 3, 4, 4
    return r.repr(value)


def read_text(path: Path, max_bytes: int, what: str) -> str:
    """The UTF-8 text of ``path``, refused (InputError) when larger than ``max_bytes``."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputLimitError(path, None, f"the {what} is {size:,} bytes, over the limit of {max_bytes:,} bytes ({max_bytes // 2**20} MB)")
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)  # a file that grew since stat() is refused below, unread
    except OSError as err:
        raise InputError(path, None, f"cannot read the {what}: {err.strerror or err}") from None
    if len(data) > max_bytes:
        raise InputLimitError(path, None, f"the {what} is over the limit of {max_bytes:,} bytes ({max_bytes // 2**20} MB)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(path, None, f"not valid UTF-8 (byte offset {err.start})") from None


def load(raw: str, path: Path, what: str, loader: type = BaseLoader, max_depth: int = MAX_DEPTH) -> Any:
    """Parse one YAML document with ``loader`` (a safe loader), refusing anchors,
    aliases and nesting deeper than ``max_depth``. Errors are InputErrors at the line."""
    try:
        if "&" in raw or "*" in raw:  # only then can there be an anchor or alias
            _refuse_anchors(raw, path, what)
        parser = loader(raw)
        try:
            node = parser.get_single_node()
            if node is None:
                return None
            _check_node(node, path, what, max_depth)
            return parser.construct_document(node)
        finally:
            parser.dispose()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        problem = getattr(err, "problem", None) or str(err)
        raise InputError(path, mark.line + 1 if mark else None, f"malformed YAML: {_cut(problem)}") from None


def _refuse_anchors(raw: str, path: Path, what: str) -> None:
    for event in yaml.parse(raw, Loader=BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            kind, name = "alias", f"*{event.anchor}"
        elif getattr(event, "anchor", None) is not None:
            kind, name = "anchor", f"&{event.anchor}"
        else:
            continue
        raise InputLimitError(path, event.start_mark.line + 1,
                         f"YAML {kind} {_cut(name, 40)!s} is not allowed in a {what} (anchors and aliases are refused: write the value out)")


def _check_node(root: yaml.Node, path: Path, what: str, max_depth: int) -> None:
    """Depth of the composed node graph; a node reached twice is an alias (a safety net:
    ``_refuse_anchors`` reports aliases first, with their line)."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise InputLimitError(path, node.start_mark.line + 1, f"YAML aliases are not allowed in a {what}")
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            continue
        if depth > max_depth:
            raise InputLimitError(path, node.start_mark.line + 1, f"nested more than {max_depth} levels deep (the limit for a {what})")
        stack.extend((child, depth + 1) for child in children)


def _cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
