"""Deterministic IRIs: the same input always gives the same IRI, and the same
real-world thing named in two documents gets one IRI (vocabulary.md, Identity)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from flashpoint.vocab import FPID


def slugify(text: str) -> str:
    """'North Korea's' → 'north-koreas'; ASCII, lower case, dashes."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def kebab_class(local_name: str) -> str:
    """'JointMilitaryExercise' → 'joint-military-exercise', 'ICBMCapability' → 'icbm-capability'."""
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\b|\d)|[A-Z]?[a-z]+|\d+", local_name)
    return "-".join(p.lower() for p in parts)


def class_slug(local_name: str, family: str) -> str:
    """The class part of an entity IRI; capabilities drop their 'Capability' suffix."""
    if family == "capability" and local_name.endswith("Capability") and local_name != "Capability":
        local_name = local_name[: -len("Capability")]
    return kebab_class(local_name)


def actor_iri(path: str) -> str:
    """``path`` is the part after ``actor/``: 'north-korea', 'south-korea/government'."""
    return f"{FPID}actor/{path}"


def actor_slug(iri: str) -> str:
    """The short form of an actor used inside composite IRIs."""
    return iri.removeprefix(f"{FPID}actor/").replace("/", "-")


def entity_iri(family: str, cls: str, actor_iris: list[str], key: str | None = None) -> str:
    """fpid:<family>/<class>--<actor>--<actor>[--<key>], actors sorted and unique."""
    parts = [class_slug(cls, family)]
    parts += sorted({actor_slug(a) for a in actor_iris})
    if key:
        parts.append(slugify(key))
    return f"{FPID}{family}/" + "--".join(parts)


def policy_iri(slug: str) -> str:
    return f"{FPID}policy/{slug}"


def stance_iri(holder_iri: str, value: str, policy_slug: str, over: str | None = None) -> str:
    parts = [actor_slug(holder_iri), value, policy_slug] + ([f"over-{over}"] if over else [])
    return f"{FPID}stance/" + "--".join(parts)


def document_iri(doc_slug: str) -> str:
    return f"{FPID}doc/{doc_slug}"


def claim_iri(doc_slug: str, *fields: object) -> str:
    """fpid:claim/<doc>/<16 hex>: a hash of what the claim says and where, not of
    its position in the file, so reordering a claims file changes no IRI."""
    digest = hashlib.sha256("|".join(str(f) for f in (doc_slug, *fields)).encode()).hexdigest()
    return f"{FPID}claim/{doc_slug}/{digest[:16]}"
