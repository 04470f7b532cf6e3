"""The suite's own shape: helpers live in tests/support, and no test imports another test.

A test module or a conftest is not a library: importing one runs its module-level code, ties two
tests' fates together and hides where a helper lives. What tests share is in tests/support/. The
exceptions: tests/perf (the benchmarks, `python -m tests.perf.run`) and the deploy checks the
Makefile runs as modules (`python -m tests.deploy.manifests`, `... .vulnerabilities`).
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ALLOWED_OUTSIDE_SUPPORT = {"tests.deploy.manifests", "tests.deploy.vulnerabilities"}


def imported_modules(path: Path) -> set[str]:
    """Every `tests.*` module a file imports (`from tests.x import y` may name module y)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "tests" or name.startswith("tests.")}


def is_test_or_conftest(module: str) -> bool:
    leaf = module.rsplit(".", 1)[-1]
    return leaf.startswith("test_") or leaf == "conftest"


def suite_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "perf" not in p.relative_to(TESTS).parts)


def test_no_test_imports_a_test_module_or_a_conftest() -> None:
    offenders = {
        str(path.relative_to(TESTS)): sorted(
            m for m in imported_modules(path) if is_test_or_conftest(m)
        )
        for path in suite_files()
    }
    assert {path: bad for path, bad in offenders.items() if bad} == {}


def test_shared_helpers_live_in_tests_support() -> None:
    """A helper module outside tests/support may only be used from its own package."""
    misplaced: dict[str, list[str]] = {}
    for path in suite_files():
        package = ".".join(("tests", *path.relative_to(TESTS).parent.parts))
        for module in imported_modules(path):
            if is_test_or_conftest(module) or module.startswith("tests.support"):
                continue
            if module in ALLOWED_OUTSIDE_SUPPORT or module.rsplit(".", 1)[0] == package:
                continue
            if not (TESTS.parent / (module.replace(".", "/") + ".py")).exists():
                continue  # a package, or a name imported from a module (checked as the module)
            misplaced.setdefault(str(path.relative_to(TESTS)), []).append(module)
    assert misplaced == {}


def test_the_check_sees_a_cross_test_import(tmp_path: Path) -> None:
    """The checks above catch what they are for: they are not vacuous."""
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "from tests.segments.test_router import net_45\n"
        "from tests.invoices import conftest\n"
        "import tests.kpis.books\n"
        "from tests.support.problems import assert_problem\n",
        encoding="utf-8",
    )
    found = imported_modules(sample)
    assert {m for m in found if is_test_or_conftest(m)} == {
        "tests.segments.test_router",
        "tests.invoices.conftest",
    }
    assert "tests.kpis.books" in found
    assert not is_test_or_conftest("tests.support.problems")


def import_time_clock_reads(source: str) -> list[int]:
    """Lines where a module reads the clock as it is imported: at the top level, in a class
    body or in a default argument (`date.today()`, `datetime.now(...)`, `time.time()`)."""

    found: list[int] = []
    pending: list[ast.AST] = list(ast.parse(source).body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            # The body runs when called; the defaults and decorators run now.
            defaults = [*node.args.defaults, *node.args.kw_defaults]
            pending.extend(d for d in defaults if d is not None)
            if not isinstance(node, ast.Lambda):
                pending.extend(node.decorator_list)
            continue
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"today", "now", "utcnow", "time"}
        ):
            found.append(node.lineno)
        pending.extend(ast.iter_child_nodes(node))
    return sorted(found)


def test_no_module_reads_the_clock_when_imported() -> None:
    """A date read at import is minutes old when the test runs: a run that crossed midnight
    dated its data a day behind the app, which refused a promise "due today" as past. Tests
    read today when they run (tests/support/days.py)."""
    offenders = {
        str(path.relative_to(TESTS)): lines
        for path in suite_files()
        if (lines := import_time_clock_reads(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_check_sees_a_date_read_at_import() -> None:
    sample = (
        "from datetime import date\n"
        "TODAY = date.today()\n"
        "def f(on=date.today()):\n"
        "    return date.today()\n"
        "class A:\n"
        "    at = time.time()\n"
        "    later = field(default_factory=lambda: date.today())\n"
    )
    assert import_time_clock_reads(sample) == [2, 3, 6]
