"""journal-ext hub-config --z2jh: the README's "Deploy on Kubernetes" section, followed line by line as far as
this machine allows, and the deployment's pieces checked against each other, Kubernetes' schemas and the chart's.

This machine has no cluster, no Docker daemon and no helm: the commands
that need them are named with the reason they are not run (a README line
that this test does not know fails it). What runs: hub-config itself, the
README's offline check of the manifests (kubernetes-validate, Kubernetes'
own schemas), the Helm values against the keys of the chart's
values.schema.yaml (recorded below from chart 4.4.0; and the whole schema
when JOURNAL_EXT_Z2JH_CHART names an unpacked chart), and the container's
command with its environment, asked on its probes' path.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shlex
import signal
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from journal_ext.service import z2jh
from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Deploy on Kubernetes (Zero to JupyterHub)"
ACCESS = "access:services!service=journal"

# What this test does with each command of the README's section, by the command's first words:
# run here, or not run, and why.
RUN_HERE = ("journal-ext hub-config", "kubernetes-validate")
NOT_RUN_HERE = {
    "pip wheel": "builds the frontend with Node.js (the Quick start's pip install does); the wheel's name is checked",
    "docker build": "no Docker daemon here, and the chart's base image can't be pulled",
    "docker push": "no Docker daemon and no registry here",
    "helm repo": "no helm here (no registry this machine reaches ships it) and no chart repository",
    "helm upgrade": "no helm and no cluster here: the values are checked against the chart's schema instead",
    "kubectl apply": "no cluster here: the manifests are validated with kubernetes-validate instead",
    "kubectl rollout": "no cluster here: the container's command is started here and asked on its probes' path",
    "kubectl exec": "no cluster here: the health route is asked of the command started here",
    "journal-ext cohort add": "needs a hub: tests/test_hub.py runs the set-up commands through the service",
}

# The keys of the chart's values.schema.yaml (Zero to JupyterHub 4.4.0) where journal's values go:
# at each level, the properties an object without additionalProperties allows (None: any key, the
# chart passes them on to JupyterHub).
CHART_KEYS: dict[str, Any] = {
    "hub": {
        "services": None,
        "loadRoles": None,
        "networkPolicy": {"enabled": {}, "ingress": {}, "egress": {}, "egressAllowRules": {}},
        "baseUrl": {},
    },
    "proxy": {"chp": {"networkPolicy": {"enabled": {}, "ingress": {}, "egress": {}, "egressAllowRules": {}}}},
    "singleuser": {
        "image": {"name": {}, "tag": {}, "pullPolicy": {}, "pullSecrets": {}},
        "extraEnv": None,
        "networkPolicy": {"enabled": {}, "ingress": {}, "egress": {}, "egressAllowRules": {}},
    },
}
# hub.services.<name>: the keys the chart documents, plus JupyterHub's own service keys it passes on.
SERVICE_KEYS = {"name", "admin", "command", "url", "api_token", "apiToken", "display", "oauth_no_confirm"}


def readme_commands() -> list[str]:
    """The commands of the README's Kubernetes section, in order (the lines of its bash blocks)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.index("\n## ", start + len(SECTION))
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text[start:end], flags=re.DOTALL):
        for line in block.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def run_readme_line(line: str, cwd: Path) -> None:
    words = shlex.split(line)
    program = {"journal-ext": [sys.executable, "-m", "journal_ext"], "kubernetes-validate": None}[words[0]]
    if program is None:
        # kubernetes-validate's console script is this module's main.
        program = [sys.executable, "-m", "kubernetes_validate"]
    result = subprocess.run([*program, *words[1:]], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
    if words[0] == "kubernetes-validate":
        # Each resource passed, none left out for want of a schema.
        assert "WARN" not in result.stdout and "ERROR" not in result.stdout, result.stdout
        assert result.stdout.count(" passed for resource ") == 4, result.stdout


def test_the_readme_section_line_by_line(tmp_path: Path) -> None:
    commands = readme_commands()
    ran, not_run = [], []
    for line in commands:
        if line.startswith(RUN_HERE):
            run_readme_line(line, tmp_path)
            ran.append(line)
            continue
        reason = [why for start, why in NOT_RUN_HERE.items() if line.startswith(start)]
        assert reason, f"the README's Kubernetes section has a command this test does not know: {line}"
        not_run.append(line)
    # Every kind of command named here is still in the README, and the runnable ones ran.
    for start in (*RUN_HERE, *NOT_RUN_HERE):
        assert any(line.startswith(start) for line in commands), f"no README line starts with {start}"
    assert [line.split()[0] for line in ran] == ["journal-ext", "kubernetes-validate"]
    # The folder the README's first command wrote is the one its other commands use.
    folder = tmp_path / "journal-z2jh"
    assert sorted(p.name for p in folder.iterdir()) == [
        "Dockerfile",
        "journal-data.yaml",
        "journal-service.yaml",
        "values.yaml",
    ]
    deployment = assert_consistent(folder)
    image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
    for line in not_run:
        if line.startswith("docker"):
            assert image in shlex.split(line), line
        if line.startswith(("docker build", "pip wheel")):
            assert "journal-z2jh" in shlex.split(line), line
        if line.startswith("helm upgrade"):
            assert f"--version {z2jh.CHART_VERSION}" in line and "--values journal-z2jh/values.yaml" in line
    # The README's health check asks the URL the hub has for the service, on the probes' path.
    health = next(line for line in commands if line.startswith("kubectl exec"))
    values = load(folder / "values.yaml")[0]
    assert values["hub"]["services"]["journal"]["url"] + "/services/journal/health" in health


def load(path: Path) -> list[Any]:
    return [document for document in yaml.safe_load_all(path.read_text(encoding="utf-8")) if document is not None]


def by_kind(documents: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    kinds = [document["kind"] for document in documents]
    assert len(set(kinds)) == len(kinds), kinds
    return {document["kind"]: document for document in documents}


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """A podSelector's matchLabels picks pods with these labels."""
    match = selector["matchLabels"]
    return bool(match) and all(labels.get(key) == value for key, value in match.items())


def option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def assert_consistent(folder: Path) -> dict[str, Any]:
    """The four files agree with each other; the service's Deployment."""
    for written in folder.glob("*.yaml"):
        # Written out where each value is read: no YAML anchors and aliases.
        assert not re.search(r"[&*]id\d", written.read_text(encoding="utf-8")), written
    values = load(folder / "values.yaml")
    assert len(values) == 1
    helm = values[0]
    [claim] = load(folder / "journal-data.yaml")
    objects = by_kind(load(folder / "journal-service.yaml"))
    assert set(objects) == {"Deployment", "Service", "NetworkPolicy"}
    deployment, service, policy = objects["Deployment"], objects["Service"], objects["NetworkPolicy"]
    pod = deployment["spec"]["template"]
    labels = pod["metadata"]["labels"]
    [container] = pod["spec"]["containers"]
    command = container["command"]
    environment = {entry["name"]: entry for entry in container["env"]}
    [container_port] = container["ports"]
    port = container_port["containerPort"]

    # One replica, never two at once on the ReadWriteOnce volume.
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}
    assert selects(deployment["spec"]["selector"], labels)

    # The serve command listens on the container's port, on every address, under the service's prefix.
    assert command[:2] == ["journal-ext", "serve"]
    assert option(command, "--ip") == "0.0.0.0"
    assert int(option(command, "--port")) == port
    prefix = option(command, "--prefix")
    assert environment["JUPYTERHUB_SERVICE_PREFIX"]["value"] == prefix
    base_url = environment["JUPYTERHUB_BASE_URL"]["value"]
    assert prefix == f"{base_url}services/journal/"

    # The Service: the name and port of the hub's URL for the service, to the pod's named port.
    name = service["metadata"]["name"]
    [service_port] = service["spec"]["ports"]
    assert service["spec"]["type"] == "ClusterIP"
    assert all(labels[key] == value for key, value in service["spec"]["selector"].items())
    assert service_port["targetPort"] == container_port["name"]
    registered = helm["hub"]["services"]
    assert list(registered) == ["journal"]
    assert environment["JUPYTERHUB_SERVICE_NAME"]["value"] == "journal"
    assert registered["journal"]["url"] == f"http://{name}:{service_port['port']}"
    assert set(registered["journal"]) <= SERVICE_KEYS

    # User servers call the service there, and may leave their pods for its pod and port.
    assert helm["singleuser"]["extraEnv"] == {"JOURNAL_EXT_SERVICE_URL": registered["journal"]["url"] + prefix}
    for where in (helm["singleuser"], helm["hub"], helm["proxy"]["chp"]):
        rules = where["networkPolicy"]["egress"]
        assert any(
            any(selects(peer["podSelector"], labels) for peer in rule["to"])
            and {"port": port, "protocol": "TCP"} in rule["ports"]
            for rule in rules
        ), rules
    # The users' image is the service's.
    image = helm["singleuser"]["image"]
    assert container["image"] == f"{image['name']}:{image['tag']}"

    # Scopes: the roles keep their defaults and may call the service.
    roles = helm["hub"]["loadRoles"]
    assert set(roles) == {"server", "user"}
    assert roles["server"]["scopes"] == ["users:activity!user", "access:servers!server", ACCESS]
    assert roles["user"]["scopes"] == ["self", ACCESS]

    # The token: the chart makes it (no api_token in the values) and keeps it in its hub Secret under
    # hub.services.<key>.apiToken (templates/hub/secret.yaml), where the pod reads it.
    assert "api_token" not in registered["journal"] and "apiToken" not in registered["journal"]
    assert environment["JUPYTERHUB_API_TOKEN"]["valueFrom"] == {
        "secretKeyRef": {"name": "hub", "key": "hub.services.journal.apiToken"}
    }
    hub_api = environment["JUPYTERHUB_API_URL"]["value"]
    assert hub_api == f"http://hub:8081{base_url}hub/api"

    # The service's own policy: in from user servers, the hub and the proxy on its port; out to the hub's API and DNS.
    spec = policy["spec"]
    assert selects(spec["podSelector"], labels)
    assert spec["policyTypes"] == ["Ingress", "Egress"]
    [ingress] = spec["ingress"]
    assert ingress["ports"] == [{"port": port, "protocol": "TCP"}]
    chart_pods = [peer["podSelector"]["matchLabels"] for peer in ingress["from"]]
    assert chart_pods == [
        {"app": "jupyterhub", "component": "singleuser-server"},
        {"app": "jupyterhub", "component": "hub"},
        {"app": "jupyterhub", "component": "proxy"},
    ]
    to_hub, dns = spec["egress"]
    assert to_hub["to"] == [{"podSelector": {"matchLabels": {"app": "jupyterhub", "component": "hub"}}}]
    assert to_hub["ports"] == [{"port": int(hub_api.split(":")[2].split("/")[0]), "protocol": "TCP"}]
    assert {entry["port"] for entry in dns["ports"]} == {53} and "to" not in dns
    # The hub's own policy lets in pods labelled so.
    assert labels["hub.jupyter.org/network-access-hub"] == "true"

    # The database: a ReadWriteOnce claim, mounted at the folder of --db.
    assert claim["kind"] == "PersistentVolumeClaim"
    assert claim["spec"]["accessModes"] == ["ReadWriteOnce"]
    [volume] = pod["spec"]["volumes"]
    assert volume["persistentVolumeClaim"] == {"claimName": claim["metadata"]["name"]}
    [mount] = container["volumeMounts"]
    assert mount["name"] == volume["name"]
    assert mount["mountPath"] == str(Path(option(command, "--db")).parent)

    # The probes ask the health route under the prefix, on the container's port.
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": f"{prefix}health", "port": container_port["name"]}, probe

    # The image: the chart's user image plus the wheel pip wheel makes of this project, run as the pod's user.
    dockerfile = (folder / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(
        rf"^FROM quay\.io/jupyterhub/k8s-singleuser-sample:{re.escape(z2jh.CHART_VERSION)}$", dockerfile, re.M
    )
    wheel = f"{project_field('name')}-{project_field('version')}-py3-none-any.whl"
    assert f"COPY {wheel} /tmp/wheels/" in dockerfile
    assert f'"/tmp/wheels/{wheel}[hub]"' in dockerfile
    [user] = re.findall(r"^USER (\d+)$", dockerfile, re.M)
    assert pod["spec"]["securityContext"]["runAsUser"] == int(user)
    assert_chart_keys(helm)
    return deployment


def project_field(name: str) -> str:
    """A field of pyproject.toml's [project] table (the wheel's name is made of two)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    table = text[text.index("[project]\n") :]
    found = re.search(rf'^{name} = "([^"]+)"$', table, re.M)
    assert found is not None, name
    return found.group(1)


def assert_chart_keys(helm: dict[str, Any], allowed: dict[str, Any] | None = None, path: str = "") -> None:
    """Every key of the values is one the chart's schema has there."""
    allowed = CHART_KEYS if allowed is None else allowed
    for key, value in helm.items():
        assert key in allowed, f"{path}{key} is not in the chart's values schema"
        inner = allowed[key]
        if inner and isinstance(value, dict):
            assert_chart_keys(value, inner, f"{path}{key}.")


def write(tmp_path: Path, *options: str) -> Path:
    folder = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "journal_ext", "hub-config", "--z2jh", "--out", str(folder), *options],
        capture_output=True,
        text=True,
        env={**os.environ, "LANGUAGE": "en"},
    )
    assert result.returncode == 0, result.stderr
    return folder


def test_other_choices_reach_every_piece(tmp_path: Path) -> None:
    folder = write(
        tmp_path,
        "--image",
        "registry.example.org:5000/team/journal:2026.09-1",
        "--port",
        "9123",
        "--db",
        "/srv/journal/data/j.db",
        "--base-url",
        "jupyter",
        "--storage",
        "20Gi",
    )
    deployment = assert_consistent(folder)
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "registry.example.org:5000/team/journal:2026.09-1"
    assert container["command"] == [
        "journal-ext",
        "serve",
        "--db",
        "/srv/journal/data/j.db",
        "--ip",
        "0.0.0.0",
        "--port",
        "9123",
        "--prefix",
        "/jupyter/services/journal/",
        # Backups on the database's volume, beside it.
        "--backup-dir",
        "/srv/journal/data/backups",
        "--backup-every",
        "1d",
        "--backup-keep",
        "7",
    ]
    helm = load(folder / "values.yaml")[0]
    assert helm["singleuser"]["image"] == {"name": "registry.example.org:5000/team/journal", "tag": "2026.09-1"}
    assert helm["singleuser"]["extraEnv"]["JOURNAL_EXT_SERVICE_URL"] == "http://journal:9123/jupyter/services/journal/"
    [claim] = load(folder / "journal-data.yaml")
    assert claim["spec"]["resources"]["requests"]["storage"] == "20Gi"
    assert container["volumeMounts"][0]["mountPath"] == "/srv/journal/data"


@pytest.mark.parametrize(
    ("options", "refusal"),
    [
        (["--image", "journal-ext"], "--image must be NAME:TAG"),
        (["--image", "j:1", "--db", "journal.db"], "--db must be an absolute path"),
        (["--image", "j:1", "--db", "/journal.db"], "--db must be an absolute path"),
        (["--image", "j:1", "--storage", "lots"], "--storage must be a size"),
        (["--image", "j:1", "--port", "70000"], "--port must be between 1 and 65535"),
        (["--image", "j:1", "--user", "journal"], "--user is for a hub on one machine"),
        ([], "needs the image of user servers"),
    ],
)
def test_bad_choices_are_refused_with_what_to_give(tmp_path: Path, options: list[str], refusal: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "journal_ext", "hub-config", "--z2jh", "--out", str(tmp_path / "out"), *options],
        capture_output=True,
        text=True,
        env={**os.environ, "LANGUAGE": "en"},
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and refusal in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_options_of_one_kind_of_hub_are_refused_for_the_other(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "journal_ext", "hub-config"]
    english = {**os.environ, "LANGUAGE": "en"}
    result = subprocess.run([*run, "--z2jh", "--image", "j:1"], capture_output=True, text=True, env=english)
    assert result.returncode == 1 and "give their folder with --out DIR" in result.stderr
    result = subprocess.run([*run, "--out", str(tmp_path)], capture_output=True, text=True, env=english)
    assert result.returncode == 1 and "--out goes with --z2jh" in result.stderr
    french = {**os.environ, "LANGUAGE": "fr"}
    result = subprocess.run([*run, "--image", "j:1"], capture_output=True, text=True, env=french)
    assert result.returncode == 1
    assert result.stderr.startswith("Erreur\u00a0: --image va avec --z2jh"), result.stderr


def test_every_refusal_of_a_set_up_is_said_in_french() -> None:
    wrong = z2jh.KubeSetup(image="journal", db=PurePosixPath("journal.db"), port=0, storage="lots")
    found = z2jh.problems(wrong)
    assert len(found) == 4
    for problem in found:
        english, french = problem.render("en"), problem.render("fr")
        assert french != english and "\u202f;" in french and "reçu\u00a0:" in french, french
    assert z2jh.problems(z2jh.KubeSetup(image="journal:1")) == []


def chart_values(chart: Path, *overrides: dict[str, Any]) -> dict[str, Any]:
    """The chart's defaults with values files on top, merged as Helm merges them (maps merge, the rest replaces)."""

    def merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
        merged = copy.deepcopy(base)
        for key, value in top.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = merge(merged[key], value)
            else:
                merged[key] = copy.deepcopy(value)
        return merged

    values: dict[str, Any] = yaml.safe_load((chart / "values.yaml").read_text(encoding="utf-8"))
    for override in overrides:
        values = merge(values, override)
    return values


@pytest.mark.skipif(
    not os.environ.get("JOURNAL_EXT_Z2JH_CHART"),
    reason="JOURNAL_EXT_Z2JH_CHART does not name an unpacked Zero to JupyterHub chart (helm pull --untar)",
)
def test_the_values_pass_the_charts_own_schema(tmp_path: Path) -> None:
    import jsonschema

    chart = Path(os.environ["JOURNAL_EXT_Z2JH_CHART"])
    assert yaml.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8"))["version"] in (
        z2jh.CHART_VERSION,
        "0.0.1-set.by.chartpress",  # a checkout of the chart's repository at its tag
    )
    schema = yaml.safe_load((chart / "values.schema.yaml").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    helm = load(write(tmp_path, "--image", "registry.example.org/journal-ext:0.1.0") / "values.yaml")[0]
    assert list(validator.iter_errors(chart_values(chart, helm))) == []
    # A key the chart doesn't have is caught, as helm would.
    wrong = copy.deepcopy(helm)
    wrong["singleuser"]["networkPolicies"] = wrong["singleuser"].pop("networkPolicy")
    assert [error.message for error in validator.iter_errors(chart_values(chart, wrong))] == [
        "Additional properties are not allowed ('networkPolicies' was unexpected)"
    ]

    # The keys recorded here are the schema's.
    def walk(allowed: dict[str, Any], node: dict[str, Any], path: str) -> None:
        for key, inner in allowed.items():
            assert key in node["properties"], path + key
            if inner:
                walk(inner, node["properties"][key], f"{path}{key}.")

    walk(CHART_KEYS, schema, "")


def test_the_containers_command_answers_its_probes(tmp_path: Path) -> None:
    """The Deployment's command and environment, started here: the probes' path answers on the container's port."""
    port = free_port()
    db = tmp_path / "volume" / "journal.db"
    folder = write(tmp_path, "--image", "j:1", "--port", str(port), "--db", str(db))
    deployment = by_kind(load(folder / "journal-service.yaml"))["Deployment"]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    environment = {entry["name"]: entry.get("value", "") for entry in container["env"]}
    # The Secret is the chart's: a stand-in token, which the health route does not need.
    environment["JUPYTERHUB_API_TOKEN"] = "stand-in-for-the-charts-secret"
    assert container["command"][0] == "journal-ext"
    log = tmp_path / "service.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "journal_ext", *container["command"][1:]],
            env={**os.environ, **environment},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        path = container["readinessProbe"]["httpGet"]["path"]
        url = f"http://127.0.0.1:{container['ports'][0]['containerPort']}{path}"
        answer = None
        deadline = time.monotonic() + 60
        while answer is None and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    answer = (response.status, json.loads(response.read()))
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        assert answer == (200, {"status": "ok"}), log.read_text()
        # The database is on the volume's folder, the service's alone.
        assert stat.S_IMODE(db.stat().st_mode) == 0o600
        # Without a hub token, the journal's API is closed.
        try:
            urllib.request.urlopen(url.replace("/health", "/journal/api/me"), timeout=5)
            raise AssertionError("the API answered without a token")
        except urllib.error.HTTPError as error:
            assert error.code == 403
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log.read_text()
    assert "journal service: stopped" in log.read_text()
