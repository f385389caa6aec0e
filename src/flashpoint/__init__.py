"""flashpoint: analytic prose about security crises → a checked, queryable knowledge graph."""

__version__ = "0.1.0"
