"""Relation rules: trigger words and phrases (``patterns/relations.yaml``)
with their argument slots filled from the mentions of the sentence.

Rule types:

* ``verb``: the subject is the nearest fitting mention to the left in the same
  clause (through a relative clause to its antecedent: "Saudi Arabia, which
  fought the Houthis"; through a participle clause to the main subject:
  "…, prompting it to …"), the object the nearest fitting mention to the right
  in the same clause. Passive voice ("are triggered by", "supplied by Iran",
  "which was triggered by") swaps the slots: the ``by`` phrase is the
  subject. Both slots expand over their coordination ("The U.S. and the U.K.
  regard …", "… lead to increased military readiness and joint exercises").
* ``prep``: "A in response to B", A being the event of the clause (a verb
  event such as "attacking ships", else the clause's subject event).
* ``nominal``: relations inside a noun phrase ("cooperation between X and
  Y", "strikes on X", "its 'axis of resistance' against Israel",
  "prioritization of deterrence over economic development",
  "perceived threats from X").
* ``copula``: "X is Y's main patron", "X and Y are allies".
* ``time``: "dates back to the 1990s", "accelerated in the 2000s".
* ``verbal-event``: verbs that describe an event ("began attacking",
  "striking Houthi targets", "fire missiles at") make an event mention whose
  agents are the clause subject; its target is the actor that owns or holds the
  place of the object ("boarded Philippine boats", "struck the Iranian
  enrichment plant", "attacked targets inside Armenia": ``_np_owners``).
* ``sign``: signing a pact ("X signed … with Y", "the agreement signed between
  X and Y") is cooperation between the parties.

Arguments shared by all frames: a summarising apposition ("…, a step that X
regards as a threat") stands for the preceding clause's event (``_summary``);
an event noun that is only advocated or opposed ("called for sanctions on X")
gives no targets or cooperation claim (``_stance_object``).
"""

from __future__ import annotations

import re

from .entities import Mention, Ref
from .modality import modality_at, span_modality

BE = frozenset("is are was were be been being 's remains remain became become get got".split())
ADVERBS_OK = frozenset("""also often repeatedly usually primarily mainly largely increasingly widely still long
    frequently regularly routinely typically not never n't partly partially directly heavily generally further""".split())
PARTICIPLE_IRREGULAR = frozenset("""led held seen fought driven struck done made given taken known shown drawn sought
    brought caught begun cut hit set put kept left lost built bought sold sent spent won told said paid met run
    become grown thrown chosen broken spoken stolen frozen undertaken withdrawn overseen been gone""".split())
AUX_SHARED = frozenset("""is are was were be been has have had will would could can may might must should do does
    did also often repeatedly usually frequently still""".split())
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)(s)?$")
# adverbs between an auxiliary "have" and its participle ("have long regarded", "has since restricted")
AUX_ADVERBS = frozenset("""since already recently just now ever also previously gradually steadily quietly openly
    reportedly allegedly effectively consistently""".split())
MODAL_OR_AUX = frozenset("could would will might may can must should is was has had".split())
TEMPORAL = frozenset("after before following since during until amid despite".split())
DECADE_WORDS = {"nineties": 1990, "eighties": 1980, "seventies": 1970, "sixties": 1960}


# "lift / end / ease the embargo": the opposite of the policy the event names
REVERSAL_VERBS = frozenset(["lift", "end", "ease", "remove", "scrap", "drop", "suspend", "relax", "loosen", "halt", "stop",
                            "cease", "abandon", "withdraw", "cancel", "revoke", "waive"])
PERCEIVE_VERBS = frozenset(["regard", "view", "see", "consider", "perceive", "fear", "describe", "call", "deem", "treat"])
TARGET_GAP_STOP = frozenset(["and", "or", "to", "that", "which", "who", "with", "for", "by", "from", "as", "after", "before",
                             "during", "since", "but", "while", "when", "again", "also", "its", "their", "his", "her"])
PREPOSITION_WORDS = frozenset("""in of to by with for from on at after before during against among between through
    since until despite amid following under over into like unlike as across inside near toward towards""".split())
# deontic modals of a recommendation ("the U.S. should press …", "Tokyo must refuse …")
RECOMMEND = frozenset(["should", "ought", "must"])


class Relations:
    def __init__(self, res, discourse, to_entity):
        self.res = res
        self.d = discourse
        self.to_entity = to_entity   # (mention, kind, sd) -> YAML entity or None

    # ----------------------------------------------------------- helpers
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
        return [x for x in sd.mentions if x.conj == m.conj and self._fits(x, kinds)] or [m]

    def _left(self, sd, tok, kinds, clause_ids, stop=None, skip_tokens=()):
        """Nearest fitting mention left of ``tok`` inside the given clauses."""
        best = None
        for m in sd.mentions:
            if m.end > tok:
                break
            if stop is not None and m.start < stop:
                continue
            if sd.tok_clause[m.start] not in clause_ids and sd.tok_clause[max(m.end - 1, m.start)] not in clause_ids:
                continue
            if self._fits(m, kinds):
                if m.actor_kind() and m.end < len(sd.toks) and sd.toks[m.end].lower in ("'s", "’s"):
                    continue
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

    # ---------------------------------------------------------- slots
    def subject_slot(self, sd, s, kinds, passive_obj=False):
        """The mention(s) in subject position of the trigger at token s."""
        clause = self.clause_of(sd, s)
        toks = sd.toks
        if clause.kind == "relative":
            ante = self._antecedent(sd, clause)
            inner = self._left(sd, s, kinds if not passive_obj else kinds, {clause.id}, stop=clause.start)
            inner = self._purpose_subject(sd, s, inner, clause.start, kinds)
            if inner is not None and inner.start > clause.start:
                return inner, "inner"
            if ante is not None and self._fits(ante, kinds):
                return ante, "antecedent"
            return None, None
        if clause.kind == "participle":
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
        while j >= 0 and toks[j].lower in ADVERBS_OK:
            j -= 1
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
            while m is None and parent.kind == "coordinate" and parent.parent is not None and parent.id not in seen:
                # "X did A and, in early May, launched B": past a subjectless stretch
                seen.add(parent.id)
                parent = sd.clauses[parent.parent]
                m = self._clause_subject(sd, parent)
            if m is not None and not self._fits(m, kinds):
                m = None
        if m is None and clause.kind == "main":
            return None, None
        return m, "left"

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
                prev = sd.toks[m.start - 1].lower if m.start > 0 else ""
                if prev in ("in", "of", "to", "by", "with", "for", "from", "on", "at", "after", "during"):
                    continue
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

    # ---------------------------------------------------------- claims
    def claim(self, out, sd, rule_id, subj, pred, obj, span, tok, modality=None, habitual=None, note=None):
        if subj is None or obj is None:
            return
        if pred == "holdsStance" and any(t.lower in RECOMMEND for t in sd.toks[max(0, tok - 4):tok]):
            return   # "Tokyo should refuse to talk": the writer's recommendation, not the actor's stance
        if pred in ("perceivesAsThreat", "perceivesAsProvocation", "holdsStance") and isinstance(subj, str) and \
                subj in getattr(sd, "junta_states", ()):
            subj = {"government": subj}   # "the junta regards …": the state's government perceives
        if pred in ("hasAgent", "hasParticipant", "targets") and isinstance(obj, dict) and isinstance(
                obj.get("government"), str):
            obj = obj["government"]   # an event's actor is the state, as inside the event itself
        if pred in ("cooperatesWith", "allyOf") and any(isinstance(x, dict) and "public" in x for x in (subj, obj)):
            return   # "public support for NATO", "most Finns back closer cooperation": a stance, not cooperation
        if pred in ("cooperatesWith", "allyOf"):
            # a state's partner is the state: "support the military governments of Mali" is
            # cooperation with Mali (a government stays where it opposes its own state's groups)
            subj, obj = (x["government"] if isinstance(x, dict) and isinstance(x.get("government"), str) else x
                         for x in (subj, obj))
        if subj == obj:
            return
        s0, s1 = span
        toks = sd.toks
        start = toks[s0].start
        end = toks[s1 - 1].end
        if modality is None:
            modality, habitual = modality_at(sd, tok)
        hedge = self.res.rules.get(rule_id, {}).get("hedge")
        if hedge and modality == "asserted":
            modality = hedge
        out.append({
            "sentence": sd.index,
            "start": start,
            "end": end,
            "subject": subj,
            "predicate": pred,
            "object": obj,
            "modality": modality,
            "habitual": bool(habitual),
            "extracted_by": rule_id,
        })

    def run(self, sd) -> list:
        out: list = []
        self.verbal_events(sd, out)
        triggers = self._select_triggers(sd)
        for s, e, rule_id, phrase in triggers:
            rule = self.res.rules[rule_id]
            if rule["type"] == "verb":
                self.verb_rule(sd, out, rule, s, e)
            elif rule["type"] == "time":
                self.time_rule(sd, out, rule, s, e)
            elif rule["type"] == "shift":
                self.shift_rule(sd, out, rule, s, e)
            elif rule["type"] == "respond":
                self.respond_rule(sd, out, rule, s, e)
            elif rule["type"] == "transfer":
                self.transfer_rule(sd, out, rule, s, e, phrase)
            elif rule["type"] == "mediate":
                self.mediate_rule(sd, out, rule, s, e)
            elif rule["type"] == "sign":
                self.sign_rule(sd, out, rule, s, e)
        for s, e, rule_id, phrase in sd.rphrases:
            rule = self.res.rules[rule_id]
            if rule["type"] == "prep":
                self.prep_rule(sd, out, rule, s, e)
            elif rule["type"] == "nominal":
                self.nominal_phrase_rule(sd, out, rule, s, e)
        self.nominal_rules(sd, out)
        self.copula_rules(sd, out)
        self.group_rules(sd, out)
        self.backed_rule(sd, out)
        self.arsenal_rule(sd, out)
        self.reported_threat_rule(sd, out)
        self.rather_than_rule(sd, out)
        return out

    def rather_than_rule(self, sd, out):
        """"support a military solution rather than negotiations": support for the first
        policy and opposition to the one set against it."""
        rule = self.res.rules.get("stance-rather-than")
        if rule is None:
            return
        toks = sd.toks
        n = len(toks)
        for c in list(out):
            if c["predicate"] != "holdsStance" or c["object"].get("stance") != "support" or c["extracted_by"] == rule["id"]:
                continue
            k = next((i for i, t in enumerate(toks) if t.start >= c["end"]), n)
            for j in range(k, min(n - 1, k + 8)):
                w = toks[j].lower
                if w in (";", ".", "but", "while", "which", "and"):
                    break
                if (w == "rather" and toks[j + 1].lower == "than") or (w == "instead" and toks[j + 1].lower == "of"):
                    pm = self._right(sd, j + 2, ["policy"], {sd.tok_clause[j], sd.tok_clause[min(j + 2, n - 1)]}, limit=2)
                    if pm is not None and pm.readings["policy"] != c["object"]["policy"]:
                        self.claim(out, sd, rule["id"], c["subject"], "holdsStance",
                                   {"stance": "opposition", "policy": pm.readings["policy"]},
                                   (next(i for i, t in enumerate(toks) if t.end >= c["start"]), pm.end), j,
                                   modality=c["modality"], habitual=c["habitual"])
                    break

    THREAT_WORDS = frozenset(["threat", "threats", "danger", "menace"])
    THREAT_VERBS = frozenset(["pose", "poses", "posed", "posing", "constitute", "constitutes", "constituted",
                              "represent", "represents", "represented", "remain", "remains", "is", "are", "was",
                              "were", "be", "become", "becomes"])
    REPORT_VERBS = frozenset(["say", "reiterate", "warn", "stress", "note", "believe", "argue", "assess", "insist",
                              "conclude", "state", "declare", "emphasize", "emphasise", "caution", "acknowledge",
                              "recognise", "recognize", "maintain", "claim", "reaffirm", "underline", "underscore"])

    def reported_threat_rule(self, sd, out):
        """"The Council reiterated that al-Shabaab continues to pose a serious threat",
        "Egypt has warned that an advance on Sirte would constitute a threat": the one
        who says so perceives the thing as a threat."""
        rule = self.res.rules.get("perceive-say-threat")
        if rule is None:
            return
        toks = sd.toks
        for t, tok in enumerate(toks):
            if tok.lower not in self.THREAT_WORDS:
                continue
            v = t - 1
            while v > 0 and v >= t - 4 and toks[v].lower not in self.THREAT_VERBS and toks[v].lower.isalpha() \
                    and toks[v].text[:1].islower():
                v -= 1
            if v <= 0 or toks[v].lower not in self.THREAT_VERBS:
                continue
            th = max((k for k in range(max(0, v - 16), v) if toks[k].lower == "that"), default=None)
            if th is None or th == 0:
                continue
            r = th - 1
            while r > 0 and toks[r].lower in ADVERBS_OK | {"repeatedly", "often", "also", "again", "publicly"}:
                r -= 1
            if toks[r].norm not in self.REPORT_VERBS:
                continue
            thing = None
            for m in sd.mentions:
                if th < m.start and m.end <= v and (m.actor_kind() or m.thing_kind()) and "policy" not in m.readings:
                    thing = m
                    break
            if thing is None:
                continue
            subj_m, how = self.subject_slot(sd, r, ["actor"])
            if subj_m is None:
                continue
            kind = "actor" if thing.actor_kind() else next(k for k in ("event", "capability", "situation") if k in thing.readings)
            modality, habitual = modality_at(sd, r)
            for a in self._actor_list(subj_m, sd):
                obj = self._thing_entity(thing, kind, sd, perceiver=a) if kind != "actor" else None
                objs = [obj] if obj is not None else [b for b in self._actor_list(thing, sd)]
                for b in objs:
                    if b != a:
                        self.claim(out, sd, rule["id"], a, "perceivesAsThreat", b, (min(subj_m.start, r), t + 1), r,
                                   modality=modality, habitual=habitual)

    STOCK = frozenset(["arsenal", "arsenals", "fleet", "fleets", "stockpile", "stockpiles", "inventory", "array"])

    def arsenal_rule(self, sd, out):
        """"Ankara's growing arsenal of armed drones", "its fleet of F-16s", "with its
        arsenal of heavy weapons": an arsenal someone owns is a capability they hold."""
        rule = self.res.rules.get("capability-arsenal")
        if rule is None:
            return
        toks = sd.toks
        done = set()
        for m in sd.mentions:
            if "capability" not in m.readings or not m.holder or id(m) in done:
                continue
            words = [t.lower for t in toks[max(0, m.start - 4):m.end]]
            if not (self.STOCK & set(words)):
                continue
            if any(isinstance(x, Ref) or (isinstance(x, Mention) and x.ref is not None) for x in m.holder):
                continue   # "its arsenal": only a named owner
            if any(t.norm in PERCEIVE_VERBS for t in toks[:m.start]):
                continue   # "Israel regards Hezbollah's arsenal as …": the perception is the claim
            done.add(id(m))
            holders = [y for x in m.holder for y in (actor_yaml(a, self.d) for a in self.d.actors_of(x)) if y]
            for a in holders:
                cap = {"capability": m.readings["capability"], "holder": a}
                self.claim(out, sd, rule["id"], a, "hasCapability", cap, (max(0, m.start - 4), m.end), m.start)

    def mediate_rule(self, sd, out, rule, s, e):
        """"Germany mediated between the two sides", "China brokered a ceasefire between
        the junta and the alliance": talks between those sides, with the mediator as agent
        (when no talks are named, which agent-broker handles)."""
        toks = sd.toks
        n = len(toks)
        if sd.tok_mention[s] is not None or self._is_passive(sd, s, e)[0]:
            return
        clause = sd.tok_clause[s]
        k = e
        while k < n and k <= e + 5 and toks[k].lower != "between" and toks[k].lower not in (",", ";", "."):
            m = sd.tok_mention[k]
            if m is not None and ("event" in m.readings or m.actor_kind()):
                return   # "mediated the talks" (agent-broker), "brokered a deal for X"
            k += 1
        if k >= n or toks[k].lower != "between":
            return
        other = self._right(sd, k + 1, ["actor"], {sd.tok_clause[min(k + 1, n - 1)], clause}, limit=2)
        subj_m, how = self.subject_slot(sd, s, ["actor"])
        if other is None or subj_m is None:
            return
        sides = [y for x in self._group(sd, other, ["actor"]) for y in self._actor_list(x, sd)]
        agents = [a for x in self._group(sd, subj_m, ["actor"]) for a in self._actor_list(x, sd)]
        end = max(x.end for x in self._group(sd, other, ["actor"]))
        for a in agents:
            ev = {"event": "DiplomaticTalks", "agents": agents}
            parts = [b for b in sides if b not in agents]
            if parts:
                ev["participants"] = parts
            self.claim(out, sd, rule["id"], ev, "hasAgent", a, (min(subj_m.start, s), end), s)

    BACKED = frozenset(["backed", "supported", "sponsored", "funded", "armed", "allied", "aligned"])

    def backed_rule(self, sd, out):
        """"the Belgrade-backed Serb List", "Iran-backed militias" (an actor after the
        compound): the backer cooperates with it."""
        rule = self.res.rules.get("cooperate-backed")
        if rule is None:
            return
        toks = sd.toks
        n = len(toks)
        for s0, e0, kind, value in sd.entity_hits:
            if kind not in ("actor", "demonym") or not isinstance(value, str) or e0 + 2 >= n:
                continue
            if toks[e0].lower not in ("-", "–") or toks[e0 + 1].lower not in self.BACKED:
                continue
            for k in range(e0 + 2, min(n, e0 + 5)):
                m = sd.tok_mention[k]
                if m is not None and m.actor_kind():
                    a = actor_yaml(("id", value), self.d)
                    for b in self._actor_list(m, sd):
                        if a != b:
                            self.claim(out, sd, rule["id"], a, rule["predicate"], b, (s0, m.end), e0 + 1)
                    break
                if m is not None or not toks[k].text.isalpha():
                    break

    def group_rules(self, sd, out):
        """"its allies", "North Korea's adversaries" with members from context."""
        rule = self.res.rules.get("group-possessed")
        if rule is None:
            return
        cands = []
        for m in sd.mentions:
            cands.append(m)
            for slot in (m.agents, m.participants, m.targets, m.involves, m.holder, m.members):
                cands.extend(x for x in slot if isinstance(x, Mention))
        seen = set()
        for m in cands:
            if id(m) in seen:
                continue
            seen.add(id(m))
            spec = m.readings.get("group")
            if not spec or not spec.get("relation") or getattr(m, "ref_owner", None) is None:
                continue
            owner = m.ref_owner
            owners = self.d.actors_of(owner) if isinstance(owner, Ref) else list(owner)
            if not owners or owners[0][0] != "id":
                continue
            members = self.d.group_tuple(m)[3]
            mod, hab = span_modality(sd, m.start, m.end)
            for b in members:
                self.claim(out, sd, rule["id"], owners[0][1], spec["relation"], actor_yaml(b, self.d),
                           (m.start, m.end), m.start, mod, hab)

    def _select_triggers(self, sd):
        """Longest trigger at each position; none inside a noun mention or right
        after a determiner ("the focus", "its support")."""
        best: dict[int, tuple] = {}
        for s, e, rid, phrase in sd.triggers:
            cur = best.get(s)
            if cur is None or (e - s) > (cur[1] - cur[0]):
                best[s] = (s, e, rid, phrase)
        # a trigger covered by a longer one starting earlier goes
        out = []
        covered = set()
        for s in sorted(best):
            t = best[s]
            phrase = t[3]
            if s in covered:
                continue
            m = sd.tok_mention[s]
            if m is not None:
                continue
            prev = sd.toks[s - 1].lower if s > 0 else ""
            if prev in ("the", "a", "an", "its", "their", "his", "her", "this", "these", "'s", "’s", "of"):
                continue
            w = sd.toks[s].lower
            nxt_m = sd.tok_mention[t[1]] if t[1] < len(sd.toks) else None
            if (w in self.res.increase_mods or w in self.res.decrease_mods) and nxt_m is not None and nxt_m.start == t[1] \
                    and prev not in ("has", "have", "had", "having") and sd.toks[t[1]].lower not in (
                        "the", "a", "an", "its", "their", "his", "her", "this", "these", "those"):
                continue   # "lead to increased readiness": an adjective (not "have increased the alliance's …")
            if phrase in ("have", "has", "had"):
                k = t[1]
                while k < len(sd.toks) and sd.toks[k].lower in ADVERBS_OK | AUX_ADVERBS:
                    k += 1
                if k < len(sd.toks) and (sd.toks[k].lower.endswith("ed") or sd.toks[k].lower in PARTICIPLE_IRREGULAR):
                    continue   # an auxiliary: "has developed", "to have used", "have long regarded"
            out.append(t)
            # also keep other rules on the same span (e.g. support: stance and cooperation)
            for s2, e2, rid2, ph2 in sd.triggers:
                if s2 == s and e2 == t[1] and rid2 != t[2]:
                    out.append((s2, e2, rid2, ph2))
            covered.update(range(s + 1, t[1]))
        return out

    # ---------------------------------------------------------- verb rules
    def verb_rule(self, sd, out, rule, s, e):
        rid = rule["id"]
        skinds = rule.get("subject", ["actor"])
        okinds = rule.get("object", ["event"])
        passive, by = self._is_passive(sd, s, e)
        clause = self.clause_of(sd, s)
        toks = sd.toks
        subj_m = obj_m = None
        recipient = None
        how = None
        if passive:
            if by is None and rule.get("as"):
                # "are regarded in Beijing as a threat", "is seen in Tehran as": the place stands for its state
                k = e
                while k < len(toks) and toks[k].lower in ADVERBS_OK:
                    k += 1
                if k + 1 < len(toks) and toks[k].lower in ("in", "across", "throughout"):
                    pm = sd.tok_mention[k + 1]
                    if pm is not None and pm.start == k + 1 and self._fits(pm, ["actor"]):
                        by = k
            if by is not None:
                subj_m = self._right(sd, by + 1, skinds, {sd.tok_clause[by]}, limit=3)
            # the patient: left of the verb
            shared = self._shared_subject_parent(sd, clause, s)
            if clause.kind == "relative" or (shared is not None and shared.kind == "relative"):
                ante = self._antecedent(sd, clause if clause.kind == "relative" else shared)
                obj_m = ante if self._fits(ante, okinds) else None
            else:
                obj_m = self._left(sd, s, okinds, {clause.id}, stop=clause.start)
                if obj_m is None:
                    # reduced passive after a comma: "…, most of them supplied by Iran"
                    obj_m = self._left(sd, s, okinds, {clause.id} | ({clause.parent} if clause.parent is not None else set()))
            extra = []
            for prep in rule.get("extra_subjects", []) or []:
                for k in range(e, min(len(toks), e + 30)):
                    if toks[k].lower == prep and (sd.tok_clause[k] == sd.tok_clause[s] or toks[k - 1].lower in self.res.continuations):
                        m = self._right(sd, k + 1, skinds, {sd.tok_clause[k]}, limit=3)
                        if m is not None:
                            extra.append(m)
            subjects = (self._group(sd, subj_m, skinds) if subj_m is not None else []) + [
                x for m in extra for x in self._group(sd, m, skinds)]
            if obj_m is not None and (clause.kind == "relative" or (shared is not None and shared.kind == "relative")):
                obj_m = self._summary(sd, obj_m, subjects) or obj_m
        else:
            subj_m, how = self.subject_slot(sd, s, skinds)
            if how == "antecedent":
                # "…, a practice that has heightened insecurity": the clause the apposition sums up
                subj_m = self._summary(sd, subj_m, []) or subj_m
            subjects = self._group(sd, subj_m, skinds) if subj_m is not None else []
            before = None
            if rule.get("as"):
                before = self._find_word(sd, e, "as", clause_limit=True)
            ids = {clause.id}
            if rule.get("complement"):
                ids |= {c.id for c in sd.clauses if c.parent == clause.id and c.kind == "complement"}
            if rule.get("recipient") or rid == "cooperate-supply":
                # "give the Houthis the ability", "provide North Korea with technology"
                r = self._right(sd, e, ["actor"], ids, limit=3)
                if rule.get("recipient"):
                    recipient = r
            # "prompting it to demonstrate …", "forced the group to …": the actor
            # before "to" is the causee, the object comes after it
            e_obj = e
            if rule.get("predicate") in ("triggers", "causes") and e < len(toks):
                cm = sd.tok_mention[e]
                if cm is not None and cm.actor_kind() and cm.end < len(toks) and toks[cm.end].lower == "to":
                    e_obj = cm.end + 1
                    causee_m = cm
            if clause.kind == "relative" and how == "inner":
                ante = self._antecedent(sd, clause)
                obj_m = self._right(sd, e_obj, okinds, ids, before=before)
                if obj_m is None and ante is not None and self._fits(ante, okinds):
                    obj_m = self._summary(sd, ante, subjects) or ante
            else:
                obj_m = self._right(sd, e_obj, okinds, ids, before=before)
            if obj_m is not None and rule.get("object_gap") is not None and (
                    sum(1 for k in range(e_obj, obj_m.start) if toks[k].lower not in ("the", "a", "an"))
                    > rule["object_gap"]):
                obj_m = None   # "relied on armed drones supplied by Turkey": not the object
            if obj_m is not None and rule.get("through_to") and "event" in obj_m.readings and \
                    "policy" not in obj_m.readings and self._policy_for_event(self._event_class(obj_m, sd)) is None \
                    and obj_m.end < len(toks) and toks[obj_m.end].lower in ("that", "which", "to"):
                obj_m = None   # "blocked any resolution that would impose …": the policy is in the complement
            if obj_m is None and rule.get("through_to") and " ".join(t.norm for t in toks[s:e]) in rule["through_to"]:
                # "urged both sides to resolve their differences through dialogue": a policy in the
                # infinitival complement (the complement's clause too), never an event there
                inf = [k for k in range(e, min(len(toks), e + 6)) if toks[k].lower == "to" or (
                    toks[k].lower == "would" and toks[k - 1].lower in ("that", "which"))]
                if inf and toks[inf[0] - 1].lower in ("nothing", "no", "little"):
                    inf = []   # "insists that there is nothing to negotiate"
                if inf:
                    stop = next((k for k in range(inf[0], min(len(toks) - 1, inf[0] + 12)) if toks[k].lower == "," and
                                 toks[k + 1].lower in ("and", "but", "while", "whereas", "yet")), min(len(toks), inf[0] + 12))
                    ids2 = ids | {sd.tok_clause[k] for k in range(inf[0], stop)}   # (not a new clause: ", and X …")
                    obj_m = self._right(sd, inf[0] + 1, ["policy"], ids2, limit=12, through_to=True)
                    if obj_m is None:
                        # "urged all states to implement the arms embargo": a sanctions event as the policy
                        em = self._right(sd, inf[0] + 1, ["event"], ids2, limit=8, through_to=True)
                        if em is not None and self.d.classes.is_a(self._event_class(em, sd), "SanctionsImposition") and not any(
                                toks[k].norm in REVERSAL_VERBS for k in range(inf[0] + 1, em.start)):
                            obj_m = em
        if not subjects or obj_m is None:
            return
        if rule.get("predicate") == "holdsStance" and not rule.get("as") and not passive and any(
                t[0] == s and t[2] == "perceive-as" for t in sd.triggers) and \
                self._as_complement(sd, self.res.rules["perceive-as"], obj_m.end, s)[0] is not None:
            return   # "condemned the vote (after the coup) as a provocation": a perception (perceive-as), not a stance
        if rule.get("complement") and obj_m.actor_kind() and obj_m.start > 0 and toks[obj_m.start - 1].lower == "that":
            # "fear that Azerbaijan could launch another attack", "fears that M23, with its arsenal
            # …, might push south": what the actor may do is feared -- an act of that actor
            k = obj_m.end
            if k < len(toks) and toks[k].lower == ",":
                close = next((j for j in range(k + 1, min(len(toks), k + 16)) if toks[j].lower == ","), None)
                k = close + 1 if close is not None else k
            if k < len(toks) and toks[k].lower in MODAL_OR_AUX:
                obj_m = self._feared_act(sd, obj_m, k)
                if obj_m is None:
                    return   # "fearing that Tehran could build a weapon": no act named
        objects = self._elaborate(sd, self._group(sd, obj_m, okinds), okinds)
        avoid = set()
        if rule.get("as"):
            for x in subjects:
                avoid |= set(self.d.actors_of(x))
        objects = self._expand(objects, avoid, keep="policy" if "policy" in okinds else None)
        avoid_s = set()
        if not passive and how == "nearest":
            # "X perceives these actions as threats, prompting it to …": the cause is
            # what X perceives (not X's own actions), resolved as the main verb did
            main = self._main_subject(sd, clause)
            if main is not None and main.actor_kind():
                avoid_s = set(self.d.actors_of(main))
        subjects = self._expand(subjects, avoid_s)
        if rule.get("predicate") == "triggers" and not passive:
            # "prompting it to demonstrate … through missile tests": "it" acts
            causee = self._right(sd, e, ["actor"], {clause.id}, limit=1)
            if causee is not None:
                for om in objects:
                    if "event" in om.readings and not om.agents:
                        om.agents.append(causee)
        # rule-specific predicate
        as_pred = None
        as_policy = None
        if rule.get("as"):
            as_from = max(obj_m.end, e, subj_m.end if passive and subj_m is not None else 0)
            as_pred, as_policy, as_end = self._as_complement(sd, rule, as_from, s)
            if as_pred is None:
                return
        for sm in subjects:
            skind = self._fits(sm, skinds)
            for om in objects:
                okind = self._fits(om, okinds)
                if okind is None or skind is None:
                    continue
                self._emit_verb(sd, out, rule, sm, skind, om, okind, s, e, as_pred, as_policy, recipient, subjects)

    def _feared_act(self, sd, actor_m, k):
        """The act of ``actor_m`` that a complement clause ("… could launch another attack",
        "… might push south") describes: an event mention with the actor as agent, of the
        class of the first event the clause's verb phrase names (none named: None)."""
        toks = sd.toks
        clause = sd.tok_clause[k]
        found = None
        for m in list(sd.mentions) + list(getattr(sd, "verbal", ())):
            if k < m.start <= k + 8 and sd.tok_clause[m.start] == clause and "event" in m.readings and not m.agents:
                if found is None or m.start < found.start:
                    found = m
        if found is None:
            return None
        cls = found.readings["event"]
        ev = self._action_mention(sd, actor_m.start, found.end, cls)
        ev.agents = self._group(sd, actor_m, ["actor"])
        if found is not None:
            ev.targets = list(found.targets)
        return ev

    SUMMARY_DETS = frozenset(["a", "an", "one"])

    def _summary(self, sd, ante, subjects):
        """A summarising appositive ("…, a move that X regards as a threat", "…, an
        incursion that Warsaw regarded as …", "…, a partnership that Kyiv …"):
        the event the preceding clause describes. Its actors are the ones that
        clause names (a government or public standing for its state; the
        perceiver left out); a generic head ("a move", "a step", "a decision")
        takes the class of the last event the clause names."""
        toks = sd.toks
        if ante is None or "event" not in ante.readings or ante.agents or ante.participants or ante.targets \
                or ante.antecedent:
            return None
        d = ante.start - 1
        if d < 1 or toks[d].lower not in self.SUMMARY_DETS or toks[d - 1].lower != ",":
            return None
        avoid = {a for x in subjects for a in self.d.actors_of(x)}
        avoid |= {("id", a[1]) for a in avoid if a[0] in ("gov", "pub")}
        # the clause summed up: the last one before the comma when it has a subject of its own
        # ("X and Y moved troops, and Eritrea has mobilized reservists, a step that …"), else all before
        lo = 0
        last_clause = sd.clauses[sd.tok_clause[d - 2]] if d >= 2 else None
        if last_clause is not None and last_clause.kind == "coordinate":
            subj = self._clause_subject(sd, last_clause)
            if subj is not None and subj.actor_kind():
                lo = last_clause.start
        actors = []
        last_event = None
        for m in sd.mentions:
            if m.end > d - 1:
                break
            if m.start < lo:
                continue
            slots = [m] if m.actor_kind() else [x for sl in (m.agents, m.participants, m.targets, m.holder, m.involves)
                                                for x in sl]
            if "event" in m.readings:
                last_event = m
            for x in slots:
                for a in self.d.actors_of(x):
                    if a[0] in ("gov", "pub"):
                        a = ("id", a[1])
                    if a[0] == "id" and a not in avoid and a not in actors:
                        actors.append(a)
        # the clause's verb names the act better than the nouns after it ("agreed to supply
        # radars and patrol vessels, a move …" is cooperation, not a patrol)
        verb_cls = None
        for v in getattr(sd, "verbal", ()):
            if lo <= v.start and v.end <= d - 1:
                verb_cls = verb_cls or v.readings["event"]
        for t0, t1, rid, _ in sd.triggers:
            if lo <= t0 < d - 1 and verb_cls is None and self.res.rules[rid].get("predicate") == "cooperatesWith" and \
                    self.res.rules[rid]["type"] in ("verb", "transfer") and sd.tok_mention[t0] is None:
                verb_cls = "MilitaryCooperation"
        if not actors:
            return None
        cls = ante.readings["event"]
        if cls == "Event":
            cls = verb_cls or (self._event_class(last_event, sd) if last_event is not None else cls)
        p = Mention(ante.start, ante.end, ante.head_end, {"event": cls})
        p.participants = list(actors)
        p.sentence, p.head, p.conj, p.det = ante.sentence, ante.head, -1, ante.det
        return p

    def _elaborate(self, sd, group, kinds):
        """"various missile types, including short-range and intercontinental
        missiles", "retaliatory actions, such as missile launches": the named
        instances stand for the general phrase."""
        last = group[-1]
        toks = sd.toks
        k = last.end
        if k < len(toks) and toks[k].lower == ",":
            k += 1
        if k < len(toks) and toks[k].lower in ("including", "particularly", "especially", "notably", "namely"):
            k += 1
        elif k + 1 < len(toks) and toks[k].lower == "such" and toks[k + 1].lower == "as":
            k += 2
        else:
            return group
        for m in sd.mentions:
            if m.start >= k and m.start <= k + 2 and self._fits(m, kinds):
                return self._group(sd, m, kinds)
        return group

    def _expand(self, ms, avoid, keep=None):
        """Anaphoric events ("these actions") replaced by their antecedents (all
        of a coordinated antecedent; skipping antecedents whose agents are in
        ``avoid``, e.g. a state does not perceive its own launches as a threat).
        A mention with a ``keep`` reading stays itself ("threatened further military
        action": the policy, not the earlier attack)."""
        out = []
        for m in ms:
            if not (isinstance(m, Mention) and m.antecedent and "event" in m.readings) or (
                    keep is not None and keep in m.readings):
                out.append(m)
                continue
            cls = m.readings["event"]
            chosen = None
            for group in m.antecedent:
                ok = [e for e in group if not (avoid & {a for x in e.agents for a in self.d.actors_of(x)})]
                if ok:
                    chosen = ok
                    break
            if chosen is None:
                out.append(m)
                continue
            plural = m.head.endswith("s") or m.det in ("these", "those")
            for e in (chosen if plural else chosen[:1]):
                acls = e.readings.get("event", "Event")
                ncls = acls if (cls == "Event" or self.d.classes.is_a(acls, cls)) else cls
                p = Mention(m.start, m.end, m.head_end, {"event": ncls})
                p.agents, p.participants, p.targets = list(e.agents), list(e.participants), list(e.targets)
                p.sentence, p.head, p.conj, p.det = m.sentence, m.head, m.conj, m.det
                out.append(p)
        return out

    def _find_word(self, sd, start, word, clause_limit=True):
        c = sd.tok_clause[start - 1] if start > 0 else 0
        for k in range(start, len(sd.toks)):
            if sd.toks[k].lower == word:
                return k
            if clause_limit and sd.tok_clause[k] != c and sd.toks[k].lower not in (",",):
                return None
        return None

    def _as_complement(self, sd, rule, obj_end, trig):
        toks = sd.toks
        k = obj_end
        # skip to "as" (at most 4 tokens; up to 10 over a post-modifier without a
        # clause boundary: "described the trip by House Speaker X in 2022 as …")
        for j in range(obj_end, min(len(toks), obj_end + 11)):
            if toks[j].lower == "as":
                k = j
                break
            if j >= obj_end + 4 and (toks[j].lower in (",", ";", ":", "and", "but", "which", "that", "who") or
                                     sd.tok_clause[j] != sd.tok_clause[max(obj_end - 1, 0)]):
                return None, None, None
        else:
            k = self._bare_complement(sd, rule, obj_end, trig)
            if k is None:
                return None, None, None
        words = []
        end = k + 1
        j = k
        limit = k + 10
        while j + 1 < min(len(toks), limit):
            j += 1
            w = toks[j].lower
            if w == "and" and j + 1 < len(toks) and toks[j + 1].lower in ("a", "an") and "as" not in [
                    t.lower for t in toks[j + 1:j + 6]]:
                continue   # "as a terrorist organization and a threat": coordinated complements
            if w == "and" and j + 1 < len(toks) and toks[j + 1].lower == "as":
                j += 1
                limit = j + 10
                continue   # "as a violation of the treaties and as a threat to its security"
            if w in (",", ";", ".", "because", "and", "but", "which"):
                break
            if w in ("'", '"', "‘", "’", "“", "”"):
                continue
            words.append(toks[j].norm if toks[j].norm not in ("a",) else w)
            end = j + 1
        text = " " + " ".join(words) + " "
        low = " " + " ".join(t.lower for t in toks[k + 1:end] if t.lower not in ("'", '"', "‘", "’", "“", "”")) + " "
        if any(f" {p} " in text or f" {p} " in low for p in rule.get("as_none", ())):
            return None, None, None   # "cited as justification for its own actions": a rationale
        for pred, phrases in rule["as"].items():
            if phrases == "policy":
                m = self._right(sd, k + 1, ["policy"], {sd.tok_clause[k]}, limit=5)
                if m is not None:
                    return "holdsStance", m, end
                continue
            for p in phrases:
                if f" {p} " in text or f" {p} " in low:
                    return pred, None, end
        return None, None, None

    def _bare_complement(self, sd, rule, obj_end, trig):
        """"called the build-up a threat": for the rule's ``bare`` verbs, the token
        before an indefinite noun phrase right after the object (same clause, no
        punctuation between) stands where "as" would."""
        toks = sd.toks
        if toks[trig].norm not in rule.get("bare", ()):
            return None
        for j in range(obj_end, min(len(toks), obj_end + 6)):
            if toks[j].lower in ("a", "an"):
                return j - 1
            if not toks[j].text[:1].isalpha() or sd.tok_clause[j] != sd.tok_clause[trig]:
                return None
        return None

    def _emit_verb(self, sd, out, rule, sm, skind, om, okind, s, e, as_pred, as_policy, recipient, subjects):
        rid = rule["id"]
        d = self.d
        if rule.get("object_classes") and okind == "event":
            ocls = self._event_class(om, sd)
            if not any(self.d.classes.is_a(ocls, c) for c in rule["object_classes"]):
                return
        span = (min(sm.start, om.start, s), max(sm.end, om.end, e))
        if as_pred is not None:
            pred = as_pred
            if pred == "holdsStance":
                policy = as_policy.readings.get("policy")
                subj = self.to_entity(sm, "actor", sd)
                for a in self._actor_list(sm, sd):
                    self.claim(out, sd, rid, a, "holdsStance", {"stance": "support", "policy": policy},
                               (span[0], max(span[1], as_policy.end)), s)
                return
            span = (span[0], max(span[1], self._as_end(sd, om.end)))
            for a in self._actor_list(sm, sd):
                obj = self._thing_entity(om, okind, sd, perceiver=a)
                if pred == "perceivesAsProvocation" and okind not in ("event",):
                    continue
                if pred in ("allyOf", "adversaryOf"):
                    for b in self._actor_list(om, sd) if okind == "actor" else []:
                        self.claim(out, sd, rid, a, pred, b, span, s)
                    continue
                self.claim(out, sd, rid, a, pred, obj, span, s)
            return
        pred = rule.get("predicate")
        if rule.get("perceiver_is_object"):
            # "the build-up alarmed Tokyo": the object is the one who perceives the subject
            if skind == "actor" or okind != "actor":
                return
            for a in self._actor_list(om, sd):
                self.claim(out, sd, rid, a, pred, self._thing_entity(sm, skind, sd, perceiver=a), span, s)
            return
        if rule.get("fixed_policy"):
            # "X deploys troops to deter Y": X holds a stance for the policy the verb names
            if skind != "actor":
                return
            if s >= 2 and sd.toks[s - 1].lower == "to" and sd.tok_mention[s - 2] is not None:
                return   # "a response to deter": the purpose of that thing, not the subject's stance
            stance = {"stance": rule.get("stance", "support"), "policy": rule["fixed_policy"]}
            for a in self._actor_list(sm, sd):
                self.claim(out, sd, rid, a, "holdsStance", stance, span, s)
            return
        if rule.get("effect"):
            pred = self._effect(rule["effect"], om, okind, sd)
            if pred is None:
                return
        if rule.get("modifiers") and om.mod and (okind in ("situation", "capability") or om.mod == "increase"):
            pred = "increases" if om.mod == "increase" else "decreases"
        if pred in ("cooperatesWith", "allyOf", "adversaryOf") and okind == "event" and any(
                x.actor_kind() for x in sd.mentions if e <= x.start < om.start):
            return   # "fought the Houthis in Yemen's civil war": the actor object is the adversary
        if pred in ("cooperatesWith", "allyOf", "adversaryOf") and okind == "event":
            # "X and Y have fought three wars", "X fought a war with / against Y"
            mine = [a for x in subjects for a in self._actor_list(x, sd)]
            others = [actor_yaml(a, self.d) for x in om.agents + om.participants + om.targets for a in self.d.actors_of(x)]
            others = [b for b in others if b is not None and b not in mine]
            pairs = [(a, b) for a in self._actor_list(sm, sd) for b in others] if others else [
                (mine[i], b) for i in range(len(mine)) for b in mine[i + 1:] if sm is subjects[0]]
            for a, b in pairs:
                if a != b:
                    self.claim(out, sd, rid, a, pred, b, span, s)
            return
        if pred in ("cooperatesWith", "allyOf", "adversaryOf"):
            for a in self._actor_list(sm, sd):
                for b in self._actor_list(om, sd):
                    if a != b:
                        self.claim(out, sd, rid, a, pred, b, span, s)
            return
        if pred == "holdsStance":
            if rule.get("policy_only") and okind != "policy":
                return   # "condemned the attack": no one's policy
            if okind == "policy":
                policy = om.readings["policy"]
            else:
                cls = self._event_class(om, sd)
                policy = self._policy_for_event(cls)
                if policy is None:
                    return
            stance = {"stance": rule.get("stance", "support"), "policy": policy}
            over = self._over(sd, om.end)
            if over:
                stance["over"] = over
            for a in self._actor_list(sm, sd):
                self.claim(out, sd, rid, a, pred, stance, span, s)
            return
        if pred == "hasCapability":
            holders = self._actor_list(sm, sd)
            if skind in ("capability", "event"):
                # "X's missile technology / missile programme has made strides in …"
                slots = sm.holder if skind == "capability" else sm.agents
                holders = [y for x in slots for y in (actor_yaml(a, self.d) for a in self.d.actors_of(x)) if y]
            for a in holders:
                cap = {"capability": om.readings["capability"], "holder": a}
                self.claim(out, sd, rid, a, pred, cap, span, s)
            return
        if rule.get("swap"):
            # hasParticipant / hasAgent: the event is the subject of the claim
            if rule.get("min_subjects") and (len(subjects) < rule["min_subjects"] or any(
                    x.ref is not None or not x.actor_kind() for x in subjects)):
                return   # "Japan and the U.S. held …": named co-agents only
            actors = self._actor_list(sm, sd)
            if okind != "event":
                return
            have = {a for x in om.agents + om.participants for a in self.d.actors_of(x)}
            k_in = next((j for j in range(om.start - 1, max(e, om.start - 4) - 1, -1) if sd.toks[j].lower == "in"), None)
            if pred == "hasParticipant" and k_in is not None and all(
                    t.text[:1].islower() for t in sd.toks[k_in + 1:om.start]):
                # "joined the Philippines and the U.S. in joint patrols": those joined take part too
                for x in sd.mentions:
                    if e <= x.start and x.end <= k_in and x.actor_kind() and sd.tok_clause[x.start] == sd.tok_clause[s]:
                        for a in self.d.actors_of(x):
                            if a not in have and a not in self.d.actors_of(sm):
                                om.participants.append(_Fixed(a))
                                have.add(a)
            for a in self.d.actors_of(sm):
                if pred == "hasAgent" and a not in have:
                    om.agents.append(_Fixed(a))
            ev = self._thing_entity(om, okind, sd)
            classes = rule.get("claim_classes")
            if classes and not any(self.d.classes.is_a(ev.get("event", "Event"), c) for c in classes) and \
                    ev.get("event") not in rule.get("claim_exact", ()):
                return
            for a in actors:
                self.claim(out, sd, rid, ev, pred, a, span, s)
            return
        if recipient is not None and okind == "capability":
            holder = self._actor_list(recipient, sd)
            obj = {"capability": om.readings["capability"]}
            if holder:
                obj["holder"] = holder[0]
            span = (min(span[0], recipient.start), max(span[1], recipient.end))
            subj = self._thing_entity(sm, skind, sd)
            self.claim(out, sd, rid, subj, pred, obj, span, s)
            return
        if skind == "actor" or (okind == "actor" and pred not in ("perceivesAsThreat",)):
            if skind == "actor" and pred == "perceivesAsThreat":
                for a in self._actor_list(sm, sd):
                    self.claim(out, sd, rid, a, pred, self._thing_entity(om, okind, sd, perceiver=a), span, s)
            return
        subj = self._thing_entity(sm, skind, sd)
        obj = self._thing_entity(om, okind, sd)
        if subj is None or obj is None:
            return
        self.claim(out, sd, rid, subj, pred, obj, span, s)

    def _as_end(self, sd, k):
        toks = sd.toks
        for j in range(k, min(len(toks), k + 5)):
            if toks[j].lower == "as":
                end = j + 1
                for jj in range(j + 1, min(len(toks), j + 6)):
                    if toks[jj].lower in (",", ";", ".", "to", "and", "because", "for", "which", "but"):
                        break
                    end = jj + 1
                return end
        return k

    def _over(self, sd, k):
        toks = sd.toks
        if k < len(toks) and toks[k].lower == "over":
            m = self._right(sd, k + 1, ["policy"], {sd.tok_clause[k]}, limit=3)
            if m is not None:
                return m.readings["policy"]
        return None

    def _effect(self, effect, om, okind, sd):
        if okind == "region":
            return "decreases" if effect == "harm" else None
        pol = self.res.polarity.get(om.readings.get("situation"), "-") if okind == "situation" else "+"
        if effect == "raise":
            w = om.head
            return "increases"
        if effect == "lower":
            return "decreases"
        if effect == "harm":
            return "decreases"
        if effect == "affect":
            return "decreases" if okind == "situation" and pol == "+" else None
        if effect == "improve":
            return "increases" if pol == "+" else "decreases"
        return None

    def _policy_for_event(self, cls):
        for c in self.d.classes.ancestors(cls):
            if c in self.res.as_policy:
                return self.res.as_policy[c]
        return None

    def _event_class(self, m, sd):
        ent = self._thing_entity(m, "event", sd)
        return ent.get("event", "Event") if isinstance(ent, dict) else "Event"

    # ---------------------------------------------------------- entity helpers
    def _actor_list(self, m, sd) -> list:
        acts = self.d.actors_of(m)
        out = []
        for a in acts:
            ent = actor_yaml(a, self.d)
            if ent is not None and ent not in out:
                out.append(ent)
        return out

    def _thing_entity(self, m, kind, sd, perceiver=None):
        if kind == "actor":
            acts = self._actor_list(m, sd)
            return acts[0] if acts else None
        if kind == "region":
            return {"situation": "RegionalStability"}
        if m.ref is not None and m.ref.kind == "any":
            for t in getattr(m.ref, "things", []) or []:
                if kind in t.readings:
                    return self.to_entity(t, kind, sd)
            return None
        return self.to_entity(m, kind, sd, perceiver=perceiver)

    # ---------------------------------------------------------- transfer rules
    def transfer_rule(self, sd, out, rule, s, e, phrase):
        """"X bought / received [things] from Y", "X sold / supplied [things] to Y":
        X and Y cooperate (the transferred thing may be of any kind)."""
        toks = sd.toks
        n = len(toks)
        if sd.tok_mention[s] is not None:
            return
        passive, by = self._is_passive(sd, s, e)
        if passive:
            return
        clause = sd.tok_clause[s]
        subj_m, how = self.subject_slot(sd, s, ["actor"])
        if subj_m is None:
            return
        subjects = [a for x in self._group(sd, subj_m, ["actor"]) for a in self._actor_list(x, sd)]
        if rule.get("origin"):
            # "X bought Chinese air defense systems", "acquired Turkish-made drones and American
            # missiles": the maker the demonym names is the supplier
            seen = set()
            for k in range(e, min(n, e + 14)):
                w = toks[k].lower
                if w in (";", ".", "which", "who", "that", "but", "while", "although", "from") or (
                        sd.tok_clause[k] != clause and w not in (",", "and")):
                    break
                m = sd.tok_mention[k]
                if k == e or (toks[k - 1].lower in ("including", "notably", "especially") and m is None):
                    # "buys most of Iran's oil", "received cruise missiles, including American
                    # Tomahawks": the owner the object phrase names is the supplier
                    for x in self._np_owners(sd, k):
                        if isinstance(x, _Owner) or (isinstance(x, Mention) and x.ref is None):
                            for b in self._actor_list(x, sd):
                                for a in subjects:
                                    if a != b and isinstance(b, str) and id(x) not in seen:
                                        self.claim(out, sd, rule["id"], a, rule["predicate"], b,
                                                   (min(subj_m.start, s), x.end), s)
                            seen.add(id(x))
                if m is None or id(m) in seen or "capability" not in m.readings or not m.holder:
                    continue
                seen.add(id(m))
                for x in m.holder:
                    for b in self._actor_list(x, sd):
                        for a in subjects:
                            if a != b and isinstance(b, str):
                                self.claim(out, sd, rule["id"], a, rule["predicate"], b, (min(subj_m.start, s), m.end), s)
        for prep in rule.get("from", []):
            skip = -1
            for k in range(e, min(n - 1, e + 16)):
                if k < skip:
                    continue
                w = toks[k].lower
                if w in (";", ".", "which", "who", "that", "but", "while", "although") or (
                        sd.tok_clause[k] != clause and w != ","):
                    break
                if k > e and sd.tok_mention[k] is not None and sd.tok_mention[k].actor_kind() and toks[k - 1].lower != prep:
                    break   # an actor object: "sold Y drones" is handled by the supply rule
                if w == prep:
                    am = self._right(sd, k + 1, ["actor"], {sd.tok_clause[k + 1]}, limit=2)
                    if am is None:
                        break
                    group = self._group(sd, am, ["actor"])
                    end = max(x.end for x in group)
                    for a in subjects:
                        for x in group:
                            for b in self._actor_list(x, sd):
                                if a != b:
                                    self.claim(out, sd, rule["id"], a, rule["predicate"], b,
                                               (min(subj_m.start, s), end), s)
                    if k + 1 < n and sd.tok_mention[k + 1] is not None and (end < n and toks[end].lower in ("and", ",")):
                        skip = end   # "F-35s from the U.S. and Rafale jets from France"
                        continue
                    break

    # ---------------------------------------------------------- signing rules
    def sign_rule(self, sd, out, rule, s, e):
        """"X signed a … pact with Y", "the … agreement signed between X and Y", "partners with
        which X has signed … agreements", "the two countries signed a … treaty": the parties
        cooperate (one claim per pair). The signed thing is an agreement noun after the verb
        (its object) or right before it (a reduced passive); a peace agreement gives none."""
        toks = sd.toks
        n = len(toks)
        nouns, excluded = set(rule["nouns"]), set(rule.get("not_after", ()))
        obj_k = None
        for k in range(e, min(n, e + 7)):
            if toks[k].lower in (",", ";", ".", "between", "with"):
                break
            if toks[k].norm in nouns:
                obj_k = k
                break
        reduced = False
        if obj_k is None and s > 0 and toks[s].lower.endswith("ed"):
            for k in range(s - 1, max(-1, s - 5), -1):
                if toks[k].norm in nouns:
                    obj_k, reduced = k, True
                    break
                if toks[k].lower in (",", ";"):
                    break
        if obj_k is None or any(toks[j].norm in excluded for j in range(max(0, obj_k - 4), obj_k)):
            return

        def actors(m):
            return [b for x in self._group(sd, m, ["actor"]) for b in self._actor_list(x, sd)]
        pairs = []
        s_from = s
        end = obj_k + 1 if not reduced else e
        for k in range(end, min(n, end + 5)):
            w = toks[k].lower
            if w in (",", ";", ".") or sd.tok_mention[k] is not None:
                break
            if w in ("between", "with"):
                am = self._right(sd, k + 1, ["actor"], {sd.tok_clause[k]}, limit=2)
                if am is None:
                    return
                group = actors(am)
                end = max(x.end for x in self._group(sd, am, ["actor"]))
                if w == "between":
                    pairs = [(a, b) for i, a in enumerate(group) for b in group[i + 1:]]
                else:
                    subj_m, _ = self.subject_slot(sd, s, ["actor"])
                    pairs = [(a, b) for a in (actors(subj_m) if subj_m is not None else []) for b in group]
                    s_from = subj_m.start if subj_m is not None else s
                break
        if not pairs and not reduced:
            subj_m, how = self.subject_slot(sd, s, ["actor"])
            if subj_m is None:
                return
            mine = actors(subj_m)
            clause = self.clause_of(sd, s)
            if clause.kind == "relative" and how == "inner" and clause.start > 0 and toks[clause.start - 1].lower == "with":
                # "partners such as Australia and the Philippines, with which Japan has signed …"
                ante = self._antecedent(sd, clause)
                pairs = [(a, b) for a in mine for b in (actors(ante) if ante is not None else [])]
                s_from = ante.start if ante is not None else subj_m.start
            elif len(mine) >= 2:
                pairs = [(a, b) for i, a in enumerate(mine) for b in mine[i + 1:]]   # "the two countries signed …"
            end = max(end, obj_k + 1)
            s_from = min(s_from, subj_m.start)
        start = min(s, obj_k, s_from)
        for a, b in pairs:
            if a != b:
                self.claim(out, sd, rule["id"], a, rule["predicate"], b, (start, max(end, e)), s)

    # ---------------------------------------------------------- respond rules
    def respond_rule(self, sd, out, rule, s, e):
        """"X responded / retaliated / answered [to B | them] with R / by V-ing R":
        respondsTo(R, B); R gets X as agent; B is "to B", an object pronoun or
        event, else the most salient earlier event not carried out by X."""
        toks = sd.toks
        n = len(toks)
        if sd.tok_mention[s] is not None:
            return
        subj_m, how = self.subject_slot(sd, s, ["actor"])
        if subj_m is None:
            return
        actors = [a for x in self._group(sd, subj_m, ["actor"]) for a in self.d.actors_of(x)]
        if not actors:
            return
        clause_ids = {sd.tok_clause[s]}
        k = e
        while k < n and toks[k].lower in ADVERBS_OK:
            k += 1
        stim = None
        if k < n and toks[k].lower == "to":
            stim = self._right(sd, k + 1, ["event"], clause_ids | {sd.tok_clause[min(k + 1, n - 1)]}, limit=4)
        elif k < n and sd.tok_mention[k] is not None and sd.tok_mention[k].start == k:
            om = sd.tok_mention[k]
            if "event" in om.readings or (om.ref is not None and om.ref.kind == "any"):
                stim = om
        # the response: "with R" / "by V-ing" within the clause
        resp = None
        end = e
        for j in range(k, min(n, k + 10)):
            w = toks[j].lower
            if w in (";", ".") or (w == "," and j > k and toks[j - 1].lower != ","):
                if not (j + 1 < n and toks[j + 1].lower in ("with", "by")):
                    break
                continue
            if w in ("with", "by") and j + 1 < n:
                if w == "by":
                    for v in sd.verbal:
                        if j < v.start <= j + 2:
                            resp = v
                            break
                if resp is None:
                    m = self._right(sd, j + 1, ["event"], {sd.tok_clause[j], sd.tok_clause[min(j + 1, n - 1)]}, limit=3)
                    if m is not None:
                        resp = m
                if resp is None and w == "with":
                    # "retaliated with hundreds of ballistic missiles": the weapons stand for
                    # their use, a launch (missiles) or an attack (other arms)
                    m = self._right(sd, j + 1, ["capability"], {sd.tok_clause[j], sd.tok_clause[min(j + 1, n - 1)]},
                                    limit=5)
                    if m is not None and not m.holder:
                        cls = "MissileLaunch" if self.d.classes.is_a(m.readings["capability"], "MissileCapability") \
                            else "Attack"
                        resp = self._action_mention(sd, m.start, m.end, cls)
                if resp is None and w == "by":
                    # "responded by gradually breaching the deal's limits": an action of the
                    # responder's whatever the verb
                    v = j + 1
                    while v < n and toks[v].lower.endswith("ly") and v < j + 3:
                        v += 1
                    if v < n and toks[v].lower.endswith("ing") and sd.tok_mention[v] is None:
                        resp = self._action_mention(sd, v, v + 1, "Event")
                break
        if resp is None:
            return
        group = [resp] if getattr(resp, "verbal", False) else self._group(sd, resp, ["event"])
        have = {a for x in resp.agents + resp.participants for a in self.d.actors_of(x)}
        for r in group:
            if not r.agents:
                for a in actors:
                    if a not in have:
                        r.agents.append(_Fixed(a))
        end = max(max(r.end for r in group), end)
        if stim is None:
            stim = self._salient_event(sd, subj_m.start, set(actors))
        if stim is None:
            return
        stims = self._expand([stim], set(actors)) if isinstance(stim, Mention) and stim.antecedent else [stim]
        for r in group:
            subj = self._thing_entity(r, "event", sd)
            for b in stims:
                obj = self._thing_entity(b, "event", sd) if not (isinstance(b, Mention) and b.ref is not None) else \
                    self._thing_entity(b, "event", sd)
                if subj is None or obj is None or subj == obj:
                    continue
                self.claim(out, sd, rule["id"], subj, rule["predicate"], obj, (min(subj_m.start, s), end), s)

    @staticmethod
    def _action_mention(sd, start, end, cls):
        """An event mention made for an action a rule finds (its agents are set by the rule)."""
        ev = Mention(start, end, end, {"event": cls})
        ev.verbal = True
        ev.sentence, ev.head, ev.conj = sd.index, " ".join(t.lower for t in sd.toks[start:end]), -1
        return ev

    def _salient_event(self, sd, before, avoid):
        """The most recent event before token ``before`` in this sentence, else in
        the previous sentences (their subject group first), whose agents are not
        in ``avoid``."""
        def ok(m):
            if "event" not in m.readings or getattr(m, "as_complement", False):
                return False
            acts = {a for x in m.agents + m.participants for a in self.d.actors_of(x)}
            return not (acts & avoid)   # (nor one it took part in)

        def aimed(m):
            # an event aimed at the responder: what a response most likely answers
            return bool({a for x in m.targets for a in self.d.actors_of(x)} & avoid)
        here = [m for m in list(sd.mentions) + list(getattr(sd, "verbal", [])) if m.end <= before and ok(m)]
        if here:
            return max(here, key=lambda m: (aimed(m), m.start))
        for mem in reversed(self.d.memory):
            good = [m for group in mem.event_groups for m in group if ok(m)]
            if good:
                return ([m for m in good if aimed(m)] or good)[0]
        return None

    # ---------------------------------------------------------- prep rules
    def prep_rule(self, sd, out, rule, s, e):
        clause = self.clause_of(sd, s)
        ids = {clause.id}
        a = None
        # the clause's event: a verb event first, else the clause subject event
        cands = [m for m in sd.mentions + sd.verbal if m.end <= s and "event" in m.readings and
                 (sd.tok_clause[m.start] in ids or (clause.kind == "participle" and sd.tok_clause[m.start] == clause.parent))]
        verbal = [m for m in cands if getattr(m, "verbal", False)]
        if verbal:
            a = verbal[-1]
        else:
            subj = self._clause_subject(sd, clause)
            if subj is not None and "event" in subj.readings and subj.end <= s:
                a = subj
            elif cands:
                a = cands[-1]
        toks = sd.toks
        bare = e >= len(toks) or toks[e].lower in (",", ".", ";", "and", "but", "to")
        if bare and (e < len(toks) and toks[e].lower == "to"):
            return   # "in response to" is its own phrase
        b = None if bare else self._right(sd, e, ["event"], {sd.tok_clause[min(e, len(sd.toks) - 1)]}, limit=4)
        if bare:
            # "Pakistan, which downgraded ties and suspended trade in response": the subject's action
            # (the clause's event, else a plain event of its subject) answers the latest event of others
            subj_m = self._clause_subject(sd, clause)
            if subj_m is None or not self._fits(subj_m, ["actor"]):
                return
            actors = [x for m in self._group(sd, subj_m, ["actor"]) for x in self.d.actors_of(m)]
            if a is None or a.start < subj_m.start:
                a = self._action_mention(sd, subj_m.start, s, "Event")
                a.agents = self._group(sd, subj_m, ["actor"])
            b = self._salient_event(sd, min(subj_m.start, a.start), set(actors))
        if a is None and b is not None:
            # fronted: "In response to B, X struck …": the event of the clause after
            after = [m for m in getattr(sd, "verbal", []) if m.start >= b.end]
            if after:
                a = after[0]
            else:
                nxt = [m for m in sd.mentions if m.start > b.end and "event" in m.readings and
                       sd.tok_clause[m.start] != sd.tok_clause[b.start]]
                if nxt and s <= 2:
                    a = nxt[0]
        if a is None or b is None:
            return
        for am in self._expand([a], set()):
            subj = self._thing_entity(am, "event", sd)
            for bm in self._expand(self._group(sd, b, ["event"]), set()):
                obj = self._thing_entity(bm, "event", sd)
                self.claim(out, sd, rule["id"], subj, rule["predicate"], obj,
                           (min(a.start, s, bm.start), max(bm.end, b.end, e)), s)

    # ---------------------------------------------------------- nominal rules
    def nominal_phrase_rule(self, sd, out, rule, s, e):
        rid = rule["id"]
        toks = sd.toks
        if rule["predicate"] == "perceivesAsThreat":
            actors_m = self._right(sd, e, ["actor"], {sd.tok_clause[min(e, len(toks) - 1)]}, limit=2)
            threat = sd.tok_mention[s]
            if actors_m is None and threat is not None and "event" in threat.readings and threat.agents:
                # "perceived threats from X" read as an event of X: its agents
                group = [x for x in threat.agents if isinstance(x, Mention)]
                if group:
                    actors_m = group[0]
            else:
                threat = None
            if actors_m is None:
                return
            clause = self.clause_of(sd, s)
            holder = self._main_subject(sd, clause) if clause.kind == "participle" else self._clause_subject(sd, clause)
            if holder is None or not holder.actor_kind():
                return
            others = [x for m in (group if threat is not None else self._group(sd, actors_m, ["actor"]))
                      for x in self._actor_list(m, sd)]
            for a in self._actor_list(holder, sd):
                for b in others:
                    if a != b:
                        self.claim(out, sd, rid, a, "perceivesAsThreat", b, (s, actors_m.end if actors_m.conj < 0 else max(m.end for m in self._group(sd, actors_m, ["actor"]))), s)
            return
        if rule["predicate"] in ("cooperatesWith", "adversaryOf") and rule.get("holder") == "possessor":
            # "its (military) support for M23", "Beijing has long-standing ties with the UWSA",
            # "the rivalry between X and Y"
            pred = rule["predicate"]
            other = self._right(sd, e, ["actor"], {sd.tok_clause[min(e, len(toks) - 1)]}, limit=2)
            sit = sd.tok_mention[s]
            if other is None and toks[e - 1].lower == "between" and sit is not None and len(sit.involves) >= 2:
                # "the rivalry between X and Y" read as a situation involving both
                group = [y for x in sit.involves for y in (actor_yaml(a, self.d) for a in self.d.actors_of(x)) if y]
                for i, a in enumerate(group):
                    for b in group[i + 1:]:
                        if a != b:
                            self.claim(out, sd, rid, a, pred, b, (s, sit.end), s)
                return
            if other is None:
                return
            if toks[e - 1].lower == "between":
                group = [a for x in self._group(sd, other, ["actor"]) for a in self._actor_list(x, sd)]
                end = max(x.end for x in self._group(sd, other, ["actor"]))
                for i, a in enumerate(group):
                    for b in group[i + 1:]:
                        if a != b:
                            self.claim(out, sd, rid, a, pred, b, (s, end), s)
                return
            k = s - 1
            while k >= 0 and k >= s - 4 and (toks[k].lower.isalpha() or toks[k].lower == "-") and toks[k].lower not in (
                    "its", "their", "has", "have", "had", "and", "or", "the", "of", "a", "an") and sd.tok_mention[k] is None:
                k -= 1   # adjectives: "military", "long-standing", "close"
            holder = None
            pm = sd.tok_mention[k] if k >= 0 else None
            if pm is not None and pm.end == k + 1 and pm.actor_kind() and k + 1 < s and (
                    pm.start > 0 and toks[pm.start].lower != "the" or "'s" in [t.lower for t in toks[pm.start:pm.end]]):
                holder = self._actor_list(pm, sd)   # "Iran's military support for"
            elif pm is not None and pm.end == k + 1 and "event" in pm.readings and pm.agents:
                # "Turkey's intervention on the side of the government"
                holder = [y for x in pm.agents for y in (actor_yaml(a, self.d) for a in self.d.actors_of(x)) if y]
            elif k >= 0 and toks[k].lower in ("its", "their"):
                holder = self._possessor_ref(sd, k)
            elif k >= 0 and toks[k].lower in ("'s", "’s"):
                m = sd.tok_mention[k - 1] if k > 0 else None
                if m is not None and m.actor_kind():
                    holder = self._actor_list(m, sd)
            elif k >= 0 and toks[k].lower in ("has", "have", "had", "maintains", "maintain", "cultivated", "built",
                                              "deepened", "strengthened", "forged", "keeps"):
                subj = self._clause_subject(sd, self.clause_of(sd, s))
                if subj is not None and subj.actor_kind():
                    holder = [a for x in self._group(sd, subj, ["actor"]) for a in self._actor_list(x, sd)]
            if not holder:
                return
            for a in holder:
                for x in self._group(sd, other, ["actor"]):
                    for b in self._actor_list(x, sd):
                        if a != b:
                            self.claim(out, sd, rid, a, pred, b, (max(0, k), other.end), s)
            return
        if rule["predicate"] == "holdsStance":
            pol = self._right(sd, e, ["policy"], {sd.tok_clause[min(e, len(toks) - 1)]}, limit=2)
            if pol is None:
                return
            # the holder: a possessor right before ("its prioritization of")
            holder = None
            k = s - 1
            if k >= 0 and toks[k].lower in ("its", "their"):
                holder = self._possessor_ref(sd, k)
            elif k >= 0 and toks[k].lower in ("'s", "’s"):
                m = sd.tok_mention[k - 1] if k > 0 else None
                if m is not None and m.actor_kind():
                    holder = self._actor_list(m, sd)
            if not holder:
                return
            stance = {"stance": rule.get("stance", "support"), "policy": pol.readings["policy"]}
            over = self._over(sd, pol.end)
            end = pol.end
            if over:
                stance["over"] = over
                end = min(len(toks), pol.end + 1 + 3)
                m2 = self._right(sd, pol.end + 1, ["policy"], {sd.tok_clause[pol.end]}, limit=3)
                if m2 is not None:
                    end = m2.end
            for a in holder:
                self.claim(out, sd, rid, a, "holdsStance", stance, (max(0, s - 1), end), s)

    def _stance_object(self, sd, out, m) -> bool:
        """Whether mention ``m`` lies in the span of a stance claim of this sentence: "opposed new
        sanctions on Moscow", "called for sanctions on Rwanda", "refused to impose sanctions on
        Russia" name a policy someone favours or rejects, not an event that targets anyone. A
        definite measure already in force stays an event ("urged states to implement the arms
        embargo on al-Shabaab")."""
        if m.det in ("the", "this", "that", "its", "their"):
            return False
        at = sd.toks[m.start].start
        policy = self._policy_for_event(m.readings.get("event", "Event"))
        return policy is not None and any(
            c["predicate"] == "holdsStance" and c["sentence"] == sd.index and c["start"] <= at < c["end"] and
            c["object"].get("policy") == policy for c in out)

    def _possessor_ref(self, sd, k):
        for m in sd.mentions:
            for slot in (m.agents, m.involves, m.holder):
                for x in slot:
                    if isinstance(x, Ref) and x.tok == k and x.resolved:
                        return [actor_yaml(a, self.d) for a in x.resolved]
        ref = Ref(sd.toks[k].lower, "actor", "sg", k, sd.index)
        resolved = self.d.resolve_actor_ref(ref, sd, getattr(sd, "subject", None))
        return [actor_yaml(a, self.d) for a in resolved]

    def nominal_rules(self, sd, out):
        rules = self.res.rules
        toks = sd.toks
        coop = rules.get("cooperate-nominal")
        ally = rules.get("ally-nominal")
        tgt = rules.get("targets-nominal")
        agn = rules.get("agent-nominal")
        for m in sd.mentions:
            if "event" not in m.readings:
                continue
            cls = m.readings["event"]
            head = m.head
            if agn is not None and m.agents and cls in agn.get("classes", []) and not m.antecedent:
                # only a possessive pronoun's owner ("has continued to build up its presence"): an
                # agent named inside the phrase ("the Russian presence", "Beijing's build-up") is
                # part of the event's description, and the phrase is an argument of another claim
                ev = self._thing_entity(m, "event", sd)
                mod, hab = span_modality(sd, m.start, m.end)
                for x in (y for y in m.agents if isinstance(y, Ref)):
                    for a in [actor_yaml(y, self.d) for y in self.d.actors_of(x)]:
                        if a is not None:
                            self.claim(out, sd, agn["id"], ev, "hasAgent", a, (m.start, m.end), m.start, mod, hab)
            # cooperation / alliance between X and Y
            for rule in (ally, coop):
                if rule is None:
                    continue
                heads = rule.get("heads", [])
                if not any(head == h or head == h + "s" or head.endswith(" " + h) or head.endswith(" " + h + "s") for h in heads):
                    continue
                actors = []
                for slot in (m.agents, m.participants):
                    for x in slot:
                        actors.extend(actor_yaml(a, self.d) for a in self.d.actors_of(x))
                actors = [a for i, a in enumerate(actors) if a is not None and a not in actors[:i]]
                with_m = getattr(m, "with_actors", None)
                if self._stance_object(sd, out, m):
                    break   # "has sought closer security cooperation with X": wanted, not yet cooperation
                if with_m and not m.agents and m.start > 0 and sd.tok_mention[m.start - 1] is None:
                    # "X has deepened (its) cooperation with Y and Z": X with each of them
                    subj_m, how = self.subject_slot(sd, m.start, ["actor"])
                    if subj_m is not None and subj_m.end <= m.start:
                        others = [actor_yaml(a, self.d) for x in with_m for a in self.d.actors_of(x)]
                        mod, hab = modality_at(sd, m.start)
                        for a in self._actor_list(subj_m, sd):
                            for b in others:
                                if b is not None and a != b:
                                    self.claim(out, sd, rule["id"], a, rule["predicate"], b,
                                               (subj_m.start, m.end), m.start, mod, hab)
                        break
                if len(actors) >= 2:
                    mod, hab = span_modality(sd, m.start, m.end)
                    for i, a in enumerate(actors):
                        for b in actors[i + 1:]:
                            self.claim(out, sd, rule["id"], a, rule["predicate"], b, (m.start, m.end), m.start, mod, hab)
                break
            if tgt is not None and m.targets and m.target_span is not None and (
                    cls in tgt.get("classes", []) or m.head.split(" ")[-1] in tgt.get("heads", [])) and \
                    not self._stance_object(sd, out, m):
                ev = dict(self._thing_entity(m, "event", sd))
                ev.pop("targets", None)   # the claim states the target
                mod, hab = span_modality(sd, m.start, m.end)
                if mod == "asserted" and any(isinstance(x, _Fixed) for x in m.agents):
                    # the object of "might impose / could launch": the verb's modality
                    mod, hab = modality_at(sd, m.start)
                for x in m.targets:
                    for a in [actor_yaml(y, self.d) for y in self.d.actors_of(x)]:
                        self.claim(out, sd, tgt["id"], ev, "targets", a, (m.start, m.end), m.start, mod, hab)
        # "its 'axis of resistance' against Israel and the U.S."
        adv = rules.get("adversary-against")
        if adv is not None:
            heads = set(adv.get("heads", []))
            for k, t in enumerate(toks):
                if t.norm not in heads and t.lower not in heads:
                    continue
                owner = None
                for j in range(k - 1, max(-1, k - 3), -1):
                    if toks[j].lower in ("its", "their"):
                        owner = self._possessor_ref(sd, j)
                        break
                    if toks[j].lower in ("'s", "’s") and j > 0 and sd.tok_mention[j - 1] is not None and sd.tok_mention[j - 1].actor_kind():
                        owner = self._actor_list(sd.tok_mention[j - 1], sd)
                        break
                if not owner:
                    continue
                for j in range(k + 1, min(len(toks), k + 6)):
                    if toks[j].lower in (",", ";", "."):
                        break
                    if toks[j].lower == "against":
                        am = self._right(sd, j + 1, ["actor"], {sd.tok_clause[j]}, limit=2)
                        if am is None:
                            break
                        group = self._group(sd, am, ["actor"])
                        end = max(x.end for x in group)
                        start = k
                        while start > 0 and toks[start - 1].lower in ("its", "their", "'", "‘", "’", "'s", "’s") :
                            start -= 1
                        for a in owner:
                            for x in group:
                                for b in self._actor_list(x, sd):
                                    if a != b:
                                        self.claim(out, sd, adv["id"], a, "adversaryOf", b, (start, end), k)
                        break

    # ---------------------------------------------------------- copula rules
    def copula_rules(self, sd, out):
        toks = sd.toks
        for rid in ("ally-copula", "adversary-copula"):
            rule = self.res.rules.get(rid)
            if rule is None:
                continue
            nouns = set()
            for n in rule.get("nouns", []):
                nouns.add(n.split()[-1])
            for k, t in enumerate(toks):
                if t.norm not in nouns and t.lower not in nouns:
                    continue
                # walk left: [possessor 's] [adj]* <- be <- subject
                j = k - 1
                while j >= 0 and toks[j].lower not in ("'s", "’s", "its", "their") and toks[j].lower not in BE and k - j < 4:
                    j -= 1
                possessor = None
                if j >= 0 and toks[j].lower in ("'s", "’s"):
                    pm = sd.tok_mention[j - 1] if j > 0 else None
                    if pm is None or not pm.actor_kind():
                        continue
                    possessor = self._actor_list(pm, sd)
                    j = pm.start - 1
                elif j >= 0 and toks[j].lower in ("its", "their"):
                    possessor = self._possessor_ref(sd, j)
                    j -= 1
                elif j >= 0 and toks[j].lower in BE and k + 2 < len(toks) and toks[k + 1].lower == "of":
                    # "Russia has become the main security partner of all three governments"
                    om = self._right(sd, k + 2, ["actor"], {sd.tok_clause[k + 1]}, limit=2)
                    if om is not None:
                        possessor = [b for x in self._group(sd, om, ["actor"]) for b in self._actor_list(x, sd)]
                if possessor and j >= 1 and toks[j].lower == "," and sd.tok_mention[j - 1] is not None and \
                        sd.tok_mention[j - 1].actor_kind() and t.lower == t.norm and k + 1 < len(toks) and toks[k + 1].lower in (",", ".", ";"):
                    # apposition: "China, Pakistan's closest military partner, …"
                    subj_m = sd.tok_mention[j - 1]
                    for a in self._actor_list(subj_m, sd):
                        for b in possessor:
                            if a != b:
                                self.claim(out, sd, rid, a, rule["predicate"], b, (subj_m.start, k + 1), k)
                    continue
                if j < 0 or toks[j].lower not in BE:
                    continue
                subj_m = self._left(sd, j, ["actor"], {sd.tok_clause[j]})
                if subj_m is None:
                    continue
                subjects = [a for m in self._group(sd, subj_m, ["actor"]) for a in self._actor_list(m, sd)]
                span = (subj_m.start, k + 1)
                if possessor:
                    for a in subjects:
                        for b in possessor:
                            if a != b:
                                self.claim(out, sd, rid, a, rule["predicate"], b, span, j)
                elif len(subjects) >= 2 and t.lower.endswith("s"):
                    for i, a in enumerate(subjects):
                        for b in subjects[i + 1:]:
                            self.claim(out, sd, rid, a, rule["predicate"], b, span, j)

    # ---------------------------------------------------------- shift rules
    def shift_rule(self, sd, out, rule, s, e):
        """NOUN-PHRASE(holder's response [to EVENT]) evolve from A to B."""
        toks = sd.toks
        clause = self.clause_of(sd, s)
        # "to" B after the trigger, in the same clause
        to = None
        for k in range(e, min(len(toks), e + 12)):
            if sd.tok_clause[k] != clause.id and toks[k].lower != ",":
                break
            if toks[k].lower == "to":
                to = k
                break
        if to is None:
            return
        b = self._right(sd, to + 1, ["policy"], {sd.tok_clause[to]}, limit=3)
        if b is None:
            return
        policies = [m for m in self._group(sd, b, ["policy"]) if m.start > to]
        # the holder: the subject noun phrase, headed by a response/approach noun
        nouns = set(rule.get("nouns", []))
        holder = None
        head = None
        for k in range(clause.start, s):
            if toks[k].norm in nouns or toks[k].lower in nouns:
                head = k
                break
        if head is None:
            return
        hm = sd.tok_mention[head]
        if hm is not None and "group" in hm.readings:
            holder = self._actor_list(hm, sd)          # "the international response"
        elif head > 0 and toks[head - 1].lower in ("its", "their"):
            holder = self._possessor_ref(sd, head - 1)
        elif head > 1 and toks[head - 1].lower in ("'s", "’s"):
            pm = sd.tok_mention[head - 2]
            if pm is not None and pm.actor_kind():
                holder = self._actor_list(pm, sd)
        if not holder:
            return
        end = max(m.end for m in policies)
        start = clause.start if toks[clause.start].lower != "," else clause.start + 1
        for a in holder:
            for pm in policies:
                stance = {"stance": rule.get("stance", "support"), "policy": pm.readings["policy"]}
                self.claim(out, sd, rule["id"], a, rule["predicate"], stance, (start, pm.end), s)
        # "response to EVENT": the policies that are actions respond to it
        pred = rule.get("responds")
        if not pred or head + 1 >= s or toks[head + 1].lower != "to":
            return
        ev = self._right(sd, head + 2, ["event"], {clause.id}, limit=5, before=s)
        if ev is None:
            return
        for em in self._expand(self._group(sd, ev, ["event"]), set()):
            obj = self._thing_entity(em, "event", sd)
            for pm in policies:
                cls = self.res.policy_events.get(pm.readings["policy"])
                if cls is None:
                    continue
                subj = {"event": cls, "agents": list(holder)}
                self.claim(out, sd, rule["id"], subj, pred, obj, (start, pm.end), s)

    # ---------------------------------------------------------- time rules
    def time_rule(self, sd, out, rule, s, e):
        toks = sd.toks
        year = None
        end = None
        for k in range(e, min(len(toks), e + 4)):
            mt = YEAR.match(toks[k].lower)
            if mt:
                year = (int(mt.group(1)), "decade" if mt.group(2) else "year")
                end = k + 1
                break
        if year is None:
            return
        clause = self.clause_of(sd, s)
        subj_m = self._left(sd, s, ["event", "capability", "actor"], {clause.id}, stop=clause.start)
        if subj_m is None:
            return
        kind = self._fits(subj_m, ["event", "capability", "situation", "actor"])
        subj = self._thing_entity(subj_m, kind, sd)
        if subj is None:
            return
        self.claim(out, sd, rule["id"], subj, rule["predicate"], {"year": year[0], "precision": year[1]},
                   (subj_m.start, end), s)

    # ---------------------------------------------------------- verbal events
    # prepositions inside an object noun phrase that lead to its owner or place
    OWNER_PREPS = frozenset(["in", "inside", "across", "throughout", "within", "of"])
    # prepositions of place that name no owner ("fired missiles into the waters around Taiwan")
    PLACE_PREPS = frozenset(["around", "off", "outside", "beyond", "along", "past", "near", "toward", "towards", "over"])

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
                    return self._group(sd, m, ["actor"]) if m.ref is None else []
                owners = [x for x in (m.holder if "capability" in m.readings else m.agents + m.participants)]
                if owners and m.start >= j:
                    return [_Owner(a, m.start, m.end) if isinstance(a, tuple) else a for a in owners]
                k = m.end
                continue
            w = toks[k].lower
            if w in ("or", "and") and k + 1 in vverbs:
                k += 2   # "to sink or damage part of Russia's fleet"
                continue
            if k in dem:
                s0, e0, aid = dem[k]
                return [_Owner(("id", aid), s0, e0)]
            if w in self.OWNER_PREPS or w in ("the", "a", "an", "part", "much", "most", "some", "several", "many"):
                k += 1
                continue
            if not (w.isalpha() and toks[k].text[:1].islower()) or w in TARGET_GAP_STOP or w in PREPOSITION_WORDS or w in self.PLACE_PREPS or \
                    w in ("what", "whose", "where") or (k > j and (k in sd.trigger_toks or w.endswith("ing"))):
                break   # "struck what New Delhi described as …", "vessels carrying U.N. aid"
            k += 1
        return []

    def verbal_events(self, sd, out):
        """"began attacking ships", "striking Houthi targets", "fire missiles
        at X", "killed Hezbollah leader …" → an event mention."""
        sd.verbal = []
        toks = sd.toks
        for k, verb in sd.vevents:
            spec = self.res.verb_events[verb]
            w = toks[k].lower
            if sd.tok_mention[k] is not None:
                continue
            prev = toks[k - 1].lower if k > 0 else ""
            verbish = w.endswith("ing") or w.endswith("ed") or w in PARTICIPLE_IRREGULAR or w in ("struck", "fought") or prev in (
                "to", "will", "would", "could", "can", "may", "might", "did", "not")
            if not verbish or prev in ("the", "a", "an", "its", "their", "'s", "’s"):
                continue
            passive, by = self._is_passive(sd, k, k + 1)
            if passive:
                continue
            cls = spec["class"]
            obj_words = spec.get("object")
            end = k + 1
            if obj_words:
                ok = False
                for j in range(k + 1, min(len(toks), k + 7)):
                    if toks[j].norm in obj_words or toks[j].lower in obj_words:
                        ok = True
                        end = j + 1
                        break
                if not ok:
                    continue
            ev = Mention(k, end, end, {"event": cls})
            ev.verbal = True
            ev.sentence = sd.index
            ev.head = w
            ev.conj = -1
            subj_m, how = self.subject_slot(sd, k, ["actor"])
            if subj_m is not None:
                ev.agents.extend(self._group(sd, subj_m, ["actor"]))

            # target: the actor object right after, or after at/on/against/into
            tgt = None
            j = end
            if j < len(toks) and toks[j].lower in ("at", "on", "against", "into"):
                j += 1
            elif obj_words:
                # "launched waves of missiles and drones against Ukraine's power grid"
                for jj in range(end, min(len(toks), end + 5)):
                    if toks[jj].lower in ("at", "on", "against", "into") and sd.tok_clause[jj] == sd.tok_clause[k]:
                        j = jj + 1
                        break
                    if toks[jj].lower in TARGET_GAP_STOP - {"and"} or not toks[jj].text[:1].isalpha():
                        break
            m = sd.tok_mention[j] if j < len(toks) else None
            if m is None and j + 1 < len(toks) and toks[j].lower in ("the",):
                m = sd.tok_mention[j + 1]
            tgts = []
            if m is not None and m.actor_kind():
                tgts = [m]
            else:
                # "attacked army posts in Mali and Burkina Faso", "violated Japanese airspace",
                # "boarded Philippine boats", "struck the Iranian enrichment plant", "damaged part
                # of Russia's Black Sea Fleet": the owner or place of the object is the target
                tgts = self._np_owners(sd, j if j > end else k + 1)
            if tgts:
                tgt = tgts[0]
                ev.targets.extend(tgts)
                ev.end = max(x.end for x in tgts)
            sd.verbal.append(ev)
            agr = self.res.rules.get("agent-verbal")
            if agr is not None and subj_m is not None and any(self.d.classes.is_a(cls, c) for c in agr.get("claim_classes", [])):
                # "X and Y have both moved troops": one deployment per agent
                # the actor right before the verb (auxiliaries and adverbs between) is its subject
                # ("…, and Moscow deployed peacekeepers")
                j = k - 1
                while j >= 0 and toks[j].lower in ("has", "have", "had", "also", "both", "already", "then", "quickly",
                                                  "reportedly", "later", "again", "all"):
                    j -= 1
                near = sd.tok_mention[j] if j >= 0 else None
                agent_m = near if near is not None and near.actor_kind() else subj_m
                group = self._group(sd, agent_m, ["actor"])
                if agent_m is near:
                    # only the members coordinated right before it ("Ethiopia and Eritrea have both moved")
                    keep = [near]
                    for x in sorted((g for g in group if g.end <= near.start), key=lambda g: -g.start):
                        if all(t.lower in (",", "and", "or", "both") for t in toks[x.end:keep[-1].start]):
                            keep.append(x)
                    group = keep[::-1]
                seen = []
                for x in group:
                    for a in self._actor_list(x, sd):
                        if a in seen:
                            continue
                        seen.append(a)
                        self.claim(out, sd, agr["id"], {"event": cls, "agents": [a]}, "hasAgent", a,
                                   (min(agent_m.start, k), end), k)
            if tgt is not None and subj_m is not None:
                rule = self.res.rules.get("targets-verbal")
                if rule is not None:
                    evt = dict(self.to_entity(ev, "event", sd))
                    evt.pop("targets", None)
                    for x in tgts:
                        for a in self._actor_list(x, sd):
                            if isinstance(a, dict) and ("government" in a or "public" in a):
                                a = a.get("government") or a.get("public")   # "Somali government officials": Somalia
                            self.claim(out, sd, rule["id"], evt, "targets", a, (min(subj_m.start, k), x.end), k)


class _Owner:
    """An actor found as the owner of a noun phrase (a demonym modifier that is no
    mention of its own), with the tokens that name it."""

    def __init__(self, actor, start, end):
        self.actor, self.start, self.end = actor, start, end


class _Fixed:
    """An actor tuple placed into an event's slot after resolution."""

    def __init__(self, actor):
        self.actor = actor


def actor_yaml(a, d):
    """Actor tuple -> YAML entity form."""
    if a is None:
        return None
    kind = a[0]
    if kind == "id":
        new = getattr(d, "new_actors", None)
        if new is not None and a[1] not in d.res.actors:
            ent = new.entity(a[1])
            if ent is not None:
                return dict(ent)
        return a[1]
    if kind == "gov":
        return {"government": a[1]}
    if kind == "pub":
        return {"public": a[1]}
    if kind == "grp":
        out = {"group": a[1], "label": a[2]}
        if a[3]:
            out["members"] = [actor_yaml(x, d) for x in a[3]]
        return out
    return None
