"""The pages of ``flashpoint serve``: the SPARQL editor at ``/`` and the graph picture at ``/graph``.

``routes(project)`` gives the Starlette routes that the server mounts next to
``/sparql``; the pages query ``/sparql`` of the same origin.
"""

from __future__ import annotations


def routes(project) -> list:
    """The routes of the pages (none yet)."""
    return []
