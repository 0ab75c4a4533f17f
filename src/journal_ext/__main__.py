"""``python -m journal_ext``: the journal-ext command (how the hub starts the journal service)."""

from journal_ext.cli import main

main()
