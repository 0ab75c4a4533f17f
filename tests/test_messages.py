"""Every message the server or the CLI can show a person exists in French, with the same placeholders.

The messages are found where they are raised: the source of the package is
read, and every error built with a text (the library's errors, the server's
``Refusal``, the CLI's ``_refusal`` and ``_say``, ``message()``,
``plural_message()`` and ``phrase()``) must give a plain text (never an
f-string, which no catalogue can hold) that the French catalogue translates.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
from importlib import resources
from pathlib import Path

import pytest

import journal_ext
from journal_ext import i18n
from journal_ext.core import annotations, framework, passport, permissions, templates
from journal_ext.db import errors as db_errors
from journal_ext.export import model as export_model
from journal_ext.export import pdf
from journal_ext.i18n import ExplainedError, Message, message, plural_message
from journal_ext.server import errors as server_errors
from journal_ext.service import backups

PACKAGE = Path(journal_ext.__file__).parent
# Calls whose first argument is a message's English text (the catalogue's key).
TEXT_CALLS = {
    "StoreError",
    "NotFound",
    "PermissionDenied",
    "Conflict",
    "RevisionMoved",
    "SearchSyntaxError",
    "ExportError",
    "TemplateError",
    "FrameworkError",
    "ExplainedError",
    "BackupError",
    "ServiceRunning",
    "fail",
    "error",
    "message",
    "phrase",
    "_say",
    "_refusal",
}
# Calls whose second argument is the text (the first is the HTTP status).
STATUS_TEXT_CALLS = {"Refusal"}
# Calls that must never be given a text of their own: it would reach people untranslated.
FORBIDDEN_TEXT_CALLS = {"HTTPError", "ClickException", "UsageError"}
FRENCH_SPACES = ("\u00a0", "\u202f")


# Parameters of the data-file readers that name the error class to raise (a log's .error() is not one).
ERROR_CLASS_PARAMETERS = {"fail", "error"}


def callee(node: ast.Call) -> str | None:
    function = node.func
    if isinstance(function, ast.Attribute):
        return None if function.attr in ERROR_CLASS_PARAMETERS else function.attr
    if isinstance(function, ast.Name):
        return function.id
    return None


def raise_sites() -> list[tuple[str, int, str, ast.expr]]:
    """(file, line, callee, text argument) of every message built in the package."""
    sites = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "labextension" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = callee(node)
            where = str(path.relative_to(PACKAGE))
            if (name in TEXT_CALLS and node.args) or (name == "plural_message" and len(node.args) >= 2):
                sites.append((where, node.lineno, name, node.args[0]))
            elif name in STATUS_TEXT_CALLS and len(node.args) >= 2:
                sites.append((where, node.lineno, name, node.args[1]))
            elif name in FORBIDDEN_TEXT_CALLS and node.args:
                sites.append((where, node.lineno, name, node.args[-1]))
    return sites


def texts() -> dict[str, str]:
    """Every English text raised or printed, with one place it comes from."""
    found = {}
    for where, line, name, argument in raise_sites():
        if name in FORBIDDEN_TEXT_CALLS:
            continue
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            found.setdefault(argument.value, f"{where}:{line}")
    return found


def french() -> dict[str, list[str]]:
    path = resources.files("journal_ext").joinpath("locale", "fr_FR", "LC_MESSAGES", "journal_ext_server.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_walk_finds_the_raise_sites_of_every_layer() -> None:
    places = {where.split(":")[0].split("/")[0] for where in texts().values()}
    assert {"core", "db", "export", "server", "cli.py", "kernel"} <= places
    assert len(texts()) > 200


def test_every_message_is_a_text_with_parameters_never_an_fstring() -> None:
    wrong = []
    for where, line, name, argument in raise_sites():
        if name in FORBIDDEN_TEXT_CALLS:
            # A message handed straight to tornado or click would reach people untranslated.
            if isinstance(argument, ast.Constant | ast.JoinedStr) and not (
                isinstance(argument, ast.Constant) and isinstance(argument.value, int)
            ):
                wrong.append(f"{where}:{line}: {name}({ast.unparse(argument)[:80]})")
            continue
        if isinstance(argument, ast.JoinedStr | ast.BinOp):
            wrong.append(f"{where}:{line}: {name}(f-string or concatenation: {ast.unparse(argument)[:80]})")
    assert wrong == []


def test_every_message_has_a_french_translation_with_the_same_placeholders() -> None:
    catalogue = french()
    missing = [f"{where}: {text!r}" for text, where in texts().items() if not any(catalogue.get(text, []))]
    assert missing == []
    wrong = []
    for text, where in texts().items():
        for form in catalogue[text]:
            if i18n.placeholders(form) != i18n.placeholders(text):
                wrong.append(f"{where}: {text!r} -> {form!r}")
    assert wrong == []


def test_plural_messages_have_two_french_forms() -> None:
    catalogue = french()
    plurals = {
        argument.value
        for _, _, name, argument in raise_sites()
        if name == "plural_message" and isinstance(argument, ast.Constant)
    }
    assert plurals
    for text in plurals:
        assert len(catalogue[text]) == 2, text


def cli_help_texts() -> list[str]:
    """Every help text of the CLI (commands' docstrings, options' help), as click shows them."""
    import click

    from journal_ext.cli import cli

    found: list[str] = ["Usage:", "Options", "Commands", "Show this message and exit."]
    stack: list[click.Command] = [cli]
    while stack:
        command = stack.pop()
        helps = [command.help, *(getattr(param, "help", None) for param in command.params)]
        found += [inspect.cleandoc(text) for text in helps if text]
        if isinstance(command, click.Group):
            stack += command.commands.values()
    return found


def test_every_cli_help_text_has_a_french_translation() -> None:
    catalogue = french()
    assert len(cli_help_texts()) > 40
    assert [text for text in cli_help_texts() if not any(catalogue.get(text, []))] == []


def test_the_cli_help_reads_in_the_readers_language() -> None:
    from click.testing import CliRunner

    from journal_ext.cli import cli

    shell = {"LANG": "fr_FR.UTF-8", "LANGUAGE": None, "LC_ALL": None, "JOURNAL_EXT_LANG": None}
    french_help = CliRunner().invoke(cli, ["cohort", "add", "--help"], env=shell).output
    assert "Créer une promotion." in french_help and "Exemple\u00a0: journal-ext cohort add" in french_help
    assert "Langue des modèles de la promotion." in french_help
    listing = CliRunner().invoke(cli, ["--help"], env=shell).output
    assert "Promotions." in listing and "Langue des messages (fr ou en)." in listing
    assert french_help.startswith("Utilisation\u00a0: ") and "\nOptions\u00a0:\n" in french_help
    english_help = CliRunner().invoke(cli, ["--lang", "en", "cohort", "add", "--help"], env=shell).output
    assert "Create a cohort." in english_help and "Créer" not in english_help
    assert english_help.startswith("Usage: ") and "\nOptions:\n" in english_help


def test_no_stale_entries_and_a_header() -> None:
    catalogue = french()
    assert catalogue[""]["plural_forms"] == "nplurals=2; plural=(n > 1);"
    assert set(catalogue) - {""} - set(texts()) - set(cli_help_texts()) == set()


def test_french_messages_use_french_spaces() -> None:
    for text, forms in french().items():
        if not text:
            continue
        for form in forms:
            assert not re.search(r" [:;!?»]", form), form
            assert "« " not in form, form
            assert form.strip() == form or text.startswith(" ") or text.startswith("  "), form


# Words French writes as English does.
SAME_IN_FRENCH = {"Options"}


def test_a_french_message_is_never_the_english_one_when_it_has_words() -> None:
    same = [
        text
        for text, forms in french().items()
        if text
        and text not in SAME_IN_FRENCH
        and forms[0] == text
        and re.search(r"[a-z]{4,}", re.sub(r"\{\w+\}|'[^']*'|--?\w[\w-]*", "", text))
    ]
    # Texts made only of placeholders, codes, commands and names read the same in both languages.
    assert same == []


# -- the library's error types -------------------------------------------------------


def error_types() -> list[type[BaseException]]:
    modules = (
        db_errors,
        permissions,
        framework,
        templates,
        export_model,
        pdf,
        annotations,
        passport,
        server_errors,
        backups,
    )
    found = set()
    for module in modules:
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, ExplainedError | server_errors.Refusal):
                found.add(value)
    return sorted(found, key=lambda t: t.__name__)


@pytest.mark.parametrize("error_type", error_types(), ids=lambda t: t.__name__)
def test_every_error_type_has_a_stable_code_and_speaks_both_languages(error_type: type) -> None:
    if error_type is pdf.ConverterMissing:
        error = error_type()
    elif issubclass(error_type, server_errors.JournalBusy):
        error = error_type("fr")
    elif issubclass(error_type, server_errors.Refusal):
        error = error_type(400, "the request body must be a JSON object")
    else:
        error = error_type("no document with id {document_id}", document_id=4)
    assert re.fullmatch(r"[a-z_]+", error.code)
    english, french_text = error.in_language("en"), error.in_language("fr")
    assert english != french_text
    assert "{" not in french_text and "{" not in english


def test_the_claim_refusal_reads_in_french_with_its_numbers() -> None:
    with pytest.raises(permissions.PermissionDenied) as caught:
        permissions.check_claim_share(0.0)
    assert caught.value.code == "claim_share_too_low"
    assert str(caught.value).startswith("you wrote 0 % of this passage")
    assert caught.value.in_language("fr") == (
        "vous avez écrit 0\u00a0% de ce passage\u00a0: vous ne pouvez déclarer comme preuve que des passages"
        " que vous avez écrits (au moins 80\u00a0%)"
    )


def test_a_phrase_inside_a_message_is_translated_with_it() -> None:
    with pytest.raises(permissions.PermissionDenied) as caught:
        tutor = permissions.Viewer("nadia", (permissions.Membership(1, "Maurepas", 1, "Promo 2026", "tutor"),))
        journal = {"owner": "camille", "group_id": 1, "visibility": "tutors", "kind": "learning_journal"}
        permissions.check_writable(tutor, journal)
    assert "change its text" in str(caught.value)
    assert "modifier son texte" in caught.value.in_language("fr")


def test_french_plurals_put_zero_and_one_in_the_singular() -> None:
    def shown(count: int, language: str) -> str:
        return plural_message("{count} piece of evidence", "{count} pieces of evidence", "count", count=count).render(
            language
        )

    assert [shown(n, "fr") for n in (0, 1, 2)] == ["0 preuve", "1 preuve", "2 preuves"]
    assert [shown(n, "en") for n in (0, 1, 2)] == [
        "0 pieces of evidence",
        "1 piece of evidence",
        "2 pieces of evidence",
    ]


def test_an_unknown_text_shows_as_written_and_parameters_fill_in() -> None:
    assert Message("not in any catalogue {x}", {"x": 3}).render("fr") == "not in any catalogue 3"
    assert (
        message("no document with id {document_id}", document_id=4).render("fr") == "aucun document n'a l'identifiant 4"
    )


def test_languages_are_chosen_from_headers_and_locales() -> None:
    assert i18n.language_of("en-GB,en;q=0.8,fr;q=0.5") == "en"
    assert i18n.language_of("de, fr;q=0.3, en;q=0.9") == "en"
    assert i18n.language_of("fr-FR") == "fr"
    assert i18n.language_of("de", "en") == "en"
    assert i18n.language_of(None) == "fr"
    assert i18n.locale_language({"LANG": "en_US.UTF-8"}) == "en"
    assert i18n.locale_language({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}) == "fr"
    assert i18n.locale_language({"LANG": "C.UTF-8"}) == "fr"
    assert i18n.locale_language({"LANGUAGE": "en:fr", "LANG": "fr_FR.UTF-8"}) == "en"


def test_dates_read_as_people_write_them() -> None:
    from datetime import date

    assert i18n.format_date(date(2026, 10, 5), "fr") == "5 octobre 2026"
    assert i18n.format_date(date(2026, 10, 1), "fr") == "1er octobre 2026"
    assert i18n.format_date("2026-10-05T09:00:00+00:00", "en") == "October 5, 2026"
