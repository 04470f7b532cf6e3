"""The house's walls: the import contracts hold, and the boundary contract catches a crossing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
from importlinter import ContractCheck

from tests.support.boundaries import DomainBoundaries

ROOT = Path(__file__).resolve().parents[2]


def check(imports: list[tuple[str, str]]) -> ContractCheck:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_module(importer)
        graph.add_module(imported)
        graph.add_import(importer=importer, imported=imported, line_number=7, line_contents="x")
    contract = DomainBoundaries(
        name="boundaries",
        session_options={},
        contract_options={"domains": ["app.invoices", "app.terms"], "public": ["service"]},
    )
    return contract.check(graph, verbose=False)


def test_a_domain_importing_another_domains_service_keeps_the_contract() -> None:
    assert check([("app.invoices.service", "app.terms.service")]).kept


def test_a_domain_importing_another_domains_repository_breaks_the_contract() -> None:
    found = check(
        [
            ("app.invoices.service", "app.terms.service"),
            ("app.invoices.service", "app.terms.repository"),
        ]
    )
    assert not found.kept
    assert [(c["importer"], c["imported"]) for c in found.metadata["crossings"]] == [
        ("app.invoices.service", "app.terms.repository")
    ]


def test_a_domain_importing_its_own_repository_keeps_the_contract() -> None:
    assert check([("app.terms.service", "app.terms.repository")]).kept


def test_the_app_keeps_every_import_contract() -> None:
    linted = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout
    assert "0 broken" in linted.stdout
