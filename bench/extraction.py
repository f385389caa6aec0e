"""Quality and speed of the automatic claim extractor.

    python bench/extraction.py [--update-precision] [--no-speed] [--no-heldout] [--first-sight]
                               [--out bench/results/extraction.md]

Quality: the extractor's claims against
  (a) the seed's reviewed claims file kb/claims/nk-missile-launches.yaml, and
  (b) the analyst's claims in ../shared/corpus/dev/*.gold.json (schema in that
      folder's README), and
  (c) the documents of bench/heldout/ (same schema, the text next to each as
      <name>.txt), written blind by someone else to measure generalisation,
      in three groups (bench/heldout/README.md):
        * "dev-2" (china-taiwan, india-pakistan): a second development set
          since 2026-11-25 (~19:40 UTC); scored and listed like the dev documents;
        * "dev-3" (russia-nato, iran-nuclear): held out for one measurement,
          a third development set since 2026-11-25 (~19:50 UTC); scored and
          listed like the dev documents;
        * "dev-4" (china-philippines, armenia-azerbaijan, venezuela-guyana,
          ethiopia-eritrea; Batch 2): held out for one measurement (F1 0.34),
          a fourth development set since 2026-11-25; scored and listed like
          the dev documents;
        * "dev-5" (korea-satellites, israel-iran, sudan-war, ukraine-air-war;
          Batch 3): held out for one measurement (F1 0.49), a fifth development
          set since 2026-12-06; scored and listed like the dev documents;
        * "dev-6" onwards (the blind batches bench/heldout/batch4/ and later,
          two per round from dev-8): each held out for one first-sight
          measurement, a development set since; bench/first_sight.yaml lists
          every round with its first-sight figures (DEV_FOLDERS below is read
          from it), and each round's record is
          bench/results/extraction-first-sight-*.md. Opened by folder name and
          scored and listed like the dev documents;
        * "held-out" (every other bench/heldout/*.gold.json): the test
          set. Only their aggregate precision / recall / F1 per document is
          printed -- no per-predicate counts, no confusion list -- and they
          are never used for --update-precision, so that nobody tunes the
          extractor on them. --no-heldout skips them altogether.
      The other blind batches in bench/heldout/batch*/ (being written by someone
      else) are never opened, listed or scored unless --first-sight is given;
      then they are scored as "held-out" documents (aggregate figures only),
      for their single first-sight measurement.
      A bench/heldout/gazetteer.yaml, if present, is used as the project
      gazetteer (bundled actors + its own) for those documents.
A predicted claim matches a reference claim when the sentence and predicate
agree and both subject and object match:
  * actors by Wikidata item (through the gazetteer), else by gazetteer id;
    governments and publics by their state; groups by slug; an actor outside
    the gazetteer ({actor: slug, label: ...} predicted, {"label": ...,
    "aliases": [...]} in the gold) by its normalised label or an alias;
  * events, situations and capabilities by class up the hierarchy (a predicted
    MissileTest matches a reference MissileLaunch; "Event" matches any event;
    a list of classes matches any of them) and by their actors as a set: for the
    dev gold the predicted actors must include `participants` and lie within
    `participants` + `optional`; for the seed file, where every actor is
    written out, the predicted actors must lie within the reference ones and
    share at least one with them. An event's actors are its agents and
    participants (fp:hasAgent / fp:hasParticipant, as the gold schema defines
    them); its targets are a claim of their own (before 2026-12-07 they were
    counted as well; --targets-as-participants scores that way);
  * predicates up the property hierarchy (a predicted `triggers` matches a
    reference `causes`, `hasAgent` matches `hasParticipant`), `alt_predicates`
    (with `swap`), and "leads to increased X" (`causes` accepted for a
    reference `increases`/`decreases` of a situation, as the dev README says);
  * stances: `stance` = holdsStance with the same policy and stance value.
Predicates that a reference does not use at all (for the dev gold:
`beginning`, `acceleratedFrom`, `hasMember`, `partOf`, `involves`) are not
scored for that reference. Matching is one-to-one, greedy in document order.

Speed: sentences per second of `extract_text` over a generated 10,000-sentence
news-like corpus (bench/gen_corpus.py), against spaCy's bare tokenizer
(`spacy.blank("en")`) over the same text, in the same run.

--update-precision rewrites loaders/extract/patterns/precision.yaml with each
rule's smoothed precision (tp + 1) / (tp + fp + 2) over the seed, dev, dev-2,
dev-3, dev-4, dev-5 and dev-6 references (never the held-out ones); the extractor uses it as the claims'
confidence.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "bench"))

import first_sight  # noqa: E402  (bench/first_sight.py: the record of every blind round)
from flashpoint.gazetteer import load_gazetteer  # noqa: E402
from flashpoint.loaders.extract import extract_document, extract_text  # noqa: E402
from flashpoint.loaders.extract.classes import hierarchy_of  # noqa: E402
ancestors = hierarchy_of().ancestors  # the bundled ontology's classes: a class, then its ancestors, nearest first

SUBPROPERTY = {"triggers": "causes", "hasAgent": "hasParticipant"}
DEV_PREDICATES = {"perceivesAsThreat", "perceivesAsProvocation", "causes", "triggers", "respondsTo", "increases",
                  "decreases", "hasCapability", "allyOf", "cooperatesWith", "adversaryOf", "hasParticipant",
                  "hasAgent", "targets", "holdsStance"}
SYMMETRIC = {"allyOf", "cooperatesWith", "adversaryOf"}
# whether an extracted event's targets count among the actors it involves (the scoring before 2026-12-07)
TARGETS_AS_PARTICIPANTS = False


# ----------------------------------------------------------------------------- normalising
class Norm:
    def __init__(self, gazetteer=None):
        self.gaz = gazetteer if gazetteer is not None else load_gazetteer()
        self.by_name = {}
        for a in self.gaz.actors.values():
            for text, _ in a.surface_forms():
                self.by_name.setdefault(text.lower(), a.id)
            self.by_name.setdefault(a.id, a.id)
        self.label_alias = {}   # normalised label or alias of a gold label-only actor -> its normalised label

    def actor_key(self, actor_id: str) -> str:
        a = self.gaz.get(actor_id)
        if a is not None and a.wikidata:
            return a.wikidata
        return actor_id

    # predicted / seed YAML entity -> ("actor", key) | ("thing", kind, cls, frozenset) | ("policy", ...) ...
    def yaml_entity(self, e):
        if isinstance(e, str):
            return ("actor", self.actor_key(e))
        if "government" in e:
            return ("actor", "gov:" + self.state_key(e["government"], e))
        if "public" in e:
            return ("actor", "pub:" + self.state_key(e["public"], e))
        if "group" in e:
            return ("actor", "grp:" + e["group"])
        if "actor" in e:
            aid = self.by_name.get(e.get("label", "").lower(), e["actor"])
            if self.gaz.get(aid) is None:
                return ("actor", self.label_actor(e))
            return ("actor", self.actor_key(aid))
        if "event" in e:
            # the gold schema's participants are fp:hasParticipant / fp:hasAgent; fp:targets is its own
            # claim (before 2026-12-07 targets were counted too: --targets-as-participants)
            roles = ("agents", "participants", "targets") if TARGETS_AS_PARTICIPANTS else ("agents", "participants")
            acts = [x for k in roles for x in e.get(k, [])]
            return ("thing", "event", e["event"], frozenset(self.yaml_entity(a)[1] for a in acts))
        if "situation" in e:
            return ("thing", "situation", e["situation"], frozenset(self.yaml_entity(a)[1] for a in e.get("involves", [])))
        if "capability" in e:
            h = e.get("holder")
            return ("thing", "capability", e["capability"], frozenset([self.yaml_entity(h)[1]] if h else []))
        if "stance" in e:
            return ("stance", e["stance"], e["policy"])
        if "policy" in e:
            return ("policy", e["policy"])
        if "year" in e:
            return ("year", int(e["year"]), e.get("precision", "year"))
        return ("unknown", json.dumps(e, sort_keys=True))

    # dev gold ENTITY -> same shapes, with optional actors
    def gold_actor(self, e) -> str:
        if "qid" in e:
            return e["qid"]
        for name in [e.get("label", "")] + list(e.get("aliases", [])):
            aid = self.by_name.get(name.lower())
            if aid:
                return self.actor_key(aid)
        label = _norm_label(e.get("label", "?"))
        for name in [e.get("label", "")] + list(e.get("aliases", [])):
            self.label_alias.setdefault(_norm_label(name), label)
        return "label:" + label

    def state_key(self, state, e) -> str:
        """The state of a predicted government or public: a gazetteer actor by its
        key, one outside the gazetteer (a slug) by its label, as for the actor itself."""
        if isinstance(state, dict):
            return self.yaml_entity(state)[1]
        if self.gaz.get(state) is not None:
            return self.actor_key(state)
        return self.label_actor({"actor": state, "label": e.get("label", "")})

    def label_actor(self, e) -> str:
        """A predicted actor outside the gazetteer: by its label (or slug), through
        the gold's aliases."""
        for name in (e.get("label", ""), e["actor"].replace("-", " ")):
            key = _norm_label(name)
            if key in self.label_alias:
                return "label:" + self.label_alias[key]
        return "label:" + _norm_label(e.get("label") or e["actor"].replace("-", " "))

    def gold_entity(self, e):
        if "policy" in e:
            return ("policy", e["policy"])
        cls = e.get("class")
        if cls in ("Government", "Public"):
            st = self.gold_actor(e["participants"][0])
            return ("actor", ("gov:" if cls == "Government" else "pub:") + st)
        if cls is None:
            return ("actor", self.gold_actor(e))
        classes = cls if isinstance(cls, list) else [cls]
        part = frozenset(self.gold_actor(a) for a in e.get("participants", []))
        opt = frozenset(self.gold_actor(a) for a in e.get("optional", []))
        return ("gthing", tuple(classes), part, opt)


def _norm_label(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", text.lower().replace("’", "'").replace("'s ", " ")).split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _kind_of(cls: str) -> str:
    top = ancestors(cls)[-1]
    return {"Event": "event", "Situation": "situation", "Capability": "capability"}.get(top, "event")


def match_entity(pred, gold, seed: bool) -> bool:
    if gold[0] == "gthing":
        if pred[0] != "thing":
            return False
        _, classes, part, opt = gold
        if not any(c in ancestors(pred[2]) for c in classes):
            return False
        acts = pred[3]
        return part <= acts <= (part | opt)
    if gold[0] == "thing":
        if pred[0] != "thing" or gold[2] not in ancestors(pred[2]):
            return False
        if seed:
            return pred[3] <= gold[3] and (not gold[3] or bool(pred[3] & gold[3]) or not pred[3])
        return pred[3] == gold[3]
    if gold[0] == "stance":
        return pred[0] == "stance" and pred[1:] == gold[1:]
    return pred == gold


def predicate_ok(pred_p: str, gold_p: str) -> bool:
    return pred_p == gold_p or SUBPROPERTY.get(pred_p) == gold_p


# ----------------------------------------------------------------------------- references
def seed_reference(norm: Norm):
    path = ROOT / "kb" / "claims" / "nk-missile-launches.yaml"
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    gold = []
    for c in data["claims"]:
        gold.append({
            "sentence": c["sentence"], "predicate": c["predicate"],
            "subject": norm.yaml_entity(c["subject"]), "object": norm.yaml_entity(c["object"]),
            "modality": c.get("modality", "asserted"), "habitual": bool(c.get("habitual", False)),
            "alts": [], "quote": c["quote"], "seed": True,
        })
    return ROOT / "kb" / "documents" / "nk-missile-launches.txt", gold


HELDOUT = ROOT / "bench" / "heldout"
# bench/heldout documents moved to development on 2026-11-25: dev-2 (~19:40 UTC) and dev-3 (~19:50 UTC);
# every other bench/heldout/*.gold.json is held out
DEV2 = frozenset(["china-taiwan", "india-pakistan"])
DEV3 = frozenset(["russia-nato", "iran-nuclear"])
# Batch 2, scored once as held-out (F1 0.34), development since then
DEV4 = frozenset(["china-philippines", "armenia-azerbaijan", "venezuela-guyana", "ethiopia-eritrea"])
# Batch 3, scored once as held-out (F1 0.49: israel-iran 0.62, korea-satellites 0.58, sudan-war 0.26,
# ukraine-air-war 0.42), development since 2026-12-06
DEV5 = frozenset(["korea-satellites", "israel-iran", "sudan-war", "ukraine-air-war"])
# The blind batches opened for development, one entry per first-sight round: the group name, its
# folders, and the first-sight figure it was held out for (bench/results/extraction-first-sight-*.md
# has each round's record). Only these folders are opened by name -- no other bench/heldout/batch*/
# folder is opened, listed or scored unless --first-sight.
# the blind batches opened after their first sight, from the record of every round (first_sight.py)
ROUNDS = first_sight.load_rounds()
DEV_FOLDERS = first_sight.dev_folders(ROUNDS)
# batch12-second holds a second, independent annotator's gold for batch 12's texts
# (bench/agreement.py), scored once against the extractor too (F1 0.41), never developed on
SECOND_ANNOTATOR_FOLDERS = ("batch12-second",)
# Learned rules are trained on the development sets, so their precision there is in-sample; their
# confidence comes from what they added at first sight instead (right, wrong), round by round in
# bench/first_sight.yaml (the aggregate counts with and without the pair model)
OUT_OF_SAMPLE_COUNTS = {"pair-model": first_sight.pair_model_counts(ROUNDS)}
# the development sets in the order the tables list them (dev-6 onwards by folder)
DEV_GROUPS = ("dev-2", "dev-3", "dev-4", "dev-5") + tuple(DEV_FOLDERS)
OPENED_FOLDERS = sum(DEV_FOLDERS.values(), ()) + SECOND_ANNOTATOR_FOLDERS
# blind batches written by someone else: never opened unless --first-sight
BLIND_GLOB = "batch*"


def dev_references(norm: Norm, folder: Path | None = None):
    folder = SHARED / "corpus" / "dev" if folder is None else folder
    out = []
    if not folder.exists():
        return out
    for gpath in sorted(folder.glob("*.gold.json")):
        data = json.loads(gpath.read_text(encoding="utf-8"))
        norm.label_alias = {}   # one document's label-only actors and their aliases
        gold = []
        for c in data["claims"]:
            pred = c["predicate"]
            obj = norm.gold_entity(c["object"])
            if pred == "stance":
                pred = "holdsStance"
                obj = ("stance", c["stance_value"].lower(), c["object"]["policy"])
            alts = []
            for a in c.get("alt_predicates", []) or []:
                if isinstance(a, str):
                    alts.append((a, False))
                else:
                    alts.append((a["predicate"], bool(a.get("swap"))))
            gold.append({
                "sentence": c["sentence"], "predicate": pred, "subject": norm.gold_entity(c["subject"]),
                "object": obj, "modality": c["modality"].lower(), "habitual": bool(c.get("habitual", False)),
                "alts": alts, "quote": c["quote"], "seed": False, "aliases": norm.label_alias,
            })
        out.append((folder / data["document"] if (folder / data["document"]).exists() else gpath.with_name(
            gpath.name.replace(".gold.json", ".txt")), gold))
    return out


def claim_matches(p, g) -> bool:
    if p["sentence"] != g["sentence"]:
        return False
    options = [(g["predicate"], False)] + g["alts"]
    if g["predicate"] in ("increases", "decreases") and g["object"][0] in ("gthing", "thing"):
        gcls = g["object"][1][0] if g["object"][0] == "gthing" else g["object"][2]
        if _kind_of(gcls) == "situation":
            options.append(("causes", False))
    for gp, swap in options:
        if not predicate_ok(p["predicate"], gp):
            continue
        gs, go = (g["object"], g["subject"]) if swap else (g["subject"], g["object"])
        if match_entity(p["subject"], gs, g["seed"]) and match_entity(p["object"], go, g["seed"]):
            return True
        if gp in SYMMETRIC and match_entity(p["subject"], go, g["seed"]) and match_entity(p["object"], gs, g["seed"]):
            return True
    return False


def score(pred_claims, gold, scored_predicates):
    preds = [p for p in pred_claims if p["predicate"] in scored_predicates]
    used = set()
    matches = []
    misses = []
    for g in gold:
        hit = None
        for i, p in enumerate(preds):
            if i in used:
                continue
            if claim_matches(p, g):
                hit = i
                break
        if hit is None:
            misses.append(g)
        else:
            used.add(hit)
            matches.append((preds[hit], g))
    false_alarms = [p for i, p in enumerate(preds) if i not in used]
    return matches, misses, false_alarms


def fmt_entity(e) -> str:
    if e[0] == "actor":
        return e[1]
    if e[0] == "thing":
        return f"{e[2]}({','.join(sorted(e[3]))})"
    if e[0] == "gthing":
        opt = f"; opt {','.join(sorted(e[3]))}" if e[3] else ""
        return f"{'|'.join(e[1])}({','.join(sorted(e[2]))}{opt})"
    if e[0] == "stance":
        return f"{e[1]}:{e[2]}"
    if e[0] == "policy":
        return f"policy:{e[1]}"
    if e[0] == "year":
        return f"{e[1]}/{e[2]}"
    return str(e)


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def heldout_gazetteer():
    path = HELDOUT / "gazetteer.yaml"
    return load_gazetteer(path) if path.exists() else None


def run_quality(norm: Norm, heldout: bool = True, first_sight: bool = False, batches: tuple = ()):
    """(name, gold, preds, matches, misses, false alarms) per reference document;
    names start with "seed:", "dev:", "dev-2:", "dev-3:", "dev-4:", "dev-5:" or "held-out:". ``heldout=False``
    leaves the held-out documents out (dev-2 … dev-5 are always scored). The blind batches
    (bench/heldout/batch*/) are opened only with ``first_sight=True``, as held-out documents;
    ``batches`` (folder names) limits them to those, so that one batch can be scored while
    another stays unopened."""
    return [score_document(*ref) for ref in references(norm, heldout, first_sight, batches)]


def references(norm: Norm, heldout: bool = True, first_sight: bool = False, batches: tuple = ()):
    """(name, text path, gold, gazetteer, norm) of the reference documents ``run_quality`` scores."""
    refs = []
    seed = seed_reference(norm)
    if seed is not None:
        refs.append(("seed: nk-missile-launches", seed[0], seed[1], None, norm))
    for path, gold in dev_references(norm):
        refs.append((f"dev: {path.stem}", path, gold, None, norm))
    if HELDOUT.is_dir():
        gaz = heldout_gazetteer()
        hnorm = Norm(gaz) if gaz is not None else norm
        later = []
        groups = {g: [] for g in DEV_GROUPS}
        for path, gold in dev_references(hnorm, HELDOUT):
            if path.stem in DEV2:
                refs.append((f"dev-2: {path.stem}", path, gold, gaz, hnorm))
            elif path.stem in DEV3:
                groups["dev-3"].append((f"dev-3: {path.stem}", path, gold, gaz, hnorm))
            elif path.stem in DEV4:
                groups["dev-4"].append((f"dev-4: {path.stem}", path, gold, gaz, hnorm))
            elif path.stem in DEV5:
                groups["dev-5"].append((f"dev-5: {path.stem}", path, gold, gaz, hnorm))
            elif heldout:
                later.append((f"held-out: {path.stem}", path, gold, gaz, hnorm))
        for group, folders in DEV_FOLDERS.items():
            # dev-6 onwards: opened by name, never by listing bench/heldout/
            for name in folders:
                for path, gold in dev_references(hnorm, HELDOUT / name):
                    groups[group].append((f"{group}: {name}/{path.stem}", path, gold, gaz, hnorm))
        if heldout and first_sight:
            # the blind batches: only on request, for their one first-sight measurement
            for folder in sorted(p for p in HELDOUT.glob(BLIND_GLOB) if p.is_dir() and p.name not in OPENED_FOLDERS
                                 and (not batches or p.name in batches)):
                for path, gold in dev_references(hnorm, folder):
                    later.append((f"held-out: {folder.name}/{path.stem}", path, gold, gaz, hnorm))
        refs += [r for g in DEV_GROUPS[1:] for r in groups[g]] + later   # (dev-2 is listed as it is read)
    return refs


def score_document(name, path, gold, gaz, norm):
    """(name, gold, preds, matches, misses, false alarms) of one reference document."""
    out = extract_document(path, gazetteer=gaz)
    if gold and "aliases" in gold[0]:
        norm.label_alias = gold[0]["aliases"]   # this document's label-only actors
    preds = []
    for c in out["claims"]:
        preds.append({
            "sentence": c["sentence"], "predicate": c["predicate"],
            "subject": norm.yaml_entity(c["subject"]), "object": norm.yaml_entity(c["object"]),
            "modality": c["modality"], "habitual": c["habitual"], "rule": c["extracted_by"], "quote": c["quote"], "conf": c["confidence"],
        })
    scored = DEV_PREDICATES if not gold or not gold[0]["seed"] else {g["predicate"] for g in gold} | DEV_PREDICATES
    scored = scored | {g["predicate"] for g in gold}
    matches, misses, fas = score(preds, gold, scored)
    return name, gold, preds, matches, misses, fas


# ----------------------------------------------------------------------------- speed
def run_speed(n_sentences: int = 10_000, repeats: int = 2):
    import spacy

    from gen_corpus import generate

    text = generate(n_sentences, seed=7)
    from flashpoint.loaders.text import split_sentences

    n = len(split_sentences(text))
    nlp = spacy.blank("en")
    best_tok = best_ext = float("inf")
    claims = 0
    extract_text("warm up. North Korea views the drills as a threat.", "warm.txt", "0")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for para in text.split("\n\n"):
            nlp.tokenizer(para)
        best_tok = min(best_tok, time.perf_counter() - t0)
        t0 = time.perf_counter()
        out = extract_text(text, "generated.txt", "0")
        best_ext = min(best_ext, time.perf_counter() - t0)
        claims = len(out["claims"])
    return {"sentences": n, "chars": len(text), "claims": claims, "extract_s": best_ext, "tokenizer_s": best_tok,
            "extract_sps": n / best_ext, "tokenizer_sps": n / best_tok}


# ----------------------------------------------------------------------------- report
def _group(name: str) -> str:
    return name.split(":", 1)[0]


GROUP_LABEL = {"all": "all (seed + dev)", **{g: g for g in DEV_GROUPS}, "held-out": "held-out"}


def report(results, speed) -> str:
    lines = ["## Extraction quality", ""]
    lines.append("| reference | gold | predicted | matched | precision | recall | F1 | modality acc. | habitual acc. |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    per_pred = defaultdict(lambda: [0, 0, 0])
    totals = {}   # group -> [tp, fp, fn, modality ok, matched]

    def total_row(key, t):
        p, r, f = prf(t[0], t[1], t[2])
        mod = "" if key == "held-out" else f"{(t[3] / t[4] if t[4] else 0):.2f}"
        return (f"| **{GROUP_LABEL[key]}** | {t[0] + t[2]} | {t[0] + t[1]} | {t[0]} | {p:.2f} | {r:.2f} | **{f:.2f}** | "
                f"{mod} | |")

    for name, gold, preds, matches, misses, fas in results:
        group = _group(name)
        tp, fp, fn = len(matches), len(fas), len(misses)
        p, r, f = prf(tp, fp, fn)
        mo = sum(1 for pc, g in matches if pc["modality"] == g["modality"])
        ho = sum(1 for pc, g in matches if pc["habitual"] == g["habitual"])
        if group == "held-out":
            # the test set: aggregate precision / recall / F1 only
            lines.append(f"| {name} | {len(gold)} | {tp + fp} | {tp} | {p:.2f} | {r:.2f} | **{f:.2f}** | | |")
        else:
            lines.append(f"| {name} | {len(gold)} | {tp + fp} | {tp} | {p:.2f} | {r:.2f} | **{f:.2f}** | "
                         f"{(mo / len(matches) if matches else 0):.2f} | {(ho / len(matches) if matches else 0):.2f} |")
        key = group if group in DEV_GROUPS + ("held-out",) else "all"
        t = totals.setdefault(key, [0, 0, 0, 0, 0])
        for i, v in enumerate((tp, fp, fn, mo, len(matches))):
            t[i] += v
        if group == "held-out":
            continue   # held-out documents: scores only
        for pc, g in matches:
            per_pred[g["predicate"]][0] += 1
        for pc in fas:
            per_pred[pc["predicate"]][1] += 1
        for g in misses:
            per_pred[g["predicate"]][2] += 1
    for key in ("all",) + DEV_GROUPS + ("held-out",):
        if key in totals:
            lines.append(total_row(key, totals[key]))
    lines += ["", "### Per predicate (seed + dev + dev-2 … " + DEV_GROUPS[-1] + ")", "",
              "| predicate | tp | fp | fn | precision | recall | F1 |", "|---|---:|---:|---:|---:|---:|---:|"]
    for pred in sorted(per_pred):
        tp, fp, fn = per_pred[pred]
        p, r, f = prf(tp, fp, fn)
        lines.append(f"| {pred} | {tp} | {fp} | {fn} | {p:.2f} | {r:.2f} | {f:.2f} |")
    if speed:
        lines += ["", "## Extraction speed (one core)", "",
                  "| corpus | sentences | extractor s/s | bare spaCy tokenizer s/s | ratio |", "|---|---:|---:|---:|---:|",
                  f"| generated news-like (bench/gen_corpus.py, seed 7) | {speed['sentences']} | "
                  f"{speed['extract_sps']:,.0f} | {speed['tokenizer_sps']:,.0f} | "
                  f"{speed['extract_sps'] / speed['tokenizer_sps']:.2f} |"]
    lines += ["", "## Confusion list (seed, dev, dev-2 … " + DEV_GROUPS[-1] + "; never the held-out documents)", ""]
    for name, gold, preds, matches, misses, fas in results:
        if _group(name) == "held-out":
            continue   # not listed: the held-out texts measure generalisation, nobody tunes on them
        lines.append(f"### {name}")
        lines.append("")
        mod_err = [(pc, g) for pc, g in matches if pc["modality"] != g["modality"]]
        for g in misses:
            lines.append(f"- miss  s{g['sentence']} {g['predicate']}: {fmt_entity(g['subject'])} → {fmt_entity(g['object'])} "
                         f"({g['modality']}) — “{g['quote'][:80]}”")
        for pc in fas:
            lines.append(f"- false alarm  s{pc['sentence']} {pc['predicate']}: {fmt_entity(pc['subject'])} → "
                         f"{fmt_entity(pc['object'])} ({pc['modality']}, {pc['rule']}) — “{pc['quote'][:80]}”")
        for pc, g in mod_err:
            lines.append(f"- modality  s{g['sentence']} {g['predicate']}: extracted {pc['modality']}, reference {g['modality']}")
        if not (misses or fas or mod_err):
            lines.append("- (none)")
        lines.append("")
    return "\n".join(lines)


def update_precision(results) -> dict:
    counts = defaultdict(lambda: [0, 0])
    for name, gold, preds, matches, misses, fas in results:
        if _group(name) == "held-out":
            continue   # never measured on the held-out documents
        for pc, g in matches:
            counts[pc["rule"]][0] += 1
        for pc in fas:
            counts[pc["rule"]][1] += 1
    for rule, (tp, fp) in OUT_OF_SAMPLE_COUNTS.items():
        counts[rule] = [tp, fp]
    table = {rule: round((tp + 1) / (tp + fp + 2), 2) for rule, (tp, fp) in sorted(counts.items())}
    path = ROOT / "loaders" / "extract" / "patterns" / "precision.yaml"
    header = ("# Measured precision of each extraction rule, (tp + 1) / (tp + fp + 2) over the seed's reviewed\n"
              "# claims, the dev gold, the dev-2 … " + DEV_GROUPS[-1] + " gold (never the held-out documents);\n"
              "# learned rules (" + ", ".join(sorted(OUT_OF_SAMPLE_COUNTS)) + ") from their first-sight counts instead.\n"
              "# Regenerate with: python bench/extraction.py --update-precision\n")
    body = yaml.safe_dump({"rules": table, "counts": {k: {"tp": v[0], "fp": v[1]} for k, v in sorted(counts.items())}},
                          sort_keys=True)
    path.write_text(header + body, encoding="utf-8")
    return table


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--update-precision", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--no-heldout", action="store_true", help="do not score the held-out documents")
    ap.add_argument("--first-sight", action="store_true",
                    help="also score the blind batches bench/heldout/batch*/ (held-out: aggregate figures only); "
                         "without it they are never opened")
    ap.add_argument("--batch", action="append", default=[], metavar="FOLDER",
                    help="with --first-sight: score only this blind batch (repeatable), e.g. --batch batch8")
    ap.add_argument("--rules-only", action="store_true",
                    help="score the rules without the learned pair model (a first-sight round reports both)")
    ap.add_argument("--targets-as-participants", action="store_true",
                    help="count an extracted event's targets among its participants (the scoring before 2026-12-07)")
    ap.add_argument("--sentences", type=int, default=10_000)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "extraction.md"))
    args = ap.parse_args(argv)
    global TARGETS_AS_PARTICIPANTS
    TARGETS_AS_PARTICIPANTS = args.targets_as_participants
    if args.rules_only:
        from flashpoint.loaders.extract import pair_model

        pair_model.use_model(False)
    norm = Norm()
    results = run_quality(norm, heldout=not args.no_heldout, first_sight=args.first_sight,
                          batches=tuple(args.batch))
    if args.update_precision:
        update_precision(results)
        from flashpoint.loaders.extract.confidence import reload

        reload()
    speed = None if args.no_speed else run_speed(args.sentences)
    text = report(results, speed)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
