"""What a schemathesis run did, read from its engine's events (cases, answers, failures), and
the one check of termsgate's own that schemathesis runs beside its defaults."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response
from schemathesis.engine import events
from schemathesis.engine.recorder import ScenarioRecorder
from schemathesis.engine.run import PhaseName

# The checks that compare an answer with what the document promises for it.
CONFORMANCE = frozenset(
    {
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    }
)
SHOWN_FAILURES = 25
# How termsgate's 422 names a field the body lacks, or one it has that the model does not know.
FIELD_DISAGREEMENTS = frozenset({"required", "unknown field: not accepted here"})


@schemathesis.check
def fields_as_documented(_ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A request the schema allows may break a business rule (an unknown segment, a date in the
    past), but it is never refused for lacking a field or having one: else the document and
    the validation disagree on what a body holds, and callers build the wrong one."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    try:
        found = response.json().get("errors") or []
    except ValueError:
        return None
    disagreements = [error for error in found if error.get("msg") in FIELD_DISAGREEMENTS]
    if disagreements:
        raise AssertionError(f"the schema allows what validation refuses: {disagreements}")
    return None


@dataclass(frozen=True, slots=True)
class Failure:
    operation: str
    check: str
    title: str
    message: str
    status: int | None
    body: str
    curl: str

    def line(self) -> str:
        return (
            f"- {self.operation}: {self.check}: {self.title} (answered {self.status})\n"
            f"    {self.message.strip().replace(chr(10), ' | ')[:400]}\n"
            f"    body: {self.body[:300]}\n"
            f"    {self.curl[:600]}"
        )


@dataclass(slots=True)
class Tally:
    """Counts over every scenario the engine finished, in every phase."""

    cases: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    covered: set[str] = field(default_factory=set)
    succeeded: set[str] = field(default_factory=set)
    checks_run: set[str] = field(default_factory=set)
    scenarios: int = 0
    stateful_steps: int = 0
    linked_steps: int = 0
    links: int = 0
    failures: list[Failure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, stream: Iterable[events.EngineEvent]) -> Tally:
        tally = cls()
        for event in stream:
            if isinstance(event, events.ScenarioFinished):
                tally._scenario(event.phase, event.recorder)
            elif isinstance(event, events.PhaseStarted) and isinstance(
                event.payload, events.StatefulPhasePayload
            ):
                tally.links = event.payload.transitions_selected
            elif isinstance(event, events.NonFatalError):
                tally.errors.append(f"{event.label}: {event.info.title}: {event.info.message}")
            elif isinstance(event, events.FatalError):
                tally.errors.append(f"fatal: {event.exception!r}")
            elif isinstance(event, events.EngineFinished) and event.stop_reason != "completed":
                tally.errors.append(f"the run stopped early: {event.stop_reason}")
        return tally

    def _scenario(self, phase: PhaseName, recorder: ScenarioRecorder) -> None:
        if phase == PhaseName.STATEFUL_TESTING:
            self.scenarios += 1
        self.cases[phase.value] += len(recorder.cases)
        for case_id, node in recorder.cases.items():
            interaction = recorder.interactions.get(case_id)
            if interaction is None or interaction.response is None:
                continue
            self.statuses[interaction.response.status_code] += 1
            self.covered.add(node.value.operation.label)
            if interaction.response.status_code < 300:
                self.succeeded.add(node.value.operation.label)
            if phase == PhaseName.STATEFUL_TESTING:
                self.stateful_steps += 1
                self.linked_steps += node.transition is not None and node.is_transition_applied
        for case_id, checks in recorder.checks.items():
            for check in checks:
                self.checks_run.add(check.name)
                if check.failure_info is None:
                    continue
                interaction = recorder.interactions.get(case_id)
                response = interaction.response if interaction is not None else None
                failed = recorder.cases.get(case_id)
                self.failures.append(
                    Failure(
                        operation=failed.value.operation.label if failed else recorder.label,
                        check=check.name,
                        title=check.failure_info.failure.title,
                        message=check.failure_info.failure.message,
                        status=response.status_code if response is not None else None,
                        body=response.content[:300].decode(errors="replace") if response else "",
                        curl=check.failure_info.code_sample,
                    )
                )

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    @property
    def schema_violations(self) -> int:
        return sum(failure.check in CONFORMANCE for failure in self.failures)

    def cases_line(self) -> str:
        by_phase = ", ".join(f"{phase} {count}" for phase, count in sorted(self.cases.items()))
        return f"{sum(self.cases.values())} ({by_phase})"

    def stateful_line(self) -> str:
        return (
            f"{self.stateful_steps} in {self.scenarios} scenarios "
            f"({self.linked_steps} steps followed one of {self.links} links)"
        )

    def report(self) -> str:
        """The distinct failures, one per operation, check and answer, for a reader to act on."""
        distinct: dict[tuple[str, str, str, int | None], Failure] = {}
        for failure in self.failures:
            key = (failure.operation, failure.check, failure.title, failure.status)
            distinct.setdefault(key, failure)
        shown = list(distinct.values())[:SHOWN_FAILURES]
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        return (
            f"{len(self.failures)} failed checks, {len(distinct)} distinct; answers {statuses}\n"
            + "\n".join(failure.line() for failure in shown)
        )
