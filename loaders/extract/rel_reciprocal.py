"""Reciprocal events (``type: reciprocal``): what two sides do together or to each
other, told with the sides as subjects -- "Armenia and Azerbaijan clashed along the
border", "Kyrgyz and Tajik forces exchanged heavy fire", "Iran and Pakistan held
talks", "India met Chinese officials", "the two governments negotiated". Each side
is a participant of one event (neither is its agent): one ``hasParticipant`` claim
per side, the event described by its class and all the sides.

The sides are the clause subject (and its coordination) and, after the verb or its
object, a ``with`` phrase ("clashed with Azerbaijani troops", "held talks with
Beijing") or, for "meet", the direct object. Fewer than two sides make no claim.
"""

from __future__ import annotations

from .rel_base import FixedActor, RuleBase, state_of_government

# verbs that are a reciprocal event themselves (their norm), and the event's class
RECIPROCAL_VERBS = {
    "clash": "MilitaryConfrontation", "skirmish": "MilitaryConfrontation",
    "meet": "DiplomaticTalks", "negotiate": "DiplomaticTalks",
    # "British troops exercise with the Belize Defence Force", "the two navies exercised together"
    "exercise": "JointMilitaryExercise", "drill": "JointMilitaryExercise",
    # "Peruvian and U.S. forces often train together" (not "fight": the annotators record a fight
    # as the sides' enmity, not as an event with participants -- 4 right, 100 wrong)
    "train": "JointMilitaryExercise",
}
# adverbs between a subject and its present-tense verb ("officials now meet regularly")
PRESENT_ADVERBS = frozenset("now often also still regularly routinely frequently sometimes occasionally jointly "
                            "usually rarely seldom".split())
# light verbs and the nouns after them that make a reciprocal event ("exchanged fire", "held talks")
LIGHT_VERBS = frozenset("exchange hold held holds holding conduct resume resumed open opened begin began start "
                        "started trade traded trading".split())
LIGHT_OBJECTS = {
    "fire": "MilitaryConfrontation", "gunfire": "MilitaryConfrontation", "shots": "MilitaryConfrontation",
    "strikes": "MilitaryConfrontation", "blows": "MilitaryConfrontation", "artillery": "MilitaryConfrontation",
    "talks": "DiplomaticTalks", "negotiations": "DiplomaticTalks", "consultations": "DiplomaticTalks",
    "meeting": "DiplomaticTalks", "meetings": "DiplomaticTalks", "summit": "DiplomaticTalks",
    "conference": "DiplomaticTalks", "conferences": "DiplomaticTalks",
    # exercises only with a with-phrase ("held naval exercises with the United States"): "X and Y
    # held joint exercises" is agent-hold's
    "exercises": "JointMilitaryExercise", "exercise": "JointMilitaryExercise", "drills": "JointMilitaryExercise",
    "drill": "JointMilitaryExercise",
    "manoeuvres": "JointMilitaryExercise", "maneuvers": "JointMilitaryExercise", "patrols": "JointMilitaryExercise",
}
WITH_ONLY = frozenset(["JointMilitaryExercise"])
# verbs of a relative clause that carry out the event noun before it ("the sanctions that X imposed on Y")
RELATIVE_ACT_VERBS = frozenset(["impose", "carry", "launch", "conduct", "stage", "mount", "unleash", "fire", "wage"])
# what may stand between a relative clause's subject and its verb ("that Iran has recently held with …")
RELATIVE_FILLERS = frozenset("has have had also recently jointly regularly repeatedly since already often".split())
# time words between a relative clause's verb and its with-phrase ("that Morocco holds every year with …")
RELATIVE_GAP = frozenset("every each year annually regularly jointly together twice once again this last month".split())
# words that may stand between a light verb and its noun ("exchanged heavy artillery fire",
# "held a second round of talks")
LIGHT_GAP = frozenset("a an the heavy sporadic intense direct indirect bilateral new fresh further first second "
                      "third round of high-level technical several two rounds cross-border naval joint military air "
                      "annual large-scale combined trilateral coast guard live-fire maritime".split())
VERB_ENDINGS = ("ed", "es", "ing")
# words that end the stretch between a light verb and its noun ("held the town and talks …")
GAP_STOP = frozenset("and or but with to that which who while after before since until because".split())
# what may follow an intransitive verb of cooperating ("cooperate closely on ..."), and what it never follows
COOPERATE_FOLLOWERS = frozenset("closely together jointly increasingly also on in to against over across along more "
                                "and when during for since through at under within inside".split())
COOPERATE_NOT_AFTER = frozenset("for of by in a an the its their to".split())
# "X and Y regard each other as allies / rivals / threats": the complement's head noun picks the predicate
EACH_OTHER_VERBS = frozenset("regard regards regarded regarding view views viewed viewing see sees saw seen consider "
                             "considers considered call calls called describe describes described treat treats "
                             "treated".split())
EACH_OTHER_NOUNS = {
    "ally": "allyOf", "allies": "allyOf", "partner": "cooperatesWith", "partners": "cooperatesWith",
    "enemy": "adversaryOf", "enemies": "adversaryOf", "rival": "adversaryOf", "rivals": "adversaryOf",
    "adversary": "adversaryOf", "adversaries": "adversaryOf", "foe": "adversaryOf", "foes": "adversaryOf",
    "threat": "perceivesAsThreat", "threats": "perceivesAsThreat",
}


class ReciprocalRules(RuleBase):
    """Events whose sides are all participants (a mixin of ``Relations``)."""

    def reciprocal_rule(self, sd, out):
        rule = self.res.rules.get("participants-reciprocal")
        if rule is None:
            return
        toks = sd.toks
        for k in range(len(toks)):
            found = self._reciprocal_at(sd, k)
            if found is None or self._only_intended(toks, k):
                continue   # ("urged the three countries to resume negotiations": not an event that took place)
            cls, end = found
            sides = self._sides(sd, k, end)
            together = end < len(toks) and toks[end].lower == "together"
            if len(sides) < 2 or (cls in WITH_ONLY and not self._has_with(sd, end) and not together):
                continue
            event = {"event": cls, "participants": [a for _, a in sides]}
            first = min([m.start for m, _ in sides] + [k])
            last = max([m.end for m, _ in sides] + [end])
            for _, a in sides:
                self.claim(out, sd, rule["id"], event, "hasParticipant", a, (first, last), k)
        for noun, k, end in getattr(sd, "relative_events", ()):
            event = self._thing_entity(noun, "event", sd)
            for a in event.get("participants", []):
                self.claim(out, sd, rule["id"], event, "hasParticipant", a, (noun.start, end), k)

    def relative_sides(self, sd) -> None:
        """"The naval exercises that South Africa has held with Russia and China", "the talks
        which Iran conducted with Oman": the event noun before a relative clause whose verb is a
        light verb with a with-phrase takes the clause's subject and the with-phrase's actors as
        its participants (set on the noun, so that the claims made about it name them; the
        ``hasParticipant`` claims are ``reciprocal_rule``'s)."""
        toks = sd.toks
        sd.relative_events = []
        for k in range(2, len(toks) - 2):
            t = toks[k]
            if t.norm not in ("hold", "conduct", "stage") or not (
                    t.lower.endswith(("ed", "s")) or t.lower in ("held", "hold")):
                continue
            w = k + 1   # ("that Morocco holds every year with U.S. forces")
            while w < min(len(toks) - 1, k + 4) and toks[w].lower in RELATIVE_GAP:
                w += 1
            if toks[w].lower != "with":
                continue
            j = k - 1
            while j > 0 and toks[j].lower in RELATIVE_FILLERS:
                j -= 1
            subj = sd.tok_mention[j]
            if subj is None or not subj.actor_kind():
                continue
            group = sorted(self._group(sd, subj, ["actor"]), key=lambda m: m.start)
            rel = group[0].start - 1
            if rel < 1 or toks[rel].lower not in ("that", "which"):
                continue
            noun = sd.tok_mention[rel - 1]
            if noun is None or "event" not in noun.readings or toks[noun.end - 1].lower not in LIGHT_OBJECTS:
                continue
            other = self._right(sd, w + 1, ["actor"], {sd.tok_clause[w + 1]}, limit=3)
            if other is None:
                continue
            others = self._group(sd, other, ["actor"])
            sides = [a for x in group + others for a in self.d.actors_of(x)]
            sides = list(dict.fromkeys(sides))
            if len(sides) < 2:
                continue
            noun.participants = [FixedActor(a) for a in sides]
            noun.readings["event"] = LIGHT_OBJECTS[toks[noun.end - 1].lower]
            noun.reciprocal = True
            sd.relative_events.append((noun, k, max(x.end for x in others)))

    def relative_acts(self, sd, out) -> None:
        """"the sanctions that Washington has imposed on Venezuela", "the strikes which Israel
        carried out on Iran": an event noun before a relative clause whose verb carries it out
        takes the clause's subject as its agents and the actor after on / against / at as its
        target (a ``targets`` claim, as "Washington's sanctions on Venezuela" makes)."""
        rule = self.res.rules.get("targets-nominal")
        if rule is None:
            return
        toks = sd.toks
        for rel in range(1, len(toks) - 3):
            if toks[rel].lower not in ("that", "which"):
                continue
            noun = sd.tok_mention[rel - 1]
            if noun is None or "event" not in noun.readings or noun.agents or noun.targets \
                    or not self.d.classes.is_a(noun.readings["event"], "Event"):
                continue
            subj = sd.tok_mention[rel + 1] if toks[rel + 1].lower != "the" else sd.tok_mention[rel + 2]
            if subj is None or not subj.actor_kind():
                continue
            group = self._group(sd, subj, ["actor"])
            k = max(x.end for x in group)
            while k < len(toks) and toks[k].lower in RELATIVE_FILLERS:
                k += 1
            if k >= len(toks) or toks[k].norm not in RELATIVE_ACT_VERBS:
                continue
            j = k + 1 + (k + 1 < len(toks) and toks[k + 1].lower == "out")
            if j >= len(toks) - 1 or toks[j].lower not in ("on", "against", "at"):
                continue
            target = sd.tok_mention[j + 1] if toks[j + 1].lower != "the" else sd.tok_mention[min(j + 2, len(toks) - 1)]
            if target is None or not target.actor_kind():
                continue   # (the actor right after the preposition: not "against European states supporting Ukraine")
            noun.agents = [FixedActor(a) for x in group for a in self.d.actors_of(x)]
            event = self._thing_entity(noun, "event", sd)
            event.pop("targets", None)
            for x in self._group(sd, target, ["actor"]):
                for a in self._actor_list(x, sd):
                    self.claim(out, sd, rule["id"], event, "targets", a, (noun.start, x.end), k)

    def together_with_rule(self, sd, out):
        """"Together with Latvia, Lithuania and Finland, we have raised the issue", "Alongside French
        troops, Chad's army …": the clause's subject acts with those named before the comma."""
        rule = self.res.rules.get("cooperate-together-with")
        toks = sd.toks
        if rule is None or len(toks) < 5:
            return
        words = [t.lower for t in toks[:2]]
        start = 2 if words == ["together", "with"] or words == ["jointly", "with"] else 1 if words[0] == "alongside" else 0
        if not start:
            return
        first = next((m for m in sd.mentions if m.start >= start and m.actor_kind()), None)
        if first is None or first.start > start + 2:
            return
        group = sorted(self._group(sd, first, ["actor"]), key=lambda m: m.start)
        # "Latvia, Lithuania and Finland": up to the member after "and" (without one, the first alone:
        # "Alongside French troops, the Chadian army …" is no list)
        last = next((i for i, m in enumerate(group) if m.start > 0 and toks[m.start - 1].lower in ("and", "or")), 0)
        partners = group[:last + 1]
        comma = partners[-1].end
        if comma >= len(toks) or toks[comma].text != ",":
            return
        subj = next((m for m in sd.mentions if m.start > comma and m.actor_kind()), None)
        if subj is None or subj.start > comma + 3:
            return
        for _, a in self._each_actor(sd, subj):
            for m in partners:
                for b in self._actor_list(m, sd):
                    self.claim(out, sd, rule["id"], a, rule["predicate"], b, (0, subj.end), subj.start)

    def cooperate_together_rule(self, sd, out):
        """"Malaysia and the Philippines cooperate closely", "the two navies have cooperated on
        patrols", "Kenya and Uganda work together": a verb of cooperating with no partner after it
        makes every two of its subject's actors partners."""
        toks = sd.toks
        for rule, k in self.lemma_triggers(sd, "cooperate-together"):
            t = toks[k]
            if not (t.lower.endswith(VERB_ENDINGS) or t.lower == t.norm):
                continue
            if t.norm == "work" and not (k + 1 < len(toks) and toks[k + 1].lower in ("together", "jointly")):
                continue
            if k > 0 and toks[k - 1].lower in COOPERATE_NOT_AFTER:
                continue   # "channels for coordinating", "the coordinated patrols": no verb of the subject
            if k + 1 < len(toks) and toks[k + 1].text[:1].isalpha() and toks[k + 1].lower not in COOPERATE_FOLLOWERS:
                continue   # "conduct coordinated patrols": an adjective before its noun
            nxt = k + 1
            while nxt < len(toks) and toks[nxt].lower in ("closely", "together", "jointly", "increasingly", "also"):
                nxt += 1
            if nxt < len(toks) and toks[nxt].lower == "with":
                continue   # "cooperates with X": cooperate-supply's
            if self._only_intended(toks, k):
                continue
            subj, _ = self.subject_slot(sd, k, ["actor"])
            if subj is None:
                continue
            pairs = self._each_actor(sd, subj)
            sides = [a for _, a in pairs]
            first = min([m.start for m, _ in pairs] + [k])
            for i, a in enumerate(sides):
                for b in sides[i + 1:]:
                    if a != b:
                        self.claim(out, sd, rule["id"], a, "cooperatesWith", b, (first, k + 1), k)

    def each_other_rule(self, sd, out):
        """"Greece and Cyprus have long described each other as allies", "the two regard one
        another as the main threat": the relation holds between every two of the subject's actors
        (a threat is perceived both ways)."""
        rule = self.res.rules.get("each-other-as")
        if rule is None:
            return
        toks = sd.toks
        for k in range(1, len(toks) - 3):
            if toks[k].lower not in ("each", "one") or toks[k + 1].lower not in ("other", "another") or \
                    toks[k - 1].lower not in EACH_OTHER_VERBS or toks[k + 2].lower != "as":
                continue
            end = next((j + 1 for j in range(k + 3, min(len(toks), k + 8)) if toks[j].lower in EACH_OTHER_NOUNS), None)
            if end is None:
                continue
            pred = EACH_OTHER_NOUNS[toks[end - 1].lower]
            subj, _ = self.subject_slot(sd, k - 1, ["actor"])
            if subj is None:
                continue
            pairs = self._each_actor(sd, subj)
            sides = [a for _, a in pairs]
            first = min([m.start for m, _ in pairs] + [k - 1])
            for i, a in enumerate(sides):
                for b in sides[i + 1:]:
                    if a == b:
                        continue
                    self.claim(out, sd, rule["id"], a, pred, b, (first, end), k - 1)
                    if pred == "perceivesAsThreat":
                        self.claim(out, sd, rule["id"], b, pred, a, (first, end), k - 1)

    def _reciprocal_at(self, sd, k):
        """(class, end token) if token ``k`` starts a reciprocal event used as a verb, else None."""
        toks = sd.toks
        t = toks[k]
        if sd.tok_mention[k] is not None and "event" not in (sd.tok_mention[k].readings or {}):
            return None
        prev = toks[k - 1].lower if k > 0 else ""
        if prev in ("the", "a", "an", "its", "their", "his", "her", "'s", "’s", "of"):
            return None   # a noun ("the clash", "their meeting")
        cls = RECIPROCAL_VERBS.get(t.norm)
        if cls is not None and (t.lower.endswith(VERB_ENDINGS) or t.lower == "met" or prev in (
                "to", "will", "would", "could", "may", "might", "did", "not") or self._present_after_sides(sd, k)):
            if t.lower in ("meeting", "meetings", "clashes", "training") and prev not in ("were", "are", "was", "is", "been"):
                return None   # "the meeting", "clashes erupted", "joint training": nouns
            if cls == "JointMilitaryExercise" and not t.lower.endswith(("ed", "ing")) and not (
                    sd.tok_mention[k - 1] is not None and sd.tok_mention[k - 1].actor_kind()) and not prev.endswith("ly") \
                    and prev not in ("to", "will", "would", "could", "may", "might", "did", "not") \
                    and not self._present_after_sides(sd, k):
                return None   # "holds the annual exercises with …", "joint exercises": nouns
            return cls, k + 1
        if t.lower in LIGHT_VERBS or (t.norm in LIGHT_VERBS and t.lower.endswith(VERB_ENDINGS)):
            j = k + 1
            while j < len(toks) and j - k <= 5 and toks[j].lower not in LIGHT_OBJECTS and (toks[j].lower in LIGHT_GAP or (
                    toks[j].text.isalpha() and toks[j].text.islower() and toks[j].lower not in GAP_STOP) or (
                    toks[j].lower in ("and", "or") and j > k + 1 and j + 1 < len(toks) and toks[j + 1].text.islower()) or (
                    toks[j].text in ("-", "‐") and j > k + 1 and toks[j - 1].text.islower()) or (
                    toks[j].text[:1].isupper() and toks[j].text.isalpha() and j > k + 1 and (
                        sd.tok_mention[j] is None or not sd.tok_mention[j].actor_kind()))):
                j += 1   # ("held several rounds of normalization talks", "exchanged missile and drone strikes",
                #         "resumed counter-terrorism talks", "holds the annual African Lion exercises")
            if j < len(toks) and toks[j].lower in LIGHT_OBJECTS:
                return LIGHT_OBJECTS[toks[j].lower], j + 1
        return None

    @staticmethod
    def _present_after_sides(sd, k) -> bool:
        """"Kyrgyz and Uzbek officials now meet regularly", "Peruvian and U.S. forces often train
        together": the base form right after its actors (adverbs between) is a present-tense verb."""
        toks = sd.toks
        j = k - 1
        while j > 0 and toks[j].lower in PRESENT_ADVERBS:
            j -= 1
        m = sd.tok_mention[j] if j >= 0 else None
        return m is not None and m.end == j + 1 and m.actor_kind() and not toks[k].lower.endswith("s")

    @staticmethod
    def _has_with(sd, end) -> bool:
        toks = sd.toks
        return any(toks[j].lower == "with" for j in range(end, min(len(toks), end + 5)))

    def _sides(self, sd, k, end) -> list:
        """(mention, actor) of every side: the subject's actors, and those of a with-phrase."""
        sides = []
        subj, _ = self.subject_slot(sd, k, ["actor"])
        if subj is not None:
            sides += self._each_actor(sd, subj)
        toks = sd.toks
        j = end
        while j < len(toks) and j - end <= 4 and toks[j].lower not in ("with", ",", ";", "."):
            j += 1
        other = None
        noun = sd.tok_mention[end - 1]
        inside = noun is not None and "event" in noun.readings and noun.start <= j < noun.end
        if j < len(toks) and toks[j].lower == "with" and not inside:
            # (a with-phrase inside the event noun is its participants, below; past it lies a place:
            # "exercises with Russia near the Lithuanian border")
            other = self._right(sd, j + 1, ["actor"], {sd.tok_clause[k]}, limit=3)
        elif toks[k].norm == "meet":
            other = self._right(sd, end, ["actor"], {sd.tok_clause[k]}, limit=3)
        if other is not None:
            sides += self._each_actor(sd, other)
        if noun is not None and "event" in noun.readings:
            # "held talks with China": the with-phrase is inside the event noun's mention
            sides += [(noun, a) for x in noun.participants for a in self._actor_list(x, sd)]
        out, seen = [], []
        for m, a in sides:
            a = state_of_government(a)   # inside an event a government is its state (as Extractor._slot does)
            if isinstance(a, dict) and "public" in a:
                continue
            if a not in seen:
                seen.append(a)
                out.append((m, a))
        return out
