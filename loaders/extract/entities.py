"""Entity mentions: actors, events, situations, capabilities and policy options.

A sentence is tokenised (spaCy's rule-based English tokenizer), the phrase
matchers of ``resources`` find gazetteer names, demonyms, capitals and
lexicon phrases, and this module turns those hits into *mentions*: noun
phrases with their reading(s) and the actors attached to them in the same
phrase:

* ``the South Korean government`` → {government: south-korea};
  ``the British public``, ``most Israelis`` → {public: …}; ``Houthi leaders``,
  ``American forces``, ``Pyongyang`` → the actor itself;
* possessives and pre-modifiers: ``North Korea's missile tests``,
  ``Israeli strikes``, ``U.S.-South Korea talks``, ``U.S.-led coalition``,
  ``its military capabilities`` (``its`` resolved later);
* post-modifiers: ``by X``, ``between X and Y``, ``with X``, ``among X``,
  ``in X``, ``for X``, ``of X``, ``from X``; ``on/against/at/into X`` give
  targets of attacks, strikes, launches and sanctions; ``in which X …``
  gives the agent of the event before it;
* coordination: ``short-range and intercontinental ballistic missiles`` gives
  two capabilities; ``defense talks and military exercises between the two
  nations`` shares the post-modifier; ``Many governments, including those of
  Egypt and Qatar`` stands for Egypt and Qatar.

Actors are kept as ``actor.Actor`` / ``actor.GroupActor`` (hashable tuples:
the actor, a state's government or public, a group) and resolved references
(``Ref``) until ``reference.py`` replaces them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .actor import ENTITY, entity, government, public
from .classes import ClassHierarchy

DETERMINERS = frozenset("the these this those that such a an its their his her our".split())
STRONG_DETS = frozenset("these this those such".split())
COORD = frozenset([",", "and", "or", "as", "well", "the", "a", "an", "both", "either", "also", "nor", "neither"])
PREPS_EVENT = {
    "by": "agents", "from": "agents", "between": "participants", "with": "participants", "among": "participants",
    "in": "participants", "involving": "participants", "on": "targets", "against": "targets", "at": "targets",
    "into": "targets", "targeting": "targets", "of": "of",
}
PREPS_SITUATION = {"between": "involves", "with": "involves", "among": "involves", "in": "involves", "of": "involves",
                   "for": "involves", "involving": "involves"}
PREPS_CAPABILITY = {"for": "holder", "of": "holder"}
# verbs whose first object is a recipient ("offered Tehran support")
GIVING_VERBS = frozenset("offer give extend lend pledge promise grant sell supply send provide deliver ship".split())
# Heads of events of no specific class that still take a target ("a blockade of the island")
TARGET_HEADS = frozenset(["blockade", "blockades", "quarantine", "siege", "annexation", "invasion"])
TARGET_CLASSES = frozenset(["Attack", "MilitaryStrike", "MissileLaunch", "SanctionsImposition", "ArmedConflict",
                            "MilitaryConfrontation", "MissileTest"])
ADJ_SKIP_STOP = frozenset([",", ";", ":", ".", "and", "or", "but", "which", "that", "who", "to", "by", "with", "of", "in",
                           "on", "for", "as", "from", "is", "are", "was", "were", "has", "have", "had", "be", "been",
                           "will", "would", "could", "can", "may", "might", "not", "(", ")", "'", '"'])


@dataclass
class Tok:
    __slots__ = ("i", "text", "lower", "norm", "start", "end")
    i: int
    text: str
    lower: str
    norm: str
    start: int
    end: int


@dataclass(eq=False)
class Ref:
    """An unresolved reference expression ("its", "the country", "the two nations")."""

    text: str
    kind: str          # any | actor | state | group | subject
    number: str        # sg | pl
    tok: int           # token index in its sentence
    sentence: int
    resolved: tuple = ()  # Actors after resolution


@dataclass(eq=False)
class Mention:
    start: int
    end: int               # token end (exclusive), including attached modifiers
    head_end: int          # end of the head phrase itself
    readings: dict         # kind -> value
    agents: list = field(default_factory=list)
    participants: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    involves: list = field(default_factory=list)
    holder: list = field(default_factory=list)
    target_span: tuple | None = None    # token span of "on X" (for targets claims)
    mod: str | None = None              # increase | decrease
    det: str | None = None
    head: str = ""
    conj: int = -1                      # coordination group id
    members: list = field(default_factory=list)   # "including X and Y"
    ref: Ref | None = None
    antecedent: list | None = None      # resolved event mentions for anaphors
    sentence: int = 0
    role: str = "other"                 # subject | other

    def kinds(self) -> set:
        return set(self.readings)

    def actor_kind(self) -> bool:
        return bool({"actor", "group"} & self.readings.keys()) or (self.ref is not None and self.ref.kind != "event")

    def thing_behind(self, kind: str) -> "Mention":
        """The mention that gives this one's ``kind`` reading: itself, or for "it" standing for a
        thing named before (rel_slots._fits), that thing."""
        if kind in self.readings or self.ref is None:
            return self
        return next((t for t in (getattr(self.ref, "things", []) or []) if kind in t.readings), self)

    def thing_kind(self) -> bool:
        return bool({"event", "situation", "capability", "policy"} & self.readings.keys())


@dataclass
class SentenceData:
    index: int
    start: int
    end: int
    text: str
    toks: list
    mentions: list = field(default_factory=list)
    triggers: list = field(default_factory=list)   # (start, end, rule_id, phrase)
    rphrases: list = field(default_factory=list)   # (start, end, rule_id, phrase)
    vevents: list = field(default_factory=list)    # (tok, verb)
    cues: list = field(default_factory=list)       # (start, end, value)
    tok_mention: list = field(default_factory=list)
    # token of a noun -> actors of the demonym right before it, where no mention was made
    # ("Chinese investment", "Russian arms": the noun is no actor, but the demonym's state gives it)
    demonym_before: dict = field(default_factory=dict)
    # (opening comma, closing comma) of each "…, including …," insert (modality.segment)
    inserts: list = field(default_factory=list)


def make_sentences(doc, sentences, res) -> list[SentenceData]:
    """Cut one spaCy Doc (a paragraph or a whole text) into SentenceData with
    the matcher hits bucketed per sentence. ``sentences`` are (index, start,
    end, text) with offsets relative to the Doc's text; token offsets are made
    relative to ``offset``."""
    out: list[SentenceData] = []
    toks_all = _tokens(doc, res)
    bounds = []
    ti = 0
    n = len(toks_all)
    for index, start, end, text in sentences:
        while ti < n and toks_all[ti].start < start:
            ti += 1
        first = ti
        while ti < n and toks_all[ti].end <= end:
            ti += 1
        bounds.append((first, ti))
        out.append(SentenceData(index, start, end, text, []))
    for sd, (a, b) in zip(out, bounds):
        toks = toks_all[a:b]
        if a:
            for k, t in enumerate(toks):
                t.i = k
        sd.toks = toks
    tok_sent = [None] * n
    for si, (a, b) in enumerate(bounds):
        for k in range(a, b):
            tok_sent[k] = si
    raw: list[list] = [[] for _ in out]
    matchers = [res.gaz_matcher, res.lex_matcher, res.trig_matcher, res.cue_matcher]
    if res.pat_matcher is not None and len(res.pat_matcher):
        # the token Matcher only over the sentences that hold every word of
        # one of its patterns (its matches never cross a sentence boundary)
        required = res.pat_required
        for si, (a, b) in enumerate(bounds):
            if b <= a:
                continue
            words = {t.norm for t in toks_all[a:b]}
            if any(r <= words for r in required):
                for match_id, s, e in res.pat_matcher(doc[a:b]):
                    for reading in res.readings.get(match_id, ()):
                        raw[si].append((s, e, reading))
    for matcher in matchers:
        for match_id, s, e in matcher(doc):
            si = tok_sent[s]
            if si is None or tok_sent[e - 1] != si:
                continue
            a = bounds[si][0]
            for reading in res.readings.get(match_id, ()):
                raw[si].append((s - a, e - a, reading))
    for sd, hits in zip(out, raw):
        _sort_hits(sd, hits)
    return out


def _tokens(doc, res) -> list:
    """The Doc's tokens as Tok (text, lower case, lemma-norm, offsets), read
    from one array and a per-(word, norm) cache instead of Token objects."""
    from spacy.attrs import IDX, NORM, ORTH

    cache = res.tok_cache
    strings = doc.vocab.strings
    out = []
    append = out.append
    for i, (orth, norm, idx) in enumerate(doc.to_array([ORTH, NORM, IDX]).tolist()):
        hit = cache.get((orth, norm))
        if hit is None:
            text = strings[orth]
            hit = cache[(orth, norm)] = (text, doc.vocab[orth].lower_, strings[norm], len(text))
        append(Tok(i, hit[0], hit[1], hit[2], idx, idx + hit[3]))
    return out


def _sort_hits(sd: SentenceData, hits: list) -> None:
    ents = []
    for s, e, (kind, value) in hits:
        if kind == "trigger":
            sd.triggers.append((s, e, value[0], value[1]))
        elif kind == "rphrase":
            sd.rphrases.append((s, e, value[0], value[1]))
        elif kind == "vevent":
            sd.vevents.append((s, value))
        elif kind == "cue":
            sd.cues.append((s, e, value))
        else:
            ents.append((s, e, kind, value))
    sd.triggers.sort()
    sd.trigger_toks = {k for s, e, _, _ in sd.triggers for k in range(s, e)} | {k for k, _ in sd.vevents}
    sd.rphrases.sort()
    sd.cues.sort()
    if len(sd.cues) > 1:
        # a cue inside a longer one goes ("would" in "would likely")
        sd.cues = [c for c in sd.cues if not any(o is not c and o[0] <= c[0] and c[1] <= o[1] and (o[1] - o[0]) > (c[1] - c[0])
                                                 for o in sd.cues)]
    sd.entity_hits = ents


# ---------------------------------------------------------------------------


def build_mentions(sd: SentenceData, res, classes: ClassHierarchy) -> None:
    toks = sd.toks
    n = len(toks)
    hits = sd.entity_hits
    # Longest match wins; identical spans pool their readings.
    spans: dict[tuple, dict] = {}
    for s, e, kind, value in hits:
        spans.setdefault((s, e), {})
        spans[(s, e)].setdefault(kind, value)
    # An actor name beats a lexicon phrase of the same span, and of the same length overlapping it
    # ("the State Department": the name, not the reference "the state").
    chosen = []
    taken = [False] * n
    for (s, e), readings in sorted(spans.items(), key=lambda kv: (-(kv[0][1] - kv[0][0]), "actor" not in kv[1],
                                                                  kv[0][0])):
        if any(taken[s:e]):
            continue
        for k in range(s, e):
            taken[k] = True
        chosen.append((s, e, readings))
    chosen.sort()
    chosen = _drop_verbs(sd, chosen)
    # "have heightened tensions", "the strikes heightened tension": after an auxiliary or a subject
    # the phrase's first word is the verb ("heightened tension" is a noun phrase only without one)
    mods = res.increase_mods | res.decrease_mods
    ends = {e for s, e, r in chosen}
    chosen = [(s + 1, e, r) if e - s > 1 and toks[s].lower in mods and modifier_is_verb(toks, s, ends) else (s, e, r)
              for s, e, r in chosen]
    # Proper-noun guard: lexicon words inside a capitalised name that is not at
    # the sentence start ("Iron Dome system") stay; names of operations keep
    # their event reading ("Operation Prosperity Guardian").
    mentions: list[Mention] = []
    skip_until = -1
    for s, e, readings in chosen:
        if s < skip_until:
            continue
        m = Mention(s, e, e, dict(readings))
        m.head = " ".join(t.lower for t in toks[s:e])
        m.sentence = sd.index
        if s > 0 and toks[s - 1].lower in DETERMINERS:
            m.det = toks[s - 1].lower
        mentions.append(m)
    sd.mentions = mentions
    set_modifiers(sd, res)
    _compose_actors(sd, res)
    _armed_actors(sd)
    _capability_coordination(sd, res, classes)
    _attach(sd, res)
    if res.needs_actor:
        sd.mentions = [m for m in sd.mentions if not (m.head in res.needs_actor and "event" in m.readings and not (
            m.agents or m.participants or m.targets) and len(m.readings) == 1)]
    _coordinate(sd, res)
    _attributed(sd)
    for m in sd.mentions:
        # the complement of "as" ("described the trip as a serious provocation")
        j = m.start - 1
        while j >= 0 and m.start - j <= 3 and toks[j].lower != "as" and toks[j].lower.isalpha() and (
                toks[j].lower in ("a", "an", "the") or toks[j].lower not in ADJ_SKIP_STOP):
            j -= 1
        if j >= 0 and toks[j].lower == "as":
            m.as_complement = True
    sd.tok_mention = [None] * n
    for m in sd.mentions:
        for k in range(m.start, m.end):
            if sd.tok_mention[k] is None:
                sd.tok_mention[k] = m


CLAUSE_WORDS = frozenset("""although though because while whereas when if unless since so yet but which who
    whom whose that where after before until once""".split())
VERB_LEFT = frozenset("""to will would could can may might must should did does do not n't has have had also often
    usually repeatedly frequently regularly routinely typically increasingly then still reportedly who which that
    and already now since long consistently openly allegedly""".split())


PUBLIC_QUANTS = frozenset(["most", "many", "some", "few", "majority", "ordinary"])
NOUN_FOLLOWERS = frozenset(["on", "against", "of", "targeting", "imposed", "regime",
                            # no verb right after a verb: "U.S. forces often train", "EU sanctions have hurt"
                            # (not a modal: "a corridor Iran fears could be cut")
                            "have", "has", "had", "are", "were",
                            "often", "regularly", "routinely", "frequently", "still", "now"])


# verbs whose infinitive is an act that happens ("began to sanction"), not a policy in view
# (rel_verbal_events.DOING_VERBS adds verbs of going on to do it)
DOING_BEFORE_TO = frozenset(["began", "begun", "begin", "begins", "started", "start", "starts", "continued", "continue",
                             "continues"])
# adjectives between "the" and a government noun that name no other state
GOV_ADJECTIVES = frozenset(["transitional", "interim", "federal", "central", "new", "military", "civilian", "national",
                            "provisional", "current", "elected"])


AUXILIARIES = frozenset(["has", "have", "had", "having", "to", "will", "would", "could", "may", "might"])
# Words that end a subject without being a mention: "it heightened", "which reduced"
SUBJECT_WORDS = frozenset(["it", "they", "which", "that", "this", "these", "who", "both", "each"])
# Adverbs between a subject and its verb: "the strikes also heightened tension"
SUBJECT_ADVERBS = frozenset("""also further only already again then soon thus therefore sharply greatly
    significantly considerably markedly substantially dramatically steadily gradually quickly rapidly""".split())


SUBJECT_ENDS = SUBJECT_WORDS | AUXILIARIES


def gerund(tok) -> bool:
    """An -ing form of a verb ("prompting", "including"): lower-case, so never a name ending in
    -ing ("Beijing", "Kunming"), which once opened participle clauses and ended lists."""
    return tok.lower.endswith("ing") and tok.text[:1].islower()


def modifier_is_verb(toks, s: int, mention_ends) -> bool:
    """Whether "increased"/"heightened"/"reduced" at s is a finite verb rather than an adjective:
    after an auxiliary ("has heightened"), or ending in -ed right after a subject — a mention
    ("the strikes heightened tension"), a pronoun ("which reduced tension") or a relative clause
    closed by a comma ("the offensive, which began in May, increased insecurity"). After a
    determiner or a preposition it stays an adjective ("amid heightened tension", "led to
    increased mistrust")."""
    if s == 0:
        return False
    if toks[s - 1].lower in AUXILIARIES:
        return True
    if not toks[s].lower.endswith("ed"):
        return False
    k = s - 1
    while k > 0 and (toks[k].lower in SUBJECT_ADVERBS or (toks[k].lower.endswith("ly") and len(toks[k].lower) > 4)):
        k -= 1
    if k + 1 in mention_ends or toks[k].lower in SUBJECT_ENDS:
        return True   # (and "has also heightened")
    if toks[k].text == ",":
        j = k - 1
        while j > 0 and toks[j].text != ",":
            j -= 1
        # a relative clause or a short aside closed by the comma ("the strikes, however, heightened")
        return j > 0 and j + 1 < k and (toks[j + 1].lower in ("which", "who", "that") or j in mention_ends)
    return False


ASIDE_CLOSE = {",": ",", ")": "(", "—": "—", "–": "–"}


def _after_aside(toks, s, actor_end) -> bool:
    """"Israel, however, supports …", "India, which has long been cautious, supports …", "India
    (a regional power) supports …": a word right after an aside between commas, brackets or
    dashes that follows an actor is that actor's verb."""
    if s < 3 or toks[s - 1].text not in ASIDE_CLOSE:
        return False
    opening = ASIDE_CLOSE[toks[s - 1].text]
    c = next((j for j in range(s - 2, max(0, s - 16), -1) if toks[j].text == opening), None)
    return c is not None and c in actor_end


def _drop_verbs(sd, chosen):
    """A one-word noun reading that is really a verb ("the government supports
    sanctions", "Iran backs the group"): a trigger word right after an actor
    name or an auxiliary/adverb, and not after a determiner."""
    trig = sd.trigger_toks
    out = []
    actor_end = {e for s, e, r in chosen if "actor" in r or "group" in r or "govnoun" in r or "publicnoun" in r
                 or "statenoun" in r}
    # "most Malians support …": a quantified plural demonym is a subject too
    actor_end |= {e for s, e, r in chosen if "demonym" in r and s > 0 and sd.toks[s - 1].lower in PUBLIC_QUANTS
                  and sd.toks[e - 1].lower.endswith("s")}
    for s, e, r in chosen:
        if e - s == 1 and s > 0 and "policy" in r and sd.toks[s].lower == "force" and sd.toks[s - 1].lower in (
                "in", "into"):
            continue   # "keep the agreement in force", "entered into force": no use of force
        if e - s == 1 and s in trig and s > 0 and not ({"actor", "demonym", "ref", "group"} & r.keys()):
            prev = sd.toks[s - 1].lower
            w = sd.toks[s].lower
            if prev == "to" and w.endswith("s") and not w.endswith("ss"):
                pass   # "shifted from dialogue to sanctions": an infinitive is never inflected
            elif prev == "to" and "policy" in r and not (s >= 2 and sd.toks[s - 2].lower in DOING_BEFORE_TO):
                pass   # "blocked efforts to sanction North Korea": the policy an actor is for or against
            elif (s in actor_end or prev in VERB_LEFT or _after_aside(sd.toks, s, actor_end) or (
                    prev.endswith("ly") and len(prev) > 4 and prev not in (
                    "early", "family", "italy", "july", "rally", "assembly", "supply"))) and not (
                    s in actor_end and (e >= len(sd.toks) or sd.toks[e].lower in NOUN_FOLLOWERS or
                                        sd.toks[e].text in (".", ",", ";", ":"))) and not (
                    prev in ("that", "and") and e < len(sd.toks) and sd.toks[e].lower in ("by", "on", "against")):
                continue   # ("European Union sanctions on Russia": a verb takes its object directly;
                           # "said that attacks by X on Y": a noun)
        out.append((s, e, r))
    return out


def _compose_actors(sd: SentenceData, res) -> None:
    """Names, demonyms and nouns into actor mentions; demonyms and names in
    front of event/situation/capability phrases become their participants."""
    toks = sd.toks
    ms = sd.mentions
    out: list[Mention] = []
    k = 0
    pending_mods: list = []   # Actors waiting for the next thing mention
    pending_end = -1
    while k < len(ms):
        m = ms[k]
        r = m.readings
        nxt = ms[k + 1] if k + 1 < len(ms) else None
        if "members" in r and "actor" not in r:
            # "the E3": each member, as "Britain, France and Germany" would be
            mm = Mention(m.start, m.end, m.end, {"actor": [entity(a) for a in r["members"]]})
            _finish(mm, m, toks, sd)
            out.append(mm)
            k += 1
            continue
        if "actor" in r or "demonym" in r:
            aid = r.get("actor") or r.get("demonym")
            is_dem = "actor" not in r
            # chain "American and British forces", "U.S.-South Korea talks"
            chain = [aid]
            j = k
            while True:
                a = ms[j]
                b = ms[j + 1] if j + 1 < len(ms) else None
                if b is None or not ({"actor", "demonym"} & b.readings.keys()):
                    break
                between = [t.lower for t in toks[a.end:b.start]]
                if between in (["-"], ["–"], ["and"], [","], ["and", "the"]):
                    c = ms[j + 2] if j + 2 < len(ms) else None
                    if between in (["-"], ["–"]) or ("demonym" in b.readings and "actor" not in b.readings) or (
                            is_dem and between == ["and"] and c is not None and c.start == b.end
                            and "statenoun" in c.readings):
                        # ("Peruvian and U.S. forces": a name used as a demonym after one)
                        chain.append(b.readings.get("actor") or b.readings.get("demonym"))
                        j += 1
                        continue
                break
            last = ms[j]
            after = ms[j + 1] if j + 1 < len(ms) else None
            after_adj = after is not None and after.start == last.end
            # possessive "X's government"
            poss = last.end < len(toks) and toks[last.end].lower in ("'s", "’s")
            gov_after = _gov_after(ms, j, toks, poss)
            if gov_after is not None:
                mm = Mention(m.start, gov_after.end, gov_after.end, {"actor": [government(a) for a in chain]})
                _finish(mm, m, toks, sd)
                out.append(mm)
                k = ms.index(gov_after) + 1
                continue
            if after_adj and "publicnoun" in after.readings:
                mm = Mention(m.start, after.end, after.end, {"actor": [public(a) for a in chain]})
                _finish(mm, m, toks, sd)
                out.append(mm)
                k = j + 2
                continue
            gap = [t.lower for t in toks[last.end:after.start]] if after is not None else []
            nxt2 = ms[j + 2] if j + 2 < len(ms) else None
            if gap and gap[-1] == "and" and after is not None and "statenoun" in after.readings and nxt2 is not None \
                    and nxt2.start == after.end and "statenoun" in nxt2.readings:
                after = nxt2   # "Iranian nuclear and military sites": "military" is an adjective here
                j += 1
                gap = gap[:-1]
            adj_gap = bool(gap) and len(gap) <= 4 and gap[-1] != "and" and all(
                (w.isalpha() and w.islower() and w not in ADJ_SKIP_STOP) or w == "and" for w in gap) and not any(
                toks[x].text[:1].isupper() for x in range(last.end, after.start))
            # "India's foreign minister", "Russia's top diplomat": up to two adjectives after the possessive
            poss_adj = poss and after is not None and 2 <= len(gap) <= 3 and all(
                w.isalpha() and w.islower() and w not in ADJ_SKIP_STOP for w in gap[1:]) and not any(
                toks[x].text[:1].isupper() for x in range(last.end + 1, after.start))
            if poss and after is not None and (after.start == last.end + 1 or poss_adj) and "statenoun" in after.readings and \
                    set(after.readings) <= {"statenoun", "policy"} and not (after.end < len(toks) and toks[after.end].lower in ("'s", "’s")):
                # "Tehran's leaders", "Azerbaijan's army", "Iran's officials": the actor itself
                mm = Mention(m.start, after.end, after.end, {"actor": [entity(a) for a in chain]})
                _finish(mm, m, toks, sd)
                out.append(mm)
                k = j + 2
                continue
            if (after_adj or adj_gap and is_dem) and "statenoun" in after.readings:
                # "Iranian facilities", "Iranian nuclear and military sites", "Iranian oil exports"
                mm = Mention(m.start, after.end, after.end, {"actor": [entity(a) for a in chain]})
                _finish(mm, m, toks, sd)
                out.append(mm)
                k = j + 2
                continue
            # "U.S.-led coalition", "Iran-backed militias"
            led = None
            if last.end + 1 < len(toks) and toks[last.end].lower in ("-", "–") and toks[last.end + 1].lower in (
                    "led", "backed", "brokered", "sponsored", "supported", "funded", "allied", "aligned"):
                led = toks[last.end + 1].lower
                pending_mods = [("agents" if led == "led" else "participants", entity(a)) for a in chain]
                pending_end = last.end + 2
                k = j + 1
                continue
            # a quantifier + plural demonym: "most Israelis", "many Lebanese"
            if is_dem and len(chain) == 1 and m.start > 0 and toks[m.start - 1].lower in res.public_quantifiers and not (
                    after_adj and after.thing_kind()):
                mm = Mention(m.start, m.end, m.end, {"actor": [public(aid)]})
                _finish(mm, m, toks, sd)
                out.append(mm)
                k += 1
                continue
            # a name or demonym in front of a thing: a participant of it
            gap = toks[last.end:after.start] if after is not None else []
            # after a name (not a demonym) a word in -ed is its verb: "Iran and Pakistan exchanged strikes"
            name_verb = bool(gap) and not is_dem and gap[0].lower.endswith("ed") and gap[0].text[:1].islower()
            # a name right after a verb of giving is its recipient: "offered Tehran verbal support",
            # "gave Kyiv military aid" (not Tehran's support)
            recipient = not is_dem and m.start > 0 and toks[m.start - 1].norm in GIVING_VERBS
            if after is not None and after.thing_kind() and not name_verb and not recipient and (
                    after_adj or (len(gap) <= 2 and all(_modifier_word(t, sd) for t in gap))):
                role = "holder" if "capability" in after.readings and "event" not in after.readings else "mod"
                pending_mods = [(role, entity(a)) for a in chain]
                pending_end = after.start
                k = j + 1
                continue
            if is_dem:
                # a demonym before another (unknown) noun: "Iranian designs",
                # "Iraqi militias" -- not a mention of the actor itself
                nxt_tok = toks[last.end] if last.end < len(toks) else None
                if nxt_tok is not None and nxt_tok.text[:1].isalpha() and nxt_tok.lower not in ADJ_SKIP_STOP and nxt_tok.lower not in ("and", "or"):
                    sd.demonym_before[last.end] = [entity(a) for a in chain]
                    k = j + 1
                    continue
            mm = Mention(m.start, last.end, last.end, {"actor": [entity(a) for a in chain]})
            _finish(mm, m, toks, sd)
            out.append(mm)
            k = j + 1
            continue
        if "group" in r:
            spec = r["group"]
            mm = Mention(m.start, m.end, m.end, {"group": spec})
            _finish(mm, m, toks, sd)
            # "its allies", "North Korea and its adversaries"
            if spec.get("possessed") and m.start > 0:
                prev = toks[m.start - 1].lower
                if prev in ("its", "their"):
                    if out and out[-1].ref is not None and out[-1].end == m.start:
                        out.pop()
                    mm.ref_owner = Ref(prev, "actor", "sg" if prev == "its" else "pl", m.start - 1, sd.index)
                    mm.start = m.start - 1
                    # "the U.S. and its allies": the owner is the actor coordinated with it
                    if prev == "its" and m.start >= 2 and toks[m.start - 2].lower == "and" and out and \
                            out[-1].end == m.start - 2 and out[-1].readings.get("actor") and \
                            len(out[-1].readings["actor"]) == 1:
                        mm.ref_owner = list(out[-1].readings["actor"])
                elif prev in ("'s", "’s") and out and out[-1].end == m.start - 1 and "actor" in out[-1].readings:
                    owner = out.pop()
                    mm.ref_owner = owner.readings["actor"]
                    mm.start = owner.start
            out.append(mm)
            k += 1
            continue
        if "govnoun" in r:
            # "the government of X", "the government in Dushanbe" (a seat of government: its state's)
            if m.end + 1 < len(toks) and (toks[m.end].lower == "of" or (
                    toks[m.end].lower == "in" and nxt is not None and nxt.start == m.end + 1 and
                    toks[nxt.start].text[:1].isupper() and "actor" in nxt.readings)) and nxt is not None and (
                    nxt.start == m.end + 1 or nxt.start == m.end + 2 and toks[m.end + 1].lower == "the") and (
                    "actor" in nxt.readings or "demonym" in nxt.readings):
                # ("the Government of the Republic of Moldova")
                a = nxt.readings.get("actor") or nxt.readings.get("demonym")
                mm = Mention(m.start, nxt.end, nxt.end, {"actor": [government(a)]})
                _finish(mm, m, toks, sd)
                out.append(mm)
                k += 2
                continue
            j = m.start - 1
            while j >= 0 and toks[j].lower in GOV_ADJECTIVES:
                j -= 1
            if j >= 0 and toks[j].lower == "the" and m.head in ("government", "authorities", "administration") and \
                    toks[m.end - 1].text.islower() and not (
                    m.end < len(toks) and toks[m.end].lower == "of"):
                # "the (transitional) government": the government of the state the text is about ("the
                # Government", capitalised, is the writer's own in British usage: left alone)
                mm = Mention(j, m.end, m.end, {})
                mm.ref = Ref("the government", "government", "sg", j, sd.index)
                _finish(mm, m, toks, sd)
                out.append(mm)
            k += 1
            continue
        if "publicnoun" in r:
            if m.head == "public" and m.start > 0 and toks[m.start - 1].lower in ("a", "an") and m.end < len(toks) and \
                    toks[m.end].text.isalpha() and toks[m.end].text.islower():
                k += 1
                continue   # "avoided a public fight with China": an adjective, not the public
            if m.head in ("public", "public opinion", "public sentiment", "the public") or m.head.startswith("public"):
                mm = Mention(m.start, m.end, m.end, {"actor": []})
                mm.ref = Ref(m.head, "public", "sg", m.start, sd.index)
                _finish(mm, m, toks, sd)
                out.append(mm)
            k += 1
            continue
        if "ref" in r:
            spec = r["ref"]
            if spec["text"] == "both" and m.end < len(toks) and not (
                    toks[m.end].lower in AUX_AFTER or toks[m.end].lower in (",", ".", ";", "of", "now", "still", "sides")
                    or toks[m.end].lower.endswith("ly") or m.end in sd.trigger_toks):
                k += 1   # "both 2019 and 2025", "both a Chinese attack and …": a conjunction
                continue
            mm = Mention(m.start, m.end, m.end, {})
            mm.ref = Ref(spec["text"], spec["kind"], spec["number"], m.start, sd.index)
            mm.possessive = bool(spec.get("possessive"))
            _finish(mm, m, toks, sd)
            out.append(mm)
            k += 1
            continue
        if "statenoun" in r and len(r) == 1:
            k += 1
            continue
        # things
        if m.thing_kind() or "capmod" in r or "region" in r:
            if pending_mods and pending_end <= m.start:
                for role, actor in pending_mods:
                    if role == "holder":
                        m.holder.append(actor)
                    elif role == "agents":
                        m.agents.append(actor)
                    elif role == "participants":
                        m.participants.append(actor)
                    else:
                        if "event" in r:
                            m.agents.append(actor)
                        elif "situation" in r:
                            m.involves.append(actor)
                        else:
                            m.holder.append(actor)
                # extend to the modifier
                first_mod = m.start
                while first_mod > 0 and first_mod > pending_end - 20:
                    break
                pending_mods = []
            out.append(m)
            k += 1
            continue
        k += 1
    sd.mentions = out
    _possessives(sd)


def _modifier_word(t, sd) -> bool:
    """A word that may stand between a name and its noun ("Israeli air
    strikes", "North Korea's recent tests"): not a function word, determiner,
    trigger or capitalised word."""
    w = t.lower
    if _DESIGNATOR.match(t.text):
        return True   # a model designator: "Thai F-16 fighter jets", "Iranian Shahed-136 drones"
    if w in ADJ_SKIP_STOP or w in DETERMINERS or w in CLAUSE_WORDS or t.text[:1].isupper():
        return False
    return t.i not in sd.trigger_toks


# a weapon's model designator: letters, a hyphen and a number ("F-16", "Su-35", "S-400", "MQ-9", "Shahed-136")
_DESIGNATOR = re.compile(r"^[A-Z][A-Za-z]{0,7}-\d{1,4}[A-Za-z]{0,2}$")


def _gov_after(ms, j, toks, poss):
    """The govnoun mention right after actor mention ms[j] ("the South Korean
    government", "Yemen's internationally recognized government")."""
    last = ms[j]
    b = ms[j + 1] if j + 1 < len(ms) else None
    c = ms[j + 2] if j + 2 < len(ms) else None
    if b is not None and c is not None and "statenoun" in b.readings and "govnoun" in c.readings and all(
            t.lower in ("-", "–", "led", "backed", "dominated", "controlled") for t in toks[b.end:c.start]):
        b = c   # "Sudan's army-led government": the government
    if b is None or "govnoun" not in b.readings:
        return None
    gap = toks[last.end:b.start]
    if not gap:
        return b
    if poss and len(gap) <= 5 and all(t.lower not in ADJ_SKIP_STOP for t in gap[1:]):   # "Sudan's army-led government"
        return b
    return None


def _finish(mm: Mention, m: Mention, toks, sd) -> None:
    mm.sentence = sd.index
    mm.head = " ".join(t.lower for t in toks[mm.start:mm.head_end])
    if mm.start > 0 and toks[mm.start - 1].lower in DETERMINERS:
        mm.det = toks[mm.start - 1].lower


def _possessives(sd: SentenceData) -> None:
    """"X's <thing>" and "its/their <thing>": the possessor becomes the agent
    (events), involved actor (situations) or holder (capabilities)."""
    toks = sd.toks
    ms = sd.mentions
    for idx, m in enumerate(ms):
        if not m.thing_kind():
            continue
        # walk left over up to 3 modifier words
        k = m.start - 1
        steps = 0
        while k >= 0 and steps < 4:
            t = toks[k]
            if t.lower in ("'s", "’s"):
                owner = _mention_ending_at(ms, k)
                if owner is not None and (owner.actor_kind() or owner.ref is not None):
                    _add_role(m, owner)
                    m.start = owner.start
                break
            if t.lower in ("its", "their"):
                ref = Ref(t.lower, "actor", "sg" if t.lower == "its" else "pl", k, sd.index)
                _add_role(m, ref)
                m.start = k
                break
            if t.lower == "own" and k > 0 and toks[k - 1].lower in ("its", "their", "'s", "’s"):
                k -= 1   # "its own sanctions on Iran": "own" (a verb's trigger elsewhere) only stresses the owner
                continue
            if not _modifier_word(t, sd):
                break
            other = _mention_ending_at(ms, k + 1)
            if other is not None and other is not m:
                break
            k -= 1
            steps += 1


def _mention_ending_at(ms, end):
    for m in ms:
        if m.end == end:
            return m
    return None


# "cyberattacks attributed to Russia", "exercises conducted by X": a reduced passive names the agent
AGENT_PASSIVES = frozenset(["attributed to", "blamed on", "carried out by", "conducted by", "launched by", "staged by",
                            "held by", "claimed by", "mounted by", "led by", "organized by", "organised by",
                            "imposed by", "ordered by", "perpetrated by", "fired by"])


def _attributed(sd: SentenceData) -> None:
    toks = sd.toks
    ms = sd.mentions
    for i, m in enumerate(ms):
        if "event" not in m.readings or m.agents:
            continue
        k = m.end
        if k + 2 >= len(toks):
            continue
        two = f"{toks[k].lower} {toks[k + 1].lower}"
        three = f"{two} {toks[k + 2].lower}"
        n = 3 if three in AGENT_PASSIVES else 2 if two in AGENT_PASSIVES else 0
        if not n:
            continue
        nxt = next((x for x in ms if x.start == k + n), None)
        if nxt is None or not ({"actor", "group"} & nxt.readings.keys()):
            continue
        group = [x for x in ms if m.conj >= 0 and x.conj == m.conj and "event" in x.readings] or [m]
        for x in group:
            if not x.agents and x.end <= m.end:
                x.agents.append(nxt)


# "a nuclear-armed Iran": the actor's capability is what is meant (feared, prevented …)
ARMED = {"nuclear": "NuclearWeaponsCapability"}


def _armed_actors(sd: SentenceData) -> None:
    toks = sd.toks
    out = []
    for m in sd.mentions:
        s = m.start
        cls = None
        if "actor" in m.readings and s >= 3 and toks[s - 1].lower == "armed" and toks[s - 2].lower == "-":
            cls = ARMED.get(toks[s - 3].lower)
            start = s - 3
        elif "actor" in m.readings and s >= 1 and toks[s - 1].lower.endswith("-armed"):
            cls = ARMED.get(toks[s - 1].lower[:-6])
            start = s - 1
        if cls is None:
            out.append(m)
            continue
        c = Mention(start, m.end, m.end, {"capability": cls})
        c.head = " ".join(t.lower for t in toks[start:m.end])
        c.sentence = m.sentence
        c.holder.append(m)
        c.role = m.role
        if start > 0 and toks[start - 1].lower in DETERMINERS:
            c.det = toks[start - 1].lower
        out.append(c)
    sd.mentions = out


def _add_role(m: Mention, owner) -> None:
    actors = owner if isinstance(owner, Ref) else owner
    if "event" in m.readings:
        m.agents.append(actors)
    elif "situation" in m.readings:
        m.involves.append(actors)
    else:
        m.holder.append(actors)


def _capability_coordination(sd: SentenceData, res, classes: ClassHierarchy) -> None:
    """"short-range and intercontinental ballistic missiles": modifiers
    coordinated in front of a missile head give one capability each; a
    suspended hyphen ("short- and medium-range missiles") is completed from
    the next modifier; a name may stand between modifier and head ("the
    long-range Agni-5 missile"); a modifier qualifies only a missile head
    ("long-range drones" stay drones)."""
    toks = sd.toks
    ms = sd.mentions
    mods_table = (res.lexicons.get("capabilities") or {}).get("modifiers") or {}
    # "short- and medium-range": a capmod mention for the suspended "short-"
    extra = []
    for idx, m in enumerate(ms):
        if not ({"capmod", "capability"} & m.readings.keys()) or m.start < 2:
            continue
        conj = toks[m.start - 1].lower
        susp = toks[m.start - 2]
        words = m.head.split(" ")
        if conj in ("and", "or", ",") and susp.lower.endswith("-") and len(susp.lower) > 1 and not any(
                x.start <= susp.i < x.end for x in ms) and len(words) >= 3 and words[1] == "-":
            cls = mods_table.get(susp.lower + words[2])
            if cls:
                if cls:
                    c = Mention(susp.i, susp.i + 1, susp.i + 1, {"capmod": cls})
                    c.sentence = sd.index
                    c.head = susp.lower + words[2]
                    extra.append(c)
    if extra:
        ms = sorted(ms + extra, key=lambda x: x.start)
        sd.mentions = ms
    out = []
    k = 0
    while k < len(ms):
        m = ms[k]
        if "capmod" in m.readings and len(m.readings) == 1:
            mods = [m]
            j = k
            while j + 1 < len(ms):
                b = ms[j + 1]
                between = [t.lower for t in toks[ms[j].end:b.start]]
                if "capmod" in b.readings and len(b.readings) == 1 and between in (["and"], [","], ["or"], [",", "and"]):
                    mods.append(b)
                    j += 1
                    continue
                break
            head = ms[j + 1] if j + 1 < len(ms) else None
            between = [t.lower for t in toks[ms[j].end:head.start]] if head is not None else []
            if head is not None and "capability" in head.readings and head.start > ms[j].end and between in (
                    ["and"], [","], ["or"], [",", "and"]):
                # "short-range and intercontinental ballistic missiles": the head
                # phrase is itself specific; every modifier before it is one more
                for mod in mods:
                    c = Mention(mod.start, mod.end, mod.end, {"capability": mod.readings["capmod"]})
                    c.sentence = sd.index
                    c.head = mod.head
                    c.det = mod.det
                    out.append(c)
                k = j + 1
                continue
            gap_ok = head is not None and (head.start == ms[j].end or (
                head.start - ms[j].end <= 2 and all(t.text[:1].isupper() or t.text[:1].isdigit() for t in toks[ms[j].end:head.start])))
            if head is not None and "capability" in head.readings and gap_ok and not _missile_head(head, classes):
                k += 1   # "long-range drones": the modifier does not make a missile class
                continue
            if head is not None and "capability" in head.readings and gap_ok:
                # each modifier but the last forms its own capability -- unless the head names a
                # kind of missile already ("long-range cruise missiles" are cruise missiles)
                head_cls = head.readings["capability"]
                specific = head_cls != "MissileCapability" and classes.is_a(head_cls, "MissileCapability")
                for mod in mods:
                    cls = head_cls if specific else mod.readings["capmod"]
                    c = Mention(mod.start, head.end, head.end, {"capability": cls})
                    c.sentence = sd.index
                    c.head = head.head
                    c.holder = list(head.holder)
                    c.det = mods[0].det
                    out.append(c)
                k = j + 2
                continue
            k += 1
            continue
        if "capmod" in m.readings and len(m.readings) == 1 or ("region" in m.readings and len(m.readings) == 1):
            if "region" in m.readings:
                out.append(m)
            k += 1
            continue
        out.append(m)
        k += 1
    sd.mentions = out


def _missile_head(m, classes: ClassHierarchy) -> bool:
    return classes.is_a(m.readings.get("capability", ""), "MissileCapability")


# words that open a subordinate clause: a list of actors ends before them
SUBORDINATORS = frozenset("while whereas although though because since when if unless until after before".split())


def _actor_np(sd: SentenceData, start: int, limit: int):
    """Actor mentions (with coordination) starting at token ``start`` after at
    most 2 modifier words; returns (list of actor mentions, end token)."""
    toks = sd.toks
    ms = sd.mentions
    k = start
    found = []
    end = start
    # "those of Egypt and Qatar"
    if k + 1 < limit and toks[k].lower in ("those", "that") and toks[k + 1].lower == "of":
        k += 2
    while True:
        m = None
        for j in range(k, min(k + 3, limit)):
            m = _mention_starting_at(ms, j)
            if m is not None:
                # a capitalised word skipped is a name of its own ("in Kaliningrad worries Lithuania")
                if any(t.lower in ADJ_SKIP_STOP or (t.text[:1].isupper() and t.text.isalpha()) for t in toks[k:j]):
                    m = None
                break
        if m is None or not (m.actor_kind() or (m.ref is not None)):
            break
        if found and toks[m.start - 1].lower in ("and", "the") and toks[max(0, m.start - 3):m.start].count is not None and any(
                t.lower == "," for t in toks[max(0, m.start - 3):m.start]) and _starts_clause(sd, m):
            break
        found.append(m)
        end = m.end
        k = m.end
        # "neighboring countries, particularly South Korea and Japan": the named members
        if "group" in m.readings and k + 1 < limit and toks[k].lower == "," and toks[k + 1].lower in (
                "particularly", "especially", "notably", "including", "mainly", "chiefly"):
            members, end2 = _actor_np(sd, k + 2, limit)
            if members:
                found[-1:] = members
                return found, end2
        if k < limit and toks[k].lower == "," and _fronted_clause_open(sd, k):
            break
        if k + 1 < limit and toks[k].lower == "," and gerund(toks[k + 1]):
            break   # ", prompting …" ends the list ("…, Beijing and Moscow" does not)
        if k < limit and toks[k].lower in (",", "and", "or"):
            k2 = k + 1
            if k2 < limit and toks[k2].lower in ("and", "or"):
                k2 += 1
            if k2 < limit and toks[k2].lower in ("the",):
                k2 += 1
            if k2 < limit and toks[k2].lower in SUBORDINATORS:
                break   # "with the Nepal Army, while China …": a new clause
            nxt = _mention_starting_at(ms, k2) or _mention_starting_at(ms, k2 + 1)
            if nxt is not None and (nxt.actor_kind() or nxt.ref is not None) and nxt.start <= k2 + 1:
                k = k2
                continue
        break
    return found, end


AUX_AFTER = frozenset("""has have had is are was were will would could can may might did does do must should
    also later then""".split())
FRONTED = frozenset("after before when while although though because since if as once until unless".split())


def _starts_clause(sd, m) -> bool:
    """A coordinated actor that is really the subject of a new clause: "…
    attacks on Israel, and the Houthis have continued …"."""
    k = m.end
    toks = sd.toks
    if k < len(toks) and (toks[k].lower in AUX_AFTER or k in sd.trigger_toks):
        return True
    return False


def _fronted_clause_open(sd, k) -> bool:
    """The sentence opens with a subordinate clause ("After Israel killed …,")
    and ``k`` is its first comma."""
    toks = sd.toks
    if not toks or toks[0].lower not in FRONTED:
        return False
    return all(t.lower != "," for t in toks[:k])


def _mention_starting_at(ms, start):
    for m in ms:
        if m.start == start:
            return m
        if m.start > start:
            return None
    return None


def _attach(sd: SentenceData, res) -> None:
    """Post-modifiers of things: "by X", "between X and Y", "on X", ..."""
    toks = sd.toks
    n = len(toks)
    ms = sd.mentions
    consumed = set()
    for m in ms:
        if not m.thing_kind() or id(m) in consumed:
            continue
        k = m.end
        # "Hezbollah's rocket fire into northern Israel", "war in Gaza"
        if k >= n:
            continue
        if toks[k].lower == "of" and k + 1 < n:
            inner = _mention_starting_at(ms, k + 1) or (_mention_starting_at(ms, k + 2) if toks[k + 1].lower in (
                "the", "a", "an") else None)
            if inner is not None and "capability" in m.readings and "capability" in inner.readings:
                # "an arsenal of precision-guided missiles": the inner, more specific class
                if inner.readings["capability"] != "MilitaryCapability":
                    m.readings = {"capability": inner.readings["capability"]}
                m.end = inner.end
                consumed.add(id(inner))
                k = m.end
                if k >= n:
                    continue
            elif inner is not None and "situation" in m.readings and inner.thing_kind():
                # "fears of military conflict among neighboring countries"
                k = inner.end
                if k >= n:
                    continue
            elif m.readings.get("event") == "MilitaryDeployment" and (
                    weapons := _deployed_weapons(ms, m, inner, k)) is not None:
                # "Russia's deployment of tactical nuclear weapons to Belarus": what is deployed belongs
                # to the deployment (the phrase is the deployment, not the weapons); "the stationing of
                # Russian nuclear weapons in Belarus": the owner the weapons' demonym names deploys them
                if weapons is not inner:
                    m.agents = list(weapons.holder)
                m.end = weapons.end
                m.deployed = weapons.readings["capability"]
                consumed.add(id(weapons))
                k = m.end
                if k >= n:
                    continue
        _attach_preps(sd, res, m, k, consumed)
    sd.mentions = [m for m in ms if id(m) not in consumed]


def _deployed_weapons(ms, m, inner, k):
    """The weapons a deployment phrase names after its "of" (``inner``, starting right after it),
    or, when that is a demonym the weapons took as their holder, the weapons after it."""
    if inner is not None:
        return inner if "capability" in inner.readings and not inner.actor_kind() else None
    if m.agents:
        return None
    weapons = next((x for x in ms if k + 1 < x.start <= k + 3 and "capability" in x.readings and x.holder
                    and not x.actor_kind()), None)
    return weapons if weapons is not None and not any(k < x.start < weapons.start for x in ms) else None


TARGET_NOUNS = frozenset("""target position base outpost camp site facility installation infrastructure convoy vehicle
    patrol column stronghold hideout depot""".split())


def _attach_preps(sd, res, m, k, consumed, rounds: int = 3) -> None:
    """Up to ``rounds`` post-modifiers in a row ("visits to Taipei by senior
    American officials"); "on targets in X" / "on military sites inside X" give X."""
    toks = sd.toks
    n = len(toks)
    for _ in range(rounds):
        if k >= n:
            return
        prep = toks[k].lower
        if prep == "in" and k + 1 < n and toks[k + 1].lower == "which":
            actors, end = _actor_np(sd, k + 2, n)
            if actors and "event" in m.readings:
                for a in actors:
                    m.agents.append(a)
                    consumed.add(id(a))
            return
        if "event" in m.readings:
            table = PREPS_EVENT
        elif "situation" in m.readings:
            table = PREPS_SITUATION
        elif "capability" in m.readings:
            table = PREPS_CAPABILITY
        else:
            return
        role = table.get(prep)
        if role is None and prep == "to" and "event" in m.readings and m.head not in res.needs_actor and k + 1 < n and (
                _mention_starting_at(sd.mentions, k + 1) is not None or toks[k + 1].lower == "the"):
            role = "participants"   # "visits to Taipei", "arms sales to Taiwan" (not "… to coerce Taipei")
        if role is None:
            return
        if prep == "of" and k + 2 < n and toks[k + 1].lower in ("its", "their", "his", "her") and toks[k + 2].lower == "own":
            return   # "air strikes of its own": the owner, not a target
        start = k + 1
        if role == "targets" and start < n:
            # "strikes on (military) targets in X"
            j = start
            while j < n and j < start + 3 and toks[j].norm not in TARGET_NOUNS and _modifier_word(toks[j], sd):
                j += 1
            if j < n and toks[j].norm in TARGET_NOUNS and j + 1 < n and toks[j + 1].lower in (
                    "in", "inside", "across", "within", "of"):
                start = j + 2   # (and "strikes on positions of the RSF", "an attack on a convoy of Chinese engineers")
            start = _past_attribution(sd, start)
        actors, end = _actor_np(sd, start, n)
        if not actors and role == "targets":
            actors, end = _demonym_owner(sd, start)
        if not actors:
            return
        if end + 2 < n and toks[end].text == "(" and toks[end + 2].text == ")":
            end += 3   # "attacks by Tehrik-i-Taliban Pakistan (TTP) on …": the name's acronym
        if "event" in m.readings:
            cls = m.readings["event"]
            targetable = cls in TARGET_CLASSES or m.head.split(" ")[-1] in TARGET_HEADS
            if role == "of":
                role = "targets" if targetable else "participants"
            if role == "targets" and not targetable:
                role = "participants"
            if prep == "in" and not all(_is_state_like(a, res) for a in actors):
                return
            if prep == "in" and targetable and cls in STRIKE_CLASSES:
                role = "targets"   # "Israeli strikes in Lebanon and Syria": the state struck
        for a in actors:
            getattr(m, role).append(a)
            consumed.add(id(a))
        if prep == "with":
            m.with_actors = list(getattr(m, "with_actors", [])) + list(actors)
        if role == "targets":
            m.target_span = (k, end)
        m.end = end
        k = end


def _demonym_owner(sd: SentenceData, start: int) -> tuple[list, int]:
    """"tariffs on (all) American imports", "sanctions on Russian oil": the state a demonym names
    before a noun that is no actor owns what is aimed at -- an actor mention of the demonym, and
    the end of the noun phrase; ([], start) when there is none."""
    toks = sd.toks
    for j in range(start + 1, min(start + 4, len(toks))):
        owners = sd.demonym_before.get(j)
        if owners:
            if not all(t.text[:1].islower() and t.text.isalpha() for t in toks[start:j - 1]):
                break   # (only "all", "most" and the like before the demonym)
            dem = Mention(j - 1, j, j, {"actor": list(owners)})
            dem.sentence, dem.head, dem.conj = sd.index, toks[j - 1].lower, -1
            return [dem], j + 1
    return [], start


# acts whose place ("strikes in Lebanon") is the state they hit
STRIKE_CLASSES = frozenset(["MilitaryStrike", "Attack", "MissileLaunch"])
ATTRIBUTING = frozenset(["describe", "call", "say", "claim", "consider", "regard", "term", "label", "allege"])
COPULAS = frozenset(["is", "are", "was", "were", "be", "to"])


def _past_attribution(sd, k: int) -> int:
    """Where the real object starts in "(strikes on) what it describes as TTP hideouts" /
    "what Israel called Hezbollah positions": after the attribution (whose speaker is not the
    target); ``k`` itself when there is none."""
    toks = sd.toks
    n = len(toks)
    if k >= n or toks[k].lower != "what":
        return k
    j = k + 1
    if j < n and toks[j].lower in ("it", "they", "he", "she"):
        j += 1
    else:
        m = _mention_starting_at(sd.mentions, j)
        if m is None:
            return k
        j = m.end
    if j >= n or toks[j].norm not in ATTRIBUTING:
        return k
    j += 1
    while j < n and (toks[j].lower == "as" or toks[j].lower in COPULAS):
        j += 1
    return j


def _is_state_like(m: Mention, res) -> bool:
    for a in m.readings.get("actor", []) or []:
        if a.kind == ENTITY:
            actor = res.actors.get(a.id)
            if actor is None or actor.cls not in ("State",):
                return False
    return m.ref is None


def _coordinate(sd: SentenceData, res) -> None:
    """Coordination groups; shared post-modifiers; "including X and Y"."""
    toks = sd.toks
    ms = sd.mentions
    gid = 0
    closed = set()   # coordination groups whose "and" / "or" has come
    for idx, m in enumerate(ms):
        if m.conj < 0:
            m.conj = gid
            gid += 1
        if idx + 1 >= len(ms):
            break
        b = ms[idx + 1]
        if b.ref is not None and not b.readings and idx + 2 < len(ms) and ms[idx + 2].start == b.start:
            b = ms[idx + 2]   # "X's arsenal and its nuclear program": the phrase, not its pronoun
        between = [t.lower for t in toks[m.end:b.start]]
        if between[-2:] in (["along", "with"], ["together", "with"]):
            between = between[:-2] + ["and"]   # "X, along with Y", "X, together with Y"
        if "," in between and b.end - b.start == 1 and toks[b.start].lower in ("we", "they", "he", "she", "it", "i"):
            continue   # "organised by the Russian authorities, and we regard …": a new clause's subject
        if between[:2] in ([",", "and"], [",", "but"]) and _starts_clause(sd, b):
            continue   # "the highest share in NATO, and Warsaw has ordered …": a new clause's subject
        if not between or len(between) > 4 or not all(w in COORD or _modifier_word(t, sd) for w, t in zip(
                between, toks[m.end:b.start])) or not ("and" in between or "or" in between or between[0] == "," or "well" in between):
            continue
        if between[0] == "," and m.conj in closed and "well" not in between:
            continue   # "can reach Vilnius, Warsaw and Berlin, and Lithuania, Latvia and Poland regard …",
                       # "Together with Latvia, Lithuania and Finland, Estonia …": a list ends at its "and"
        if m.actor_kind() == b.actor_kind() and m.thing_kind() == b.thing_kind():
            b.conj = m.conj
            if "and" in between or "or" in between:
                closed.add(m.conj)
    # shared post-modifier: "defense talks and military exercises between X and Y"
    groups: dict[int, list] = {}
    for m in ms:
        groups.setdefault(m.conj, []).append(m)
    for g in groups.values():
        if len(g) < 2:
            continue
        last = g[-1]
        if "event" in last.readings and last.participants:
            for m in g[:-1]:
                if "event" in m.readings and not (m.agents or m.participants or m.targets):
                    m.participants = list(last.participants)
        # a shared increase modifier: "increased military readiness and defense spending"
        # (only a bare conjunct shares it: "further missile tests, and potential
        # conflicts" have modifiers of their own)
        if g[0].mod and all(x.mod is None for x in g[1:]):
            for x in g[1:]:
                if x.det is None and x.start > 0 and toks[x.start - 1].lower in ("and", "or", ",", "&"):
                    x.mod = g[0].mod
    for m in ms:
        if m.readings.get("event") == "MilitaryExercise" and len(m.agents) + len(m.participants) >= 2:
            m.readings["event"] = "JointMilitaryExercise"
        if m.readings.get("event") == "MilitaryExercise" and any(
                isinstance(x, Mention) and len(x.readings.get("actor", []) or []) >= 2 for x in m.agents + m.participants):
            m.readings["event"] = "JointMilitaryExercise"
    # "Many governments, including those of Egypt and Qatar"
    for idx, m in enumerate(ms):
        if "group" not in m.readings:
            continue
        k = m.end
        if k < len(toks) and toks[k].lower != "," and k + 1 < len(toks) and (
                toks[k].lower == "including" or toks[k].lower == "such" and toks[k + 1].lower == "as"):
            k -= 1   # "Gulf states such as Saudi Arabia and the UAE": no comma
        if k + 1 < len(toks) and (toks[k].lower == "," or k < m.end) and toks[k + 1].lower in ("including", "such"):
            start = k + 2 + (1 if toks[k + 1].lower == "such" else 0)
            actors, end = _actor_np(sd, start, len(toks))
            if actors:
                m.members = actors
                for a in actors:
                    if a in ms:
                        a.conj = -2
                sd.mentions = [x for x in sd.mentions if x not in actors]
                m.end = end


def set_modifiers(sd: SentenceData, res) -> None:
    """"increased X" / "reduced X"; called before coordination sharing."""
    toks = sd.toks
    for m in sd.mentions:
        k = m.start - 1
        if m.det is not None:
            k -= 0
        for j in range(max(0, m.start - 2), m.start):
            w = toks[j].lower
            if w in res.increase_mods:
                m.mod = "increase"
            elif w in res.decrease_mods:
                m.mod = "decrease"


SEA_WORDS = frozenset(["sea", "ocean"])
DIRECTIONS = frozenset(["east", "south", "north", "west", "eastern", "southern", "northern", "western"])


def adjust_hits(sd: SentenceData) -> None:
    """Actor hits that are really part of another name or phrase: "the East China Sea"
    names a sea, not China; "the members of the Security Council" are the council."""
    toks = sd.toks
    n = len(toks)
    out = []
    for s, e, kind, value in sd.entity_hits:
        if kind in ("actor", "demonym"):
            if e < n and toks[e].lower in SEA_WORDS and s > 0 and toks[s - 1].lower in DIRECTIONS:
                continue
            if s >= 2 and [t.lower for t in toks[max(0, s - 3):s]][-3:] in (["members", "of", "the"], ["member", "of", "the"]) \
                    or s >= 2 and [t.lower for t in toks[s - 2:s]] == ["members", "of"]:
                k = s - 3 if toks[s - 1].lower == "the" else s - 2
                if k > 0 and toks[k - 1].lower == "the":
                    k -= 1
                out.append((k, e, kind, value))
                continue
        out.append((s, e, kind, value))
    sd.entity_hits = out
