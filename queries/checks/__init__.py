"""Data package: the integrity rules of `flashpoint check`, one SPARQL file per rule."""
