"""Offline checks of deploy/kubernetes/: `make lint` runs this module, tests/deploy/ tests it.

Every resource the kustomization lists is validated against the Kubernetes JSON schemas that
kubernetes-validate bundles, strictly (an unknown field fails), for each minor version in
KUBERNETES_VERSIONS. The ServiceMonitor is a CRD those schemas lack: it is validated against
servicemonitor.schema.json beside this file. Then the base is checked for what the schemas cannot
see: every file listed, names that resolve, locked-down pods.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import kubernetes_validate  # type: ignore[import-untyped]
import kubernetes_validate.utils  # type: ignore[import-untyped]
import yaml  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[2]
BASE = REPO / "deploy" / "kubernetes"
KUBERNETES_VERSIONS = tuple(f"1.{minor}.0" for minor in range(30, 38))
CRD_SCHEMAS = {("monitoring.coreos.com/v1", "ServiceMonitor"): "servicemonitor.schema.json"}
WORKLOADS = {"Deployment", "Job", "CronJob"}

Resource = dict[str, Any]

# kubernetes-validate opens and parses its schema files on every call, its 1.3 MB definitions
# included: 80 times a check, 1.1 s of CPU. The files never change, so each is read once (0.15 s).
kubernetes_validate.utils.schema_contents = cache(kubernetes_validate.utils.schema_contents)


def kustomization(base: Path = BASE) -> Resource:
    loaded: Resource = yaml.safe_load((base / "kustomization.yaml").read_text())
    return loaded


def listing_problems(base: Path = BASE) -> list[str]:
    """Every manifest in the directory is listed in the kustomization, and only those."""
    listed = set(kustomization(base)["resources"])
    present = {path.name for path in base.glob("*.yaml")} - {"kustomization.yaml"}
    return [f"{name}: not listed in kustomization.yaml" for name in sorted(present - listed)] + [
        f"{name}: listed in kustomization.yaml but missing" for name in sorted(listed - present)
    ]


def resources(base: Path = BASE) -> list[tuple[str, Resource]]:
    """(file name, resource) for every document of every listed file."""
    found = []
    for name in kustomization(base)["resources"]:
        for document in yaml.safe_load_all((base / name).read_text()):
            if document:
                found.append((name, document))
    return found


def schema_problems(name: str, resource: Resource) -> list[str]:
    """What the Kubernetes schemas (or, for a CRD, the vendored one) say against a resource."""
    where = f"{name}: {resource.get('kind')}/{resource.get('metadata', {}).get('name')}"
    crd_schema = CRD_SCHEMAS.get((str(resource.get("apiVersion")), str(resource.get("kind"))))
    if crd_schema is not None:
        validator = jsonschema.Draft202012Validator(_vendored(crd_schema))
        return [
            f"{where}: {_path(error)}: {error.message}" for error in validator.iter_errors(resource)
        ]
    problems = []
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(resource, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            problems.append(f"{where}: Kubernetes {version}: {_path(error)}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError:
            problems.append(f"{where}: no schema in Kubernetes {version} (nor a vendored one)")
    return problems


def consistency_problems(found: list[tuple[str, Resource]]) -> list[str]:
    """Names that must resolve inside the base, and the pod rules every workload keeps."""
    by_kind: dict[str, dict[str, Resource]] = {}
    for _, resource in found:
        by_kind.setdefault(resource["kind"], {})[resource["metadata"]["name"]] = resource
    problems = []
    for _, resource in found:
        where = f"{resource['kind']}/{resource['metadata']['name']}"
        if resource["kind"] in WORKLOADS:
            problems += [f"{where}: {problem}" for problem in _pod_problems(resource, by_kind)]
    services = by_kind.get("Service", {})
    deployments = by_kind.get("Deployment", {})
    for name, service in services.items():
        if not any(_selects(service["spec"]["selector"], d) for d in deployments.values()):
            problems.append(f"Service/{name}: selects no Deployment's pods")
    for name, monitor in by_kind.get("ServiceMonitor", {}).items():
        wanted = monitor["spec"]["selector"].get("matchLabels", {})
        targets = [
            s for s in services.values() if wanted.items() <= s["metadata"]["labels"].items()
        ]
        ports = {port.get("name") for target in targets for port in target["spec"]["ports"]}
        if not targets:
            problems.append(f"ServiceMonitor/{name}: selects no Service")
        for endpoint in monitor["spec"]["endpoints"]:
            if "port" in endpoint and endpoint["port"] not in ports:
                problems.append(f"ServiceMonitor/{name}: no Service port {endpoint['port']!r}")
    for name, scaler in by_kind.get("HorizontalPodAutoscaler", {}).items():
        if scaler["spec"]["scaleTargetRef"]["name"] not in deployments:
            problems.append(f"HorizontalPodAutoscaler/{name}: scales no Deployment of the base")
    for name, budget in by_kind.get("PodDisruptionBudget", {}).items():
        if not any(
            _selects(budget["spec"]["selector"]["matchLabels"], d) for d in deployments.values()
        ):
            problems.append(f"PodDisruptionBudget/{name}: covers no Deployment's pods")
    return problems


def _pod_problems(workload: Resource, by_kind: dict[str, dict[str, Resource]]) -> Iterator[str]:
    pod = _pod_spec(workload)
    if pod.get("automountServiceAccountToken") is not False:
        yield "mounts a service account token"
    if pod.get("securityContext", {}).get("runAsNonRoot") is not True:
        yield "pod may run as root (securityContext.runAsNonRoot)"
    volumes = {volume["name"] for volume in pod.get("volumes", [])}
    for container in pod["containers"]:
        name = container["name"]
        security = container.get("securityContext", {})
        if security.get("readOnlyRootFilesystem") is not True:
            yield f"{name}: root filesystem is writable"
        if security.get("allowPrivilegeEscalation") is not False:
            yield f"{name}: may escalate privileges"
        if security.get("capabilities", {}).get("drop") != ["ALL"]:
            yield f"{name}: keeps Linux capabilities"
        resources = container.get("resources", {})
        if not {"cpu", "memory"} <= resources.get("requests", {}).keys():
            yield f"{name}: no CPU and memory request"
        if "memory" not in resources.get("limits", {}):
            yield f"{name}: no memory limit"
        if container.get("image") != "termsgate":
            yield f"{name}: image is not `termsgate` (the kustomization's images entry sets it)"
        mounts = {mount["mountPath"]: mount["name"] for mount in container.get("volumeMounts", [])}
        if mounts.get("/tmp") not in volumes:
            yield f"{name}: /tmp is not a writable volume"
        for variable in container.get("env", []):
            if variable["name"] == "PROMETHEUS_MULTIPROC_DIR" and not any(
                variable["value"].startswith(f"{path}/") for path in mounts
            ):
                yield f"{name}: PROMETHEUS_MULTIPROC_DIR is not on a mounted volume"
            key_ref = variable.get("valueFrom", {}).get("secretKeyRef")
            if key_ref:
                secret = by_kind.get("Secret", {}).get(key_ref["name"])
                if secret is None or key_ref["key"] not in secret.get("stringData", {}):
                    yield f"{name}: Secret {key_ref['name']} has no key {key_ref['key']}"
        for source in container.get("envFrom", []):
            config_map = source.get("configMapRef", {}).get("name")
            if config_map and config_map not in by_kind.get("ConfigMap", {}):
                yield f"{name}: no ConfigMap {config_map}"


def _pod_spec(workload: Resource) -> Resource:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    pod: Resource = spec["template"]["spec"]
    return pod


def _selects(selector: dict[str, str], deployment: Resource) -> bool:
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    return bool(selector) and selector.items() <= labels.items()


@cache
def _vendored(file_name: str) -> Resource:
    loaded: Resource = json.loads((Path(__file__).parent / file_name).read_text())
    return loaded


def _path(error: jsonschema.ValidationError) -> str:
    return ".".join(str(step) for step in error.absolute_path) or "(top)"


def problems(base: Path = BASE) -> list[str]:
    """Everything wrong with the base, or nothing."""
    found = resources(base)
    schema = [problem for name, resource in found for problem in schema_problems(name, resource)]
    return listing_problems(base) + schema + consistency_problems(found)


def main() -> int:
    found = problems()
    if found:
        sys.stderr.write("".join(f"{problem}\n" for problem in found))
        return 1
    versions = f"{KUBERNETES_VERSIONS[0]} to {KUBERNETES_VERSIONS[-1]}"
    sys.stdout.write(
        f"deploy/kubernetes: {len(resources())} resources valid for Kubernetes {versions} "
        f"(kubernetes-validate {kubernetes_validate.__version__}) and consistent\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
