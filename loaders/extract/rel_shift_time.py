"""Shift rules ("the response has evolved from A to B", ``type: shift``) and
time rules ("dates back to the 1990s", ``type: time``)."""

from __future__ import annotations

import re

from .rel_base import RuleBase

YEAR = re.compile(r"^(1[89]\d\d|20\d\d)(s)?$")


class ShiftTimeRules(RuleBase):
    """A change of stance, and when something began or sped up (a mixin of ``Relations``)."""

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
