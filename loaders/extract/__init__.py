"""The automatic claim extractor: plain text (or Markdown) in, a claims file
(format ``flashpoint-claims/1``, see docs/claims-format.md) out.

    from flashpoint.loaders.extract import extract_document, extract_text, iter_claims

Rule-based and model-free: spaCy's blank English tokenizer, PhraseMatchers
over the gazetteer and the lexicons (``lexicons/*.yaml``), lemma lookups from
spacy-lookups-data, relation patterns with ids (``patterns/relations.yaml``),
a salience-based reference resolver (``reference.py``) and ConText-style
modality (``modality.py``). Every proposal is checked against the ontology
(``wellformed.py``); one that cannot hold is dropped and counted in a
``Dropped`` passed as ``dropped=``.
"""

from .pipeline import extract_document, extract_text, iter_claims
from .wellformed import Dropped

__all__ = ["Dropped", "extract_document", "extract_text", "iter_claims"]
