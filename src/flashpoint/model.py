"""The ontology and gazetteer as one project sees them (bundled + extensions).

Loaded once per command; everything downstream (claim resolution, the
reasoner, the store's ontology and gazetteer graphs) takes it from here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import rdflib
from pyoxigraph import Literal, NamedNode, Quad
from rdflib.namespace import OWL, RDF

import flashpoint
from flashpoint.errors import InputError
from flashpoint.gazetteer import Gazetteer, load_gazetteer
from flashpoint.project import Project
from flashpoint.reasoner import Axioms
from flashpoint.terms import Terms, terms_from_graph
from flashpoint.vocab import FP, FPID, GAZETTEER_GRAPH, ONTOLOGY_GRAPH, RDFS, SKOS, WD, ontology_files, package_folder


@dataclass
class Model:
    ontology_paths: list[Path]
    graph: rdflib.Graph
    gazetteer: Gazetteer

    @cached_property
    def terms(self) -> Terms:
        return terms_from_graph(self.graph)

    @cached_property
    def axioms(self) -> Axioms:
        return Axioms.from_graph(self.graph)

    @cached_property
    def policies(self) -> set[str]:
        prefix = FPID + "policy/"
        return {str(s)[len(prefix):] for s in self.graph.subjects(RDF.type, rdflib.URIRef(FP + "PolicyOption")) if str(s).startswith(prefix)}

    @cached_property
    def ontology_ntriples(self) -> str:
        return self.graph.serialize(format="nt", encoding="utf-8").decode("utf-8")

    @cached_property
    def reasoner_ntriples(self) -> str:
        """The ontology for HermiT: all files already merged, so no owl:imports to fetch."""
        imports = f"<{OWL}imports>"
        return "".join(line + "\n" for line in self.ontology_ntriples.splitlines() if imports not in line)

    def ontology_quads(self) -> list[Quad]:
        """The ontology graph with canonical blank-node labels (RDFC-1.0), so
        that the same ontology always gives the same store and exports."""
        from pyoxigraph import CanonicalizationAlgorithm, Dataset, RdfFormat, parse

        dataset = Dataset(Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in parse(self.ontology_ntriples, format=RdfFormat.N_TRIPLES))
        dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
        return sorted(dataset, key=str)

    def gazetteer_quads(self) -> list[Quad]:
        return sorted({Quad(t[0], t[1], t[2], GAZETTEER_GRAPH) for actor_id in self.gazetteer.actors for t in self.actor_triples(actor_id)}, key=str)

    def actor_triples(self, actor_id: str) -> list[tuple]:
        actor = self.gazetteer.actors[actor_id]
        iri = NamedNode(actor.iri)
        triples = [
            (iri, NamedNode(str(RDF.type)), NamedNode(FP + actor.cls)),
            (iri, NamedNode(RDFS + "label"), Literal(actor.label, language="en")),
        ]
        alt = NamedNode(SKOS + "altLabel")
        for form, _kind in actor.surface_forms()[1:]:
            triples.append((iri, alt, Literal(form, language="en")))
        if actor.wikidata:
            triples.append((iri, NamedNode(SKOS + "exactMatch"), NamedNode(WD + actor.wikidata)))
        return triples

    def fingerprint(self) -> str:
        """Changes whenever anything that every document's RDF depends on changes."""
        digest = hashlib.sha256(flashpoint.__version__.encode())
        for path in self.ontology_paths + self.gazetteer.sources:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _parse_turtle_into(graph: rdflib.Graph, path: Path, index: int) -> None:
    """Parse with pyoxigraph (every command reads the ontology: 30 ms instead of rdflib's 200 ms)
    and add to the rdflib graph; blank nodes are renamed per file, as Turtle scopes their labels."""
    from pyoxigraph import BlankNode, RdfFormat, parse

    def term(node):
        if isinstance(node, NamedNode):
            return rdflib.URIRef(node.value)
        if isinstance(node, BlankNode):
            return rdflib.BNode(f"f{index}x{node.value}")
        if node.language or node.datatype.value == XSD_STRING:  # a plain literal, as rdflib reads it
            return rdflib.Literal(node.value, lang=node.language)
        return rdflib.Literal(node.value, datatype=rdflib.URIRef(node.datatype.value))

    triples = [(term(q.subject), term(q.predicate), term(q.object)) for q in parse(path=str(path), format=RdfFormat.TURTLE, base_iri=path.as_uri())]
    for triple in triples:  # added once the whole file parsed: a file is read entirely or not at all
        graph.add(triple)


def _turtle_error_line(err: Exception) -> int | None:
    """rdflib says 'at line N of <>:' in its message; its ``lines`` attribute is often off by one."""
    import re

    match = re.search(r"at line (\d+)", str(err))
    return int(match.group(1)) if match else getattr(err, "lines", None)


def _turtle_error_message(err: Exception) -> str:
    """What is wrong, in one line: 'Bad syntax (objectList expected)' rather than 'at line 2 of <>:'."""
    lines = [line.strip() for line in str(err).strip().splitlines() if line.strip()]
    useful = [line for line in lines if not line.startswith("at line")]
    text = (useful or lines or [type(err).__name__])[0].removesuffix(" at ^ in:")
    return text[:200]


def load_model(project: Project | None) -> Model:
    paths = ontology_files() + (project.extension_files() if project else [])
    graph = rdflib.Graph()
    for index, path in enumerate(paths):
        try:
            _parse_turtle_into(graph, path, index)
        except Exception:  # noqa: BLE001 - rdflib decides, and words the error as it always has
            try:
                graph += rdflib.Graph().parse(path, format="turtle")
            except Exception as err:  # rdflib's parsers raise several exception types
                raise InputError(path, _turtle_error_line(err), f"broken Turtle: {_turtle_error_message(err)}") from None
    if not paths:
        raise InputError(package_folder("ontology"), None, "the bundled ontology is missing (a broken installation?)")
    gazetteer = load_gazetteer(project.gazetteer_file if project else None)
    return Model(paths, graph, gazetteer)
