"""The claim layer, from its one definition (``ontology/claim-layer.yaml``).

The claim layer (fp:Claim, fp:Document, the modalities, the properties of a
claim and of a document) used to be written out by hand in seven places. Now
``claim-layer.yaml`` is the only place, and everything else comes from it:

* at import, the constants the code uses: ``MODALITIES``, ``MODALITY_IRIS``,
  ``CLAIM_KEYS`` / ``HEADER_KEYS`` (the claims file's keys in writing order),
  ``CLAIM_DEFAULTS``, ``CLAIM_KEY_OF`` (property IRI → the claims-file key a
  finding points at), ``PROPERTIES`` (the claim-layer properties' local names)
  and ``NOT_CLAIMED``;
* by ``python -m flashpoint.claim_layer``, the generated files, which stay
  committed because people read them in reviews and other tools load them:
  the claim-layer region of ``ontology/flashpoint.ttl``, the claim-layer region
  of ``ontology/shapes.ttl`` and ``loaders/claims_schema.json``. ``--check``
  only compares; tests/test_claim_layer.py does the same and fails on drift.

The generators write text (not an rdflib serialisation) so that the generated
Turtle reads like the hand-written rest of the file.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from flashpoint.vocab import FP

DEFINITION = "claim-layer.yaml"
COMMAND = "python -m flashpoint.claim_layer"
PREFIXES = {"prov": "http://www.w3.org/ns/prov#", "dcterms": "http://purl.org/dc/terms/", "xsd": "http://www.w3.org/2001/XMLSchema#"}
ONTOLOGY_IRI = "https://w3id.org/flashpoint/ontology"

# The generated region of a Turtle file lies between these two lines.
BEGIN = f"# >>> generated from ontology/{DEFINITION} by `{COMMAND}`: edit that file, not this region"
END = "# <<< end of the generated region"


def definition_path() -> Path:
    return Path(str(resources.files("flashpoint.ontology").joinpath(DEFINITION)))


@lru_cache(maxsize=1)
def definition() -> dict:
    # libyaml's loader when PyYAML has it: this file is read by every command (0.10 → 0.01 s)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(definition_path().read_text(encoding="utf-8"), Loader=loader)


def iri(name: str) -> str:
    """The full IRI of a name of the definition (``modality``, ``prov:wasDerivedFrom``)."""
    prefix, sep, local = name.partition(":")
    return PREFIXES[prefix] + local if sep else FP + name


def _curie(name: str) -> str:
    return name if ":" in name else f"fp:{name}"


# ---------------------------------------------------------------- the constants

_D = definition()
FORMAT: str = _D["claims_file"]["format"]
MODALITIES: tuple[str, ...] = tuple(m["key"] for m in _D["modalities"])  # strongest first
MODALITY_IRIS: dict[str, str] = {m["key"]: FP + m["individual"] for m in _D["modalities"]}
CLAIM_KEYS: tuple[str, ...] = tuple(k["key"] for k in _D["claims_file"]["claim"] if k.get("written", True))
HEADER_KEYS: tuple[str, ...] = tuple(k["key"] for k in _D["claims_file"]["header"] if k.get("written", True))
CLAIM_DEFAULTS: dict[str, Any] = {k["key"]: k["default"] for k in _D["claims_file"]["claim"] if "default" in k}
# The properties a claim node carries, by the claims-file key a finding about one points at.
CLAIM_KEY_OF: dict[str, str] = {
    iri(p["name"]): p["key"] for p in _D["properties"] if "key" in p and all(s["node"] == "Claim" for s in p.get("shapes", ()))
}
# fp: local names of the claim layer's own properties (not the borrowed dcterms: ones, not prov:)
PROPERTIES: frozenset[str] = frozenset(p["name"] for p in _D["properties"] if ":" not in p["name"])
# world-layer properties that no claim states (structure, inverses)
NOT_CLAIMED: frozenset[str] = frozenset(_D["not_claimed"])


# ---------------------------------------------------------------- Turtle helpers


def _string(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _en(text: str) -> str:
    return _string(text) + "@en"


def _rule(title: str) -> list[str]:
    bar = "# " + "-" * 77
    return [bar, f"# {title}", bar, ""]


def _documented(lines: list[str], entry: dict, defined_by: str = f"<{ONTOLOGY_IRI}>") -> None:
    """The label, definition, example and rdfs:isDefinedBy every term carries (ends the subject)."""
    lines.append(f"    rdfs:label {_en(entry['label'])} ;")
    lines.append(f"    skos:definition {_en(entry['definition'])} ;")
    if "example" in entry:
        lines.append(f"    skos:example {_en(entry['example'])} ;")
    lines.append(f"    rdfs:isDefinedBy {defined_by} .")
    lines.append("")


def _range(value: Any) -> str:
    if isinstance(value, str):
        return _curie(value)
    # a restricted datatype: {datatype: xsd:decimal, minInclusive: 0, maxInclusive: 1}
    datatype = value["datatype"]
    facets = " ".join(f"[ xsd:{k} {_string(v)}^^{datatype} ]" for k, v in value.items() if k != "datatype")
    return (f"[ a rdfs:Datatype ;\n                 owl:onDatatype {datatype} ;\n"
            f"                 owl:withRestrictions ( {facets} ) ]")


# ---------------------------------------------------------------- the OWL


def owl_turtle(d: dict | None = None) -> str:
    """The claim-layer terms of ontology/flashpoint.ttl (the region between BEGIN and END)."""
    d = d or definition()
    individuals = " ".join(f"fp:{m['individual']}" for m in sorted(d["modalities"], key=lambda m: m["individual"]))
    out = [BEGIN, ""]
    out += _rule("Annotation properties: claim layer (the statement a claim makes)")
    for p in d["properties"]:
        if p["kind"] == "annotation":
            out.append(f"{_curie(p['name'])}\n    a owl:AnnotationProperty ;")
            _documented(out, p)
    out += _rule("Classes: claim layer")
    for c in d["classes"]:
        out.append(f"fp:{c['name']}\n    a owl:Class ;")
        if c["name"] == "Modality":
            out.append(f"    owl:equivalentClass [ a owl:Class ; owl:oneOf ( {individuals} ) ] ;")
        _documented(out, c)
    for kind, title in (("object", "Object properties: claim layer"), ("datatype", "Datatype properties: claim layer")):
        out += _rule(title)
        for p in d["properties"]:
            if p["kind"] != kind:
                continue
            types = f"owl:{kind.capitalize()}Property" + (" , owl:FunctionalProperty" if p.get("functional") else "")
            out.append(f"{_curie(p['name'])}\n    a {types} ;")
            if "domain" in p:
                out.append(f"    rdfs:domain {_curie(p['domain'])} ;")
            if "range" in p:
                out.append(f"    rdfs:range {_range(p['range'])} ;")
            _documented(out, p, f"<{p['defined_by']}>" if "defined_by" in p else f"<{ONTOLOGY_IRI}>")
    out += _rule("Named individuals: modalities")
    out += ["[] a owl:AllDifferent ;", f"    owl:distinctMembers ( {individuals} ) .", ""]
    for m in d["modalities"]:
        out.append(f"fp:{m['individual']}\n    a owl:NamedIndividual , fp:Modality ;")
        _documented(out, m)
    out.append(END)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- the SHACL shapes

_IRI_VALUED = {"class", "datatype", "lessThan"}


def _constraint(key: str, value: Any, d: dict) -> str:
    if key == "nodeKind":
        return f"sh:nodeKind sh:{value}"
    if key in _IRI_VALUED:
        return f"sh:{key} {_curie(value)}"
    if key == "in":
        members = [f"fp:{m['individual']}" for m in d["modalities"]] if value == "$modalities" else [_string(v) for v in value]
        return f"sh:in ( {' '.join(members)} )"
    if key in ("pattern", "message"):
        return f"sh:{key} {_string(value)}"
    return f"sh:{key} {value}"  # counts, lengths, bounds: integers


def shapes_turtle(world_properties: set[str], d: dict | None = None) -> str:
    """The claim-layer node shapes of ontology/shapes.ttl (the region between BEGIN and END).
    ``world_properties``: what a claim's predicate may be (FP-R03), from the ontology."""
    d = d or definition()
    out = [BEGIN, ""]
    out += _rule("Claim layer")
    for shape in d["shapes"]:
        if "comment" in shape:
            out += [f"# {line}" if line else "#" for line in shape["comment"].splitlines()]
        out += [f"fpsh:{shape['name']}", "    a sh:NodeShape ;", f"    fpc:rule {_string(shape['rule'])} ;",
                f"    rdfs:label {_en(shape['label'])} ;", f"    sh:targetClass fp:{shape['target']} ;"]
        properties = []
        if shape["name"] == "ClaimPredicateShape":
            names = [f"fp:{n}" for n in sorted(world_properties)]
            rows = "\n                ".join(" ".join(names[i:i + 6]) for i in range(0, len(names), 6))
            properties.append(f"sh:path fp:claimPredicate ;\n        sh:in ( {rows} ) ;\n"
                              f"        sh:message {_string(shape['predicates_message'])}")
        else:
            for p in d["properties"]:
                for s in p.get("shapes", ()):
                    if s["node"] == shape["target"]:
                        keys = [k for k in s if k not in ("node", "message")]
                        head = " ; ".join([f"sh:path {_curie(p['name'])}"] + [_constraint(k, s[k], d) for k in keys])
                        properties.append(f"{head} ;\n        {_constraint('message', s['message'], d)}")
        out.append(" ;\n".join(f"    sh:property [\n        {body} ]" for body in properties) + " .")
        out.append("")
    out.append(END)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- the JSON Schema


def _expand(value: Any, d: dict) -> Any:
    if value == "$modalities":
        return [m["key"] for m in d["modalities"]]
    if isinstance(value, dict):
        return {k: _expand(v, d) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, d) for v in value]
    return value


def _object(keys: list[dict], d: dict) -> dict:
    return {
        "type": "object",
        "required": [k["key"] for k in keys if k.get("required")],
        "additionalProperties": False,
        "properties": {k["key"]: _expand(k["schema"], d) for k in keys},
    }


def json_schema(d: dict | None = None) -> dict:
    """loaders/claims_schema.json."""
    d = d or definition()
    cf = d["claims_file"]
    header = _object(cf["header"], d)
    header["properties"]["format"] = {"const": cf["format"]}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": cf["id"],
        "$comment": f"Generated from ontology/{DEFINITION} by `{COMMAND}`: edit that file, not this one.",
        "title": cf["title"],
        "description": cf["description"],
        **header,
        "$defs": {**_expand(cf["definitions"], d), "claim": _object(cf["claim"], d)},
    }


def json_schema_text(d: dict | None = None) -> str:
    return json.dumps(json_schema(d), indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- the files


def replace_region(text: str, region: str, path: Path | str = "the file") -> str:
    """``text`` with its generated region (BEGIN … END lines included) replaced by ``region``."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{path}: no generated region (the lines {BEGIN!r} … {END!r})")
    return text[:start] + region + text[end + len(END) + 1:]


def world_properties_of(owl_text: str) -> set[str]:
    """What a claim's predicate may be, in the bundled ontology whose main file is ``owl_text``."""
    import rdflib

    from flashpoint.terms import terms_from_graph
    from flashpoint.vocab import ONTOLOGY_FILES, package_folder

    graph = rdflib.Graph().parse(data=owl_text, format="turtle")
    for name in ONTOLOGY_FILES:
        if name != "flashpoint.ttl":  # the main file as it will be, not as it is on disk
            graph.parse(package_folder("ontology") / name, format="turtle")
    return terms_from_graph(graph).world_properties()


def generated_files() -> dict[Path, str]:
    """Each generated file and the text it must have (computed in memory)."""
    ontology = Path(str(resources.files("flashpoint.ontology")))
    loaders = Path(str(resources.files("flashpoint.loaders")))
    owl_path, shapes_path = ontology / "flashpoint.ttl", ontology / "shapes.ttl"
    owl_text = replace_region(owl_path.read_text(encoding="utf-8"), owl_turtle(), owl_path)
    shapes_text = replace_region(shapes_path.read_text(encoding="utf-8"), shapes_turtle(world_properties_of(owl_text)), shapes_path)
    return {owl_path: owl_text, shapes_path: shapes_text, loaders / "claims_schema.json": json_schema_text()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=f"Regenerate the claim-layer files from ontology/{DEFINITION}.")
    parser.add_argument("--check", action="store_true", help="only say which generated files differ (exit 1 if any)")
    args = parser.parse_args(argv)
    files = generated_files()
    stale = [path for path, text in files.items() if path.read_text(encoding="utf-8") != text]
    for path in stale:
        if args.check:
            print(f"{path}: differs from ontology/{DEFINITION}; run `{COMMAND}`", file=sys.stderr)
        else:
            path.write_text(files[path], encoding="utf-8")
            print(f"wrote {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
