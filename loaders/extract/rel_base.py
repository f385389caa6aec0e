"""What every relation rule shares: the claim it emits (with the corrections
every predicate needs), and the YAML entities of the mentions in its slots."""

from __future__ import annotations

from .actor import ENTITY, GOVERNMENT, GROUP, PUBLIC, Actor, GroupActor
from .entities import Mention, Ref
from .modality import hedged_only_by_would, modality_at
from .proposal import Proposal
from .rel_slots import Slots

# deontic modals of a recommendation ("the U.S. should press …", "Tokyo must refuse …")
RECOMMEND = frozenset(["should", "ought", "must"])



# predicates whose subject brings something about: an event or a situation, never a capability
EFFECTS = frozenset(["increases", "decreases", "causes", "triggers", "respondsTo"])

# the slot of an event's description that each role predicate states
ROLE_SLOTS = {"hasAgent": "agents", "hasParticipant": "participants", "targets": "targets"}

class FixedActor:
    """An Actor placed into an event's slot after resolution."""

    def __init__(self, actor):
        self.actor = actor


def actor_yaml(a: Actor | GroupActor | None, d):
    """The YAML entity form of an actor (``d``: the Discourse, which knows the new actors)."""
    if a is None:
        return None
    if a.kind == ENTITY:
        new = getattr(d, "new_actors", None)
        if new is not None and a.id not in d.res.actors:
            ent = new.entity(a.id)
            if ent is not None:
                return dict(ent)
            return None   # a name the text uses but that was never proposed as an actor (a person's): no claim names it
        return a.id
    if a.kind in (GOVERNMENT, PUBLIC):
        known = d.res.actors.get(a.id)
        if known is None:
            return None   # "Paul Biya's government": a person's, or a new actor's, is no state's government
        if known.cls == "NonStateArmedGroup":
            return a.id   # "the Taliban authorities in Kabul": the group itself
        return {"government": a.id} if a.kind == GOVERNMENT else {"public": a.id}
    if a.kind == GROUP:
        out = {"group": a.id, "label": a.label}
        if a.members:
            out["members"] = [actor_yaml(x, d) for x in a.members]
        return out
    return None


class RuleBase(Slots):
    """The state and helpers of the relation rules (the mixins of ``Relations`` build on it)."""

    def __init__(self, res, discourse, to_entity):
        self.res = res
        self.d = discourse
        self.to_entity = to_entity   # (mention, kind, sd) -> YAML entity or None

    def claim(self, out, sd, rule_id, subj, pred, obj, span, tok, modality=None, habitual=None):
        if subj is None or obj is None:
            return
        if pred == "holdsStance" and any(t.lower in RECOMMEND for t in sd.toks[max(0, tok - 4):tok]):
            return   # "Tokyo should refuse to talk": the writer's recommendation, not the actor's stance
        if pred in ("perceivesAsThreat", "perceivesAsProvocation", "holdsStance") and isinstance(subj, str) and \
                subj in getattr(sd, "junta_states", ()):
            subj = {"government": subj}   # "the junta regards …": the state's government perceives
        if pred in ("hasAgent", "hasParticipant", "targets"):
            obj = state_of_government(obj)   # an event's actor is the state, as inside the event itself
        if pred in ("cooperatesWith", "allyOf") and any(isinstance(x, dict) and "public" in x for x in (subj, obj)):
            return   # "public support for NATO", "most Finns back closer cooperation": a stance, not cooperation
        if pred in ("cooperatesWith", "allyOf"):
            # a state's partner is the state: "support the military governments of Mali" is
            # cooperation with Mali (a government stays where it opposes its own state's groups)
            subj, obj = state_of_government(subj), state_of_government(obj)
        if pred == "targets" and isinstance(subj, dict) and obj in (subj.get("agents") or []):
            return   # an act aimed at its own agent is a misread agent, and could not hold (wellformed.py)
        if pred in EFFECTS and isinstance(subj, dict) and "capability" in subj:
            # "its missile arsenal has raised tension": a capability does nothing; its holder's having or
            # acquiring it does (the well-typed reading: an event of the holder's)
            holder = subj.get("holder")
            subj = {"event": "Event", "agents": [holder]} if holder is not None else {"event": "Event"}
        if pred in ("perceivesAsThreat", "perceivesAsProvocation") and isinstance(obj, dict) and "situation" in obj:
            return   # a perceived threat is an actor, an act or a capability, never a state of affairs
        own = _own_state(subj)
        same_state = own is not None and own == _own_state(obj)
        if pred in ("perceivesAsThreat", "perceivesAsProvocation") and same_state:
            return   # (a state's government or public does not perceive its own state as a threat)
        if subj == obj or (pred in ("adversaryOf", "allyOf", "cooperatesWith") and same_state):
            return   # (a state is no adversary or partner of its own government)
        s0, s1 = span
        toks = sd.toks
        start = toks[s0].start
        end = toks[s1 - 1].end
        if modality is None:
            modality, habitual = modality_at(sd, tok)
            if modality == "possible" and pred == "holdsStance" and hedged_only_by_would(sd, tok):
                modality = "asserted"   # "said it would keep up pressure through sanctions": a stance held now
        if modality == "negated" and pred == "holdsStance" and isinstance(obj, dict) and "stance" in obj:
            obj = _denied_stance(sd, tok, obj)
            if obj is None:
                return
            modality = "asserted"   # (the annotators record stances as held, never as negated)
        hedge = self.res.rules.get(rule_id, {}).get("hedge")
        if hedge and modality == "asserted":
            modality = hedge
        if modality == "negated" and pred in ROLE_SLOTS and isinstance(subj, dict) and "event" in subj:
            # "the Houthis did not claim the launch": a denied role must not be part of the event's
            # own description, or the event (named by its class and actors, shared by every
            # document that mentions it) would state what the claim denies
            slot = ROLE_SLOTS[pred]
            if obj in subj.get(slot, []):
                subj = dict(subj)
                rest = [a for a in subj[slot] if a != obj]
                if rest:
                    subj[slot] = rest
                else:
                    del subj[slot]
        out.append(Proposal(sd.index, start, end, subj, pred, obj, modality, bool(habitual), rule_id))

    def _predicate_spec(self, pred) -> dict:
        """How verb rules make claims of ``pred`` (``predicates`` in patterns/relations.yaml)."""
        return self.res.predicates.get(pred, {})

    def _each_actor(self, sd, m) -> list:
        """(mention, actor) for every actor of ``m`` and of the mentions coordinated with it
        ("with Japan and Australia"): one claim each; ``claim`` drops an actor paired with itself."""
        return [(x, b) for x in self._group(sd, m, ["actor"]) for b in self._actor_list(x, sd)]

    def lemma_triggers(self, sd, rule_id):
        """(rule, token index) of every word whose lemma is one of the rule's ``lemmas`` and that no
        mention covers (the trigger scan of the rules written as methods); none when the rule is off."""
        rule = self.res.rules.get(rule_id)
        if rule is None:
            return
        for k, t in enumerate(sd.toks):
            if t.norm in rule["lemmas"] and sd.tok_mention[k] is None:
                yield rule, k

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

    def _event_class(self, m, sd):
        ent = self._thing_entity(m, "event", sd)
        return ent.get("event", "Event") if isinstance(ent, dict) else "Event"

    def _policy_for_event(self, cls):
        for c in self.d.classes.ancestors(cls):
            if c in self.res.as_policy:
                return self.res.as_policy[c]
        return None

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

    @staticmethod
    def _action_mention(sd, start, end, cls):
        """An event mention made for an action a rule finds (its agents are set by the rule)."""
        ev = Mention(start, end, end, {"event": cls})
        ev.verbal = True
        ev.sentence, ev.head, ev.conj = sd.index, " ".join(t.lower for t in sd.toks[start:end]), -1
        return ev

    def _possessor_ref(self, sd, k):
        for m in sd.mentions:
            for slot in (m.agents, m.involves, m.holder):
                for x in slot:
                    if isinstance(x, Ref) and x.tok == k and x.resolved:
                        return [actor_yaml(a, self.d) for a in x.resolved]
        ref = Ref(sd.toks[k].lower, "actor", "sg", k, sd.index)
        resolved = self.d.resolve_actor_ref(ref, sd, getattr(sd, "subject", None))
        return [actor_yaml(a, self.d) for a in resolved]

    def _over(self, sd, k):
        toks = sd.toks
        if k < len(toks) and toks[k].lower == "over":
            m = self._right(sd, k + 1, ["policy"], {sd.tok_clause[k]}, limit=3)
            if m is not None:
                return m.readings["policy"]
        return None


def state_of_government(entity):
    """A YAML actor entity, with a state's government read as the state itself (inside an event,
    and as a partner, a government stands for its state)."""
    if isinstance(entity, dict) and isinstance(entity.get("government"), str):
        return entity["government"]
    return entity


def _own_state(entity):
    """The state a YAML actor entity stands for: its id, or that of the state whose government or
    public it is; None for anything else."""
    if isinstance(entity, str):
        return entity
    if isinstance(entity, dict):
        return entity.get("government") or entity.get("public")
    return None


def _denied_stance(sd, tok, stance):
    """The stance a negated stance claim states: "France does not intend to impose sanctions" opposes
    them; a negation from further off leaves the stance as it is ("refused arbitration, preferring
    bilateral talks"); "has not renounced the use of force", a denied opposition, states none (None)."""
    if stance["stance"] != "support":
        return None
    if any(t.lower in ("not", "n't", "never", "no") for t in sd.toks[max(0, tok - 4):tok]):
        return {**stance, "stance": "opposition"}
    return stance
