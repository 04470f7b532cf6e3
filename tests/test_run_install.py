"""`make run` installs what running needs (the runtime lock), and the checks add the dev tools."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]
PINNED = re.compile(r"^([A-Za-z0-9._-]+)==", re.MULTILINE)


def _planned(target: str) -> str:
    """The commands `make` would run for `target` on a fresh clone (nothing is run)."""
    done = subprocess.run(
        ["make", "-n", "-B", target], cwd=REPO, capture_output=True, text=True, check=True
    )
    return done.stdout


def _locked(lock: str) -> set[str]:
    text = (REPO / "requirements" / lock).read_text()
    return {_normal(name) for name in PINNED.findall(text)}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_make_run_installs_the_runtime_lock_and_not_the_dev_tools() -> None:
    planned = _planned("run")
    assert "requirements/runtime.lock" in planned
    assert "requirements/dev.lock" not in planned


def test_the_checks_install_the_dev_tools_on_top() -> None:
    for target in ("typecheck", "lint", "pytest"):
        planned = _planned(target)
        assert "requirements/runtime.lock" in planned, target
        assert "requirements/dev.lock" in planned, target


def test_the_runtime_lock_holds_every_distribution_the_app_imports() -> None:
    """Each third-party module under app/ and migrations/ comes from a runtime-locked
    distribution, and so does every extra of uvicorn[standard]."""
    runtime = _locked("runtime.lock")
    owners = metadata.packages_distributions()
    needed: dict[str, str] = {}
    for source in [*REPO.glob("app/**/*.py"), *REPO.glob("migrations/**/*.py")]:
        for node in ast.walk(ast.parse(source.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in {"app", "migrations"}:
                    continue
                for distribution in owners.get(top, [top]):
                    needed[_normal(distribution)] = f"{top} in {source.relative_to(REPO)}"
    uvicorn = metadata.requires("uvicorn") or []
    for line in uvicorn:
        requirement = Requirement(line)
        if requirement.marker is not None and requirement.marker.evaluate({"extra": "standard"}):
            needed[_normal(requirement.name)] = "uvicorn[standard]"
    missing = {name: why for name, why in needed.items() if name not in runtime}
    assert not missing
    assert {"uvloop", "httptools", "websockets", "watchfiles"} <= set(needed)


def test_the_runtime_and_dev_locks_pin_the_same_versions() -> None:
    """The dev lock goes on top of the runtime lock: it must never move a runtime pin."""
    pins = {}
    for lock in ("runtime.lock", "dev.lock"):
        text = (REPO / "requirements" / lock).read_text()
        pins[lock] = {
            _normal(name): version
            for name, version in re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", text, re.MULTILINE)
        }
    moved = {
        name: (version, pins["dev.lock"].get(name))
        for name, version in pins["runtime.lock"].items()
        if pins["dev.lock"].get(name) != version
    }
    assert not moved
