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
* ``transfer-noun``: goods changing hands in a noun phrase ("China's transfers of
  jets to Pakistan", "Chinese-made fighters" used by Y) and ``copula`` suppliers
  ("X is Y's main arms supplier") are cooperation.
* ``over`` / ``after``: a measure taken for an act or right after another side's
  hostile act responds to it ("sanctions on Moscow for its invasion", "dispatched a
  carrier group after the missile test").
* ``armed-adjective`` / ``mutual``: "nuclear-armed Pakistan" holds the capability;
  "pledged to defend one another" makes allies.

Arguments shared by all frames: a summarising apposition ("…, a step that X
regards as a threat") stands for the preceding clause's event (``_summary``);
an event noun that is only advocated or opposed ("called for sanctions on X")
gives no targets or cooperation claim (``_stance_object``).

The rules are split by type into mixins, one module each:

* ``rel_slots.py``: slot finding (clauses, nearest fitting mentions, passive, subjects)
* ``rel_base.py``: claim emission and the YAML entities of mentions (``actor_yaml``)
* ``rel_verb.py`` / ``rel_verb_claims.py``: verb frames, and the claims they make
* ``rel_transfer.py``: transfer, sign, mediate, backed, transfer nouns
* ``rel_response.py``: respond, prep, over, after
* ``rel_nominal.py``: nominal, copula
* ``rel_shift_time.py``: shift, time
* ``rel_verbal_events.py``: verbal-event
* ``rel_special.py``: contrast (rather than), reported threat, arsenal, group, armed adjective, mutual defence
"""

from __future__ import annotations

from . import pair_model
from .entities import modifier_is_verb
from .rel_base import actor_yaml
from .rel_nominal import NominalRules
from .rel_reciprocal import ReciprocalRules
from .rel_response import ResponseRules
from .rel_shift_time import ShiftTimeRules
from .rel_slots import ADVERBS_OK, PARTICIPLE_IRREGULAR
from .rel_special import SpecialRules
from .rel_transfer import TransferRules
from .rel_verb import VerbRules
from .rel_verbal_events import VerbalEventRules

# adverbs between an auxiliary "have" and its participle ("have long regarded", "has since restricted")
AUX_ADVERBS = frozenset("""since already recently just now ever also previously gradually steadily quietly openly
    reportedly allegedly effectively consistently almost certainly probably likely possibly""".split())


# nouns that trigger a rule after a possessive (the possessor is the subject)
NOMINAL_TRIGGERS = frozenset(["readiness", "willingness"])
# "rejected calls for mediation", "dismissed demands for talks": after a verb of refusal these are
# nouns (others' calls), not the subject's own calling for something
CALL_NOUNS = frozenset(["calls", "call", "demands", "demand", "appeals", "appeal", "pleas", "plea"])
REFUSAL_VERBS = frozenset(["reject", "dismiss", "ignore", "rebuff", "spurn", "resist", "oppose", "deny", "refuse"])


# the slots of an event, situation or capability that hold actors
ACT_SLOTS = ("agents", "participants", "targets", "holder", "involves")


class Relations(VerbRules, TransferRules, ResponseRules, NominalRules, ShiftTimeRules, VerbalEventRules, SpecialRules,
                ReciprocalRules):
    """All relation rules of one extraction run: ``run(sd)`` gives a sentence's claims."""

    # the method of each rule type that a trigger (a lemma or pattern) starts
    TRIGGER_RULES = {"verb": "verb_rule", "time": "time_rule", "shift": "shift_rule", "respond": "respond_rule",
                     "transfer": "transfer_rule", "mediate": "mediate_rule", "sign": "sign_rule"}
    # the method of each rule type that a phrase starts
    PHRASE_RULES = {"prep": "prep_rule", "nominal": "nominal_phrase_rule"}

    def run(self, sd) -> list:
        """The sentence's claims (``proposal.Proposal``). The verbal events come first (they
        are event mentions the other rules read), the rules that read claims ("rather than") last."""
        out: list = []
        self.verbal_events(sd, out)
        self.relative_sides(sd)
        self.relative_acts(sd, out)
        for table, found in ((self.TRIGGER_RULES, self._select_triggers(sd)), (self.PHRASE_RULES, sd.rphrases)):
            for s, e, rule_id, _ in found:
                rule = self.res.rules[rule_id]
                method = table.get(rule["type"])
                if method is not None:
                    getattr(self, method)(sd, out, rule, s, e)
                other = self.res.rules.get(rule.get("also_as", ""))
                if other is not None and table.get(other["type"]) is not None:
                    # "The United States responded to the test by imposing sanctions": the longer
                    # trigger ("respond to", an event's) hides the actor's ("respond") at the same word
                    getattr(self, table[other["type"]])(sd, out, other, s, s + 1)
        self.nominal_rules(sd, out)
        self.copula_rules(sd, out)
        self.group_rules(sd, out)
        self.backed_rule(sd, out)
        self.transfer_noun_rule(sd, out)
        self.punished_for_rule(sd, out)
        self.after_rule(sd, out)
        self.prompted_to_rule(sd, out)
        self.arsenal_rule(sd, out)
        self.armed_adjective_rule(sd, out)
        self.armed_predicate_rule(sd, out)
        self.mutual_defence_rule(sd, out)
        self.reciprocal_rule(sd, out)
        self.each_other_rule(sd, out)
        self.cooperate_together_rule(sd, out)
        self.together_with_rule(sd, out)
        self.reported_threat_rule(sd, out)
        self.vowed_response_rule(sd, out)
        self.raised_at_rule(sd, out)
        self.not_negotiable_rule(sd, out)
        self.negated_policy_verb_rule(sd, out)
        self.rather_than_rule(sd, out)
        self.untargeted_agent_rule(sd, out)
        self.unit_verb_rule(sd, out)
        self.host_rule(sd, out)
        self.pair_model_rule(sd, out)
        return out

    # filled by bench/train_pair_model.py: (sentence, first actor, second actor, features) of every pair
    pair_log: list | None = None

    def pair_model_rule(self, sd, out) -> None:
        """Cooperation, alliance or adversity between two actors of the sentence that no rule
        related, when the learned pair model (``pair_model.py``) is confident enough."""
        model = pair_model.load_model()
        if model is None and self.pair_log is None:
            return
        occ = pair_model.occurrences(sd, self.d, actor_yaml)
        if len(occ) < 2:
            return
        key = pair_model.entity_key
        linked = {frozenset((key(c.subject), key(c.object))) for c in out if c.predicate in pair_model.PAIR_PREDICATES}
        linked |= self._co_arguments(out)
        threatened_by = self._perceived_act_owners(out) | self._targeted_pairs(sd, out)
        best: dict = {}
        shared = None   # the scores of the sentence's shared features, computed once
        for first, second, feats in pair_model.candidate_pairs(sd, self.d, actor_yaml, occ):
            if self.pair_log is not None:
                self.pair_log.append((sd.index, first[2], second[2], feats + pair_model.sentence_features(sd)))
            if model is None:
                continue
            if shared is None:
                shared = model.scores(pair_model.sentence_features(sd))
            label, p = model.best(feats, shared)
            pair = frozenset((key(first[2]), key(second[2])))
            if label == pair_model.NONE or p < model.threshold or pair in linked or (
                    pair in threatened_by and label != "adversaryOf"):
                continue
            if pair not in best or p > best[pair][0]:
                best[pair] = (p, label, first, second)
        for p, label, first, second in sorted(best.values(), key=lambda b: (b[2][0], b[3][0], b[1])):
            self.claim(out, sd, pair_model.RULE_ID, first[2], label, second[2], (first[0], second[1]), second[0])

    @staticmethod
    def _perceived_act_owners(out) -> set:
        """Pairs of a perceiver and the actor, or the actors of the act, it perceives as a threat or
        provocation ("North Korea perceives the exercises of South Korea and the United States as a
        threat", "Tajikistan fears the Taliban"): the pair model may call them adversaries, never
        partners or allies."""
        key = pair_model.entity_key
        pairs = set()
        for c in out:
            if c.predicate not in ("perceivesAsThreat", "perceivesAsProvocation"):
                continue
            if not isinstance(c.object, dict) or not {"event", "situation", "capability"} & c.object.keys():
                pairs.add(frozenset((key(c.subject), key(c.object))))   # "Tajikistan … fears the Taliban"
                continue
            for slot in ACT_SLOTS:
                members = c.object.get(slot) or []
                for m in members if isinstance(members, list) else [members]:
                    pairs.add(frozenset((key(c.subject), key(m))))
        return pairs

    def _targeted_pairs(self, sd, out) -> set:
        """Pairs of an actor aimed at by an act of the sentence ("U.N. sanctions on North Korea",
        "strikes on Houthi targets") and those who carry out or back that act -- its agents and
        the holders of the sentence's stances ("Russia, which once supported U.N. sanctions on
        North Korea"): the pair model may call them adversaries, never partners or allies."""
        key = pair_model.entity_key
        backers = [c.subject for c in out if c.predicate == "holdsStance" and isinstance(c.object, dict)
                   and c.object.get("stance") == "support"]   # ("refused to join sanctions on X": no backer)
        pairs = set()
        for m in list(sd.mentions) + list(getattr(sd, "verbal", [])):
            if "event" not in m.readings or not m.targets:
                continue
            targets = [a for x in m.targets for a in self._actor_list(x, sd)]
            sides = [a for x in m.agents for a in self._actor_list(x, sd)] + backers
            pairs.update(frozenset((key(a), key(t))) for a in sides for t in targets)
        return pairs

    @staticmethod
    def _co_arguments(out) -> set:
        """Pairs of actors that a rule made the same argument of one claim each ("cooperation with
        the U.S. and Lithuania": both objects of Poland's cooperation): the rules have read how
        they stand, side by side, which says nothing of how they stand to each other."""
        by_slot: dict = {}
        key = pair_model.entity_key
        for c in out:
            sj, oj = key(c.subject), key(c.object)
            by_slot.setdefault(("object", c.predicate, sj), set()).add(oj)
            by_slot.setdefault(("subject", c.predicate, oj), set()).add(sj)
        pairs = set()
        for members in by_slot.values():
            ms = sorted(members)
            pairs.update(frozenset((a, b)) for i, a in enumerate(ms) for b in ms[i + 1:])
        return pairs

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
            if m is not None and not (sd.toks[s].lower in NOMINAL_TRIGGERS and t[1] - s >= 2):
                continue   # ("its readiness to resume talks" is no military readiness)
            prev = sd.toks[s - 1].lower if s > 0 else ""
            if prev in ("the", "a", "an", "its", "their", "his", "her", "this", "these", "'s", "’s", "of") and \
                    not (sd.toks[s].lower in NOMINAL_TRIGGERS and prev in ("its", "their", "our", "his", "her")):
                continue   # (but "reaffirmed its readiness to resume talks": the owner's disposition)
            if s > 1 and sd.toks[s - 2].lower in ("a", "an") and prev.isalpha() and prev.islower() and \
                    not prev.endswith("ly") and sd.tok_mention[s - 1] is None:
                continue   # "avoided a public fight with China": a noun after "a" and its adjective
            w = sd.toks[s].lower
            if w in CALL_NOUNS and s > 0 and sd.toks[s - 1].norm in REFUSAL_VERBS:
                continue
            nxt_m = sd.tok_mention[t[1]] if t[1] < len(sd.toks) else None
            if (w in self.res.increase_mods or w in self.res.decrease_mods) and nxt_m is not None and nxt_m.start == t[1] \
                    and not modifier_is_verb(sd.toks, s, {m.end for m in sd.mentions}) and sd.toks[t[1]].lower not in (
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
