"""journal_ext: learning journals and shared diagnostics in JupyterLab, stored in one SQLite file."""

__version__ = "0.1.0"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "journal_ext"}]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    from journal_ext.server.app import JournalExtension

    return [{"module": "journal_ext", "app": JournalExtension}]
