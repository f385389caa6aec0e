"""Loading the extractor's data: lexicons, patterns, the gazetteer, and the
spaCy matchers built over them.

Everything here is built once per process (``get_resources``) and shared.
spaCy is used without a trained model: ``spacy.blank("en")`` gives the
tokenizer, ``PhraseMatcher`` finds lexicon phrases, actor names and trigger
words, and the lemma lookup table of spacy-lookups-data is installed as the
lexeme ``NORM`` attribute, so that matching on ``NORM`` is matching on lemmas
at no per-token cost (lexeme attributes are computed once per word type).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent

# Function words whose lookup lemma is unhelpful ("as" -> "a", "'s" -> "be").
_KEEP_NORM = frozenset(
    """as 's ’s is are was were be been being has have had does did do its it us whose""".split()
)

# the forms of "be" a pattern's "be" stands for ("remain open to", "be open to": "is open to")
BE_FORMS = frozenset("be is are was were been being 's ’s am".split())
# a pattern's "be" and "have" stand for each of their forms (which keep their own norms: _KEEP_NORM)
AUX_FORMS = {"be": BE_FORMS, "have": frozenset("have has had having".split())}

_IRREGULAR_PLURALS = {"ally": "allies", "enemy": "enemies", "capability": "capabilities", "militia": "militias",
                      "crisis": "crises", "policy": "policies", "country": "countries", "party": "parties",
                      "hostility": "hostilities", "activity": "activities", "ability": "abilities"}


def plural(word: str) -> str:
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def noun_variants(phrase: str) -> list[str]:
    """The phrase and its plural (last word pluralised), lower-case."""
    phrase = phrase.lower().strip()
    words = phrase.split(" ")
    out = [phrase]
    last = words[-1]
    if not last.endswith("s") or last.endswith("ss"):
        out.append(" ".join(words[:-1] + [plural(last)]))
    return out


def be_variants(phrase: str) -> list[str]:
    """A lemma phrase with "be" in every form of "be" ("be concerned about": "is concerned about",
    "were concerned about" …): those forms keep their own norms (``_KEEP_NORM``)."""
    words = phrase.split(" ")
    if "be" not in words:
        return [phrase]
    k = words.index("be")
    return [" ".join(words[:k] + [form] + words[k + 1:]) for form in sorted(BE_FORMS - {"'s", "’s"})]


def token_pattern(pattern: str) -> list:
    """A rule's gapped trigger ("make * * stride ?, * in") as a spaCy Matcher
    pattern on lemmas: ``*`` is an optional token of any kind (an adjective,
    an adverb), ``?w`` an optional ``w``, any other word a lemma."""
    out = []
    for w in pattern.split():
        if w == "*":
            out.append({"OP": "?"})
        elif w.startswith("?") and len(w) > 1:
            out.append({"NORM": w[1:], "OP": "?"})
        elif w in AUX_FORMS:
            out.append({"NORM": {"IN": sorted(AUX_FORMS[w])}})   # ("is", "has" … keep their own norms)
        else:
            out.append({"NORM": w})
    return out


def load_yaml(name: str) -> dict:
    with open(HERE / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@dataclass
class Resources:
    nlp: object
    gaz_matcher: object
    lex_matcher: object
    trig_matcher: object
    cue_matcher: object
    pat_matcher: object = None
    # the words (lemmas) each gapped pattern needs; a sentence lacking all of
    # them for every pattern is not given to the (slow) token Matcher
    pat_required: list = field(default_factory=list)
    tok_cache: dict = field(default_factory=dict)      # (orth, norm) -> (text, lower, norm, length)
    # match-id string -> list of readings (kind, value)
    readings: dict = field(default_factory=dict)
    actors: dict = field(default_factory=dict)          # id -> Actor
    rules: dict = field(default_factory=dict)           # id -> rule dict
    predicates: dict = field(default_factory=dict)      # predicate -> how verb rules make its claims
    lexicons: dict = field(default_factory=dict)
    cues: dict = field(default_factory=dict)
    polarity: dict = field(default_factory=dict)
    verb_events: dict = field(default_factory=dict)
    as_policy: dict = field(default_factory=dict)
    policy_events: dict = field(default_factory=dict)
    anaphoric: frozenset = frozenset()
    needs_actor: frozenset = frozenset()
    continuations: frozenset = frozenset()
    increase_mods: frozenset = frozenset()
    decrease_mods: frozenset = frozenset()
    public_quantifiers: frozenset = frozenset()


# a lower-case word of five letters or more ending in a plural "s" (not "-ss", "-us", "-is")
_UNKNOWN_PLURAL = re.compile(r"^[a-z][a-z-]{3,}[^sui]s$")


def _make_nlp():
    import spacy
    from spacy.attrs import NORM
    from spacy.lookups import load_lookups
    from spacy.util import compile_infix_regex

    nlp = spacy.blank("en")
    # Split "U.S.-South Korea" and "U.S.-led" after the abbreviation.
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Za-z]\.)-(?=[A-Za-z])", r"(?<=[a-z])/(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    try:
        table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
        lemmas = table
    except Exception:  # pragma: no cover - spacy-lookups-data missing
        lemmas = {}
    extra = {"fought": "fight", "drove": "drive", "struck": "strike", "led": "lead", "held": "hold", "sought": "seek",
             "ousted": "oust", "began": "begin", "begun": "begin", "cited": "cite", "prioritized": "prioritize",
             "prioritised": "prioritise", "destabilizing": "destabilize", "destabilising": "destabilise",
             "emboldening": "embolden", "brokered": "broker", "broker": "broker", "brokering": "broker", "favored": "favor", "favoured": "favour",
             "israelis": "israeli", "data": "data", "media": "media", "us": "us", "forces": "force",
             "targeting": "target", "developed": "develop", "developing": "develop", "threatened": "threaten", "threatening": "threaten"}

    def norm(text: str) -> str:
        low = text.lower()
        if low in _KEEP_NORM:
            return low
        if low in extra:
            return extra[low]
        lemma = lemmas.get(low)
        if lemma is None and _UNKNOWN_PLURAL.match(low):
            return low[:-1]   # a plural the lookup table lacks: "warplanes", "gunboats", "cyberattacks"
        return lemma or low

    nlp.vocab.lex_attr_getters[NORM] = norm
    return nlp


def _gazetteer(gazetteer=None):
    if gazetteer is not None:
        return gazetteer
    from flashpoint.gazetteer import load_gazetteer

    return load_gazetteer()


@lru_cache(maxsize=4)
def get_resources(gazetteer_path: str | None = None) -> Resources:
    """Build (once) the matchers. ``gazetteer_path`` names another gazetteer
    file (tests); by default the package's gazetteer is used."""
    gaz = None
    if gazetteer_path:
        from flashpoint.gazetteer import Gazetteer, _read

        gaz = Gazetteer()
        _read(Path(gazetteer_path), gaz)
    return build_resources(_gazetteer(gaz))


_BY_GAZETTEER: dict = {}


def resources_for(gazetteer=None) -> Resources:
    """The resources built over ``gazetteer`` (a ``flashpoint.gazetteer.Gazetteer``,
    e.g. ``load_gazetteer(project / "kb" / "gazetteer.yaml")``: the bundled actors
    extended by a project's own); ``None`` means the bundled gazetteer. Built once
    per gazetteer object (``load_gazetteer`` returns the same object for the same
    file) and per set of actors."""
    if gazetteer is None:
        return get_resources()
    from flashpoint.gazetteer import load_gazetteer

    if gazetteer is load_gazetteer():
        return get_resources()
    key = tuple(sorted((a.id, a.cls, a.label, a.aliases, a.demonyms, a.capital) for a in gazetteer.actors.values()))
    hit = _BY_GAZETTEER.get(key)
    if hit is None:
        if len(_BY_GAZETTEER) >= 4:
            _BY_GAZETTEER.pop(next(iter(_BY_GAZETTEER)))
        hit = _BY_GAZETTEER[key] = build_resources(gazetteer)
    return hit


def _as_written(doc):
    """A trigger phrase's lemmas are written as lemmas, but the lemmatizer reads some of them as
    another word's form ("lower" as the comparative of "low", so "lowered" -- norm "lower" -- never
    met the pattern "lower"). A copy of the phrase whose norms are the words as written, when any
    differs; None when none does."""
    if all(t.norm_ == t.lower_ for t in doc):
        return None
    copy = doc.copy()
    for t in copy:
        t.norm_ = t.lower_
    return copy


def build_resources(gazetteer) -> Resources:
    from spacy.matcher import Matcher, PhraseMatcher

    nlp = _make_nlp()
    res = Resources(
        nlp=nlp,
        gaz_matcher=PhraseMatcher(nlp.vocab, attr="ORTH"),
        lex_matcher=PhraseMatcher(nlp.vocab, attr="LOWER"),
        trig_matcher=PhraseMatcher(nlp.vocab, attr="NORM"),
        cue_matcher=PhraseMatcher(nlp.vocab, attr="LOWER"),
        pat_matcher=Matcher(nlp.vocab),
    )
    res.actors = dict(gazetteer.actors)
    readings: dict[str, list] = {}

    def add(matcher, key: str, phrases, reading):
        readings.setdefault(key, [])
        if reading not in readings[key]:
            readings[key].append(reading)
        docs = [nlp.make_doc(p) for p in phrases if p.strip()]
        if matcher is res.trig_matcher:
            docs += [d for d in map(_as_written, docs) if d is not None]
        matcher.add(key, docs)

    # --- actors (case-sensitive names; also "the Houthis" capitalised forms) ---
    actors = load_yaml("lexicons/actors.yaml")
    seat_names = set(actors.get("seats") or {})
    for actor in sorted(gazetteer.actors.values(), key=lambda a: a.id):
        for text, kind in actor.surface_forms():
            if not text or (kind == "capital" and text in seat_names):
                continue   # (a seat of the same name wins: "Brussels" is the EU's)
            if kind == "demonym":
                forms = [text, text + "s"] if not text.endswith(("s", "ese", ".")) else [text]
                add(res.gaz_matcher, f"dem:{actor.id}", forms, ("demonym", actor.id))
            elif kind == "capital":
                add(res.gaz_matcher, f"cap:{actor.id}", [text], ("actor", actor.id))
            else:
                # a name written lower-case first ("al-Shabaab") is capitalised at a sentence start
                forms = [text, text[0].upper() + text[1:]] if text[0].islower() else [text]
                add(res.gaz_matcher, f"act:{actor.id}", forms, ("actor", actor.id))

    # --- lexicons (lower-case, with plurals) ---
    events = load_yaml("lexicons/events.yaml")
    situations = load_yaml("lexicons/situations.yaml")
    capabilities = load_yaml("lexicons/capabilities.yaml")
    policies = load_yaml("lexicons/policies.yaml")
    cues = load_yaml("lexicons/cues.yaml")
    res.lexicons = {"events": events, "situations": situations, "capabilities": capabilities,
                    "policies": policies, "actors": actors}

    # seats of government and armed forces by name that stand for their state ("the Pentagon urged …",
    # "the Bundeswehr"), as capitals do
    for seat, actor_id in sorted({**actors["seats"], **actors.get("forces", {})}.items()):
        if actor_id in gazetteer.actors:
            add(res.gaz_matcher, f"cap:{actor_id}", [seat], ("actor", actor_id))

    # groups of states by a fixed membership ("the E3"): every member
    for name, members in sorted((actors.get("member_groups") or {}).items()):
        if all(m in gazetteer.actors for m in members):
            add(res.gaz_matcher, f"grp:{name}", [name], ("members", tuple(members)))

    def add_lex(kind, table):
        for value, phrases in sorted(table.items()):
            for phrase in phrases:
                add(res.lex_matcher, f"lex:{phrase.lower()}", noun_variants(phrase), (kind, value))

    add_lex("event", events["classes"])
    add_lex("situation", situations["classes"])
    add_lex("capability", capabilities["classes"])
    add_lex("policy", policies["classes"])
    for word, cls in sorted((events.get("generic") or {}).items()):
        add(res.lex_matcher, f"lex:{word}", noun_variants(word), ("event", cls))
    for mod, cls in sorted(capabilities.get("modifiers", {}).items()):
        add(res.lex_matcher, f"capmod:{mod}", [mod], ("capmod", cls))
    for word in sorted(situations.get("region_words", [])):
        add(res.lex_matcher, f"region:{word}", noun_variants(word), ("region", word))
    for phrase, spec in sorted(actors.get("groups", {}).items()):
        add(res.lex_matcher, f"grp:{phrase}", [phrase], ("group", spec))
    for phrase, spec in sorted(actors.get("references", {}).items()):
        add(res.lex_matcher, f"ref:{phrase}", [phrase, phrase.capitalize()], ("ref", dict(spec, text=phrase)))
    for word in sorted(actors.get("public_nouns", [])):
        add(res.lex_matcher, f"pub:{word}", noun_variants(word), ("publicnoun", word))
    for word in sorted(actors.get("government_nouns", [])):
        add(res.lex_matcher, f"gov:{word}", noun_variants(word), ("govnoun", word))
    for word in sorted(actors.get("state_nouns", [])):
        add(res.lex_matcher, f"stn:{word}", noun_variants(word), ("statenoun", word))

    res.public_quantifiers = frozenset(actors.get("public_quantifiers", []))
    res.polarity = {k: str(v) for k, v in (situations.get("polarity") or {}).items()}
    res.anaphoric = frozenset(events.get("anaphoric", []))
    res.needs_actor = frozenset(w for p in events.get("needs_actor", []) for w in noun_variants(p))
    res.as_policy = dict(events.get("as_policy") or {})
    res.policy_events = dict(events.get("policy_events") or {})
    verb_events = {}
    for verb, spec in (events.get("verbs") or {}).items():
        if isinstance(spec, str):
            spec = {"class": spec}
        verb_events[verb] = spec
    res.verb_events = verb_events
    for verb in sorted(verb_events):
        add(res.trig_matcher, f"vev:{verb}", [verb], ("vevent", verb))

    # --- relation rules (lemma triggers) ---
    patterns = load_yaml("patterns/relations.yaml")
    res.predicates = dict(patterns.get("predicates") or {})
    for rule in patterns["rules"]:
        res.rules[rule["id"]] = rule
        for phrase in rule.get("lemmas", []) or []:
            add(res.trig_matcher, f"rule:{rule['id']}:{phrase}", be_variants(phrase), ("trigger", (rule["id"], phrase)))
        for pattern in rule.get("patterns", []) or []:
            key = f"rule:{rule['id']}:{pattern}"
            readings.setdefault(key, [])
            reading = ("trigger", (rule["id"], pattern))
            if reading not in readings[key]:
                readings[key].append(reading)
            res.pat_matcher.add(key, [token_pattern(pattern)])
            res.pat_required.append(frozenset(w for w in pattern.split() if w != "*" and w not in AUX_FORMS and not w.startswith("?")))
        for phrase in rule.get("phrases", []) or []:
            add(res.lex_matcher, f"rphr:{rule['id']}:{phrase}", [phrase, phrase.capitalize()], ("rphrase", (rule["id"], phrase)))

    # --- modality cues ---
    res.cues = cues
    for value in ("possible", "probable", "negated", "habitual"):
        for phrase in cues.get(value, []):
            add(res.cue_matcher, f"cue:{value}:{phrase}", [phrase, phrase.capitalize()], ("cue", value))
    res.continuations = frozenset(cues.get("continuations", []))
    res.increase_mods = frozenset(cues.get("increase_modifiers", []))
    res.decrease_mods = frozenset(cues.get("decrease_modifiers", []))

    # string -> readings, by match id hash
    res.readings = {nlp.vocab.strings[key]: value for key, value in readings.items()}
    return res

