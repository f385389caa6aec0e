"""Data package: the competency questions (cqNN-*.rq) ship inside flashpoint."""
