"""Messages a person reads, in their language: French or English.

The library never writes a sentence in one language: it builds a
:class:`Message` (the English text, which is also the id in the catalogue,
with named ``{placeholders}`` and their values) and raises it inside a
:class:`ExplainedError` with a stable machine-readable ``code``. The edges
translate: the server per request (the JupyterLab language the frontend
sends as Accept-Language), the CLI per command (``--lang`` or the locale).

The French catalogue is a committed JSON source,
``locale/fr_FR/LC_MESSAGES/journal_ext_server.json``, read at run time (no
build step): each English text maps to its French forms, two of them for a
text with a plural (French plural rule: ``n > 1``).
"""

from __future__ import annotations

import contextvars
import functools
import json
import os
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from typing import Any

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
CATALOGUE_DOMAIN = "journal_ext_server"
PLACEHOLDER = re.compile(r"\{(\w+)\}")

# The language of the request being answered, for code that is not handed one
# (the Journal/ folder, reached through jupyter_server's contents handler).
reader_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("journal_reader_language", default=None)


# -- choosing the language -------------------------------------------------------


def supported(tag: str | None) -> str | None:
    """fr or en for a language tag or locale name (``fr-FR``, ``fr_FR.UTF-8``, ``en``); None for another language."""
    code = (tag or "").strip().lower()[:2]
    return code if code in LANGUAGES else None


def language_of(accept_language: str | None, fallback: str = DEFAULT_LANGUAGE) -> str:
    """fr or en, the one an Accept-Language header prefers (by its q values); ``fallback`` when it names neither."""
    return preferred_language(accept_language) or fallback


def preferred_language(accept_language: str | None) -> str | None:
    """fr or en, the one an Accept-Language header prefers (by its q values); None when it names neither."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, rest = part.partition(";")
        quality = 1.0
        rest = rest.strip()
        if rest.startswith("q="):
            try:
                quality = float(rest[2:])
            except ValueError:
                quality = 0.0
        language = supported(tag)
        if language is not None and quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


def locale_language(environ: Mapping[str, str] | None = None, fallback: str = DEFAULT_LANGUAGE) -> str:
    """fr or en from the shell's locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); ``fallback`` when it names neither."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value and value not in ("C", "POSIX"):
            # LANGUAGE is a list of preferences (fr:en).
            return supported(value.split(":")[0]) or fallback
    return fallback


def current_language(fallback: str = DEFAULT_LANGUAGE) -> str:
    """The language of the request being answered, when one set it; else ``fallback``."""
    return reader_language.get() or fallback


# -- the catalogue ---------------------------------------------------------------


@functools.cache
def catalogue(language: str) -> dict[str, list[str]]:
    """The translations of one language (empty for English, the language the texts are written in)."""
    if language not in LANGUAGES or language == "en":
        return {}
    path = (
        resources.files("journal_ext")
        / "locale"
        / f"{language}_{language.upper()}"
        / "LC_MESSAGES"
        / f"{CATALOGUE_DOMAIN}.json"
    )
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if key}


def plural_index(language: str, count: int) -> int:
    """Which form a count takes: French puts 0 and 1 in the singular, English only 1."""
    if language == "fr":
        return 1 if count > 1 else 0
    return 0 if count == 1 else 1


def gettext(text: str, language: str) -> str:
    """The translation of an English text, or the text itself when it has none."""
    forms = catalogue(language).get(text) if language != "en" else None
    return forms[0] if forms else text


def ngettext(singular: str, plural: str, count: int, language: str) -> str:
    """The form of a text with a plural for ``count``, translated."""
    index = plural_index(language, count)
    forms = catalogue(language).get(singular) if language != "en" else None
    if forms and len(forms) > index:
        return forms[index]
    return singular if index == 0 else plural


# -- messages ----------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """A text for a person: English (the catalogue's key) with named placeholders, translated when shown.

    ``plural`` and ``count`` make a text with a plural: ``count`` names the
    parameter whose number chooses the form. Parameters may themselves be
    messages (a phrase inside a sentence), translated with it.
    """

    text: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    count: str | None = None

    def render(self, language: str) -> str:
        """The message in fr or en, its placeholders filled."""
        if self.plural is not None and self.count is not None:
            template = ngettext(self.text, self.plural, int(self.params[self.count]), language)
        else:
            template = gettext(self.text, language)
        if not self.params:
            return template
        values = {name: _shown(value, language) for name, value in self.params.items()}
        return template.format_map(values)

    def __str__(self) -> str:
        return self.render("en")


def message(text: str, /, **params: Any) -> Message:
    """A message with its parameters: ``message("no document with id {id}", id=4)``."""
    return Message(text, params)


def plural_message(singular: str, plural: str, count: str, /, **params: Any) -> Message:
    """A message with a plural, chosen by the parameter named ``count``."""
    return Message(singular, params, plural=plural, count=count)


def _shown(value: Any, language: str) -> Any:
    if isinstance(value, Message):
        return value.render(language)
    if isinstance(value, datetime | date):
        return format_date(value, language)
    return value


def phrase(text: str) -> Message:
    """A phrase without parameters that goes into another message (``what``, ``doing``)."""
    return Message(text)


def listing(items: Iterable[Any], language: str = "en") -> str:
    """Items joined for a sentence: ``a, b``; used for codes and names, which are not translated."""
    return ", ".join(str(_shown(item, language)) for item in items)


def unknown_fields(names: Iterable[str]) -> Message:
    """The fields of a request that are not known: "unknown field: colour", "unknown fields: colour, size"."""
    listed = sorted(names)
    return plural_message(
        "unknown field: {names}", "unknown fields: {names}", "count", names=", ".join(listed), count=len(listed)
    )


def placeholders(text: str) -> set[str]:
    """The names of a text's ``{placeholders}``."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# -- errors ------------------------------------------------------------------------


class ExplainedError(Exception):
    """An error whose message is meant for a person: a :class:`Message` and a stable ``code``.

    ``str(error)`` is the English message (logs, tests); the edges show
    :meth:`in_language`.
    """

    code = "invalid_request"

    def __init__(self, text: str | Message, /, *, code: str | None = None, **params: Any) -> None:
        self.message = text if isinstance(text, Message) else Message(text, params)
        if code is not None:
            self.code = code
        super().__init__(self.message.render("en"))

    def in_language(self, language: str) -> str:
        """The message in fr or en."""
        return self.message.render(language)


def explain(error: BaseException, language: str) -> str:
    """What an error says to a person in a language (an unexplained error: its own text)."""
    if isinstance(error, ExplainedError):
        return error.in_language(language)
    return str(error)


# -- dates and numbers -------------------------------------------------------------

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
NBSP = "\u00a0"
NARROW_NBSP = "\u202f"


def format_date(value: date | datetime | str, language: str) -> str:
    """A date as people write it: ``5 octobre 2026`` (``1er`` for the first) in French, ``October 5, 2026`` in English.

    The same words as the frontend's Intl.DateTimeFormat writes them (plain spaces).
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return str(value)
    if language == "en":
        return f"{ENGLISH_MONTHS[value.month - 1]} {value.day}, {value.year}"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {FRENCH_MONTHS[value.month - 1]} {value.year}"


_ELISION = re.compile(r"(^|[\s(«\u00a0*])([Dd]e|[Qq]ue) (?=[AEIOUHÀÂÄÉÈÊËÎÏÔÖÛÙÜaeiouhàâäéèêëîïôöûùü])")


def elide_french(text: str) -> str:
    """French elision where a name meets "de" or "que": "la version de Inès" becomes "la version d'Inès"."""
    return _ELISION.sub(lambda found: f"{found.group(1)}{found.group(2)[:-1]}'", text)


def quoted(text: str, language: str) -> str:
    """A quotation: «\u00a0text\u00a0» in French, “text” in English."""
    if language == "fr":
        return f"«{NBSP}{text}{NBSP}»"
    return f"“{text}”"
