"""Data package: the competency questions as parameterised templates (cqNN-*.rq), copied by `flashpoint init`."""
