"""Actors outside the gazetteer.

A capitalised name of two words or more whose last word is an actor-forming
head noun ("the Rapid Support Forces", "the Sudanese Armed Forces", "the
Economic Community of West African States" is not one: its head is not last)
is proposed as a label-only actor of the document,
``{actor: <slug>, class: <from the head noun>, label: <name>}``; the claims
that name it carry ``note: actor outside the gazetteer`` so that a reviewer
checks it (or adds it to the project gazetteer). Once seen, the name, its
acronym ("RSF", from the initials or from "(RSF)" right after the name) and,
for an army, the definite description "the army" name the same actor in the
rest of the document. Names that overlap a gazetteer actor ("Israel Defense
Forces", "U.S. Southern Command") stay with that actor.
"""

from __future__ import annotations

import re

# head noun -> class (the head decides: forces, militia, army, movement, group -> an armed group;
# council, alliance, organisation, league -> an international organisation)
HEADS = {
    "forces": "NonStateArmedGroup", "force": "NonStateArmedGroup", "militia": "NonStateArmedGroup",
    "militias": "NonStateArmedGroup", "army": "NonStateArmedGroup", "movement": "NonStateArmedGroup",
    "group": "NonStateArmedGroup", "front": "NonStateArmedGroup", "brigades": "NonStateArmedGroup",
    "brigade": "NonStateArmedGroup", "guards": "NonStateArmedGroup", "guard": "NonStateArmedGroup",
    "rebels": "NonStateArmedGroup", "units": "NonStateArmedGroup", "cartel": "NonStateArmedGroup",
    "gang": "NonStateArmedGroup",
    "council": "InternationalOrganization", "alliance": "InternationalOrganization",
    "organization": "InternationalOrganization", "organisation": "InternationalOrganization",
    "league": "InternationalOrganization", "community": "InternationalOrganization",
    "coalition": "InternationalOrganization", "agency": "InternationalOrganization",
    "party": "Actor", "committee": "Actor", "government": "Actor",
}
# the words after a demonym that name its state's own forces ("the Lebanese Armed Forces")
# (not "National": "the Syrian National Army", "the Libyan National Army" are armed groups of their own)
STATE_FORCE_WORDS = frozenset(["armed", "forces", "force", "army", "defence", "defense"])
# heads that follow a name in lower case ("the Sinaloa cartel", "the Wagner group", "the Mungiki gang")
LOWER_HEADS = frozenset(["cartel", "gang", "group", "militia", "movement"])
# verbs whose object is an actor when it is a capitalised name ("regards Los Choneros as …",
# "backs Republika Srpska"): verbs of attitude and support, not of attack (whose objects are often places)
ATTITUDE_VERBS = frozenset("""regard view consider see support back fund arm train designate sanction fight oppose
    accuse recognise recognize blame ally""".split())
# head nouns of an apposition that describes a name as an armed group ("JNIM, al-Qaeda's Sahel affiliate, …")
GROUP_APPOSITION = frozenset("""affiliate offshoot branch wing faction militia group movement rebels insurgents
    insurgency jihadists coalition alliance""".split())
GOV_GENERIC = frozenset(["federal", "central", "transitional", "interim", "military", "provisional", "new", "previous"])
INNER = frozenset(["of", "for", "'s", "’s", "-"])
LEADING = frozenset(["the", "a", "an"])
ARMY_WORDS = frozenset(["army", "armed"])
NOTE = "actor outside the gazetteer"


# One-word names ("Kosovo", "ECOWAS", "M23") are actors only where the text uses them as
# one: the subject of an actor's verb, the owner of forces or a government, the one
# something is backed by / fights alongside.
ACRONYM = re.compile(r"^(?=.*[A-Z].*[A-Z0-9])[A-Z][A-Z0-9]{1,6}$")
WORD = re.compile(r"^[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?$")
ACTOR_VERBS = frozenset("""attack seize launch regard view consider fear refuse reject support back accuse deploy
    acquire buy purchase sign say warn threaten insist demand deny condemn denounce impose host mediate fight recruit
    oppose want seek call urge capture withdraw send receive order describe agree pledge vow retaliate respond
    block veto sanction invade shell ambush storm declare announce join expel suspend recognise recognize argue
    accept control supply arm train fund finance sell lift work cooperate collaborate coordinate partner ally""".split())
AUX = frozenset("""has have had will would could may might also already long repeatedly
    since then now still itself reportedly allegedly""".split())
POSS_HEADS = frozenset("""forces force government army troops military leaders leader president authorities
    fighters offensive advance support police officials soldiers militia junta administration""".split())
BEFORE = (("backed", "by"), ("supported", "by"), ("alongside",), ("alongside", "the"), ("known", "as"),
          ("support", "for"), ("support", "for", "the"), ("ties", "with"), ("ties", "with", "the"),
          ("cooperation", "with"), ("cooperation", "with", "the"),
          # the members of a group: "fighters of JNIM", "commanders of the ADF"
          ("fighters", "of"), ("militants", "of"), ("members", "of"), ("commanders", "of"), ("fighters", "of", "the"),
          ("militants", "of", "the"), ("members", "of", "the"), ("commanders", "of", "the"))
STOP = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december however outlook meanwhile president prime minister parliament
    council western eastern northern southern central congress senate treasury today yesterday washington
    god muslims christians un eu us uk usa ok tv ceo the a an this that these those it its they their them we our
    i you he she his her there here when while after before since if as at in on by for with from but and or yet so
    both each either neither some many most all any no not one two three several such what which who whose where
    why how then now also only even still first last next new other another during despite although though
    because until unless once""".split())
AFTER_OK = frozenset("""and or in to of with from on as at for by since after which that who rebels rebel fighters
    militants militia offensive""".split())
# plural heads of a described armed group, and capitalised words that name no one ("Allied forces")
ARMED_PLURALS = frozenset(["militants", "militias", "rebels", "fighters", "insurgents", "separatists", "guerrillas",
                           "paramilitaries", "jihadists"])
GENERIC_CAPS = frozenset(["allied", "coalition", "government", "federal", "security", "special", "armed", "islamist",
                          "jihadist", "rebel", "militant", "foreign", "local", "regional", "national", "tribal"])
ARMED_NEAR = frozenset(["rebels", "rebel", "fighters", "militants", "militia", "militias", "insurgents", "jihadists"])
ORG_NEAR = frozenset(["bloc", "organisation", "organization", "union", "community"])


# plural armed-group nouns that name an actor of their own where no named group has that head
BARE_GROUPS = frozenset(["bandits", "pirates", "cartels", "gangs", "militias", "jihadists", "insurgents",
                         "militants", "guerrillas", "smugglers", "traffickers"])
# heads of an armed group's definite description ("the separatists", "the militia", "the cartels")
DESCRIPTION_HEADS = frozenset(["militant", "militia", "rebel", "fighter", "insurgent", "separatist", "guerrilla",
                               "paramilitary", "jihadist", "cartel", "gang", "movement", "front", "brigade"])


def _singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _slug(words) -> str:
    return re.sub(r"[^a-z0-9]+", "-", " ".join(words).lower().replace("'s", "s").replace("’s", "s")).strip("-")


def _initials_fit(acronym: str, initials: str) -> bool:
    """The acronym's letters are the name's initials, in order (some may be skipped:
    "ISMP" for Islamic State Mozambique Province, "AFC" for Alliance Fleuve Congo)."""
    letters = [c for c in acronym if c.isalpha()]
    if len(letters) < 2 or letters[0] != initials[:1]:
        return False
    rest = iter(initials)
    return all(c in rest for c in letters)


def _cap(t) -> bool:
    c = t.text[:1]
    return c.isupper() and t.text.lower() not in LEADING


class NewActors:
    """The document's actors outside the gazetteer (one per Extractor)."""

    def __init__(self, res):
        self.res = res
        self.by_slug: dict[str, dict] = {}      # slug -> {actor, class, label}
        self.surfaces: dict[tuple, str] = {}    # token texts -> slug
        self.army: str | None = None            # the named army, for "the army"
        self.compass: dict[str, str] = {}       # "North" -> the one "North …" state named ("" if two)

    def entity(self, slug: str):
        return self.by_slug.get(slug)

    def actor_class(self, slug: str):
        e = self.by_slug.get(slug)
        return e["class"] if e else None

    def scan(self, sd) -> None:
        """Find new names in the sentence, then add an actor hit for every
        known name, acronym or "the army" (before build_mentions)."""
        toks = sd.toks
        n = len(toks)
        if not n:
            return
        taken = set()
        for s, e, kind, value in sd.entity_hits:
            if kind == "actor":
                taken.update(range(s, e))
        named = set(taken)
        for s_, e_, kind, value in sd.entity_hits:
            if kind == "demonym":
                named.update(range(s_, e_))
        for k, t in enumerate(toks):
            if t.lower in ARMED_PLURALS and t.text.islower() and k > 0 and k not in named:
                self._armed_description(toks, k, named)
            if t.text == "Government" and k + 2 < n and toks[k + 1].lower == "of" and k not in taken:
                # "the Government of National Unity" (a named government, not "the Government of Somalia")
                j = k + 2
                while j < n and toks[j].text[:1].isupper() and j not in taken:
                    j += 1
                if j > k + 2 and (j - k) >= 4 and not any(x in taken for x in range(k, j)):
                    words = [x.text for x in toks[k:j]]
                    slug = _slug(words)
                    if slug not in self.by_slug and slug not in self.res.actors:
                        self.by_slug[slug] = {"actor": slug, "class": "Actor", "label": " ".join(words)}
                        self.surfaces[tuple(words)] = slug
                        initials = "".join(w[0] for w in words if w[:1].isupper())
                        if len(initials) >= 2:
                            self.surfaces.setdefault((initials,), slug)
                        if j + 2 < n and toks[j].text == "(" and toks[j + 2].text == ")" and toks[j + 1].text.isupper():
                            self.surfaces.setdefault((toks[j + 1].text,), slug)
                continue
            if t.text == "(" and k not in taken:
                span = self._named_with_acronym(toks, k)
                if span is not None:
                    # the name wins over a gazetteer name inside it ("... Pakistan (TTP)")
                    sd.entity_hits[:] = [h for h in sd.entity_hits if h[1] <= span[0] or h[0] >= span[1]]
                    taken.difference_update(range(*span))
                continue
            cls = HEADS.get(t.lower)
            if cls is None or k in taken or not (t.text[:1].isupper() or (
                    t.lower in LOWER_HEADS and k > 0 and toks[k - 1].text[:1].isupper() and (k - 1) not in named)):
                continue   # ("the Sinaloa cartel", "the Wagner group": a name with a lower-case head)
            j = k - 1
            while j >= 0 and (_cap(toks[j]) or (toks[j].lower in INNER and j > 0 and _cap(toks[j - 1]))):
                j -= 1
            start = j + 1
            if start >= k or start == 0 and k - start < 2:
                continue   # a head alone ("Group") or a sentence-initial "Army ..."
            if any(x in taken for x in range(start, k + 1)):
                continue
            words = [x.text for x in toks[start:k + 1]]
            if words[0].lower() in INNER:
                continue
            if start in named and all(w.lower() in STATE_FORCE_WORDS for w in words[1:]):
                continue   # "the Lebanese Army", "the Sudanese Armed Forces": a demonym's forces are its state
            if t.lower == "government" and (len(words) < 3 or words[0].lower() in GOV_GENERIC):
                continue   # "the Federal Government" is a state's government, not a named actor
            slug = _slug(words)
            if not slug or slug in self.res.actors:
                continue
            label = " ".join(x.text for x in toks[start:k + 1]).replace(" 's", "'s").replace(" ’s", "’s").replace(" - ", "-")
            if slug not in self.by_slug:
                self.by_slug[slug] = {"actor": slug, "class": cls, "label": label}
                self.surfaces[tuple(words)] = slug
                initials = "".join(w[0] for w in words if w[:1].isupper())
                if len(initials) >= 2:
                    self.surfaces.setdefault((initials,), slug)
                if k + 3 < n and toks[k + 1].text == "(" and toks[k + 3].text == ")" and toks[k + 2].text.isupper():
                    self.surfaces.setdefault((toks[k + 2].text,), slug)
                if any(w.lower() in ARMY_WORDS for w in words):
                    self.army = slug if self.army is None else ""
        self._single_words(sd, taken)
        self._bare_groups(toks, named)
        hits = self._compass_states(sd, taken)
        if not self.surfaces:
            sd.entity_hits.extend(hits)
            return
        for k, t in enumerate(toks):
            if k in taken:
                continue
            for surf, slug in self.surfaces.items():
                m = len(surf)
                if k + m <= n and all(toks[k + i].text == surf[i] for i in range(m)) and not any(
                        (k + i) in taken for i in range(m)):
                    hits.append((k, k + m, "actor", slug))
            if self.army and t.lower == "army" and k > 0 and toks[k - 1].lower == "the":
                hits.append((k, k + 1, "actor", self.army))
            elif k > 0 and toks[k - 1].lower == "the" and (t.text.islower() or (
                    t.text[:1].isupper() and t.text[1:].islower() and not (k + 1 < n and toks[k + 1].text[:1].isupper()))):
                # ("the Front has fired …" after "the Polisario Front": a capitalised head alone too)
                slug = self._described(toks, k)
                if slug is not None:
                    hits.append((k, k + 1, "actor", slug))
        sd.entity_hits.extend(hits)

    def _compass_states(self, sd, taken) -> list:
        """"the North" and "the South" for the one state the document names "North …" or "South …"
        ("North Korea … The North fired several cruise missiles"; not "the North Atlantic")."""
        for s, e, kind, value in sd.entity_hits:
            actor = self.res.actors.get(value) if kind == "actor" else None
            first = actor.label.split()[0] if actor is not None and actor.cls == "State" else ""
            if first in ("North", "South") and self.compass.get(first) != value:
                self.compass[first] = value if first not in self.compass else ""
        toks = sd.toks
        return [(k, k + 1, "actor", self.compass[t.text]) for k, t in enumerate(toks)
                if t.text in ("North", "South") and self.compass.get(t.text) and k > 0 and k not in taken
                and toks[k - 1].lower == "the" and not (k + 1 < len(toks) and toks[k + 1].text[:1].isupper())]

    def _bare_groups(self, toks, named) -> None:
        """"the bandits have attacked villages", "Abuja refused to negotiate with the bandits": a
        plural armed-group noun used as an actor, where the text names no group with that head,
        is a label-only actor of its own ("bandits"), and so is every later use of the word."""
        for k, t in enumerate(toks):
            w = t.lower
            if w not in BARE_GROUPS or not t.text.islower() or k in named or (w,) in self.surfaces:
                continue
            if k > 0 and toks[k - 1].text[:1].isupper() and toks[k - 1].lower not in LEADING:
                continue   # "Kosovo Serb militants": _armed_description's
            if self._groups_headed(_singular(w)):
                continue   # "the separatists" after "Ambazonian separatists": that group
            if not (self._actor_position(toks, k) or self._actor_position_before(toks, k)):
                continue
            self.by_slug.setdefault(w, {"actor": w, "class": "NonStateArmedGroup", "label": w})
            self.surfaces[(w,)] = w

    def _described(self, toks, k) -> str | None:
        """"the separatists" after "Ambazonian separatists", "the cartel" after "the Sinaloa
        cartel": a definite description whose head is the head of exactly one armed group named
        before (not "the group of experts")."""
        head = _singular(toks[k].lower)
        if head not in DESCRIPTION_HEADS or (k + 1 < len(toks) and toks[k + 1].lower in ("of", "'s", "’s")):
            return None
        found = self._groups_headed(head)
        return found[0] if len(found) == 1 else None

    def _groups_headed(self, head: str) -> list[str]:
        """The armed groups of the document whose name ends in ``head`` (singular)."""
        return [slug for slug, e in self.by_slug.items() if e["class"] == "NonStateArmedGroup"
                and _singular(e["label"].split()[-1].lower()) == head]

    def _armed_description(self, toks, k, named) -> None:
        """"Kosovo Serb militants", "South Ossetian militias": capitalised words that are no
        known actor or demonym before an armed group's plural head describe a group of its own
        (a demonym's forces stay with its state: "Georgian militias")."""
        j = k
        while j > 0 and toks[j - 1].text[:1].isupper() and (j - 1) not in named and toks[j - 1].lower not in STOP \
                and not any(c.isdigit() for c in toks[j - 1].text) \
                and toks[j - 1].lower not in GENERIC_CAPS and k - j < 3:
            j -= 1
        if j == k or (j == 0 and k - j < 2) or (j > 0 and (j - 1) in named):
            return
        if k - j == 1 and ACRONYM.match(toks[j].text):
            return   # "the ZLF rebels": the acronym is the name (_single_words)
        words = [x.text for x in toks[j:k + 1]]
        slug = _slug(words)
        if not slug or slug in self.res.actors or slug in self.by_slug:
            return
        self.by_slug[slug] = {"actor": slug, "class": "NonStateArmedGroup", "label": " ".join(words)}
        self.surfaces[tuple(words)] = slug

    def _named_with_acronym(self, toks, k):
        """"Tehrik-i-Taliban Pakistan (TTP)", "Islamic State Mozambique Province (ISMP)": a
        capitalised name of two words or more that the writer abbreviates in brackets is a
        name, whatever its head; the acronym must be made of the name's initials. The class
        is the head noun's (HEADS), else Actor. Returns the token span of the name and its
        brackets, or None."""
        n = len(toks)
        if not (k + 2 < n and toks[k + 2].text == ")" and ACRONYM.match(toks[k + 1].text)):
            return None
        acronym = toks[k + 1].text
        j = k - 1
        while j >= 0 and (_cap(toks[j]) or (toks[j].lower in INNER and j > 0) or (
                toks[j].text.islower() and len(toks[j].text) <= 3 and j > 0 and toks[j - 1].text == "-")):
            j -= 1
        start = j + 1
        while start < k and not _cap(toks[start]):
            start += 1
        words = [x.text for x in toks[start:k]]
        caps = [w for w in words if w[:1].isupper()]
        if len(caps) < 2 or start == 0 and len(caps) < 3 or not _initials_fit(acronym, "".join(w[0] for w in caps)):
            found = self._lowercase_name(toks, k, acronym)
            if found is None:
                return None
            start, words = found
        slug = _slug(words)
        if not slug or slug in self.res.actors:
            return None   # the gazetteer's own name
        if slug in self.by_slug:
            return (start, k + 3)
        label = " ".join(words).replace(" - ", "-").replace(" -", "-").replace("- ", "-").replace(
            " 's", "'s").replace(" ’s", "’s")
        self.by_slug[slug] = {"actor": slug, "class": HEADS.get(words[-1].lower(), "Actor"), "label": label}
        self.surfaces[tuple(words)] = slug
        self.surfaces.setdefault((acronym,), slug)
        return (start, k + 3)

    @staticmethod
    def _lowercase_name(toks, k, acronym):
        """A name written in sentence case, as French, Spanish or Portuguese names are, before
        the bracket at ``k`` ("Coalition des patriotes pour le changement (CPC)", "Frente de
        Libertação de Moçambique (FRELIMO)"): the shortest run of words from a capitalised
        first word whose initials, upper or lower case, hold the acronym's letters in order.
        (start, words) or None."""
        letters = acronym.lower()
        for start in range(k - 2, max(-1, k - 9), -1):
            t = toks[start]
            if not t.text[:1].isupper() or t.lower in LEADING:
                continue
            words = [x.text for x in toks[start:k]]
            if not all(w.isalpha() or w in ("-", "'") for w in words):
                return None
            initials = "".join(w[0].lower() for w in words if w[:1].isalpha())
            if initials[:1] == letters[:1] and _initials_fit(letters, initials):
                return start, words
        return None

    def register(self, sd) -> None:
        """Look ahead: one-word names the paragraph uses as actors (before its
        sentences are scanned, so that an earlier mention is found too)."""
        taken = set()
        for s, e, kind, value in sd.entity_hits:
            if kind == "actor":
                taken.update(range(s, e))
        self._single_words(sd, taken)

    def _single_words(self, sd, taken) -> None:
        """Register one-word names (acronyms, capitalised words) that stand in an
        actor position in this sentence."""
        toks = sd.toks
        n = len(toks)
        covered = set(taken)
        for s, e, kind, value in sd.entity_hits:
            covered.update(range(s, e))
        for s, e, _, _ in sd.triggers:
            covered.update(range(s, e))
        for k, t in enumerate(toks):
            text = t.text
            if k in covered or (text,) in self.surfaces:
                continue
            name = self._compound_name(toks, k, covered)
            if name is not None:
                self._add_compound(toks, k, name)
                continue
            acro = bool(ACRONYM.match(text))
            if not acro and not WORD.match(text):
                continue
            low = t.lower
            if low in STOP or self.res.actors.get(low) is not None:
                continue
            if not acro and (k == 0 and t.norm != low or low.endswith(("ian", "ians", "ese", "ish", "ans"))):
                continue   # "Analysts say": a sentence-initial common noun; demonyms
            if k + 1 < n and toks[k + 1].text[:1].isupper() and toks[k + 1].lower not in ("'s", "’s"):
                continue   # part of a longer name
            if k > 0 and toks[k - 1].text[:1].isupper() and toks[k - 1].lower not in LEADING and k - 1 != 0:
                continue
            if not self._actor_position(toks, k):
                continue
            near = {x.lower for x in toks[max(0, k - 2):k + 3]}
            cls = "NonStateArmedGroup" if near & ARMED_NEAR else "InternationalOrganization" if (
                acro and near & ORG_NEAR) else "Actor"
            slug = _slug([text])
            if not slug or slug in self.res.actors or slug in self.by_slug:
                continue
            self.by_slug[slug] = {"actor": slug, "class": cls, "label": text}
            self.surfaces[(text,)] = slug

    def _compound_name(self, toks, k, covered) -> int | None:
        """The end of a name of a few words that starts at ``k`` and has no head noun but stands
        in an actor position: a hyphenated acronym ("SPLM-IO forces"), or two or three
        capitalised words ("support for Republika Srpska", "Tren de Aragua has …"). None if
        there is none (names with a head noun are found by ``scan``)."""
        n = len(toks)
        if not toks[k].text[:1].isupper() or k + 1 >= n or not (toks[k + 1].text == "-" or toks[k + 1].text[:1].isupper()
                                                              or toks[k + 1].lower in ("de", "del", "al", "el")):
            return None   # (most tokens: not the start of a name of several words)
        if k > 0 and toks[k - 1].text[:1].isupper() and toks[k - 1].lower not in LEADING and k - 1 != 0:
            return None   # inside a longer capitalised run
        if k + 2 < n and ACRONYM.match(toks[k].text) and toks[k + 1].text == "-" and ACRONYM.match(toks[k + 2].text):
            # two acronyms joined ("SPLM-IO", "FARC-EP"): an organisation's name wherever it stands
            end = k + 3
            if end < n and toks[end].text[:1].isupper() or any(x in covered for x in range(k, end)):
                return None
            return end
        end = k
        while end < n and end - k < 4 and (WORD.match(toks[end].text) or (
                end > k and toks[end].lower in ("de", "del", "al", "el") and end + 1 < n and WORD.match(toks[end + 1].text))):
            end += 1
        if end - k < 2 or toks[end - 1].lower in ("de", "del", "al", "el"):
            return None
        if any(toks[x].lower in STOP or toks[x].lower in HEADS or self.res.actors.get(toks[x].lower)
               is not None or toks[x].lower.endswith(("ian", "ians", "ese", "ish")) for x in range(k, end)):
            return None   # titles, days, demonyms, known names
        if end < n and toks[end].text[:1].isupper() or any(x in covered for x in range(k, end)):
            return None
        if k == 0:
            # a sentence's first words are capitalised anyway: a name only before an actor's verb
            return end if self._actor_position(toks, end - 1) and end < n and toks[end].text[:1].isalpha() else None
        if not (self._actor_position(toks, end - 1) or self._actor_position_before(toks, k)
                or self._coordinated_with_known(toks, k)):
            return None
        return end

    def _coordinated_with_known(self, toks, k) -> bool:
        """"Los Choneros and Los Lobos": a name coordinated with a name already taken as an actor."""
        if k < 2 or toks[k - 1].lower not in ("and", "or", ","):
            return False
        return any(k - 1 >= len(surf) and tuple(x.text for x in toks[k - 1 - len(surf):k - 1]) == surf
                   for surf in self.surfaces)

    def _add_compound(self, toks, k, end) -> None:
        words = [x.text for x in toks[k:end]]
        slug = _slug(words)
        if not slug or slug in self.res.actors or slug in self.by_slug:
            return
        label = " ".join(words).replace(" - ", "-")
        near = {x.lower for x in toks[max(0, k - 2):end + 3]}
        cls = "NonStateArmedGroup" if near & ARMED_NEAR or "forces" in near else "Actor"
        self.by_slug[slug] = {"actor": slug, "class": cls, "label": label}
        self.surfaces[tuple(words)] = slug

    @staticmethod
    def _actor_position_before(toks, k) -> bool:
        """Words before ``k`` that make what follows an actor ("backed by", "support for",
        "regards …", "backs …")."""
        j = k - 1 if k > 0 and toks[k - 1].lower == "the" else k
        if j > 0 and toks[j - 1].norm in ATTITUDE_VERBS and toks[j - 1].text[:1].islower():
            return True
        return any(j >= len(b) and tuple(x.lower for x in toks[j - len(b):j]) == b for b in BEFORE)

    @staticmethod
    def _actor_position(toks, k) -> bool:
        n = len(toks)
        j = k + 1
        if j < n and toks[j].lower in ("'s", "’s"):
            return j + 1 < n and (toks[j + 1].lower in POSS_HEADS or (
                j + 2 < n and toks[j + 2].lower in POSS_HEADS and toks[j + 1].lower in ("own", "armed", "military")))
        if j < n and toks[j].text == ",":
            # "Kosovo, for its part, has …", "Kinshasa, in turn, …"
            m = j + 1
            while m < n and m - j <= 5 and toks[m].text != ",":
                m += 1
            if m < n and toks[m].text == "," and toks[j + 1].lower in ("for", "in", "meanwhile", "too", "however"):
                j = m + 1
            else:
                # "JNIM, al-Qaeda's Sahel affiliate, has …": an apposition that calls it an armed group
                m = j + 1
                while m < n and m - j <= 12 and toks[m].text != ",":
                    m += 1
                if m < n and toks[m].text == "," and any(x.lower in GROUP_APPOSITION for x in toks[j + 1:m]):
                    j = m + 1
        j0 = j
        while j < n and toks[j].lower in AUX:
            j += 1
        det = k > 0 and (toks[k - 1].lower in ("the", "a", "an", "its", "their", "his", "her") or toks[k - 1].text[:1].isdigit())
        if j < n and j > k and toks[j].norm in ACTOR_VERBS and (j > j0 or not det):
            return True   # ("the 2008 Mumbai attacks": a noun after a modifier)
        if ACRONYM.match(toks[k].text) and k + 1 < n and toks[k + 1].lower in ARMED_NEAR:
            return True   # "M23 rebels", "the FDLR militia"
        if ACRONYM.match(toks[k].text) and k >= 1:
            # an acronym right after an actor's verb: "Rwanda backs M23", "support the FDLR"
            m = k - 1 if toks[k - 1].lower != "the" else k - 2
            nxt = toks[k + 1] if k + 1 < n else None
            if m >= 0 and toks[m].norm in ACTOR_VERBS and (nxt is None or not nxt.text[:1].isalpha() or nxt.lower in AFTER_OK):
                return True   # (not "deployed THAAD batteries": a modifier)
        for before in BEFORE:
            m = len(before)
            if k >= m and tuple(x.lower for x in toks[k - m:k]) == before:
                return True
        return False
