"""The journal's library, free of any web framework: documents, history, merge, anchoring,
annotations, the competence passport, search, frameworks, templates and every permission rule."""
