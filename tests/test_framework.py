"""Competence frameworks: the default DC1-DC4 framework, loading other programmes, errors."""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path

import pytest
import yaml

from journal_ext.core.framework import (
    Competence,
    Domain,
    Framework,
    FrameworkError,
    builtin_frameworks,
    default_framework,
    load_framework,
    parse_framework,
)

SEED_DOMAINS = {
    "DC1": "Concevoir des dispositifs d'observation et de production de connaissances",
    "DC2": "Concevoir, conduire et évaluer des projets sociaux",
    "DC3": "Élaborer et mettre en œuvre des démarches collectives d'animation",
    "DC4": "Capitaliser, formaliser et diffuser de nouvelles pratiques sociales",
}


def valid_data() -> dict:
    """A fresh, valid framework as plain data (the default one)."""
    return copy.deepcopy(default_framework().to_dict())


# --- the default framework -------------------------------------------------------


def test_default_framework_has_the_four_seed_domains():
    framework = default_framework()
    assert framework.id == "ccb-isdcp"
    assert framework.version == 1
    assert framework.domain_codes() == ["DC1", "DC2", "DC3", "DC4"]
    for code, title in SEED_DOMAINS.items():
        assert framework.domain(code).label("fr") == title
    assert "démarches collectives et participatives" in framework.label("fr")
    assert "Collège Coopératif en Bretagne" in framework.source


def test_default_framework_domains_have_three_to_six_labelled_competences():
    for domain in default_framework().domains:
        assert 3 <= len(domain.competences) <= 6, domain.code
        assert domain.title["fr"].strip() and domain.title["en"].strip()
        for competence in domain.competences:
            assert competence.code.startswith(domain.code + ".")
            assert competence.domain == domain.code
            assert competence.title["fr"].strip(), competence.code
            assert competence.title["en"].strip(), competence.code
            assert competence.title["fr"] != competence.title["en"], competence.code


def test_default_framework_wording_comes_from_the_seeds():
    framework = default_framework()
    labels = [competence.label("fr") for competence in framework.competences()]
    # Seed 004's capacités, seed 001's compétences visées, seed 002's posture de tiers facilitateur.
    assert "Construire des outils d'observation, d'évaluation et de veille sociale" in labels
    assert "Formaliser, capitaliser et communiquer sur des projets" in labels
    assert "Animer la coopération et la co-action" in labels
    assert framework.competence("DC3.4").label("fr").startswith("Tenir une posture de tiers facilitateur")


def test_default_framework_is_cached():
    assert default_framework() is default_framework()


def test_lookups_by_code():
    framework = default_framework()
    assert framework.domain("DC2").code == "DC2"
    competence = framework.competence("DC1.2")
    assert isinstance(competence, Competence)
    assert competence.domain == "DC1"
    assert competence.label("en") == "Build tools for observation, evaluation and social monitoring"


def test_unknown_domain_raises_framework_error_not_key_error():
    with pytest.raises(FrameworkError, match=r"unknown domain 'DC9' \(known: DC1, DC2, DC3, DC4\)"):
        default_framework().domain("DC9")


def test_unknown_competence_raises_framework_error():
    with pytest.raises(FrameworkError, match=r"unknown competence 'DC1\.9'"):
        default_framework().competence("DC1.9")


def test_label_falls_back_to_french_then_to_any_language():
    competence = Competence(code="X1.1", domain="X1", title={"fr": "Observer"})
    assert competence.label("en") == "Observer"
    domain = Domain(code="X1", title={"de": "Beobachten"}, competences=(competence,))
    assert domain.label("fr") == "Beobachten"
    framework = default_framework()
    assert framework.domain("DC1").label("en-GB") == framework.domain("DC1").title["en"]
    assert framework.domain("DC1").label("es") == framework.domain("DC1").title["fr"]


def test_to_dict_round_trips_and_is_json():
    framework = default_framework()
    data = framework.to_dict()
    assert parse_framework(json.loads(json.dumps(data))) == framework
    assert "domain" not in data["domains"][0]["competences"][0]


def test_parse_framework_returns_frozen_dataclasses():
    framework = parse_framework(valid_data())
    assert isinstance(framework, Framework)
    assert isinstance(framework.domains, tuple)
    assert isinstance(framework.domains[0].competences, tuple)
    with pytest.raises(AttributeError):
        framework.id = "other"  # type: ignore[misc]


# --- other programmes, as data -----------------------------------------------------


def test_builtin_frameworks_list_the_default_first_then_the_cpsl_blocks():
    frameworks = builtin_frameworks()
    assert [f.id for f in frameworks] == ["ccb-isdcp", "cpsl-blocs"]
    assert frameworks[0] is default_framework()


def test_cpsl_blocks_file_loads_as_data():
    entry = resources.files("journal_ext").joinpath("frameworks", "cpsl-blocs.json")
    with resources.as_file(entry) as path:
        framework = load_framework(path)
    assert framework.id == "cpsl-blocs"
    assert framework.domain_codes() == ["B1", "B2"]
    assert framework.domain("B1").label() == "Diagnostic partagé solidaire et local"
    assert framework.domain("B2").label() == "Conduite de projet solidaire et local"
    assert framework.competence("B1.2").label() == ("Conduire un diagnostic partagé et ancré dans son environnement")
    assert framework == builtin_frameworks()[1]


def test_load_framework_reads_yaml(tmp_path: Path):
    data = valid_data()
    data["id"] = "deis"
    for suffix in (".yaml", ".yml"):
        path = tmp_path / f"deis{suffix}"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        framework = load_framework(path)
        assert framework.id == "deis"
        assert framework.domains == default_framework().domains


def test_load_framework_reads_json_with_a_byte_order_mark(tmp_path: Path):
    path = tmp_path / "framework.json"
    path.write_text(json.dumps(valid_data()), encoding="utf-8-sig")
    assert load_framework(path) == default_framework()


# --- errors name the bad field -----------------------------------------------------------


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
    "missing id": (
        lambda d: _drop(d, "id"),
        "id: required field is missing",
    ),
    "missing source": (
        lambda d: _drop(d, "source"),
        "source: required field is missing",
    ),
    "missing domain code": (
        lambda d: _drop(d, "domains", 2, "code"),
        "domains[2].code: required field is missing",
    ),
    "missing french competence title": (
        lambda d: _drop(d, "domains", 1, "competences", 0, "title", "fr"),
        "domains[1].competences[0].title.fr: required text is missing",
    ),
    "empty english label": (
        lambda d: _set(d, ("domains", 0, "title", "en"), "  "),
        "domains[0].title.en: must not be empty",
    ),
    "label that is not text": (
        lambda d: _set(d, ("title", "fr"), 12),
        "title.fr: expected text, got a number",
    ),
    "bad language code": (
        lambda d: _set(d, ("title", "French"), "Titre"),
        "title: 'French' is not a language code",
    ),
    "version as text": (
        lambda d: _set(d, ("version",), "1"),
        "version: must be a positive integer, got '1'",
    ),
    "version zero": (
        lambda d: _set(d, ("version",), 0),
        "version: must be a positive integer, got 0",
    ),
    "version boolean": (
        lambda d: _set(d, ("version",), True),
        "version: must be a positive integer, got True",
    ),
    "id not a slug": (
        lambda d: _set(d, ("id",), "CCB ISDCP"),
        "id: must be a slug of lowercase letters, digits and dashes, got 'CCB ISDCP'",
    ),
    "domains not a list": (
        lambda d: _set(d, ("domains",), {"DC1": "x"}),
        "domains: expected a list, got a mapping",
    ),
    "no domain": (
        lambda d: _set(d, ("domains",), []),
        "domains: must list at least one domain",
    ),
    "domain with no competence": (
        lambda d: _set(d, ("domains", 3, "competences"), []),
        "domains[3].competences: must list at least one competence",
    ),
    "domain not a mapping": (
        lambda d: _set(d, ("domains", 1), "DC2"),
        "domains[1]: expected a mapping, got text",
    ),
    "duplicate domain code": (
        lambda d: _set(d, ("domains", 1, "code"), "DC1"),
        "domains[1].code: duplicate code 'DC1' (already used by domains[0].code)",
    ),
    "duplicate competence code": (
        lambda d: _set(d, ("domains", 0, "competences", 2, "code"), "DC1.1"),
        "domains[0].competences[2].code: duplicate code 'DC1.1' (already used by domains[0].competences[0].code)",
    ),
    "competence code outside its domain": (
        lambda d: _set(d, ("domains", 0, "competences", 0, "code"), "DC2.9"),
        "domains[0].competences[0].code: competence code 'DC2.9' must start with "
        "its domain code followed by a dot ('DC1.')",
    ),
    "competence code without separator": (
        lambda d: _set(d, ("domains", 0, "competences", 0, "code"), "DC10"),
        "domains[0].competences[0].code: competence code 'DC10' must start with",
    ),
    "unknown top-level key": (
        lambda d: _set(d, ("description",), "..."),
        "top level: unknown key 'description' (allowed: id, version, title, source, domains)",
    ),
    "misspelt domain key": (
        lambda d: _set(d, ("domains", 0, "comptences"), []),
        "domains[0]: unknown key 'comptences' (allowed: code, title, competences); did you mean 'competences'?",
    ),
    "unknown competence key": (
        lambda d: _set(d, ("domains", 2, "competences", 1, "level"), 3),
        "domains[2].competences[1]: unknown key 'level'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DATA))
def test_parse_framework_names_the_bad_field(case: str):
    change, expected = BAD_DATA[case]
    with pytest.raises(FrameworkError) as caught:
        parse_framework(change(valid_data()))
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize("case", sorted(BAD_DATA))
def test_load_framework_prefixes_the_file_name(tmp_path: Path, case: str):
    change, expected = BAD_DATA[case]
    path = tmp_path / "programme.json"
    path.write_text(json.dumps(change(valid_data())), encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert str(caught.value).startswith(f"{path}: {expected}")


@pytest.mark.parametrize(
    "top_level, expected",
    [
        ([1, 2], "top level: expected a mapping, got a list"),
        ("DC1", "top level: expected a mapping, got text"),
        (None, "top level: expected a mapping, got nothing (null)"),
    ],
)
def test_parse_framework_refuses_a_non_mapping_top_level(top_level, expected):
    with pytest.raises(FrameworkError) as caught:
        parse_framework(top_level)
    assert str(caught.value) == expected


def test_parse_framework_prefixes_an_explicit_source():
    with pytest.raises(FrameworkError) as caught:
        parse_framework({}, source="store:framework/7")
    assert str(caught.value) == "store:framework/7: id: required field is missing"


BAD_FILES = {
    "bad-syntax.json": (
        '{\n  "id": "x",\n  "version": 1,,\n}\n',
        "invalid JSON at line 3, column 16: Expecting property name",
    ),
    "duplicate-key.json": (
        '{"id": "a", "id": "b"}',
        "invalid JSON: duplicate key 'id'",
    ),
    "bad-syntax.yaml": (
        "id: ccb\nversion: 1\ntitle: [fr, en\nsource: x\n",
        "invalid YAML at line 4",
    ),
    "bad-indent.yml": (
        "id: ccb\n  version: 1\n",
        "invalid YAML at line 2",
    ),
    "duplicate-key.yaml": (
        "id: a\nversion: 1\nid: b\n",
        "invalid YAML at line 3, column 1: duplicate key 'id' (first defined on line 1)",
    ),
    "top-level-list.yaml": (
        "- DC1\n- DC2\n",
        "top level: expected a mapping, got a list",
    ),
    "empty.yaml": (
        "",
        "top level: expected a mapping, got nothing (null)",
    ),
    "framework.txt": (
        "{}",
        "unsupported file type '.txt', expected one of .json, .yaml, .yml",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_load_framework_reports_bad_files(tmp_path: Path, name: str):
    text, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert str(caught.value).startswith(f"{path}: {expected}")


def test_load_framework_reports_a_missing_file(tmp_path: Path):
    path = tmp_path / "absent.json"
    with pytest.raises(FrameworkError, match=r"absent\.json: cannot read file"):
        load_framework(path)


def test_load_framework_reports_a_file_that_is_not_utf8(tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: référentiel\n".encode("latin-1"))
    with pytest.raises(FrameworkError, match=r"latin1\.yaml: not UTF-8 text"):
        load_framework(path)


def test_framework_error_is_a_value_error():
    assert issubclass(FrameworkError, ValueError)
