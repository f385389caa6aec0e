"""Editing a claims file as text, so that what a reviewer did not touch stays byte for byte.

PyYAML and ruamel both re-wrap and re-quote a file they dump again, so the review app
never re-serialises a claims file. It splices the text, using PyYAML's node marks
(character offsets) the way ``flashpoint reanchor`` does:

* an edited claim: each changed key's ``key: value`` is replaced (a value that spanned
  several lines becomes the dumped value), a new optional key (``accepted``, ``note`` …)
  is inserted as a line after the key that precedes it in the documented key order, a
  removed key's lines are deleted; the other keys of the claim keep their bytes;
* a rejected claim: its lines (from its ``- `` line to the end of its last value) are
  deleted; comments around it stay;
* a new claim: a block dumped like ``write_claims_file`` dumps one, indented like the
  file's other claims, appended after the last claim;
* a header value (``sha256``, ``reviewed``): replaced in place, or inserted before
  ``claims:``.

``apply_edits`` then parses the result and compares it with the expected data; a
difference is a bug and nothing is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from flashpoint.loaders.claims_file import _CLAIM_KEYS, _HEADER_KEYS, _Dumper, _entity


@dataclass
class Edits:
    """What the reviewer changed, against the file as it was read."""

    changed: dict[int, dict] = field(default_factory=dict)  # claim index → its new data (all keys)
    deleted: set[int] = field(default_factory=set)  # claim indexes
    added: list[dict] = field(default_factory=list)  # new claims, in order
    header: dict[str, Any] = field(default_factory=dict)  # header key → new value

    def __bool__(self) -> bool:
        return bool(self.changed or self.deleted or self.added or self.header)


def same(a: Any, b: Any) -> bool:
    """Equal as YAML data: 1.0 == 1 (JSON loses the difference), but True != 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def clean_claim(data: dict) -> dict:
    """A claim's keys in the documented order, without empty optional values."""
    out = {}
    for key in _CLAIM_KEYS:
        value = data.get(key)
        if value is None or (key == "note" and value == ""):
            continue
        out[key] = value
    for key in data:  # keys the writer does not know (``id``): kept, after the others
        if key not in out and key not in _CLAIM_KEYS and data[key] is not None:
            out[key] = data[key]
    return out


# ---------------------------------------------------------------- dumping


def dump_key(key: str, value: Any, column: int) -> str:
    """``key: value`` as the claims-file writer dumps it (entities in flow style), continuation
    lines indented for a mapping whose keys are at ``column``; no final newline."""
    text = yaml.dump({key: _entity(value)}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100).rstrip("\n")
    first, *rest = text.split("\n")
    return "\n".join([first] + [" " * column + line for line in rest])


def dump_claim(claim: dict, dash_column: int) -> str:
    """One claim as a ``- sentence: …`` block (as ``write_claims_file`` writes it), ending in a newline."""
    item = clean_claim(claim)
    item["subject"], item["object"] = _entity(item["subject"]), _entity(item["object"])
    text = yaml.dump([item], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return "".join(" " * dash_column + line + "\n" for line in text.rstrip("\n").split("\n"))


# ---------------------------------------------------------------- splicing


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """The index just after the newline of the line holding ``index - 1`` (a node's end mark)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    at = text.find("\n", index)
    return len(text) if at < 0 else at + 1


def _pairs(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {k.value: (k, v) for k, v in node.value}


class EditError(Exception):
    """The edits cannot be spliced into this text (say why; nothing is written)."""


def apply_edits(raw: str, edits: Edits) -> str:
    """The claims file's new text. Raises EditError when the text cannot take the edits,
    RuntimeError when the result would differ from the expected data (a bug)."""
    root = yaml.compose(raw, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode) or "claims" not in _pairs(root):
        raise EditError("not a claims file (no claims: mapping key)")
    top = _pairs(root)
    claims_key, seq = top["claims"]
    items = list(seq.value) if isinstance(seq, yaml.SequenceNode) else []
    splices: list[tuple[int, int, str]] = []

    # header values
    for key, value in edits.header.items():
        if key in top:
            k, v = top[key]
            splices.append((k.start_mark.index, v.end_mark.index, dump_key(key, value, k.start_mark.column)))
        else:
            at = _line_start(raw, claims_key.start_mark.index)
            splices.append((at, at, " " * claims_key.start_mark.column + dump_key(key, value, claims_key.start_mark.column) + "\n"))

    originals = (yaml.safe_load(raw) or {}).get("claims") or []
    for index in sorted(set(edits.changed) | edits.deleted):
        if index >= len(items):
            raise EditError(f"claim {index} is not in the file")
        node = items[index]
        start = _line_start(raw, node.start_mark.index)
        end = _line_end(raw, _last_mark(node))
        if index in edits.deleted:
            splices.append((start, end, ""))
            continue
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            splices.append((start, end, dump_claim(edits.changed[index], node.start_mark.column)))
            continue
        splices += _claim_splices(raw, node, originals[index], clean_claim(edits.changed[index]))

    remaining = len(items) - len(edits.deleted)
    if edits.added:
        if items:
            dash = seq.start_mark.column if not seq.flow_style else 0
            at = _line_end(raw, _last_mark(items[-1]))
            if at == len(raw) and not raw.endswith("\n"):
                prefix = "\n"
            else:
                prefix = ""
            splices.append((at, at, prefix + "".join(dump_claim(c, dash) for c in edits.added)))
        else:  # `claims: []` (or nothing) on the claims: line
            key_end = claims_key.end_mark.index
            splices.append((key_end, _line_end(raw, key_end), ":\n" + "".join(dump_claim(c, 0) for c in edits.added)))
    elif remaining == 0 and items:
        splices.append((claims_key.end_mark.index + 1, claims_key.end_mark.index + 1, " []"))

    text = raw
    last = len(raw) + 1
    for start, end, replacement in sorted(splices, key=lambda s: (s[0], s[1]), reverse=True):
        if end > last:
            raise EditError("overlapping edits")
        text = text[:start] + replacement + text[end:]
        last = start
    _verify(raw, text, edits)
    return text


def _last_mark(node: yaml.Node) -> int:
    """Where a claim's text ends: the end of its last value (a block mapping's own end mark
    lies after the comments and blank lines that follow it)."""
    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _last_mark(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _last_mark(node.value[-1])
    return node.end_mark.index


def _claim_splices(raw: str, node: yaml.MappingNode, old: dict, new: dict) -> list[tuple[int, int, str]]:
    pairs = _pairs(node)
    column = node.start_mark.column
    splices: list[tuple[int, int, str]] = []
    inserts: dict[int, list[str]] = {}
    order = list(_CLAIM_KEYS) + [k for k in new if k not in _CLAIM_KEYS]
    for key in order:
        if key in old and key in new:
            if not same(old[key], new[key]):
                k, v = pairs[key]
                splices.append((k.start_mark.index, _last_mark(v), dump_key(key, new[key], column)))
        elif key in old:
            k, v = pairs[key]
            splices.append((_line_start(raw, k.start_mark.index), _line_end(raw, _last_mark(v)), ""))
        elif key in new:
            before = [p for p in order[: order.index(key)] if p in pairs and p in new]
            if not before:
                raise EditError(f"cannot place the new key {key!r}")
            at = _line_end(raw, _last_mark(pairs[before[-1]][1]))
            inserts.setdefault(at, []).append(" " * column + dump_key(key, new[key], column) + "\n")
    for key in old:
        if key not in order:
            k, v = pairs[key]
            splices.append((_line_start(raw, k.start_mark.index), _line_end(raw, _last_mark(v)), ""))
    for at, lines in inserts.items():
        splices.append((at, at, "".join(lines)))
    return splices


def _verify(raw: str, text: str, edits: Edits) -> None:
    expected = yaml.safe_load(raw)
    claims = expected.get("claims") or []
    new_claims = [clean_claim(edits.changed[i]) if i in edits.changed else c for i, c in enumerate(claims) if i not in edits.deleted]
    expected["claims"] = new_claims + [clean_claim(c) for c in edits.added]
    expected.update(edits.header)
    actual = yaml.safe_load(text)
    if not same(_plain(actual), _plain(expected)):
        raise RuntimeError("the edited claims file would differ from the edits (a bug in flashpoint review); nothing written")


def _plain(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str))


def header_order() -> tuple[str, ...]:
    return _HEADER_KEYS
