"""The journal service on a real JupyterHub, with real unix users, as an attacker would try it.

The hub is configured only with ``journal-ext hub-config``'s output (plus
the test's own hub settings: ports, the dummy login, an admin token to
drive it). learner1, learner2 and tutor1 are unix users whose servers the
hub starts; the journal service runs as the unix user ``journal`` and
alone can open the database.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import stat
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.hub import (
    COHORT,
    DB,
    GROUP,
    HUB_ADMIN,
    SERVICE_USER,
    VENV,
    Hub,
    as_user,
    environment_of,
    quote,
)
from tests.servers import free_port


@pytest.fixture(scope="module")
def hub(journal_hub: Hub) -> Hub:
    return journal_hub


def write_entry(hub: Hub, user: str, sentence: str) -> dict[str, Any]:
    """A new journal entry of ``user``'s, made from the template and saved with ``sentence`` in it."""
    status, made, _ = hub.as_person(user, "POST", "api/contents/" + quote("Journal/Mon journal"), {"type": "notebook"})
    assert status == 201, made
    status, model, _ = hub.as_person(user, "GET", "api/contents/" + quote(made["path"]))
    assert status == 200, model
    notebook = model["content"]
    writable = next(cell for cell in notebook["cells"] if cell["cell_type"] == "markdown" and not cell["source"])
    writable["source"] = sentence
    status, saved, _ = hub.as_person(
        user, "PUT", "api/contents/" + quote(made["path"]), {"type": "notebook", "content": notebook}
    )
    assert status == 200, saved
    status, listing, _ = hub.as_person(user, "GET", "journal/api/documents")
    assert status == 200, listing
    return next(d for d in listing["documents"] if d["path"] == made["path"])


def texts_seen_by(hub: Hub, user: str) -> str:
    """Everything ``user`` can read of the journal through their server: listing, search, every document."""
    seen = []
    _, listing, _ = hub.as_person(user, "GET", "journal/api/documents")
    for document in listing["documents"]:
        status, model, _ = hub.as_person(user, "GET", "api/contents/" + quote(document["path"]))
        if status == 200:
            seen.append(json.dumps(model["content"], ensure_ascii=False))
    return "\n".join(seen)


@pytest.fixture(scope="module")
def entries(hub: Hub) -> dict[str, Any]:
    private = write_entry(hub, "learner1", "Une phrase pour moi seule, sur le conseil de maison.")
    tutors = write_entry(hub, "learner1", "Une phrase pour ma tutrice, sur la permanence du mardi.")
    status, changed, _ = hub.as_person(
        "learner1", "PATCH", f"journal/api/documents/{private['id']}", {"visibility": "private"}
    )
    assert status == 200, changed
    assert tutors["visibility"] == "tutors"
    return {"private": private, "tutors": tutors}


def test_each_person_is_who_the_hub_says(hub: Hub) -> None:
    for user, role in (("learner1", "learner"), ("learner2", "learner"), ("tutor1", "tutor")):
        status, me, _ = hub.as_person(user, "GET", "journal/api/me")
        assert status == 200, me
        assert (me["user"], me["roles"]) == (user, [role])


def test_the_tutor_reads_the_tutors_entry_and_nobody_else_reads_more(hub: Hub, entries: dict[str, Any]) -> None:
    private, tutors = entries["private"], entries["tutors"]
    tutor_sees = texts_seen_by(hub, "tutor1")
    assert "permanence du mardi" in tutor_sees
    assert "conseil de maison" not in tutor_sees
    assert hub.as_person("tutor1", "GET", f"journal/api/documents/{private['id']}")[0] == 404

    other_learner_sees = texts_seen_by(hub, "learner2")
    assert "permanence du mardi" not in other_learner_sees
    assert "conseil de maison" not in other_learner_sees
    for document in (private, tutors):
        assert hub.as_person("learner2", "GET", f"journal/api/documents/{document['id']}")[0] == 404
        assert hub.as_person("learner2", "GET", "api/contents/" + quote(document["path"]))[0] == 404
    for words in ("permanence", "conseil"):
        status, found, _ = hub.as_person("learner2", "GET", f"journal/api/search?q={words}")
        assert status == 200
        assert found["results"] == []

    assert "conseil de maison" in texts_seen_by(hub, "learner1")


def test_the_database_is_the_services_alone(hub: Hub) -> None:
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{DB}{suffix}")
        if path.exists():
            info = path.stat()
            assert stat.S_IMODE(info.st_mode) == 0o600, path
            assert info.st_uid == int(subprocess.check_output(["id", "-u", SERVICE_USER]))
    opened = as_user(
        "learner1",
        str(VENV / "bin" / "python"),
        "-c",
        f"import sqlite3; print(sqlite3.connect({str(DB)!r}).execute('select count(*) from documents').fetchone())",
    )
    assert opened.returncode != 0
    assert "unable to open database file" in opened.stderr or "Permission denied" in opened.stderr
    readable = as_user("learner1", "cat", str(DB))
    assert readable.returncode != 0 and "Permission denied" in readable.stderr


def test_no_variable_names_the_file_in_servers_or_kernels(hub: Hub) -> None:
    status, kernel, _ = hub.as_person("learner1", "POST", "api/kernels", {"name": "python3"})
    assert status == 201, kernel
    try:
        pids = subprocess.run(["pgrep", "-u", "learner1", "-f", "ipykernel"], capture_output=True, text=True)
        kernel_pids = [int(pid) for pid in pids.stdout.split()]
        assert kernel_pids, "the learner's kernel is not running"
        for pid in [hub.server_pid("learner1"), *kernel_pids]:
            environment = environment_of(pid)
            assert "JOURNAL_EXT_DB" not in environment
            assert "JOURNAL_EXT_SERVICE_URL" in environment
            assert not [name for name, value in environment.items() if str(DB) in value or "journal.db" in value]
    finally:
        hub.as_person("learner1", "DELETE", f"api/kernels/{kernel['id']}")


def test_a_learner_cannot_claim_to_be_the_tutor(hub: Hub, tmp_path: Path) -> None:
    """JUPYTERHUB_USER, --JournalExtension.user and a second server of the learner's own all act as her."""
    server_env = environment_of(hub.server_pid("learner1"))
    port, token = free_port(), secrets.token_hex(16)
    home = Path("/home/learner1")
    env = {
        "PATH": f"{VENV}/bin:/usr/bin:/bin",
        "HOME": str(home),
        "JUPYTERHUB_API_TOKEN": server_env["JUPYTERHUB_API_TOKEN"],
        "JOURNAL_EXT_SERVICE_URL": server_env["JOURNAL_EXT_SERVICE_URL"],
        "JUPYTERHUB_USER": "tutor1",
        "JOURNAL_EXT_USER": "tutor1",
    }
    prefix = ["runuser", "-u", "learner1", "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()]]
    second = subprocess.Popen(
        [
            *prefix,
            str(VENV / "bin" / "jupyter"),
            "server",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={home}",
            "--JournalExtension.user=tutor1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        cwd="/",
    )
    try:
        me = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and me is None:
            assert second.poll() is None, second.stdout.read().decode() if second.stdout else ""
            request = urllib.request.Request(f"http://127.0.0.1:{port}/journal/api/me")
            request.add_header("Authorization", f"token {token}")
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    me = json.loads(answer.read())
            except OSError:
                time.sleep(0.5)
        assert me is not None, "the learner's second server did not answer"
        assert me["user"] == "learner1"
        assert me["roles"] == ["learner"]
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)


def test_the_service_accepts_only_hub_tokens_of_people(hub: Hub) -> None:
    address = f"http://127.0.0.1:{hub.service_port}/services/journal/journal/api/me"
    for headers in (
        {},
        {"Authorization": "token not-a-token"},
        {"Authorization": "token not-a-token", "X-Forwarded-User": "tutor1", "JUPYTERHUB_USER": "tutor1"},
    ):
        request = urllib.request.Request(address, headers=headers)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 403
    # A real token without the service's scope, and a service's token: refused too.
    status, narrow, _ = hub.api("POST", "/hub/api/users/learner1/tokens", {"scopes": ["read:users:name!user=learner1"]})
    assert status == 201, narrow
    for token in (narrow["token"], hub.admin_token):
        request = urllib.request.Request(address, headers={"Authorization": f"token {token}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 403
    # learner1's own token, straight to the service: learner1, whatever else the request says.
    request = urllib.request.Request(
        address, headers={"Authorization": f"token {hub.token('learner1')}", "X-Forwarded-User": "tutor1"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.loads(answer.read())["user"] == "learner1"


def test_a_learner_cannot_record_a_tutors_judgement(hub: Hub, entries: dict[str, Any]) -> None:
    document = entries["tutors"]
    status, model, _ = hub.as_person("learner1", "GET", "api/contents/" + quote(document["path"]))
    assert status == 200
    phrase = "permanence du mardi"
    cell = next(c for c in model["content"]["cells"] if phrase in c["source"])
    start = cell["source"].index(phrase)
    claim = {
        "cell_id": cell["id"],
        "start": start,
        "end": start + len(phrase),
        "exact": phrase,
        "competence": "DC1.1",
        "justification": "Une observation située.",
    }
    status, evidence, _ = hub.as_person("learner1", "POST", f"journal/api/documents/{document['id']}/evidence", claim)
    assert status == 201, evidence
    status, refused, _ = hub.as_person(
        "learner1", "POST", f"journal/api/evidence/{evidence['id']}/assessments", {"state": "met"}
    )
    assert status == 403, refused
    status, judged, _ = hub.as_person(
        "tutor1", "POST", f"journal/api/evidence/{evidence['id']}/assessments", {"state": "met"}
    )
    assert status in (200, 201), judged
    assert judged["status"] == "met"


def test_a_save_during_an_outage_is_refused_then_lands(hub: Hub) -> None:
    entry = write_entry(hub, "learner1", "Avant la coupure.")
    path = "api/contents/" + quote(entry["path"])
    status, model, _ = hub.as_person("learner1", "GET", path)
    assert status == 200
    notebook = model["content"]
    cell = next(c for c in notebook["cells"] if c["source"] == "Avant la coupure.")
    cell["source"] = "Avant la coupure. Écrit pendant la coupure."
    server_pid = hub.server_pid("learner1")

    os.kill(hub.service_pid(), signal.SIGKILL)
    status, refused, headers = hub.as_person("learner1", "PUT", path, {"type": "notebook", "content": notebook})
    assert status == 503, refused
    assert "Le service du journal ne répond pas" in refused["message"]
    assert headers.get("Retry-After") or headers.get("retry-after")
    status, api_refused, _ = hub.as_person("learner1", "GET", "journal/api/me")
    assert status == 503 and api_refused["code"] == "journal_unavailable"
    # The user's own files are still listed, Journal/ among them.
    status, root, _ = hub.as_person("learner1", "GET", "api/contents")
    assert status == 200 and "Journal" in [item["name"] for item in root["content"]]

    # The hub starts its service again; the same server then saves, as if nothing happened.
    hub.wait_until(hub.service_is_up, "the journal service to come back", timeout=120)
    status, saved, _ = hub.as_person("learner1", "PUT", path, {"type": "notebook", "content": notebook})
    assert status == 200, saved
    assert hub.server_pid("learner1") == server_pid
    status, model, _ = hub.as_person("learner1", "GET", path)
    assert "Avant la coupure. Écrit pendant la coupure." in [c["source"] for c in model["content"]["cells"]]


def journal_ext_as(hub: Hub, user: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """journal-ext run by ``user`` in a terminal of their server (its environment: the service, their token)."""
    server_env = environment_of(hub.server_pid(user))
    env = {
        "PATH": f"{VENV}/bin:/usr/bin:/bin",
        "HOME": f"/home/{user}",
        "LANG": "fr_FR.UTF-8",
        "JUPYTERHUB_API_TOKEN": server_env["JUPYTERHUB_API_TOKEN"],
        "JOURNAL_EXT_SERVICE_URL": server_env["JOURNAL_EXT_SERVICE_URL"],
        # What a learner might add to pass for someone else: it changes nothing.
        "JUPYTERHUB_USER": "tutor1",
    }
    return as_user(user, str(VENV / "bin" / "journal-ext"), *argv, env=env)


def test_roles_change_only_by_a_coordinator_or_a_hub_admin(hub: Hub) -> None:
    # From the learner's own terminal, through the service: refused, and nothing changed.
    refused = journal_ext_as(hub, "learner1", "member", "add", GROUP, "learner1", "--role", "tutor")
    assert refused.returncode != 0
    # In French: the terminal's locale.
    assert "seul·e un·e coordinateur·rice de cette promotion ou un·e administrateur·rice" in refused.stderr
    assert hub.as_person("learner1", "GET", "journal/api/me")[1]["roles"] == ["learner"]
    status, refused_api, _ = hub.as_person(
        "learner1", "POST", "journal/api/members", {"group": GROUP, "user": "learner1", "role": "coordinator"}
    )
    assert status == 403, refused_api
    assert hub.as_person("learner1", "POST", "journal/api/cohorts", {"name": "Ma promotion"})[0] == 403
    assert hub.to_service("tutor1", "POST", "journal/api/groups", {"cohort": COHORT, "name": "Groupe B"})[0] == 403
    assert hub.as_person("learner1", "GET", "journal/api/me")[1]["roles"] == ["learner"]

    # The cohort's coordinator adds someone; a hub admin creates a cohort; both as the hub says they are.
    status, added, _ = hub.to_service(
        "coord1", "POST", "journal/api/members", {"group": GROUP, "user": "learner3", "role": "learner"}
    )
    assert status == 200, added
    assert added["user"] == "learner3"
    status, cohort, _ = hub.to_service(HUB_ADMIN, "POST", "journal/api/cohorts", {"name": "Promotion 2027-2028"})
    assert status == 201, cohort
    assert hub.to_service("coord1", "POST", "journal/api/cohorts", {"name": "Autre promotion"})[0] == 403
    listed = journal_ext_as(hub, "tutor1", "group", "list")
    # A tutor administers no group: none listed (in French, the terminal's locale).
    assert listed.returncode == 0 and listed.stdout.startswith("Aucun groupe pour l'instant")


WIDGETS = """
import datetime, json
from journal_ext.kernel.widgets import Passport, PassportOverview, SelfPositioning
form = SelfPositioning(day=datetime.date(2026, 11, 23))
form.levels["DC1.1"].value = 3
saved = form.save()
mine = Passport()
theirs = Passport("learner2")
print(json.dumps({
    "saved": len(saved),
    "learner": mine.learner,
    "rated": mine.data["domains"][0]["competences"][0]["self_positioning"],
    "theirs": theirs.summary.value,
    "overview": PassportOverview(group="Groupe Quartiers").summary.value,
    "unknown": PassportOverview(cohort="Promotion inconnue").summary.value,
}))
"""


def test_notebook_widgets_in_a_kernel_go_through_the_service(hub: Hub) -> None:
    status, kernel, _ = hub.as_person("learner1", "POST", "api/kernels", {"name": "python3"})
    assert status == 201, kernel
    try:
        pids = subprocess.run(["pgrep", "-u", "learner1", "-f", kernel["id"]], capture_output=True, text=True)
        kernel_env = environment_of(int(pids.stdout.split()[0]))
    finally:
        hub.as_person("learner1", "DELETE", f"api/kernels/{kernel['id']}")
    # The kernel's own environment, plus what a learner might add to pass for the tutor.
    env = {**kernel_env, "JUPYTERHUB_USER": "tutor1", "JOURNAL_EXT_USER": "tutor1"}
    result = as_user("learner1", str(VENV / "bin" / "python"), "-c", WIDGETS, env=env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["saved"] == 1
    assert answer["learner"] == "learner1"
    assert answer["rated"] == [{"day": "2026-11-23", "level": 3}]
    # Another learner's passport: the service's refusal, shown as the widget's error line, and nothing of it.
    assert 'role="status"' in answer["theirs"] and "jp-error-color" in answer["theirs"]
    assert "<h3>" not in answer["theirs"]
    # Her group's overview is for its tutors: found by name, then refused by the service.
    assert "jp-error-color" in answer["overview"] and "<h3>" not in answer["overview"]
    assert "aucune promotion «\u00a0Promotion inconnue\u00a0»" in answer["unknown"]


def test_journal_ext_commands_in_a_terminal_act_as_the_token_owner(hub: Hub, entries: dict[str, Any]) -> None:
    mine = journal_ext_as(hub, "learner1", "passport", "learner1", "--json")
    assert mine.returncode == 0, mine.stderr
    assert json.loads(mine.stdout)["learner"] == "learner1"
    # JUPYTERHUB_USER=tutor1 is set in that terminal: the tutor's view would show learner2's passport.
    theirs = journal_ext_as(hub, "learner1", "passport", "learner2")
    assert theirs.returncode != 0 and "learner2" in theirs.stderr
    assert journal_ext_as(hub, "tutor1", "passport", "learner2", "--json").returncode == 0
    claimed = journal_ext_as(hub, "learner1", "passport", "learner2", "--as", "tutor1")
    assert claimed.returncode != 0 and "--as ne s'applique pas ici" in claimed.stderr

    # Overviews and group exports name a group: looked up among the caller's, the service decides.
    overview = journal_ext_as(hub, "tutor1", "passport", "--group", GROUP, "--json")
    assert overview.returncode == 0, overview.stderr
    assert {entry["name"] for entry in json.loads(overview.stdout)["learners"]} >= {"Léa Martin", "Yanis Benali"}
    refused = journal_ext_as(hub, "learner1", "passport", "--group", GROUP)
    assert refused.returncode != 0
    unknown = journal_ext_as(hub, "tutor1", "passport", "--cohort", "Promotion inconnue")
    assert unknown.returncode != 0 and "aucune promotion «\u00a0Promotion inconnue\u00a0»" in unknown.stderr
    group_export = journal_ext_as(
        hub, "tutor1", "export", "group", GROUP, "--combined", "--format", "html", "--out", "/home/tutor1/groupe.html"
    )
    assert group_export.returncode == 0, group_export.stderr
    group_page = Path("/home/tutor1/groupe.html").read_text(encoding="utf-8")
    assert "permanence du mardi" in group_page and "conseil de maison" not in group_page

    exported = journal_ext_as(
        hub, "learner1", "export", "journal", "learner1", "--format", "html", "--out", "/home/learner1/journal.html"
    )
    assert exported.returncode == 0, exported.stderr
    page = Path("/home/learner1/journal.html").read_text(encoding="utf-8")
    assert "conseil de maison" in page and "permanence du mardi" in page
    stolen = journal_ext_as(
        hub, "learner2", "export", "journal", "learner1", "--format", "html", "--out", "/home/learner2/vol.html"
    )
    assert stolen.returncode != 0 or "permanence du mardi" not in Path("/home/learner2/vol.html").read_text()

    # A command that needs the file says where it can run instead of making an empty journal of its own.
    local = journal_ext_as(hub, "learner1", "template", "list")
    assert local.returncode != 0 and "que seul le service du journal ouvre" in local.stderr
    assert not Path("/home/learner1/.local/share/jupyter/journal_ext/journal.db").exists()
