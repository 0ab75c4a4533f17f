"""The server extension: who the current user is, and that the installed package registers both halves."""

from __future__ import annotations

import getpass
import json
import re
import shutil
import subprocess

import pytest

from journal_ext.server.app import resolve_user

from .conftest import fetch_json


def test_jupyterhub_user_wins_over_configured_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "yanis")
    assert resolve_user("camille") == "yanis"


def test_configured_user_wins_over_os_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    assert resolve_user("camille") == "camille"


def test_os_user_when_nothing_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    assert resolve_user("") == getpass.getuser()


async def test_server_reads_and_writes_as_the_hub_user(jp_fetch, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "nadia")
    me = await fetch_json(jp_fetch, "journal", "api", "me")
    assert me["user"] == "nadia"
    assert me["roles"] == ["tutor"]


def _jupyter(*args: str) -> str:
    jupyter = shutil.which("jupyter")
    assert jupyter, "the jupyter command is missing"
    result = subprocess.run([jupyter, *args], capture_output=True, text=True, timeout=120)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    return " ".join(plain.split())


async def test_kernels_inherit_the_journal_and_the_user(jp_fetch, journal_db) -> None:
    # The notebook widgets (journal_ext.kernel.widgets) run in kernels, which the
    # server starts with its own environment.
    await jp_fetch("journal", "api", "me")
    import os

    assert os.environ["JOURNAL_EXT_DB"] == str(journal_db)
    assert os.environ["JOURNAL_EXT_USER"] == "camille"


def test_labextension_is_installed_and_enabled() -> None:
    listing = _jupyter("labextension", "list")
    assert "journal_ext v0.1.0 enabled OK" in listing, listing


def test_server_extension_is_enabled_and_validates() -> None:
    listing = _jupyter("server", "extension", "list")
    assert "journal_ext enabled" in listing, listing
    assert "journal_ext 0.1.0 OK" in listing, listing


def test_settings_schema_is_shipped() -> None:
    from importlib import resources

    schema_dir = resources.files("journal_ext").joinpath("labextension", "schemas", "journal_ext")
    schema = json.loads(schema_dir.joinpath("launcher.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert schema["properties"]["showLauncherCards"]["default"] is True
