"""The actors a mention stands for once resolved: an actor itself (of the
gazetteer, or new in the text), a state's government or public, or a group
("its allies").

Both types are NamedTuples: equal to, hashed and ordered as the plain tuples
they replaced (("id", slug), ("gov", state), ("pub", state), ("grp", slug,
label, members)), so sets, dict keys, ``dict.fromkeys`` de-duplication and
sort orders are unchanged."""

from __future__ import annotations

from typing import NamedTuple

ENTITY = "id"         # the actor itself
GOVERNMENT = "gov"    # the government of a state
PUBLIC = "pub"        # the public of a state
GROUP = "grp"         # a group of actors


class Actor(NamedTuple):
    kind: str   # ENTITY, GOVERNMENT or PUBLIC
    id: str     # the actor's slug (for GOVERNMENT and PUBLIC: the state's)


class GroupActor(NamedTuple):
    kind: str        # GROUP
    id: str          # the group's slug ("allies-of-north-korea")
    label: str
    members: tuple   # its member Actors known from context (may be none)


def entity(slug: str) -> Actor:
    return Actor(ENTITY, slug)


def government(state: str) -> Actor:
    return Actor(GOVERNMENT, state)


def public(state: str) -> Actor:
    return Actor(PUBLIC, state)


def actor_group(slug: str, label: str, members: tuple) -> GroupActor:
    return GroupActor(GROUP, slug, label, members)
