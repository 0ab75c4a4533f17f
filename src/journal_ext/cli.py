"""The ``journal-ext`` command: set up cohorts, groups, members and templates; back up; run the demo."""

from __future__ import annotations

import functools
import inspect
import json
import os
import re
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from journal_ext.core import administration
from journal_ext.core.documents import ensure_initialised
from journal_ext.core.framework import FrameworkError, read_document
from journal_ext.core.templates import TemplateError
from journal_ext.db import JournalStore, default_db_path, is_busy
from journal_ext.db.errors import BUSY_CLI
from journal_ext.i18n import (
    LANGUAGES,
    ExplainedError,
    Message,
    current_language,
    gettext,
    locale_language,
    message,
    plural_message,
    reader_language,
)
from journal_ext.service.client import ServiceClient, ServiceError, overview_scope

if TYPE_CHECKING:
    from journal_ext.core.permissions import Viewer
    from journal_ext.export import ExportFile, ExportOptions
    from journal_ext.service.backups import BackupSchedule

F = TypeVar("F", bound=Callable[..., Any])


class _Formatter(click.HelpFormatter):
    """Help headings with the French no-break space before their colon (Options :)."""

    def write_heading(self, heading: str) -> None:
        colon = "\u00a0:" if current_language(locale_language()) == "fr" else ":"
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")


class _Context(click.Context):
    formatter_class = _Formatter


class _TranslatedCommand(click.Command):
    """A command whose help reads in the reader's language (--lang, else the locale)."""

    context_class = _Context

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_usage(self, ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        return _short_help(self, limit)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_help_text(self, formatter)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_options(self, ctx, formatter)


class _TranslatedGroup(_TranslatedCommand, click.Group):
    """A command group whose help, and its commands' help, read in the reader's language."""

    command_class = _TranslatedCommand
    group_class = type  # subgroups are translated groups too

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section(help_text("Commands")):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)


def help_text(text: str) -> str:
    """A help text of the CLI (a command's docstring, an option's help) in the reader's language."""
    return gettext(inspect.cleandoc(text), current_language(locale_language()))


def _format_usage(command: click.Command, ctx: click.Context, formatter: click.HelpFormatter) -> None:
    pieces = command.collect_usage_pieces(ctx)
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=help_text("Usage:") + " ")


def _short_help(command: click.Command, limit: int) -> str:
    if command.short_help:
        return help_text(command.short_help)
    if not command.help:
        return ""
    # As click does it: the first sentence, cut at a word to fit the listing.
    first = help_text(command.help).split("\n\n")[0].replace("\n", " ")
    sentence = first.split(". ")[0].rstrip(".") + "."
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 3].rsplit(" ", 1)[0] + "..."


def _format_help_text(command: click.Command, formatter: click.HelpFormatter) -> None:
    if command.help:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(help_text(command.help))


# click adds "[default: …]" or "[required]" after an option's help: translated apart.
_HELP_EXTRA = re.compile(r"^(.*?)(\s*\[[^\]]*\])?$", re.S)


def _help_extra(extra: str) -> str:
    """click's "[default: docx]" and "[required]", in the reader's language."""
    language = current_language()
    default = re.fullmatch(r"(\s*)\[default: (.*)\]", extra)
    if default:
        return default.group(1) + message("[default: {value}]", value=default.group(2)).render(language)
    if extra.strip() == "[required]":
        return extra.replace("[required]", message("[required]").render(language))
    return extra


def _format_options(command: click.Command, ctx: click.Context, formatter: click.HelpFormatter) -> None:
    records = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None or isinstance(param, click.Argument):
            continue
        found = _HELP_EXTRA.match(record[1])
        text, extra = (found.group(1), found.group(2) or "") if found else (record[1], "")
        records.append((record[0], (help_text(text) if text else "") + _help_extra(extra)))
    if records:
        with formatter.section(gettext("Options", current_language())):
            formatter.write_dl(records)


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
    """Turn library errors into one clear line, in the reader's language, and a non-zero exit."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ServiceError as error:
            # The journal service's own words, already in the reader's language.
            raise Refused(error.message) from error
        except ExplainedError as error:
            raise Refused(error.in_language(current_language())) from error
        except sqlite3.OperationalError as error:
            if not is_busy(error):
                raise
            raise Refused(BUSY_CLI.render(current_language())) from error
        except OSError as error:
            raise _refusal(
                "{problem}: {file}", problem=error.strerror or str(error), file=error.filename or ""
            ) from error

    return wrapper  # type: ignore[return-value]


def _say(text: str, /, **params: Any) -> None:
    """Print a message in the reader's language (``--lang``, else the shell's locale)."""
    click.echo(message(text, **params).render(current_language()))


def _refusal(text: str, /, **params: Any) -> click.ClickException:
    """The error a command stops with, in the reader's language."""
    return Refused(message(text, **params).render(current_language()))


class Refused(click.ClickException):
    """A command's refusal: one line, "Erreur : …" in French, and a non-zero exit."""

    def show(self, file: Any = None) -> None:
        shown = message("Error: {message}", message=self.format_message()).render(current_language())
        click.echo(shown, file=file if file is not None else sys.stderr)


class UsageRefused(click.UsageError):
    """A command used the wrong way: its usage, a hint and the error, in the reader's language."""

    def show(self, file: Any = None) -> None:
        out = file if file is not None else sys.stderr
        language = current_language()
        if self.ctx is not None:
            hint = message("Try '{command} {option}' for help.", command=self.ctx.command_path, option="--help").render(
                language
            )
            click.echo(f"{self.ctx.get_usage()}\n{hint}\n", file=out, color=self.ctx.color)
        click.echo(message("Error: {message}", message=self.format_message()).render(language), file=out)


def _take_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """A --lang option: the language it names becomes the messages' too; without it, the shell's."""
    if value is not None:
        reader_language.set(value)
        return value
    return current_language(locale_language())


def _read_in(language: str | None) -> str | None:
    """The language of this command's messages and help: --lang, else the shell's."""
    reader_language.set(language or locale_language())
    return language


def _lang_option(help: str) -> Callable[[F], F]:
    return click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default=None,
        callback=_take_language,
        help=help + " Default: the shell's locale (LANG), French when it is neither French nor English.",
    )


def journal_service(db_path: Path | None) -> ServiceClient | None:
    """The journal service, when this terminal is on a JupyterHub that runs one and no --db was given.

    Its commands then act as the owner of the hub token (``JUPYTERHUB_API_TOKEN``), checked by the service.
    """
    if db_path is not None:
        return None
    return ServiceClient.from_environment(language=current_language())


def file_owner() -> Viewer:
    """Who works on the database file directly: whoever can open it administers it (the first set-up)."""
    import getpass

    from journal_ext.core.permissions import Viewer

    return Viewer(user=getpass.getuser(), memberships=(), admin=True)


def open_store(db_path: Path | None) -> JournalStore:
    """Open (creating if needed) the journal database and load the built-ins."""
    if db_path is None and os.environ.get("JOURNAL_EXT_SERVICE_URL"):
        # On a hub with the journal service, a database file here would be an empty journal of one's own.
        raise _refusal(
            "this command works on the database file, which only the journal service opens: run it on the"
            " service's host as its unix user, with --db PATH"
        )
    store = JournalStore(db_path or default_db_path())
    ensure_initialised(store)
    return store


@click.group(cls=_TranslatedGroup)
@click.version_option(package_name="journal_ext")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    envvar="JOURNAL_EXT_LANG",
    is_eager=True,  # before --help, which then reads in it
    callback=lambda ctx, param, value: _read_in(value),
    help="Language of the messages (fr or en). Default: the shell's locale (LANG), else French.",
)
def cli(lang: str | None) -> None:
    """Learning journals, field observations and shared diagnostics in JupyterLab."""
    reader_language.set(lang or locale_language())


@cli.command()
@_db_option
@_friendly
def init(db_path: Path | None) -> None:
    """Create the journal database (or bring an existing one up to date).

    Example: journal-ext init --db /srv/journal/journal.db
    """
    with open_store(db_path) as store:
        counts = store.counts()
        _say(
            "Journal ready at {path} (schema {value}, {frameworks}, {templates}).",
            path=store.path,
            value=store.schema_version(),
            frameworks=plural_message("{count} framework", "{count} frameworks", "count", count=counts["frameworks"]),
            templates=plural_message("{count} template", "{count} templates", "count", count=counts["templates"]),
        )


# -- cohorts ---------------------------------------------------------------


@cli.group()
def cohort() -> None:
    """Cohorts (promotions)."""


@cohort.command("add")
@click.argument("name")
@click.option(
    "--language",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    help="Language of the cohort's templates.",
)
@click.option(
    "--framework",
    "framework_ref",
    default=None,
    help="Competence framework: an id already loaded, or a JSON/YAML file (default: the DC1-DC4 framework).",
)
@_db_option
@_friendly
def cohort_add(name: str, language: str, framework_ref: str | None, db_path: Path | None) -> None:
    """Create a cohort.

    Example: journal-ext cohort add "Promotion 2026-2027" --language fr
    """
    framework: str | dict[str, Any] | None = framework_ref
    source = "<data>"
    if framework_ref is not None and Path(framework_ref).suffix.lower() in (".json", ".yaml", ".yml"):
        data, source = read_document(framework_ref, FrameworkError)
        if not isinstance(data, dict):
            raise _refusal("{source}: a framework is a mapping (id, title, domains)", source=source)
        framework = data
    service = journal_service(db_path)
    if service is not None:
        row = service.call(
            "POST",
            "journal/api/cohorts",
            {"name": name, "language": language, "framework": framework, "source": source},
        )
    else:
        with open_store(db_path) as store:
            row = administration.create_cohort(
                store, file_owner(), name, language=language, framework=framework, source=source
            )
    _say(
        "Cohort '{name}' created ({language}, framework {framework_id}).",
        name=row["name"],
        language=language,
        framework_id=row["framework_id"],
    )


@cohort.command("list")
@_db_option
@_friendly
def cohort_list(db_path: Path | None) -> None:
    """List cohorts.

    Example: journal-ext cohort list
    """
    service = journal_service(db_path)
    if service is not None:
        rows = service.call("GET", "journal/api/cohorts")["cohorts"]
    else:
        with open_store(db_path) as store:
            rows = store.list_cohorts()
    if not rows:
        _say("No cohort yet: create one with journal-ext cohort add NAME")
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
    service = journal_service(db_path)
    if service is not None:
        row = service.call(
            "POST", "journal/api/groups", {"cohort": cohort_name, "name": name, "commission": commission}
        )
        assigned = row["templates_assigned"]
    else:
        with open_store(db_path) as store:
            row, assigned = administration.create_group(store, file_owner(), cohort_name, name, commission=commission)
    _say(
        "Group '{name}' created in '{cohort}' with {templates}.",
        name=row["name"],
        cohort=row["cohort"],
        templates=plural_message("{count} template", "{count} templates", "count", count=assigned),
    )
    if not assigned:
        _say(
            "No built-in template is written for the framework '{framework_id}': give the group its"
            " own with journal-ext template assign GROUP FILE.yaml",
            framework_id=row["framework_id"],
        )


@group.command("list")
@click.argument("cohort_name", metavar="[COHORT]", required=False)
@_db_option
@_friendly
def group_list(cohort_name: str | None, db_path: Path | None) -> None:
    """List groups and their members.

    Example: journal-ext group list "Promotion 2026-2027"
    """
    service = journal_service(db_path)
    if service is not None:
        query = {"cohort": cohort_name} if cohort_name else None
        rows = service.call("GET", "journal/api/groups", query=query)["groups"]
    else:
        with open_store(db_path) as store:
            rows = administration.groups_of(store, file_owner(), cohort_name)
    if not rows:
        _say("No group yet: create one with journal-ext group add COHORT GROUP")
    for row in rows:
        members = ", ".join(f"{m['user']} ({m['role']})" for m in row["members"])
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
    service = journal_service(db_path)
    if service is not None:
        member = {"group": group_ref, "user": user, "role": role, "display_name": display_name}
        result = service.call("POST", "journal/api/members", member)
    else:
        with open_store(db_path) as store:
            result = administration.add_member(store, file_owner(), group_ref, user, role, display_name=display_name)
    _say("{user} is now {role} in '{name}'.", user=result["user"], role=role, name=result["group"]["name"])


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
        click.echo(
            json.dumps(
                {"slug": version["slug"], "version": version["version"], **version["body"]},
                ensure_ascii=False,
                indent=2,
            )
        )


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
    template: str | dict[str, Any] = reference
    source = "<data>"
    if Path(reference).suffix.lower() in (".yaml", ".yml", ".json"):
        data, source = read_document(reference, TemplateError)
        if not isinstance(data, dict):
            raise _refusal("{source}: a template is a mapping (id, kind, title, sections)", source=source)
        template = data
    service = journal_service(db_path)
    if service is not None:
        answer = service.call(
            "POST", "journal/api/group-templates", {"group": group_ref, "template": template, "source": source}
        )
        group_row, version = answer["group"], answer["template"]
    else:
        with open_store(db_path) as store:
            group_row, version = administration.assign_template(store, file_owner(), group_ref, template, source=source)
    _say(
        "'{name}' now uses {slug}@{version} for {kind} documents.",
        name=group_row["name"],
        slug=version["slug"],
        version=version["version"],
        kind=version["kind"],
    )


# -- backup ----------------------------------------------------------------


@cli.command()
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@_db_option
@_friendly
def backup(destination: Path, db_path: Path | None) -> None:
    """Copy the journal to a new file with SQLite's online backup (safe while others write).

    The copy is checked (integrity_check) before it takes its name.

    Example: journal-ext backup /srv/backups/journal-2026-11-23.db
    """
    from journal_ext.service.backups import take_backup

    take_backup(db_path or default_db_path(), destination)
    _say("Backup written to {destination} (integrity check ok).", destination=destination)


@cli.command("backups")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@_db_option
@_friendly
def list_backups(folder: Path, db_path: Path | None) -> None:
    """List the backups of the journal in a folder (journal-ext serve --backup-dir), oldest first.

    Each line gives the time before which every save is in the backup (UTC), its size and its file.

    Example: journal-ext backups /var/lib/journal_ext/backups --db /var/lib/journal_ext/journal.db
    """
    from journal_ext.service.backups import backups_in

    db_file = db_path or default_db_path()
    found = backups_in(folder, db_file)
    if not found:
        _say("No backups of {db} in {folder}.", db=db_file.name, folder=folder)
    for saved in found:
        size = saved.path.stat().st_size / 1e6
        click.echo(f"{saved.taken.strftime('%Y-%m-%d %H:%M:%S')}Z  {size:8.1f} MB  {saved.path}")


@cli.command()
@click.argument("backup_file", metavar="BACKUP", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    envvar="JOURNAL_EXT_DB",
    help="The journal database to replace (the journal service must be stopped).",
)
@_friendly
def restore(backup_file: Path, db_path: Path) -> None:
    """Put a backup in place of the journal database, while the journal service is stopped.

    The backup is checked first (integrity_check); the database it replaces is kept beside it,
    renamed FILE.before-restore-TIME. Run it as the service's unix user, or as root.

    Example: journal-ext restore backups/journal-2026-12-06T03-00-00.000Z.db --db journal.db
    """
    from journal_ext.service.backups import restore as put_back

    aside = put_back(backup_file, db_path)
    if aside is None:
        _say("Restored {backup} as {db} (integrity check ok).", backup=backup_file, db=db_path)
    else:
        _say(
            "Restored {backup} as {db} (integrity check ok); the journal it replaced is kept as {aside}.",
            backup=backup_file,
            db=db_path,
            aside=aside,
        )


# -- export ----------------------------------------------------------------


@dataclass(frozen=True)
class ExportChoices:
    """What every export command is asked: the format, as whom, what to print, in which language, which journal."""

    fmt: str
    as_user: str | None
    prompts: bool
    authors: bool
    annotations: bool
    length_report: bool
    code: bool
    lang: str
    pdf_variant: str
    db_path: Path | None

    def options(self) -> ExportOptions:
        """The export options these choices stand for."""
        from journal_ext.export import ExportOptions

        return ExportOptions(
            language=self.lang,
            include_prompts=self.prompts,
            show_authors=self.authors,
            include_annotations=self.annotations,
            include_length_report=self.length_report,
            include_code=self.code,
            pdf_variant=self.pdf_variant,
        )


_pdf_variant_option = click.option(
    "--pdf-variant",
    type=click.Choice(["pdf/a-3b", "pdf"]),
    default="pdf/a-3b",
    show_default=True,
    help="With --format pdf: PDF/A-3b to archive (fonts embedded), or pdf for a plain tagged PDF.",
)


def _export_options(command: F) -> F:
    """The options every export command shares, handed to it as one ``choices``."""
    names = [f.name for f in fields(ExportChoices)]

    @functools.wraps(command)
    def collecting(*args: Any, **kwargs: Any) -> Any:
        choices = ExportChoices(**{name: kwargs.pop(name) for name in names})
        return command(*args, choices=choices, **kwargs)

    for option in reversed(
        [
            click.option(
                "--format",
                "fmt",
                type=click.Choice(["docx", "html", "pdf"]),
                default="docx",
                show_default=True,
                help="DOCX for Word or LibreOffice, one self-contained HTML file, or a tagged PDF.",
            ),
            click.option(
                "--as",
                "as_user",
                default=None,
                help="Export as this user: only what they may read goes in"
                " (default: $JUPYTERHUB_USER, else the OS user, as the server does).",
            ),
            click.option(
                "--prompts/--no-prompts", default=False, show_default=True, help="Print each section's consigne."
            ),
            click.option(
                "--authors/--no-authors",
                default=True,
                show_default=True,
                help='"Rédigé par …" under each section heading of a document several people wrote.',
            ),
            click.option(
                "--annotations/--no-annotations",
                default=False,
                show_default=True,
                help="Print the annotations (as Word comments in DOCX, numbered notes in HTML and PDF).",
            ),
            click.option(
                "--length-report/--no-length-report",
                default=True,
                show_default=True,
                help="End with the length of every section that has length bounds.",
            ),
            click.option(
                "--code/--no-code",
                default=False,
                show_default=True,
                help="Print the source of code cells (their outputs are always printed).",
            ),
            _lang_option("Language of the export's own words (title page, labels, length report) and of the messages."),
            _pdf_variant_option,
            _db_option,
        ]
    ):
        collecting = option(collecting)
    return collecting  # type: ignore[return-value]


def _viewer(store: JournalStore, as_user: str | None) -> Viewer:
    # Imported here: the export commands are the only ones that need them (and app pulls in jupyter_server).
    from journal_ext.core.permissions import viewer_for
    from journal_ext.server.app import resolve_user

    return viewer_for(store, as_user or resolve_user(""))


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _write_export(out: Path | None, exported: ExportFile) -> None:
    """Write a one-file export where --out says, and say where."""
    target = _file_target(out, exported.filename)
    _write(target, exported.content)
    _say("Wrote {target} ({length} bytes).", target=target, length=len(exported.content))


def _file_target(out: Path | None, filename: str) -> Path:
    """Where a one-file export goes: --out as given, inside --out when it is a folder, else the suggested name."""
    if out is None:
        return Path(filename)
    return out / filename if out.is_dir() else out


def _no_as_with_service(as_user: str | None) -> None:
    if as_user is not None:
        raise UsageRefused(
            message(
                "--as does not apply here: the journal service answers as the owner of your hub token, nobody else"
            ).render(current_language())
        )


def _export_query(choices: ExportChoices) -> dict[str, Any]:
    return {
        "format": choices.fmt,
        "lang": choices.lang,
        "prompts": str(choices.prompts).lower(),
        "authors": str(choices.authors).lower(),
        "annotations": str(choices.annotations).lower(),
        "lengths": str(choices.length_report).lower(),
        "pdf_variant": choices.pdf_variant,
    }


def _fetch_export(service: ServiceClient, path: str, query: dict[str, Any]) -> ExportFile:
    """An export made by the journal service, as the caller."""
    from urllib.parse import unquote

    from journal_ext.export import ExportFile
    from journal_ext.service.client import refusal

    answer = service.fetch("GET", path, query=query)
    if answer.status >= 400:
        raise refusal(answer)
    disposition = answer.headers.get("Content-Disposition", "")
    filename = "export"
    if "filename*=UTF-8''" in disposition:
        filename = unquote(disposition.split("filename*=UTF-8''", 1)[1].split(";", 1)[0])
    return ExportFile(Path(filename).name, answer.body)


def _documents(n: int) -> str:
    return f"{n} document" if n == 1 else f"{n} documents"


@cli.group()
def export() -> None:
    """Export documents to DOCX, HTML or PDF: only what the exporting user may read goes in."""


@export.command("document")
@click.argument("document_id", metavar="ID", type=int)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (replaced if it exists), or a folder to write it in"
    " (default: a name made from the group and title, in the current folder).",
)
@_export_options
@_friendly
def export_document_command(
    document_id: int,
    out: Path | None,
    choices: ExportChoices,
) -> None:
    """Export one document.

    Example: journal-ext export document 4 --format docx --out diagnostic.docx --as helene
    """
    from journal_ext.export import export_document

    service = journal_service(choices.db_path)
    if service is not None:
        _no_as_with_service(choices.as_user)
        _write_export(
            out, _fetch_export(service, f"journal/api/documents/{document_id}/export", _export_query(choices))
        )
        return
    with open_store(choices.db_path) as store:
        viewer = _viewer(store, choices.as_user)
        exported = export_document(store, viewer, document_id, choices.fmt, choices.options())
    _write_export(out, exported)


@export.command("group")
@click.argument("group_ref", metavar="GROUP")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to write one file per document in (default: a folder named after the group);"
    " with --combined, the file to write.",
)
@click.option(
    "--combined",
    is_flag=True,
    help="One file holding every document (each under its own heading) instead of one file each.",
)
@_export_options
@_friendly
def export_group_command(
    group_ref: str,
    out: Path | None,
    combined: bool,
    choices: ExportChoices,
) -> None:
    """Export every document of a group (GROUP or COHORT/GROUP) that the user may read.

    By default each document becomes a file of its own in the --out folder;
    --combined writes them all into one file.

    Example: journal-ext export group "Groupe Maurepas" --format html --out exports/ --as nadia
    """
    from journal_ext.export import checked_options, export_group, group_documents, slug

    fmt = choices.fmt
    service = journal_service(choices.db_path)
    if service is not None:
        _no_as_with_service(choices.as_user)
        if not combined:
            raise UsageRefused(
                message(
                    "through the journal service a group is exported as one file: add --combined"
                    " (or export its documents one by one with journal-ext export document ID)"
                ).render(current_language())
            )
        _, group_id = overview_scope(service, group_ref, None)
        path = f"journal/api/groups/{group_id}/export"
        _write_export(out, _fetch_export(service, path, _export_query(choices)))
        return
    with open_store(choices.db_path) as store:
        viewer = _viewer(store, choices.as_user)
        # Refuse what can't be done before the progress bar starts.
        options = checked_options(store, viewer, fmt, choices.options())
        group_row, found = group_documents(store, viewer, group_ref)
        folder = out or Path(slug(group_row["name"]))
        if not combined and (folder.is_file() or (not folder.exists() and folder.suffix.lower() == f".{fmt}")):
            raise _refusal(
                "{folder} is a file name: give --out a folder to write one file per document in, or add"
                " --combined to write them all into one file",
                folder=folder,
            )
        label = f"Exporting {_documents(len(found))} of {group_row['name']}"
        with click.progressbar(length=len(found), label=label, file=sys.stderr) as bar:
            files = export_group(store, viewer, group_row["id"], fmt, options, combined=combined, progress=bar.update)
        if combined:
            targets = [_file_target(out, files[0].filename)]
        else:
            targets = [folder / exported.filename for exported in files]
        for target, exported in zip(targets, files, strict=True):
            _write(target, exported.content)
            _say("Wrote {target} ({length} bytes).", target=target, length=len(exported.content))


@export.command("journal")
@click.argument("user")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (replaced if it exists), or a folder to write it in"
    " (default: journal-<name>.<format> in the current folder).",
)
@_export_options
@_friendly
def export_journal_command(
    user: str,
    out: Path | None,
    choices: ExportChoices,
) -> None:
    """Export a learner's journal: their entries and field observations that the user may read, in date order.

    Example: journal-ext export journal camille --format html --as nadia
    """
    from journal_ext.export import checked_options, export_journal, journal_documents

    service = journal_service(choices.db_path)
    if service is not None:
        _no_as_with_service(choices.as_user)
        _write_export(out, _fetch_export(service, f"journal/api/journals/{user}/export", _export_query(choices)))
        return
    with open_store(choices.db_path) as store:
        viewer = _viewer(store, choices.as_user)
        options = checked_options(store, viewer, choices.fmt, choices.options())
        found = journal_documents(store, viewer, user)
        label = f"Exporting {_documents(len(found))} of {store.display_name(user)}"
        with click.progressbar(length=len(found), label=label, file=sys.stderr) as bar:
            exported = export_journal(store, viewer, user, choices.fmt, options, progress=bar.update)
    _write_export(out, exported)


@export.command("passport")
@click.argument("learner")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (replaced if it exists), or a folder to write it in"
    " (default: passeport-<name>.<format> in the current folder).",
)
@click.option("--format", "fmt", type=click.Choice(["docx", "html", "pdf"]), default="docx", show_default=True)
@click.option(
    "--as", "as_user", default=None, help="Export as this user (default: $JUPYTERHUB_USER, else the OS user)."
)
@_lang_option("Language of the export's own words and of the messages.")
@_pdf_variant_option
@_db_option
@_friendly
def export_passport_command(
    learner: str,
    out: Path | None,
    fmt: str,
    as_user: str | None,
    lang: str,
    pdf_variant: str,
    db_path: Path | None,
) -> None:
    """Export a learner's competence passport: the figure, each domain, the evidence quoted with its judgements.

    Example: journal-ext export passport camille --format docx --as nadia
    """
    from journal_ext.export import ExportOptions, export_passport

    service = journal_service(db_path)
    if service is not None:
        _no_as_with_service(as_user)
        query = {"format": fmt, "lang": lang, "pdf_variant": pdf_variant}
        _write_export(out, _fetch_export(service, f"journal/api/passports/{learner}/export", query))
        return
    with open_store(db_path) as store:
        options = ExportOptions(language=lang, pdf_variant=pdf_variant)
        exported = export_passport(store, _viewer(store, as_user), learner, fmt, options)
    _write_export(out, exported)


@export.command("lengths")
@click.argument("document_id", metavar="ID", type=int)
@click.option("--as", "as_user", default=None, help="As this user (default: $JUPYTERHUB_USER, else the OS user).")
@_lang_option("Language of the export's own words and of the messages.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_db_option
@_friendly
def export_lengths_command(
    document_id: int, as_user: str | None, lang: str, as_json: bool, db_path: Path | None
) -> None:
    """Print the length of each section with bounds, in signes (characters, spaces included).

    Example: journal-ext export lengths 4 --as camille
    """
    from journal_ext.core.notebooks import format_count
    from journal_ext.export import length_report
    from journal_ext.export.model import WORDS, bounds_label

    with open_store(db_path) as store:
        viewer = _viewer(store, as_user)
        rows = length_report(store, viewer, document_id)
        if as_json:
            click.echo(json.dumps([row.to_dict() for row in rows], ensure_ascii=False, indent=2))
            return
        if not rows:
            _say("No section of this document has length bounds.")
            return
        words = WORDS[lang]
        count = functools.partial(format_count, language=lang)
        table = [(words["section"], words["count"], words["bounds"], words["status"])] + [
            (row.heading, count(row.count), bounds_label(row, words, count), words[row.status]) for row in rows
        ]
        widths = [max(len(line[i]) for line in table) for i in range(3)]
        for line in table:
            click.echo(f"{line[0]:<{widths[0]}}  {line[1]:>{widths[1]}}  {line[2]:<{widths[2]}}  {line[3]}".rstrip())


# -- passport --------------------------------------------------------------


# How many pieces of evidence are in each state, as the passport prints them.
def _state_count(state: str, count: int) -> Message:
    """How many pieces of evidence are in a state: English says "2 met", French agrees the word (2 atteintes)."""
    if state == "claimed":
        return plural_message("{count} claimed", "{count} claimed", "count", count=count)
    if state == "ready":
        return plural_message("{count} ready for assessment", "{count} ready for assessment", "count", count=count)
    if state == "not_met":
        return plural_message("{count} not met", "{count} not met", "count", count=count)
    if state == "partially_met":
        return plural_message("{count} partially met", "{count} partially met", "count", count=count)
    return plural_message("{count} met", "{count} met", "count", count=count)


def _competences_met(met: int, total: int) -> Message:
    """How many of a domain's or a framework's competences are met ("3/8 compétences atteintes")."""
    return plural_message("{met}/{total} competence met", "{met}/{total} competences met", "met", met=met, total=total)


@cli.command("passport")
@click.argument("learner", required=False)
@click.option(
    "--group",
    "group_ref",
    default=None,
    metavar="COHORT/GROUP",
    help="Instead of one learner, the overview of a group (its tutors, its cohort's coordinators).",
)
@click.option(
    "--cohort",
    "cohort_name",
    default=None,
    metavar="COHORT",
    help="Instead of one learner, the overview of a cohort (its coordinators).",
)
@click.option("--as", "as_user", default=None, help="As this user (default: $JUPYTERHUB_USER, else the OS user).")
@_lang_option("Language of the export's own words and of the messages.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole passport as JSON.")
@_db_option
@_friendly
def passport_command(
    learner: str | None,
    group_ref: str | None,
    cohort_name: str | None,
    as_user: str | None,
    lang: str,
    as_json: bool,
    db_path: Path | None,
) -> None:
    """Print a learner's competence passport: evidence and assessments per competence, self-positioning.

    With --group or --cohort, the overview: per learner, the competences met and the evidence.

    Examples: journal-ext passport camille --as nadia;
    journal-ext passport --group "Promotion 2026/Groupe Maurepas" --as nadia
    """
    from journal_ext.core.passport import overview, passport

    if sum(x is not None for x in (learner, group_ref, cohort_name)) != 1:
        raise UsageRefused(
            message("name one learner, or give --group COHORT/GROUP or --cohort COHORT (one of them)").render(
                current_language()
            )
        )
    service = journal_service(db_path)
    if service is not None:
        _no_as_with_service(as_user)
        service = ServiceClient(url=service.url, token=service.token, language=lang)
    if learner is None:
        if service is not None:
            scope, number = overview_scope(service, group_ref, cohort_name)
            shown = service.call("GET", f"journal/api/overviews/{scope}/{number}")
        else:
            with open_store(db_path) as store:
                viewer = _viewer(store, as_user)
                if group_ref is not None:
                    shown = overview(store, viewer, "group", store.group(group_ref)["id"], lang)
                else:
                    shown = overview(store, viewer, "cohort", store.cohort(str(cohort_name))["id"], lang)
        if as_json:
            click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
            return
        codes = [c["code"] for d in shown["domains"] for c in d["competences"]]
        click.echo(f"{shown['name']} — {shown['cohort']}" if shown["scope"] == "group" else shown["name"])
        for entry in shown["learners"]:
            line = message(
                "  {name} ({group}): {met}, {evidence}",
                name=entry["name"],
                group=entry["group"],
                met=_competences_met(entry["competences_met"], len(codes)),
                evidence=plural_message(
                    "{count} piece of evidence", "{count} pieces of evidence", "count", count=entry["evidence_count"]
                ),
            )
            click.echo(line.render(lang))
        return
    if service is not None:
        answer = service.call("GET", f"journal/api/passports/{learner}")
    else:
        with open_store(db_path) as store:
            answer = passport(store, _viewer(store, as_user), learner, lang)
    if as_json:
        click.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    click.echo(f"{answer['learner_name']} — {answer['cohort']}")
    for domain in answer["domains"]:
        click.echo("")
        heading = message(
            "{code} {title}: {met}",
            code=domain["code"],
            title=domain["title"],
            met=_competences_met(domain["competences_met"], domain["competences_total"]),
        )
        click.echo(heading.render(lang))
        for competence in domain["competences"]:
            states = (
                ", ".join(
                    _state_count(state, count).render(lang) for state, count in competence["states"].items() if count
                )
                or "—"
            )
            levels = competence["self_positioning"]
            self_rated = (
                "  " + message("self-rating {level}/4", level=levels[-1]["level"]).render(lang) if levels else ""
            )
            click.echo(f"  {competence['code']:<6} {states}{self_rated}")


# -- demo ------------------------------------------------------------------


@cli.command()
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The journal database; the service is the only process that opens it (mode 0600).",
)
@click.option("--ip", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8765, show_default=True, help="Port to listen on.")
@click.option(
    "--prefix",
    default=None,
    help="URL prefix (default: $JUPYTERHUB_SERVICE_PREFIX, which the hub sets, else /services/journal/).",
)
@click.option(
    "--language",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    help="Language of folder names and templates for people without a group.",
)
@click.option(
    "--backup-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Take backups of the journal into this folder while the service runs (created with mode 0700).",
)
@click.option(
    "--backup-every",
    default=None,
    help="How often to take a backup: 30m, 6h, 1d (default: 1d; s for seconds, m minutes, h hours, d days).",
)
@click.option(
    "--backup-keep",
    type=click.IntRange(min=1),
    default=None,
    help="How many backups to keep, the newest (default: 7).",
)
@_friendly
def serve(
    db_path: Path,
    ip: str,
    port: int,
    prefix: str | None,
    language: str,
    backup_dir: Path | None,
    backup_every: str | None,
    backup_keep: int | None,
) -> None:
    """Run the journal service: the JupyterHub service that alone opens the journal database.

    JupyterHub starts it (see journal-ext hub-config); every request carries
    the caller's hub token, and the hub says whose it is.
    """
    import logging

    backups = _backup_schedule(backup_dir, backup_every, backup_keep)

    try:
        from journal_ext.service.app import serve as run_service
    except ImportError as error:
        raise _refusal(
            "journal-ext serve needs JupyterHub's Python package ({name}): pip install 'journal_ext[hub]'",
            name=error.name or "jupyterhub",
        ) from error
    # The service's own lines (who did what) at INFO; libraries' chatter only when it matters.
    logging.basicConfig(level=logging.WARNING, format="[%(levelname)1.1s %(asctime)s journal-service] %(message)s")
    logging.getLogger("journal_ext").setLevel(logging.INFO)
    service_name = os.environ.get("JUPYTERHUB_SERVICE_NAME", "journal")
    try:
        run_service(
            db_path,
            ip=ip,
            port=port,
            prefix=prefix or os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or f"/services/{service_name}/",
            service_name=service_name,
            language=language,
            backups=backups,
        )
    except RuntimeError as error:
        # The service's own refusal to start (no hub token): said as it is, in English for the hub's log.
        raise Refused(str(error)) from error


def _backup_schedule(folder: Path | None, every: str | None, keep: int | None) -> BackupSchedule | None:
    """The service's backups as its options describe them (none without --backup-dir)."""
    from journal_ext.service.backups import BackupSchedule, parse_duration

    if folder is None:
        if every is not None or keep is not None:
            raise UsageRefused(
                message("--backup-every and --backup-keep need --backup-dir, the folder to keep backups in").render(
                    current_language()
                )
            )
        return None
    try:
        seconds = parse_duration(every or "1d")
    except ExplainedError as error:
        raise UsageRefused(
            message("{option}: {problem}", option="--backup-every", problem=error.message).render(current_language())
        ) from error
    return BackupSchedule(directory=folder.absolute(), every=seconds, keep=keep or 7)


@cli.command("hub-config")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where the service keeps the journal database (default: /var/lib/journal_ext/journal.db).",
)
@click.option("--user", default=None, help="The service's unix user (default: journal).")
@click.option("--port", type=int, default=None, help="The service's port on this host (default: 8765).")
@click.option(
    "--z2jh",
    is_flag=True,
    help="Write a Zero to JupyterHub (Kubernetes) deployment into --out instead: Helm values, "
    "the service's manifests and the image's Dockerfile.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --z2jh: the folder the deployment's files are written into (made if needed).",
)
@click.option(
    "--image",
    default=None,
    help="With --z2jh: the image of user servers and of the service, NAME:TAG, built from the Dockerfile written.",
)
@click.option("--base-url", default=None, help="With --z2jh: the chart's hub.baseUrl, if you set one (default: /).")
@click.option("--storage", default=None, help="With --z2jh: the size of the database's volume (default: 5Gi).")
@_friendly
def hub_config(
    db_path: Path | None,
    user: str | None,
    port: int | None,
    z2jh: bool,
    out_dir: Path | None,
    image: str | None,
    base_url: str | None,
    storage: str | None,
) -> None:
    """Print the JupyterHub configuration that runs the journal service.

    Example: journal-ext hub-config > /opt/tljh/config/jupyterhub_config.d/journal.py

    On Kubernetes: journal-ext hub-config --z2jh --image registry.example.org/journal-ext:0.1.0 --out journal-z2jh
    """
    from journal_ext.service.hubconfig import DEFAULT_DB, DEFAULT_PORT, DEFAULT_USER, HubSetup, snippet

    if z2jh:
        _write_z2jh(db_path, user, port, out_dir, image, base_url, storage)
        return
    for option, value in (("--out", out_dir), ("--image", image), ("--base-url", base_url), ("--storage", storage)):
        if value is not None:
            raise _refusal("{option} goes with --z2jh (a deployment on Kubernetes)", option=option)
    chosen = db_path.absolute() if db_path is not None else DEFAULT_DB
    click.echo(snippet(HubSetup(db=chosen, user=user or DEFAULT_USER, port=port or DEFAULT_PORT)), nl=False)


def _write_z2jh(
    db_path: Path | None,
    user: str | None,
    port: int | None,
    out_dir: Path | None,
    image: str | None,
    base_url: str | None,
    storage: str | None,
) -> None:
    """hub-config --z2jh: the deployment's files, written into --out."""
    from pathlib import PurePosixPath

    from journal_ext.service import z2jh
    from journal_ext.service.hubconfig import DEFAULT_PORT

    if user is not None:
        raise _refusal(
            "--user is for a hub on one machine; on Kubernetes the service runs as the image's user (uid {uid})",
            uid=z2jh.USER_UID,
        )
    if out_dir is None:
        raise _refusal("journal-ext hub-config --z2jh writes files: give their folder with --out DIR")
    if image is None:
        raise _refusal(
            "journal-ext hub-config --z2jh needs the image of user servers and of the service: --image NAME:TAG"
            " (the name you will build the written Dockerfile as)"
        )
    setup = z2jh.KubeSetup(
        image=image,
        db=PurePosixPath(db_path.as_posix()) if db_path is not None else z2jh.POD_DB,
        port=port if port is not None else DEFAULT_PORT,
        base_url=z2jh.base_url(base_url or "/"),
        storage=storage or z2jh.DEFAULT_STORAGE,
    )
    for problem in z2jh.problems(setup):
        raise Refused(problem.render(current_language()))
    for path in z2jh.write(setup, out_dir):
        _say("Wrote {file}", file=str(path))


# The folder of the demo's --dir that JupyterLab serves, beside the database.
DEMO_FILES = "files"


@cli.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("journal-demo"),
    show_default=True,
    help="Folder holding the demo database, beside the folder JupyterLab serves (its files/).",
)
@click.option("--as", "as_user", default=None, help="Start as this demo user (e.g. the tutor, nadia).")
@click.option("--port", type=int, default=8888, show_default=True)
@click.option("--no-browser", is_flag=True, help="Don't open a web browser.")
@click.option("--reset", is_flag=True, help="Throw the demo database away and create it afresh.")
@click.option("--no-lab", is_flag=True, help="Only create the demo database, don't start JupyterLab.")
@_lang_option("Language of JupyterLab's interface, of the journal folders and of the messages.")
@_friendly
def demo(
    directory: Path, as_user: str | None, port: int, no_browser: bool, reset: bool, no_lab: bool, lang: str
) -> None:
    """Create (or reuse) a demo cohort and open JupyterLab on it as a demo learner.

    Example: journal-ext demo --as nadia
    """
    from journal_ext.core import demo as demo_data

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
        raise _refusal("'{user}' is not a demo user; choose one of: {users}", user=user, users=", ".join(users))
    if created:
        _say("Demo cohort created in {path} — you are {user}.", path=db_file.resolve(), user=user)
    else:
        _say("Reusing the demo cohort in {path} — you are {user}.", path=db_file.resolve(), user=user)
    if no_lab:
        return
    # The file browser shows files/, not the folder holding the database:
    # there, a click could delete the journal or its -wal/-shm files.
    files = directory / DEMO_FILES
    files.mkdir(exist_ok=True)
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={files.resolve()}",
        # A workspace of one's own: another demo user's reload keeps away from one's tabs.
        f"--LabApp.default_url=/lab/workspaces/{user}",
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
    write_lab_setting(settings_dir, "translation-extension", "plugin", {"locale": "fr_FR" if lang == "fr" else "en"})
    write_lab_setting(settings_dir, "apputils-extension", "notification", {"fetchNews": "false"}, keep_existing=True)
    if no_browser:
        argv.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    env = dict(os.environ)
    env.pop("JUPYTERHUB_USER", None)
    _say("Starting JupyterLab: {command}", command=" ".join(argv[1:]))
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
    reader_language.set(None)
    cli(prog_name="journal-ext")


if __name__ == "__main__":
    main()
