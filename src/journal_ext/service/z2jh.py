"""The journal service on Kubernetes with Zero to JupyterHub, as ``journal-ext hub-config --z2jh`` writes it.

In Zero to JupyterHub the hub runs in its own pod and can't start a
managed service under a unix user of its own, so the service is a
Deployment of its own (one replica, its database on a ReadWriteOnce
volume), reached through a Service, and registered with the hub as an
external service (``hub.services.journal`` with a ``url``). The chart
generates the service's API token and keeps it in its ``hub`` Secret, under
``hub.services.journal.apiToken``; the service's pod reads it from there, so
no token is ever written to a file.

Four files, for an administrator to read before applying them:

- ``values.yaml``: Helm values to add to the chart's (``--values``): the
  service, the roles' scopes, the users' image and environment, and the
  network policies' egress rules that let user servers, the hub and the
  proxy reach the service;
- ``journal-data.yaml``: the database's PersistentVolumeClaim, apart, so that
  deleting the service never deletes the journal;
- ``journal-service.yaml``: the service's Deployment, Service and
  NetworkPolicy;
- ``Dockerfile``: the image of user servers and of the service (the chart's
  own user image plus journal_ext), built beside journal_ext's wheel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from journal_ext import __version__
from journal_ext.i18n import Message, message
from journal_ext.service.hubconfig import DEFAULT_DB, DEFAULT_PORT, SERVER_SCOPES, SERVICE_NAME, USER_SCOPES

# The chart these files are written for, and the oldest Kubernetes it supports (its kubeVersion).
CHART_VERSION = "4.4.0"
KUBERNETES_VERSION = "1.28"
# The chart's base user image for that version: Python 3.12, JupyterLab 4, JupyterHub 5, user jovyan.
BASE_IMAGE = f"quay.io/jupyterhub/k8s-singleuser-sample:{CHART_VERSION}"
USER_UID = 1000
USER_GID = 100

# The chart's hub: Deployment, Service and Secret are all "hub" (fullnameOverride: "", the chart's default).
HUB_NAME = "hub"
HUB_PORT = 8081
# The chart's pods, as its own network policies select them (the labels app/component, kept in chart 4).
CHART_APP = "jupyterhub"
SINGLEUSER_COMPONENT = "singleuser-server"
HUB_COMPONENT = "hub"
PROXY_COMPONENT = "proxy"

# The Kubernetes objects of the service.
KUBE_NAME = SERVICE_NAME
VOLUME_CLAIM = f"{SERVICE_NAME}-data"
CONTAINER = SERVICE_NAME
PORT_NAME = "http"
SELECTOR = {"app.kubernetes.io/name": "journal-ext", "app.kubernetes.io/component": "journal-service"}
DEFAULT_STORAGE = "5Gi"
# The database in the service's container (the volume is mounted at its folder).
POD_DB = PurePosixPath(DEFAULT_DB.as_posix())

VALUES_FILE = "values.yaml"
DATA_FILE = "journal-data.yaml"
SERVICE_FILE = "journal-service.yaml"
DOCKERFILE = "Dockerfile"

# An image reference with its tag: [registry[:port]/]path:tag.
IMAGE_PATTERN = re.compile(
    r"^(?P<name>(?:[a-z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:[._/-][a-z0-9]+)*):(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$"
)
QUANTITY_PATTERN = re.compile(r"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")


@dataclass(frozen=True)
class KubeSetup:
    """The service's image, database file, port and volume, and the hub's base URL."""

    image: str
    db: PurePosixPath = POD_DB
    port: int = DEFAULT_PORT
    base_url: str = "/"
    storage: str = DEFAULT_STORAGE

    @property
    def image_name(self) -> str:
        return self._image()["name"]

    @property
    def image_tag(self) -> str:
        return self._image()["tag"]

    def _image(self) -> dict[str, str]:
        found = IMAGE_PATTERN.match(self.image)
        if found is None:
            raise ValueError(self.image)
        return {"name": found["name"], "tag": found["tag"]}

    @property
    def prefix(self) -> str:
        """The service's URL prefix, as the hub's proxy routes it."""
        return f"{self.base_url}services/{SERVICE_NAME}/"

    @property
    def url(self) -> str:
        """Where the hub, its proxy and user servers reach the service: its Kubernetes Service."""
        return f"http://{KUBE_NAME}:{self.port}"

    @property
    def service_url(self) -> str:
        """The service's address with its prefix, as user servers call it."""
        return f"{self.url}{self.prefix}"

    @property
    def hub_api_url(self) -> str:
        """The hub's API, where the service checks its callers' tokens."""
        return f"http://{HUB_NAME}:{HUB_PORT}{self.base_url}hub/api"

    @property
    def health_path(self) -> str:
        return f"{self.prefix}health"

    @property
    def command(self) -> list[str]:
        """The service's command in its container."""
        return [
            "journal-ext",
            "serve",
            "--db",
            str(self.db),
            "--ip",
            "0.0.0.0",
            "--port",
            str(self.port),
            "--prefix",
            self.prefix,
            # A checked backup a day on the database's volume, the last week kept (journal-ext restore puts one back).
            "--backup-dir",
            str(self.db.parent / "backups"),
            "--backup-every",
            "1d",
            "--backup-keep",
            "7",
        ]


def problems(setup: KubeSetup) -> list[Message]:
    """What is wrong with a set-up, in words the CLI shows in the reader's language; empty if nothing."""
    found: list[Message] = []
    try:
        setup._image()
    except ValueError:
        found.append(
            message(
                "--image must be NAME:TAG, such as registry.example.org/journal-ext:{version}; got {value}",
                version=__version__,
                value=setup.image,
            )
        )
    if not setup.db.is_absolute() or len(setup.db.parts) < 3 or ".." in setup.db.parts:
        found.append(
            message(
                "--db must be an absolute path in a folder of the service's container, such as {example}; got {value}",
                example=str(POD_DB),
                value=str(setup.db),
            )
        )
    if not QUANTITY_PATTERN.match(setup.storage):
        found.append(message("--storage must be a size such as 5Gi; got {value}", value=setup.storage))
    if not 0 < setup.port < 65536:
        found.append(message("--port must be between 1 and 65535; got {value}", value=setup.port))
    return found


def base_url(value: str) -> str:
    """A hub base URL as the chart's hub.baseUrl: one leading and one trailing slash."""
    inner = value.strip().strip("/")
    return f"/{inner}/" if inner else "/"


def _chart_pods(component: str) -> dict[str, Any]:
    return {"podSelector": {"matchLabels": {"app": CHART_APP, "component": component}}}


def _to_service(setup: KubeSetup) -> dict[str, Any]:
    """An egress rule: to the journal service's pod, on its port."""
    return {
        "to": [{"podSelector": {"matchLabels": dict(SELECTOR)}}],
        "ports": [{"port": setup.port, "protocol": "TCP"}],
    }


def values(setup: KubeSetup) -> dict[str, Any]:
    """The Helm values to add to the chart's: the service, the scopes, the users' image and environment."""
    access = f"access:services!service={SERVICE_NAME}"
    return {
        "hub": {
            "services": {
                # No api_token: the chart makes one and keeps it in its Secret, which the service's pod reads.
                SERVICE_NAME: {"url": setup.url, "display": False},
            },
            "loadRoles": {
                # Every user's server and kernels (the server's token), and tokens people make
                # themselves, may call the service; it answers as the token's owner.
                "server": {"scopes": [*SERVER_SCOPES, access]},
                "user": {"scopes": [*USER_SCOPES, access]},
            },
            # The hub checks the service when it starts.
            "networkPolicy": {"egress": [_to_service(setup)]},
        },
        # The proxy routes the hub's /services/journal/ to the service.
        "proxy": {"chp": {"networkPolicy": {"egress": [_to_service(setup)]}}},
        "singleuser": {
            "image": {"name": setup.image_name, "tag": setup.image_tag},
            # User servers find the service here; they open no database file.
            "extraEnv": {"JOURNAL_EXT_SERVICE_URL": setup.service_url},
            "networkPolicy": {"egress": [_to_service(setup)]},
        },
    }


def _labels() -> dict[str, str]:
    return {**SELECTOR, "app.kubernetes.io/version": __version__}


def volume_claim(setup: KubeSetup) -> dict[str, Any]:
    """The database's volume: one node at a time mounts it, and only the service's pod does."""
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": VOLUME_CLAIM, "labels": _labels()},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": setup.storage}}},
    }


def deployment(setup: KubeSetup) -> dict[str, Any]:
    """The service: one pod, stopped before another starts (the volume is ReadWriteOnce, the writer one)."""
    probe = {"httpGet": {"path": setup.health_path, "port": PORT_NAME}}
    environment = [
        {
            "name": "JUPYTERHUB_API_TOKEN",
            "valueFrom": {"secretKeyRef": {"name": HUB_NAME, "key": f"hub.services.{SERVICE_NAME}.apiToken"}},
        },
        {"name": "JUPYTERHUB_API_URL", "value": setup.hub_api_url},
        {"name": "JUPYTERHUB_SERVICE_NAME", "value": SERVICE_NAME},
        {"name": "JUPYTERHUB_SERVICE_PREFIX", "value": setup.prefix},
        {"name": "JUPYTERHUB_BASE_URL", "value": setup.base_url},
    ]
    container = {
        "name": CONTAINER,
        "image": setup.image,
        "command": setup.command,
        "env": environment,
        "ports": [{"name": PORT_NAME, "containerPort": setup.port, "protocol": "TCP"}],
        # Opening (and migrating) a large database may take a while; then the pod must answer.
        "startupProbe": {**probe, "periodSeconds": 5, "failureThreshold": 60},
        "readinessProbe": {**probe, "periodSeconds": 10},
        "livenessProbe": {**probe, "periodSeconds": 20, "failureThreshold": 3},
        "volumeMounts": [{"name": VOLUME_CLAIM, "mountPath": str(setup.db.parent)}],
        "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"memory": "2Gi"}},
        "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
    }
    pod_labels = {
        **_labels(),
        # The hub's own network policy lets in pods labelled so: the service asks it about tokens.
        "hub.jupyter.org/network-access-hub": "true",
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": KUBE_NAME, "labels": _labels()},
        "spec": {
            "replicas": 1,
            "strategy": {"type": "Recreate"},
            "selector": {"matchLabels": dict(SELECTOR)},
            "template": {
                "metadata": {"labels": pod_labels},
                "spec": {
                    "automountServiceAccountToken": False,
                    "securityContext": {
                        "runAsUser": USER_UID,
                        "runAsGroup": USER_GID,
                        "runAsNonRoot": True,
                        "fsGroup": USER_GID,
                        # Leave the database's mode (0600) alone once the volume is the service's.
                        "fsGroupChangePolicy": "OnRootMismatch",
                    },
                    "containers": [container],
                    "volumes": [{"name": VOLUME_CLAIM, "persistentVolumeClaim": {"claimName": VOLUME_CLAIM}}],
                },
            },
        },
    }


def service(setup: KubeSetup) -> dict[str, Any]:
    """The service's address in the cluster: http://journal:<port>."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": KUBE_NAME, "labels": _labels()},
        "spec": {
            "type": "ClusterIP",
            "selector": dict(SELECTOR),
            "ports": [{"name": PORT_NAME, "port": setup.port, "targetPort": PORT_NAME, "protocol": "TCP"}],
        },
    }


def network_policy(setup: KubeSetup) -> dict[str, Any]:
    """Who may reach the service (user servers, the hub, its proxy), and what it may reach (the hub's API, DNS)."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": KUBE_NAME, "labels": _labels()},
        "spec": {
            "podSelector": {"matchLabels": dict(SELECTOR)},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [
                {
                    "from": [
                        _chart_pods(SINGLEUSER_COMPONENT),
                        _chart_pods(HUB_COMPONENT),
                        _chart_pods(PROXY_COMPONENT),
                    ],
                    "ports": [{"port": setup.port, "protocol": "TCP"}],
                }
            ],
            "egress": [
                {"to": [_chart_pods(HUB_COMPONENT)], "ports": [{"port": HUB_PORT, "protocol": "TCP"}]},
                {"ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]},
            ],
        },
    }


def dockerfile(setup: KubeSetup) -> str:
    """The image of user servers and of the service: the chart's user image plus journal_ext."""
    wheel = f"journal_ext-{__version__}-py3-none-any.whl"
    return f"""# journal_ext {__version__}: the image of user servers and of the journal service,
# written by `journal-ext hub-config --z2jh`. Build it from this folder, with journal_ext's
# wheel beside this file (pip wheel --no-deps --wheel-dir <this folder> <a clone of journal_ext>),
# tag it {setup.image} and push it where the cluster pulls images from.
#
# The base is Zero to JupyterHub {CHART_VERSION}'s own user image: Python, JupyterLab 4,
# JupyterHub, the user jovyan (uid {USER_UID}; the service's pod runs as it, with group {USER_GID}).
FROM {BASE_IMAGE}

USER root
# WeasyPrint (PDF exports) draws text with Pango.
RUN apt-get update \\
 && apt-get install --yes --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \\
 && rm -rf /var/lib/apt/lists/*
COPY {wheel} /tmp/wheels/
RUN python -m pip install --no-cache-dir "/tmp/wheels/{wheel}[hub]" \\
 && rm -rf /tmp/wheels

USER {USER_UID}
"""


def _header(setup: KubeSetup, what: str) -> str:
    return (
        f"# journal_ext {__version__}: {what}, written by `journal-ext hub-config --z2jh`\n"
        f"# for Zero to JupyterHub {CHART_VERSION} (service {SERVICE_NAME}, {setup.url}{setup.prefix}).\n"
    )


class _PlainDumper(yaml.SafeDumper):
    """YAML an administrator reads: every value written out where it is, no anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(document: Any) -> str:
    return yaml.dump(
        document, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120
    )


def files(setup: KubeSetup) -> dict[str, str]:
    """The deployment's files, by name: their text."""
    return {
        VALUES_FILE: _header(setup, "Helm values to add to yours (helm upgrade ... --values config.yaml --values this)")
        + _dump(values(setup)),
        DATA_FILE: _header(setup, "the journal database's volume (apply once; never delete it with the service)")
        + _dump(volume_claim(setup)),
        SERVICE_FILE: _header(setup, "the journal service's Deployment, Service and NetworkPolicy")
        + "---\n".join(_dump(document) for document in (deployment(setup), service(setup), network_policy(setup))),
        DOCKERFILE: dockerfile(setup),
    }


def write(setup: KubeSetup, folder: Path) -> list[Path]:
    """Write the deployment's files into ``folder`` (made if needed); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files(setup).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
