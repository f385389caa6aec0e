"""Verb rules (``type: verb``): SUBJECT trigger OBJECT, the passive, relative
and participle clauses, the infinitival complement of stance verbs, and what
stands for a slot (a summarising apposition, "including …", anaphoric events,
a feared act)."""

from __future__ import annotations

from .actor import ENTITY, GOVERNMENT, PUBLIC, entity
from .entities import Mention
from .resources import BE_FORMS
from .rel_slots import ADVERBS_OK
from .rel_verb_claims import VerbClaims, VerbFrame

MODAL_OR_AUX = frozenset("could would will might may can must should is was has had".split())
# verbs of refusal between a verb of support and its policy: the policy is another verb's, refused
REFUSED_BETWEEN = frozenset(["reject", "dismiss", "rebuff", "spurn", "refuse", "decline", "oppose", "veto"])
# "lift / end / ease the embargo": the opposite of the policy the event names
REVERSAL_VERBS = frozenset(["lift", "end", "ease", "remove", "scrap", "drop", "suspend", "relax", "loosen", "halt", "stop",
                            "cease", "abandon", "withdraw", "cancel", "revoke", "waive", "avoid", "refrain", "prevent",
                            "condemn", "investigate", "delay", "postpone", "defer", "pause",
                            # "agreed to lower tariffs" ("lower" is read as the comparative of "low")
                            "lower", "low", "reduce", "cut", "slash", "roll back"])


# the phrases _unnamed_event reads as an event start with a determiner or a possessor
UNNAMED_EVENT_DETERMINERS = frozenset(["the", "this", "these", "those", "that", "such", "any", "its", "their", "his",
                                       "her", "a", "an", "each", "every", "recent", "repeated"])
# words that open no noun phrase for an act ("It could raise tension", "Some fear …", "If X improves …")
NO_ACT_STARTS = frozenset("""it they this he she we you there some many most others which who what if when while
    although though because as unless once since in""".split())
# what opens a clause before its subject ("…, and the ruling has …", "that the episode …")
CLAUSE_OPENERS = frozenset(["and", "but", "or", "yet", "so", "that", ",", "however", "thus", "also"])
# auxiliaries, modals and adverbs between a subject and its verb ("has also sharply", "is likely to")
VERB_GROUP_WORDS = frozenset("""has have had is are was were be been will would could can may might must should
    also further already thus only not n't sharply steadily significantly greatly probably likely to almost
    certainly quickly again in turn together therefore help helps helped do does did done little much more far""".split())
FINITE_AUX = frozenset("has have had is are was were will would could can may might must should".split())
# words after which a noun phrase's head has been passed
HEAD_ENDERS = frozenset(["of", "with", "on", "in", "to", "by", "for", "against", "between", "from", "over", "near", "along"])
# heads that name people, places or statements, not acts
UNNAMED_EVENT_NOT_HEADS = frozenset(["people", "leaders", "leader", "officials", "region", "country", "territory", "city",
                                     "island", "islands", "border", "area", "man", "men", "women", "group", "groups",
                                     "government", "state", "states", "regime", "president", "minister"])


class VerbRules(VerbClaims):
    """Filling the slots of a verb frame (a mixin of ``Relations``)."""

    def verb_rule(self, sd, out, rule, s, e):
        if s > 0 and sd.toks[s - 1].text in ("-", "‐"):
            return   # "the Hamas-led assault", "a U.N.-authorized mission": an adjective, not a verb
        skinds = rule.get("subject", ["actor"])
        okinds = rule.get("object", ["event"])
        if e - s == 1 and sd.toks[s].norm in rule.get("not_before_actor", ()) and e < len(sd.toks) and \
                sd.tok_mention[e] is not None and sd.tok_mention[e].actor_kind():
            return   # "Russian troops worry Moldova": Moldova is the one worried
        passive, by = self._is_passive(sd, s, e)
        clause = self.clause_of(sd, s)
        toks = sd.toks
        causee = self._predicate_spec(rule.get("predicate")).get("causee")
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
            if rule.get("as") and e + 1 < len(toks) and (toks[e].lower, toks[e + 1].lower) in (
                    ("each", "other"), ("one", "another")):
                return   # "regard each other as rivals": the each-other rule (rel_reciprocal.py)
            if rule.get("as"):
                before = self._find_word(sd, e, "as", clause_limit=True)
                if before is None and toks[s].norm in rule.get("bare", ()):
                    before = self._bare_complement_start(sd, rule, e)   # "called the sale a threat"
            ids = {clause.id}
            if rule.get("complement"):
                ids |= {c.id for c in sd.clauses if c.parent == clause.id and c.kind == "complement"}
            if rule.get("recipient"):
                # "give the Houthis the ability", "provide North Korea with technology"
                recipient = self._right(sd, e, ["actor"], ids, limit=3)
            # "prompting it to demonstrate …", "forced the group to …": the actor
            # before "to" is the causee, the object comes after it
            e_obj = e
            if causee and e < len(toks):
                cm = sd.tok_mention[e]
                if cm is not None and cm.actor_kind() and cm.end < len(toks) and toks[cm.end].lower == "to":
                    e_obj = cm.end + 1
            if clause.kind == "relative" and how == "inner":
                ante = self._antecedent(sd, clause)
                obj_m = self._right(sd, e_obj, okinds, ids, before=before)
                if obj_m is not None and rule.get("bare") and toks[s].norm in rule["bare"] and e_obj < obj_m.start and \
                        all(t.lower in ("a", "an") for t in toks[e_obj:obj_m.start]):
                    obj_m = None   # "…, which Allies consider a provocation": the complement, not the object
                if obj_m is None and ante is not None and self._fits(ante, okinds):
                    obj_m = self._summary(sd, ante, subjects) or ante
                elif obj_m is None and rule.get("as") and "event" in okinds:
                    obj_m = self._event_before_trailer(sd, clause)
            else:
                obj_m = self._right(sd, e_obj, okinds, ids, before=before)
            if obj_m is None and "policy" in okinds and clause.kind in ("relative", "complement"):
                obj_m = self._offer_summed_up(sd, clause)
            obj_m = self._refine_object(sd, rule, okinds, obj_m, e_obj, before, ids)
            if obj_m is not None and "capability" in obj_m.readings and "event" not in obj_m.readings and \
                    obj_m.end < len(toks) and sd.tok_mention[obj_m.end] is not None and \
                    "event" in sd.tok_mention[obj_m.end].readings:
                obj_m = None   # "hold a missile defense exercise": the weapon names the event, it is not held
            if obj_m is not None and okinds == ["actor"] and any(
                    toks[k].lower in ("between", "among") for k in range(e_obj, obj_m.start)):
                obj_m = None   # "supports the conclusion of a code of conduct between ASEAN and China"
            if obj_m is not None and rule.get("object_then") and not any(
                    toks[k].norm in rule["object_then"] for k in range(obj_m.end, min(len(toks), obj_m.end + 4))):
                obj_m = None   # "offered Tehran verbal support" counts, "offered Tehran a deal" does not
            if obj_m is not None and rule.get("object_gap") is not None and (
                    sum(1 for k in range(e_obj, obj_m.start) if toks[k].lower not in ("the", "a", "an"))
                    > rule["object_gap"]):
                obj_m = None   # "relied on armed drones supplied by Turkey": not the object
            if obj_m is not None and rule.get("through_to") and "event" in obj_m.readings and \
                    "policy" not in obj_m.readings and self._policy_for_event(self._event_class(obj_m, sd)) is None \
                    and obj_m.end < len(toks) and toks[obj_m.end].lower in ("that", "which", "to"):
                obj_m = None   # "blocked any resolution that would impose …": the policy is in the complement
            if obj_m is None and rule.get("through_to") and _trigger_lemma(toks, s, e) in rule["through_to"]:
                # "urged both sides to resolve their differences through dialogue": a policy in the
                # infinitival complement (the complement's clause too), never an event there
                # ("insists that the dispute be settled through bilateral talks": a that-clause too)
                inf = [k for k in range(e, min(len(toks), e + 6)) if toks[k].lower == "to" or (
                    toks[k].lower == "would" and toks[k - 1].lower in ("that", "which")) or (
                    k == e and toks[k].lower == "that")]
                if inf and toks[inf[0] - 1].lower in ("nothing", "no", "little"):
                    inf = []   # "insists that there is nothing to negotiate"
                if inf:
                    stop = next((k for k in range(inf[0], min(len(toks) - 1, inf[0] + 12)) if toks[k].lower == "," and
                                 toks[k + 1].lower in ("and", "but", "while", "whereas", "yet")), min(len(toks), inf[0] + 12))
                    ids2 = ids | {sd.tok_clause[k] for k in range(inf[0], stop)}   # (not a new clause: ", and X …")
                    obj_m = self._right(sd, inf[0] + 1, ["policy"], ids2, limit=12, through_to=True)
                    if obj_m is None:
                        # "urged all states to implement the arms embargo", "threatened to resume attacks
                        # on Saudi oil facilities": an event that stands for a policy (events.yaml as_policy);
                        # not cooperation ("agreed to deepen security cooperation" is cooperating)
                        em = self._right(sd, inf[0] + 1, ["event"], ids2, limit=8, through_to=True)
                        ecls = self._event_class(em, sd) if em is not None else None
                        if em is not None and self._policy_for_event(ecls) is not None and not self.d.classes.is_a(
                                ecls, "MilitaryCooperation") and not any(
                                toks[k].norm in REVERSAL_VERBS for k in range(inf[0] + 1, em.start)):
                            obj_m = em
        if obj_m is not None and not passive and rule.get("through_to") and "policy" not in obj_m.readings and \
                _trigger_lemma(toks, s, e) in rule["through_to"]:
            # "called on both sides to stop the fighting and to resolve their differences through
            # negotiations": past an act to be stopped (or one that stands for no policy), a later
            # policy of the same complement is what is urged
            later = self._policy_after(sd, obj_m.end, ids)
            if later is not None:
                obj_m = later
        if not subjects and obj_m is not None and not passive and (
                (rule.get("effect") and {"situation", "capability"} & obj_m.readings.keys()) or rule.get("unnamed_subject")):
            # "the ruling has deepened mistrust", "the episode raised tension": an act the lexicon
            # has no word for, in subject position, is an event of no narrower class
            subj_m = self._unnamed_subject(sd, clause, s)
            subjects = [subj_m] if subj_m is not None else []
        if not subjects or obj_m is None:
            return
        if rule.get("predicate") == "holdsStance" and not passive and any(
                toks[k].norm in REVERSAL_VERBS for k in range(e, obj_m.start)) and not self._coordinated_purpose(
                sd, e, obj_m.start):
            return   # "urged Israel to halt strikes on Gaza", "agreed to lift sanctions": not for them
        if rule.get("predicate") == "holdsStance" and any(
                (toks[k].lower, toks[k + 1].lower) in (("one", "another"), ("each", "other"))
                for k in range(e, obj_m.start - 1)):
            return   # "pledged to defend one another against outside attack": an alliance (ally-mutual), no stance
        if rule.get("predicate") == "holdsStance" and rule.get("stance") == "support" and any(
                toks[k].norm in REFUSED_BETWEEN for k in range(e, obj_m.start)):
            return   # "insists that X is settled and has rejected every offer of mediation": refused, not backed
        if self._yields_to_as(sd, rule, passive, s, obj_m):
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
        if causee == "agent" and not passive:
            # "prompting it to demonstrate … through missile tests": "it" acts
            causee_m = self._right(sd, e, ["actor"], {clause.id}, limit=1)
            if causee_m is not None:
                for om in objects:
                    if "event" in om.readings and not om.agents:
                        om.agents.append(causee_m)
        # rule-specific predicate
        as_pred = None
        as_policy = None
        if rule.get("as"):
            as_from = max(obj_m.end, e, subj_m.end if passive and subj_m is not None else 0)
            as_pred, as_policy, _ = self._as_complement(sd, rule, as_from, s)
            if as_pred is None:
                return
        frame = VerbFrame(sd, out, rule, s, e, subjects, recipient)
        for sm in subjects:
            skind = self._fits(sm, skinds)
            for om in objects:
                okind = self._fits(om, okinds)
                if okind is None or skind is None:
                    continue
                self._emit_verb(frame, sm, skind, om, okind, as_pred, as_policy)

    def _yields_to_as(self, sd, rule, passive, s, obj_m) -> bool:
        """Whether the rule leaves its trigger to the perception rule its predicate names
        (``unless_as``): the trigger is also that rule's, and an "as" complement follows
        the object ("condemned the vote as a provocation")."""
        other = self._predicate_spec(rule.get("predicate")).get("unless_as")
        if not other or rule.get("as") or passive:
            return False
        return any(t[0] == s and t[2] == other for t in sd.triggers) and \
            self._as_complement(sd, self.res.rules[other], obj_m.end, s)[0] is not None

    def _feared_act(self, sd, actor_m, k):
        """The act of ``actor_m`` that a complement clause ("… could launch another attack",
        "… might push south") describes: an event mention with the actor as agent, of the
        class of the first event the clause's verb phrase names (none named: None)."""
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
    OFFER_NOUNS = frozenset(["offer", "proposal", "idea", "suggestion", "plan", "call", "request", "appeal"])

    def _offer_summed_up(self, sd, clause):
        """"Moscow has proposed talks on the archipelago's status, an offer that Oslo has
        rejected": the policy the clause before the summarising noun proposed (a policy, or an
        event that is one: talks are dialogue), for the relative clause's stance on it."""
        toks = sd.toks
        k = clause.start
        if k < 3 or toks[k].lower not in ("that", "which") or toks[k - 1].lower not in self.OFFER_NOUNS or \
                toks[k - 2].lower not in self.SUMMARY_DETS or toks[k - 3].text != ",":
            return None
        before = [m for m in sd.mentions if m.end <= k - 3 and ("policy" in m.readings or (
            "event" in m.readings and self._policy_for_event(self._event_class(m, sd)) is not None))]
        return before[-1] if before else None

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
        avoid |= {entity(a.id) for a in avoid if a.kind in (GOVERNMENT, PUBLIC)}
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
                    if a.kind in (GOVERNMENT, PUBLIC):
                        a = entity(a.id)
                    if a.kind == ENTITY and a not in avoid and a not in actors:
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

    def _refine_object(self, sd, rule, okinds, obj_m, e_obj, before, ids):
        """The object a verb frame found, corrected where the nearest fitting mention is not
        it: a possessor or "of"-phrase inside an unnamed act ("regards China's construction of a
        dam as a threat"), an act the lexicon has no word for, an actor that only names whose
        measure it is ("supported U.N. sanctions"), an actor's act standing for the actor
        ("funded the Kenyan deployment")."""
        toks = sd.toks
        if obj_m is not None and before is not None and "event" in okinds and obj_m.actor_kind():
            if obj_m.end + 1 < before and toks[obj_m.end].lower in ("'s", "’s"):
                # "views China's construction of a dam as a threat": the possessor is not the object;
                # the thing it owns is, when the lexicon knows it ("Ethiopia's memorandum of understanding")
                owned = next((m for m in sd.mentions if obj_m.end < m.start <= obj_m.end + 3 and m.end <= before
                              and m.thing_kind() and "policy" not in m.readings), None)
                obj_m = owned or self._unnamed_event(sd, obj_m.start, before) or obj_m
            elif obj_m.end + 1 < before and toks[obj_m.end].text[:1].islower() and toks[obj_m.end].text.isalpha() and \
                    obj_m.start == e_obj:
                # "see Chinese port and research projects as a threat": a demonym before nouns the
                # lexicon does not know names whose act it is, not the object
                obj_m = self._unnamed_event(sd, obj_m.start, before) or obj_m
            elif obj_m.start > e_obj + 1 and toks[obj_m.start - 1 - (toks[obj_m.start - 1].lower == "the")].lower == "of":
                # "regards the enlargement of the Alliance as a threat": nor is the "of"-phrase
                obj_m = self._unnamed_event(sd, e_obj, before) or obj_m
        if obj_m is None and before is not None and "event" in okinds:
            # "regards the enlargement of the Alliance as a threat": an act the lexicon has no
            # word for is still an event, done by the actors the phrase names
            obj_m = self._unnamed_event(sd, e_obj, before)
        if obj_m is not None and okinds == ["actor"] and obj_m.end < len(toks) and any(
                m.start == obj_m.end and (m.thing_kind() or "policy" in m.readings) for m in sd.mentions):
            obj_m = None   # "supported U.N. sanctions on North Korea": the actor names whose measure it is
        if obj_m is None and rule.get("object_event_agents"):
            # "funded most of the Kenyan deployment", "backs Russia's war": the one whose act it is
            em = self._right(sd, e_obj, ["event"], ids, limit=5)
            if em is not None and not em.antecedent and "policy" not in em.readings and \
                    not self.d.classes.is_a(self._event_class(em, sd), "DiplomaticTalks"):
                # (talks are the parties' shared act: "supported the Saudi-Houthi talks" is no one's side;
                # "supported U.N. sanctions" is a stance on sanctions)
                obj_m = next((a for a in em.agents if isinstance(a, Mention) and a.actor_kind()), None)
                fixed = [a for a in em.agents if not isinstance(a, Mention) and hasattr(a, "kind")]
                if obj_m is None and fixed:
                    # a demonym's state ("the Kenyan deployment"), as a mention of its own
                    obj_m = Mention(em.start, em.end, em.end, {"actor": fixed[:1]}, sentence=sd.index)
        return obj_m

    @staticmethod
    def _event_before_trailer(sd, clause):
        """"held naval exercises in the Arabian Sea a few weeks later, which Islamabad described as a
        provocation": the act the relative clause speaks of, before a place or time phrase that ends
        the clause it is attached to (no comma, verb or other act between); None without one."""
        toks = sd.toks
        for m in reversed(sd.mentions):
            if m.end > clause.start:
                continue
            if clause.start - m.end > 10:
                return None
            if "event" in m.readings:
                blocked = any(toks[k].text in (";", ":") or k in sd.trigger_toks or
                              (toks[k].text == "," and k != clause.start) for k in range(m.end, clause.start))
                return None if blocked else m
            in_place = any(toks[k].lower in ("in", "near", "off", "at", "on") for k in range(max(0, m.start - 2), m.start))
            if m.actor_kind() and not in_place:
                return None   # an actor that is no place ("… criticised Pakistan, which …"): no reaching past it
        return None

    @staticmethod
    def _bare_complement_start(sd, rule, e):
        """Where the bare predicative complement of "call / consider / deem X a threat" begins: the
        "a"/"an" whose phrase holds one of the rule's complement words; None without one."""
        toks = sd.toks
        words = {w for ws in rule["as"].values() if isinstance(ws, list) for w in ws if " " not in w}
        for j in range(e + 1, min(len(toks) - 1, e + 12)):
            if sd.tok_clause[j] != sd.tok_clause[e - 1] or toks[j].text in (",", ";", ":"):
                return None
            if toks[j].lower in ("a", "an") and any(toks[k].lower in words for k in range(j + 1, min(len(toks), j + 5))):
                return j
        return None

    def _unnamed_subject(self, sd, clause, s):
        """The subject noun phrase of the verb at ``s`` (its clause's words before it, past a
        leading conjunction and without auxiliaries, modals and adverbs) as an unnamed event;
        None where it is no such phrase."""
        toks = sd.toks
        if clause.kind not in ("main", "coordinate", "complement"):
            return None
        start = clause.start
        while start < s and toks[start].lower in CLAUSE_OPENERS and not (start == 0 and toks[start].lower == "that"):
            start += 1   # (a sentence's first "That" is a determiner: "That insinuation deepened …")
        end = s
        while end > start and toks[end - 1].lower in VERB_GROUP_WORDS:
            end -= 1
        if end - start > 3 and toks[end - 1].text == ",":
            # "A fresh auction by Mogadishu, however, could reignite …": past a short aside
            opening = next((k for k in range(end - 2, max(start, end - 5), -1) if toks[k].text == ","), None)
            if opening is not None:
                end = opening
        aux = next((k for k in range(start, end) if toks[k].lower in FINITE_AUX), None)
        if aux is not None:
            if toks[end - 1].lower != "and":
                return None   # a clause: "the Government has therefore decided to increase …"
            end = aux         # "A reduction of KFOR could embolden armed groups and increase …": its subject
        if end <= start or any(toks[k].text in (",", ";", ":") for k in range(start, end)):
            return None
        if all(toks[k].lower in ("the", "and", "both") or (sd.tok_mention[k] is not None and sd.tok_mention[k].actor_kind())
               for k in range(start, end)):
            return None   # "The UAE and Iran have restored relations": actors, not an act
        return self._unnamed_event(sd, start, end, bare=True)

    def _unnamed_event(self, sd, start: int, end: int, bare: bool = False):
        """The noun phrase ``toks[start:end]`` (between a perception verb and its "as") as an event
        of no narrower class: "the enlargement of the Alliance", "China's construction of a
        very large dam", "these incidents". Its actors are those the phrase names (a possessor,
        an "of"-phrase, a demonym). None for a pronoun, a clause, or a phrase of more than
        twelve words."""
        toks = sd.toks
        # "the enlargement of the Alliance and the Allied presence": the first conjunct
        end = next((k for k in range(start + 2, end - 1) if toks[k].lower == "and" and
                    toks[k + 1].lower in UNNAMED_EVENT_DETERMINERS), end)
        words = [t for t in toks[start:end] if t.text not in (",",)]
        # a name's possessive opens it too ("China's construction", "the Islamic State's grip")
        poss = next((k for k in range(start + 1, min(end, start + 5)) if toks[k].lower in ("'s", "’s")), None)
        named = poss is not None and all(t.text[:1].isupper() or t.lower == "the" for t in toks[start:poss])
        # and a demonym before a noun the lexicon does not know ("regards Russian mapping of undersea
        # cables as a threat"): that demonym's state is the act's agent
        # (read as an actor of its own or not, after a determiner or not: "see Chinese port and research
        # projects as a threat", "regards such Chinese projects as a threat")
        dem_at = start + 1 if toks[start].lower in UNNAMED_EVENT_DETERMINERS and start + 1 < end else start
        demonym = next(((e0, aid) for s0, e0, kind, aid in sd.entity_hits if kind == "demonym" and s0 == dem_at
                        and (sd.tok_mention[dem_at] is None or sd.tok_mention[dem_at].actor_kind())
                        and e0 < end and toks[e0].text[:1].islower()), None)
        named = named or demonym is not None
        # a subject may also be a bare noun phrase or a gerund's ("Budget cuts could erode …",
        # "Shooting down a Russian jet could raise tensions"); an object of "regards" may not
        first = sd.tok_mention[start]
        bare = bare and words[0].lower not in NO_ACT_STARTS and (words[0].text[:1].islower() or start == 0) and not (
            first is not None and first.start == start and first.actor_kind())   # ("al-Shabaab continues to …")
        if len(words) < 2 or len(words) > 12 or words[0].lower not in UNNAMED_EVENT_DETERMINERS and not named \
                and not bare:
            return None
        if any(t.lower in ("that", "which", "who") or (t.lower == "to" and k + 1 < end and toks[k + 1].lower not in (
                "the", "a", "an", "its", "their", "his", "her") and toks[k - 1].lower not in NOUNS_BEFORE_TO)
                for k, t in enumerate(toks[start:end], start)):
            return None   # a clause or an infinitive ("references to the use of force", "return to power": phrases)
        inside = [m for m in sd.mentions if start <= m.start and m.end <= end]
        if any(not m.actor_kind() and set(m.readings) - {"region", "policy"} for m in inside):
            return None   # a phrase the lexicon reads (a capability, an event): not this fallback
        # the head noun: the last word before the first preposition ("the memorandum of understanding
        # with X": memorandum; "the enlargement of the Alliance": enlargement)
        first_prep = next((k for k in range(start + 1, end) if toks[k].lower in HEAD_ENDERS), end)
        head = next((t for t in reversed(toks[start:first_prep]) if t.text[:1].islower() and t.lower not in (
            "of", "the", "'s", "’s")), None)
        if head is None or head.lower in UNNAMED_EVENT_NOT_HEADS:
            return None
        # (a policy's holder too: "regards Serbia's rearmament as a threat")
        agents = [m for m in inside if m.actor_kind()] + [h for m in inside if "policy" in m.readings for h in m.holder]
        if demonym is not None:
            agents.insert(0, Mention(dem_at, demonym[0], demonym[0], {"actor": [entity(demonym[1])]}, sentence=sd.index))
        return Mention(start=start, end=end, head_end=end, readings={"event": "Event"},
                       agents=agents, head=head.lower, sentence=sd.index)

    def _find_word(self, sd, start, word, clause_limit=True):
        c = sd.tok_clause[start - 1] if start > 0 else 0
        for k in range(start, len(sd.toks)):
            if sd.toks[k].lower == word:
                return k
            if clause_limit and sd.tok_clause[k] != c and sd.toks[k].lower not in (",",):
                return None
        return None

    def _policy_after(self, sd, k, ids):
        """A policy after token ``k`` in a coordinated infinitive ("… and to resolve them through
        talks") of the same complement, with no reversal verb before it; else None."""
        toks = sd.toks
        end = min(len(toks), k + 12)
        # "… and to resolve …", or a bare verb after "and" ("to end the violence and return to dialogue")
        j = next((x for x in range(k, end - 1) if toks[x].lower == "and" and (
            toks[x + 1].lower == "to" or (sd.tok_mention[x + 1] is None and toks[x + 1].text.isalpha()
                                          and toks[x + 1].lower not in ("the", "a", "an", "its", "their")))), None)
        if j is None:
            return None
        first = j + 2 if toks[j + 1].lower == "to" else j + 1
        ids2 = ids | {sd.tok_clause[x] for x in range(k, end)}
        m = self._right(sd, first, ["policy"], ids2, limit=10, through_to=True)
        if m is None or any(toks[x].norm in REVERSAL_VERBS for x in range(first, m.start)):
            return None
        return m

    @staticmethod
    def _coordinated_purpose(sd, e, start) -> bool:
        """The reversal verb before ``start`` belongs to an earlier coordinated infinitive ("to stop
        the fighting and to resolve …", "to end the violence and return to dialogue"): the last
        "and (to)" before ``start`` comes after it."""
        toks = sd.toks
        last_and_to = max((x for x in range(e, start - 1) if toks[x].lower == "and" and (
            toks[x + 1].lower == "to" or sd.tok_mention[x + 1] is None)), default=None)
        if last_and_to is None:
            return False
        return not any(toks[x].norm in REVERSAL_VERBS for x in range(last_and_to, start))


# nouns whose "to" opens a noun phrase, not an infinitive ("the Taliban's return to power")
NOUNS_BEFORE_TO = frozenset("return access transition approach response threat path visit visits trip move shift "
                            "turn accession entry".split())


def _trigger_lemma(toks, s, e) -> str:
    """The trigger's words as lemmas, every form of "be" as "be" ("is ready to": "be ready to")."""
    return " ".join("be" if t.norm in BE_FORMS else t.norm for t in toks[s:e])
