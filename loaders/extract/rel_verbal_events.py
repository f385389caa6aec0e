"""Verbal events (``type: verbal-event``): verbs that describe an event
("began attacking", "striking Houthi targets", "fire missiles at") make an
event mention whose agents are the clause subject and whose target is the
actor that owns or holds the place of the object."""

from __future__ import annotations

import json

from .entities import DOING_BEFORE_TO, Mention, gerund
from .rel_base import FixedActor, RuleBase, actor_yaml, state_of_government
from .rel_slots import PARTICIPLE_IRREGULAR, TARGET_GAP_STOP


# plural nouns for attackers that are no named actor, and the words between a subject and its verb
UNNAMED_ATTACKERS = frozenset("""gangs gangsters militants gunmen insurgents fighters rebels jihadists attackers assailants
    militias militiamen separatists guerrillas raiders pirates terrorists extremists bandits""".split())
# between a deployed unit and its participle ("troops had since been deployed")
PASSIVE_AUX = frozenset("is are was were be been being has have had also since already now still".split())
# what introduces the target of a verbal event ("fired rockets toward southern Israel")
TARGET_PREPS = frozenset(["at", "on", "against", "into", "toward", "towards"])
TRADE_PREPS = frozenset(["to", "from"])
# "plans to deploy", "decided to send": the subject's own deployment, hedged by its verb
DEPLOY_INTENT = frozenset("""plan decide agree begin start continue promise pledge vow threaten intend prepare expect
    seek want aim""".split())
VERB_FILLERS = frozenset("""has have had also repeatedly reportedly allegedly again then regularly frequently often
    since already""".split())
# what an -ing form of an attack verb follows when its subject is the clause's ("have been attacking")
PROGRESSIVE_AUX = frozenset("is are was were be been began begun started continued kept keep".split())
PRESENT_FILLERS = VERB_FILLERS | frozenset(["now", "still", "currently", "permanently"])
# before a unit's verb (not "to": "ordered Venezuelan forces to cross" is an order, not a deployment)
MODALS = frozenset("will would could can may might must should".split())
BE_FORMS = frozenset("is are was were be been being".split())
# what follows a present-tense verb of a unit, and not a noun compound's plural ("its navy operates off …")
AFTER_UNIT_VERB = frozenset("""in into inside near off around along from through across on at over within alongside
    against with the a its their regularly daily routinely there close closely""".split())
# unit heads a state's name or demonym comes before, beyond the lexicon's list of what is deployed
# (whose plurals the rule reads too): "Chile's navy", "Russian military instructors"
UNIT_HEADS = frozenset("navy navies instructor adviser advisor trainer".split())


class VerbalEventRules(RuleBase):
    """Event mentions made from verbs, with their agent and target claims (a mixin of ``Relations``)."""

    def _deployed_units(self, sd, out, k):
        """"Ethiopian federal troops had been deployed near the crossing", "Russian warships are
        stationed in Tartus": units named by their state, deployed -- that state is the agent."""
        rule = self.res.rules.get("agent-verbal")
        toks = sd.toks
        j = k - 1
        while j > 0 and toks[j].lower in PASSIVE_AUX:
            j -= 1
        m = sd.tok_mention[j]
        deployable = self.res.verb_events["deploy"]["object"]   # troops, warships, batteries …
        if rule is None or m is None or m.end != j + 1 or not m.actor_kind() or toks[j].norm not in deployable:
            return
        for a in self._actor_list(m, sd):
            self.claim(out, sd, rule["id"], {"event": "MilitaryDeployment", "agents": [a]}, "hasAgent", a,
                       (m.start, k + 1), k)

    def unit_verb_rule(self, sd, out):
        """"Kenyan troops have served in Somalia", "Chinese coast guard vessels have repeatedly
        shadowed …", "Israeli forces have remained inside the area": a unit named by its state,
        the subject of a verb of presence or movement, is that state's deployment -- as the same
        unit deployed in the passive is (``_deployed_units``)."""
        toks = sd.toks
        rule = self.res.rules.get("agent-unit-verb")
        if rule is None:
            return
        units = self._unit_heads()
        verbal = {v.start for v in getattr(sd, "verbal", ())}
        for k, t in enumerate(toks):
            present = self._present_after_be(toks, k)   # "Russian personnel are still present at …"
            if (t.norm not in rule["verbs"] and present is None) or k == 0 or k in verbal:
                continue   # ("Russian drones entered Polish airspace": an incursion, verbal_events' reading)
            if present is None and not self._unit_verb_form(toks, k):
                continue
            j = k - 1 if present is None else present
            while j > 0 and toks[j].lower in PRESENT_FILLERS | PASSIVE_AUX | MODALS:
                if toks[j].lower in BE_FORMS:
                    break
                j -= 1
            unit = toks[j].lower
            if unit in BE_FORMS or not {toks[j].norm, unit, unit[:-1] if unit.endswith("s") else unit} & units:
                continue   # the passive is _deployed_units' ("troops are now deployed")
            # "Two Chinese corvettes docked …": a platform named as a capability stands for its holder
            m = self._unit_owner(sd, j) or self._operator_of_weapon(sd, k)
            if m is None or sd.tok_clause[m.start] != sd.tok_clause[k]:
                continue
            # "Greek and Italian fighter jets have policed …": one deployment, every state its agent
            agents = self._actor_list(m, sd)
            for a in agents:
                self.claim(out, sd, rule["id"], {"event": "MilitaryDeployment", "agents": agents}, "hasAgent", a,
                           (m.start, k + 1), k)

    @staticmethod
    def _present_after_be(toks, k) -> int | None:
        """For "present" after a form of "be" (adverbs between): the token before that form, where
        the unit stands ("Russian personnel are still present at several airbases"); else None."""
        if toks[k].lower != "present":
            return None
        j = k - 1
        while j > 0 and toks[j].lower in PRESENT_FILLERS:
            j -= 1
        return j - 1 if j > 0 and toks[j].lower in BE_FORMS else None

    def _unit_heads(self) -> frozenset:
        """UNIT_HEADS and the lexicon's deployed units, joined once per run (not per sentence)."""
        heads = getattr(self, "_unit_heads_cache", None)
        if heads is None:
            heads = self._unit_heads_cache = UNIT_HEADS.union(self.res.verb_events["deploy"]["object"])
        return heads

    @staticmethod
    def _unit_verb_form(toks, k) -> bool:
        """Token ``k`` reads as a finite verb of the unit before it: a past form ("crossed", "flown"),
        one after a modal ("will patrol"), or a present one followed by what follows a verb ("operates
        off", "operate against") -- not a noun compound's plural ("Haitian police stations")."""
        w, nxt = toks[k].lower, toks[k + 1].lower if k + 1 < len(toks) else ""
        present = (w.endswith("s") and not w.endswith("ss")) or w == toks[k].norm
        if present and nxt and (nxt in AFTER_UNIT_VERB or toks[k + 1].text[:1].isupper()):
            return True   # (a name after it too: "the Spanish air force regularly polices Baltic airspace")
        if w.endswith("s") and not w.endswith("ss"):
            return False
        return w.endswith("ed") or w in PARTICIPLE_IRREGULAR or toks[k - 1].lower in MODALS

    def host_rule(self, sd, out):
        """"Qatar hosts the largest U.S. air base", "Kyrgyzstan and Tajikistan both host Russian
        military bases", "Bahrain hosts the headquarters of the U.S. Fifth Fleet": what a state
        hosts is another's deployment -- its owner is the agent (the host is only its place)."""
        rule = self.res.rules.get("agent-hosted")
        if rule is None:
            return
        toks = sd.toks
        units = rule["objects"]
        for k, t in enumerate(toks):
            if t.norm != "host" or not t.lower.startswith("host") or sd.tok_mention[k] is not None:
                continue
            if k > 0 and toks[k - 1].lower in ("the", "a", "its", "their"):
                continue   # "the host nation"
            end = next((j + 1 for j in range(k + 1, min(len(toks), k + 10))
                        if toks[j].norm in units or toks[j].lower in units), None)
            if end is None or any(x.text in (",", ";") for x in toks[k + 1:end]):
                continue
            host_m, _ = self.subject_slot(sd, k, ["actor"])
            hosts = [a for x in self._group(sd, host_m, ["actor"]) for a in self._actor_list(x, sd)] if host_m else []
            owners = []
            for m in sd.mentions:
                if k < m.start < min(len(toks), end + 6) and (m.start < end or toks[m.start - 1].lower in ("of", "the")):
                    owners += [a for a in self._owners_named(m, sd) if a not in owners and a not in hosts]
            # the host takes part in the deployment it hosts; "Kyrgyzstan and Tajikistan both host
            # Russian bases": one deployment in each
            hosts = [state_of_government(h) for h in hosts]   # (a host government is its state's territory)
            places = [[h] for h in hosts] if len(hosts) > 1 and any(
                x.lower in ("both", "each") for x in toks[max(0, k - 3):k]) else [hosts]
            for a in owners:
                for place in places:
                    event = {"event": "MilitaryDeployment", "agents": [a]}
                    if place:
                        event["participants"] = place
                    self.claim(out, sd, rule["id"], event, "hasAgent", a, (k, end), k)

    def _owners_named(self, m, sd) -> list:
        """The actors mention ``m`` names as owners of what is hosted: an actor mention's own
        ("the U.S. air base"), or an event's named agents ("Russian military bases"; not those a rule
        added to it)."""
        if m.actor_kind():
            return self._actor_list(m, sd)
        if "event" not in m.readings:
            return []
        named = (actor_yaml(x, self.d) for x in m.agents if not isinstance(x, FixedActor))
        return [a for a in named if a is not None]

    @staticmethod
    def _unit_owner(sd, j):
        """The actor mention that names the state of the unit ending at token ``j``: the mention
        that holds it ("Kenyan troops") or ends right before its head ("Chinese coast guard | vessels")."""
        for i in (j, j - 1):
            m = sd.tok_mention[i] if i >= 0 else None
            if m is not None and m.actor_kind() and m.end in (j + 1, i + 1) and not (
                    m.ref is not None and m.ref.kind == "subject"):
                return m
        return None

    @staticmethod
    def _present_after_actor(sd, k) -> bool:
        """"Russia keeps troops in Armenia", "the army now maintains outposts": a present-tense
        verb right after an actor (an adverb between) is the actor's act, not a plural noun."""
        if not sd.toks[k].lower.endswith("s"):
            return False
        j = k - 1
        while j > 0 and sd.toks[j].lower in PRESENT_FILLERS:
            j -= 1
        m = sd.tok_mention[j] if j >= 0 else None
        return m is not None and m.end == j + 1 and bool({"actor", "statenoun", "group"} & m.readings.keys())

    def verbal_events(self, sd, out):
        """"began attacking ships", "striking Houthi targets", "fire missiles
        at X", "killed Hezbollah leader …" → an event mention."""
        sd.verbal = []
        sd.untargeted = []   # (event, subject, verb, verb token, end) of verbal events aimed at no actor
        toks = sd.toks
        for k, verb in sd.vevents:
            spec = self.res.verb_events[verb]
            w = toks[k].lower
            if sd.tok_mention[k] is not None:
                continue
            prev = toks[k - 1].lower if k > 0 else ""
            verbish = w.endswith("ing") or w.endswith("ed") or w in PARTICIPLE_IRREGULAR or w in ("struck", "fought") or prev in (
                "to", "will", "would", "could", "can", "may", "might", "did", "not") or (
                spec["class"] == "MilitaryDeployment" and self._present_after_actor(sd, k))
            if not verbish or prev in ("the", "a", "an", "its", "their", "'s", "’s"):
                continue
            if spec["class"] == "MilitaryDeployment" and prev == "to" and not (
                    k > 1 and toks[k - 2].norm in DEPLOY_INTENT):
                continue   # "urged its allies to send engineers": the deployment is someone else's wish
            passive, by = self._is_passive(sd, k, k + 1)
            if passive:
                if spec["class"] == "MilitaryDeployment":
                    self._deployed_units(sd, out, k)
                continue
            cls = spec["class"]
            obj_words = spec.get("object")
            end = k + len(verb.split())   # ("fire water cannon at …": the target comes after the whole phrase)
            if obj_words:
                ok = False
                for j in range(k + 1, min(len(toks), k + 7)):
                    if toks[j].norm in obj_words or toks[j].lower in obj_words:
                        ok = True
                        end = j + 1
                        break
                if not ok and cls == "MissileLaunch" and k + 1 < len(toks) and toks[k + 1].lower in ("on", "upon"):
                    ok, cls = True, "Attack"   # "coast guard vessels fired on Senegalese pirogues"
                if not ok:
                    continue
                if cls == "MilitaryDeployment" and toks[end - 2].lower == "joint":
                    continue   # "have stepped up joint patrols": a joint exercise, told with its sides (agent-hold's)
            ev = Mention(k, end, end, {"event": cls})
            ev.verbal = True
            ev.sentence = sd.index
            ev.head = w
            ev.conj = -1
            subj_m, how = self.subject_slot(sd, k, ["actor"])
            if subj_m is None:
                subj_m = self._operator_of_weapon(sd, k)
            if subj_m is not None:
                ev.agents.extend(self._group(sd, subj_m, ["actor"]))

            # target: the actor object right after, or after at/on/against/into
            tgt = None
            j = end
            # trade cut off is aimed at whoever it went to or came from ("halted shipments to Japan")
            preps = TARGET_PREPS | TRADE_PREPS if cls == "SanctionsImposition" else TARGET_PREPS
            if j < len(toks) and toks[j].lower in preps:
                j += 1
            elif obj_words:
                # "launched waves of missiles and drones against Ukraine's power grid"
                for jj in range(end, min(len(toks), end + 5)):
                    if toks[jj].lower in preps and sd.tok_clause[jj] == sd.tok_clause[k]:
                        j = jj + 1
                        break
                    if toks[jj].lower in TARGET_GAP_STOP - {"and"} or not toks[jj].text[:1].isalpha():
                        break
            m = sd.tok_mention[j] if j < len(toks) else None
            if m is None and j + 1 < len(toks) and toks[j].lower in ("the",):
                m = sd.tok_mention[j + 1]
            tgts = []
            if m is not None and m.actor_kind():
                # "targeted Japan and Taiwan": both (not the subject of a clause after it:
                # "attacked Ukraine, and Belarus watched")
                tgts = self._coordinated_objects(sd, m)
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
                # (not the end of a relative clause: "Uganda, which had forces in North Kivu, moved …")
                agent_m = near if near is not None and near.actor_kind() and \
                    sd.tok_clause[near.start] == sd.tok_clause[k] else subj_m
                group = self._group(sd, agent_m, ["actor"])
                if agent_m is near:
                    # only the members coordinated right before it ("Ethiopia and Eritrea have both moved")
                    keep = [near]
                    for x in sorted((g for g in group if g.end <= near.start), key=lambda g: -g.start):
                        if all(t.lower in (",", "and", "or", "both", "the") for t in toks[x.end:keep[-1].start]):
                            keep.append(x)
                    group = keep[::-1]
                seen = []
                for x in group:
                    for a in self._actor_list(x, sd):
                        if a not in seen:
                            seen.append(a)
                # "Germany and the Netherlands have sent air-defence units": one deployment of
                # both; "(both) X and Y have both / each moved troops", "have reinforced their
                # positions": each its own
                first = min([x.start for x in group] + [k])
                separate = any(t.lower in ("both", "each", "respectively", "separately")
                               for t in toks[max(0, first - 1):min(len(toks), end + 6)]) or any(
                    t.lower == "their" for t in toks[k + 1:min(len(toks), end + 3)])
                for a in seen:
                    agents = [a] if separate else seen
                    self.claim(out, sd, agr["id"], {"event": cls, "agents": agents}, "hasAgent", a,
                               (min(agent_m.start, k), end), k)
            if not tgts and subj_m is not None and how not in ("main", "nearest"):
                # (not a participle's borrowed subject: "Romania, struck by drones attacking the port")
                sd.untargeted.append((ev, subj_m, verb, k, end))
            unnamed = subj_m is None and self._unnamed_attackers(sd, k)
            # a deployment's place is its host or its theatre, not its target ("France kept troops in Chad")
            if tgt is not None and cls != "MilitaryDeployment" and (subj_m is not None or unnamed is not None) \
                    and not self._only_intended(toks, k):
                rule = self.res.rules.get("targets-verbal")
                if rule is not None:
                    evt = dict(self.to_entity(ev, "event", sd))
                    evt.pop("targets", None)
                    for x in tgts:
                        for a in self._actor_list(x, sd):
                            if isinstance(a, dict) and ("government" in a or "public" in a):
                                a = a.get("government") or a.get("public")   # "Somali government officials": Somalia
                            first = subj_m.start if subj_m is not None else unnamed
                            self.claim(out, sd, rule["id"], evt, "targets", a, (min(first, k), x.end), k)

    def untargeted_agent_rule(self, sd, out):
        """"Russia launched cruise missiles", "the army has raided camps": an attack, strike or
        launch aimed at no actor -- its claim is who did it. Not where another claim of the
        sentence already has that actor doing something (its target or response carries it)."""
        rule = self.res.rules.get("agent-untargeted")
        if rule is None:
            return
        acting = {json.dumps(a, sort_keys=True) for c in out if isinstance(c.subject, dict)
                  for a in c.subject.get("agents") or []}
        toks = sd.toks
        for ev, subj_m, verb, k, end in sd.untargeted:
            if verb not in rule["verbs"] or self._only_intended(toks, k):
                continue
            if subj_m.ref is not None and len(self._actor_list(subj_m, sd)) > 1:
                continue   # "the two countries struck": at each other, a target claim's business
            if k >= 2 and toks[k - 1].lower in ("which", "whom") and toks[k - 2].lower == "of":
                continue   # "missiles, some of which struck …": the weapons, not an actor
            if gerund(toks[k]) and toks[k - 1].lower not in PROGRESSIVE_AUX:
                continue   # "drones attacking the port": the noun before it attacks, not the clause's subject
            evt = dict(self.to_entity(ev, "event", sd))
            for a in evt.get("agents") or []:
                if json.dumps(a, sort_keys=True) not in acting:
                    self.claim(out, sd, rule["id"], evt, "hasAgent", a, (min(subj_m.start, k), end), k)

    def _operator_of_weapon(self, sd, k):
        """"Turkish drones struck …", "Thai F-16 fighter jets struck …": a weapon or platform in
        subject position stands for the state that operates it. An actor mention (made here) of
        the holders of the capability right before the verb, or None."""
        cap, _ = self.subject_slot(sd, k, ["capability"])
        if cap is None or not cap.holder or cap.end > k or "capability" not in cap.readings:
            return None
        if any(t.lower not in VERB_FILLERS for t in sd.toks[cap.end:k]):
            return None   # only auxiliaries and adverbs between the weapon and the verb
        actors = [a for x in cap.holder for a in self.d.actors_of(x)]
        if not actors:
            return None
        m = Mention(cap.start, cap.end, cap.end, {"actor": actors})
        m.sentence, m.head, m.conj = sd.index, cap.head, -1
        return m

    @staticmethod
    def _unnamed_attackers(sd, k):
        """"The gangs have repeatedly attacked Haitian police stations", "Gunmen stormed …": a
        subject that names attackers but no actor -- the attack is still aimed at its target.
        The subject's first token, or None."""
        toks = sd.toks
        j = k - 1
        while j >= 0 and toks[j].lower in VERB_FILLERS:
            j -= 1
        if j < 0 or toks[j].lower not in UNNAMED_ATTACKERS or sd.tok_clause[j] != sd.tok_clause[k]:
            return None
        while j > 0 and toks[j - 1].text[:1].islower() and toks[j - 1].lower not in (",", "and", "that", "which"):
            j -= 1
        return j

    @staticmethod
    def _only_intended(toks, k) -> bool:
        """"blocked efforts to sanction North Korea", "plans to strike Iran": an infinitive that
        names an act not (yet) done -- unless a verb of doing governs it ("began to shell")."""
        if k < 2 or toks[k - 1].lower != "to":
            return False
        if any(t.lower in ("used", "using", "uses", "employed") for t in toks[max(0, k - 10):k - 1]):
            return False   # "has used sea drones and cruise missiles to sink …": the means of an act done
        if toks[k - 2].lower in ("expected", "due", "scheduled", "set") and k >= 3 and \
                toks[k - 3].lower in ("is", "are", "was", "were"):
            # "are expected to hold talks": an act foreseen (a probable claim, cues.yaml), not a plan;
            # "are due / scheduled to hold talks": an act on the calendar
            return False
        return toks[k - 2].lower not in DOING_VERBS


# verbs whose infinitive complement is an act that took place ("began to shell the town"): those
# that keep "to sanction" a verb (entities.py) and verbs of going on to do it
DOING_VERBS = DOING_BEFORE_TO | frozenset("went go goes proceeded proceed moved".split())
