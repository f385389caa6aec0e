"""``flashpoint review``: review a document's claims in the browser.

A local web app (``app.py``) over the project's documents and claims files: the text
with each claim's quote highlighted, keyboard review of machine proposals, new claims
by selecting text, live validation with the build's own loader (``session.py``), and
saving that changes only what the reviewer changed (``yamledit.py``).
"""
