"""Data package: the ontology, alignment, policy options, shapes and gazetteer ship inside flashpoint."""
