"""Copied by test_jupyter_server_contents.py into jupyter_server's own contents tests: journal_ext enabled."""

import pytest

from journal_ext.core.documents import ensure_initialised
from journal_ext.db import JournalStore


@pytest.fixture
def jp_server_config(jp_server_config, tmp_path_factory):
    path = tmp_path_factory.mktemp("journal") / "journal.db"
    with JournalStore(path) as store:
        ensure_initialised(store)
    jp_server_config.ServerApp.jpserver_extensions = {
        **jp_server_config.ServerApp.get("jpserver_extensions", {}),
        "journal_ext": True,
    }
    jp_server_config.JournalExtension.db_path = str(path)
    jp_server_config.JournalExtension.user = "camille"
    return jp_server_config
