"""Special constructions, one rule each: "rather than" (``type: contrast``),
"X warned that Y poses a threat" (``reported``), "its arsenal of drones"
(``arsenal``) and "its allies" with members from context (``group``)."""

from __future__ import annotations

from .actor import ENTITY
from .entities import Mention, Ref
from .modality import modality_at, span_modality
from .rel_base import RuleBase, actor_yaml
from .rel_slots import ADVERBS_OK

# what comes before "not" / "never" when a verb's own subject denies it ("will not negotiate")
NEGATIONS = frozenset(["not", "n't", "never"])
NEGATED_AUX = frozenset("will would does do did can could shall should must has have had".split())

# what may stand between a speaker and its verb ("Algeria has repeatedly vowed", "Israeli officials warned")
SPEAKER_GAP = frozenset("""has have had is are was were also repeatedly again publicly so far already often keeps keep
    kept once officials official leaders leader""".split())
PERCEIVE_VERBS = frozenset(["regard", "view", "see", "consider", "perceive", "fear", "describe", "call", "deem", "treat"])


class SpecialRules(RuleBase):
    """Rules of one construction each (a mixin of ``Relations``)."""

    def rather_than_rule(self, sd, out):
        """"support a military solution rather than negotiations": support for the first
        policy and opposition to the one set against it."""
        rule = self.res.rules.get("stance-rather-than")
        if rule is None:
            return
        toks = sd.toks
        n = len(toks)
        for c in list(out):
            if c.predicate != "holdsStance" or c.object.get("stance") != "support" or c.extracted_by == rule["id"]:
                continue
            k = next((i for i, t in enumerate(toks) if t.start >= c.end), n)
            for j in range(k, min(n - 1, k + 8)):
                w = toks[j].lower
                if w in (";", ".", "but", "while", "which", "and"):
                    break
                if (w == "rather" and toks[j + 1].lower == "than") or (w == "instead" and toks[j + 1].lower == "of"):
                    pm = self._right(sd, j + 2, ["policy"], {sd.tok_clause[j], sd.tok_clause[min(j + 2, n - 1)]}, limit=2)
                    if pm is not None and pm.readings["policy"] != c.object["policy"]:
                        self.claim(out, sd, rule["id"], c.subject, "holdsStance",
                                   {"stance": "opposition", "policy": pm.readings["policy"]},
                                   (next(i for i, t in enumerate(toks) if t.end >= c.start), pm.end), j,
                                   modality=c.modality, habitual=c.habitual)
                    break

    # --- "X warned that any attack would be met with force": a promised military response ---
    RESPONSE_NOUNS = frozenset("""response reply retaliation force countermeasure countermeasures reprisal reprisals
        riposte""".split())
    RESPONSE_VERBS = frozenset("""respond retaliate react hit strike punish shoot""".split())
    # "vowed to crush the group", "pledged to retaliate": the infinitive names a use of force
    FORCE_VERBS = frozenset("""crush defeat destroy eliminate annihilate retaliate punish avenge wipe root hit strike
        respond""".split())
    VOW_VERBS = frozenset("""vow pledge promise threaten swear warn""".split())
    MODALS = frozenset("will would 'll shall".split())
    RESPONSE_ADVERBS = ADVERBS_OK | frozenset(["immediately", "firmly", "decisively", "forcefully", "swiftly"])
    CUE_NORMS = RESPONSE_NOUNS | RESPONSE_VERBS | FORCE_VERBS | frozenset(["unpunished", "defeated", "crushed",
                                                                           "eliminated"])

    def vowed_response_rule(self, sd, out):
        """"warned that any attack would be met with a forceful response", "said it would
        retaliate", "has vowed to crush the group", "the gangs must be defeated militarily",
        "their deaths would not go unpunished": the speaker (or the vowing subject) supports a
        military response."""
        rule = self.res.rules.get("stance-vow-response")
        if rule is None:
            return
        toks = sd.toks
        for k in range(1, len(toks)):
            if toks[k].norm not in self.CUE_NORMS and toks[k].lower not in self.CUE_NORMS:
                continue   # (most sentences have no cue word at all: one set lookup per token)
            if not self._response_cue(toks, k):
                continue
            # "said it would not respond with military force": a use of force ruled out
            value = "opposition" if toks[k].lower != "unpunished" and any(
                t.lower in ("not", "n't", "never") for t in toks[max(0, k - 3):k]) else "support"
            # only the speaker right before its verb: "the army chief has vowed" is no one named
            if self._speaker_stance(sd, out, rule, k, k + 1, {"stance": value, "policy": "military-response"},
                                    adjacent=True):
                return
        for m in sd.mentions:
            policy = m.readings.get("policy")
            if policy in self.PROMISED_POLICIES and self._promised(sd.toks, m.start, m.end, policy) and self._speaker_stance(
                    sd, out, rule, m.start, m.end, {"stance": "support", "policy": policy}, adjacent=True):
                return

    # measures a warning can promise ("would be met with sanctions"): not talks or aid, which are offered
    PROMISED_POLICIES = frozenset(["sanctions", "military-response"])
    # "could|would|will" before "follow", "impose", "face"
    PROMISE_MODALS = frozenset("will would could may might 'll".split())

    def _promised(self, toks, start, end, policy) -> bool:
        """The measure at ``start:end`` is what a warning promises: "would be met with sanctions",
        "targeted sanctions could follow", "it could impose sanctions", "they would face sanctions"."""
        before = [t.lower for t in toks[max(0, start - 5):start]]
        if any(a in ("met", "greeted") and b in ("with", "by") for a, b in zip(before, before[1:])):
            return True
        for j in range(end, min(end + 7, len(toks) - 1)):   # (past "against those responsible")
            if toks[j].lower in self.PROMISE_MODALS:
                return toks[j + 1].norm == "follow"
            if toks[j].text in (",", ";", ":") or toks[j].lower in ("that", "which", "and", "but"):
                break
        for j in range(start - 1, max(0, start - 5), -1):
            if toks[j].norm in ("impose", "face") and toks[j - 1].lower in self.PROMISE_MODALS:
                if toks[j].norm == "face" and policy != "sanctions":
                    return False   # "companies could face retaliation": a threat, not a stated measure
                return all(t.lower in ("new", "further", "more", "tough", "tougher", "targeted", "severe", "harsh",
                                       "economic", "additional", "fresh", "heavy") for t in toks[j + 1:start])
        return False

    def raised_at_rule(self, sd, out):
        """"has repeatedly raised the matter at the Organization of American States", "took its case
        to the International Court of Justice", "renewed its complaint to the U.N. Security Council":
        bringing a dispute before an international body supports international cooperation."""
        toks = sd.toks
        for rule, k in self.lemma_triggers(sd, "stance-raise-at"):
            body = None
            for j in range(k + 1, min(len(toks) - 1, k + 9)):
                if sd.tok_clause[j] != sd.tok_clause[k] or toks[j].text in (",", ";", ":"):
                    break
                if toks[j].lower in ("at", "to", "before"):
                    m = sd.tok_mention[j + 1] if toks[j + 1].lower != "the" else sd.tok_mention[j + 2]
                    if m is not None and m.actor_kind() and any(
                            self.d.actor_class(a) == "InternationalOrganization" for a in self.d.actors_of(m)):
                        body = m
                    elif m is not None and m.readings.get("policy") == "international-cooperation":
                        body = m   # a court or tribunal the gazetteer does not list ("the International Court of Justice")
                    break
            if body is None:
                continue
            subj_m, _ = self.subject_slot(sd, k, ["actor"])
            if subj_m is None or subj_m is body:
                continue
            modality, habitual = modality_at(sd, k)
            stance = {"stance": "support", "policy": "international-cooperation"}
            if modality == "negated":
                # "Indonesia has refused to take the case to the International Court": opposition to it
                stance, modality = {"stance": "opposition", "policy": "international-cooperation"}, "asserted"
            for a in self._actor_list(subj_m, sd):
                self.claim(out, sd, rule["id"], a, "holdsStance", stance, (min(subj_m.start, k), body.end), k,
                           modality=modality, habitual=habitual)

    # what one side says of its claim when it refuses to talk about it
    NOT_NEGOTIABLE = (("not", "negotiable"), ("non-negotiable",), ("not", "open", "to", "negotiation"),
                      ("not", "up", "for", "negotiation"), ("not", "subject", "to", "negotiation"),
                      ("not", "open", "to", "discussion"), ("not", "up", "for", "discussion"))

    def not_negotiable_rule(self, sd, out):
        """"Putrajaya insists that the status of Sabah is not negotiable", "Cairo says its sovereignty
        over Halaib is not open to negotiation": the one who says so opposes talks on it."""
        rule = self.res.rules.get("stance-not-negotiable")
        if rule is None:
            return
        words = [t.lower for t in sd.toks]
        for k, w in enumerate(words):
            if w not in ("not", "non-negotiable"):
                continue   # (every phrase opens with one of the two)
            phrase = next((p for p in self.NOT_NEGOTIABLE if tuple(words[k:k + len(p)]) == p), None)
            if phrase is not None and self._speaker_stance(sd, out, rule, k, k + len(phrase),
                                                           {"stance": "opposition", "policy": "dialogue"}):
                return

    def negated_policy_verb_rule(self, sd, out):
        """"Kyiv has said it will not negotiate with Gazprom", "Tehran would never negotiate under
        pressure": a verb that names a policy, denied by its subject, is the subject's opposition to it."""
        rule = self.res.rules.get("stance-negated-policy-verb")
        if rule is None:
            return
        toks = sd.toks
        for m in sd.mentions:
            if "policy" not in m.readings or m.end - m.start != 1 or m.start < 2:
                continue
            k = m.start
            if toks[k].lower != toks[k].norm:
                continue   # a verb's bare form after its auxiliary ("not negotiate"), not "negotiations"
            j = k - 1
            while j > 0 and toks[j].lower in ADVERBS_OK and toks[j].lower not in NEGATIONS:
                j -= 1
            if toks[j].lower not in NEGATIONS or toks[j - 1].lower not in NEGATED_AUX:
                continue
            subj_m, _ = self.subject_slot(sd, j - 1, ["actor"])
            if subj_m is None or subj_m.start > k:
                continue
            for a in self._actor_list(subj_m, sd):
                self.claim(out, sd, rule["id"], a, "holdsStance", {"stance": "opposition", "policy": m.readings["policy"]},
                           (subj_m.start, m.end), k, modality="asserted", habitual=False)

    def _speaker_stance(self, sd, out, rule, k, end, stance, adjacent=False) -> bool:
        """Claim ``stance`` for the subject of the reporting or vowing verb whose complement holds
        the cue at ``k`` (the quote runs to ``end``); ``adjacent``: only a subject right before
        its verb. Whether a claim was made."""
        speaker_verb = self._speaker_verb(sd, k)
        if speaker_verb is None:
            return False
        subj_m, _ = self.subject_slot(sd, speaker_verb, ["actor"])
        if subj_m is None or subj_m.start > speaker_verb or (adjacent and not all(
                t.lower in SPEAKER_GAP for t in sd.toks[subj_m.end:speaker_verb])):
            return False
        modality, habitual = modality_at(sd, speaker_verb)
        for a in self._actor_list(subj_m, sd):
            self.claim(out, sd, rule["id"], a, "holdsStance", stance, (subj_m.start, end), speaker_verb,
                       modality=modality, habitual=habitual)
        return True

    def _response_cue(self, toks, k) -> bool:
        """Token k closes a phrase that promises force."""
        w, prev = toks[k].lower, toks[k - 1].lower
        if w in self.RESPONSE_NOUNS and any(toks[j].lower == "met" and toks[j + 1].lower == "with"
                                            for j in range(max(0, k - 5), k - 1)):
            return True   # "would be met with a forceful response"
        if toks[k].norm in self.RESPONSE_VERBS and (prev in self.MODALS or (
                prev in self.RESPONSE_ADVERBS and
                k > 1 and toks[k - 2].lower in self.MODALS)):
            return self._hostile_response(toks, k)
        if w == "unpunished" and prev == "go":
            return True   # "would not go unpunished"
        if w in ("defeated", "crushed", "eliminated") and prev == "be" and k > 1 and toks[k - 2].lower == "must":
            return True   # "must be defeated militarily"
        if toks[k].norm in self.FORCE_VERBS and prev == "to" and k > 1 and toks[k - 2].norm in self.VOW_VERBS:
            return self._hostile_response(toks, k)
        return False

    HOSTILE_NOUNS = frozenset("""attack attacks aggression provocation provocations incursion incursions strike strikes
        violation violations threat threats escalation hostilities hostility invasion""".split())

    def _hostile_response(self, toks, k) -> bool:
        """"would respond to any aggression", "would hit back", "will retaliate": a response by
        force -- not "would respond to the proposal" or "would strike a deal"."""
        nxt = toks[k + 1].lower if k + 1 < len(toks) else ""
        if toks[k].norm in ("hit", "strike"):
            return nxt in ("back", "again")   # ("would strike a deal": no force)
        if toks[k].norm == "shoot":
            return nxt == "down"   # "its forces will shoot down any such craft"
        if toks[k].norm in ("respond", "react"):
            if nxt in ("to", "with"):
                window = {t.lower for t in toks[k + 2:k + 6]}
                return bool(window & (self.HOSTILE_NOUNS | self.RESPONSE_NOUNS | {"military", "militarily"}))
            return not nxt.isalpha() or nxt in ("militarily", "immediately", "forcefully", "decisively", "firmly",
                                                 "swiftly", "in")
        return True

    def _speaker_verb(self, sd, k):
        """The reporting or vowing verb whose complement holds the cue at k ("warned that …",
        "vowed to …", "said it would …"): its token, or None."""
        toks = sd.toks
        for j in range(k - 1, max(0, k - 18), -1):
            w = toks[j].lower
            if w in (";", "but", "while", "although", "because"):
                return None
            if toks[j].norm in self.SPEAKER_VERBS and (
                    j + 1 < len(toks) and (toks[j + 1].lower in ("that", "to", "it", "they", "he", "she", "any", "an", "a", "the",
                                                                 "its", "their")
                                           or toks[j + 1].text[:1].isupper())):
                return j
        return None

    THREAT_WORDS = frozenset(["threat", "threats", "danger", "menace"])

    THREAT_VERBS = frozenset(["pose", "poses", "posed", "posing", "constitute", "constitutes", "constituted",
                              "represent", "represents", "represented", "remain", "remains", "is", "are", "was",
                              "were", "be", "become", "becomes"])

    REPORT_VERBS = frozenset(["say", "reiterate", "warn", "stress", "note", "believe", "argue", "assess", "insist",
                              "conclude", "state", "declare", "emphasize", "emphasise", "caution", "acknowledge",
                              "recognise", "recognize", "maintain", "claim", "reaffirm", "underline", "underscore"])
    SPEAKER_VERBS = REPORT_VERBS | VOW_VERBS   # (the verbs that introduce a vowed response)

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
                # "said that the dam posed an existential threat": an act or object with no lexicon word
                end = v
                while end > th + 1 and toks[end - 1].lower in ADVERBS_OK | {"would", "could", "may", "might", "will",
                                                                            "continues", "continue", "to", "has", "have"}:
                    end -= 1
                thing = self._unnamed_event(sd, th + 1, end)
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
            if any((isinstance(x, Ref) and not x.resolved) or (isinstance(x, Mention) and x.ref is not None and not x.ref.resolved)
                   for x in m.holder):
                continue   # "its arsenal": only an owner the pronoun was resolved to
            if any(t.norm in PERCEIVE_VERBS for t in toks[:m.start]):
                continue   # "Israel regards Hezbollah's arsenal as …": the perception is the claim
            done.add(id(m))
            holders = [y for x in m.holder for y in (actor_yaml(a, self.d) for a in self.d.actors_of(x)) if y]
            for a in holders:
                cap = {"capability": m.readings["capability"], "holder": a}
                self.claim(out, sd, rule["id"], a, "hasCapability", cap, (max(0, m.start - 4), m.end), m.start)

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
            if not owners or owners[0].kind != ENTITY:
                continue
            members = self.d.group_actor(m).members
            mod, hab = span_modality(sd, m.start, m.end)
            for b in members:
                self.claim(out, sd, rule["id"], owners[0].id, spec["relation"], actor_yaml(b, self.d),
                           (m.start, m.end), m.start, mod, hab)

    # a state so described holds the capability: "nuclear-armed Pakistan", "Pakistan, itself a
    # nuclear-armed state", "India is a nuclear-armed power"
    ARMED_ADJECTIVES = {("nuclear", "-", "armed"): "NuclearWeaponsCapability", ("nuclear-armed",): "NuclearWeaponsCapability"}
    ARMED_HEADS = frozenset(["state", "states", "power", "powers", "country", "countries", "neighbour", "neighbor",
                             "neighbours", "neighbors", "rival", "rivals", "adversary", "adversaries", "nation", "nations"])

    # "are heavily armed", "remain well armed", "are increasingly equipped with rocket-propelled grenades"
    ARMED_WORDS = frozenset(["armed", "equipped"])
    ARMED_DEGREE = frozenset("""heavily well better increasingly now still also often newly fully
        already""".split())
    COPULAS = frozenset("is are was were remain remains remained be been become becomes became".split())

    def armed_predicate_rule(self, sd, out):
        """"The Libyan militias … are heavily armed", "the dissidents are well armed", "the smugglers are
        increasingly equipped with rocket-propelled grenades": the subject holds a military capability
        (the one named after "with", if it names one). Not "poorly armed" (the point is what it lacks)."""
        rule = self.res.rules.get("capability-armed")
        toks = sd.toks
        if rule is None or not any(t.lower in self.ARMED_WORDS for t in toks):
            return
        for k, t in enumerate(toks):
            if t.lower not in self.ARMED_WORDS:
                continue
            j = k - 1
            while j >= 0 and toks[j].lower in self.ARMED_DEGREE:
                j -= 1
            if j < 0 or toks[j].lower not in self.COPULAS:
                continue
            with_cap = k + 1 < len(toks) and toks[k + 1].lower == "with"
            if t.lower == "equipped" and not with_cap:
                continue   # "is equipped to handle the crisis": no weapon held
            subj_m, _ = self.subject_slot(sd, j, ["actor"])
            if subj_m is None or subj_m.start >= j:
                continue
            cls, end = "MilitaryCapability", k + 1
            if with_cap:
                cap = self._right(sd, k + 2, ["capability"], {sd.tok_clause[k]}, limit=3)
                if cap is not None:
                    cls, end = cap.readings["capability"], cap.end
            mod, hab = modality_at(sd, j)
            for x in self._group(sd, subj_m, ["actor"]):
                for a in self._actor_list(x, sd):
                    self.claim(out, sd, rule["id"], a, "hasCapability", {"capability": cls, "holder": a},
                               (subj_m.start, end), j, mod, hab)

    def armed_adjective_rule(self, sd, out):
        rule = self.res.rules.get("capability-armed")
        if rule is None:
            return
        toks = sd.toks
        n = len(toks)
        if not any(t.lower in ("armed", "nuclear-armed") for t in toks):
            return   # (most sentences: one cheap pass)
        for m in sd.mentions:
            # "nuclear-armed Pakistan" read as the capability it holds (entities.py _armed_actors); "a
            # nuclear-armed Iran" is one that may come to be, not one that is
            if "capability" in m.readings and "armed" in m.head.split(" ") and m.det not in ("a", "an") \
                    and len(m.holder) == 1 and isinstance(m.holder[0], Mention):
                mod, hab = modality_at(sd, m.start)
                for a in self._actor_list(m.holder[0], sd):
                    cap = {"capability": m.readings["capability"], "holder": a}
                    self.claim(out, sd, rule["id"], a, "hasCapability", cap, (m.start, m.end), m.start, mod, hab)
        for k in range(n):
            for words, cls in self.ARMED_ADJECTIVES.items():
                if tuple(t.lower for t in toks[k:k + len(words)]) != words:
                    continue
                end = k + len(words)
                holder = None
                nxt = sd.tok_mention[end] if end < n else None
                if nxt is not None and nxt.start == end and nxt.actor_kind():
                    holder = nxt   # "nuclear-armed Pakistan"
                elif end < n and toks[end].lower in self.ARMED_HEADS:
                    # "Pakistan, itself a nuclear-armed state", "India is a nuclear-armed power"
                    j = k - 1
                    while j >= 0 and toks[j].lower in ("a", "an", "itself", "also", "both", "now", "already", "two"):
                        j -= 1
                    if j >= 0 and (toks[j].lower == "," or toks[j].lower in ("is", "are", "was", "remains", "became")):
                        holder = self._left(sd, j, ["actor"], {sd.tok_clause[j]}) if toks[j].lower != "," else (
                            sd.tok_mention[j - 1] if j > 0 else None)
                if holder is None or not holder.actor_kind():
                    continue
                mod, hab = modality_at(sd, k)
                for x in self._group(sd, holder, ["actor"]):
                    for a in self._actor_list(x, sd):
                        cap = {"capability": cls, "holder": a}
                        self.claim(out, sd, rule["id"], a, "hasCapability", cap,
                                   (min(k, x.start), max(end, x.end)), k, mod, hab)

    MUTUAL_VERBS = frozenset(["defend", "protect", "assist", "aid"])

    def mutual_defence_rule(self, sd, out):
        """"Mali, Burkina Faso and Niger pledged to defend one another": a mutual defence pledge
        makes each pair of the subjects allies."""
        rule = self.res.rules.get("ally-mutual")
        if rule is None:
            return
        toks = sd.toks
        for k in range(len(toks) - 2):
            if toks[k].norm not in self.MUTUAL_VERBS or (toks[k + 1].lower, toks[k + 2].lower) not in (
                    ("one", "another"), ("each", "other")):
                continue
            subj_m, _ = self.subject_slot(sd, k, ["actor"])
            if subj_m is None:
                continue
            members = self._group(sd, subj_m, ["actor"])
            start = min(x.start for x in members)
            group = [a for x in members for a in self._actor_list(x, sd)]
            group = [a for i, a in enumerate(group) if a not in group[:i]]
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    self.claim(out, sd, rule["id"], a, "allyOf", b, (start, k + 3), k)
