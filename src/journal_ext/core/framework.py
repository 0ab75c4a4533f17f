"""Competence frameworks (référentiels de compétences), loaded and validated as data.

A framework groups competences into domains. The default one is the four
competence domains (DC1-DC4) of the Certificat d'ingénierie sociale des
démarches collectives et participatives; other programmes ship as data files
in the same format (see ``frameworks/*.json``).
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from journal_ext.i18n import ExplainedError

__all__ = [
    "Competence",
    "Domain",
    "Framework",
    "FrameworkError",
    "builtin_frameworks",
    "default_framework",
    "load_framework",
    "parse_framework",
]

DEFAULT_FRAMEWORK_ID = "ccb-isdcp"
DATA_FILE_SUFFIXES = (".json", ".yaml", ".yml")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

_FRAMEWORK_KEYS = ("id", "version", "title", "source", "domains")
_DOMAIN_KEYS = ("code", "title", "competences")
_COMPETENCE_KEYS = ("code", "title")


class FrameworkError(ExplainedError, ValueError):
    """A competence framework is malformed, or a code is not in it."""

    code = "invalid_framework"


# --- reading data files (shared with journal_ext.core.templates) -----------------


class _StrictSafeLoader(yaml.SafeLoader):
    """A YAML safe loader that refuses duplicate keys instead of keeping the last one."""


def _construct_mapping_without_duplicates(
    loader: _StrictSafeLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[object, object]:
    seen: dict[object, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        line = key_node.start_mark.line + 1
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first defined on line {seen[key]})",
                key_node.start_mark,
            )
        seen[key] = line
    return loader.construct_mapping(node, deep=deep)


_StrictSafeLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping_without_duplicates,
)


def _json_object_without_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def parse_document(text: str, name: str, error: type[ExplainedError]) -> object:
    """Parse the text of a JSON or YAML data file, chosen by the suffix of ``name``."""
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        try:
            return json.loads(text, object_pairs_hook=_json_object_without_duplicates)
        except json.JSONDecodeError as exc:
            raise error(
                "{name}: invalid JSON at line {lineno}, column {colno}: {msg}",
                name=name,
                lineno=exc.lineno,
                colno=exc.colno,
                msg=exc.msg,
            ) from None
        except ValueError as exc:  # raised by the duplicate-key hook
            raise error("{name}: invalid JSON: {exc}", name=name, exc=exc) from None
    if suffix in (".yaml", ".yml"):
        try:
            return yaml.load(text, Loader=_StrictSafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = exc.problem or exc.context or "syntax error"
            raise error("{name}: invalid YAML{where}: {problem}", name=name, where=where, problem=problem) from None
        except yaml.YAMLError as exc:
            raise error("{name}: invalid YAML: {exc}", name=name, exc=exc) from None
    raise error(
        "{name}: unsupported file type {suffix}, expected one of {suffixes}",
        name=name,
        suffix=repr(suffix or "(none)"),
        suffixes=", ".join(DATA_FILE_SUFFIXES),
    )


def read_document(path: str | os.PathLike[str], error: type[ExplainedError]) -> tuple[object, str]:
    """Read a JSON or YAML data file; return its content and the name used in messages."""
    name = os.fspath(path)
    suffix = Path(name).suffix.lower()
    if suffix not in DATA_FILE_SUFFIXES:
        # Checked before reading so that a wrong file is refused without touching it.
        raise error(
            "{name}: unsupported file type {suffix}, expected one of {suffixes}",
            name=name,
            suffix=repr(suffix or "(none)"),
            suffixes=", ".join(DATA_FILE_SUFFIXES),
        )
    try:
        raw = Path(name).read_bytes()
    except OSError as exc:
        raise error("{name}: cannot read file: {strerror}", name=name, strerror=exc.strerror or exc) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error("{name}: not UTF-8 text (byte {start})", name=name, start=exc.start) from None
    return parse_document(text, name, error), name


# --- validation helpers (shared with journal_ext.core.templates) -----------------


def describe(value: object) -> str:
    """Show a bad value in an error message, briefly."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def type_name(value: object) -> str:
    """Name the kind of a parsed value the way a data-file author thinks of it."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


def join_path(parent: str, key: str | int) -> str:
    """Extend a field path: ``domains`` + 1 -> ``domains[1]``, ``title`` + ``fr`` -> ``title.fr``."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def check_keys(
    data: Mapping[object, object],
    where: str,
    allowed: Iterable[str],
    required: Iterable[str],
    fail: type[ExplainedError],
) -> None:
    """Refuse unknown keys and report missing required ones, naming the field."""
    allowed = tuple(allowed)
    for key in data:
        if not isinstance(key, str) or key not in allowed:
            hint = ""
            if isinstance(key, str):
                close = difflib.get_close_matches(key, allowed, n=1)
                if close:
                    hint = f"; did you mean {close[0]!r}?"
            location = where or "top level"
            raise fail(
                "{location}: unknown key {key} (allowed: {allowed}){hint}",
                location=location,
                key=repr(key),
                allowed=", ".join(allowed),
                hint=hint,
            )
    for key in required:
        if key not in data:
            raise fail("{value}: required field is missing", value=join_path(where, key))


def expect_mapping(value: object, where: str, fail: type[ExplainedError]) -> Mapping[object, object]:
    """Return ``value`` if it is a mapping, else fail naming the field."""
    if not isinstance(value, Mapping):
        raise fail("{where}: expected a mapping, got {found}", where=where or "top level", found=type_name(value))
    return value


def expect_list(value: object, where: str, fail: type[ExplainedError]) -> list[object]:
    """Return ``value`` if it is a list, else fail naming the field."""
    if not isinstance(value, (list, tuple)):
        raise fail("{where}: expected a list, got {found}", where=where, found=type_name(value))
    return list(value)


def expect_text(value: object, where: str, fail: type[ExplainedError]) -> str:
    """Return ``value`` if it is non-blank text, else fail naming the field."""
    if not isinstance(value, str):
        raise fail("{where}: expected text, got {found}", where=where, found=type_name(value))
    if not value.strip():
        raise fail("{where}: must not be empty", where=where)
    return value


def expect_pattern(value: object, where: str, pattern: re.Pattern[str], what: str, fail: type[ExplainedError]) -> str:
    """Return ``value`` if it is text matching ``pattern``, else fail naming the field."""
    if not isinstance(value, str):
        raise fail("{where}: expected text, got {found}", where=where, found=type_name(value))
    if not pattern.match(value):
        raise fail("{where}: must be {what}, got {found}", where=where, what=what, found=describe(value))
    return value


def expect_labels(value: object, where: str, fail: type[ExplainedError]) -> dict[str, str]:
    """Return a ``{language: text}`` mapping with a French text, else fail naming the field."""
    labels = expect_mapping(value, where, fail)
    result: dict[str, str] = {}
    for language, text in labels.items():
        if not isinstance(language, str) or not _LANGUAGE.match(language):
            raise fail(
                "{where}: {found} is not a language code (use e.g. 'fr', 'en')", where=where, found=describe(language)
            )
        result[language] = expect_text(text, join_path(where, language), fail)
    if "fr" not in result:
        raise fail("{value}: required text is missing", value=join_path(where, "fr"))
    return result


def pick_label(labels: Mapping[str, str], language: str) -> str:
    """Choose the text for ``language``, falling back to French, then to any text."""
    if language in labels:
        return labels[language]
    base = language.split("-", 1)[0]
    if base in labels:
        return labels[base]
    if "fr" in labels:
        return labels["fr"]
    return next(iter(labels.values()), "")


# --- the model ---------------------------------------------------------------


@dataclass(frozen=True)
class Competence:
    """One competence of a domain, e.g. DC1.2."""

    code: str
    domain: str
    title: dict[str, str]

    def label(self, language: str = "fr") -> str:
        """Return the competence title in ``language`` (French, then any, as fallback)."""
        return pick_label(self.title, language)


@dataclass(frozen=True)
class Domain:
    """A competence domain (domaine de compétences, bloc de compétences) and its competences."""

    code: str
    title: dict[str, str]
    competences: tuple[Competence, ...]

    def label(self, language: str = "fr") -> str:
        """Return the domain title in ``language`` (French, then any, as fallback)."""
        return pick_label(self.title, language)


@dataclass(frozen=True)
class Framework:
    """A programme's competence framework: its domains and their competences."""

    id: str
    version: int
    title: dict[str, str]
    source: str
    domains: tuple[Domain, ...]

    def domain(self, code: str) -> Domain:
        """Return the domain with this code."""
        for domain in self.domains:
            if domain.code == code:
                return domain
        raise FrameworkError(
            "unknown domain {code_name} (known: {names})", code_name=repr(code), names=", ".join(self.domain_codes())
        )

    def competence(self, code: str) -> Competence:
        """Return the competence with this code."""
        for competence in self.competences():
            if competence.code == code:
                return competence
        raise FrameworkError("unknown competence {code_name} in framework {id}", code_name=repr(code), id=repr(self.id))

    def competences(self) -> tuple[Competence, ...]:
        """Return every competence, domain by domain."""
        return tuple(c for domain in self.domains for c in domain.competences)

    def domain_codes(self) -> list[str]:
        """Return the domain codes in framework order."""
        return [domain.code for domain in self.domains]

    def label(self, language: str = "fr") -> str:
        """Return the framework title in ``language`` (French, then any, as fallback)."""
        return pick_label(self.title, language)

    def to_dict(self) -> dict[str, object]:
        """Return the framework as plain JSON-able data, in the data-file format."""
        return {
            "id": self.id,
            "version": self.version,
            "title": dict(self.title),
            "source": self.source,
            "domains": [
                {
                    "code": domain.code,
                    "title": dict(domain.title),
                    "competences": [{"code": c.code, "title": dict(c.title)} for c in domain.competences],
                }
                for domain in self.domains
            ],
        }


# --- parsing and loading -------------------------------------------------------


def _claim_code(code: str, where: str, first_use: dict[str, str]) -> None:
    # Codes are the stable keys stored with evidence and template sections: one meaning each.
    if code in first_use:
        raise FrameworkError(
            "{where}: duplicate code {code_name} (already used by {value})",
            where=where,
            code_name=repr(code),
            value=first_use[code],
        )
    first_use[code] = where


def _parse_competence(data: object, where: str, domain_code: str, first_use: dict[str, str]) -> Competence:
    fields = expect_mapping(data, where, FrameworkError)
    check_keys(fields, where, _COMPETENCE_KEYS, _COMPETENCE_KEYS, FrameworkError)
    code_where = join_path(where, "code")
    code = expect_pattern(
        fields["code"],
        code_where,
        _CODE,
        "a code of letters and digits such as 'DC1.2'",
        FrameworkError,
    )
    if not code.startswith(domain_code + "."):
        raise FrameworkError(
            "{code_where}: competence code {code_name} must start with its domain code followed by a dot ({value})",
            code_where=code_where,
            code_name=repr(code),
            value=repr(domain_code + "."),
        )
    _claim_code(code, code_where, first_use)
    title = expect_labels(fields["title"], join_path(where, "title"), FrameworkError)
    return Competence(code=code, domain=domain_code, title=title)


def _parse_domain(data: object, where: str, first_use: dict[str, str]) -> Domain:
    fields = expect_mapping(data, where, FrameworkError)
    check_keys(fields, where, _DOMAIN_KEYS, _DOMAIN_KEYS, FrameworkError)
    code_where = join_path(where, "code")
    code = expect_pattern(
        fields["code"],
        code_where,
        _CODE,
        "a code of letters and digits such as 'DC1'",
        FrameworkError,
    )
    _claim_code(code, code_where, first_use)
    title = expect_labels(fields["title"], join_path(where, "title"), FrameworkError)
    competences_where = join_path(where, "competences")
    items = expect_list(fields["competences"], competences_where, FrameworkError)
    if not items:
        raise FrameworkError(
            "{competences_where}: must list at least one competence", competences_where=competences_where
        )
    competences = tuple(
        _parse_competence(item, join_path(competences_where, index), code, first_use)
        for index, item in enumerate(items)
    )
    return Domain(code=code, title=title, competences=competences)


def parse_framework(data: object, source: str = "<data>") -> Framework:
    """Validate parsed framework data and build a Framework."""
    try:
        return _parse_framework(data)
    except FrameworkError as exc:
        if source == "<data>":
            raise
        raise FrameworkError("{source}: {exc}", source=source, exc=exc) from None


def _parse_framework(data: object) -> Framework:
    fields = expect_mapping(data, "", FrameworkError)
    check_keys(fields, "", _FRAMEWORK_KEYS, _FRAMEWORK_KEYS, FrameworkError)
    framework_id = expect_pattern(
        fields["id"],
        "id",
        _SLUG,
        "a slug of lowercase letters, digits and dashes",
        FrameworkError,
    )
    version = fields["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise FrameworkError("version: must be a positive integer, got {found}", found=describe(version))
    title = expect_labels(fields["title"], "title", FrameworkError)
    certification = expect_text(fields["source"], "source", FrameworkError)
    items = expect_list(fields["domains"], "domains", FrameworkError)
    if not items:
        raise FrameworkError("domains: must list at least one domain")
    first_use: dict[str, str] = {}
    domains = tuple(_parse_domain(item, join_path("domains", index), first_use) for index, item in enumerate(items))
    return Framework(id=framework_id, version=version, title=title, source=certification, domains=domains)


def load_framework(path: str | os.PathLike[str]) -> Framework:
    """Load and validate a framework from a .json, .yaml or .yml file."""
    data, name = read_document(path, FrameworkError)
    return parse_framework(data, source=name)


@functools.cache
def _builtin_frameworks() -> tuple[Framework, ...]:
    folder = resources.files("journal_ext").joinpath("frameworks")
    frameworks: list[Framework] = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.is_file() or Path(entry.name).suffix.lower() not in DATA_FILE_SUFFIXES:
            continue
        name = f"journal_ext/frameworks/{entry.name}"
        data = parse_document(entry.read_text(encoding="utf-8"), name, FrameworkError)
        frameworks.append(parse_framework(data, source=name))
    ids = [framework.id for framework in frameworks]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise FrameworkError("built-in frameworks: duplicate id {value}", value=repr(duplicates[0]))
    if DEFAULT_FRAMEWORK_ID not in ids:
        raise FrameworkError(
            "built-in frameworks: default framework {framework} is missing",
            framework=repr(DEFAULT_FRAMEWORK_ID),
        )
    # The default framework comes first; the others follow by file name.
    frameworks.sort(key=lambda framework: framework.id != DEFAULT_FRAMEWORK_ID)
    return tuple(frameworks)


def builtin_frameworks() -> list[Framework]:
    """Return the frameworks shipped with the package, the default one first."""
    return list(_builtin_frameworks())


@functools.cache
def default_framework() -> Framework:
    """Return the default framework: the four domains DC1-DC4 of the CCB certificate."""
    return _builtin_frameworks()[0]
