"""The container and Kubernetes files pass their validators, and the validators catch mistakes.

`make lint` runs the same checks (hadolint, tests/deploy/manifests.py); these keep them honest:
each kind of mistake is planted in a copy of the base and must be reported.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from tests.deploy import manifests

DOCKERFILE = manifests.REPO / "Dockerfile"
DOCKERIGNORE = manifests.REPO / ".dockerignore"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    copy = tmp_path / "kubernetes"
    shutil.copytree(manifests.BASE, copy)
    return copy


def change(base: Path, file_name: str, edit: Callable[[dict[str, Any]], None]) -> None:
    """Apply edit to the first document of one manifest in the copied base."""
    path = base / file_name
    documents = list(yaml.safe_load_all(path.read_text()))
    edit(documents[0])
    path.write_text(yaml.safe_dump_all(documents))


def api_container(deployment: dict[str, Any]) -> dict[str, Any]:
    container: dict[str, Any] = deployment["spec"]["template"]["spec"]["containers"][0]
    return container


def test_the_base_is_valid_and_consistent() -> None:
    assert manifests.problems() == []


def test_the_base_holds_every_resource_the_issue_asks_for() -> None:
    kinds = sorted(resource["kind"] for _, resource in manifests.resources())
    assert kinds == sorted(
        ["ServiceAccount", "ConfigMap", "Secret", "Job", "Deployment", "Deployment", "CronJob"]
        + ["HorizontalPodAutoscaler", "PodDisruptionBudget"]
        # The API's and the relay's metrics are each scraped through a Service.
        + ["Service", "ServiceMonitor"] * 2
        + ["NetworkPolicy"] * 3
    )


def test_a_manifest_missing_from_the_kustomization_is_reported(base: Path) -> None:
    (base / "ingress.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n")
    assert manifests.problems(base) == ["ingress.yaml: not listed in kustomization.yaml"]


def test_an_unknown_field_fails_the_kubernetes_schemas(base: Path) -> None:
    def misspell(deployment: dict[str, Any]) -> None:
        container = api_container(deployment)
        container["readinesProbe"] = container.pop("readinessProbe")

    change(base, "api-deployment.yaml", misspell)
    found = manifests.problems(base)
    assert len(found) == len(manifests.KUBERNETES_VERSIONS)
    assert all("readinesProbe" in problem for problem in found)


def test_a_servicemonitor_typo_fails_its_vendored_schema(base: Path) -> None:
    def misspell(monitor: dict[str, Any]) -> None:
        monitor["spec"]["endpoints"][0]["intervall"] = "15s"

    change(base, "api-servicemonitor.yaml", misspell)
    [problem] = manifests.problems(base)
    assert "ServiceMonitor/termsgate-api" in problem
    assert "intervall" in problem


def test_a_writable_root_filesystem_is_reported(base: Path) -> None:
    def loosen(deployment: dict[str, Any]) -> None:
        api_container(deployment)["securityContext"]["readOnlyRootFilesystem"] = False

    change(base, "api-deployment.yaml", loosen)
    assert manifests.problems(base) == [
        "Deployment/termsgate-api: api: root filesystem is writable"
    ]


def test_a_secret_without_the_database_url_is_reported(base: Path) -> None:
    def rename(secret: dict[str, Any]) -> None:
        secret["stringData"] = {"DATABASE_URL": secret["stringData"]["TERMSGATE_DATABASE_URL"]}

    change(base, "secret.yaml", rename)
    found = manifests.problems(base)
    assert len(found) == 4  # the API, the relay, the migration and the nightly run
    assert all("has no key TERMSGATE_DATABASE_URL" in problem for problem in found)


def test_a_servicemonitor_on_a_port_the_service_lacks_is_reported(base: Path) -> None:
    def repoint(monitor: dict[str, Any]) -> None:
        monitor["spec"]["endpoints"][0]["port"] = "metrics"

    change(base, "api-servicemonitor.yaml", repoint)
    assert manifests.problems(base) == ["ServiceMonitor/termsgate-api: no Service port 'metrics'"]


def test_the_api_runs_migration_free_relay_free_and_probed_on_health() -> None:
    [deployment] = [
        resource
        for _, resource in manifests.resources()
        if resource["kind"] == "Deployment" and resource["metadata"]["name"] == "termsgate-api"
    ]
    container = api_container(deployment)
    assert deployment["spec"]["replicas"] == 3
    assert {"--no-migrate", "--no-relay"} <= set(container["args"])
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz/live"


def test_the_dockerfile_passes_hadolint() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run(
        [str(hadolint), "--no-color", "--failure-threshold", "style", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_serves_as_a_non_root_user_with_a_health_check() -> None:
    text = DOCKERFILE.read_text()
    bases = re.findall(r"^FROM (\S+)", text, flags=re.MULTILINE)
    assert len(bases) == 2
    assert len(set(bases)) == 1, "builder and final stage must share one base"
    assert re.search(r"^USER \$\{UID\}:\$\{UID\}$", text, flags=re.MULTILINE)
    assert "/healthz/live" in text.split("HEALTHCHECK", 1)[1].split("\n\n", 1)[0]
    assert 'ENTRYPOINT ["termsgate"]' in text
    assert "--require-hashes" in text


def test_the_build_context_holds_only_what_the_dockerfile_copies() -> None:
    rules = [
        line
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    admitted = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    copied = {
        source.rstrip("/")
        for line in DOCKERFILE.read_text().splitlines()
        if line.startswith("COPY ") and "--from=" not in line
        for source in line.split()[1:-1]
    }
    assert rules[0] == "*"
    assert admitted == copied
