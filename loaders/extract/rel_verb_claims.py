"""How a verb rule's subject and object become claims (``_emit_verb``), and
the "as" complement that picks the predicate of a perception verb
("regards X as a threat").

The shape of a claim depends on its predicate: the ``predicates`` table of
``patterns/relations.yaml`` gives each predicate's ``claim`` (actor-pair,
stance, capability, perception); a predicate without one relates the things
its slots name ("the strikes heightened tension")."""

from __future__ import annotations

from dataclasses import dataclass

from .entities import Mention
from .modality import modality_at
from .rel_base import FixedActor, RuleBase, actor_yaml


# what talks settle on: an event of talks, but signing or keeping one is no stance on dialogue
SETTLEMENT_NOUNS = frozenset("""agreement agreements accord accords deal deals rapprochement détente detente
    normalisation normalization thaw""".split())
CALLING_VERBS = frozenset("call urge demand press push seek propose advocate favour favor want".split())
# verbs whose object does the infinitive's act at someone else's wish ("urged Japan to raise")
OBJECT_CONTROL = frozenset("urge press ask push encourage pressure force allow help want expect require persuade lobby".split())


@dataclass
class VerbFrame:
    """A verb rule's trigger with its slots filled: what every claim of the frame shares."""

    sd: object        # the sentence
    out: list         # the sentence's claims so far
    rule: dict
    s: int            # the trigger's tokens: [s, e)
    e: int
    subjects: list    # the subject mentions (a coordination: all of them)
    recipient: object = None   # "give the Houthis the ability": the actor that receives


# adjectives that state a perception as a bare complement ("called the deployment destabilising");
# which perception is in the rule's `as` table
PERCEPTION_ADJECTIVES = frozenset(["threatening", "destabilising", "destabilizing", "dangerous", "provocative",
                                   "escalatory", "reckless"])
DEGREE_ADVERBS = frozenset(["deeply", "highly", "very", "dangerously", "extremely", "increasingly", "particularly"])


class VerbClaims(RuleBase):
    """The claims of a verb frame whose slots are filled (a mixin of ``Relations``)."""

    def _emit_verb(self, f: VerbFrame, sm, skind, om, okind, as_pred, as_policy):
        """The claims of subject ``sm`` (read as ``skind``) and object ``om`` (``okind``);
        ``as_pred`` / ``as_policy``: what an "as" complement picked."""
        rule, sd = f.rule, f.sd
        if rule.get("object_classes") and okind in ("event", "capability"):
            ocls = self._event_class(om, sd) if okind == "event" else \
                self._thing_entity(om, okind, sd).get("capability", "MilitaryCapability")
            if not any(self.d.classes.is_a(ocls, c) for c in rule["object_classes"]):
                return
        if rule.get("swap") and self._only_urged(sd, f.s):
            return   # "invited China to join trilateral talks": China is asked to, it has not joined
        span = (min(sm.start, om.start, f.s), max(sm.end, om.end, f.e))
        if as_pred is not None:
            self._emit_as(f, as_pred, as_policy, sm, om, okind, span)
            return
        if rule.get("perceiver_is_object"):
            self._emit_perceiver_object(f, sm, skind, om, okind, span)
            return
        if rule.get("fixed_policy"):
            self._emit_fixed_stance(f, sm, skind, span)
            return
        pred = rule.get("predicate")
        if rule.get("effect"):
            pred = self._effect(rule["effect"], om, okind, sd)
            if pred is None:
                return
        if rule.get("modifiers") and om.mod and (okind in ("situation", "capability") or om.mod == "increase"):
            pred = "increases" if om.mod == "increase" else "decreases"
        shape = self._predicate_spec(pred).get("claim")
        if shape == "actor-pair":
            self._emit_actor_pairs(f, pred, sm, om, okind, span)
        elif shape == "stance":
            self._emit_stance(f, pred, sm, om, okind, span)
        elif shape == "capability":
            self._emit_capability(f, pred, sm, skind, om, span)
        elif rule.get("swap"):
            self._emit_event_role(f, pred, sm, om, okind, span)
        elif f.recipient is not None and okind == "capability":
            self._emit_given_capability(f, pred, sm, skind, om, span)
        else:
            self._emit_things(f, pred, shape == "perception", sm, skind, om, okind, span)

    def _emit_as(self, f, pred, policy_m, sm, om, okind, span):
        """"X regards Y as a threat": the perceiver's claim on the object, of the predicate
        the complement picked; "X sees dialogue as the way forward": support for the policy."""
        sd, rid = f.sd, f.rule["id"]
        if policy_m is not None:
            policy = policy_m.readings.get("policy")
            for a in self._actor_list(sm, sd):
                self.claim(f.out, sd, rid, a, pred, {"stance": "support", "policy": policy},
                           (span[0], max(span[1], policy_m.end)), f.s)
            return
        span = (span[0], max(span[1], self._as_end(sd, om.end)))
        spec = self._predicate_spec(pred)
        kinds = spec.get("as_objects")
        for a in self._actor_list(sm, sd):
            obj = self._thing_entity(om, okind, sd, perceiver=a)
            if kinds and okind not in kinds:
                continue
            if spec.get("claim") == "actor-pair":
                for b in self._actor_list(om, sd):
                    self.claim(f.out, sd, rid, a, pred, b, span, f.s)
                continue
            self.claim(f.out, sd, rid, a, pred, obj, span, f.s)

    def _emit_perceiver_object(self, f, sm, skind, om, okind, span):
        """"the build-up alarmed Tokyo": the object is the one who perceives the subject."""
        if skind == "actor" or okind != "actor":
            return
        for a in self._actor_list(om, f.sd):
            self.claim(f.out, f.sd, f.rule["id"], a, f.rule.get("predicate"),
                       self._thing_entity(sm, skind, f.sd, perceiver=a), span, f.s)

    def _emit_fixed_stance(self, f, sm, skind, span):
        """"X deploys troops to deter Y": X holds a stance for the policy the verb names."""
        sd, s = f.sd, f.s
        if skind != "actor":
            return
        if s >= 2 and sd.toks[s - 1].lower == "to" and sd.tok_mention[s - 2] is not None:
            return   # "a response to deter": the purpose of that thing, not the subject's stance
        stance = {"stance": f.rule.get("stance", "support"), "policy": f.rule["fixed_policy"]}
        for a in self._actor_list(sm, sd):
            self.claim(f.out, sd, f.rule["id"], a, "holdsStance", stance, span, s)

    def _emit_actor_pairs(self, f, pred, sm, om, okind, span):
        """"X backs Y": one claim per pair of actors; an event object stands for the actors
        it names ("X and Y have fought three wars", "X fought a war with / against Y")."""
        sd, rid = f.sd, f.rule["id"]
        if okind == "event":
            if any(x.actor_kind() for x in sd.mentions if f.e <= x.start < om.start):
                return   # "fought the Houthis in Yemen's civil war": the actor object is the adversary
            mine = [a for x in f.subjects for a in self._actor_list(x, sd)]
            others = [actor_yaml(a, self.d) for x in om.agents + om.participants + om.targets for a in self.d.actors_of(x)]
            others = [b for b in others if b is not None and b not in mine]
            pairs = [(a, b) for a in self._actor_list(sm, sd) for b in others] if others else [
                (mine[i], b) for i in range(len(mine)) for b in mine[i + 1:] if sm is f.subjects[0]]
        else:
            pairs = [(a, b) for a in self._actor_list(sm, sd) for b in self._actor_list(om, sd)]
        for a, b in pairs:
            if a != b:
                self.claim(f.out, sd, rid, a, pred, b, span, f.s)

    def _names_an_act(self, om, sd) -> bool:
        """A phrase that reads as a policy ("strikes", "military action") but names
        acts that happened: it has agents or targets, or an event class other than
        sanctions (condemning sanctions is opposing a policy; condemning strikes is not)."""
        if "event" not in om.readings:
            return False
        if om.agents or om.targets:
            return True
        return not self.d.classes.is_a(self._event_class(om, sd), "SanctionsImposition")

    @staticmethod
    def _names_troops(om, sd) -> bool:
        """"force" is a policy as the use of it ("threatened to use force"); "forces", "a
        regional force" are troops."""
        toks = sd.toks
        last = toks[om.end - 1].lower if om.end else ""
        if last == "forces":
            return True
        return last == "force" and any(toks[k].lower in ("a", "an") for k in range(max(0, om.start - 1), om.end))

    def _emit_stance(self, f, pred, sm, om, okind, span):
        """"X supports sanctions": a stance on the policy the object names (an event: the
        policy its class stands for, ``as_policy`` in events.yaml)."""
        sd = f.sd
        if _inside_a_name(sd.toks, f.s):
            return   # "the African Union Support and Stabilisation Mission": a word of a name, no verb
        if f.rule.get("policy_only") and (okind != "policy" or self._names_an_act(om, sd)):
            return   # "condemned the attack", "condemned the Iranian strikes": no one's policy
        if okind == "policy":
            policy = om.readings["policy"]
            if policy == "military-response" and self._names_troops(om, sd):
                return   # "would support a renewed regional force", "Forces loyal to …"
            if om.end - om.start == 1 and om.end < len(sd.toks) and sd.toks[om.end].lower in ("a", "an", "the"):
                return   # "vowed to strike a deal": a verb with its object, not the policy "strike"
        else:
            if (om.head or "").split(" ")[-1] in SETTLEMENT_NOUNS and sd.toks[f.s].norm not in CALLING_VERBS:
                return   # "declined to sign security agreements", "pursued trade deals": no stance on talks
                         # (but "called for a binding agreement" asks for one to be negotiated)
            cls = self._event_class(om, sd)
            policy = self._policy_for_event(cls)
            if policy is None and cls == "MilitaryDeployment" and (om.head or "").split(" ")[-1] in OUTSIDE_MISSIONS:
                policy = "international-cooperation"   # "has backed the mission", "rejects the mission"
            if policy is None:
                return
        if policy not in f.rule.get("object_policies", (policy,)):
            return   # "has increased sanctions" is no stance taken by building up
        if f.rule.get("own_decision") and not self._own_decision(sd, sm, f.s):
            return
        stance = {"stance": f.rule.get("stance", "support"), "policy": policy}
        if _denied_policy(sd.toks, om):
            # "insisted that there can be no talks", "insist that no dialogue can begin": the contrary stance
            stance["stance"] = "opposition" if stance["stance"] == "support" else "support"
        over = self._over(sd, om.end)
        if over:
            stance["over"] = over
        for a in self._actor_list(sm, sd):
            self.claim(f.out, sd, f.rule["id"], a, pred, stance, span, f.s)

    @staticmethod
    def _own_decision(sd, sm, s) -> bool:
        """The subject does the act by its own choice: not "urged Japan to raise its defence
        spending" (someone else's wish), not "Israel should invest in air defence" (the
        writer's advice), and the subject comes before the verb ("it would strengthen the
        organization's deterrence" is no stance of the organisation)."""
        toks = sd.toks
        if sm.start > s or any(t.lower == "should" for t in toks[sm.end:s]):
            return False
        if s > 0 and toks[s - 1].lower == "to" and sm.start > 0 and toks[sm.start - 1].norm in OBJECT_CONTROL:
            return False
        return True

    def _emit_capability(self, f, pred, sm, skind, om, span):
        """"X has ICBMs": the capability held by the subject; a capability or event subject
        stands for its holders or agents ("X's missile programme has made strides in …")."""
        sd = f.sd
        holders = self._actor_list(sm, sd)
        if skind in ("capability", "event"):
            slots = sm.holder if skind == "capability" else sm.agents
            holders = [y for x in slots for y in (actor_yaml(a, self.d) for a in self.d.actors_of(x)) if y]
        cls = om.thing_behind("capability").readings.get("capability")   # ("it" standing for one)
        if cls is None:
            return
        for a in holders:
            cap = {"capability": cls, "holder": a}
            self.claim(f.out, sd, f.rule["id"], a, pred, cap, span, f.s)

    def _solo_exercise(self, f, om, named) -> bool:
        """"Vietnam held naval exercises near Phu Quoc", "Chinese warships conducted live-fire
        drills": one named actor's own exercise -- not a joint one, whose sides are participants."""
        sd = f.sd
        if named != 1 or any(x.ref is not None or not x.actor_kind() for x in f.subjects) or om.participants:
            return False
        cls = self._event_class(om, sd)
        if cls is None or self.d.classes.is_a(cls, "JointMilitaryExercise"):
            return False
        toks = sd.toks
        return not any(t.lower in ("joint", "bilateral", "combined", "with", "alongside")
                       for t in toks[om.start:min(len(toks), om.end + 1)])

    URGING_VERBS = frozenset("urge invite ask press encourage persuade pressure push".split())

    def _only_urged(self, sd, s) -> bool:
        """The verb at ``s`` is the infinitive after "urged / invited / asked / called on <actor>":
        what someone wants that actor to do, not what it did."""
        toks = sd.toks
        asked = sd.tok_mention[s - 2] if s >= 2 and toks[s - 1].lower == "to" else None
        if asked is None or asked.end != s - 1 or asked.start < 1 or not asked.actor_kind():
            return False
        k = asked.start - 1
        if toks[k].lower == "on" and k > 0:   # "called on China to join"
            k -= 1
            return toks[k].norm == "call"
        return toks[k].norm in self.URGING_VERBS

    def _emit_event_role(self, f, pred, sm, om, okind, span):
        """A ``swap`` rule ("X launched an attack", "X joined the patrols"): the event is the
        subject of the claim, the actor its object."""
        sd, rule, subjects = f.sd, f.rule, f.subjects
        named = sum(len(self._actor_list(x, sd)) for x in subjects)   # ("Turkish and Azerbaijani forces": two)
        if rule.get("min_subjects") and (named < rule["min_subjects"] or any(
                x.ref is not None or not x.actor_kind() for x in subjects)) and not self._solo_exercise(f, om, named):
            return   # "Japan and the U.S. held …": named co-agents only
        actors = self._actor_list(sm, sd)
        if okind != "event" or getattr(om, "reciprocal", False):
            return   # (the sides of "the exercises that X held with Y" are its participants: reciprocal_rule)
        spec = self._predicate_spec(pred)
        have = {a for x in om.agents + om.participants for a in self.d.actors_of(x)}
        named_parts = []
        if spec.get("joined_in"):
            self._add_joined(f, sm, om, have)
            # "Serbian troops took part in joint exercises with Russian and Belarusian forces",
            # "Japan and New Zealand have joined American-led exercises": the joiner is a
            # participant of the event too, and so is every side the phrase names
            joined = modality_at(sd, f.s)[0] != "negated"
            named_parts = [a for x in om.participants if isinstance(x, Mention) and x.ref is None
                           for a in self._actor_list(x, sd)] if joined else []
            for x in ((f.subjects or [sm]) if joined else []):
                for a in self.d.actors_of(x):
                    if a not in have:
                        om.participants.append(FixedActor(a))
                        have.add(a)
        if spec.get("subject_is_agent"):
            # every coordinated subject is an agent of the one event ("mediated by Qatar and Turkey")
            for x in (f.subjects or [sm]):
                for a in self.d.actors_of(x):
                    if a not in have:
                        om.agents.append(FixedActor(a))
                        have.add(a)
        ev = self._thing_entity(om, okind, sd)
        classes = rule.get("claim_classes")
        if classes and not any(self.d.classes.is_a(ev.get("event", "Event"), c) for c in classes) and \
                ev.get("event") not in rule.get("claim_exact", ()):
            return
        if ev.get("event") in rule.get("claim_exact", ()) and om.targets:
            return   # "launched an assault on Tskhinvali": the targets claim names the attacker already
        for a in actors + [b for b in named_parts if b not in actors]:
            self.claim(f.out, sd, rule["id"], ev, pred, a, span, f.s)

    def _add_joined(self, f, sm, om, have):
        """"joined the Philippines and the U.S. in joint patrols": those joined take part too."""
        sd, e = f.sd, f.e
        k_in = next((j for j in range(om.start - 1, max(e, om.start - 4) - 1, -1) if sd.toks[j].lower == "in"), None)
        if k_in is None or not all(t.text[:1].islower() for t in sd.toks[k_in + 1:om.start]):
            return
        for x in sd.mentions:
            if e <= x.start and x.end <= k_in and x.actor_kind() and sd.tok_clause[x.start] == sd.tok_clause[f.s]:
                for a in self.d.actors_of(x):
                    if a not in have and a not in self.d.actors_of(sm):
                        om.participants.append(FixedActor(a))
                        have.add(a)

    def _emit_given_capability(self, f, pred, sm, skind, om, span):
        """"the deal gave the Houthis the ability to …": the thing raises the capability of the
        recipient."""
        sd, recipient = f.sd, f.recipient
        holder = self._actor_list(recipient, sd)
        obj = {"capability": om.readings["capability"]}
        if holder:
            obj["holder"] = holder[0]
        span = (min(span[0], recipient.start), max(span[1], recipient.end))
        self.claim(f.out, sd, f.rule["id"], self._thing_entity(sm, skind, sd), pred, obj, span, f.s)

    def _emit_things(self, f, pred, perception, sm, skind, om, okind, span):
        """A relation between the things the slots name ("the strikes heightened tension");
        an actor subject only perceives (``perception``: "Japan fears the build-up")."""
        sd, rid = f.sd, f.rule["id"]
        if skind == "actor" or (okind == "actor" and not perception):
            if skind == "actor" and perception:
                for a in self._actor_list(sm, sd):
                    self.claim(f.out, sd, rid, a, pred, self._thing_entity(om, okind, sd, perceiver=a), span, f.s)
            return
        subj = self._thing_entity(sm, skind, sd)
        obj = self._thing_entity(om, okind, sd)
        if subj is None or obj is None:
            return
        self.claim(f.out, sd, rid, subj, pred, obj, span, f.s)

    def _as_complement(self, sd, rule, obj_end, trig):
        toks = sd.toks
        obj_end = self._past_parenthesis(sd, obj_end)
        k = obj_end
        # skip to "as" (at most 4 tokens; up to 10 over a post-modifier without a
        # clause boundary: "described the trip by House Speaker X in 2022 as …")
        k = None
        for j in range(obj_end, min(len(toks), obj_end + 11)):
            if toks[j].lower == "as":
                k = j
                break
            if j >= obj_end + 4 and (toks[j].lower in (",", ";", ":", "and", "but", "which", "that", "who") or
                                     sd.tok_clause[j] != sd.tok_clause[max(obj_end - 1, 0)]):
                break
        if k is None:
            # no "as": "called the drills a threat, and …" (the bare complement, for the verbs that take one)
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
                limit = max(limit, j + 6)   # (the second one read whole: "… and a dangerous provocation")
                continue   # "as a terrorist organization and a threat": coordinated complements
            if w in ("and", "or") and j + 2 < len(toks) and toks[j + 1].text.isalpha() and toks[j + 1].text.islower() \
                    and toks[j + 1].lower not in ("the", "its", "their", "as", "which", "that", "has", "is", "was") \
                    and toks[j + 2].text.isalpha() and toks[j + 2].text.islower():
                continue   # "as a grave and imminent threat": coordinated adjectives
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
        # the first complement decides ("a provocation and a risk to civil aviation": a provocation)
        found = []
        for pred, phrases in rule["as"].items():
            if phrases == "policy":
                m = self._right(sd, k + 1, ["policy"], {sd.tok_clause[k]}, limit=5)
                first = min((at for _, at, _ in found), default=None)
                if m is not None and m.start < end and (first is None or first > text.find(f" {toks[m.start].norm} ")):
                    # (inside the complement, and before any perception: not "regards the patrols as a
                    # threat to its jurisdiction", "called the drills a threat and the talks stalled")
                    return "holdsStance", m, end
                continue
            # a noun decides before an adjective ("as a dangerous provocation" is a provocation)
            for rank, group in ((0, [p for p in phrases if p not in PERCEPTION_ADJECTIVES]),
                                (1, [p for p in phrases if p in PERCEPTION_ADJECTIVES])):
                at = [i for p in group for i in (text.find(f" {p} "), low.find(f" {p} ")) if i >= 0]
                if at:
                    found.append((rank, min(at), pred))
        if found:
            return min(found)[2], None, end
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
            if j == obj_end and toks[j].lower == "the" and self._definite_complement(sd, rule, j):
                return j - 1   # "calls China the most persistent cyber threat"
            if j == obj_end and toks[j].lower in PERCEPTION_ADJECTIVES or (
                    j == obj_end + 1 and toks[j - 1].lower in DEGREE_ADVERBS and toks[j].lower in PERCEPTION_ADJECTIVES):
                return obj_end - 1   # "called the deployment (deeply) destabilising"
            if not toks[j].text[:1].isalpha() or sd.tok_clause[j] != sd.tok_clause[trig]:
                return None
        return None

    @staticmethod
    def _definite_complement(sd, rule, k) -> bool:
        """"considers Russia the greatest threat", "called China the most active and persistent
        cyber threat": a definite complement counts when one of the rule's ``as`` nouns ends it
        within a few words of the same clause (not "called the talks the best chance")."""
        toks = sd.toks
        nouns = {p for phrases in rule["as"].values() if phrases != "policy" for p in phrases if " " not in p}
        for j in range(k + 1, min(len(toks), k + 8)):
            if not toks[j].text[:1].isalpha() or sd.tok_clause[j] != sd.tok_clause[k]:
                return False
            if toks[j].norm in nouns or toks[j].lower in nouns:
                return True
        return False

    @staticmethod
    def _past_parenthesis(sd, k):
        """"regards the TTP, whose fighters shelter in Afghanistan, as …", "regard Russia, and not
        only Azerbaijan, as …": the "as" after a stretch between commas that starts at ``k``."""
        toks = sd.toks
        if k < len(toks) and toks[k].lower == ",":
            j = next((x for x in range(k + 1, min(len(toks) - 1, k + 15)) if toks[x].lower in (",", ";")), None)
            if j is not None and toks[j].lower == "," and toks[j + 1].lower == "as":
                return j + 1
        return k

    def _as_end(self, sd, k):
        """The end of the complement after the object ending at ``k``: "as a threat", or the
        bare "a threat" / "(deeply) destabilising" (quoted with the claim)."""
        toks = sd.toks
        k = self._past_parenthesis(sd, k)
        for j in range(k, min(len(toks), k + 5)):
            bare = j == k and (toks[j].lower in ("a", "an") or toks[j].lower in PERCEPTION_ADJECTIVES or (
                toks[j].lower in DEGREE_ADVERBS and j + 1 < len(toks) and toks[j + 1].lower in PERCEPTION_ADJECTIVES))
            if toks[j].lower == "as" or bare:
                end = j + 1
                for jj in range(j + 1, min(len(toks), j + 6)):
                    if toks[jj].lower in (",", ";", ".", "to", "and", "because", "for", "which", "but"):
                        break
                    end = jj + 1
                return end
        return k

    def _effect(self, effect, om, okind, sd):
        if okind == "region":
            return "decreases" if effect == "harm" else None
        pol = self.res.polarity.get(om.readings.get("situation"), "-") if okind == "situation" else "+"
        if effect == "raise":
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


def _inside_a_name(toks, k) -> bool:
    """Token ``k`` is a capitalised word inside a sentence (not after a colon or a quote): part of a name."""
    word = toks[k].text
    return k > 0 and word[:1].isupper() and not word.isupper() and toks[k - 1].text not in (":", "\"", "“")


# a deployment others send, which backing or rejecting is a stance on outside help ("has consistently
# backed the mission", "would support a renewed regional force"); not one's own troops or "forces"
OUTSIDE_MISSIONS = frozenset(["mission", "force"])


# a modal denied after the policy noun: "insists that talks cannot take place while …"
DENIED_MODALS = (("cannot",), ("can't",), ("can", "not"), ("will", "not"), ("won't",), ("would", "not"),
                 ("could", "not"), ("must", "not"), ("should", "not"))


def _denied_policy(toks, m) -> bool:
    """The policy noun phrase ``m`` opens with "no" ("no talks", "no military solution"), or is the
    subject of a denied modal ("talks on a lasting ceasefire cannot succeed while …")."""
    first = toks[m.start].lower if m.start < len(toks) else ""
    if first == "no" or (m.start > 0 and toks[m.start - 1].lower == "no"):
        return True
    words = [t.lower for t in toks[m.end:m.end + 8]]
    for j, w in enumerate(words):
        if w in (",", ";", "and", "but", "that", "which", "while", "because"):
            return False
        if any(tuple(words[j:j + len(d)]) == d for d in DENIED_MODALS):
            return True
    return False
