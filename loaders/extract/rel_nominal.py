"""Rules inside noun phrases (``type: nominal``: "cooperation between X and
Y", "strikes on X", "its support for X", "perceived threats from X") and
copula rules ("X is Y's main patron", "X and Y are allies")."""

from __future__ import annotations

from .entities import Mention, Ref
from .modality import modality_at, span_modality
from .rel_base import FixedActor, RuleBase, actor_yaml
from .rel_slots import BE


class NominalRules(RuleBase):
    """Relations a noun phrase or a copula states (a mixin of ``Relations``)."""

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
            if other is None and sit is not None:
                # "India's rivalry with China" read as a situation that holds the name after "with"
                other = next((x for x in sit.involves if isinstance(x, Mention) and x.start >= e and x.actor_kind()), None)
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
            if k >= 1 and toks[k].lower in ("a", "an") and toks[k - 1].lower in ("has", "have", "had", "maintains",
                                                                                 "maintain", "keeps"):
                k -= 1   # "India has a long-standing rivalry with China"
            holder = None
            pm = sd.tok_mention[k] if k >= 0 else None
            if pm is not None and pm.end == k + 1 and pm.actor_kind() and k + 1 < s and (
                    pm.start > 0 and toks[pm.start].lower != "the" or "'s" in [t.lower for t in toks[pm.start:pm.end]]):
                holder = self._actor_list(pm, sd)   # "Iran's military support for"
            elif pm is not None and pm.end == k + 1 and "event" in pm.readings and pm.agents:
                # "Turkey's intervention on the side of the government"
                holder = [y for x in pm.agents for y in (actor_yaml(a, self.d) for a in self.d.actors_of(x)) if y]
            elif self._is_possessive(sd, k):
                holder = self._possessor_holder(sd, k)
            elif dem := self._demonym_agents(sd, s):
                holder = dem   # "Chinese support for Pakistan", "Iranian backing of the Houthis"
            elif k >= 0 and toks[k].lower in ("has", "have", "had", "maintains", "maintain", "cultivated", "built",
                                              "deepened", "strengthened", "forged", "keeps"):
                subj = self._clause_subject(sd, self.clause_of(sd, s))
                if subj is not None and subj.actor_kind():
                    holder = [a for x in self._group(sd, subj, ["actor"]) for a in self._actor_list(x, sd)]
            if not holder and sit is not None and sit.start <= s and k >= 0 and self._possessive_mark(toks, k):
                # "India's rivalry with China", "Iran's support for the Houthis" read as one thing whose
                # possessor the phrase keeps as an actor (not a mention of its own): the holder
                holder = [y for x in (sit.agents or sit.involves) if not isinstance(x, Mention)
                          for y in (actor_yaml(a, self.d) for a in self.d.actors_of(x)) if y]
                k = max(0, k - 1)
            if not holder:
                return
            for a in holder:
                for _, b in self._each_actor(sd, other):
                    self.claim(out, sd, rid, a, pred, b, (max(0, k), other.end), s)
            return
        if rule["predicate"] == "holdsStance":
            pol = self._right(sd, e, ["policy"], {sd.tok_clause[min(e, len(toks) - 1)]}, limit=2)
            if pol is None:
                return
            # the holder: a possessor right before ("its prioritization of")
            holder = self._possessor_holder(sd, s - 1)
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
            if agn is not None and m.agents and cls in agn.get("classes", []) and not m.antecedent and \
                    head.split(" ")[-1] not in agn.get("not_heads", ()) and \
                    not any(t.lower in agn.get("not_words", ()) for t in toks[max(0, m.start - 1):m.end]):
                # only a possessive pronoun's owner ("has continued to build up its presence"): an
                # agent named inside the phrase ("the Russian presence", "Beijing's build-up") is
                # part of the event's description, and the phrase is an argument of another claim
                ev = self._thing_entity(m, "event", sd)
                mod, hab = span_modality(sd, m.start, m.end)
                for x in (y for y in m.agents if isinstance(y, Ref)):
                    for a in [actor_yaml(y, self.d) for y in self.d.actors_of(x)]:
                        if a is not None:
                            self.claim(out, sd, agn["id"], ev, "hasAgent", a, (m.start, m.end), m.start, mod, hab)
            dep = rules.get("capability-deployed")
            if dep is not None and getattr(m, "deployed", None) and m.agents and not m.antecedent:
                # "Russia's deployment of tactical nuclear weapons": what one deploys, one holds
                mod, hab = span_modality(sd, m.start, m.end)
                for x in m.agents:
                    for a in [actor_yaml(y, self.d) for y in self.d.actors_of(x)]:
                        if a is not None:
                            self.claim(out, sd, dep["id"], a, "hasCapability", {"capability": m.deployed, "holder": a},
                                       (m.start, m.end), m.start, mod, hab)
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
                if not (ev.get("agents") or ev.get("participants")) and not self.d.classes.is_a(
                        ev.get("event", "Event"), "SanctionsImposition"):
                    # "attacks on Israel" with no attacker in the phrase: the text's attacker is
                    # in context the resolver cannot reach (15 right of 82 over the development sets)
                    continue
                mod, hab = span_modality(sd, m.start, m.end)
                if mod == "asserted" and any(isinstance(x, FixedActor) for x in m.agents):
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

    @staticmethod
    def _is_possessive(sd, k) -> bool:
        return k >= 0 and sd.toks[k].lower in ("its", "their", "'s", "’s")

    def _demonym_agents(self, sd, s) -> list:
        """The state a demonym names when the phrase's noun at ``s`` ("support", "backing") is an
        event mention that took it in as its agent: "Chinese support for Pakistan"."""
        m = sd.tok_mention[s]
        j = min(s, m.start if m is not None else s) - 1
        while j >= 0 and sd.toks[j].text.isalpha() and sd.toks[j].text.islower() and j >= s - 3:
            j -= 1   # adjectives: "Russian military support"
        if m is None or "event" not in m.readings or j < 0 or not sd.toks[j].text[:1].isupper() or \
                sd.tok_mention[j] is not None:
            return []   # (the demonym itself is no mention: it was taken in as the event's agent)
        return [y for x in m.agents if not isinstance(x, (Mention, Ref))
                for y in (actor_yaml(a, self.d) for a in self.d.actors_of(x)) if y]

    def _possessor_holder(self, sd, k):
        """The actors a possessive at token ``k`` names: "its"/"their" (resolved) or "X's"; else None."""
        if not self._is_possessive(sd, k):
            return None
        if sd.toks[k].lower in ("its", "their"):
            return self._possessor_ref(sd, k)
        m = sd.tok_mention[k - 1] if k > 0 else None
        return self._actor_list(m, sd) if m is not None and m.actor_kind() else None

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
            c.predicate == "holdsStance" and c.sentence == sd.index and c.start <= at < c.end and
            c.object.get("policy") == policy for c in out)

    @staticmethod
    def _possessive_mark(toks, j) -> bool:
        """"'s", or a bare apostrophe after a plural ("the Houthis' main backer")."""
        return toks[j].lower in ("'s", "’s") or (toks[j].lower in ("'", "’") and j > 0 and toks[j - 1].lower.endswith("s"))

    @staticmethod
    def _possessor_inside(sd, j, k):
        """The actor before "'s" at ``j`` when a phrase after it took it in as its holder or
        agent ("Syria's main arms supplier": "Syria's arms")."""
        for m in sd.mentions:
            if j < m.start <= k:
                for x in list(m.holder) + list(m.agents):
                    if isinstance(x, Mention) and x.end == j:
                        return x
                    if not isinstance(x, (Mention, Ref)) and hasattr(x, "kind"):
                        # an actor taken in as a value: a mention of it over the possessor's tokens
                        start = j - 1
                        while start > 0 and sd.toks[start - 1].text[:1].isupper():
                            start -= 1
                        return Mention(start, j, j, {"actor": [x]}, sentence=sd.index)
        return None

    def _apposition_of(self, sd, out, rid, rule, k) -> bool:
        """"Islamic State Khorasan Province, a rival of the Taliban, …", "Turkey, the main backer
        of the government, …": the actor before the comma stands in the relation to the one
        after "of"."""
        toks = sd.toks
        if not (k + 2 < len(toks) and toks[k + 1].lower == "of"):
            return False
        j = k - 1
        while j >= 0 and toks[j].lower not in (",",) and k - j <= 4 and sd.tok_mention[j] is None:
            j -= 1
        if j < 1 or toks[j].lower != "," or toks[j + 1].lower not in ("a", "an", "the", "its", "their", "one") and \
                toks[j + 1].text[:1].isupper():
            return False
        i = j - 1
        while i > 0 and sd.tok_mention[i] is None and toks[i].text[:1].isupper() and j - i <= 3:
            i -= 1   # "Islamic State Khorasan Province, a rival of …": the name's known part
        subj_m = sd.tok_mention[i]
        om = self._right(sd, k + 2, ["actor"], {sd.tok_clause[k + 1]}, limit=2)
        if subj_m is None or not subj_m.actor_kind() or om is None:
            return False
        for a in self._actor_list(subj_m, sd):
            for _, b in self._each_actor(sd, om):
                self.claim(out, sd, rid, a, rule["predicate"], b, (subj_m.start, om.end), k)
        return True

    def copula_rules(self, sd, out):
        toks = sd.toks
        for rid in ("ally-copula", "cooperate-copula", "adversary-copula"):
            rule = self.res.rules.get(rid)
            if rule is None:
                continue
            nouns = set()
            for n in rule.get("nouns", []):
                nouns.add(n.split()[-1])
            for k, t in enumerate(toks):
                if t.norm not in nouns and t.lower not in nouns:
                    continue
                if k > 0 and toks[k - 1].lower in ("trading", "trade", "economic", "commercial", "business",
                                                   "investment", "energy"):
                    continue   # "China, its largest trading partner": commerce, not an alliance
                # walk left: [possessor 's] [adj]* <- be <- subject
                j = k - 1
                while j >= 0 and not self._possessive_mark(toks, j) and toks[j].lower not in ("its", "their") and \
                        toks[j].lower not in BE and k - j < 4:
                    j -= 1
                possessor = None
                if j >= 0 and self._possessive_mark(toks, j):
                    pm = sd.tok_mention[j - 1] if j > 0 else None
                    if pm is None:
                        pm = self._possessor_inside(sd, j, k)   # "Syria's main arms supplier"
                    owner = getattr(pm, "ref_owner", None) if pm is not None and "group" in pm.readings else None
                    if owner is not None and not isinstance(owner, Ref):
                        # "Niger's partners": the group's owner, not the group itself
                        pm = Mention(pm.start, j, j, {"actor": list(owner)}, sentence=sd.index)
                    if pm is None or not pm.actor_kind():
                        continue
                    possessor = self._actor_list(pm, sd)
                    j = pm.start - 1
                    if j >= 0 and toks[j].lower == "the":
                        j -= 1   # "is the Houthis' main backer"
                elif j >= 0 and toks[j].lower in ("its", "their"):
                    possessor = self._possessor_ref(sd, j)
                    j -= 1
                elif j >= 0 and toks[j].lower in BE and k + 2 < len(toks) and toks[k + 1].lower == "of":
                    # "Russia has become the main security partner of all three governments"
                    om = self._right(sd, k + 2, ["actor"], {sd.tok_clause[k + 1]}, limit=2)
                    if om is not None:
                        possessor = [b for x in self._group(sd, om, ["actor"]) for b in self._actor_list(x, sd)]
                if possessor and j >= 1 and toks[j].lower == "," and sd.tok_mention[j - 1] is not None and \
                        sd.tok_mention[j - 1].actor_kind() and k + 1 < len(toks) and \
                        toks[k + 1].lower in (",", ".", ";", "in", "within", "among"):
                    # apposition: "China, Pakistan's closest military partner, …", "Mali and Burkina
                    # Faso, Niger's partners in the Alliance of Sahel States, …" (each of them)
                    subj_m = sd.tok_mention[j - 1]
                    group = self._group(sd, subj_m, ["actor"]) if t.lower != t.norm else [subj_m]
                    for a in [a for x in group for a in self._actor_list(x, sd)]:
                        for b in possessor:
                            if a != b:
                                self.claim(out, sd, rid, a, rule["predicate"], b, (subj_m.start, k + 1), k)
                    continue
                if possessor is None and self._apposition_of(sd, out, rid, rule, k):
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
