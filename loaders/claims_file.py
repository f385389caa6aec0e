"""Reading, validating and writing claims files (format ``flashpoint-claims/1``).

A claims file is YAML that people edit, so every problem is reported with the
file and the line where a person fixes it: YAML syntax, the JSON Schema
(``claims_schema.json``), and the provenance of each claim (the quote must be
the document's text at its offsets, inside the sentence it names, and the
document must be the one that was reviewed). Each error carries the check rule
it breaks (``InputError.rule``, docs/check-report.md: FP-P01 to FP-P06, FP-P16).
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, TextIO

import fastjsonschema
import jsonschema
import yaml

from flashpoint import claim_layer, safe_yaml
from flashpoint.claim_layer import FORMAT  # one definition: ontology/claim-layer.yaml
from flashpoint.errors import Collector, InputError, InputLimitError, raise_first
from flashpoint.loaders.text import Sentence, split_sentences



# ---------------------------------------------------------------- YAML with lines


class _LineDict(dict):
    """A mapping that remembers the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class _LineList(list):
    line: int = 0
    item_lines: list[int]


class _LineLoader(safe_yaml.BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader whose mappings and sequences carry line numbers."""


class _DuplicateKey(Exception):
    """A key twice in one mapping. Not a YAMLError, so that it passes through
    ``safe_yaml.load`` (which reports YAML errors as malformed YAML) to ``parse_yaml``."""

    def __init__(self, key: Any, line: int):
        super().__init__(key, line)
        self.key, self.line = key, line


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    result = _LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> _LineList:
    result = _LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _line_of_path(data: Any, path: list[Any]) -> int | None:
    """The line of the deepest node of ``path`` (a jsonschema error path)."""
    line = getattr(data, "line", None)
    node = data
    for step in path:
        if isinstance(node, _LineDict) and step in node:
            line = node.key_lines.get(step, line)
        elif isinstance(node, _LineList) and isinstance(step, int) and step < len(node):
            line = node.item_lines[step]
        else:
            break
        node = node[step]
        line = getattr(node, "line", line) if isinstance(node, (_LineDict, _LineList)) and step != path[-1] else line
    return line


# ---------------------------------------------------------------- the model


@dataclass
class Claim:
    """One claim as written in the file, with the line it starts on."""

    line: int
    sentence: int
    quote: str
    start: int
    end: int
    subject: Any
    predicate: str
    object: Any
    modality: str
    habitual: bool = False
    extracted_by: str = "curated"
    confidence: float = 1.0
    note: str | None = None
    lines: dict[str, int] = field(default_factory=dict)  # field name → line

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


@dataclass
class ClaimsFile:
    path: Path
    document: str
    sha256: str
    claims: list[Claim]
    title: str | None = None
    source: str | None = None
    reviewed: bool = True
    lines: dict[str, int] = field(default_factory=dict)


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(resources.files("flashpoint.loaders").joinpath("claims_schema.json").read_text())


@lru_cache(maxsize=1)
def _fast_validator():
    """A compiled validator for the common case (a valid file): about 13 times
    faster than jsonschema, which is kept for what it does better, precise errors."""
    return fastjsonschema.compile(schema())


# ---------------------------------------------------------------- reading


def parse_yaml(path: Path, raw: str | None = None) -> Any:
    """YAML with line numbers; ``raw`` is the text when it does not come from ``path``.

    A file over ``safe_yaml.MAX_CLAIMS_FILE_BYTES`` (50 MB), YAML anchors and
    aliases, and nesting deeper than ``safe_yaml.MAX_DEPTH`` are refused (see
    ``flashpoint.safe_yaml``)."""
    try:
        if raw is None:
            raw = safe_yaml.read_text(path, safe_yaml.MAX_CLAIMS_FILE_BYTES, "claims file")
        if not raw.strip():
            raise InputError(path, None, "the claims file is empty", hint=f"it needs at least `format: {FORMAT}`, `document`, `sha256` and `claims`")
        return safe_yaml.load(raw, path, "claims file", loader=_LineLoader)
    except _DuplicateKey as dup:
        raise InputError(path, dup.line, f"malformed YAML: duplicate key {safe_yaml.shorten(dup.key)}", rule="FP-P02") from None
    except InputLimitError as err:
        err.rule = "FP-P16"
        raise
    except InputError as err:  # unreadable, not UTF-8, empty, malformed
        err.rule = "FP-P01"
        raise


MAX_MESSAGE = 300  # characters of a schema error message (a value it quotes is shortened first)


def _schema_error(path: Path, data: Any, error: jsonschema.ValidationError) -> InputError:
    # anyOf errors are vague; the deepest sub-error usually says what is wrong.
    best = jsonschema.exceptions.best_match([error]) if not error.context else jsonschema.exceptions.best_match(error.context)
    where = list(best.absolute_path) or list(error.absolute_path)
    field_name = ".".join(str(p) for p in where) or "(top level)"
    line = _line_of_path(data, where)
    if best.validator == "type" and best.validator_value == "integer":
        return _not_an_integer(path, line, field_name, best.instance)
    message = best.message
    if len(message) > MAX_MESSAGE:  # a long value quoted in full: quote its start
        message = message.replace(repr(best.instance), safe_yaml.shorten(best.instance))
        message = message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + "…"
    return InputError(path, line, f"{field_name}: {message}", rule="FP-P03")


def _not_an_integer(path: Path, line: int | None, field_name: str, value: Any) -> InputError:
    return InputError(path, line, f"{field_name} must be an integer (not {safe_yaml.shorten(value)})", rule="FP-P03")


# JSON Schema's "integer" accepts 1.0 (a number with no fraction); YAML reads
# `1.0` as a float, which cannot index a list or slice a text. These fields must
# be written as integers. (A bool is refused by the schema already.)
_INTEGER_FIELDS = ("sentence", "start", "end")


def _check_integers(path: Path, data: _LineDict) -> None:
    for index, (item, item_line) in enumerate(zip(data["claims"], data["claims"].item_lines)):
        for key in _INTEGER_FIELDS:
            if type(item[key]) is not int:
                raise _not_an_integer(path, item.key_lines.get(key, item_line), f"claims.{index}.{key}", item[key])
        obj = item["object"]
        if isinstance(obj, _LineDict) and "year" in obj and type(obj["year"]) is not int:
            raise _not_an_integer(path, obj.key_lines.get("year", obj.line), f"claims.{index}.object.year", obj["year"])


def load_claims_file(path: Path, raw: str | None = None) -> ClaimsFile:
    """Parse and schema-check a claims file (no document needed)."""
    data = parse_yaml(path, raw)
    if not isinstance(data, dict):
        raise InputError(path, 1, "a claims file is a YAML mapping with format, document, sha256 and claims", rule="FP-P03")
    try:
        _fast_validator()(data)
    except fastjsonschema.JsonSchemaException:
        validator = jsonschema.Draft7Validator(schema())
        errors = sorted(validator.iter_errors(data), key=lambda e: (_line_of_path(data, list(e.absolute_path)) or 0))
        if errors:
            raise _schema_error(path, data, errors[0]) from None
    _check_integers(path, data)
    claims = [_claim(item, line) for item, line in zip(data["claims"], data["claims"].item_lines)]
    return ClaimsFile(
        path=path,
        document=data["document"],
        sha256=data["sha256"],
        claims=claims,
        title=data.get("title"),
        source=data.get("source"),
        reviewed=data.get("reviewed", True),
        lines=dict(data.key_lines),
    )


def _claim(item: _LineDict, line: int) -> Claim:
    return Claim(
        line=line,
        sentence=item["sentence"],
        quote=item["quote"],
        start=item["start"],
        end=item["end"],
        subject=item["subject"],
        predicate=item["predicate"],
        object=item["object"],
        modality=item["modality"],
        habitual=item.get("habitual", False),
        extracted_by=item.get("extracted_by", "curated"),
        confidence=float(item.get("confidence", 1.0)),
        note=item.get("note"),
        lines=dict(item.key_lines),
    )


# ---------------------------------------------------------------- provenance


def check_against_document(claims_file: ClaimsFile, document: Path, text: str, report: Collector = raise_first) -> list[Sentence] | None:
    """Report (by default: raise) every way the file does not describe this exact text.
    Returns the sentences, or None when the document changed since the review
    (offsets into a changed text say nothing more, so they are not checked)."""
    path = claims_file.path
    actual = hashlib.sha256(document.read_bytes()).hexdigest()
    if actual != claims_file.sha256:
        report(InputError(
            path,
            claims_file.lines.get("sha256"),
            f"{document.name} changed after this file was reviewed (sha256 {actual[:12]}…, reviewed {claims_file.sha256[:12]}…)",
            hint="if the quotes are still in the text, `flashpoint reanchor` recomputes the offsets and sha256; "
                 "otherwise review the claims, or `flashpoint extract --proposals` proposes new ones",
            rule="FP-P04",
        ))
        return None
    sentences = split_sentences(text)
    for claim in claims_file.claims:
        try:
            check_claim_offsets(path, claim, text, sentences)
        except InputError as err:
            report(err, claim)
    return sentences


def check_claim_offsets(path: Path, claim: Claim, text: str, sentences: list[Sentence]) -> None:
    """Raise InputError unless the claim's quote is the text at its offsets, inside its sentence."""
    if claim.end <= claim.start:
        raise InputError(path, claim.line_of("end"), f"end ({claim.end}) must be greater than start ({claim.start})", rule="FP-P06")
    actual = text[claim.start : claim.end]
    if actual != claim.quote:
        found = text.find(claim.quote)
        hint = f"the quote is at start: {found}, end: {found + len(claim.quote)}" if found >= 0 else "the quote does not occur in the document"
        raise InputError(path, claim.line_of("quote"), f"quote does not match the document at {claim.start}:{claim.end} (the text there is {actual[:60]!r})",
                         hint=hint, rule="FP-P05")
    if claim.sentence >= len(sentences):
        raise InputError(path, claim.line_of("sentence"), f"sentence {claim.sentence} does not exist (the document has {len(sentences)})", rule="FP-P06")
    sentence = sentences[claim.sentence]
    if not (sentence.start <= claim.start and claim.end <= sentence.end):
        actual_index = next((s.index for s in sentences if s.start <= claim.start < s.end), None)
        raise InputError(path, claim.line_of("sentence"), f"the quote is not inside sentence {claim.sentence}", hint=f"it starts in sentence {actual_index}", rule="FP-P06")


# ---------------------------------------------------------------- writing

_CLAIM_KEYS = claim_layer.CLAIM_KEYS  # the order in which claims files are written
_HEADER_KEYS = claim_layer.HEADER_KEYS


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the reader refuses anchors and aliases: write a value shared by two claims out twice


def _flow_entities(dumper: yaml.SafeDumper, data: dict) -> yaml.Node:
    # Entities are small mappings: one line each reads best in a review.
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


class _Entity(dict):
    pass


_Dumper.add_representer(_Entity, _flow_entities)


def _entity(value: Any) -> Any:
    return _Entity(value) if isinstance(value, dict) else value


def dump_claims_file(data: dict) -> str:
    """The YAML text of a claims file, keys in a fixed order (deterministic)."""
    buffer = io.StringIO()
    write_claims_file(buffer, data, data.get("claims", []))
    return buffer.getvalue()


def write_claims_file(out: TextIO, header: dict, claims: Iterable[dict]) -> int:
    """Write a claims file claim by claim, so that memory stays flat however
    many claims a long document yields. Returns the number of claims written."""
    out.write("# flashpoint claims file: review each claim, then set reviewed: true\n")
    head = {k: header[k] for k in _HEADER_KEYS if header.get(k) is not None}
    out.write(yaml.dump(head, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100))
    out.write("claims:")
    count = 0
    for claim in claims:
        item = {k: claim[k] for k in _CLAIM_KEYS if claim.get(k) is not None}
        item["subject"], item["object"] = _entity(item["subject"]), _entity(item["object"])
        out.write("\n" + yaml.dump([item], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100).rstrip("\n"))
        count += 1
    out.write(" []\n" if count == 0 else "\n")
    return count
