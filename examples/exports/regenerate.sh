#!/usr/bin/env bash
# Regenerate the example exports in this folder from a fresh demo cohort.
# Run from anywhere, with journal_ext installed: bash examples/exports/regenerate.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
demo="$(mktemp -d)"
trap 'rm -rf "$demo"' EXIT

journal-ext demo --no-lab --dir "$demo" >/dev/null
export JOURNAL_EXT_DB="$demo/journal-demo.db"

# The coordinator (Hélène) exports Groupe Maurepas: she may read its shared
# diagnostic, not the learners' journals (those are for their tutor).
journal-ext export group "Groupe Maurepas" --as helene --format docx --out "$here"
journal-ext export group "Groupe Maurepas" --as helene --format html --out "$here"
# PDF/A-3b (the default --pdf-variant): tagged, fonts embedded, for the training centre's archive.
journal-ext export group "Groupe Maurepas" --as helene --format pdf --out "$here"
# The tutor (Nadia) exports Camille's journal: her entries and field observations.
journal-ext export journal camille --as nadia --format html --out "$here/journal-camille-martin.html"
journal-ext export journal camille --as nadia --format pdf --out "$here/journal-camille-martin.pdf"
# The tutor exports Camille's competence passport: the figure, and each piece of evidence with its judgements.
journal-ext export passport camille --as nadia --format docx --out "$here"
journal-ext export passport camille --as nadia --format html --out "$here"
journal-ext export passport camille --as nadia --format pdf --out "$here"
