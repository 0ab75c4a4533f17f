"""Document templates: the built-in ones, loading templates as data, errors."""

from __future__ import annotations

import copy
import json
import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from journal_ext.core.framework import builtin_frameworks, default_framework
from journal_ext.core.templates import (
    KINDS,
    VISIBILITIES,
    Section,
    Template,
    TemplateError,
    builtin_template,
    builtin_templates,
    load_template_file,
    parse_template,
)

BUILTIN_IDS = [
    f"{stem}-{language}"
    for stem in (
        "journal-entry",
        "field-observation",
        "shared-diagnostic",
        "synthesis-note",
        "professional-dossier",
    )
    for language in ("fr", "en")
]


def minimal_template() -> dict:
    """A small valid template as plain data."""
    return {
        "id": "visit-report-fr",
        "kind": "field_observation",
        "language": "fr",
        "title": "Compte rendu de visite",
        "description": "Une visite de structure.",
        "default_visibility": "tutors",
        "sections": [
            {"key": "setting", "heading": "Cadre", "prompt": "Où, quand ?", "domains": ["DC1"]},
            {"key": "observation", "heading": "Observé", "prompt": "Décrivez.", "required": True},
            {
                "key": "interpretation",
                "heading": "Interprété",
                "prompt": "Interprétez.",
                "min_length": 100,
                "max_length": 2000,
            },
        ],
    }


def valid_data() -> dict:
    """A fresh copy of a full built-in template as plain data."""
    return copy.deepcopy(builtin_template("field-observation-fr").to_dict())


# --- constants -----------------------------------------------------------------------


def test_kinds_and_visibilities():
    assert KINDS == (
        "learning_journal",
        "field_observation",
        "shared_diagnostic",
        "synthesis_note",
        "professional_dossier",
    )
    assert VISIBILITIES == ("private", "tutors", "group", "cohort")


# --- the built-in templates ---------------------------------------------------------------


def test_builtin_templates_are_the_ten_expected_ordered_by_kind():
    templates = builtin_templates()
    assert [t.id for t in templates] == BUILTIN_IDS
    assert [t.kind for t in templates] == [kind for kind in KINDS for _ in ("fr", "en")]
    assert all(isinstance(t, Template) for t in templates)


def test_builtin_template_files_ship_inside_the_package():
    folder = resources.files("journal_ext").joinpath("templates")
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".yaml"))
    assert names == sorted(f"{template_id}.yaml" for template_id in BUILTIN_IDS)


def test_each_kind_exists_in_french_and_english():
    for kind in KINDS:
        languages = sorted(t.language for t in builtin_templates() if t.kind == kind)
        assert languages == ["en", "fr"], kind


def test_language_filter():
    assert [t.id for t in builtin_templates("fr")] == [i for i in BUILTIN_IDS if i.endswith("-fr")]
    assert [t.id for t in builtin_templates("en")] == [i for i in BUILTIN_IDS if i.endswith("-en")]
    with pytest.raises(TemplateError, match=r"unknown template language 'de' \(available: fr, en\)"):
        builtin_templates("de")


@pytest.mark.parametrize("template_id", BUILTIN_IDS)
def test_every_builtin_template_validates_against_the_default_framework(template_id: str):
    template = builtin_template(template_id)
    codes = default_framework().domain_codes()
    assert template.framework == default_framework().id
    assert parse_template(template.to_dict(), domain_codes=codes) == template
    assert 4 <= len(template.sections) <= 8
    assert any(section.required for section in template.sections)
    for section in template.sections:
        assert set(section.domains) <= set(codes)
        assert section.heading.strip() and section.prompt.strip()
    # The journal, the diagnostic and the dossier each work every domain somewhere.
    if template.kind in ("learning_journal", "shared_diagnostic", "professional_dossier"):
        used = {code for section in template.sections for code in section.domains}
        assert used == set(codes)


@pytest.mark.parametrize("kind", KINDS)
def test_french_and_english_versions_share_their_structure(kind: str):
    french, english = (next(t for t in builtin_templates(language) if t.kind == kind) for language in ("fr", "en"))
    assert french.default_visibility == english.default_visibility
    assert french.framework == english.framework
    assert [s.key for s in french.sections] == [s.key for s in english.sections]
    for fr_section, en_section in zip(french.sections, english.sections, strict=True):
        assert fr_section.domains == en_section.domains
        assert fr_section.required == en_section.required
        assert fr_section.min_length == en_section.min_length
        assert fr_section.max_length == en_section.max_length
        assert fr_section.heading != en_section.heading or fr_section.key == "introduction"
        assert fr_section.prompt != en_section.prompt


def test_default_visibilities_follow_the_design():
    for template in builtin_templates():
        expected = "tutors" if template.kind in ("learning_journal", "field_observation") else "group"
        assert template.default_visibility == expected, template.id


def test_french_templates_use_inclusive_writing_as_the_seeds_do():
    for template in builtin_templates("fr"):
        text = " ".join(s.heading + " " + s.prompt for s in template.sections)
        assert "·" in text, template.id


def test_learning_journal_goes_back_and_forth_between_theory_and_practice():
    for language in ("fr", "en"):
        entry = builtin_template(f"journal-entry-{language}")
        assert entry.kind == "learning_journal"
        assert entry.section("context").required
        assert entry.section("situation").required and "DC1" in entry.section("situation").domains
        assert entry.section("theory").required
    assert "aller-retour" in builtin_template("journal-entry-fr").section("theory").prompt


@pytest.mark.parametrize("language", ["fr", "en"])
def test_field_observation_keeps_observation_and_interpretation_apart(language: str):
    template = builtin_template(f"field-observation-{language}")
    keys = [section.key for section in template.sections]
    observation, interpretation = template.section("observation"), template.section("interpretation")
    assert observation is not interpretation
    assert observation.required and interpretation.required
    assert keys.index("observation") < keys.index("interpretation")
    assert "actors" in keys and "setting" in keys
    assert "pseudonym" in template.section("actors").prompt.lower()


def test_field_observation_prompts_say_so():
    template = builtin_template("field-observation-fr")
    assert "sans juger" in template.section("observation").prompt
    assert "À part de la description" in template.section("interpretation").prompt


@pytest.mark.parametrize("language", ["fr", "en"])
def test_shared_diagnostic_covers_territory_feasibility_and_shared_dimension(language: str):
    template = builtin_template(f"shared-diagnostic-{language}")
    for key in ("territory", "feasibility", "shared-dimension"):
        assert template.section(key).required
    assert "20 pages" in template.description


@pytest.mark.parametrize("language", ["fr", "en"])
def test_synthesis_note_body_is_bounded_at_5000_characters(language: str):
    template = builtin_template(f"synthesis-note-{language}")
    body = template.section("note")
    assert body.required
    assert body.max_length == 5000
    assert body.min_length is not None and body.min_length < 5000
    assert "5000" in body.prompt and "5000" in template.description
    assert all(
        section.max_length is not None and section.max_length < 5000
        for section in template.sections
        if section.key in ("outline", "landmarks")
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_professional_dossier_takes_up_the_diagnostic(language: str):
    template = builtin_template(f"professional-dossier-{language}")
    assert "60 pages" in template.description
    assert template.sections[1].key == "diagnostic"
    assert "20 pages" in template.section("diagnostic").prompt


def test_builtin_template_unknown_id():
    with pytest.raises(TemplateError) as caught:
        builtin_template("diary-fr")
    message = str(caught.value)
    assert message.startswith("unknown built-in template 'diary-fr' (available: journal-entry-fr, ")
    assert "professional-dossier-en" in message


def test_template_section_lookup():
    template = builtin_template("synthesis-note-fr")
    assert isinstance(template.section("note"), Section)
    with pytest.raises(TemplateError, match=r"template 'synthesis-note-fr' has no section 'body'"):
        template.section("body")


# --- round trip and loading as data -------------------------------------------------------------


@pytest.mark.parametrize("template_id", BUILTIN_IDS)
def test_to_dict_round_trips_through_json(template_id: str):
    template = builtin_template(template_id)
    data = json.loads(json.dumps(template.to_dict()))
    assert parse_template(data) == template


def test_optional_section_fields_take_their_defaults():
    template = parse_template(minimal_template())
    assert template.framework is None
    observation = template.section("observation")
    assert observation == Section(
        key="observation",
        heading="Observé",
        prompt="Décrivez.",
        domains=(),
        required=True,
        min_length=None,
        max_length=None,
        placeholder="",
    )
    assert template.section("setting").required is False
    assert template.section("setting").domains == ("DC1",)
    assert parse_template(template.to_dict()) == template


def test_templates_are_frozen():
    template = builtin_template("journal-entry-fr")
    with pytest.raises(AttributeError):
        template.title = "autre"  # type: ignore[misc]
    assert isinstance(template.sections, tuple) and isinstance(template.sections[0].domains, tuple)


def test_domain_codes_of_another_framework():
    cpsl = next(f for f in builtin_frameworks() if f.id == "cpsl-blocs")
    data = minimal_template()
    data["sections"][0]["domains"] = ["B1"]
    with pytest.raises(TemplateError, match=r"unknown competence domain 'B1'"):
        parse_template(data)
    assert parse_template(data, domain_codes=cpsl.domain_codes()).section("setting").domains == ("B1",)
    # Naming a built-in framework is enough to check against its domains.
    data["framework"] = "cpsl-blocs"
    assert parse_template(data).framework == "cpsl-blocs"


def test_unknown_framework_needs_domain_codes():
    data = minimal_template()
    data["framework"] = "deis"
    with pytest.raises(TemplateError) as caught:
        parse_template(data)
    assert str(caught.value).startswith("framework: unknown framework 'deis' (built-in: ccb-isdcp, cpsl-blocs)")
    assert parse_template(data, domain_codes=["DC1"]).framework == "deis"


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_load_template_file(tmp_path: Path, suffix: str):
    path = tmp_path / f"visit{suffix}"
    data = minimal_template()
    if suffix == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_template_file(path) == parse_template(data)


# --- errors name the bad field -----------------------------------------------------------------


def _drop(data: dict, *keys) -> dict:
    target = data
    for key in keys[:-1]:
        target = target[key]
    del target[keys[-1]]
    return data


def _set(data: dict, keys: tuple, value: object) -> dict:
    target = data
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    return data


BAD_DATA = {
    "missing title": (
        lambda d: _drop(d, "title"),
        "title: required field is missing",
    ),
    "missing sections": (
        lambda d: _drop(d, "sections"),
        "sections: required field is missing",
    ),
    "missing prompt": (
        lambda d: _drop(d, "sections", 3, "prompt"),
        "sections[3].prompt: required field is missing",
    ),
    "empty heading": (
        lambda d: _set(d, ("sections", 0, "heading"), ""),
        "sections[0].heading: must not be empty",
    ),
    "prompt not text": (
        lambda d: _set(d, ("sections", 1, "prompt"), ["Décrivez", "Analysez"]),
        "sections[1].prompt: expected text, got a list",
    ),
    "max_length as words": (
        lambda d: _set(d, ("sections", 2, "max_length"), "beaucoup"),
        "sections[2].max_length: must be a positive integer, got 'beaucoup'",
    ),
    "negative min_length": (
        lambda d: _set(d, ("sections", 2, "min_length"), -5),
        "sections[2].min_length: must be a positive integer, got -5",
    ),
    "fractional max_length": (
        lambda d: _set(d, ("sections", 0, "max_length"), 12.5),
        "sections[0].max_length: must be a positive integer, got 12.5",
    ),
    "min above max": (
        lambda d: _set(_set(d, ("sections", 2, "min_length"), 600), ("sections", 2, "max_length"), 500),
        "sections[2].min_length: must not exceed max_length (500), got 600",
    ),
    "required as text": (
        lambda d: _set(d, ("sections", 0, "required"), "oui"),
        "sections[0].required: must be true or false, got 'oui'",
    ),
    "unknown domain": (
        lambda d: _set(d, ("sections", 1, "domains"), ["DC7"]),
        "sections[1].domains[0]: unknown competence domain 'DC7' (known: DC1, DC2, DC3, DC4)",
    ),
    "unknown second domain": (
        lambda d: _set(d, ("sections", 4, "domains"), ["DC1", "DC3.1"]),
        "sections[4].domains[1]: unknown competence domain 'DC3.1'",
    ),
    "domains not a list": (
        lambda d: _set(d, ("sections", 1, "domains"), "DC1"),
        "sections[1].domains: expected a list, got text",
    ),
    "domain listed twice": (
        lambda d: _set(d, ("sections", 1, "domains"), ["DC1", "DC1"]),
        "sections[1].domains[1]: domain 'DC1' is listed twice",
    ),
    "duplicate section key": (
        lambda d: _set(d, ("sections", 3, "key"), "setting"),
        "sections[3].key: duplicate section key 'setting' (already used by sections[0])",
    ),
    "section key not a slug": (
        lambda d: _set(d, ("sections", 1, "key"), "Ce que j'ai vu"),
        "sections[1].key: must be a key of lowercase letters",
    ),
    "placeholder not text": (
        lambda d: _set(d, ("sections", 0, "placeholder"), {"date": None}),
        "sections[0].placeholder: expected text, got a mapping",
    ),
    "unknown kind": (
        lambda d: _set(d, ("kind",), "diary"),
        "kind: must be one of learning_journal, field_observation, shared_diagnostic, "
        "synthesis_note, professional_dossier, got 'diary'",
    ),
    "unknown language": (
        lambda d: _set(d, ("language",), "br"),
        "language: must be one of fr, en, got 'br'",
    ),
    "unknown visibility": (
        lambda d: _set(d, ("default_visibility",), "public"),
        "default_visibility: must be one of private, tutors, group, cohort, got 'public'",
    ),
    "id not a slug": (
        lambda d: _set(d, ("id",), "Field_Observation"),
        "id: must be a slug of lowercase letters, digits and dashes, got 'Field_Observation'",
    ),
    "no sections": (
        lambda d: _set(d, ("sections",), []),
        "sections: must list at least one section",
    ),
    "section not a mapping": (
        lambda d: _set(d, ("sections", 2), "observation"),
        "sections[2]: expected a mapping, got text",
    ),
    "unknown top-level key": (
        lambda d: _set(d, ("version",), 2),
        "top level: unknown key 'version' (allowed: id, kind, language, title, description, "
        "default_visibility, framework, sections)",
    ),
    "misspelt section key": (
        lambda d: _set(d, ("sections", 0, "max_lenght"), 100),
        "sections[0]: unknown key 'max_lenght' (allowed: key, heading, prompt, domains, "
        "required, min_length, max_length, placeholder); did you mean 'max_length'?",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DATA))
def test_parse_template_names_the_bad_field(case: str):
    change, expected = BAD_DATA[case]
    with pytest.raises(TemplateError) as caught:
        parse_template(change(valid_data()))
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize("case", sorted(BAD_DATA))
def test_load_template_file_prefixes_the_file_name(tmp_path: Path, case: str):
    change, expected = BAD_DATA[case]
    path = tmp_path / "template.yaml"
    path.write_text(yaml.safe_dump(change(valid_data()), allow_unicode=True), encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_template_file(path)
    assert str(caught.value).startswith(f"{path}: {expected}")


@pytest.mark.parametrize(
    "top_level, expected",
    [
        ([{"key": "a"}], "top level: expected a mapping, got a list"),
        ("journal", "top level: expected a mapping, got text"),
        (42, "top level: expected a mapping, got a number"),
    ],
)
def test_parse_template_refuses_a_non_mapping_top_level(top_level, expected):
    with pytest.raises(TemplateError) as caught:
        parse_template(top_level)
    assert str(caught.value) == expected


BAD_FILES = {
    "bad-syntax.yaml": (
        "id: visit\nsections:\n  - key: a\n    heading: [unclosed\n",
        "invalid YAML at line 5",
    ),
    "tab-indent.yaml": (
        "id: visit\nsections:\n\t- key: a\n",
        "invalid YAML at line 3",
    ),
    "duplicate-key.yml": (
        "id: visit\nsections:\n  - key: a\n    key: b\n",
        "invalid YAML at line 4, column 5: duplicate key 'key' (first defined on line 3)",
    ),
    "bad-syntax.json": (
        '{"id": "visit", "sections": [}',
        "invalid JSON at line 1, column 30",
    ),
    "top-level-list.yaml": (
        "- key: a\n- key: b\n",
        "top level: expected a mapping, got a list",
    ),
    "empty.yml": (
        "# nothing yet\n",
        "top level: expected a mapping, got nothing (null)",
    ),
    "template.md": (
        "# Journal\n",
        "unsupported file type '.md', expected one of .json, .yaml, .yml",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_load_template_file_reports_bad_files(tmp_path: Path, name: str):
    text, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_template_file(path)
    assert str(caught.value).startswith(f"{path}: {expected}")


def test_load_template_file_reports_a_missing_file(tmp_path: Path):
    path = tmp_path / "absent.yaml"
    with pytest.raises(TemplateError, match=r"absent\.yaml: cannot read file"):
        load_template_file(path)


def test_template_error_is_a_value_error():
    assert issubclass(TemplateError, ValueError)


def test_section_keys_are_stable_identifiers():
    pattern = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
    for template in builtin_templates():
        for section in template.sections:
            assert pattern.match(section.key), (template.id, section.key)


@pytest.mark.parametrize("template_id", [t.id for t in builtin_templates()])
def test_a_starter_text_of_several_fields_shows_one_field_per_line(template_id: str):
    """Markdown joins plain lines into one paragraph ("Date : … Lieu : …"): fields are a list, one per line."""
    from markdown_it import MarkdownIt

    template = next(t for t in builtin_templates() if t.id == template_id)
    for section in template.sections:
        fields = [line for line in section.placeholder.splitlines() if line.strip()]
        if len(fields) < 2:
            continue
        tokens = MarkdownIt("commonmark").parse(section.placeholder)
        items = [t for t in tokens if t.type == "list_item_open"]
        assert len(items) == len(fields), f"{template_id}/{section.key}: {section.placeholder!r}"


def test_the_demo_fields_show_one_per_line_too():
    """The demo cohort's filled-in headers, written like the starter text they replace."""
    from markdown_it import MarkdownIt

    from journal_ext.core.demo import demo_data

    for group in demo_data()["groups"]:
        for document in group.get("documents", []):
            for key in ("context", "setting"):
                text = document["sections"].get(key)
                if not text:
                    continue
                tokens = MarkdownIt("commonmark").parse(text)
                assert sum(t.type == "list_item_open" for t in tokens) == len(text.splitlines()), text
