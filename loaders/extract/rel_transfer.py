"""Transfer and support rules between two actors: buying from / selling to
(``type: transfer``), signing a pact (``sign``), mediating between two sides
(``mediate``) and "X-backed Y" (``backed``)."""

from __future__ import annotations

from .actor import entity
from .entities import Mention
from .modality import modality_at
from .rel_base import RuleBase, actor_yaml
from .rel_slots import OwnerActor

# verbs that stop a trade: what follows is no transfer between the two (events.yaml: a sanction)
TRADE_STOPS = frozenset(["halt", "suspend", "restrict", "ban", "cut", "block", "stop", "freeze"])


class TransferRules(RuleBase):
    """Cooperation shown by a transfer, a pact, mediation or backing (a mixin of ``Relations``)."""

    def transfer_rule(self, sd, out, rule, s, e):
        """"X bought / received [things] from Y", "X sold / supplied [things] to Y":
        X and Y cooperate (the transferred thing may be of any kind)."""
        toks = sd.toks
        n = len(toks)
        if sd.tok_mention[s] is not None:
            return
        if any(t.norm in TRADE_STOPS for t in toks[max(0, s - 4):s]):
            return   # "banned imports from Lithuania", "halted deliveries to Libya": trade cut off, a sanction
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
                        if isinstance(x, OwnerActor) or (isinstance(x, Mention) and x.ref is None):
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
                if k == e and prep == "to" and sd.tok_mention[k] is not None and sd.tok_mention[k].actor_kind() \
                        and sd.tok_mention[k].ref is None:
                    # the recipient right after the verb: "has sold Azerbaijan drones", "supplied Kyiv with shells"
                    self._claim_partners(sd, out, rule, subjects, sd.tok_mention[k], min(subj_m.start, s), s)
                    break
                if k > e and sd.tok_mention[k] is not None and sd.tok_mention[k].actor_kind() and toks[k - 1].lower != prep:
                    break   # an actor object: "sold Y drones" is handled by the supply rule
                if w == prep:
                    am = self._right(sd, k + 1, ["actor"], {sd.tok_clause[k + 1]}, limit=2)
                    if am is None:
                        break
                    end = self._claim_partners(sd, out, rule, subjects, am, min(subj_m.start, s), s)
                    if k + 1 < n and sd.tok_mention[k + 1] is not None and (end < n and toks[end].lower in ("and", ",")):
                        skip = end   # "F-35s from the U.S. and Rafale jets from France"
                        continue
                    break

    def _claim_partners(self, sd, out, rule, subjects, first, start, s) -> int:
        """A claim from every subject to every actor of the group ``first`` opens; the group's end."""
        group = self._group(sd, first, ["actor"])
        end = max(x.end for x in group)
        for a in subjects:
            for x in group:
                for b in self._actor_list(x, sd):
                    if a != b:
                        self.claim(out, sd, rule["id"], a, rule["predicate"], b, (start, end), s)
        return end

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
                    a = actor_yaml(entity(value), self.d)
                    for b in self._actor_list(m, sd):
                        if a != b:
                            self.claim(out, sd, rule["id"], a, rule["predicate"], b, (s0, m.end), e0 + 1)
                    break
                if m is not None or not toks[k].text.isalpha():
                    break

    # nouns for goods changing hands, and the verbs by which an actor puts goods made elsewhere to use
    TRANSFER_NOUNS = frozenset("""transfer transfers sale sales delivery deliveries supply supplies shipment shipments
        export exports provision donation donations""".split())
    MADE = frozenset(["made", "built", "supplied", "manufactured", "designed", "produced", "provided", "donated"])
    USE_VERBS = frozenset("""use used uses using fly flew flies field fielded fields operate operated operates deploy
        deployed deploys buy bought buys acquire acquired acquires receive received receives rely relied relies""".split())

    def transfer_noun_rule(self, sd, out):
        """"China's transfers of fighter jets, drones and air defence systems to Pakistan",
        "Russian arms deliveries to Mali", "arms sales by Turkey to Ukraine": the supplier
        cooperates with the recipient; "Pakistani forces used Chinese-made fighters": the maker's
        state with the one that uses them."""
        rule = self.res.rules.get("cooperate-transfer-nominal")
        if rule is None:
            return
        toks = sd.toks
        n = len(toks)
        for k, t in enumerate(toks):
            if t.lower in self.TRANSFER_NOUNS and t.text[:1].islower():
                self._transfer_noun(sd, out, rule, k)
            elif t.lower in self.MADE and k >= 2 and toks[k - 1].lower in ("-", "–"):
                self._made_by(sd, out, rule, k)
            elif t.lower in self.RECEIVED_NOUNS and t.text[:1].islower():
                self._received_from(sd, out, rule, k)

    # what one state receives from another: "courting Chinese investment", "one of the largest
    # buyers of Russian arms", "relies on Chinese loans"
    RECEIVED_NOUNS = frozenset("""investment investments funding loan loans financing credit credits aid grant grants
        arms weapons equipment""".split())
    RECEIVE_VERBS = frozenset("""court seek receive rely depend welcome accept attract secure obtain take win borrow
        benefit buy purchase import""".split())
    RECIPIENT_NOUNS = frozenset("""buyer buyers customer customers importer importers recipient recipients client
        clients beneficiary beneficiaries""".split())

    COPULAS = frozenset("is are was were be been remains remain remained become becomes became".split())

    def _predicative(self, toks, j) -> bool:
        """"X remains one of the largest buyers of …": the noun is said of the subject (not
        "sanctions targeting buyers of Russian arms")."""
        return any(t.lower in self.COPULAS for t in toks[max(0, j - 6):j])

    def _received_from(self, sd, out, rule, k):
        """"Bangladesh is courting Chinese investment", "Algeria remains one of the largest buyers
        of Russian arms": the receiving subject cooperates with the state the adjective names."""
        toks = sd.toks
        givers = sd.demonym_before.get(k)
        m = sd.tok_mention[k]
        if not givers and m is not None and m.start == k and "capability" in m.readings and m.holder and \
                k > 0 and sd.tok_mention[k - 1] is None and toks[k - 1].text[:1].isupper():
            givers = [a for x in m.holder for a in self.d.actors_of(x)]   # "buyers of Russian arms"
        if not givers:
            return
        cue = None
        for j in range(k - 2, max(-1, k - 8), -1):
            if sd.tok_clause[j] != sd.tok_clause[k] or toks[j].text in (",", ";"):
                break
            if toks[j].norm in self.RECEIVE_VERBS or (toks[j].lower in self.RECIPIENT_NOUNS and toks[j + 1].lower == "of"
                                                       and self._predicative(toks, j)):
                cue = j
                break
        if cue is None or modality_at(sd, cue)[0] == "negated":
            return
        subj_m, how = self.subject_slot(sd, cue, ["actor"])
        if subj_m is None or subj_m.end > cue:
            return
        givers = [actor_yaml(a, self.d) for a in givers]
        for a in self._actor_list(subj_m, sd):
            for b in givers:
                if b is not None and a != b:
                    self.claim(out, sd, rule["id"], a, rule["predicate"], b, (subj_m.start, k + 1), cue)

    def _transfer_noun(self, sd, out, rule, k):
        toks = sd.toks
        n = len(toks)
        ev = sd.tok_mention[k]
        if ev is not None and "event" in ev.readings and ev.agents and ev.participants:
            # the phrase read as a transfer event: "Iran's supply of drones to Russia"
            if self._stance_object(sd, out, ev):
                return
            for a in [y for x in ev.agents for y in self.d.actors_of(x)]:
                for b in [y for x in ev.participants for y in self.d.actors_of(x)]:
                    a_, b_ = actor_yaml(a, self.d), actor_yaml(b, self.d)
                    if a_ is not None and b_ is not None and a_ != b_:
                        self.claim(out, sd, rule["id"], a_, rule["predicate"], b_, (ev.start, ev.end), k)
            return
        clause = sd.tok_clause[k]
        # the recipient: "to X" within the phrase (no clause boundary, no verb-like "to" + verb)
        to = next((j for j in range(k + 1, min(n - 1, k + 14)) if toks[j].lower == "to" and sd.tok_clause[j] == clause), None)
        if to is None:
            return
        rm = sd.tok_mention[to + 1] if sd.tok_mention[to + 1] is not None else (
            sd.tok_mention[to + 2] if to + 2 < n and toks[to + 1].lower == "the" else None)
        if rm is None or not rm.actor_kind():
            return
        # the supplier: a possessor or demonym right before ("China's transfers", "Russian arms
        # deliveries"), or "by X" after
        supplier = None
        j = k - 1
        while j >= 0 and toks[j].lower in ("arms", "weapons", "weapon", "arm", "military", "of", "the", "new", "further"):
            j -= 1
        if j >= 0 and self._is_possessive(sd, j):
            supplier = self._possessor_holder(sd, j)
            if sd.toks[j].lower in ("'s", "’s") and sd.tok_mention[j - 1] is not None:
                j = sd.tok_mention[j - 1].start
        elif j >= 0 and sd.tok_mention[j] is not None and sd.tok_mention[j].actor_kind() and sd.tok_mention[j].end == j + 1:
            supplier = self._actor_list(sd.tok_mention[j], sd)
        else:
            by = next((i for i in range(k + 1, to) if toks[i].lower == "by"), None)
            if by is not None and sd.tok_mention[by + 1] is not None and sd.tok_mention[by + 1].actor_kind():
                supplier = self._actor_list(sd.tok_mention[by + 1], sd)
        if not supplier and ev is not None and "event" in ev.readings and ev.agents:
            j = ev.start
            supplier = [y for x in ev.agents for y in self._actor_list(x, sd)] if all(
                isinstance(x, Mention) for x in ev.agents) else [actor_yaml(y, self.d) for x in ev.agents
                                                                 for y in self.d.actors_of(x)]
        if not supplier:
            return
        for a in supplier:
            for x, b in self._each_actor(sd, rm):
                self.claim(out, sd, rule["id"], a, rule["predicate"], b, (max(0, j), x.end), k)

    def _made_by(self, sd, out, rule, k):
        toks = sd.toks
        origin = sd.tok_mention[k - 2]
        if origin is None or not origin.actor_kind():
            return
        # the user: the subject of a use verb before it ("Pakistani forces used Chinese-made fighters")
        v = next((i for i in range(k - 3, max(-1, k - 8), -1) if toks[i].lower in self.USE_VERBS), None)
        if v is None:
            return
        subj_m, _ = self.subject_slot(sd, v, ["actor"])
        if subj_m is None:
            return
        for a in self._actor_list(origin, sd):
            for _, b in self._each_actor(sd, subj_m):
                self.claim(out, sd, rule["id"], a, rule["predicate"], b, (subj_m.start, k + 1), k)
