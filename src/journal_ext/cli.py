"""The ``journal-ext`` command: set up cohorts, groups, members and templates; back up; run the demo."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .documents import assign_builtin_templates, ensure_initialised
from .framework import FrameworkError, load_framework
from .store import JournalStore, StoreError, default_db_path
from .templates import TemplateError, load_template_file

F = TypeVar("F", bound=Callable[..., Any])


def _db_option(command: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        envvar="JOURNAL_EXT_DB",
        help="Journal database file (default: journal_ext/journal.db in the Jupyter data dir).",
    )(command)


def _friendly(command: F) -> F:
    """Turn library errors into one clear line and a non-zero exit."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (StoreError, FrameworkError, TemplateError) as error:
            raise click.ClickException(str(error)) from error
        except OSError as error:
            raise click.ClickException(f"{error.strerror or error}: {error.filename or ''}".strip()) from error

    return wrapper  # type: ignore[return-value]


def open_store(db_path: Path | None) -> JournalStore:
    """Open (creating if needed) the journal database and load the built-ins."""
    store = JournalStore(db_path or default_db_path())
    ensure_initialised(store)
    return store


@click.group()
@click.version_option(package_name="journal_ext")
def cli() -> None:
    """Learning journals, field observations and shared diagnostics in JupyterLab."""


@cli.command()
@_db_option
@_friendly
def init(db_path: Path | None) -> None:
    """Create the journal database (or bring an existing one up to date).

    Example: journal-ext init --db /srv/journal/journal.db
    """
    with open_store(db_path) as store:
        counts = store.counts()
        click.echo(
            f"Journal ready at {store.path} (schema {store.schema_version()}, "
            f"{counts['frameworks']} frameworks, {counts['templates']} templates)."
        )


# -- cohorts ---------------------------------------------------------------


@cli.group()
def cohort() -> None:
    """Cohorts (promotions)."""


@cohort.command("add")
@click.argument("name")
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="Language of the cohort's templates.")
@click.option("--framework", "framework_ref", default=None,
              help="Competence framework: an id already loaded, or a JSON/YAML file (default: the DC1-DC4 framework).")
@_db_option
@_friendly
def cohort_add(name: str, language: str, framework_ref: str | None, db_path: Path | None) -> None:
    """Create a cohort.

    Example: journal-ext cohort add "Promotion 2026-2027" --language fr
    """
    with open_store(db_path) as store:
        if framework_ref is None:
            from .framework import default_framework

            framework_id = default_framework().id
        elif Path(framework_ref).suffix.lower() in (".json", ".yaml", ".yml"):
            framework = load_framework(framework_ref)
            store.save_framework(framework)
            framework_id = framework.id
        else:
            framework_id = framework_ref
        row = store.add_cohort(name, framework_id=framework_id, language=language)
        click.echo(f"Cohort '{row['name']}' created ({language}, framework {framework_id}).")


@cohort.command("list")
@_db_option
@_friendly
def cohort_list(db_path: Path | None) -> None:
    """List cohorts.

    Example: journal-ext cohort list
    """
    with open_store(db_path) as store:
        rows = store.list_cohorts()
        if not rows:
            click.echo("No cohort yet: create one with journal-ext cohort add NAME")
        for row in rows:
            click.echo(f"{row['name']}\t{row['language']}\t{row['framework_id']}")


# -- groups ----------------------------------------------------------------


@cli.group()
def group() -> None:
    """Groups of 3-4 learners answering a commission."""


@group.command("add")
@click.argument("cohort_name", metavar="COHORT")
@click.argument("name", metavar="GROUP")
@click.option("--commission", default="", help="The negotiated commission (commande) the group answers.")
@_db_option
@_friendly
def group_add(cohort_name: str, name: str, commission: str, db_path: Path | None) -> None:
    """Create a group in a cohort, with the built-in templates of the cohort's language.

    Example: journal-ext group add "Promotion 2026-2027" "Groupe Quartiers" --commission "Centre social ..."
    """
    with open_store(db_path) as store:
        row = store.add_group(cohort_name, name, commission=commission)
        assigned = assign_builtin_templates(store, row["id"], row["language"])
        click.echo(
            f"Group '{row['name']}' created in '{row['cohort']}' with {assigned} templates."
        )
        if not assigned:
            click.echo(
                f"No built-in template is written for the framework '{row['framework_id']}':"
                " give the group its own with journal-ext template assign GROUP FILE.yaml"
            )


@group.command("list")
@click.argument("cohort_name", metavar="[COHORT]", required=False)
@_db_option
@_friendly
def group_list(cohort_name: str | None, db_path: Path | None) -> None:
    """List groups and their members.

    Example: journal-ext group list "Promotion 2026-2027"
    """
    with open_store(db_path) as store:
        rows = store.list_groups(cohort_name)
        if not rows:
            click.echo("No group yet: create one with journal-ext group add COHORT GROUP")
        for row in rows:
            members = ", ".join(f"{m['user']} ({m['role']})" for m in store.members(row["id"]))
            click.echo(f"{row['cohort']}/{row['name']}\t{members or '-'}")


# -- members ---------------------------------------------------------------


@cli.group()
def member() -> None:
    """Group members: learners, tutors, coordinators."""


@member.command("add")
@click.argument("group_ref", metavar="GROUP")
@click.argument("user")
@click.option("--role", type=click.Choice(["learner", "tutor", "coordinator"]), required=True)
@click.option("--name", "display_name", default=None, help="Name shown to others (default: the user name).")
@_db_option
@_friendly
def member_add(group_ref: str, user: str, role: str, display_name: str | None, db_path: Path | None) -> None:
    """Add a user to a group (GROUP, or COHORT/GROUP when several cohorts share the name).

    Example: journal-ext member add "Groupe Quartiers" camille --role learner --name "Camille Martin"
    """
    with open_store(db_path) as store:
        result = store.add_member(group_ref, user, role, display_name=display_name)
        click.echo(f"{result['user']} is now {role} in '{result['group']['name']}'.")


# -- templates -------------------------------------------------------------


@cli.group()
def template() -> None:
    """Document templates (versioned, assigned per group)."""


@template.command("list")
@_db_option
@_friendly
def template_list(db_path: Path | None) -> None:
    """List the templates stored in the journal (latest version of each).

    Example: journal-ext template list
    """
    with open_store(db_path) as store:
        for row in store.list_templates():
            click.echo(f"{row['slug']}@{row['version']}\t{row['kind']}\t{row['language']}\t{row['title']}")


@template.command("show")
@click.argument("reference", metavar="ID")
@_db_option
@_friendly
def template_show(reference: str, db_path: Path | None) -> None:
    """Show a template as JSON (ID is a slug, slug@VERSION or a version number id).

    Example: journal-ext template show journal-entry-fr
    """
    with open_store(db_path) as store:
        version = store.find_template(reference)
        click.echo(json.dumps(
            {"slug": version["slug"], "version": version["version"], **version["body"]},
            ensure_ascii=False, indent=2,
        ))


@template.command("assign")
@click.argument("group_ref", metavar="GROUP")
@click.argument("reference", metavar="TEMPLATE_FILE_OR_ID")
@_db_option
@_friendly
def template_assign(group_ref: str, reference: str, db_path: Path | None) -> None:
    """Make a template the group's template for its kind (a YAML/JSON file becomes a new version).

    Documents already created keep the template version they were made from.

    Example: journal-ext template assign "Groupe Quartiers" my-diagnostic.yaml
    """
    with open_store(db_path) as store:
        group_row = store.group(group_ref)
        if Path(reference).suffix.lower() in (".yaml", ".yml", ".json"):
            # Check the sections against the cohort's own framework, not the default one.
            codes = [d["code"] for d in store.domains(group_row["framework_id"])]
            loaded = load_template_file(reference, domain_codes=codes)
            if loaded.framework not in (None, group_row["framework_id"]):
                raise click.ClickException(
                    f"{reference}: framework: the template is written for '{loaded.framework}' but"
                    f" cohort '{group_row['cohort']}' follows '{group_row['framework_id']}';"
                    " change or remove the framework line"
                )
            version = store.save_template(loaded, author=os.environ.get("USER", "journal-ext"))
        else:
            version = store.find_template(reference)
        store.assign_template(group_row["id"], version["id"], by=os.environ.get("USER", "journal-ext"))
        click.echo(
            f"'{group_row['name']}' now uses {version['slug']}@{version['version']}"
            f" for {version['kind']} documents."
        )


# -- backup ----------------------------------------------------------------


@cli.command()
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@_db_option
@_friendly
def backup(destination: Path, db_path: Path | None) -> None:
    """Copy the journal to a new file with SQLite's online backup (safe while others write).

    Example: journal-ext backup /srv/backups/journal-2026-11-23.db
    """
    source = db_path or default_db_path()
    if not source.exists():
        raise click.ClickException(f"no journal at {source}: nothing to back up")
    # No migration and no built-ins: a backup must not change the journal it copies.
    with JournalStore(source, migrate=False) as store:
        store.backup(destination)
        with JournalStore(destination, migrate=False) as copy:
            verdict = copy.integrity_check()
        if verdict != "ok":
            raise click.ClickException(f"the backup at {destination} failed its integrity check: {verdict}")
        click.echo(f"Backup written to {destination} (integrity check ok).")


# -- demo ------------------------------------------------------------------


@cli.command()
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("journal-demo"),
              show_default=True, help="Folder holding the demo database and served as JupyterLab's root.")
@click.option("--as", "as_user", default=None, help="Start as this demo user (e.g. the tutor, nadia).")
@click.option("--port", type=int, default=8888, show_default=True)
@click.option("--no-browser", is_flag=True, help="Don't open a web browser.")
@click.option("--reset", is_flag=True, help="Throw the demo database away and create it afresh.")
@click.option("--no-lab", is_flag=True, help="Only create the demo database, don't start JupyterLab.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="Language of JupyterLab's interface and of the journal folders.")
@_friendly
def demo(
    directory: Path, as_user: str | None, port: int, no_browser: bool, reset: bool, no_lab: bool, lang: str
) -> None:
    """Create (or reuse) a demo cohort and open JupyterLab on it as a demo learner.

    Example: journal-ext demo --as nadia
    """
    from . import demo as demo_data

    directory.mkdir(parents=True, exist_ok=True)
    db_file = directory / "journal-demo.db"
    if reset:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    with open_store(db_file) as store:
        created = demo_data.populate(store)
        users = demo_data.user_names(store)
    user = as_user or demo_data.DEFAULT_USER
    if user not in users:
        raise click.ClickException(f"'{user}' is not a demo user; choose one of: {', '.join(users)}")
    click.echo(
        ("Demo cohort created" if created else "Reusing the demo cohort")
        + f" in {db_file.resolve()} — you are {user}."
    )
    if no_lab:
        return
    argv = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={directory.resolve()}",
        f"--ServerApp.port={port}",
        f"--JournalExtension.db_path={db_file.resolve()}",
        f"--JournalExtension.user={user}",
        f"--JournalExtension.language={lang}",
    ]
    # The demo's own JupyterLab settings (unless the caller chose a settings
    # folder): its interface language, and no "news?" question on first start.
    settings_dir = Path(os.environ.get("JUPYTERLAB_SETTINGS_DIR") or directory / ".jupyterlab-settings")
    if not os.environ.get("JUPYTERLAB_SETTINGS_DIR"):
        argv.append(f"--LabApp.user_settings_dir={settings_dir.resolve()}")
    write_lab_setting(settings_dir, "translation-extension", "plugin",
                      {"locale": "fr_FR" if lang == "fr" else "en"})
    write_lab_setting(settings_dir, "apputils-extension", "notification", {"fetchNews": "false"},
                      keep_existing=True)
    if no_browser:
        argv.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    env = dict(os.environ)
    env.pop("JUPYTERHUB_USER", None)
    click.echo("Starting JupyterLab: " + " ".join(argv[1:]))
    sys.stdout.flush()
    os.execvpe(sys.executable, argv, env)


def write_lab_setting(
    settings_dir: Path, extension: str, plugin: str, values: dict[str, Any], *, keep_existing: bool = False
) -> None:
    """Write one JupyterLab core plugin's user settings file."""
    path = settings_dir / "@jupyterlab" / extension / f"{plugin}.jupyterlab-settings"
    if keep_existing and path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values, indent=2), encoding="utf-8")


def main() -> None:
    """Entry point of the journal-ext command."""
    cli(prog_name="journal-ext")


if __name__ == "__main__":
    main()
