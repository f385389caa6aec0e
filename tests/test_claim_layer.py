"""The claim layer has one definition (ontology/claim-layer.yaml).

- every generated file (the claim-layer regions of ontology/flashpoint.ttl and
  ontology/shapes.ttl, loaders/claims_schema.json) is what the generator makes
  of the definition now: a hand edit, or an edit of the definition without
  `python -m flashpoint.claim_layer`, fails here;
- the constants that other modules still spell out agree with the definition
  (until they import it);
- a change of the definition reaches the OWL, the shapes and the JSON Schema.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from importlib import resources

import pytest
import rdflib
from pyoxigraph import NamedNode
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF

from flashpoint import claim_layer
from flashpoint.model import load_model

FP = rdflib.Namespace("https://w3id.org/flashpoint/ontology#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
FPSH = rdflib.Namespace("https://w3id.org/flashpoint/shapes#")
PREFIXES = """@prefix fp: <https://w3id.org/flashpoint/ontology#> . @prefix fpsh: <https://w3id.org/flashpoint/shapes#> .
@prefix fpc: <https://w3id.org/flashpoint/checks#> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix dcterms: <http://purl.org/dc/terms/> .
"""


@pytest.mark.parametrize("path", list(claim_layer.generated_files()), ids=lambda p: p.name)
def test_generated_file_is_up_to_date(path):
    expected = claim_layer.generated_files()[path]
    assert path.read_text(encoding="utf-8") == expected, (
        f"{path} differs from what ontology/claim-layer.yaml generates: edit the definition, "
        f"not the generated file, and run `{claim_layer.COMMAND}`")


def test_check_command_passes():
    assert claim_layer.main(["--check"]) == 0


def test_generated_files_say_so():
    for path, text in claim_layer.generated_files().items():
        assert "claim-layer.yaml" in text and claim_layer.COMMAND in text, path


def test_the_constants():
    assert claim_layer.MODALITIES == ("asserted", "probable", "possible", "negated")
    assert claim_layer.MODALITY_IRIS["probable"] == str(FP.Probable)
    assert claim_layer.CLAIM_KEYS[:8] == ("sentence", "quote", "start", "end", "subject", "predicate", "object", "modality")
    assert claim_layer.CLAIM_DEFAULTS == {"habitual": False, "extracted_by": "curated", "confidence": 1.0}
    assert claim_layer.CLAIM_KEY_OF[str(FP.startChar)] == "start"
    assert claim_layer.CLAIM_KEY_OF[str(FP.timePrecision)] == "object"
    assert {"claimSubject", "modality", "sha256", "reviewed", "hypothetical"} <= claim_layer.PROPERTIES


def test_claim_predicates_leave_out_the_claim_layer():
    """fp:reviewed and fp:hypothetical were once missing from the hand-written
    list of claim-layer properties, so a claim could name them as predicate."""
    world = load_model(None).terms.world_properties()
    assert not world & (claim_layer.PROPERTIES | claim_layer.NOT_CLAIMED)
    assert {"perceivesAsThreat", "holdsStance", "beginning"} <= world
    shapes_text = next(text for path, text in claim_layer.generated_files().items() if path.name == "shapes.ttl")
    shapes = rdflib.Graph().parse(data=shapes_text, format="turtle")
    listed = {str(x)[len(str(FP)):] for shape in shapes.objects(FPSH.ClaimPredicateShape, SH.property)
              for x in Collection(shapes, shapes.value(shape, SH["in"]))}
    assert listed == world


def test_copies_elsewhere_agree():
    """What other modules take from flashpoint.claim_layer keeps its meaning there (and the
    Claim model, which is written out as a dataclass, keeps the definition's fields)."""
    from flashpoint.checks import kb
    from flashpoint.loaders import claims_file, to_rdf
    from flashpoint.loaders.extract import pipeline

    assert claims_file.FORMAT == pipeline.FORMAT == claim_layer.FORMAT
    assert to_rdf.MODALITY_IRIS == {m: NamedNode(i) for m, i in claim_layer.MODALITY_IRIS.items()}
    assert tuple(claims_file._CLAIM_KEYS) == claim_layer.CLAIM_KEYS
    assert tuple(claims_file._HEADER_KEYS) == claim_layer.HEADER_KEYS
    assert kb.CLAIM_KEYS == claim_layer.CLAIM_KEY_OF
    # the file claims_file reads (not its cached dict: fastjsonschema rewrites the $refs in it)
    assert json.loads(resources.files("flashpoint.loaders").joinpath("claims_schema.json").read_text()) == claim_layer.json_schema()
    # the Claim model: one field per claims-file key the build reads, with the same defaults
    fields = {f.name: f for f in dataclasses.fields(claims_file.Claim) if f.name not in ("line", "lines")}
    read = [k for k in claim_layer.CLAIM_KEYS if k != "accepted"]  # accepted: informational, the build ignores it
    assert list(fields) == read
    assert {k: fields[k].default for k in claim_layer.CLAIM_DEFAULTS} == claim_layer.CLAIM_DEFAULTS


def test_a_new_modality_reaches_every_generated_file():
    """The point of one definition: add a modality once, and the OWL
    enumeration, the SHACL sh:in and the JSON Schema enum all have it."""
    d = copy.deepcopy(claim_layer.definition())
    d["modalities"].append({"key": "rumoured", "individual": "Rumoured", "label": "rumoured",
                            "definition": "The document reports a rumour.", "example": "'Reportedly ...'"})
    owl = rdflib.Graph().parse(data=PREFIXES + claim_layer.owl_turtle(d), format="turtle")
    assert (FP.Rumoured, RDF.type, FP.Modality) in owl
    one_of = owl.value(owl.value(FP.Modality, OWL.equivalentClass), OWL.oneOf)
    assert FP.Rumoured in set(Collection(owl, one_of))
    shapes = rdflib.Graph().parse(data=PREFIXES + claim_layer.shapes_turtle({"triggers"}, d), format="turtle")
    modality_shape = next(s for s in shapes.objects(FPSH.ClaimShape, SH.property) if shapes.value(s, SH.path) == FP.modality)
    assert FP.Rumoured in set(Collection(shapes, shapes.value(modality_shape, SH["in"])))
    schema = claim_layer.json_schema(d)
    assert "rumoured" in schema["$defs"]["claim"]["properties"]["modality"]["enum"]


def test_every_generated_term_is_documented():
    owl = rdflib.Graph().parse(data=PREFIXES + claim_layer.owl_turtle(), format="turtle")
    subjects = {s for s in owl.subjects(RDF.type, None) if isinstance(s, rdflib.URIRef)}
    assert len(subjects) >= 20
    for s in subjects:
        assert owl.value(s, rdflib.RDFS.label) is not None, s
        assert owl.value(s, rdflib.SKOS.definition) is not None, s


def test_the_schema_is_json_schema():
    import jsonschema

    schema = json.loads(claim_layer.json_schema_text())
    jsonschema.Draft7Validator.check_schema(schema)
