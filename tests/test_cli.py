"""The journal-ext command, driven through click's CliRunner."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from journal_ext.cli import cli
from journal_ext.core.templates import builtin_template
from journal_ext.db import SCHEMA_VERSION, JournalStore

COHORT = "Promotion 2026"
CPSL = "Promotion CPSL"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


def run(db: Path | None, *args: str, env: dict[str, str] | None = None) -> Result:
    """Run a command as someone whose shell speaks English (LANG), unless ``env`` says otherwise."""
    argv = [*args, "--db", str(db)] if db is not None else list(args)
    shell = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "JOURNAL_EXT_LANG": None}
    return CliRunner().invoke(cli, argv, catch_exceptions=False, env={**shell, **(env or {"LANG": "en_US.UTF-8"})})


def ok(db: Path | None, *args: str) -> str:
    result = run(db, *args)
    assert result.exit_code == 0, result.output
    return result.output


def error(db: Path | None, *args: str, code: int = 1) -> str:
    """The one-line error of a failing command (no traceback)."""
    result = run(db, *args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    return lines[0].removeprefix("Error: ")


@pytest.fixture
def cohort_db(db: Path) -> Path:
    ok(db, "cohort", "add", COHORT)
    ok(db, "group", "add", COHORT, "Groupe Quartiers", "--commission", "Centre social")
    return db


def framework_file() -> Path:
    return Path(str(resources.files("journal_ext").joinpath("frameworks", "cpsl-blocs.json")))


# --- init, cohorts, groups, members ----------------------------------------------


def test_init_creates_the_journal(db: Path):
    output = ok(db, "init")
    assert output == f"Journal ready at {db} (schema {SCHEMA_VERSION}, 2 frameworks, 10 templates).\n"
    assert db.exists()
    # Running it again brings nothing new and changes nothing.
    assert ok(db, "init") == output


def test_cohort_add_and_duplicate(db: Path):
    assert ok(db, "cohort", "add", COHORT, "--language", "en") == (
        f"Cohort '{COHORT}' created (en, framework ccb-isdcp).\n"
    )
    assert error(db, "cohort", "add", COHORT) == f"a cohort named '{COHORT}' already exists"
    assert ok(db, "cohort", "list") == f"{COHORT}\ten\tccb-isdcp\n"


def test_cohort_list_when_empty(db: Path):
    assert "No cohort yet" in ok(db, "cohort", "list")


def test_cohort_add_with_a_framework_file(db: Path, tmp_path: Path):
    assert "framework cpsl-blocs" in ok(db, "cohort", "add", CPSL, "--framework", str(framework_file()))
    # A framework that only exists as a file is loaded into the journal.
    own = json.loads(framework_file().read_text(encoding="utf-8"))
    own["id"] = "deis-local"
    path = tmp_path / "deis-local.yaml"
    path.write_text(yaml.safe_dump(own, allow_unicode=True), encoding="utf-8")
    assert "framework deis-local" in ok(db, "cohort", "add", "Promotion DEIS", "--framework", str(path))
    with JournalStore(db) as store:
        assert store.cohort(CPSL)["framework_id"] == "cpsl-blocs"
        assert store.cohort("Promotion DEIS")["framework_id"] == "deis-local"
        assert [d["code"] for d in store.domains("deis-local")] == ["B1", "B2"]


def test_cohort_add_with_a_broken_framework_file(db: Path, tmp_path: Path):
    path = tmp_path / "broken.json"
    path.write_text('{"id": "x", "version": 0}', encoding="utf-8")
    message = error(db, "cohort", "add", CPSL, "--framework", str(path))
    assert message.startswith(f"{path}: ")
    assert error(db, "cohort", "add", CPSL, "--framework", "nope") == ("no competence framework 'nope' in this journal")


def test_group_add_and_unknown_cohort(cohort_db: Path):
    db = cohort_db
    assert ok(db, "group", "add", COHORT, "Groupe Tiers-lieu") == (
        f"Group 'Groupe Tiers-lieu' created in '{COHORT}' with 5 templates.\n"
    )
    assert error(db, "group", "add", "Promo X", "G") == f"no cohort named 'Promo X' (known: {COHORT})"
    assert error(db, "group", "add", COHORT, "Groupe Quartiers") == (
        f"cohort '{COHORT}' already has a group named 'Groupe Quartiers'"
    )


def test_member_add_and_list(cohort_db: Path):
    db = cohort_db
    assert (
        ok(db, "member", "add", "Groupe Quartiers", "camille", "--role", "learner", "--name", "Camille Martin")
        == "camille is now learner in 'Groupe Quartiers'.\n"
    )
    ok(db, "member", "add", f"{COHORT}/Groupe Quartiers", "nadia", "--role", "tutor")
    assert ok(db, "group", "list") == (f"{COHORT}/Groupe Quartiers\tcamille (learner), nadia (tutor)\n")
    with JournalStore(db) as store:
        assert store.display_name("camille") == "Camille Martin"


def test_member_add_rejects_a_bad_role(cohort_db: Path):
    result = run(cohort_db, "member", "add", "Groupe Quartiers", "camille", "--role", "admin")
    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output
    assert "'admin' is not one of 'learner', 'tutor', 'coordinator'" in result.output
    with JournalStore(cohort_db) as store:
        assert store.memberships("camille") == []


def test_member_add_to_an_unknown_group(cohort_db: Path):
    assert error(cohort_db, "member", "add", "Groupe X", "camille", "--role", "learner") == (
        f"no group 'Groupe X' (known: {COHORT}/Groupe Quartiers)"
    )


# --- templates -------------------------------------------------------------------


def test_template_list_and_show(db: Path):
    lines = ok(db, "template", "list").splitlines()
    assert len(lines) == 10
    assert "journal-entry-fr@1\tlearning_journal\tfr\tEntrée du journal d'apprentissage" in lines
    shown = json.loads(ok(db, "template", "show", "synthesis-note-fr"))
    assert shown["slug"] == "synthesis-note-fr" and shown["version"] == 1
    assert shown["sections"] == builtin_template("synthesis-note-fr").to_dict()["sections"]
    assert json.loads(ok(db, "template", "show", "synthesis-note-fr@1")) == shown


def test_template_show_unknown(db: Path):
    message = error(db, "template", "show", "nope")
    assert message.startswith("no template 'nope' (known: ") and "journal-entry-fr" in message


def test_template_assign_by_slug(cohort_db: Path):
    db = cohort_db
    assert ok(db, "template", "assign", "Groupe Quartiers", "shared-diagnostic-en") == (
        "'Groupe Quartiers' now uses shared-diagnostic-en@1 for shared_diagnostic documents.\n"
    )
    with JournalStore(db) as store:
        group = store.group("Groupe Quartiers")
        assigned = {v["kind"]: v["slug"] for v in store.group_templates(group["id"])}
    assert assigned["shared_diagnostic"] == "shared-diagnostic-en"
    assert error(db, "template", "assign", "Groupe Quartiers", "nope").startswith("no template 'nope'")


def write_template(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_template_assign_a_modified_copy_makes_a_new_version(cohort_db: Path, tmp_path: Path):
    db = cohort_db
    data = builtin_template("shared-diagnostic-fr").to_dict()
    data["sections"][0]["prompt"] = "Racontez la commande telle que le groupe l'a négociée."
    path = write_template(tmp_path / "diagnostic.yaml", data)
    assert ok(db, "template", "assign", "Groupe Quartiers", str(path)) == (
        "'Groupe Quartiers' now uses shared-diagnostic-fr@2 for shared_diagnostic documents.\n"
    )
    # The same file again reuses version 2.
    assert "shared-diagnostic-fr@2" in ok(db, "template", "assign", "Groupe Quartiers", str(path))
    assert "shared-diagnostic-fr@2" in ok(db, "template", "list")
    with JournalStore(db) as store:
        assert (
            store.find_template("shared-diagnostic-fr")["body"]["sections"][0]["prompt"]
            == data["sections"][0]["prompt"]
        )


def test_template_assign_a_broken_file_names_the_field(cohort_db: Path, tmp_path: Path):
    data = builtin_template("synthesis-note-fr").to_dict()
    data["sections"][2]["max_length"] = "beaucoup"
    path = write_template(tmp_path / "note.yaml", data)
    message = error(cohort_db, "template", "assign", "Groupe Quartiers", str(path))
    assert message == f"{path}: sections[2].max_length: must be a positive integer, got 'beaucoup'"
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("id: x\nsections: [\n", encoding="utf-8")
    assert error(cohort_db, "template", "assign", "Groupe Quartiers", str(bad_yaml)).startswith(
        f"{bad_yaml}: invalid YAML at line"
    )
    with JournalStore(cohort_db) as store:
        assert store.find_template("synthesis-note-fr")["version"] == 1


def cpsl_template(tmp_path: Path, domains: list[str], framework: str | None = None) -> Path:
    data = builtin_template("field-observation-fr").to_dict()
    data["id"] = "observation-cpsl-fr"
    data["framework"] = framework
    for section in data["sections"]:
        section["domains"] = list(domains)
    return write_template(tmp_path / f"observation-{'-'.join(domains)}.yaml", data)


def test_template_file_is_checked_against_the_cohorts_framework(db: Path, tmp_path: Path):
    ok(db, "cohort", "add", CPSL, "--framework", "cpsl-blocs")
    ok(db, "group", "add", CPSL, "Groupe Épicerie")
    ok(db, "cohort", "add", COHORT)
    ok(db, "group", "add", COHORT, "Groupe Quartiers")

    blocks = cpsl_template(tmp_path, ["B1"])
    assert "observation-cpsl-fr@1" in ok(db, "template", "assign", "Groupe Épicerie", str(blocks))
    message = error(db, "template", "assign", "Groupe Quartiers", str(blocks))
    assert message == (f"{blocks}: sections[0].domains[0]: unknown competence domain 'B1' (known: DC1, DC2, DC3, DC4)")

    default = cpsl_template(tmp_path, ["DC1"])
    message = error(db, "template", "assign", "Groupe Épicerie", str(default))
    assert message == (f"{default}: sections[0].domains[0]: unknown competence domain 'DC1' (known: B1, B2)")


def test_template_file_for_another_framework_is_refused(db: Path, tmp_path: Path):
    ok(db, "cohort", "add", CPSL, "--framework", "cpsl-blocs")
    ok(db, "group", "add", CPSL, "Groupe Épicerie")
    named = cpsl_template(tmp_path, [], framework="ccb-isdcp")
    message = error(db, "template", "assign", "Groupe Épicerie", str(named))
    assert "written for 'ccb-isdcp'" in message and "follows 'cpsl-blocs'" in message
    right = cpsl_template(tmp_path, ["B2"], framework="cpsl-blocs")
    assert "observation-cpsl-fr@1" in ok(db, "template", "assign", "Groupe Épicerie", str(right))


def test_template_file_on_a_cohort_with_a_framework_loaded_from_a_file(db: Path, tmp_path: Path):
    own = {
        "id": "deis-local",
        "version": 1,
        "title": {"fr": "DEIS local"},
        "source": "DEIS",
        "domains": [
            {
                "code": "DF1",
                "title": {"fr": "Production de connaissances"},
                "competences": [{"code": "DF1.1", "title": {"fr": "Observer"}}],
            }
        ],
    }
    fw = tmp_path / "deis.json"
    fw.write_text(json.dumps(own), encoding="utf-8")
    ok(db, "cohort", "add", "Promotion DEIS", "--framework", str(fw))
    ok(db, "group", "add", "Promotion DEIS", "Groupe A")
    path = cpsl_template(tmp_path, ["DF1"], framework="deis-local")
    assert "observation-cpsl-fr@1" in ok(db, "template", "assign", "Groupe A", str(path))


# --- backup ----------------------------------------------------------------------


def test_backup_and_refusing_an_existing_destination(cohort_db: Path, tmp_path: Path):
    destination = tmp_path / "backups" / "journal-2026-11-23.db"
    assert ok(cohort_db, "backup", str(destination)) == (f"Backup written to {destination} (integrity check ok).\n")
    with JournalStore(destination, migrate=False) as copy, JournalStore(cohort_db) as original:
        assert copy.counts() == original.counts()
        assert copy.list_groups() == original.list_groups()
    before = destination.read_bytes()
    assert error(cohort_db, "backup", str(destination)) == (f"{destination} already exists; choose a new file name")
    assert destination.read_bytes() == before


def test_backup_of_a_missing_journal_creates_nothing(tmp_path: Path):
    missing = tmp_path / "typo.db"
    destination = tmp_path / "copy.db"
    assert error(missing, "backup", str(destination)) == f"no journal at {missing}: nothing to back up"
    assert not missing.exists() and not destination.exists()


def test_backup_leaves_the_journal_untouched(db: Path, tmp_path: Path):
    # A journal without the built-ins: backing it up does not load them.
    with JournalStore(db) as store:
        store.ensure_user("camille")
    ok(db, "backup", str(tmp_path / "copy.db"))
    for path in (db, tmp_path / "copy.db"):
        with JournalStore(path, migrate=False) as store:
            counts = store.counts()
            assert (counts["users"], counts["templates"], counts["frameworks"]) == (1, 0, 0)


# --- demo ------------------------------------------------------------------------


def test_demo_without_lab_creates_then_reuses(tmp_path: Path):
    folder = tmp_path / "demo"
    first = ok(None, "demo", "--no-lab", "--dir", str(folder))
    assert first.startswith("Demo cohort created in ") and first.rstrip().endswith("you are camille.")
    db = folder / "journal-demo.db"
    with JournalStore(db) as store:
        counts = store.counts()
        assert len(store.list_groups()) == 2 and counts["documents"] > 0
    second = ok(None, "demo", "--no-lab", "--dir", str(folder), "--as", "nadia")
    assert second.startswith("Reusing the demo cohort") and "you are nadia." in second
    with JournalStore(db) as store:
        assert store.counts() == counts
    assert ok(None, "demo", "--no-lab", "--dir", str(folder), "--reset").startswith("Demo cohort created")


def test_demo_serves_a_folder_without_its_database_and_a_workspace_per_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    started: list[list[str]] = []

    def exec_lab(program: str, argv: list[str], env: dict[str, str]) -> None:
        started.append(argv)
        raise SystemExit(0)

    monkeypatch.setattr("journal_ext.cli.os.execvpe", exec_lab)
    monkeypatch.delenv("JUPYTERLAB_SETTINGS_DIR", raising=False)
    folder = tmp_path / "demo"
    for user in ("camille", "nadia"):
        run(None, "demo", "--dir", str(folder), "--as", user, "--no-browser")
    options = [dict(a.removeprefix("--").split("=", 1) for a in argv if "=" in a) for argv in started]
    # The file browser's root holds no database file a click could delete.
    root = Path(options[0]["ServerApp.root_dir"])
    assert root == (folder / "files").resolve() and root.is_dir()
    assert Path(options[0]["JournalExtension.db_path"]).parent == folder.resolve()
    assert not list(root.glob("journal-demo.db*"))
    # One JupyterLab workspace per demo user.
    assert [o["LabApp.default_url"] for o in options] == ["/lab/workspaces/camille", "/lab/workspaces/nadia"]


def test_demo_says_what_it_did_in_the_shells_language(tmp_path: Path):
    folder = tmp_path / "demo"
    first = run(None, "demo", "--no-lab", "--dir", str(folder), env={"LANG": "fr_FR.UTF-8"})
    assert first.exit_code == 0, first.output
    assert first.output.startswith("Promotion de démonstration créée dans ") and "vous êtes camille." in first.output
    second = run(None, "demo", "--no-lab", "--dir", str(folder), "--as", "nadia", env={"LANG": "fr_FR.UTF-8"})
    assert second.output.startswith("Reprise de la promotion de démonstration") and "vous êtes nadia." in second.output


def test_demo_as_an_unknown_user_lists_the_demo_users(tmp_path: Path):
    message = error(None, "demo", "--no-lab", "--dir", str(tmp_path / "demo"), "--as", "nobody")
    assert message == (
        "'nobody' is not a demo user; choose one of: camille, yanis, lea, ines, thomas, maelle, nadia, helene"
    )


def test_group_on_another_framework_gets_no_dc_templates(db: Path):
    ok(db, "cohort", "add", CPSL, "--framework", "cpsl-blocs")
    output = ok(db, "group", "add", CPSL, "Groupe Épicerie")
    assert "with 0 templates" in output
    assert "journal-ext template assign" in output
    with JournalStore(db) as store:
        assert store.group_templates(store.group(f"{CPSL}/Groupe Épicerie")["id"]) == []


def test_a_framework_in_use_is_not_silently_rewritten(db: Path, tmp_path: Path):
    ok(db, "cohort", "add", CPSL, "--framework", str(framework_file()))
    changed = json.loads(framework_file().read_text(encoding="utf-8"))
    changed["domains"][0]["title"]["fr"] = "Autre intitulé"
    other = tmp_path / "cpsl-changed.json"
    other.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    message = error(db, "cohort", "add", "Promo 2028", "--framework", str(other))
    assert "'cpsl-blocs' is used by the cohort " in message
    with JournalStore(db) as store:
        assert store.framework_body("cpsl-blocs")["domains"][0]["title"]["fr"] != "Autre intitulé"


def test_messages_follow_the_locale_and_lang(db: Path):
    run(db, "cohort", "add", "Promo 2026")
    french = run(db, "cohort", "add", "Promo 2026", env={"LANG": "fr_FR.UTF-8"})
    assert french.exit_code == 1
    assert "une promotion nommée «\u00a0Promo 2026\u00a0» existe déjà" in french.output
    english = run(db, "cohort", "add", "Promo 2026", env={"LANG": "fr_FR.UTF-8", "JOURNAL_EXT_LANG": "en"})
    assert "a cohort named 'Promo 2026' already exists" in english.output
    argv = ["--lang", "fr", "cohort", "add", "Promo 2026", "--db", str(db)]
    forced = CliRunner().invoke(cli, argv, env={"LANG": "en_US.UTF-8", "LC_ALL": None, "JOURNAL_EXT_LANG": None})
    assert "existe déjà" in forced.output
    listing = run(db, "cohort", "list", env={"LANG": "fr_FR.UTF-8"})
    assert listing.exit_code == 0
