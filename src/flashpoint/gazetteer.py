"""The actor gazetteer: states, organisations and armed groups, as data.

The data lives in ``ontology/gazetteer.yaml`` (shipped with the package); a
project may add actors in ``kb/gazetteer.yaml`` with the same format. Each actor
becomes ``fpid:actor/<id>`` with its label, aliases, demonyms and capital as
``skos:altLabel`` and its Wikidata item as ``skos:exactMatch``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flashpoint import safe_yaml
from flashpoint.errors import InputError
from flashpoint.safe_yaml import shorten
from flashpoint.vocab import FPID, package_folder

ACTOR_CLASSES = ("State", "InternationalOrganization", "NonStateArmedGroup", "ActorGroup", "Actor")


@dataclass(frozen=True)
class Actor:
    id: str
    cls: str
    label: str
    wikidata: str | None = None
    iso3: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str | None = None

    @property
    def iri(self) -> str:
        return f"{FPID}actor/{self.id}"

    def surface_forms(self) -> list[tuple[str, str]]:
        """(text, kind) pairs a text may use for this actor: kind is one of
        name, alias, demonym, capital."""
        forms = [(self.label, "name")] + [(a, "alias") for a in self.aliases]
        forms += [(d, "demonym") for d in self.demonyms]
        if self.capital:
            forms.append((self.capital, "capital"))
        return forms


@dataclass
class Gazetteer:
    actors: dict[str, Actor] = field(default_factory=dict)
    sources: list[Path] = field(default_factory=list)

    def __contains__(self, actor_id: str) -> bool:
        return actor_id in self.actors

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def actor_iri(self, text: str) -> str:
        """The IRI of the actor TEXT names: a gazetteer id (``iran``, ``south-korea/government``),
        a label or alias (``Iran``), a Wikidata item (``Q794``, ``wd:Q794``), or an IRI
        (``<…>``, ``http…``, ``fpid:…``). Raises LookupError saying what is wrong."""
        import difflib
        import re

        from flashpoint.identity import actor_iri
        from flashpoint.vocab import FPID

        raw = text.strip()
        if raw.startswith("<") and raw.endswith(">"):
            return raw[1:-1]
        if re.match(r"https?://", raw):
            return raw
        if raw.startswith("fpid:"):
            return FPID + raw[5:]
        qid = re.fullmatch(r"(?:wd:)?(Q\d+)", raw, re.IGNORECASE)
        if qid:
            actor = self.by_wikidata(qid.group(1).upper())
            if actor is None:
                raise LookupError(f"no actor of the gazetteer has the Wikidata item {qid.group(1).upper()}")
            return actor.iri
        base, _, part = raw.partition("/")
        if base in self and part in ("", "government", "public"):
            return actor_iri(raw)
        wanted = raw.casefold()
        found = next((a for a in self.actors.values() if wanted in {a.label.casefold(), *(x.casefold() for x in a.aliases)}), None)
        if found is None:
            close = difflib.get_close_matches(raw, list(self.actors), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise LookupError(f"not an actor of the gazetteer{hint}; give a gazetteer id, a Wikidata item or an IRI")
        return found.iri

    def by_wikidata(self, qid: str) -> Actor | None:
        return next((a for a in self.actors.values() if a.wikidata == qid), None)


def _read(path: Path, into: Gazetteer) -> None:
    # no anchors or aliases, bounded size and depth: see flashpoint.safe_yaml
    data = safe_yaml.load(safe_yaml.read_text(path, safe_yaml.MAX_GAZETTEER_BYTES, "gazetteer"), path, "gazetteer") or {}
    if not isinstance(data, dict):
        raise InputError(path, None, "a gazetteer is a YAML mapping with a list of actors")
    for entry in data.get("actors", []):
        if not isinstance(entry, dict) or "id" not in entry or "label" not in entry:
            raise InputError(path, None, f"every actor needs an id and a label: {shorten(entry)}")
        cls = entry.get("class", "Actor")
        if cls not in ACTOR_CLASSES:
            raise InputError(path, None, f"actor {shorten(entry['id'])}: unknown class {shorten(cls)} (expected one of {', '.join(ACTOR_CLASSES)})")
        into.actors[entry["id"]] = Actor(
            id=entry["id"],
            cls=cls,
            label=entry["label"],
            wikidata=entry.get("wikidata"),
            iso3=entry.get("iso3"),
            aliases=tuple(entry.get("aliases") or ()),
            demonyms=tuple(entry.get("demonyms") or ()),
            capital=entry.get("capital"),
        )
    into.sources.append(path)


@lru_cache(maxsize=8)
def load_gazetteer(project_file: Path | None = None) -> Gazetteer:
    """The bundled gazetteer, extended (and overridden by id) by a project's own file."""
    gazetteer = Gazetteer()
    _read(package_folder("ontology") / "gazetteer.yaml", gazetteer)
    if project_file is not None and project_file.exists():
        _read(project_file, gazetteer)
    return gazetteer
