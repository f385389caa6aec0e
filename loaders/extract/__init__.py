"""The automatic claim extractor: plain text (or Markdown) in, a claims file
(format ``flashpoint-claims/1``, see docs/claims-format.md) out.

    from flashpoint.loaders.extract import extract_document, extract_text, iter_claims

Rule-based and model-free: spaCy's blank English tokenizer, PhraseMatchers
over the gazetteer and the lexicons (``lexicons/*.yaml``), lemma lookups from
spacy-lookups-data, relation patterns with ids (``patterns/relations.yaml``),
a salience-based reference resolver (``reference.py``) and ConText-style
modality (``modality.py``).
"""

from .pipeline import extract_document, extract_text, iter_claims

__all__ = ["extract_document", "extract_text", "iter_claims"]
