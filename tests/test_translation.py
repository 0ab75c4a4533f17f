"""The French catalogue of the frontend: complete, well formed, and found by JupyterLab."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

SOURCES = Path(__file__).resolve().parent.parent / "labextension" / "src"
STRING = r"""(?:'((?:\\.|[^'\\])*)'|"((?:\\.|[^"\\])*)")"""
CALL = re.compile(r"trans\.(__|_n)\(\s*" + STRING + r"(?:\s*,\s*" + STRING + r")?", re.S)
PLACEHOLDER = re.compile(r"%\d")


def catalogue() -> dict:
    path = resources.files("journal_ext").joinpath("locale", "fr_FR", "LC_MESSAGES", "journal_ext.json")
    return json.loads(path.read_text(encoding="utf-8"))


def source_files() -> list[Path]:
    """The frontend's sources, in every feature folder, without the jest tests."""
    return sorted(path for path in SOURCES.rglob("*.ts*") if "__tests__" not in path.relative_to(SOURCES).parts)


def source_strings() -> dict[str, str | None]:
    """Every msgid the frontend passes to the translator, with its plural form for _n()."""
    found: dict[str, str | None] = {}
    for path in source_files():
        for match in CALL.finditer(path.read_text(encoding="utf-8")):
            kind = match.group(1)
            msgid = match.group(2) if match.group(2) is not None else match.group(3)
            plural = match.group(4) if match.group(4) is not None else match.group(5)
            msgid = msgid.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
            found[msgid] = plural if kind == "_n" else None
    return found


def test_the_extractor_reads_every_feature_folder() -> None:
    files = source_files()
    assert any(path.parent != SOURCES for path in files)
    assert not any("__tests__" in path.parts for path in files)


def test_the_extractor_sees_the_frontend_strings() -> None:
    strings = source_strings()
    assert "Journal" in strings
    assert "Save Again" in strings
    assert any(plural for plural in strings.values())


def test_every_frontend_string_has_a_french_translation() -> None:
    french = catalogue()
    missing = [msgid for msgid in source_strings() if not any(french.get(msgid, []))]
    assert missing == []


def test_plural_strings_have_two_french_forms_and_keep_their_placeholders() -> None:
    french = catalogue()
    for msgid, plural in source_strings().items():
        forms = french[msgid]
        assert len(forms) == (2 if plural else 1), msgid
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) == set(PLACEHOLDER.findall(msgid)), (msgid, form)


def test_no_stale_entries() -> None:
    stale = set(catalogue()) - {""} - set(source_strings())
    assert stale == set()


def test_header_names_the_domain_and_french_plural_rule() -> None:
    header = catalogue()[""]
    assert header["domain"] == "journal_ext"
    assert header["plural_forms"] == "nplurals=2; plural=(n > 1);"


def test_jupyterlab_serves_the_catalogue_with_the_french_language_pack() -> None:
    from jupyterlab_server.translation_utils import get_language_pack

    data, message = get_language_pack("fr_FR")
    assert "journal_ext" in data, message
    assert data["journal_ext"]["Save Again"] == catalogue()["Save Again"]
    assert "jupyterlab" in data  # the language pack itself is installed


def test_french_punctuation_has_its_no_break_spaces() -> None:
    """« » : ; ! ? are spaced the French way, with no-break spaces, so a line never starts with them."""
    for msgid, forms in catalogue().items():
        if not msgid:
            continue
        for form in forms:
            assert not re.search(r" [:;!?»]", form), form
            assert "« " not in form, form
            # A placeholder is not a percent sign: no no-break space glued before %1.
            assert not re.search(r"(?<!«)[\u00a0\u202f]%\d", form), form


def test_french_never_says_notebook_or_pluralises_with_parentheses() -> None:
    for msgid, forms in catalogue().items():
        for form in forms if msgid else []:
            assert "(s)" not in form and "(e)" not in form, form
            assert "notebook" not in form.lower(), form
