"""The review app's state and checks: documents, claims, validation, vocabulary, saving.

Stateless between requests: opening a document gives the browser the claims as the file
holds them (re-anchored in memory when the document changed after review) and a
``version`` (the sha256 of the claims file's bytes). Saving sends the claims back; the
server compares the file on disk with that version (another change in between → a
conflict, nothing written), turns the differences into text edits (``yamledit``), checks
the result exactly as ``flashpoint build`` would (schema, quotes and offsets, entity
resolution, the reasoner on the document's module), and writes it atomically under the
project lock.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import rdflib
import yaml

from flashpoint.errors import FlashpointError, InconsistentError, InputError
from flashpoint.claim_layer import FORMAT, MODALITIES
from flashpoint.loaders.claims_file import (ClaimsFile, check_claim_offsets, check_against_document,
                                            dump_claims_file, load_claims_file)
from flashpoint.loaders.reanchor import write_atomically  # one atomic writer for claims files
from flashpoint.loaders.text import read_document, split_sentences
from flashpoint.lock import project_lock
from flashpoint.model import Model, load_model
from flashpoint.project import Project
from flashpoint.review.yamledit import EditError, Edits, apply_edits, clean_claim, same
from flashpoint.terms import FAMILY_ROOTS
from flashpoint.vocab import FP, FPID

SKOS_DEFINITION = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#definition")
ACTOR_FORMS = ("actor", "group", "government", "public")


class NotFound(FlashpointError):
    """No such document in the project (HTTP 404)."""


class Conflict(FlashpointError):
    """The claims file changed on disk since it was opened (HTTP 409)."""


class Invalid(FlashpointError):
    """The claims would not pass the build (HTTP 422); ``errors`` say where."""

    def __init__(self, message: str, errors: list[dict]):
        self.errors = errors
        super().__init__(message)


def sha256_text(raw: str | None) -> str | None:
    return None if raw is None else hashlib.sha256(raw.encode("utf-8")).hexdigest()




@dataclass
class Document:
    slug: str
    path: Path
    text: str
    sha256: str

    @cached_property
    def sentences(self):
        return split_sentences(self.text)


class Review:
    """One project, as the review app sees it."""

    def __init__(self, project: Project, model: Model | None = None):
        self.project = project
        self.model = model or load_model(project)
        self._save_lock = threading.Lock()  # the project lock is re-entrant within a process: one save at a time

    # ------------------------------------------------------------ documents

    def document(self, slug: str) -> Document:
        """The document of ``slug``: only a slug of ``Project.documents()``, never a path."""
        if not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
            raise NotFound(f"no document {slug!r}")
        path = self.project.documents().get(slug)
        if path is None:
            raise NotFound(f"no document {slug!r} in this project")
        return Document(slug, path, read_document(path), hashlib.sha256(path.read_bytes()).hexdigest())

    def documents(self) -> list[dict]:
        out = []
        for slug, path in sorted(self.project.documents().items()):
            claims_path = self.project.claims_file_for(slug)
            entry = {"slug": slug, "document": path.name, "claims": 0, "pending": 0, "reviewed": False, "has_claims": claims_path.exists()}
            if claims_path.exists():
                try:
                    data = yaml.safe_load(claims_path.read_text(encoding="utf-8")) or {}
                    claims = data.get("claims") or []
                    entry.update(claims=len(claims), pending=sum(1 for c in claims if _pending(c)), reviewed=bool(data.get("reviewed", True)),
                                 title=data.get("title"))
                except (OSError, yaml.YAMLError, AttributeError):
                    entry["error"] = "the claims file cannot be read"
            out.append(entry)
        return out

    def open(self, slug: str) -> dict:
        """The document and its claims for the browser."""
        doc = self.document(slug)
        path = self.project.claims_file_for(slug)
        raw = path.read_text(encoding="utf-8") if path.exists() else None
        state: dict[str, Any] = {
            "slug": slug, "document": doc.path.name, "text": doc.text, "version": sha256_text(raw),
            "sentences": [{"index": s.index, "start": s.start, "end": s.end} for s in doc.sentences],
            "claims": [], "reviewed": False, "title": doc.path.name, "reanchored": False, "problems": [],
        }
        if raw is None:
            return state
        try:
            claims_file = load_claims_file(path, raw=raw)
        except InputError as err:
            state["problems"].append(_problem(err))
            return state
        data = yaml.safe_load(raw)
        state.update(reviewed=claims_file.reviewed, title=claims_file.title or doc.path.name)
        claims = [{"id": i, "data": clean_claim(c), "moved": None, "missing": None} for i, c in enumerate(data.get("claims") or [])]
        if claims_file.sha256 != doc.sha256:
            from flashpoint.loaders.reanchor import plan_reanchor

            state["reanchored"] = True
            plan = plan_reanchor(path, doc.path)
            for anchor in plan.anchors:
                claim = claims[anchor.index]
                if anchor.missing:
                    claim["missing"] = anchor.problem
                elif anchor.changed:
                    claim["moved"] = {"sentence": anchor.claim.sentence, "start": anchor.claim.start, "end": anchor.claim.end,
                                      "ambiguous": anchor.occurrences}
                    claim["data"].update(sentence=anchor.sentence, start=anchor.start, end=anchor.end)
        for claim in claims:
            claim["labels"] = self.labels(claim["data"])
            claim["errors"] = self.validate(slug, claim["data"], doc)
        state["claims"] = claims
        return state

    # ------------------------------------------------------------ validation

    def validate(self, slug: str, data: dict, doc: Document | None = None) -> list[dict]:
        """What the build would say about this one claim: [{field, message, hint}] ([] when it passes)."""
        doc = doc or self.document(slug)
        path = self.project.claims_file_for(slug)
        if not isinstance(data, dict):
            return [{"field": None, "message": "a claim is a mapping", "hint": None}]
        claim = clean_claim(data)
        raw = dump_claims_file({"format": FORMAT, "document": doc.path.name, "sha256": doc.sha256, "claims": [claim]})
        key_at = _key_lines(raw)
        try:
            claims_file = load_claims_file(path, raw=raw)
        except InputError as err:
            return [_error(err, key_at)]
        except yaml.YAMLError as err:  # a value YAML cannot hold
            return [{"field": None, "message": str(err).splitlines()[0], "hint": None}]
        errors = []
        try:
            check_claim_offsets(path, claims_file.claims[0], doc.text, doc.sentences)
        except InputError as err:
            errors.append(_error(err, key_at))
        try:
            from flashpoint.loaders.to_rdf import document_rdf

            document_rdf(claims_file, slug, self.model.gazetteer, self.model.terms, self.model.policies)
        except InputError as err:
            errors.append(_error(err, key_at))
            return errors
        why = self.checker.why_not(claim)
        if why:
            role = self._role_of(why, claim)
            errors.append({"field": role, "message": f"cannot hold under the ontology: {why}", "hint": _fit_hint(self, claim)})
        return errors

    def _role_of(self, why: str, claim: dict) -> str:
        if " as subject of " in why:
            return "subject"
        if " as object of " in why:
            return "object"
        if why.startswith("unknown predicate"):
            return "predicate"
        from flashpoint.loaders.extract.wellformed import Unfit

        try:
            self.checker.entity(claim.get("subject"))
        except Unfit:
            return "subject"
        return "object"

    @cached_property
    def checker(self):
        from flashpoint.loaders.extract.wellformed import Checker, Ontology

        return Checker(Ontology.from_model(self.model), {i: a.cls for i, a in self.model.gazetteer.actors.items()})

    def labels(self, data: dict) -> dict:
        """Readable names of a claim's subject, predicate and object ('' where it does not resolve)."""
        from flashpoint.loaders.to_rdf import Resolver

        resolver = Resolver(None, self.model.gazetteer, self.model.terms, self.model.policies)
        out = {"predicate": self.property_label(str(data.get("predicate", "")))}
        subject = None
        for role in ("subject", "object"):
            value = data.get(role)
            try:
                if role == "object" and isinstance(value, dict) and "year" in value:
                    out[role] = str(value["year"]) + (f" ({value['precision']})" if value.get("precision") else "")
                elif role == "object" and isinstance(value, dict) and "stance" in value and subject is not None:
                    entity = resolver.stance(subject, value, 0)
                    out[role] = resolver._label_of(entity)
                else:
                    entity = resolver.entity(value, 0)
                    subject = entity if role == "subject" else subject
                    out[role] = resolver._label_of(entity) if not str(entity.term.value).startswith(FPID + "policy/") else self.policy_label(value["policy"])
            except Exception:  # an unresolvable entity: its validation error says why
                out[role] = ""
        return out

    # ------------------------------------------------------------ vocabulary

    def _literal(self, local: str, prop: rdflib.URIRef, base: str = FP) -> str:
        for value in self.model.graph.objects(rdflib.URIRef(base + local), prop):
            if getattr(value, "language", None) in (None, "en"):
                return str(value)
        return ""

    def property_label(self, name: str) -> str:
        return self._literal(name, rdflib.RDFS.label) or name

    def policy_label(self, slug: str) -> str:
        return self._literal("policy/" + slug, rdflib.RDFS.label, FPID) or slug

    @cached_property
    def vocabulary(self) -> dict:
        """Everything the autocomplete offers."""
        terms = self.model.terms
        actors = [{"id": a.id, "label": a.label, "aliases": list(a.aliases) + list(a.demonyms), "cls": a.cls}
                  for a in sorted(self.model.gazetteer.actors.values(), key=lambda a: a.label)]
        classes = {}
        for family in FAMILY_ROOTS:
            classes[family] = [{"name": c, "label": self._literal(c, rdflib.RDFS.label) or c,
                                "definition": self._literal(c, SKOS_DEFINITION)}
                               for c in terms.classes_of(family) if c not in terms.deprecated]
        all_classes = sorted({c for fam in classes.values() for c in (x["name"] for x in fam)} | {"PolicyOption", "PolicyStance"})
        properties = []
        for name in sorted(terms.world_properties() - terms.deprecated):
            checker = self.checker
            fits = {role: [c for c in all_classes if not checker._cannot_be(c, checker._needs(name, role))] for role in ("subject", "object")}
            properties.append({"name": name, "label": self.property_label(name), "definition": self._literal(name, SKOS_DEFINITION),
                               "year": name in terms.datatype_properties, "stance": checker._must_be(name, "object", "PolicyStance"),
                               "fits": fits})
        policies = [{"slug": p, "label": self.policy_label(p), "definition": self._literal("policy/" + p, SKOS_DEFINITION, FPID)}
                    for p in sorted(self.model.policies)]
        return {"actors": actors, "project_actors": self.project_actors(), "classes": classes, "properties": properties,
                "policies": policies, "modalities": list(MODALITIES)}

    def project_actors(self) -> list[dict]:
        """The actors the project's claims files name that are not plain gazetteer ids
        (``{actor: houthis, …}``, governments, publics, groups), each once."""
        seen: dict[str, dict] = {}

        def visit(value: Any) -> None:
            if isinstance(value, dict):
                if set(value) & set(ACTOR_FORMS) and not set(value) & {"event", "situation", "capability"}:
                    key = yaml.safe_dump(value, sort_keys=True)
                    if key not in seen:
                        seen[key] = {"value": value, "label": self.labels({"subject": value}).get("subject") or str(value)}
                for v in value.values():
                    visit(v)
            elif isinstance(value, list):
                for v in value:
                    visit(v)

        for path in self.project.claims_files_unvalidated().values():
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError):
                continue
            for claim in data.get("claims") or []:
                if isinstance(claim, dict):
                    visit(claim.get("subject"))
                    visit(claim.get("object"))
        return sorted(seen.values(), key=lambda a: a["label"])

    # ------------------------------------------------------------ saving

    def save(self, slug: str, payload: dict) -> dict:
        """Write the reviewer's claims; returns the document opened again, with ``saved`` facts."""
        doc = self.document(slug)
        path = self.project.claims_file_for(slug)
        items = payload.get("claims")
        if not isinstance(items, list):
            raise Invalid("no claims in the request", [])
        with self._save_lock, project_lock(self.project.root, "review", timeout=30):
            raw = path.read_text(encoding="utf-8") if path.exists() else None
            if sha256_text(raw) != payload.get("version"):
                raise Conflict(f"{path.name} changed on disk since it was opened: reload it (your edits are kept in the page until you do)")
            if raw is None:
                raw = dump_claims_file({"format": FORMAT, "document": doc.path.name, "sha256": doc.sha256,
                                        "title": doc.path.name, "reviewed": False, "claims": []})
            original = yaml.safe_load(raw) or {}
            olds = original.get("claims") or []
            edits = Edits()
            for item in items:
                if not isinstance(item, dict) or not isinstance(item.get("data", {}), dict):
                    raise Invalid("a malformed claim in the request", [])
                ident = item.get("id")
                if ident is None:
                    if not item.get("deleted"):
                        edits.added.append(clean_claim(item["data"]))
                    continue
                if not isinstance(ident, int) or not 0 <= ident < len(olds):
                    raise Invalid(f"claim {ident!r} is not in the file", [])
                if item.get("deleted"):
                    edits.deleted.add(ident)
                elif not same(clean_claim(olds[ident]), clean_claim(item["data"])):
                    edits.changed[ident] = item["data"]
            if original.get("sha256") != doc.sha256:
                if not payload.get("reanchor_confirmed"):
                    raise Invalid("the document changed after review: confirm the claims that moved first", [])
                edits.header["sha256"] = doc.sha256
            final = [clean_claim(edits.changed.get(i, c)) for i, c in enumerate(olds) if i not in edits.deleted] + edits.added
            if payload.get("reviewed"):
                pending = [i for i, c in enumerate(final) if _pending(c)]
                if pending:
                    raise Invalid(f"{len(pending)} proposals are still pending: accept, edit or reject them before marking the file reviewed",
                                  [{"index": i, "field": None, "message": "pending proposal"} for i in pending])
                if original.get("reviewed") is not True:
                    edits.header["reviewed"] = True
            try:
                text = apply_edits(raw, edits) if edits or not path.exists() else raw
            except EditError as err:
                raise Invalid(f"cannot edit {path.name} as text: {err}", []) from None
            claims_file, rdf = self._check_file(slug, path, text, doc)
            warning = self._reason(slug, rdf, strict=bool(claims_file.reviewed))
            changed = text != (path.read_text(encoding="utf-8") if path.exists() else None)
            if changed:
                write_atomically(path, text)
        state = self.open(slug)
        state["saved"] = {"changed": changed, "edited": len(edits.changed), "deleted": len(edits.deleted), "added": len(edits.added),
                          "warning": warning}
        return state

    def _check_file(self, slug: str, path: Path, text: str, doc: Document):
        """The build's checks of the new text; Invalid with the claim and field of the first problem."""
        from flashpoint.loaders.to_rdf import document_rdf

        try:
            claims_file = load_claims_file(path, raw=text)
            check_against_document(claims_file, doc.path, doc.text)
            rdf = document_rdf(claims_file, slug, self.model.gazetteer, self.model.terms, self.model.policies)
        except InputError as err:
            index, field = _claim_at(text, err.line)
            raise Invalid(err.message, [{"index": index, "field": field, "message": err.message, "hint": err.hint}]) from None
        return claims_file, rdf

    def _reason(self, slug: str, rdf, strict: bool) -> str | None:
        """HermiT on the document's module, as the build runs it. An inconsistency refuses a
        reviewed file (it would stop the build) and is a warning for an unreviewed one (the
        build sets such a document aside)."""
        from flashpoint.build import _gazetteer_triples
        from flashpoint.reasoner import reason

        try:
            reason(self.model.reasoner_ntriples, self.model.axioms, {slug: rdf.world + _gazetteer_triples(self.model, rdf.gazetteer_ids)})
        except InconsistentError:
            message = ("the OWL reasoner (HermiT) finds this document's claims inconsistent with the ontology"
                       " (run `flashpoint check` after a build for the claims and axioms that clash)")
            if strict:
                raise Invalid(message + ": not saved", [{"index": None, "field": None, "message": message}]) from None
            return message + "; saved, but the build will set the document aside until it is fixed"
        return None


# ---------------------------------------------------------------- helpers


def _pending(claim: dict) -> bool:
    """A machine proposal nobody accepted yet."""
    return isinstance(claim, dict) and claim.get("extracted_by", "curated") != "curated" and claim.get("accepted") is not True


def _key_lines(raw: str) -> dict[int, str]:
    """Line number → claim key, for the one-claim file ``validate`` builds."""
    out = {}
    for number, line in enumerate(raw.splitlines(), 1):
        match = re.match(r"^(?:- |  )([a-z_]+):", line)
        if match and number > 1:
            out[number] = match.group(1)
    return out


def _error(err: InputError, key_at: dict[int, str]) -> dict:
    field = key_at.get(err.line) if err.line else None
    match = re.match(r"claims\.0\.([a-z_]+)", err.message)
    if match:
        field = match.group(1)
    message = re.sub(r"^claims\.0\.", "", err.message)
    return {"field": field, "message": message, "hint": err.hint}


def _problem(err: InputError) -> dict:
    return {"line": err.line, "message": err.message, "hint": err.hint}


def _claim_at(text: str, line: int | None) -> tuple[int | None, str | None]:
    """Which claim (index) and key a line of a claims file belongs to."""
    if not line:
        return None, None
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    claims = next((v for k, v in root.value if k.value == "claims"), None)
    index = None
    for i, node in enumerate(getattr(claims, "value", []) or []):
        if node.start_mark.line + 1 <= line:
            index = i
    field = None
    if index is not None:
        for key, _value in claims.value[index].value:
            if key.start_mark.line + 1 <= line:
                field = key.value
    return index, field


def _fit_hint(review: Review, claim: dict) -> str | None:
    for prop in review.vocabulary["properties"]:
        if prop["name"] == claim.get("predicate"):
            return f"{prop['name']}: subject one of {', '.join(prop['fits']['subject'][:12])}; object one of {', '.join(prop['fits']['object'][:12])}"
    return None
