"""Document templates: each kind of journal document described as data.

A template lists the sections of a document (learning journal entry, field
observation, shared diagnostic, synthesis note, professional dossier): a
heading, the consigne given to learners, the competence domains the section
speaks to, whether it is required and its length bounds in characters
(signes, spaces included). Built-in templates, in French and English, live
in ``builtin/`` as YAML files.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from journal_ext.core.framework import (
    DATA_FILE_SUFFIXES,
    builtin_frameworks,
    check_keys,
    default_framework,
    describe,
    expect_list,
    expect_mapping,
    expect_pattern,
    expect_text,
    join_path,
    parse_document,
    read_document,
    type_name,
)
from journal_ext.core.permissions import SHARED_KINDS, SHARED_VISIBILITIES
from journal_ext.i18n import ExplainedError

__all__ = [
    "KINDS",
    "LANGUAGES",
    "VISIBILITIES",
    "Section",
    "Template",
    "TemplateError",
    "builtin_template",
    "builtin_templates",
    "load_template_file",
    "parse_template",
]

KINDS: tuple[str, ...] = (
    "learning_journal",
    "field_observation",
    "shared_diagnostic",
    "synthesis_note",
    "professional_dossier",
)
VISIBILITIES: tuple[str, ...] = ("private", "tutors", "group", "cohort")
LANGUAGES: tuple[str, ...] = ("fr", "en")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SECTION_KEY = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")

_TEMPLATE_REQUIRED = ("id", "kind", "language", "title", "description", "default_visibility", "sections")
_TEMPLATE_KEYS = (*_TEMPLATE_REQUIRED[:-1], "framework", "sections")
_SECTION_REQUIRED = ("key", "heading", "prompt")
_SECTION_KEYS = (*_SECTION_REQUIRED, "domains", "required", "min_length", "max_length", "placeholder")


class TemplateError(ExplainedError, ValueError):
    """A template is malformed, or a template or section does not exist."""

    code = "invalid_template"


@dataclass(frozen=True)
class Section:
    """One section of a template: a heading, its consigne and its constraints."""

    key: str
    heading: str
    prompt: str
    domains: tuple[str, ...] = ()
    required: bool = False
    min_length: int | None = None
    max_length: int | None = None
    placeholder: str = ""

    def to_dict(self) -> dict[str, object]:
        """Return the section as plain JSON-able data, in the data-file format."""
        return {
            "key": self.key,
            "heading": self.heading,
            "prompt": self.prompt,
            "domains": list(self.domains),
            "required": self.required,
            "min_length": self.min_length,
            "max_length": self.max_length,
            "placeholder": self.placeholder,
        }


@dataclass(frozen=True)
class Template:
    """A kind of journal document in one language, as an ordered list of sections."""

    id: str
    kind: str
    language: str
    title: str
    description: str
    default_visibility: str
    framework: str | None
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section:
        """Return the section with this key."""
        for section in self.sections:
            if section.key == key:
                return section
        known = ", ".join(section.key for section in self.sections)
        raise TemplateError(
            "template {id} has no section {key} (sections: {known})", id=repr(self.id), key=repr(key), known=known
        )

    def to_dict(self) -> dict[str, object]:
        """Return the template as plain JSON-able data; ``parse_template`` reads it back."""
        return {
            "id": self.id,
            "kind": self.kind,
            "language": self.language,
            "title": self.title,
            "description": self.description,
            "default_visibility": self.default_visibility,
            "framework": self.framework,
            "sections": [section.to_dict() for section in self.sections],
        }


# --- parsing -------------------------------------------------------------------


def _expect_choice(value: object, where: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise TemplateError(
            "{where}: must be one of {choices}, got {found}",
            where=where,
            choices=", ".join(choices),
            found=describe(value),
        )
    return value


def _expect_length(value: object, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TemplateError("{where}: must be a positive integer, got {found}", where=where, found=describe(value))
    return value


def _known_domain_codes(framework_id: str | None) -> list[str]:
    """Domain codes to check sections against when the caller gives none."""
    if framework_id is None:
        return default_framework().domain_codes()
    for framework in builtin_frameworks():
        if framework.id == framework_id:
            return framework.domain_codes()
    known = ", ".join(framework.id for framework in builtin_frameworks())
    raise TemplateError(
        "framework: unknown framework {framework_id} (built-in: {known}); pass the framework's"
        " domain codes to check this template against it",
        framework_id=repr(framework_id),
        known=known,
    )


def _parse_section(data: object, where: str, domain_codes: list[str]) -> Section:
    fields = expect_mapping(data, where, TemplateError)
    check_keys(fields, where, _SECTION_KEYS, _SECTION_REQUIRED, TemplateError)
    key = expect_pattern(
        fields["key"],
        join_path(where, "key"),
        _SECTION_KEY,
        "a key of lowercase letters, digits, dashes or underscores starting with a letter",
        TemplateError,
    )
    heading = expect_text(fields["heading"], join_path(where, "heading"), TemplateError)
    prompt = expect_text(fields["prompt"], join_path(where, "prompt"), TemplateError)

    domains_where = join_path(where, "domains")
    raw_domains = fields.get("domains")
    items = [] if raw_domains is None else expect_list(raw_domains, domains_where, TemplateError)
    domains: list[str] = []
    for index, code in enumerate(items):
        code_where = join_path(domains_where, index)
        if not isinstance(code, str):
            raise TemplateError(
                "{code_where}: expected a domain code, got {found}", code_where=code_where, found=type_name(code)
            )
        if code not in domain_codes:
            raise TemplateError(
                "{code_where}: unknown competence domain {code_name} (known: {domain_codes})",
                code_where=code_where,
                code_name=repr(code),
                domain_codes=", ".join(domain_codes),
            )
        if code in domains:
            raise TemplateError(
                "{code_where}: domain {code_name} is listed twice", code_where=code_where, code_name=repr(code)
            )
        domains.append(code)

    required = fields.get("required", False)
    if not isinstance(required, bool):
        raise TemplateError(
            "{value}: must be true or false, got {found}", value=join_path(where, "required"), found=describe(required)
        )
    min_length = _expect_length(fields.get("min_length"), join_path(where, "min_length"))
    max_length = _expect_length(fields.get("max_length"), join_path(where, "max_length"))
    if min_length is not None and max_length is not None and min_length > max_length:
        raise TemplateError(
            "{value}: must not exceed max_length ({max_length}), got {min_length}",
            value=join_path(where, "min_length"),
            max_length=max_length,
            min_length=min_length,
        )
    placeholder = fields.get("placeholder", "")
    if placeholder is None:
        placeholder = ""
    if not isinstance(placeholder, str):
        raise TemplateError(
            "{value}: expected text, got {found}", value=join_path(where, "placeholder"), found=type_name(placeholder)
        )
    return Section(
        key=key,
        heading=heading,
        prompt=prompt,
        domains=tuple(domains),
        required=required,
        min_length=min_length,
        max_length=max_length,
        placeholder=placeholder,
    )


def _parse_template(data: object, domain_codes: Iterable[str] | None) -> Template:
    fields = expect_mapping(data, "", TemplateError)
    check_keys(fields, "", _TEMPLATE_KEYS, _TEMPLATE_REQUIRED, TemplateError)
    template_id = expect_pattern(
        fields["id"], "id", _SLUG, "a slug of lowercase letters, digits and dashes", TemplateError
    )
    kind = _expect_choice(fields["kind"], "kind", KINDS)
    language = _expect_choice(fields["language"], "language", LANGUAGES)
    title = expect_text(fields["title"], "title", TemplateError)
    description = expect_text(fields["description"], "description", TemplateError)
    visibility = _expect_choice(fields["default_visibility"], "default_visibility", VISIBILITIES)
    if kind in SHARED_KINDS and visibility not in SHARED_VISIBILITIES:
        raise TemplateError(
            "default_visibility: a {kind} is written by the whole group, so the group reads it: use"
            " {names}, not {visibility}",
            kind=kind,
            names=" or ".join(repr(v) for v in SHARED_VISIBILITIES),
            visibility=repr(visibility),
        )
    framework_id = fields.get("framework")
    if framework_id is not None:
        framework_id = expect_pattern(
            framework_id, "framework", _SLUG, "a framework id such as 'ccb-isdcp'", TemplateError
        )

    codes = list(domain_codes) if domain_codes is not None else _known_domain_codes(framework_id)
    items = expect_list(fields["sections"], "sections", TemplateError)
    if not items:
        raise TemplateError("sections: must list at least one section")
    sections: list[Section] = []
    first_use: dict[str, int] = {}
    for index, item in enumerate(items):
        where = join_path("sections", index)
        section = _parse_section(item, where, codes)
        if section.key in first_use:
            raise TemplateError(
                "{where}.key: duplicate section key {key} (already used by sections[{value}])",
                where=where,
                key=repr(section.key),
                value=first_use[section.key],
            )
        first_use[section.key] = index
        sections.append(section)

    return Template(
        id=template_id,
        kind=kind,
        language=language,
        title=title,
        description=description,
        default_visibility=visibility,
        framework=framework_id,
        sections=tuple(sections),
    )


def parse_template(data: object, *, domain_codes: Iterable[str] | None = None, source: str = "<data>") -> Template:
    """Validate parsed template data against a framework's domain codes and build a Template."""
    try:
        return _parse_template(data, domain_codes)
    except TemplateError as exc:
        if source == "<data>":
            raise
        raise TemplateError("{source}: {exc}", source=source, exc=exc) from None


def load_template_file(path: str | os.PathLike[str], *, domain_codes: Iterable[str] | None = None) -> Template:
    """Load and validate a template from a .yaml, .yml or .json file, against these domain codes if given."""
    data, name = read_document(path, TemplateError)
    return parse_template(data, domain_codes=domain_codes, source=name)


# --- built-in templates ------------------------------------------------------------


@functools.cache
def _builtin_templates() -> tuple[Template, ...]:
    folder = resources.files("journal_ext").joinpath("templates")
    templates: list[Template] = []
    for entry in folder.iterdir():
        if not entry.is_file() or Path(entry.name).suffix.lower() not in DATA_FILE_SUFFIXES:
            continue
        name = f"journal_ext/templates/builtin/{entry.name}"
        data = parse_document(entry.read_text(encoding="utf-8"), name, TemplateError)
        template = parse_template(data, source=name)
        # The file name is how people find a template on disk: keep it equal to the id.
        if Path(entry.name).stem != template.id:
            raise TemplateError("{name}: id: {id} does not match the file name", name=name, id=repr(template.id))
        templates.append(template)
    templates.sort(key=lambda t: (KINDS.index(t.kind), LANGUAGES.index(t.language), t.id))
    return tuple(templates)


def builtin_templates(language: str | None = None) -> list[Template]:
    """Return the templates shipped with the package, ordered by kind, optionally in one language."""
    if language is not None and language not in LANGUAGES:
        raise TemplateError(
            "unknown template language {language} (available: {languages})",
            language=repr(language),
            languages=", ".join(LANGUAGES),
        )
    return [t for t in _builtin_templates() if language is None or t.language == language]


def builtin_template(template_id: str) -> Template:
    """Return the built-in template with this id."""
    for template in _builtin_templates():
        if template.id == template_id:
            return template
    available = ", ".join(t.id for t in _builtin_templates())
    raise TemplateError(
        "unknown built-in template {template_id} (available: {available})",
        template_id=repr(template_id),
        available=available,
    )
