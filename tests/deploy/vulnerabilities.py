"""Known vulnerabilities in the pinned dependencies: `make lint` runs this module over the locks.

pip-audit reads the hashed locks as they are (no resolver, no pip) and asks PyPI for each pin's
advisories, which PyPI takes from the OSV database. Some networks reach PyPI's project pages but
not its per-release ones (this workplace's does: pip-audit then skips every pin as "not found").
A pin pip-audit skipped is looked up once more in its project's JSON, whose advisories are those
of the project's latest release: exactly the pin's own when the pin is that release. A pin that
neither could check is named, not passed over in silence.

Exit status: 1 if any pin has a known vulnerability, 2 if no pin could be checked at all,
0 otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
LOCKS = tuple(REPO / "requirements" / f"{name}.lock" for name in ("runtime", "build", "dev"))
PROJECT_JSON = "https://pypi.org/pypi/{name}/json"
TIMEOUT_SECONDS = 30.0


@dataclass(slots=True)
class Findings:
    checked_by_pip_audit: list[str] = field(default_factory=list)
    checked_by_project_json: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # "name==pin (why)"
    vulnerable: list[str] = field(default_factory=list)  # "name==pin: ID (fixed in ...)"

    @property
    def checked(self) -> int:
        return len(self.checked_by_pip_audit) + len(self.checked_by_project_json)


def pins(locks: Iterable[Path]) -> dict[str, str]:
    """name -> pinned version, from the `name==version` lines of the locks."""
    found: dict[str, str] = {}
    for lock in locks:
        for line in lock.read_text().splitlines():
            if line and not line[0].isspace() and "==" in line and not line.startswith("#"):
                name, _, rest = line.partition("==")
                found[_canonical(name)] = rest.split()[0]
    return found


def audit(locks: Sequence[Path]) -> Findings:
    findings = Findings()
    pinned = pins(locks)
    skipped: list[str] = []
    for dependency in _pip_audit(locks):
        name = _canonical(dependency["name"])
        if "skip_reason" in dependency:
            skipped.append(name)
            continue
        findings.checked_by_pip_audit.append(name)
        for vuln in dependency.get("vulns", []):
            findings.vulnerable.append(_described(name, dependency["version"], vuln))
    with httpx.Client(timeout=TIMEOUT_SECONDS) as client, ThreadPoolExecutor(8) as pool:
        answers = pool.map(lambda name: _project(client, name), skipped)
        for name, project in zip(skipped, answers, strict=True):
            pin = pinned.get(name, "?")
            if project is None:
                findings.unchecked.append(f"{name}=={pin} (no answer from PyPI)")
            elif project["info"]["version"] != pin:
                latest = project["info"]["version"]
                findings.unchecked.append(f"{name}=={pin} (not the latest release, {latest})")
            else:
                findings.checked_by_project_json.append(name)
                for vuln in project.get("vulnerabilities", []):
                    if not vuln.get("withdrawn"):
                        findings.vulnerable.append(_described(name, pin, vuln))
    return findings


def _pip_audit(locks: Sequence[Path]) -> list[dict[str, Any]]:
    command = [sys.executable, "-m", "pip_audit", "--require-hashes", "--disable-pip"]
    command += ["--format", "json", "--progress-spinner", "off"]
    for lock in locks:
        command += ["-r", str(lock)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"pip-audit failed (exit {done.returncode}):\n{done.stderr}") from None
    dependencies: list[dict[str, Any]] = report["dependencies"]
    return dependencies


def _project(client: httpx.Client, name: str) -> dict[str, Any] | None:
    try:
        answer = client.get(PROJECT_JSON.format(name=name))
    except httpx.HTTPError:
        return None
    if answer.status_code != 200:
        return None
    project: dict[str, Any] = answer.json()
    return project


def _described(name: str, version: str, vuln: dict[str, Any]) -> str:
    fixed = ", ".join(vuln.get("fix_versions") or vuln.get("fixed_in") or []) or "no fix"
    return f"{name}=={version}: {vuln['id']} (fixed in: {fixed})"


def _canonical(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(".", "-")


def main(argv: Sequence[str]) -> int:
    locks = [Path(arg) for arg in argv] or list(LOCKS)
    findings = audit(locks)
    total = findings.checked + len(findings.unchecked)
    print(
        f"pip-audit: {findings.checked} of {total} pins checked "
        f"({len(findings.checked_by_pip_audit)} by pip-audit, "
        f"{len(findings.checked_by_project_json)} from the project's PyPI JSON)"
    )
    for line in findings.unchecked:
        print(f"  not checked: {line}")
    for line in findings.vulnerable:
        print(f"  VULNERABLE {line}")
    if findings.vulnerable:
        print(f"{len(findings.vulnerable)} known vulnerabilities: update the lock")
        return 1
    if findings.checked == 0:
        print("no pin could be checked: is PyPI reachable?")
        return 2
    print("no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
