"""A salience-based reference resolver.

What it resolves, and how (``Discourse`` keeps, for the last three sentences,
their subjects, their actors in order, their sets of two or more actors, and
their event groups):

* ``its`` / ``their`` / ``it`` (as an actor): the first actor of the current
  sentence before the pronoun (in practice the clause subject: "North Korea
  perceives these actions as threats to its sovereignty"); otherwise the
  subject actor of the previous sentence (an event subject contributes its
  agents: "North Korea's missile program … The country"), then the other
  actors of that sentence in order, then one and two sentences further back.
* ``the country`` / ``the regime`` / ``the nation``: the same search, keeping
  states only; ``the group`` / ``the movement``: non-state actors only.
* ``the two nations``, ``these nations``, ``both sides``, ``their`` after a
  plural subject: the most recent set of two or more actors (a coordination
  "the U.S. and South Korea", or the participants of one event) in the
  current sentence before the expression, else in earlier sentences.
* ``public sentiment`` / ``the public``: the public of the most salient state.
* ``some`` / ``others``: the subject of the current sentence.
* ``it`` / ``they`` / ``them`` as a thing: the subject of the current
  sentence before the pronoun, else the subject of the previous sentence
  ("The fighting displaced … It also heightened tensions").
* Anaphoric events: a bare event head without actors ("these actions",
  "these tests", "the attacks", "this partnership", "continued attacks")
  points at the most salient compatible earlier event group (same class or a
  sub/superclass; "actions" takes any event): the previous sentence's subject
  group first, then its other event groups, most recent first; a generic head
  takes the antecedent's class, a specific one keeps its own class and takes
  the antecedent's actors. Relation rules can pass a filter (a state does not
  perceive its own launches as a threat) and then the next candidate is used.
* ``joint exercises`` without actors: the most recent set of two or more
  actors (the allies in context).
* ``both states`` / ``the two governments`` / ``neither army``: a pair (of
  states for state nouns); with no pair in view, the two most salient states.
  ``these allies`` / ``these partners``: the actors of the latest sentence that
  stated alliances or cooperation.
* A singular pronoun prefers an infinitive's controller ("pushed Taiwan to
  raise its spending") and never picks one member out of a plural phrase;
  ``the island`` / ``the country`` never names the subject of its own clause
  ("Beijing might blockade the island").

Where it gives up: cataphora, split antecedents other than coordinations,
bridging ("the region" is never an actor), pronouns more than three sentences
from their antecedent, and "it" meaning a whole proposition; those stay
unresolved and a rule that needs them makes no claim.
"""

from __future__ import annotations

from collections import deque

from .actor import ENTITY, GOVERNMENT, GROUP, PUBLIC, Actor, GroupActor, actor_group, entity, government, public
from .classes import ClassHierarchy, hierarchy_of
from .entities import Mention, Ref

# heads that name an act of any class, and take the class of the act they name again ("the EU measures")
GENERIC_ACTS = frozenset(["measures", "measure", "steps", "step", "moves", "move", "actions"])
PREPOSITIONS = frozenset("""in of to by with for from on at after before during compared against among between
    through since until despite amid following under over into like unlike as""".split())

class SentenceMemory:
    __slots__ = ("index", "subject", "actors", "actor_sets", "event_groups")

    def __init__(self, index):
        self.index = index
        self.subject = None          # Mention
        self.actors = []             # Actors in order (subject first)
        self.actor_sets = []         # tuples of >= 2 Actors, in textual order
        self.event_groups = []       # lists of event Mentions; subject group first


JUNTA_WORDS = frozenset(["junta", "juntas", "regime"])
# people who speak for a state: "the representative of Egypt", "Japan's defence minister", "the
# Egyptian ambassador"; "he", "his country" then name that state
SPEAKER_TITLES = frozenset("""representative representatives ambassador ambassadors envoy envoys minister ministers
    president prime premier spokesman spokeswoman spokesperson official officials delegate delegation chancellor
    king emir leader leaders diplomat diplomats foreign defence defense secretary negotiator negotiators""".split())
JUNTA_REFS = frozenset(["the junta", "the military junta", "the ruling junta", "the military regime",
                        "the military government", "the regime"])


ARMED_REFS = frozenset(["the group", "the militia", "the movement", "the rebels", "the militants", "the insurgents",
                        "the jihadists", "the gangs", "the separatists", "the guerrillas", "the fighters"])
# "our country", "my government": a text that says this speaks for a state (an analyst's
# "we assess" does not)
# the state bodies whose statement opens a text and then speaks as "we"
# a debate in the British Parliament (Hansard) speaks of itself so; "we" is then His Majesty's Government
# (and its party labels; "honourable Members" alone is no cue: the European Parliament says it too)
WESTMINSTER_CUES = ("His Majesty's Government", "Her Majesty's Government", "His Majesty’s Government",
                    "Her Majesty’s Government", "My Lords", "noble Lord", "noble Baroness", "noble Friend",
                    "( Con )", "( Lab )", "( LD )", "( SNP )", "( CB )")
WESTMINSTER_STATE = "united-kingdom"
STATEMENT_BODIES = frozenset(["Government", "Ministry", "Office", "Presidency", "Cabinet", "Chancellery"])
SPEAKER_NOUNS = frozenset(["country", "government", "citizens", "territory", "sovereignty", "nation", "people",
                           "army", "borders", "border", "constitutional", "national", "delegation", "armed", "republic",
                           "eastern", "western", "northern", "southern", "forces", "defence", "defense"])


class Discourse:
    def __init__(self, res, classes: ClassHierarchy | None = None, depth: int = 3):
        self.res = res
        self.classes = classes or hierarchy_of()  # the ontology's class hierarchy
        self.memory: deque[SentenceMemory] = deque(maxlen=depth)
        self.partners: dict[str, list] = {}
        self.opponents: dict[str, list] = {}
        self.last_coalition: list = []   # actors of the latest sentence stating alliances / cooperation
        self.new_actors = None           # newactors.NewActors of the document (actors outside the gazetteer)
        self.speaker: tuple = ()         # who "we" / "our" are, once the text says so (_note_speaker)
        self.first_subject: tuple | None = None   # actors of the first sentence's subject
        self.opening_states: list = []   # the states the first sentence names
        self.transcript = False          # the first line starts with a speaker label ("SPOKESPERSON:")
        self.person_state: str | None = None      # the state the last representative spoke for

    # ------------------------------------------------------------------ actors
    def actor_class(self, actor: Actor | GroupActor) -> str:
        if actor.kind == GOVERNMENT:
            return "Government"
        if actor.kind == PUBLIC:
            return "Public"
        if actor.kind == GROUP:
            return "ActorGroup"
        a = self.res.actors.get(actor.id)
        if a is None and self.new_actors is not None:
            return self.new_actors.actor_class(actor.id) or "Actor"
        return a.cls if a is not None else "Actor"

    def state_of(self, actor: Actor | GroupActor):
        if actor.kind in (GOVERNMENT, PUBLIC):
            return actor.id
        if actor.kind == ENTITY and self.actor_class(actor) == "State":
            return actor.id
        return None

    def actors_of(self, m) -> list:
        """The Actors (and GroupActors) a mention stands for (resolved)."""
        if isinstance(m, (Actor, GroupActor)):
            return [m]
        if isinstance(m, Ref):
            return list(m.resolved)
        if hasattr(m, "actor"):
            return [m.actor]
        if m.ref is not None:
            return list(m.ref.resolved)
        if "actor" in m.readings:
            return list(m.readings["actor"])
        if "group" in m.readings:
            if m.members:
                out = []
                for x in m.members:
                    out.extend(self.actors_of(x))
                return out
            return [self.group_actor(m)]
        return []

    def group_actor(self, m: Mention) -> GroupActor:
        spec = m.readings["group"]
        members = ()
        owner = getattr(m, "ref_owner", None)
        slug, label = spec["slug"], spec["label"]
        if owner is not None:
            owners = self.actors_of(owner) if isinstance(owner, Ref) else list(owner)
            if owners and owners[0].kind == ENTITY:
                owner_id = owners[0].id
                name = self.res.actors[owner_id].label if owner_id in self.res.actors else owner_id
                slug = f"{slug}-of-{owner_id}"
                label = f"{name}'s {label}"
                members = self.group_members(owner_id, spec.get("relation"))
        return actor_group(slug, label, members)

    # ------------------------------------------------- who stands with whom
    # "its allies" / "its adversaries" get their members from what the text has said
    # so far: partners are the co-parties of cooperation, alliances, joint exercises
    # and talks; opponents are the actors X perceives as threats (or whose actions it
    # does), X's adversaries and the targets of X's attacks. Nothing said: no members.
    PARTNER_EVENTS = ("MilitaryCooperation", "JointMilitaryExercise", "DefenseTalks")

    def group_members(self, owner: str, relation) -> tuple:
        table = self.partners if relation in ("allyOf", "cooperatesWith") else (
            self.opponents if relation == "adversaryOf" else None)
        if table is None:
            return ()
        return tuple(entity(a) for a in table.get(owner, ()) if a != owner)

    def learn(self, claims) -> None:
        """Update partners / opponents from one sentence's claims (``proposal.Proposal``)."""
        def add(table, a, b):
            if isinstance(a, str) and isinstance(b, str) and a != b:
                lst = table.setdefault(a, [])
                if b not in lst:
                    lst.append(b)

        def event_actors(e):
            if not isinstance(e, dict) or "event" not in e:
                return []
            return [x for k in ("agents", "participants") for x in e.get(k, []) if isinstance(x, str)]

        coalition = []
        for c in claims:
            if c.predicate in ("allyOf", "cooperatesWith") and c.modality == "asserted":
                for x in (c.subject, c.object):
                    if isinstance(x, str) and entity(x) not in coalition:
                        coalition.append(entity(x))
        if len(coalition) >= 2:
            self.last_coalition = coalition
        for c in claims:
            p, s, o = c.predicate, c.subject, c.object
            if c.modality != "asserted":
                continue
            if p in ("allyOf", "cooperatesWith"):
                add(self.partners, s, o)
                add(self.partners, o, s)
            elif p == "adversaryOf":
                add(self.opponents, s, o)
                add(self.opponents, o, s)
            elif p == "perceivesAsThreat":
                for b in [o] if isinstance(o, str) else event_actors(o):
                    add(self.opponents, s, b)
            elif p == "targets":
                for a in event_actors(s):
                    add(self.opponents, a, o)
            for e in (s, o):
                if isinstance(e, dict) and e.get("event") in self.PARTNER_EVENTS:
                    acts = event_actors(e)
                    for a in acts:
                        for b in acts:
                            add(self.partners, a, b)

    def _mention_actors(self, m) -> list:
        if m.actor_kind():
            return self.actors_of(m)
        out = []
        for slot in (m.agents, m.participants, m.involves, m.holder, m.targets):
            for x in slot:
                out.extend(self.actors_of(x))
        return out

    def _ranked_actors(self, sd, before_tok: int, singular: bool = False) -> list:
        """Actors in salience order for a pronoun at ``before_tok``. For a
        singular pronoun, an infinitive's controller comes first ("pushed Taiwan to
        raise its spending"), and no member is picked out of a plural phrase
        ("exercises among these allies … its mistrust")."""
        ranked = []
        toks = sd.toks
        if singular:
            for j in range(before_tok - 1, max(-1, before_tok - 5), -1):
                if toks[j].lower == "to" and j > 0:
                    cm = sd.tok_mention[j - 1] if getattr(sd, "tok_mention", None) else None
                    if cm is None:
                        cm = next((x for x in sd.mentions if x.end == j), None)
                    if cm is not None and cm.actor_kind() and cm.ref is None:
                        ranked.extend(self._mention_actors(cm))
                    break
                if toks[j].lower in (",", ";", "and", "which", "that"):
                    break
        for m in sd.mentions:
            if m.start >= before_tok:
                break
            if m.ref is not None and not m.ref.resolved:
                continue
            if singular and m.ref is not None and m.ref.number == "pl":
                continue   # "They expressed concern that the group …, and that its arsenal …": not "they"
            acts = self._mention_actors(m)
            if singular and len(acts) >= 2:
                continue
            ranked.extend(acts)
        for mem in reversed(self.memory):
            ranked.extend(mem.actors)
        return ranked

    def _person_state(self, sd, before_tok: int):
        """The state of the last person speaking for one, in this sentence before ``before_tok``
        or earlier in the text (``self.person_state``)."""
        found = None
        toks = sd.toks
        for m in sd.mentions:
            if m.start >= before_tok:
                break
            if m.ref is not None or not m.actor_kind():
                continue
            near = [t.lower for t in toks[max(0, m.start - 3):min(len(toks), m.end + 3)]]   # ("Somalia's envoy")
            if SPEAKER_TITLES & set(near):
                for a in self._mention_actors(m):
                    st = self.state_of(a)
                    if st:
                        found = st
        return found or self.person_state

    def _note_person(self, sd) -> None:
        st = self._person_state(sd, len(sd.toks))
        if st is not None:
            self.person_state = st

    def _note_speaker(self, sd, subject) -> None:
        """Who speaks in the first person plural. "We, the members of the North Atlantic
        Council, …" names the speaker; otherwise the first sentence's subject ("The Government
        of the Republic of Moldova has taken note …") speaks, once the text calls something
        "our country" / "our citizens" / "my government"."""
        if self.speaker:
            return
        toks = sd.toks
        if self._westminster(toks):
            # "To ask His Majesty's Government …", "My Lords, …", "the noble Lord": a debate in
            # the British Parliament, where "we" is the United Kingdom's government
            self.speaker = (government(WESTMINSTER_STATE),)
            return
        if len(toks) > 3 and toks[0].lower == "we" and toks[1].text == ",":
            m = next((m for m in sd.mentions if m.start > 1 and m.ref is None and m.actor_kind()), None)
            if m is not None:
                self.speaker = tuple(self._mention_actors(m))
                return
        if self.first_subject is None:
            self._note_opening(sd, subject)
            if self.speaker:
                return
        if self.first_subject and self.transcript and any(
                t.lower in ("we", "our") for t in toks) and all(self.state_of(a) for a in self.first_subject):
            # a transcript ("TRANSCRIPT: Press conference of the Indonesian Navy …", "SPOKESPERSON: …
            # our patrol vessels"): the institution of its first line speaks as "we"
            self.speaker = self.first_subject
            return
        ours = any(t.lower in ("our", "my") and k + 1 < len(toks) and toks[k + 1].lower in SPEAKER_NOUNS
                   for k, t in enumerate(toks))
        if self.first_subject and ours:
            self.speaker = self.first_subject
        elif ours and not self.first_subject and len(self.opening_states) == 1:
            # a speech ("Ladies and gentlemen, it is a privilege to speak about the security of
            # Finland's eastern border … our eastern crossing points"): the government of the
            # one state the first sentence names speaks
            self.speaker = (government(self.opening_states[0]),)

    @staticmethod
    def _westminster(toks) -> bool:
        """Words only a debate in the British Parliament uses of itself."""
        text = " ".join(t.text for t in toks[:40])
        return any(cue in text for cue in WESTMINSTER_CUES)

    def _note_opening(self, sd, subject) -> None:
        """What the first sentence says of the speaker: its subject (``first_subject``), the states
        it names, whether it is a transcript's first line ("TRANSCRIPT:", "CHAIR:"), and the
        speaker itself where it says so ("I speak on behalf of Denmark", "The Government of
        Denmark has taken note …", "The Ministry of Foreign Affairs of the Republic of Estonia …")."""
        toks = sd.toks
        self.transcript = len(toks) > 2 and toks[0].text.isupper() and len(toks[0].text) > 2 and toks[1].text == ":"
        self.opening_states = self.opening_states_of(sd)
        self.first_subject = tuple(self._mention_actors(subject)) if (
            subject is not None and subject.ref is None and subject.actor_kind()) else ()
        if len(self.opening_states) == 1 and any(t.lower in ("i", "we") for t in toks) and any(
                toks[k].lower == "behalf" and toks[k - 1].lower == "on" for k in range(1, len(toks))):
            self.speaker = (government(self.opening_states[0]),)
            return
        if not self.first_subject or subject is None:
            return
        named_body = toks[subject.start].text in STATEMENT_BODIES and subject.start + 1 < len(toks) and \
            toks[subject.start + 1].lower == "of"
        if named_body and all(a.kind == GOVERNMENT for a in self.first_subject):
            self.speaker = self.first_subject   # "The Government of Denmark" read as one government mention
            return
        opening = [t.text for t in toks[:subject.start] if t.lower != "the"]
        if opening and opening[-1] == "of" and any(w.capitalize() in STATEMENT_BODIES for w in opening[:3]):
            # "The Ministry of Foreign Affairs of the Republic of Estonia …": that state's government
            self.first_subject = tuple(government(self.state_of(a)) if self.state_of(a) else a
                                       for a in self.first_subject)
            self.speaker = self.first_subject

    def opening_states_of(self, sd) -> list:
        """The states sentence ``sd`` names (by a name, not a reference)."""
        out = []
        for m in sd.mentions:
            if m.ref is None and m.actor_kind():
                for a in self._mention_actors(m):
                    st = self.state_of(a)
                    if st and st not in out:
                        out.append(st)
        return out

    def _punished_owner(self, ref: Ref, sd) -> tuple:
        """"sanctions on Moscow for its invasion of Ukraine", "strikes on Iran over its nuclear
        programme": the possessive after "for"/"over" is the one punished, not the punisher."""
        toks = sd.toks
        k = ref.tok
        if ref.text not in ("its", "their") or k < 2 or toks[k - 1].lower not in ("for", "over", "after", "following"):
            return ()
        prev = next((m for m in sd.mentions if m.end == k - 1), None)
        if prev is not None and "event" in prev.readings and prev.targets:
            return tuple(a for x in prev.targets for a in self.actors_of(x))
        if prev is not None and prev.actor_kind() and prev.start >= 2 and toks[prev.start - 1].lower in ("on", "against"):
            return tuple(self.actors_of(prev))
        return ()

    def _government_of_text(self, sd, ref: Ref) -> tuple:
        """"the (transitional) government": of the state the text names most often so far (the
        one it is about), the first named among equals."""
        counts = getattr(self, "state_counts", {})
        first = getattr(self, "state_first", {})
        order = {}
        for i, a in enumerate(self._ranked_actors(sd, ref.tok, singular=True)):
            st = self.state_of(a)
            if st and a.kind in (ENTITY, GOVERNMENT):
                order.setdefault(st, i)
        if not order:
            return ()
        best = min(order, key=lambda st: (-counts.get(st, 0), first.get(st, 1 << 30), order[st]))
        return (government(best),)

    def resolve_actor_ref(self, ref: Ref, sd, subject) -> tuple:
        kind = ref.kind
        owner = self._punished_owner(ref, sd)
        if owner:
            return owner
        if kind == "speaker":
            return self.speaker
        if kind in ("person_state", "person_government"):
            st = self._person_state(sd, ref.tok)
            if st is None:
                return ()
            return (government(st),) if kind == "person_government" else (entity(st),)
        if kind == "government":
            return self._government_of_text(sd, ref)
        if kind == "subject":
            if subject is not None and subject.actor_kind():
                return tuple(self.actors_of(subject))
            return ()
        if kind == "public":
            for a in self._ranked_actors(sd, ref.tok):
                st = self.state_of(a)
                if st:
                    return (public(st),)
            return ()
        if ref.number == "pl" and kind in ("actor", "any"):
            # a plural possessive after a plural subject: "regional allies ... their"
            if ref.text in ("their", "they", "them") and subject is not None and subject.start < ref.tok:
                acts = self.actors_of(subject) if subject.actor_kind() else []
                plural_np = subject.ref is None and sd.toks[subject.end - 1].lower.endswith("s") and \
                    sd.toks[subject.end - 1].text[:1].islower()
                if len(acts) >= 2 or (acts and acts[0].kind == GROUP) or (acts and plural_np):
                    return tuple(acts)   # ("the army's leaders … they": one actor, a plural phrase)
            if ref.text == "they" and ref.tok == 0 and self.memory:
                # "The members of the Security Council condemned … They urged …": a sentence-initial
                # "They" continues the previous sentence's subject
                prev = self.memory[-1].subject
                if prev is not None and prev.actor_kind() and (prev.ref is not None or any(
                        sd_tok in ("members", "leaders", "ministers", "officials") for sd_tok in
                        (prev.head or "").split())):
                    acts = self._mention_actors(prev)
                    if acts:
                        return tuple(acts)
            sets = self._actor_sets(sd, ref.tok)
            words = ref.text.split()
            if words[-1] in ("allies", "partners") and self.last_coalition:
                return tuple(self.last_coalition)
            if words[:2] == ["the", "two"] or words[:1] == ["both"] or words[:1] == ["neither"]:
                # "the two governments", "both states": a pair; states for state nouns
                two = [x for x in sets if len(x) == 2]
                if words[-1] in ("states", "governments", "countries", "nations", "capitals", "neighbors", "neighbours"):
                    two = [x for x in two if all(self.state_of(a) for a in x)]
                here = [x for m in sd.mentions if m.start < ref.tok for x in self._sets_in(m, sd) if len(x) == 2]
                dyad = self._principal_pair()
                if not here and dyad is not None and words[-1] not in ("allies", "partners"):
                    return dyad   # no pair in this sentence: the document's two main states
                sets = two or sets
            if not sets and ref.text not in ("they", "them", "their"):
                # "both countries" with no pair in view: the two most salient states
                states = [a for a in dict.fromkeys(self._ranked_actors(sd, ref.tok)) if self.state_of(a) and a.kind == ENTITY]
                if len(states) >= 2:
                    return tuple(states[:2])
            return sets[0] if sets else ()
        if ref.text == "its" and ref.tok >= 2 and sd.toks[ref.tok - 1].lower in ("and", "or"):
            # "Iran's missile arsenal and its nuclear program": the owner of the first conjunct
            prev = next((m for m in sd.mentions if m.end == ref.tok - 1 and m.thing_kind()), None)
            owners = [x for x in (prev.holder or prev.agents or prev.involves) if not isinstance(x, Ref)] if prev else []
            acts = tuple(a for x in owners for a in self.actors_of(x))
            if acts:
                return acts
        if ref.text in JUNTA_REFS and getattr(self, "junta_state", None):
            sd.__dict__.setdefault("junta_states", set()).add(self.junta_state)
            return (entity(self.junta_state),)
        own = set()
        if ref.text in JUNTA_REFS:
            # "X, Y and Z have imposed sanctions on the junta": none of the clause's actors
            for m in sd.mentions:
                if m.start >= ref.tok:
                    break
                if m.actor_kind() and m.ref is None and not (m.start > 0 and sd.toks[m.start - 1].lower in PREPOSITIONS):
                    own |= set(self.actors_of(m))
        if ref.text in JUNTA_REFS and getattr(self, "state_counts", None):
            # no "X's junta" yet: the document's most often named state (not one of the clause's actors)
            best = sorted(((-c, st) for st, c in self.state_counts.items() if entity(st) not in own))
            if best and -best[0][0] >= 2:
                sd.__dict__.setdefault("junta_states", set()).add(best[0][1])
                return (entity(best[0][1]),)
        if kind in ("state", "group"):
            # "China views the island as …", "Beijing might blockade the island": a
            # description in the clause of its subject does not name that subject
            # (that would be "itself" / "its")
            near = None
            for m in sd.mentions:
                if m.start >= ref.tok:
                    break
                if m.actor_kind() and m.ref is None and not (m.start > 0 and sd.toks[m.start - 1].lower in PREPOSITIONS):
                    near = m
            if near is not None and not self._clause_break(sd, near.end, ref.tok):
                own |= set(self.actors_of(near))
        for a in self._ranked_actors(sd, ref.tok, singular=True):
            if a in own or (a.kind == GOVERNMENT and entity(a.id) in own):
                continue
            cls = self.actor_class(a)
            if kind == "state" and cls not in ("State", "Government"):
                continue
            if kind == "group" and cls in ("State", "Government", "Public", "ActorGroup"):
                continue
            if kind == "group" and cls == "InternationalOrganization" and ref.text in ARMED_REFS:
                continue   # "the group", "the militia": an armed group, not the Security Council
            if kind == "state" and a.kind == GOVERNMENT:
                return (entity(a.id),)
            if a.kind == GROUP and kind != "actor":
                continue
            return (a,)
        return ()

    def _principal_pair(self):
        """The two states the document names most often so far, each at least three times and
        clearly ahead of the third: what "the two countries" / "both sides" usually mean."""
        counts = sorted(getattr(self, "state_counts", {}).items(), key=lambda kv: (-kv[1], kv[0]))
        if len(counts) < 2 or counts[1][1] < 3 or (len(counts) > 2 and counts[2][1] >= counts[1][1]):
            return None
        return (entity(counts[0][0]), entity(counts[1][0]))

    @staticmethod
    def _clause_break(sd, a: int, b: int) -> bool:
        return any(t.lower in (",", ";", "which", "who", "that", "but", "while", "and", "although", "because")
                   for t in sd.toks[a:b])

    def _actor_sets(self, sd, before_tok: int) -> list:
        sets = []
        cur = []
        for m in sd.mentions:
            if m.start >= before_tok:
                break
            cur.extend(self._sets_in(m, sd))
        sets.extend(reversed(cur))
        for mem in reversed(self.memory):
            sets.extend(reversed(mem.actor_sets))
        return [s for s in sets if len(s) >= 2]

    def _sets_in(self, m, sd) -> list:
        out = []
        for slot in (m.agents, m.participants, m.involves):
            acts = []
            for x in slot:
                acts.extend(self.actors_of(x))
            if len(set(acts)) >= 2:
                out.append(tuple(dict.fromkeys(acts)))
        if m.actor_kind():
            group = [x for x in sd.mentions if x.conj == m.conj and x.actor_kind()]
            if group and group[-1] is m:
                acts = []
                for x in group:
                    acts.extend(self.actors_of(x))
                acts = [a for a in dict.fromkeys(acts) if a.kind != GROUP]
                if len(acts) >= 2:
                    out.append(tuple(acts))
        return out

    # ------------------------------------------------------------ sentences
    def subject_of(self, sd):
        toks = sd.toks
        for m in sd.mentions:
            prev = toks[m.start - 1].lower if m.start > 0 else ""
            if prev in PREPOSITIONS:
                continue
            if m.ref is not None and m.ref.kind == "subject":
                continue
            if m.ref is not None and m.ref.kind.startswith("person") and m.end + 1 < len(toks) and \
                    toks[m.end + 1].lower == "that":
                continue   # "He said that the build-up …": what he said is about the build-up
            if m.end < len(toks) and toks[m.end].lower in ("'s", "’s") and m.actor_kind():
                continue   # "North Korea's missile technology": the possessed phrase is the subject
            return m
        return None

    def resolve(self, sd) -> None:
        """Resolve the references of one sentence (in textual order)."""
        subject = self.subject_of(sd)
        sd.subject = subject
        self._note_speaker(sd, subject)
        counts = self.__dict__.setdefault("state_counts", {})
        first = self.__dict__.setdefault("state_first", {})
        for m in sd.mentions:
            if m.ref is None and m.actor_kind():
                for a in self._mention_actors(m):
                    st = self.state_of(a)
                    if st:
                        counts[st] = counts.get(st, 0) + 1
                        first.setdefault(st, len(first))
        for m in sd.mentions:
            # "Niger's junta", "the Malian military government": the state in focus for "the junta"
            if m.ref is None and any(sd.toks[k].lower in JUNTA_WORDS for k in range(m.start, min(m.end + 1, len(sd.toks)))):
                states = [st for st in (self.state_of(a) for a in self._mention_actors(m)) if st]
                if states:
                    self.junta_state = states[0]
        for m in sd.mentions:
            refs = []
            if m.ref is not None:
                refs.append(m.ref)
            for slot in (m.agents, m.participants, m.targets, m.involves, m.holder):
                for x in slot:
                    if isinstance(x, Ref):
                        refs.append(x)
                    elif isinstance(x, Mention) and x.ref is not None:
                        refs.append(x.ref)
                    if isinstance(x, Mention) and isinstance(getattr(x, "ref_owner", None), Ref):
                        refs.append(x.ref_owner)
            owner = getattr(m, "ref_owner", None)
            if isinstance(owner, Ref):
                refs.append(owner)
            for ref in refs:
                if ref.resolved:
                    continue
                if ref.kind == "any":
                    ref.things = self.thing_candidates(sd, ref.tok, subject)
                ref.resolved = self.resolve_actor_ref(ref, sd, subject)
            if "event" in m.readings:
                self.resolve_event(m, sd)
        self._note_person(sd)

    def thing_candidates(self, sd, tok, subject) -> list:
        out = []
        if subject is not None and subject.start < tok and subject.thing_kind():
            out.append(subject)
        for mem in reversed(self.memory):
            if mem.subject is not None and mem.subject.thing_kind():
                out.append(mem.subject)
        return out

    def _event_actors(self, e) -> frozenset:
        acts = []
        for slot in (e.agents, e.participants, e.targets):
            for x in slot:
                acts.extend(self.actors_of(x))
        return frozenset(acts)

    def resolve_event(self, m: Mention, sd) -> None:
        if m.agents or m.participants or m.targets:
            # the same event named again more generally ("defense talks between the
            # U.S. and South Korea" ... "U.S.-South Korea talks", "the EU has imposed sanctions on
            # …" ... "the EU measures"): the specific class
            cls = m.readings["event"]
            acts = self._event_actors(m)
            generic = m.head.split(" ")[-1] in GENERIC_ACTS
            for mem in reversed(self.memory):
                for group in mem.event_groups:
                    for e in group:
                        ecls = e.readings.get("event", "Event")
                        if ecls != cls and self.classes.is_a(ecls, cls) and (cls != "Event" or generic) and \
                                self._event_actors(e) == acts:
                            m.readings["event"] = ecls
                            return
            return
        words = m.head.split()
        head = words[-1] if words else ""
        head_sg = head[:-1] if head.endswith("s") and not head.endswith("ss") else head
        if head_sg.endswith("ie"):
            head_sg = head_sg[:-2] + "y"
        cls = m.readings["event"]
        if "joint" in words or "bilateral" in words or "combined" in words:
            if m.end < len(sd.toks) and sd.toks[m.end].lower in ("that", "which"):
                return   # "joint patrols that Moscow and Beijing have conducted": the clause names the sides
            sets = self._actor_sets(sd, m.start)
            if sets:
                m.participants = [Ref("(allies)", "actor", "pl", m.start, sd.index, resolved=sets[0])]
            return
        anaphoric = head_sg in self.res.anaphoric or head in self.res.anaphoric
        toks = sd.toks
        prev = toks[m.start - 1].lower if m.start > 0 else ""
        cued = m.det in ("these", "this", "those", "such", "the", "that") or prev in (
            "continued", "further", "renewed", "repeated", "such", "recent", "latest", "ongoing", "continuing")
        if not anaphoric or not cued:
            return
        cands = []
        for mem in reversed(self.memory):
            for group in mem.event_groups:
                # a specific head ("these tests") never takes an unspecified event
                # ("perceived threats from X") as its antecedent
                ok = [e for e in group if e is not m and self.classes.compatible(e.readings["event"], cls) and (
                    e.agents or e.participants or e.targets or e.antecedent) and not (
                    cls != "Event" and e.readings["event"] == "Event" and not e.antecedent)]
                if ok:
                    cands.append(ok)
        # earlier in this sentence
        here = [e for e in sd.mentions if e.start < m.start and "event" in e.readings and self.classes.compatible(e.readings["event"], cls)
                and (e.agents or e.participants)]
        if here:
            cands.insert(0, here[-1:])
        if cands:
            m.antecedent = cands

    def remember(self, sd, extra_events=()) -> None:
        mem = SentenceMemory(sd.index)
        mem.subject = getattr(sd, "subject", None)
        actors = []
        if mem.subject is not None:
            actors.extend(self._mention_actors(mem.subject))
        for m in sd.mentions:
            actors.extend(self._mention_actors(m))
            mem.actor_sets.extend(self._sets_in(m, sd))
        mem.actors = [a for a in dict.fromkeys(actors) if a.kind != GROUP] + [a for a in dict.fromkeys(actors) if a.kind == GROUP]
        groups: dict[int, list] = {}
        events = [m for m in list(sd.mentions) + list(extra_events) if "event" in m.readings]
        for m in sorted(events, key=lambda x: x.start):
            groups.setdefault(m.conj, []).append(m)
        ordered = list(groups.values())
        subj = mem.subject
        first = [g for g in ordered if subj is not None and subj in g]
        rest = [g for g in reversed(ordered) if not (subj is not None and subj in g)]
        mem.event_groups = first + rest
        self.memory.append(mem)
