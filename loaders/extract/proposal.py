"""A claim as a relation rule proposes it: what the rules and the discourse
memory read back, before the pipeline orders, deduplicates, scores and checks
it and turns it into a claims-file entry (``pipeline._finish``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Proposal:
    sentence: int        # the sentence's index in the text
    start: int           # character offsets of the quote: in the paragraph, then (pipeline) in the text
    end: int
    subject: object      # YAML entity forms: an actor slug, or a dict ({government: x}, {event: …}, …)
    predicate: str
    object: object
    modality: str
    habitual: bool
    extracted_by: str    # the rule's id
