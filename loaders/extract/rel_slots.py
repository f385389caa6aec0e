"""Slot finding for the relation rules: the clause of a trigger, the mentions
that fit a slot (nearest to the left or right inside the clause), passive
voice, the subject of a trigger (through relative, participle and coordinate
clauses), and the owner of a noun phrase."""

from __future__ import annotations

from .actor import Actor, GroupActor, entity
from .entities import gerund

BE = frozenset("is are was were be been being 's remains remain became become get got".split())
ADVERBS_OK = frozenset("""also often repeatedly usually primarily mainly largely increasingly widely still long
    frequently regularly routinely typically not never n't partly partially directly heavily generally further""".split())
# pronouns only ever in object position
OBJECT_PRONOUNS = frozenset(["them", "him", "me"])
PARTICIPLE_IRREGULAR = frozenset("""led held seen fought driven struck done made given taken known shown drawn sought
    brought caught begun cut hit set put kept left lost built bought sold sent spent won told said paid met run shot
    become grown thrown chosen broken spoken stolen frozen undertaken withdrawn overseen been gone""".split())
AUX_SHARED = frozenset("""is are was were be been has have had will would could can may might must should do does
    did also often repeatedly usually frequently still""".split())
COORD_AUX = frozenset("has have had will would could can may might is are was were".split())
ADVERBS_OR_AUX = ADVERBS_OK | COORD_AUX
TEMPORAL = frozenset("after before following since during until amid despite".split())
TARGET_GAP_STOP = frozenset(["and", "or", "to", "that", "which", "who", "with", "for", "by", "from", "as", "after", "before",
                             "during", "since", "but", "while", "when", "again", "also", "its", "their", "his", "her"])
PREPOSITION_WORDS = frozenset("""in of to by with for from on at after before during against among between through
    since until despite amid following under over into like unlike as across inside near toward towards""".split())

# participles that place or attach a subject ("fighters based in Libya", "troops stationed near the border")
SUBJECT_MODIFIERS = frozenset("""based stationed operating deployed headquartered trained armed backed funded
    positioned garrisoned""".split())


class OwnerActor:
    """An actor found as the owner of a noun phrase (a demonym modifier that is no
    mention of its own), with the tokens that name it."""

    def __init__(self, actor, start, end):
        self.actor, self.start, self.end = actor, start, end


class Slots:
    """Where the arguments of a trigger are (a mixin of ``Relations``)."""

    def clause_of(self, sd, tok):
        return sd.clauses[sd.tok_clause[tok]]

    def _fits(self, m, kinds) -> str | None:
        """The reading of mention ``m`` that fits one of ``kinds``."""
        if m is None:
            return None
        for kind in kinds:
            if kind == "actor":
                if m.actor_kind() and (m.ref is None or m.ref.resolved or m.ref.kind == "any"):
                    if m.ref is not None and not m.ref.resolved:
                        continue
                    return "actor"
            elif kind == "region":
                if "region" in m.readings:
                    return "region"
            elif kind in m.readings:
                return kind
            elif m.ref is not None and m.ref.kind == "any" and kind in ("event", "situation", "capability"):
                # "it" as a thing: the most salient candidate only (no reaching further back)
                for t in (getattr(m.ref, "things", []) or [])[:1]:
                    if kind in t.readings:
                        return kind
        return None

    def _group(self, sd, m, kinds):
        """``m`` with its coordinated mentions that fit."""
        if m.conj < 0:
            return [m]
        return [x for x in sd.mentions if x.conj == m.conj and self._fits(x, kinds) and (
            x is m or not (_indefinite_apposition(sd, x) or _possessor_in_apposition(sd, x)))] or [m]

    def _left(self, sd, tok, kinds, clause_ids, stop=None):
        """Nearest fitting mention left of ``tok`` inside the given clauses (not inside an insert
        such as "…, including a base in Djibouti, …", which only illustrates the phrase before)."""
        best = None
        inserts = [(a, b) for a, b in sd.inserts if b < tok and a >= tok - 30]
        for m in sd.mentions:
            if m.end > tok:
                break
            if stop is not None and m.start < stop:
                continue
            if any(a < m.start < b for a, b in inserts):
                continue
            if sd.tok_clause[m.start] not in clause_ids and sd.tok_clause[max(m.end - 1, m.start)] not in clause_ids:
                continue
            if self._fits(m, kinds):
                if m.actor_kind() and m.end < len(sd.toks) and sd.toks[m.end].lower in ("'s", "’s"):
                    continue
                if m.end - m.start == 1 and sd.toks[m.start].lower in OBJECT_PRONOUNS:
                    continue   # "Abuja disowned them and has never supported …": never a subject
                best = m
        return best

    def _right(self, sd, tok, kinds, clause_ids, limit=14, before=None, through_to=False):
        for m in sd.mentions:
            if m.start < tok:
                continue
            if m.start - tok > limit:
                break
            if before is not None and m.start >= before:
                break
            if sd.tok_clause[m.start] not in clause_ids:
                # only the trigger's clause (and the complement it opens)
                break
            if any(t.lower in TEMPORAL for t in sd.toks[tok:m.start]):
                break
            if not through_to and any(sd.toks[j].lower in ("and", "or", "but") and j + 1 in sd.trigger_toks and
                                      sd.tok_mention[j + 1] is None for j in range(tok, m.start - 1)):
                break   # "eroded a buffer and heightened insecurity": the next verb's object
            if not through_to and any(sd.toks[j].lower == "to" and sd.tok_mention[j + 1] is None and sd.toks[j + 1].lower not in (
                    "the", "a", "an", "its", "their", "his", "her", "this", "these", "those", "that")
                   for j in range(tok, m.start - 1)):
                break   # "relies on the X system to intercept Y": Y belongs to the purpose clause
            if self._fits(m, kinds):
                return m
            # a noun phrase that does not fit, followed by a participle ("led to a
            # more unified global stance advocating for sanctions"): that phrase was
            # the object; what follows modifies it
            k = m.end
            if k < len(sd.toks) and k in sd.trigger_toks and sd.toks[k].lower.endswith("ing") and sd.tok_mention[k] is None:
                break
        return None

    def _is_passive(self, sd, s, e):
        toks = sd.toks
        w = toks[s].lower
        participle = (w.endswith("ed") or w in PARTICIPLE_IRREGULAR or w.endswith("en")) and w != toks[s].norm or w in PARTICIPLE_IRREGULAR
        if not participle:
            return False, None
        # "by" right after (adverbs allowed; also after a short time phrase: "launched in
        # October 2023 by the alliance")
        k = e
        while k < len(toks) and toks[k].lower in ADVERBS_OK:
            k += 1
        if k + 2 < len(toks) and toks[k].lower in ("in", "on", "during", "last", "earlier") and toks[k + 1].lower != "by":
            j = k + 1
            while j < len(toks) and j <= k + 3 and (toks[j].text[:1].isupper() or toks[j].lower[:1].isdigit() or
                                                    toks[j].lower in ("the", "early", "late", "mid", "year", "month")):
                j += 1
            if j < len(toks) and toks[j].lower == "by" and j > k + 1:
                k = j
        by = k if k < len(toks) and toks[k].lower == "by" else None
        # a form of "be" before (adverbs allowed)
        j = s - 1
        while j >= 0 and toks[j].lower in ADVERBS_OK:
            j -= 1
        be = j >= 0 and toks[j].lower in BE
        if be or by is not None:
            # "has developed by" is not passive; "have led to" is not either
            if not be and j >= 0 and toks[j].lower in ("has", "have", "had"):
                return False, None
            return True, by
        return False, None

    def subject_slot(self, sd, s, kinds):
        """The mention(s) in subject position of the trigger at token s."""
        clause = self.clause_of(sd, s)
        toks = sd.toks
        if _reduced_relative(toks, s):
            # "Russia has punished states supporting Ukraine": the plural noun before the -ing form
            # is its subject (an actor only if it names one), not the clause's subject
            m = sd.tok_mention[s - 1]
            return (m, "left") if m is not None and self._fits(m, kinds) else (None, None)
        if clause.kind == "relative":
            ante = self._antecedent(sd, clause)
            inner = self._left(sd, s, kinds, {clause.id}, stop=clause.start)
            inner = self._purpose_subject(sd, s, inner, clause.start, kinds)
            if inner is not None and inner.start > clause.start:
                return inner, "inner"
            if ante is not None and self._fits(ante, kinds):
                return ante, "antecedent"
            return None, None
        if clause.kind == "participle":
            own = self._coordinate_subject(sd, clause)
            if own is not None and self._fits(own, kinds):
                return own, "main"   # "X regards … as a provocation, and Y has responded by moving troops"
            main = getattr(sd, "subject", None)
            if main is None or not self._fits(main, kinds) or main.start >= clause.start:
                main = self._main_subject(sd, clause)
            if main is not None and self._fits(main, kinds):
                return main, "main"
            m = self._left(sd, clause.start, kinds, set(range(len(sd.clauses))))
            return m, "nearest"
        ids = {clause.id}
        # "Israel killed X and launched Y": the subject of the first verb
        j = s - 1
        while j >= 0 and toks[j].lower in ADVERBS_OR_AUX:
            j -= 1   # (and auxiliaries: "regards X as a threat and has increased …")
        if j >= 0 and toks[j].lower == "and":
            prev_verbs = [k for k in sorted(sd.trigger_toks) if clause.start <= k < j]
            if prev_verbs and "actor" not in kinds:
                # "Japan has described X as … and has deepened Y": the shared subject is an actor
                first, _ = self.subject_slot(sd, prev_verbs[0], ["actor", "event", "situation", "capability"])
                if first is not None and first.actor_kind() and self._fits(first, ["actor"]):
                    return None, None
            if prev_verbs:
                m = self._left(sd, prev_verbs[0], kinds, ids, stop=clause.start)
                if m is not None:
                    return m, "left"
                if prev_verbs[0] < s:
                    m, how = self.subject_slot(sd, prev_verbs[0], kinds)
                    if m is not None:
                        return m, how
        m = self._left(sd, s, kinds, ids, stop=clause.start)
        m = self._past_modifier(sd, m, clause.start, kinds)
        m2 = self._purpose_subject(sd, s, m, clause.start, kinds)
        if m2 is not m:
            return (m2, "left") if m2 is not None else (None, None)
        if m is None and any(x.start >= clause.start and x.end <= s and sd.tok_clause[x.start] == clause.id
                             for x in sd.mentions):
            return None, None
        if m is None and clause.kind == "coordinate" and clause.parent is not None:
            # "… has avoided X and did not join Y": the shared subject
            parent = sd.clauses[clause.parent]
            m = self._clause_subject(sd, parent)
            seen = {clause.id}
            while m is None and parent.kind in ("coordinate", "complement") and parent.parent is not None and \
                    parent.id not in seen:
                # "X did A and, in early May, launched B": past a subjectless stretch; "X insists that
                # the status is not negotiable and has rejected …": past a complement with no actor
                seen.add(parent.id)
                parent = sd.clauses[parent.parent]
                m = self._clause_subject(sd, parent)
            if m is not None and not self._fits(m, kinds):
                m = None
        if m is None and clause.kind == "complement" and clause.parent is not None and j >= 0 and \
                toks[j].lower == "and":
            # "Putrajaya insists that the status is not negotiable and has rejected …": the verb
            # after "and" whose complement names no actor is the reporting subject's
            m = self._clause_subject(sd, sd.clauses[clause.parent])
            if m is not None and not self._fits(m, kinds):
                m = None
        if m is None and clause.kind == "main":
            return None, None
        return m, "left"

    def _past_modifier(self, sd, m, start, kinds):
        """"Islamic State fighters based in Libya attacked …", "units stationed near Goma shelled …":
        the place after a participle modifying the subject is not the subject; the actor before
        the participle is (m itself when there is none)."""
        toks = sd.toks
        if m is None or m.start < 2 or toks[m.start - 1].lower not in PREPOSITION_WORDS or \
                toks[m.start - 2].lower not in SUBJECT_MODIFIERS:
            return m
        before = [x for x in sd.mentions if start <= x.start and x.end <= m.start - 2 and self._fits(x, kinds)]
        return before[-1] if before and before[-1].end >= m.start - 3 else m

    def _purpose_subject(self, sd, s, m, start, kinds):
        """"… arrived in Libya in 2019 to support the LNA": the subject of a purpose
        infinitive is not an actor inside a prepositional phrase before it, but the
        clause's subject (or none)."""
        toks = sd.toks
        if m is None or s == 0 or toks[s - 1].lower != "to" or m.start == 0 or toks[m.start - 1].lower not in (
                "in", "into", "to", "from", "at", "on", "across", "inside", "near", "toward", "towards", "through"):
            return m
        for x in sd.mentions:
            if x.start < start or x.start >= m.start:
                continue
            if self._fits(x, kinds) and not (x.start > 0 and toks[x.start - 1].lower in PREPOSITION_WORDS):
                return x
        return None

    def _shared_subject_parent(self, sd, clause, s):
        """For a coordinate verb phrase without a subject of its own ("…, which are
        intended to deter X but are often cited by Y …"), the clause whose subject
        it shares."""
        if clause.kind != "coordinate" or clause.parent is None:
            return None
        toks = sd.toks
        k = clause.start
        while k < s and toks[k].lower in (",", "and", "but", "or", "yet"):
            k += 1
        if k >= s or toks[k].lower not in AUX_SHARED:
            return None
        if any(m.start >= clause.start and m.end <= s for m in sd.mentions):
            return None
        return sd.clauses[clause.parent]

    def _coordinate_subject(self, sd, clause):
        """The subject of the coordinate clause a participle clause hangs on, if it has one of its own."""
        c = clause
        while c.parent is not None and c.kind == "participle":
            c = sd.clauses[c.parent]
        if c.kind != "coordinate":
            return None
        m = self._clause_subject(sd, c)
        return m if m is not None and c.start <= m.start < clause.start else None

    def _main_subject(self, sd, clause):
        c = clause
        seen = set()
        while c.parent is not None and c.id not in seen:
            seen.add(c.id)
            c = sd.clauses[c.parent]
            if c.kind in ("main", "coordinate", "subordinate", "relative"):
                break
        return self._clause_subject(sd, c)

    def _clause_subject(self, sd, clause):
        if clause.kind == "relative":
            ante = self._antecedent(sd, clause)
            return ante
        if clause.kind == "main" and getattr(sd, "subject", None) is not None:
            subj = sd.subject
            if sd.tok_clause[subj.start] == clause.id:
                return subj
        for m in sd.mentions:
            if sd.tok_clause[m.start] == clause.id:
                k = m.start - 1
                while k > 0 and sd.toks[k].lower in ("the", "a", "an"):
                    k -= 1   # "backer of the government in Damascus": still inside the phrase
                prev = sd.toks[k].lower if k >= 0 else ""
                if prev in ("in", "of", "to", "by", "with", "for", "from", "on", "at", "after", "during"):
                    continue
                if _indefinite_apposition(sd, m):
                    continue   # "Turkey, a close ally of Azerbaijan, supports …": a description of Turkey
                return m
        return None

    def _antecedent(self, sd, clause):
        end = clause.start
        toks = sd.toks
        k = end - 1
        while k >= 0 and toks[k].lower in (",", "in", "of", "by", "with"):
            k -= 1
        if k < 0:
            return None
        m = sd.tok_mention[k]
        j = k
        while m is None and j > 0 and k - j < 4 and (toks[j].lower in (
                "in", "on", "since", "during", "for", "years", "every", "each", "year", "month", "week", "annually",
                "again", "too", "later") or toks[j].lower[:1].isdigit()):
            j -= 1
            m = sd.tok_mention[j]
        if m is not None and m.conj >= 0:
            # the whole coordination: "Hezbollah and Iraqi militias, which …"
            return m
        return m

    # prepositions inside an object noun phrase that lead to its owner or place
    OWNER_PREPS = frozenset(["in", "inside", "across", "throughout", "within", "of"])

    # prepositions of place that name no owner ("fired missiles into the waters around Taiwan")
    PLACE_PREPS = frozenset(["around", "off", "outside", "beyond", "along", "past", "near", "toward", "towards", "over"])

    def _coordinated_objects(self, sd, m) -> list:
        """``m`` and the actors coordinated after it in its clause ("targeted Japan and Taiwan"),
        short of the subject of a clause that follows ("attacked Ukraine and Belarus watched",
        "…on Georgian officials, and Britain and the United States followed")."""
        group = [x for x in self._group(sd, m, ["actor"]) if x is m or (
            x.start > m.start and sd.tok_clause[x.start] == sd.tok_clause[m.start])]
        group.sort(key=lambda x: x.start)
        if len(group) > 1 and self._subject_of_next_clause(sd, group[-1]):
            cut = max((i for i in range(1, len(group)) if "," in [t.lower for t in sd.toks[group[i - 1].end:group[i].start]]),
                      default=len(group) - 1)
            group = group[:cut]
        return group

    @staticmethod
    def _subject_of_next_clause(sd, x) -> bool:
        """The actor ``x`` is followed by a verb -- an auxiliary, a past form or a trigger -- so it
        is the subject of a new clause ("attacked Ukraine and Belarus watched"), not one more
        object ("Malian troops and Wagner Group contractors")."""
        k = x.end
        if k >= len(sd.toks):
            return False
        w = sd.toks[k].lower
        return w in AUX_SHARED or k in sd.trigger_toks or (
            w.isalpha() and sd.toks[k].text.islower() and (w.endswith("ed") or w in PARTICIPLE_IRREGULAR))

    def _np_owners(self, sd, j, limit=7):
        """The actors that own or hold the place of the noun phrase starting at token
        ``j``, the object of an attack verb: "army posts in Mali and Burkina Faso",
        "targets inside Armenia", "Philippine boats", "the Iranian enrichment plant"
        (a demonym before a thing), "part of Russia's Black Sea Fleet". The phrase ends
        at a clause boundary, punctuation or a function word; none found: []."""
        toks = sd.toks
        clause = sd.tok_clause[j] if j < len(toks) else None
        dem = {s0: (s0, e0, v) for s0, e0, kind, v in sd.entity_hits if kind == "demonym"}
        vverbs = {x for x, _ in sd.vevents}
        k = j
        while k < len(toks) and k < j + limit and sd.tok_clause[k] == clause:
            m = sd.tok_mention[k]
            if m is not None:
                if m.actor_kind():
                    return self._coordinated_objects(sd, m) if m.ref is None else []
                owners = [x for x in (m.holder if "capability" in m.readings else m.agents + m.participants)]
                if owners and m.start >= j:
                    return [OwnerActor(a, m.start, m.end) if isinstance(a, (Actor, GroupActor)) else a for a in owners]
                k = m.end
                continue
            w = toks[k].lower
            if w in ("or", "and") and k + 1 in vverbs:
                k += 2   # "to sink or damage part of Russia's fleet"
                continue
            if k in dem:
                s0, e0, aid = dem[k]
                return [OwnerActor(entity(aid), s0, e0)]
            if w in self.OWNER_PREPS or w in ("the", "a", "an", "part", "much", "most", "some", "several", "many"):
                k += 1
                continue
            if not (w.isalpha() and toks[k].text[:1].islower()) or w in TARGET_GAP_STOP or w in PREPOSITION_WORDS or w in self.PLACE_PREPS or \
                    w in ("what", "whose", "where") or (k > j and (k in sd.trigger_toks or gerund(sd.toks[k]))):
                break   # "struck what New Delhi described as …", "vessels carrying U.N. aid"
            k += 1
        return []



def _indefinite_apposition(sd, m) -> bool:
    """Mention ``m`` heads an indefinite noun phrase right after a comma ("Turkey, a close ally of
    Azerbaijan, …"): a description of what comes before, neither a new subject nor a second one."""
    toks = sd.toks
    k = m.start - 1
    while k > 0 and toks[k].text[:1].islower() and toks[k].text.isalpha() and toks[k].lower not in ("a", "an"):
        k -= 1
    return k > 0 and toks[k].lower in ("a", "an") and toks[k - 1].lower == ","


# verbs in -s that take an -ing complement ("keeps supporting"): not the plural noun of a reduced relative
ING_COMPLEMENT_VERBS = frozenset("""keeps continues starts stops resumes avoids considers risks begins admits denies
    means involves includes recommends suggests""".split())


def _reduced_relative(toks, s) -> bool:
    """The -ing form at ``s`` modifies the plural noun right before it ("states supporting Ukraine",
    "militias operating in the north") instead of heading the clause's verb phrase."""
    if s < 2 or not toks[s].lower.endswith("ing") or len(toks[s].lower) < 6:
        return False
    prev = toks[s - 1]
    return prev.text.isalpha() and prev.lower.endswith("s") and not prev.lower.endswith("ss") and \
        prev.lower not in ING_COMPLEMENT_VERBS and prev.lower not in ("is", "was", "has", "its", "this", "thus", "as")


def _possessor_in_apposition(sd, m) -> bool:
    """Mention ``m`` owns the noun of an apposition after a comma ("JNIM, al-Qaeda's Sahel affiliate,
    …"): it describes the name before, it is not coordinated with it."""
    toks = sd.toks
    return m.start > 0 and toks[m.start - 1].text == "," and m.end < len(toks) and toks[m.end].lower in ("'s", "’s")
