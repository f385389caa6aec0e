"""Clauses and ConText-style modality.

ConText (Harkema et al. 2009, the clinical-NLP algorithm for negation,
hypothetical and historical mentions) marks a *cue* ("could", "likely", "did
not", "often") and gives it a *scope* that runs forward from the cue to the
end of its clause. A relation takes the modality of the cues whose scope
covers its trigger word; cues after the trigger, or in another clause, do not
count ("Saudi Arabia fears that Houthi missiles might be fired" is an
asserted fear: "might" lies in the complement clause).

Clauses here are found without a parser, from boundary words
(``lexicons/cues.yaml``: commas, "which", "that", "but", "although", …):

* ``relative``: ", which / who …" (and "which" right after a noun); the
  clause it interrupts resumes after the next comma ("Saudi Arabia, which
  fought the Houthis, has avoided …");
* ``participle``: ", prompting …", ", potentially destabilizing …",
  "by heightening …": its subject is the main clause's, and with no cue of its
  own it inherits the main clause's modality (the consequence of a hedged
  event is hedged too);
* ``complement``: "that" right after a verb ("fear that …");
* ``coordinate`` / ``subordinate``: after "but", "and" + verb, "although",
  "because", "while", "when", "if" ("if" itself is a Possible cue for its
  clause).

A comma inside a list of noun phrases, or followed by "particularly",
"including" …, does not end a clause.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .entities import gerund

SUBORDINATORS = frozenset("although though because while whereas when if unless since so yet".split())
RELATIVES = frozenset("which who whom whose".split())
AUX = frozenset("""is are was were be been being has have had do does did will would could can may might must should
    shall not n't also often repeatedly usually then""".split())


VP_AUX = frozenset("has have had is are was were will did does do".split())


@dataclass
class Clause:
    id: int
    kind: str                 # main | relative | participle | complement | coordinate | subordinate
    parent: int | None = None
    start: int = 0            # first token
    antecedent_end: int | None = None   # for relatives: token where the antecedent ends
    tokens: list = field(default_factory=list)
    cues: list = field(default_factory=list)   # (tok, value)


def _adverb_use(toks, k) -> bool:
    """A subordinator used as an adverb inside its clause: "has since supplied", "has so far
    rejected", "has yet to sign", "as yet"."""
    w, prev = toks[k].lower, toks[k - 1].lower
    nxt = toks[k + 1].lower if k + 1 < len(toks) else ""
    if w == "since":
        return prev in ("has", "have", "had", "having")
    if w == "so":
        return nxt in ("far", "much", "many")
    if w == "yet":
        return prev in ("has", "have", "had", "not", "as", "is", "are") or nxt == "to"
    return False


def segment(sd, res) -> list[Clause]:
    toks = sd.toks
    sd.inserts = continuation_inserts(toks, res.continuations)
    closing = {close: opening for opening, close in sd.inserts}
    n = len(toks)
    tok_mention = sd.tok_mention
    clauses: list[Clause] = [Clause(0, "main", None, 0)]
    tok_clause = [0] * n
    cur = 0
    stack: list[int] = []
    k = 0
    while k < n:
        w = toks[k].lower
        new_kind = None
        resume = None
        if w == "," and (_parenthetical(sd, k) or _interruption(sd, k)):
            # ", in turn," / ", however," : not a clause of its own
            j = k + 1
            while toks[j].lower != ",":
                tok_clause[j] = cur
                j += 1
            tok_clause[k] = cur
            tok_clause[j] = cur
            k = j + 1
            continue
        if w in (",", ";", ":", "—", "–", "(", ")"):
            nxt = toks[k + 1].lower if k + 1 < n else ""
            in_list = _comma_in_list(sd, k)
            # the comma closing an inserted "…, including a base in Djibouti, has raised …": the
            # clause goes on at its verb
            closes_insert = w == "," and nxt in VP_AUX and k in closing and k - closing[k] < 16
            if w == "," and (nxt in res.continuations or in_list or closes_insert):
                tok_clause[k] = cur
                k += 1
                continue
            # end of a relative clause: resume the interrupted clause
            if clauses[cur].kind == "relative" and stack and w == "," and nxt not in RELATIVES and not _is_participle(toks, k + 1):
                resume = stack.pop()
            # end of an interrupting subordinate clause: "X's technology, while still
            # developing, has made strides" -- the main clause resumes at its verb
            c_cur = clauses[cur]
            if resume is None and w == "," and c_cur.kind in ("subordinate", "participle") and c_cur.parent is not None and \
                    toks[c_cur.start].lower == "," and nxt in AUX and nxt not in ("not", "n't", "also", "often",
                                                                                 "repeatedly", "usually", "then"):
                resume = c_cur.parent
            if resume is not None:
                tok_clause[k] = resume
                cur = resume
                k += 1
                continue
            if nxt in RELATIVES or (nxt in ("of", "in", "to", "with", "among", "for", "by") and k + 2 < n
                                     and toks[k + 2].lower in ("which", "whom", "whose")):
                new_kind = "relative"   # (", of which both states are members,")
            elif _is_participle(toks, k + 1):
                new_kind = "participle"
            elif nxt in SUBORDINATORS:
                new_kind = "subordinate"
            elif nxt in ("and", "but", "or"):
                new_kind = "coordinate"
            elif w in ("(", ")"):
                new_kind = None
            else:
                new_kind = "coordinate"
        elif w in RELATIVES and k > 0 and toks[k - 1].lower != ",":
            if tok_mention[k - 1] is not None or toks[k - 1].lower in ("in", "of", "by", "with"):
                new_kind = "relative"
        elif w == "that" and k > 0 and toks[k - 1].lower != ",":
            prev_m = tok_mention[k - 1]
            new_kind = "relative" if prev_m is not None else "complement"
        elif w in SUBORDINATORS and k > 0 and toks[k - 1].lower != "," and not _adverb_use(toks, k):
            new_kind = "subordinate"   # (not the adverb of "has since supplied", "has so far rejected")
        elif w == "but" and k > 0 and toks[k - 1].lower != ",":
            new_kind = "coordinate"
        elif w == "by" and k + 1 < n and toks[k + 1].lower.endswith("ing") and len(toks[k + 1].lower) > 5 and (
                tok_mention[k + 1] is None):
            new_kind = "participle"
        if new_kind is not None:
            parent = cur
            if new_kind == "relative":
                stack.append(cur)
            c = Clause(len(clauses), new_kind, parent, k)
            if new_kind == "relative":
                c.antecedent_end = k if w != "," else k
                # antecedent ends before the comma / the relative word
                c.antecedent_end = k if w in RELATIVES or w == "that" else k
            clauses.append(c)
            cur = c.id
            tok_clause[k] = cur
            k += 1
            continue
        tok_clause[k] = cur
        k += 1
    for i, c in enumerate(tok_clause):
        clauses[c].tokens.append(i)
    for c in clauses:
        if c.tokens:
            c.start = c.tokens[0]
    sd.tok_clause = tok_clause
    sd.clauses = clauses
    # cues into their clauses
    for s, e, value in sd.cues:
        clauses[tok_clause[s]].cues.append((s, value))
    for c in clauses:
        if c.kind == "subordinate" and c.tokens and toks[c.tokens[0]].lower == "if" or (
                c.kind == "subordinate" and len(c.tokens) > 1 and toks[c.tokens[1]].lower == "if"):
            c.cues.append((c.tokens[0], "possible"))
    return clauses


def continuation_inserts(toks, continuations) -> list[tuple[int, int]]:
    """(opening comma, closing comma) of every insert that a comma and a continuation word open
    ("…, including a base in Djibouti, …", "…, particularly …,"): found once per sentence, for
    the clause boundaries here and the subject finder (rel_slots.py), which both look past them."""
    commas = [k for k, t in enumerate(toks) if t.text == ","]
    return [(a, b) for a, b in zip(commas, commas[1:]) if b > a + 1 and toks[a + 1].lower in continuations]


def _parenthetical(sd, k) -> bool:
    """", in turn," -- at most three words between two commas, with no mention,
    trigger or cue."""
    toks = sd.toks
    for j in range(k + 1, min(k + 5, len(toks))):
        if toks[j].lower == ",":
            if j == k + 1:
                return False
            cue_toks = {s for s, e, v in sd.cues}
            return all(sd.tok_mention[x] is None and x not in sd.trigger_toks and x not in cue_toks
                       and toks[x].lower not in ("which", "who", "that", "and", "but", "or")
                       for x in range(k + 1, j)) and not toks[k + 1].lower.endswith("ing")
    return False


NOMINAL_START = frozenset("""a an the its their his her this these those that which who whom whose and but or
    while although because when if whereas""".split())


def _interruption(sd, k) -> bool:
    """"Most Libyans, exhausted by a decade of conflict, favor …", "many Iranians, weary of
    sanctions and war, favor …", "Japan's public, once wary of any build-up, now supports …":
    a descriptive phrase between an actor subject and its verb is not a clause of its own.
    The comma follows an actor mention, the phrase opens with a lower-case word that does
    not start a noun phrase or a clause, holds no verb trigger, and the closing comma is
    followed by the verb (a trigger, an auxiliary or an adverb before one)."""
    toks = sd.toks
    n = len(toks)
    m = sd.tok_mention[k - 1] if k > 0 else None
    if m is None or not m.actor_kind() or k + 1 >= n:
        return False
    first = toks[k + 1]
    if not first.text[:1].islower() or first.lower in NOMINAL_START or first.lower in RELATIVES or (
            k + 2 < n and toks[k + 2].lower in RELATIVES):
        return False   # (", to which Finland now belongs,": a relative clause)
    for j in range(k + 2, min(n, k + 18)):
        w = toks[j].lower
        if w in (";", ":", "(", ")"):
            return False
        if w == ",":
            nxt = j + 1
            while nxt < n and nxt not in sd.trigger_toks and (toks[nxt].lower.endswith("ly") or toks[nxt].lower in (
                    "also", "now", "still", "often", "long", "already")):
                nxt += 1
            return nxt < n and (nxt in sd.trigger_toks or toks[nxt].lower in VP_AUX) and sd.tok_mention[nxt] is None
        if j in sd.trigger_toks and sd.tok_mention[j] is None and not w.endswith("ed"):
            return False
    return False


def _comma_in_list(sd, k) -> bool:
    """A comma between two coordinated noun phrases ("weapons, components and
    intelligence")."""
    tm = sd.tok_mention
    if k == 0 or k + 1 >= len(sd.toks):
        return False
    left = tm[k - 1]
    right = None
    for j in range(k + 1, min(k + 4, len(sd.toks))):
        right = tm[j]
        if right is not None:
            break
        w = sd.toks[j].lower
        if w in (",", ";", "which", "that", "who") or j in sd.trigger_toks or gerund(sd.toks[j]):
            break
    return left is not None and right is not None and left.conj == right.conj and left is not right


def _is_participle(toks, k) -> bool:
    """", prompting", ", potentially destabilizing", ", further complicating"."""
    for j in range(k, min(k + 3, len(toks))):
        w = toks[j].lower
        if gerund(toks[j]) and len(w) > 5 and w not in ("including", "during", "according", "nothing", "something"):
            return True
        if not (w.endswith("ly") or w in ("further", "thereby", "thus", "also", "often", "while", "still")):
            return False
    return False


# verbs that undo a relation: a negated one leaves it standing ("has not withdrawn its support")
REVERSALS = frozenset("""withdraw abandon drop renounce cease reverse revoke scrap rescind retract disavow
    relinquish forsake end terminate""".split())


def modality_at(sd, tok: int, floor: int | None = None) -> tuple[str, bool]:
    """(modality, habitual) for a relation whose trigger is token ``tok``:
    cues earlier in the same clause (and, for a participle clause without a cue
    of its own, the cues of the clause it hangs on before it)."""
    clauses = sd.clauses
    c = clauses[sd.tok_clause[tok]]
    toks = sd.toks
    # "has not renounced X and has refused Y": a coordinated verb phrase with its own
    # auxiliary starts a new scope
    # ("does not recognize X and regards Y as a threat": the same with a finite verb of its own)
    for j in range(tok - 1, c.start, -1):
        if toks[j].lower == "and" and j + 1 <= tok and (toks[j + 1].lower in VP_AUX or (
                j + 1 in sd.trigger_toks and sd.tok_mention[j + 1] is None and toks[j + 1].lower.endswith("s")
                and not toks[j + 1].lower.endswith("ss"))):
            floor = j if floor is None else max(floor, j)
            break
    values = [v for (s, v) in c.cues if s < tok and (floor is None or s >= floor)]
    negs = [s for (s, v) in c.cues if v == "negated" and s < tok and (floor is None or s >= floor)]
    if negs:
        # "has not withdrawn its support for X": the negation undoes a reversal, so what is
        # reversed holds; "did not fail to", "not without": two negations cancel out
        plain = [s for s in negs if toks[s].lower not in ("neither", "nor")]
        reversal = any(toks[j].norm in REVERSALS for s in plain for j in range(s + 1, tok))
        if plain and (reversal or len(plain) % 2 == 0):
            values = [v for v in values if v != "negated"]
    seen = {c.id}
    cur = c
    while cur.kind in ("participle", "coordinate") and cur.parent is not None and cur.parent not in seen:
        parent = clauses[cur.parent]
        seen.add(parent.id)
        inherited = [v for (s, v) in parent.cues if s < cur.start]
        if cur.kind == "coordinate":
            # "… and did not join …": the verb phrase shares the subject, not the cue
            break
        if not [v for v in values if v != "habitual"]:
            values += [v for v in inherited if v != "habitual"]
        cur = parent
    habitual = "habitual" in values
    if "negated" in values:
        return "negated", habitual
    if "possible" in values:
        return "possible", habitual
    if "probable" in values:
        return "probable", habitual
    return "asserted", habitual


def hedged_only_by_would(sd, tok: int) -> bool:
    """The clause's only hedge before ``tok`` is "would" ("said they would support a regional
    force"): an intention stated now, not a possibility."""
    if any(t.lower in ("if", "unless", "should", "were") for t in sd.toks):
        return False   # "If attacked, Iran would …": a condition keeps it hypothetical
    c = sd.clauses[sd.tok_clause[tok]]
    hedges = [s for (s, v) in c.cues if v == "possible" and s < tok]
    return bool(hedges) and all(sd.toks[s].lower == "would" for s in hedges)


def span_modality(sd, start: int, end: int) -> tuple[str, bool]:
    """Modality of a relation stated inside a noun phrase: only cues inside it."""
    values = [v for (s, e, v) in sd.cues if start <= s < end]
    habitual = "habitual" in values
    for v in ("negated", "possible", "probable"):
        if v in values:
            return v, habitual
    return "asserted", habitual
