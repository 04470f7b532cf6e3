"""The figures the reliability tests measure, shown together at the end of the run.

A test takes the `figure` fixture and records what it measured under its issue item:
`figure("3", "orphan rows after 100 injected failures", 0)`. The terminal summary prints one
table; with TERMSGATE_FIGURES_FILE set, the same rows are also written there as JSON lines
(docs/figures/reliability.jsonl feeds the docs' Reliability page), each with the test that
measured it and the date.

A figure travels with its test's report (as a user property), so under pytest-xdist the
controller collects every worker's figures and writes the one table and the one file.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import pytest

Figure = Callable[[str, str, object], None]

_PROPERTY = "termsgate-figure"


@dataclass(frozen=True, slots=True)
class Measured:
    item: str
    name: str
    value: str
    test: str
    date: str = field(default_factory=lambda: datetime.date.today().isoformat())


_measured: list[Measured] = []


@pytest.fixture
def figure(request: pytest.FixtureRequest) -> Figure:
    """Record a figure: figure(item, what, value)."""

    def record(item: str, name: str, value: object) -> None:
        measured = Measured(item, name, str(value), request.node.nodeid)
        request.node.user_properties.append((_PROPERTY, asdict(measured)))

    return record


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # Every phase's report carries the properties so far; the teardown report has them all.
    if report.when != "teardown":
        return
    for name, value in report.user_properties:
        if name == _PROPERTY and isinstance(value, dict):
            _measured.append(Measured(**value))


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    if hasattr(config, "workerinput") or not _measured:
        return  # an xdist worker: its figures reach the controller with its reports
    rows = sorted(_measured, key=lambda m: (int(m.item), m.test))
    terminalreporter.section("reliability figures")
    for m in rows:
        terminalreporter.write_line(f"{m.item:>2}  {m.name}: {m.value}")
    path = os.environ.get("TERMSGATE_FIGURES_FILE")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(asdict(m)) + "\n" for m in rows)
