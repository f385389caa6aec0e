"""Namespaces, graph names and the ontology's own files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pyoxigraph import NamedNode

FP = "https://w3id.org/flashpoint/ontology#"
FPID = "https://w3id.org/flashpoint/id/"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
WD = "http://www.wikidata.org/entity/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Prefixes used in every output a person reads (tables, Turtle, JSON-LD context).
PREFIXES: dict[str, str] = {
    "fp": FP,
    "fpid": FPID,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "wd": WD,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
}

GRAPH_BASE = FPID + "graph/"
ONTOLOGY_GRAPH = NamedNode(GRAPH_BASE + "ontology")
GAZETTEER_GRAPH = NamedNode(GRAPH_BASE + "gazetteer")
INFERRED_GRAPH = NamedNode(GRAPH_BASE + "inferred")
DOC_GRAPH_PREFIX = GRAPH_BASE + "doc/"
# Descriptions of what a document mentions only in hedged claims (to_rdf.py): outside the world layer.
HYPOTHETICAL_GRAPH_PREFIX = GRAPH_BASE + "hypothetical/"
# Inferences from the modules of unreviewed documents, apart from the rest, so a query can leave them out.
UNREVIEWED_INFERRED_GRAPH = NamedNode(GRAPH_BASE + "inferred-unreviewed")


def doc_graph(doc_slug: str) -> NamedNode:
    return NamedNode(DOC_GRAPH_PREFIX + doc_slug)


def hypothetical_graph(doc_slug: str) -> NamedNode:
    return NamedNode(HYPOTHETICAL_GRAPH_PREFIX + doc_slug)


def fp(local: str) -> NamedNode:
    return NamedNode(FP + local)


def package_folder(name: str) -> Path:
    """A data folder shipped inside the package: 'ontology' or 'queries'."""
    return Path(str(resources.files(f"flashpoint.{name}")))


# The Turtle files that make up the ontology graph, in load order.
ONTOLOGY_FILES = ("flashpoint.ttl", "policy-options.ttl", "alignment.ttl")


def ontology_files() -> list[Path]:
    folder = package_folder("ontology")
    return [folder / name for name in ONTOLOGY_FILES if (folder / name).exists()]


def compact(iri: str) -> str:
    """``fp:Tension`` for a known namespace, ``<iri>`` otherwise."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and all(c.isalnum() or c in "-_./" for c in local):
                return f"{prefix}:{local}"
    return f"<{iri}>"
