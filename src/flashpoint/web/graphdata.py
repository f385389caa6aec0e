"""The data of the graph picture: the claims around an actor as nodes and edges (JSON).

One function, :func:`graph_data`, used by ``GET /api/graph`` of ``flashpoint serve`` and by
``flashpoint export --format html``. It reads the store with a few bounded SPARQL
queries (every claim whose object is a thing, the labels, kinds and classes of what
they name, who takes part in which event or situation) and keeps, in Python, the
neighbourhood of the chosen actor:

* the *seed* is the actor and every event, situation or capability it takes part in
  (``fp:hasAgent``, ``fp:hasParticipant``, ``fp:involves``, ``fp:targets``,
  ``fp:capabilityOf``);
* the picture holds every claim that touches the seed, and — ``depth`` times — every
  claim that touches what those claims name (depth 2 by default, so that "talks →
  launches → sanctions" is one chain even when the actor is only at one end).

Claims with the same subject, predicate and object are one edge, carrying each
claim's quote, modality, sentence and document; the edge's ``modality`` is the
strongest of them (asserted > probable > possible > negated), which the page draws
solid (asserted) or dashed (hedged). Who takes part in an event is drawn too, as thin
grey "takes part" edges (predicate ``participation``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Store

from flashpoint import claim_layer
from flashpoint.errors import UsageError
from flashpoint.vocab import FP, PREFIXES

MAX_CLAIMS = 20_000  # claims read from the store for one picture
MAX_NODES = 1_500  # nodes in one picture (the rest is cut, and the answer says so)
MAX_ACTORS = 2_000  # actors offered in the page's selector

MODALITIES = tuple(iri.rpartition("#")[2] for iri in claim_layer.MODALITY_IRIS.values())  # strongest first
MODALITY_ALIASES = {"hedged": ("Probable", "Possible")}
PARTICIPATION = "participation"  # the pseudo-predicate of "takes part" edges
PARTICIPATION_PROPERTIES = ("hasAgent", "hasParticipant", "involves", "targets", "capabilityOf")
KINDS = ("Actor", "Event", "Situation", "Capability", "PolicyStance", "PolicyOption")
CAUSAL = {"causes", "triggers", "respondsTo", "increases", "decreases", "affects"}
PERCEPTION = {"perceivesAsThreat", "perceivesAsProvocation"}

_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
_IRI_SAFE = re.compile(r'^[^<>"{}|^`\\\x00-\x20]+$')


@dataclass
class Filters:
    actors: list[str] = field(default_factory=list)  # IRIs; empty: every claim
    predicates: list[str] = field(default_factory=list)  # IRIs (sub-properties included); empty: all
    modalities: list[str] = field(default_factory=list)  # local names of fp:Asserted ...; empty: all
    depth: int = 2


def parse_filters(actor: str | None, predicate: str | None, modality: str | None, depth: str | int | None, project) -> Filters:
    """The query parameters of ``/api/graph`` (or the options of ``export --format html``)
    → Filters. Raises UsageError with a message for the person who typed them."""
    from flashpoint.query import actor_terms

    filters = Filters()
    if actor and actor.strip():
        filters.actors = [term[1:-1] for term in actor_terms(actor, project, option="actor=")]
    if predicate and predicate.strip():
        for raw in (p.strip() for p in predicate.split(",")):
            if not raw:
                continue
            if raw == PARTICIPATION:
                filters.predicates.append(PARTICIPATION)
                continue
            iri = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
            if iri.startswith("fp:"):
                iri = FP + iri[3:]
            elif not re.match(r"https?://", iri):
                iri = FP + iri
            if not _IRI_SAFE.match(iri) or not re.fullmatch(r"[\w-]+", iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]):
                raise UsageError(f"predicate={raw!r}: expected a property such as triggers, fp:causes or its IRI")
            filters.predicates.append(iri)
    if modality and modality.strip():
        for raw in (m.strip().lower() for m in modality.split(",")):
            if not raw:
                continue
            names = MODALITY_ALIASES.get(raw) or tuple(m for m in MODALITIES if m.lower() == raw or f"fp:{m.lower()}" == raw)
            if not names:
                raise UsageError(f"modality={raw!r}: expected asserted, probable, possible, negated or hedged")
            filters.modalities.extend(n for n in names if n not in filters.modalities)
    if depth not in (None, ""):
        try:
            filters.depth = int(depth)
        except (TypeError, ValueError):
            raise UsageError(f"depth={depth!r}: expected a whole number from 0 to 5") from None
        if not 0 <= filters.depth <= 5:
            raise UsageError(f"depth={depth!r}: expected a whole number from 0 to 5")
    return filters


def _values(name: str, iris) -> str:
    terms = " ".join(f"<{i}>" for i in iris if _IRI_SAFE.match(i))
    return f"VALUES ?{name} {{ {terms} }}"


def _str(term) -> str | None:
    return None if term is None else term.value


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def graph_data(store: Store, filters: Filters | None = None) -> dict:
    """The picture's nodes and edges (a JSON-ready dict; see the module docstring)."""
    filters = filters or Filters()

    def select(query: str):
        return store.query(_PROLOGUE + query, use_default_graph_as_union=True)

    # 1. the claims (with IRI objects), filtered by predicate (sub-properties included) and modality
    claim_predicates = [p for p in filters.predicates if p != PARTICIPATION]
    restrict = ""
    if filters.predicates:
        restrict += _values("wanted", claim_predicates) + "\n  ?p rdfs:subPropertyOf* ?wanted .\n"
    if filters.modalities:
        restrict += _values("m", [FP + m for m in filters.modalities]) + "\n"
    claims = []
    truncated = False
    if not filters.predicates or claim_predicates:
        rows = select(f"""
SELECT DISTINCT ?claim ?s ?p ?o ?m ?habitual ?quote ?sentence ?doc ?title WHERE {{
  {restrict}
  ?claim a fp:Claim ; fp:claimSubject ?s ; fp:claimPredicate ?p ; fp:claimObject ?o ; fp:modality ?m .
  FILTER (isIRI(?o))
  OPTIONAL {{ ?claim fp:habitual ?habitual }}
  OPTIONAL {{ ?claim fp:quote ?quote }}
  OPTIONAL {{ ?claim fp:sentenceIndex ?sentence }}
  OPTIONAL {{ ?claim prov:wasDerivedFrom ?doc OPTIONAL {{ ?doc dcterms:title ?title }} }}
}} LIMIT {MAX_CLAIMS + 1}""")
        for row in rows:
            claims.append({
                "iri": row["claim"].value, "s": row["s"].value, "p": row["p"].value, "o": row["o"].value,
                "modality": _local(row["m"].value), "habitual": _str(row["habitual"]) == "true",
                "quote": _str(row["quote"]), "sentence": int(row["sentence"].value) if row["sentence"] is not None else None,
                "document": _str(row["doc"]), "title": _str(row["title"]),
            })
        if len(claims) > MAX_CLAIMS:
            claims, truncated = claims[:MAX_CLAIMS], True

    # 2. who takes part in what (the world layer, hypothetical descriptions included)
    takes_part: dict[str, dict[str, str]] = defaultdict(dict)  # event → {actor: property}
    rank = {p: i for i, p in enumerate(PARTICIPATION_PROPERTIES)}
    for row in select(f"""
SELECT DISTINCT ?e ?r ?a WHERE {{
  {_values("r", [FP + p for p in PARTICIPATION_PROPERTIES])}
  ?e ?r ?a . FILTER (isIRI(?a))
}} LIMIT {MAX_CLAIMS * 4}"""):
        e, r, a = row["e"].value, _local(row["r"].value), row["a"].value
        if a not in takes_part[e] or rank[r] < rank[takes_part[e][a]]:
            takes_part[e][a] = r  # the most specific: hasAgent before hasParticipant

    # 3. the neighbourhood of the actor
    if filters.actors:
        seed = set(filters.actors) | {e for e, actors in takes_part.items() if any(a in actors for a in filters.actors)}
        kept: list[dict] = []
        reached = set(seed)
        remaining = claims
        for _ in range(filters.depth + 1):
            touching = [c for c in remaining if c["s"] in reached or c["o"] in reached]
            if not touching:
                break
            kept += touching
            remaining = [c for c in remaining if not (c["s"] in reached or c["o"] in reached)]
            reached |= {c["s"] for c in touching} | {c["o"] for c in touching}
        claims = kept
        node_ids = set(filters.actors) | {c["s"] for c in claims} | {c["o"] for c in claims}
    else:
        node_ids = {c["s"] for c in claims} | {c["o"] for c in claims}

    # participation edges between the things shown and their actors
    show_participation = not filters.predicates or PARTICIPATION in filters.predicates
    participation = []
    if show_participation:
        for e in sorted(node_ids):
            for a, r in sorted(takes_part.get(e, {}).items()):
                participation.append((e, r, a))
        node_ids |= {a for _e, _r, a in participation}

    # cut to MAX_NODES: keep the best connected
    if len(node_ids) > MAX_NODES:
        degree: dict[str, int] = defaultdict(int)
        for c in claims:
            degree[c["s"]] += 1
            degree[c["o"]] += 1
        keep = set(filters.actors)
        keep |= set(sorted(node_ids - keep, key=lambda n: (-degree[n], n))[: MAX_NODES - len(keep)])
        node_ids, truncated = keep, True
        claims = [c for c in claims if c["s"] in node_ids and c["o"] in node_ids]
        participation = [t for t in participation if t[0] in node_ids and t[2] in node_ids]

    # 4. labels, kinds, most specific classes and hypothetical markers of the nodes
    info = _describe(select, sorted(node_ids))
    predicate_labels = _labels(select, sorted({c["p"] for c in claims}))

    # 5. edges: one per (subject, predicate, object)
    grouped: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for c in claims:
        grouped[(c["s"], c["p"], c["o"])].append(c)
    edges = []
    for (s, p, o), group in sorted(grouped.items()):
        group.sort(key=lambda c: (c["title"] or "", c["sentence"] if c["sentence"] is not None else -1, c["iri"]))
        strongest = min(MODALITIES.index(c["modality"]) if c["modality"] in MODALITIES else 9 for c in group)
        name = _local(p)
        edges.append({
            "id": f"e{len(edges)}", "source": s, "target": o, "predicate": p, "name": name,
            "label": predicate_labels.get(p) or name, "group": _group(name),
            "modality": MODALITIES[strongest].lower() if strongest < len(MODALITIES) else "unknown",
            "claims": [{k: c[k] for k in ("iri", "quote", "modality", "habitual", "sentence", "document", "title")} for c in group],
        })
    claimed = {(c["s"], c["p"], c["o"]) for c in claims}
    for e, r, a in participation:
        if (e, FP + r, a) in claimed:  # a claim already draws it ("the exercises target North Korea")
            continue
        edges.append({
            "id": f"e{len(edges)}", "source": e, "target": a, "predicate": FP + r, "name": PARTICIPATION,
            "label": {"hasAgent": "by", "targets": "targets", "capabilityOf": "of"}.get(r, "involves"),
            "group": PARTICIPATION, "modality": "asserted", "claims": [],
        })

    nodes = []
    for n in sorted(node_ids):
        d = info.get(n, {})
        nodes.append({
            "id": n, "label": d.get("label") or _local(n), "kind": d.get("kind", "other"),
            "classes": d.get("classes", []), "hypothetical": d.get("hypothetical", False),
            "focus": n in filters.actors,
        })

    return {
        "actor": [{"iri": a, "label": info.get(a, {}).get("label") or _local(a)} for a in filters.actors],
        "filters": {"predicates": filters.predicates, "modalities": [m.lower() for m in filters.modalities], "depth": filters.depth},
        "nodes": nodes,
        "edges": edges,
        "predicates": _predicate_list(edges),
        "actors": actor_list(store),
        "truncated": truncated,
        "limits": {"claims": MAX_CLAIMS, "nodes": MAX_NODES},
    }


def _group(name: str) -> str:
    if name in CAUSAL:
        return "causal"
    if name in PERCEPTION:
        return "perception"
    if name == "holdsStance":
        return "stance"
    return "other"


def _predicate_list(edges: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for e in edges:
        entry = seen.setdefault(e["name"], {"name": e["name"], "label": e["label"] if e["name"] != PARTICIPATION else "takes part",
                                             "group": e["group"], "count": 0})
        entry["count"] += 1
    order = {"causal": 0, "perception": 1, "stance": 2, "other": 3, PARTICIPATION: 4}
    return sorted(seen.values(), key=lambda p: (order.get(p["group"], 9), p["label"]))


def _describe(select, iris: list[str]) -> dict[str, dict]:
    info: dict[str, dict] = {i: {"classes": []} for i in iris}
    for start in range(0, len(iris), 500):
        chunk = iris[start : start + 500]
        values = _values("x", chunk)
        for row in select(f"SELECT ?x (SAMPLE(?l) AS ?label) WHERE {{ {values} ?x rdfs:label ?l }} GROUP BY ?x"):
            info[row["x"].value]["label"] = row["label"].value
        for row in select(f"SELECT DISTINCT ?x ?k WHERE {{ {values} {_values('k', [FP + k for k in KINDS])} ?x a/rdfs:subClassOf* ?k }}"):
            kind = _local(row["k"].value)
            current = info[row["x"].value].get("kind")
            if current is None or KINDS.index(kind) < KINDS.index(current):
                info[row["x"].value]["kind"] = kind
        for row in select(f"""SELECT DISTINCT ?x ?cl WHERE {{ {values}
  ?x a ?c . ?c rdfs:label ?cl . FILTER (STRSTARTS(STR(?c), STR(fp:)))
  FILTER NOT EXISTS {{ ?x a ?c2 . ?c2 rdfs:subClassOf+ ?c . FILTER (?c2 != ?c) }}
}}"""):
            info[row["x"].value]["classes"].append(row["cl"].value)
        for row in select(f"SELECT DISTINCT ?x WHERE {{ {values} ?x fp:hypothetical true }}"):
            info[row["x"].value]["hypothetical"] = True
    for d in info.values():
        d["classes"].sort()
        d["kind"] = {"PolicyStance": "stance", "PolicyOption": "policy"}.get(d.get("kind", ""), d.get("kind", "other").lower())
    return info


def _labels(select, iris: list[str]) -> dict[str, str]:
    if not iris:
        return {}
    return {row["x"].value: row["label"].value
            for row in select(f"SELECT ?x (SAMPLE(?l) AS ?label) WHERE {{ {_values('x', iris)} ?x rdfs:label ?l }} GROUP BY ?x")}


def actor_list(store: Store) -> list[dict]:
    """The actors that claims name (subject or object), for the page's selector, by label."""
    rows = store.query(_PROLOGUE + f"""
SELECT ?a (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?claim) AS ?claims) WHERE {{
  {{ SELECT DISTINCT ?a ?claim WHERE {{ ?claim a fp:Claim . {{ ?claim fp:claimSubject ?a }} UNION {{ ?claim fp:claimObject ?a }} ?a a/rdfs:subClassOf* fp:Actor }} }}
  OPTIONAL {{ ?a rdfs:label ?l }}
}} GROUP BY ?a ORDER BY DESC(?claims) LIMIT {MAX_ACTORS}""", use_default_graph_as_union=True)
    actors = [{"iri": r["a"].value, "label": _str(r["label"]) or _local(r["a"].value), "claims": int(r["claims"].value)} for r in rows]
    return sorted(actors, key=lambda a: a["label"].lower())
