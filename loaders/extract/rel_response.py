"""Response rules: "X responded / retaliated with R" (``type: respond``) and
"A in response to B" (``type: prep``), with the stimulus found in context
when the text leaves it implicit."""

from __future__ import annotations

from .entities import Mention
from .rel_base import FixedActor, RuleBase
from .rel_slots import ADVERBS_OK


class ResponseRules(RuleBase):
    """respondsTo between a response and its stimulus (a mixin of ``Relations``)."""

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
                        r.agents.append(FixedActor(a))
        end = max(max(r.end for r in group), end)
        if stim is None:
            stim = self._salient_event(sd, subj_m.start, set(actors))
        # "India responded by deploying troops" with nothing said before it answers: a response to
        # an event the text leaves unnamed (the claim still records that the deployment answers)
        stims = [None] if stim is None else \
            self._expand([stim], set(actors)) if isinstance(stim, Mention) and stim.antecedent else [stim]
        for r in group:
            subj = self._thing_entity(r, "event", sd)
            for b in stims:
                obj = {"event": "Event"} if b is None else self._thing_entity(b, "event", sd)
                if subj is None or obj is None or subj == obj:
                    continue
                self.claim(out, sd, rule["id"], subj, rule["predicate"], obj, (min(subj_m.start, s), end), s)

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
        if bare and s <= 1 and e < len(toks) and toks[e].lower == ",":
            # "In response, Poland reinforced the troops …": the first act after it answers the latest
            # event of others before (or one the text leaves unnamed)
            after = [m for m in getattr(sd, "verbal", []) if m.start > e] or [
                m for m in sd.mentions if m.start > e and "event" in m.readings]
            if not after:
                return
            a = after[0]
            actors = {x for m in a.agents for x in self.d.actors_of(m)}
            b = self._salient_event(sd, s, actors) or self._action_mention(sd, s, e, "Event")
            bare = False
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
            if b is None:
                b = self._action_mention(sd, s, e, "Event")   # "…, which suspended trade in response": to an unnamed event
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
                           (min(a.start, s, bm.start), max(bm.end, b.end, e, a.end)), s)

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

    # measures taken against someone "over" / "for" what they did
    PUNITIVE = ("SanctionsImposition", "MilitaryStrike")

    def punished_for_rule(self, sd, out):
        """"sanctions on Moscow for its invasion of Ukraine", "the EU imposed sanctions on Iran over its
        drone transfers": the measure responds to the act it is imposed for."""
        rule = self.res.rules.get("respond-over")
        if rule is None:
            return
        toks = sd.toks
        for m in sd.mentions:
            if "event" not in m.readings or not any(self.d.classes.is_a(self._event_class(m, sd), c) for c in self.PUNITIVE):
                continue
            k = m.end
            if k >= len(toks) or toks[k].lower not in ("over", "for"):
                continue
            b = self._right(sd, k + 1, ["event"], {sd.tok_clause[k]}, limit=4)
            if b is None or self._stance_object(sd, out, m):
                continue
            subj = self._thing_entity(m, "event", sd)
            obj = self._thing_entity(b, "event", sd)
            self.claim(out, sd, rule["id"], subj, "respondsTo", obj, (m.start, b.end), k)

    # "dispatched a carrier group after the missile test": a measure taken right after another
    # side's hostile act answers it
    RESPONSES = ("MilitaryDeployment", "MilitaryStrike", "SanctionsImposition", "MilitaryExercise")
    PROVOCATIONS = ("MissileLaunch", "NuclearTest", "Attack", "MilitaryStrike", "MilitaryConfrontation", "ArmedConflict")

    def after_rule(self, sd, out):
        rule = self.res.rules.get("respond-after")
        if rule is None:
            return
        toks = sd.toks
        for k, t in enumerate(toks):
            if t.lower not in ("after", "following") or k + 1 >= len(toks):
                continue
            b = self._right(sd, k + 1, ["event"], {sd.tok_clause[k]}, limit=3)
            if b is None or not any(self.d.classes.is_a(self._event_class(b, sd), c) for c in self.PROVOCATIONS):
                continue
            # the measure: a verbal event or event mention of the same clause before "after"
            cands = [m for m in list(sd.mentions) + list(getattr(sd, "verbal", [])) if m.end <= k and "event" in m.readings
                     and sd.tok_clause[m.start] == sd.tok_clause[k]]
            cands = [m for m in cands if any(self.d.classes.is_a(self._event_class(m, sd), c) for c in self.RESPONSES)]
            if not cands:
                continue
            a = max(cands, key=lambda m: m.end)
            own = {x for y in a.agents for x in self.d.actors_of(y)}
            theirs = {x for y in b.agents for x in self.d.actors_of(y)}
            if not own or own & theirs:
                continue   # one's own act, or no actor taking the measure
            self.claim(out, sd, rule["id"], self._thing_entity(a, "event", sd), "respondsTo",
                       self._thing_entity(b, "event", sd), (a.start, b.end), k)

    def prompted_to_rule(self, sd, out):
        """"The clashes prompted Lusaka to close two crossings", "the attack forced Uganda to send
        its forces across the border": the cause triggers what the actor it moved then does -- a
        verbal event, an event the infinitive names, or else an act of no narrower class."""
        toks = sd.toks
        for rule, k in self.lemma_triggers(sd, "cause-prompt-to"):
            actor = sd.tok_mention[k + 1] if k + 1 < len(toks) else None
            if actor is None or not actor.actor_kind() or actor.end + 1 >= len(toks) or toks[actor.end].lower != "to":
                continue
            v = actor.end + 1   # the infinitive's verb
            if not toks[v].text.isalpha() or not toks[v].text.islower() or toks[v].lower in ("be", "the", "a", "an"):
                continue
            cause, _ = self.subject_slot(sd, k, ["event", "situation"])
            if cause is None:
                cause = self._unnamed_subject(sd, self.clause_of(sd, k), k)
            if cause is None or cause.actor_kind():
                continue
            effect = self._prompted_act(sd, actor, v)
            if effect is None:
                continue
            kind = "situation" if "situation" in cause.readings and "event" not in cause.readings else "event"
            self.claim(out, sd, rule["id"], self._thing_entity(cause, kind, sd), "triggers", effect,
                       (min(cause.start, k), v + 1), k)

    def _prompted_act(self, sd, actor, v):
        """What ``actor`` is moved to do by the infinitive at ``v``: its verbal event or the event
        its object names ("to impose sanctions"), carried out by that actor; an effect on a
        situation ("pushed Taiwan to raise its defence spending") is the effect rules' claim."""
        toks = sd.toks
        if v in sd.trigger_toks and any(s <= v < e and self.res.rules[r].get("effect") for s, e, r, _ in sd.triggers):
            return None
        agents = self._actor_list(actor, sd)
        ev = next((m for m in getattr(sd, "verbal", []) if m.start == v), None)
        verb = next((name for x, name in sd.vevents if x == v), None)
        if ev is None and verb is not None:
            # a verb of the lexicon that the verbal-event rules leave to others after "to" ("prompted
            # Zambia to deploy troops": here the act is the moved actor's own)
            spec = self.res.verb_events[verb]
            objects = spec.get("object")
            if not objects or any(toks[j].norm in objects or toks[j].lower in objects
                                  for j in range(v + 1, min(len(toks), v + 7))):
                return {"event": spec["class"], "agents": agents}
        if ev is None:
            if self._right(sd, v + 1, ["event"], {sd.tok_clause[v]}, limit=4) is not None:
                return None   # "prompted the EU to impose sanctions": the event named is cause-trigger's object
            return {"event": "Event", "agents": agents}
        ent = dict(self._thing_entity(ev, "event", sd))
        ent["agents"] = agents
        return ent

