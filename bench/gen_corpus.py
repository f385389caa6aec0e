"""A deterministic news-like corpus for the extraction speed benchmark.

    python bench/gen_corpus.py [N] [--seed S] > corpus.txt

Sentences are made from templates over the gazetteer's states and the
extractor's lexicons (events, situations, capabilities, policies), with
filler sentences that contain no claim, in paragraphs of 3-6 sentences. The
templates are not copies of the corpus sentences: they only share the
register (analytic prose about security crises).
"""

from __future__ import annotations

import random
import sys

from flashpoint.gazetteer import load_gazetteer

TEMPLATES = [
    "{A} views {B}'s {event} as a threat to its security.",
    "{A} has repeatedly condemned the {event} by {B} as provocative.",
    "The {event} by {A} were triggered by rising tensions with {B}, according to officials in {capA}.",
    "Analysts say that {A}'s {event} could lead to increased {situation} in the region.",
    "{A} and {B} held {event} in {month}, which {C} described as a dangerous escalation.",
    "In response to the {event} by {A}, {B} imposed new sanctions on several companies.",
    "{A} possesses {capability}, and its arsenal has grown steadily since the {decade}s.",
    "The {demA} government has called for {policy} and urged {B} to show restraint.",
    "Military cooperation between {A} and {B} may undermine {situation2} and strain relations with {C}.",
    "Officials in {capA} did not comment on the report, which was published on Tuesday.",
    "The ministry said the {event} were routine and not aimed at any third country.",
    "{A} is likely to expand its {capability} over the next decade.",
    "Public opinion in {A} is divided, with many supporting {policy} and others favoring {policy2}.",
    "{A}, which has long opposed {policy}, often stresses the need for {policy2}.",
    "Experts note that the {event} have heightened {situation} and reduced the chances of a settlement.",
    "The talks, scheduled for {month}, were postponed after a dispute over the agenda.",
    "{A} accused {B} of preparing {event} near the border in {month}.",
    "The {demA} foreign minister met his counterpart from {B} on {month} {day}.",
    "Satellite images show new construction at a site that {C} says is linked to {A}'s {capability}.",
    "{A} is {B}'s closest ally, and the two countries have signed a defense pact.",
]
EVENTS = ["missile tests", "joint military exercises", "defense talks", "air strikes", "naval drills",
          "missile launches", "border clashes", "drone attacks", "military deployments", "sanctions"]
SITUATIONS = ["tension", "insecurity", "mistrust", "defense spending", "military readiness"]
SITUATIONS2 = ["regional stability", "diplomatic relations", "regional security"]
CAPABILITIES = ["short-range ballistic missiles", "cruise missiles", "hypersonic missiles", "nuclear weapons",
                "intercontinental ballistic missiles", "long-range drones", "air defenses"]
POLICIES = ["dialogue", "sanctions", "military deterrence", "a strong defense posture", "international cooperation",
            "a military response", "economic development"]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def generate(n_sentences: int = 10_000, seed: int = 7) -> str:
    rng = random.Random(seed)
    gaz = load_gazetteer()
    states = sorted((a for a in gaz.actors.values() if a.cls == "State" and a.capital and a.demonyms),
                    key=lambda a: a.id)
    paragraphs = []
    count = 0
    while count < n_sentences:
        size = min(rng.randint(3, 6), n_sentences - count)
        sents = []
        for _ in range(size):
            a, b, c = rng.sample(states, 3)
            t = rng.choice(TEMPLATES)
            s = t.format(
                A=a.label, B=b.label, C=c.label, capA=a.capital, demA=a.demonyms[0],
                event=rng.choice(EVENTS), situation=rng.choice(SITUATIONS), situation2=rng.choice(SITUATIONS2),
                capability=rng.choice(CAPABILITIES), policy=rng.choice(POLICIES), policy2=rng.choice(POLICIES),
                month=rng.choice(MONTHS), day=rng.randint(1, 28), decade=rng.choice([1970, 1980, 1990, 2000]),
            )
            sents.append(s[0].upper() + s[1:])
        paragraphs.append(" ".join(sents))
        count += size
    return "\n\n".join(paragraphs) + "\n"


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    seed = 7
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    n = int(args[0]) if args else 10_000
    sys.stdout.write(generate(n, seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
