"""The extraction pipeline: text → paragraphs → sentences → mentions →
references → clauses → relations → claims (the claims-file format).

The text is processed one paragraph at a time (blank lines; a paragraph
larger than ``MAX_BUFFER`` characters is cut after its last complete
sentence, and one longer than ``MAX_PIECE`` is processed in pieces of whole
sentences), so memory stays flat on large inputs; sentence indices and
character offsets stay global and equal to those of
``flashpoint.loaders.text.split_sentences`` on the whole text.

Every claim is checked against the ontology before it is yielded
(``wellformed.py``): one that cannot hold is dropped and counted.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Iterable, Iterator

from flashpoint.claim_layer import FORMAT
from flashpoint.loaders.text import document_title, read_document, split_sentences

from .classes import ClassHierarchy, hierarchy_of
from .confidence import confidence_of
from .entities import Mention, adjust_hits, build_mentions, make_sentences
from .modality import segment
from .newactors import NOTE as NEW_ACTOR_NOTE, NewActors
from .proposal import Proposal
from .reference import Discourse
from .rel_base import actor_yaml
from .relations import Relations
from .resources import get_resources, resources_for
from .wellformed import checker_for

MAX_BUFFER = 1 << 20
# spaCy refuses a text over nlp.max_length (1,000,000 characters, error E088),
# and one Doc per paragraph holds all its tokens: a paragraph longer than this
# is tokenized in pieces of whole sentences.
MAX_PIECE = 100_000
_PARA = re.compile(r"\n[ \t\r\f\v]*\n")
_FENCE = re.compile(r"^(```|~~~)")


def _paragraphs(chunks: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(offset, text) of paragraphs, long ones in pieces of whole sentences."""
    for offset, para in _whole_paragraphs(chunks):
        yield from _pieces(offset, para)


def _pieces(offset: int, text: str) -> Iterator[tuple[int, str]]:
    """``text`` cut at sentence starts into pieces of at most ``MAX_PIECE``
    characters (a longer single sentence stays whole). Cutting at a sentence
    start changes no sentence: ``split_sentences`` decides a boundary from the
    40 characters before it and the next non-space character, all inside the
    piece, and the piece's last sentence ends where the piece does."""
    pos = 0
    while len(text) - pos > MAX_PIECE:
        sents = split_sentences(text[pos:pos + MAX_PIECE])
        if len(sents) < 2:  # one sentence fills the window: cut after it
            sents = split_sentences(text[pos:])[:2]
            if len(sents) < 2:
                break
        cut = pos + sents[-1].start
        yield offset + pos, text[pos:cut]
        pos = cut
    yield offset + pos, text[pos:]


def _whole_paragraphs(chunks: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(offset, paragraph text) from a stream of text chunks."""
    buf = ""
    base = 0
    for chunk in chunks:
        buf += chunk
        pos = 0
        while True:
            m = _PARA.search(buf, pos)
            if m is not None and m.end() < len(buf):
                yield base + pos, buf[pos:m.end()]
                pos = m.end()
                continue
            if len(buf) - pos > MAX_BUFFER:
                sents = split_sentences(buf[pos:])
                if len(sents) > 1:
                    end = pos + sents[-1].start
                    yield base + pos, buf[pos:end]
                    pos = end
                    continue
            break
        base += pos
        buf = buf[pos:]
    if buf:
        yield base, buf


class Extractor:
    def __init__(self, res=None, classes: ClassHierarchy | None = None):
        self.res = res or get_resources()
        self.classes = classes or hierarchy_of()  # the ontology's class hierarchy (a project's extensions included)
        self.discourse = Discourse(self.res, self.classes)
        self.new_actors = NewActors(self.res)
        self.discourse.new_actors = self.new_actors
        self.relations = Relations(self.res, self.discourse, self.to_entity)
        self.sentence_count = 0

    # -------------------------------------------------------------- entities
    def _slot(self, items, thing: bool = True) -> list:
        """The actors of an event's, situation's or capability's slot. A state's government or
        public inside a thing is the state ("Caracas's moves", "tension between the two
        governments"): governments and publics are kept only as claim subjects and objects."""
        out = []
        for x in items:
            acts = self.discourse.actors_of(x)
            for a in acts:
                y = actor_yaml(a, self.discourse)
                if thing and isinstance(y, dict) and isinstance(y.get("government", y.get("public")), str):
                    y = y.get("government", y.get("public"))
                if y is not None and y not in out:
                    out.append(y)
        return out

    def to_entity(self, m: Mention, kind: str, sd, perceiver=None):
        if kind in ("situation", "capability", "policy"):
            m = m.thing_behind(kind)   # "it" standing for a thing named before
        if kind == "event":
            src = m
            cls = m.readings.get("event", "Event")
            if m.antecedent:
                chosen = None
                for group in m.antecedent:
                    ok = [e for e in group if not (perceiver is not None and perceiver in self._slot(e.agents, thing=False))]
                    if ok:
                        chosen = ok[0]
                        break
                if chosen is not None:
                    src = chosen
                    acls = chosen.readings.get("event", "Event")
                    if cls == "Event" or self.classes.compatible(acls, cls) and acls != "Event" and (
                            self.classes.depth(acls) > self.classes.depth(cls)):
                        cls = acls
            agents = self._slot(src.agents)
            if cls == "MilitaryExercise" and len(agents) + len(self._slot(src.participants)) >= 2:
                cls = "JointMilitaryExercise"
            ent = {"event": cls}
            participants = [p for p in self._slot(src.participants) if p not in agents]
            targets = [t for t in self._slot(src.targets) if t not in agents]
            if agents:
                ent["agents"] = agents
            if participants:
                ent["participants"] = participants
            if targets:
                ent["targets"] = targets
            return ent
        if kind == "situation":
            ent = {"situation": m.readings["situation"]}
            inv = self._slot(m.involves)
            if inv:
                ent["involves"] = inv
            return ent
        if kind == "capability":
            ent = {"capability": m.readings["capability"]}
            holder = self._slot(m.holder)
            if holder:
                ent["holder"] = holder[0]
            return ent
        if kind == "policy":
            return {"policy": m.readings["policy"]}
        if kind == "actor":
            acts = self._slot([m], thing=False)
            return acts[0] if acts else None
        return None

    # -------------------------------------------------------------- running
    def process_paragraph(self, offset: int, text: str, first_index: int) -> tuple[list, int]:
        sents = split_sentences(text)
        if not sents:
            return [], 0
        nlp = self.res.nlp
        if len(text) >= nlp.max_length:
            # a single sentence over MAX_PIECE: the pipeline is a bare
            # tokenizer, whose memory is linear in the text (the limit guards
            # the parser and NER, which this pipeline does not have)
            nlp.max_length = len(text) + 1
        doc = nlp.make_doc(text)
        data = make_sentences(doc, [(first_index + s.index, s.start, s.end, s.text) for s in sents], self.res)
        claims = []
        for sd in data:
            adjust_hits(sd)
            self.new_actors.register(sd)
        for sd in data:
            self.new_actors.scan(sd)
            build_mentions(sd, self.res, self.classes)
            self.discourse.resolve(sd)
            segment(sd, self.res)
            found = self.relations.run(sd)
            for c in found:
                c.start += offset
                c.end += offset
            claims.extend(found)
            self.discourse.learn(found)
            self.discourse.remember(sd, getattr(sd, "verbal", ()))
        return claims, len(sents)


def _finish(claims: list[Proposal], text_of, min_confidence: float) -> list[dict]:
    """The claims-file entries of a paragraph's proposals: ordered, the first of each
    (sentence, subject, predicate, object) kept, scored, those under ``min_confidence`` left out."""
    out = []
    seen = set()
    keyed = []
    for c in claims:
        sj = json.dumps(c.subject, sort_keys=True)
        oj = json.dumps(c.object, sort_keys=True)
        keyed.append(((c.sentence, c.start, c.end, c.predicate, sj, oj, c.modality), c))
    keyed.sort(key=lambda kc: kc[0])   # stable: proposals with the same key keep the rules' order
    for k, c in keyed:
        ident = (k[0], k[4], k[3], k[5])
        if ident in seen:
            continue
        seen.add(ident)
        conf = confidence_of(c.extracted_by, c.modality)
        if conf < min_confidence:
            continue
        quote = text_of(c.start, c.end)
        new = _has_new_actor(c.subject) or _has_new_actor(c.object)
        out.append({
            "sentence": c.sentence,
            "quote": quote,
            "start": c.start,
            "end": c.end,
            "subject": c.subject,
            "predicate": c.predicate,
            "object": c.object,
            "modality": c.modality,
            "habitual": c.habitual,
            "extracted_by": c.extracted_by,
            "confidence": conf,
        })
        if new:
            out[-1]["note"] = NEW_ACTOR_NOTE
    return out


def _has_new_actor(e) -> bool:
    """An actor outside the gazetteer ({actor: slug, class: …, label: …}) anywhere in the entity."""
    if isinstance(e, dict):
        if "actor" in e and "class" in e:
            return True
        return any(_has_new_actor(v) for v in e.values() if isinstance(v, (dict, list)))
    if isinstance(e, list):
        return any(_has_new_actor(v) for v in e)
    return False


def iter_claims(source, min_confidence: float = 0.0, res=None, gazetteer=None, ontology=None,
                dropped=None) -> Iterator[dict]:
    """Claims of a text given as a Path or an iterable of text chunks, one
    paragraph at a time (offsets and sentence indices are global).
    ``gazetteer``: a ``flashpoint.gazetteer.Gazetteer`` (default: the bundled one).
    ``ontology``: a ``flashpoint.model.Model`` (a project's ontology, extension
    files included) or an rdflib Graph; default: the bundled ontology. Claims
    that cannot hold under it are not yielded; ``dropped`` (a
    ``wellformed.Dropped``, or anything with ``add(claim, reason)``) counts them."""
    if res is None:
        res = resources_for(gazetteer)
    checker = checker_for(res, ontology)
    if isinstance(source, Path):
        chunks: Iterable[str] = _read_chunks(source)
    elif isinstance(source, str):
        chunks = [source]
    else:
        chunks = source
    ex = Extractor(res, ClassHierarchy(checker.onto.terms.superclasses))
    index = 0
    for offset, para in _paragraphs(chunks):
        claims, count = ex.process_paragraph(offset, para, index)
        index += count
        finished = _finish(claims, lambda s, e, p=para, o=offset: p[s - o:e - o], min_confidence)
        stated = _stated_descriptions(finished)
        for claim in finished:
            reason = checker.why_not(claim) or _hedge_stated_elsewhere(claim, stated)
            if reason is None:
                yield claim
            elif dropped is not None:
                dropped.add(claim, reason)


# An event's description names its agents, targets and participants: in the world layer
# these are facts as soon as one asserted claim mentions the event.
DESCRIBED_ROLES = {"hasAgent": "agents", "targets": "targets", "hasParticipant": "participants"}


def _stated_descriptions(claims: list) -> set[str]:
    """The entity descriptions that asserted claims of the paragraph mention (as JSON)."""
    return {json.dumps(c[slot], sort_keys=True) for c in claims if c["modality"] == "asserted"
            for slot in ("subject", "object") if isinstance(c[slot], dict)}


def _hedge_stated_elsewhere(claim: dict, stated: set[str]) -> str | None:
    """Why a hedged claim cannot be kept: its triple is part of its subject's own description
    ("could launch an attack" on {event: Attack, agents: [x]}), and an asserted claim mentions
    that description ("fear that x could launch an attack"), which makes the triple a fact.
    The build would then hold as fact what the claim hedges (check: FP-R01)."""
    role = DESCRIBED_ROLES.get(claim["predicate"])
    subject = claim["subject"]
    if claim["modality"] == "asserted" or role is None or not isinstance(subject, dict):
        return None
    if claim["object"] in (subject.get(role) or []) and json.dumps(subject, sort_keys=True) in stated:
        return "hedged, but an asserted claim's description states it"
    return None


def _read_chunks(path: Path, size: int = 1 << 20) -> Iterator[str]:
    """The file's text in pieces, with read_document's checks (empty, binary,
    not UTF-8 → InputError) done as it streams."""
    import codecs

    from flashpoint.errors import InputError

    decoder = codecs.getincrementaldecoder("utf-8")()
    seen_text = False
    offset = 0
    lines = 0
    with open(path, "rb") as handle:
        first = True
        while True:
            data = handle.read(size)
            if first and b"\x00" in data[:8192]:
                raise InputError(path, None, "the document looks binary (it contains NUL bytes); expected UTF-8 text")
            first = False
            final = not data
            try:
                text = decoder.decode(data, final=final)
            except UnicodeDecodeError as err:
                if not data:  # the decoder's leftover: an incomplete sequence at the end of the file
                    raise InputError(path, lines + 1, "not valid UTF-8 (an incomplete character at the end of the file)") from None
                raise InputError(path, lines + data[: err.start].count(b"\n") + 1,
                                 f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {offset + err.start})") from None
            lines += data.count(b"\n")
            offset += len(data)
            if text.strip():
                seen_text = True
            if text:
                yield text
            if final:
                break
    if not seen_text:
        raise InputError(path, None, "the document is empty")


def extract_text(text: str, document_name: str, sha256: str | None = None, min_confidence: float = 0.0,
                 res=None, gazetteer=None, ontology=None, dropped=None) -> dict:
    """The claims file (a dict) of ``text``. ``gazetteer`` is a
    ``flashpoint.gazetteer.Gazetteer`` whose actors are recognised; by default
    the bundled one. Pass ``load_gazetteer(project / "kb" / "gazetteer.yaml")``
    to add a project's actors. ``ontology`` and ``dropped``: see ``iter_claims``."""
    if sha256 is None:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    # already in order: each paragraph's claims are sorted by (sentence, start, end, predicate, subject,
    # object, modality) in _finish, and sentence indices grow from one paragraph to the next
    claims = list(iter_claims([text], min_confidence=min_confidence, res=res, gazetteer=gazetteer,
                              ontology=ontology, dropped=dropped))
    return {
        "format": FORMAT,
        "document": document_name,
        "sha256": sha256,
        "title": document_title(text[:4096], document_name),
        "reviewed": False,
        "claims": claims,
    }


def extract_document(path: Path, min_confidence: float = 0.0, res=None, gazetteer=None, ontology=None,
                     dropped=None) -> dict:
    path = Path(path)
    text = read_document(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return extract_text(text, path.name, sha, min_confidence=min_confidence, res=res, gazetteer=gazetteer,
                        ontology=ontology, dropped=dropped)
