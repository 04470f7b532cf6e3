"""Every shell example in README.md and docs/ runs, in reading order, against a real server.

One `termsgate serve` on 127.0.0.1 (a free port) with a fresh SQLite store in a temp dir serves
the whole module. The README's first tour runs first, command by command, exactly as written:
it creates the key (`$TOKEN`) and the demo data the pages' examples then use. Each ```sh block
runs in `bash -euo pipefail` from the repository's root, with `$TERMSGATE_URL` set and the
variables earlier blocks exported. A block must exit 0; when a ```json or ```text block follows
it directly, that is its answer, and the output must match the fields it shows:

- json: every key shown has the value shown (objects may hold more keys; lists match item by
  item); a string "…" matches any value, and a string ending in "…" matches by prefix;
- text: each line appears in the output, "…" standing for any run of characters.

A block preceded by `<!-- not run: why -->` is not run; there are few, and each says why.

A reader runs the commands by hand; these run back to back. A block that asks the server after
a `termsgate` command changed the store first waits out what the server is allowed to take to
see it (two sync intervals: on SQLite the server polls the store, the command cannot tell it).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from app.core.config import Settings
from tests.support.openapi import committed_document
from tests.support.server import Server

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
SKIP = re.compile(r"^<!-- not run: (?P<why>.+) -->$")
FENCE = re.compile(r"^```(?P<lang>[a-z]*)\s*$")
# At most this many examples may be excluded (make run/test, PostgreSQL, Docker, Kubernetes...).
MOST_EXCLUDED = 10
BLOCK_TIMEOUT_S = 120
# How long the server may take to see what a command wrote: two of its sync intervals.
CATCH_UP_S = 2 * Settings.model_fields["sync_interval_seconds"].default


@dataclass(frozen=True)
class Example:
    page: str
    line: int
    code: str
    answer_lang: str | None = None
    answer: str | None = None
    skipped: str | None = None

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def pages() -> list[Path]:
    """README.md, then docs/ in the order of mkdocs.yml's nav."""
    nav = re.findall(r":\s+(\S+\.md)\s*$", (REPO / "mkdocs.yml").read_text(), re.MULTILINE)
    return [REPO / "README.md", *(DOCS / name for name in nav)]


def examples_in(path: Path) -> list[Example]:
    lines = path.read_text(encoding="utf-8").splitlines()
    page = str(path.relative_to(REPO))
    found: list[Example] = []
    i = 0
    while i < len(lines):
        opened = FENCE.match(lines[i])
        if not opened:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        if opened["lang"] == "sh":
            before = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
            skipped = SKIP.match(before.strip())
            answer_lang = answer = None
            after = next((k for k in range(end + 1, len(lines)) if lines[k].strip()), None)
            following = FENCE.match(lines[after]) if after is not None else None
            if after is not None and following and following["lang"] in ("json", "text"):
                closing = next(j for j in range(after + 1, len(lines)) if lines[j] == "```")
                answer_lang, answer = following["lang"], "\n".join(lines[after + 1 : closing])
            found.append(
                Example(
                    page,
                    i + 1,
                    "\n".join(lines[i + 1 : end]),
                    answer_lang,
                    answer,
                    skipped["why"] if skipped else None,
                )
            )
        i = end + 1
    return found


EXAMPLES = [example for path in pages() for example in examples_in(path)]
RUNNABLE = [example for example in EXAMPLES if example.skipped is None]


@dataclass
class Session:
    """The server and the shell state the examples share, run in order up to the one asked."""

    server: Server
    env: dict[str, str]
    work: Path
    done: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)
    command_wrote_at: float | None = None  # when a `termsgate` command last ended

    def run_through(self, wanted: Example) -> subprocess.CompletedProcess[str]:
        for example in RUNNABLE:
            if example.id not in self.done:
                self.done[example.id] = self._run(example)
            if example.id == wanted.id:
                return self.done[example.id]
        raise AssertionError(f"{wanted.id} is not a runnable example")

    def _run(self, example: Example) -> subprocess.CompletedProcess[str]:
        if self.command_wrote_at is not None and "$TERMSGATE_URL" in example.code:
            time.sleep(max(0.0, self.command_wrote_at + CATCH_UP_S - time.monotonic()))
            self.command_wrote_at = None
        exported = self.work / "exported"
        script = f"{example.code}\nenv -0 > {exported}\n"
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=BLOCK_TIMEOUT_S,
            check=False,
        )
        if "bin/termsgate " in example.code:
            self.command_wrote_at = time.monotonic()
        if result.returncode == 0 and exported.exists():
            for entry in exported.read_text().split("\0"):
                name, _, value = entry.partition("=")
                if name and name not in ("PWD", "OLDPWD", "SHLVL", "_"):
                    self.env[name] = value
            exported.unlink()
        return result


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    work = tmp_path_factory.mktemp("docs")
    url = f"sqlite:///{work / 'termsgate.db'}"
    server = Server(url, work / "serve.log")
    with server:
        env = {
            **os.environ,
            "TERMSGATE_DATABASE_URL": url,
            "TERMSGATE_URL": server.base_url,
            "LC_ALL": "C.UTF-8",
        }
        env.pop("TOKEN", None)
        yield Session(server, env, work)


# One worker runs them all (pytest-xdist), in order, on its one server: an example needs the ones
# before it, and a second worker would start a server and run them all again up to its own.
@pytest.mark.xdist_group("docs-examples")
@pytest.mark.parametrize("example", RUNNABLE, ids=[example.id for example in RUNNABLE])
def test_example_runs_and_answers_as_shown(session: Session, example: Example) -> None:
    result = session.run_through(example)
    said = f"$ {example.code}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    assert result.returncode == 0, f"{example.id} exited {result.returncode}\n{said}"
    if example.answer_lang == "json":
        assert example.answer is not None
        expected = json.loads(example.answer)
        got = last_json(result.stdout)
        problems = list(mismatches(expected, got, "$"))
        assert not problems, f"{example.id}: {problems}\n{said}"
    elif example.answer_lang == "text":
        assert example.answer is not None
        output = result.stdout + result.stderr
        for line in filter(None, (line.strip() for line in example.answer.splitlines())):
            pattern = ".*".join(map(re.escape, line.split("…")))
            assert re.search(pattern, output), f"{example.id}: no line like {line!r}\n{said}"


def last_json(output: str) -> Any:
    """The whole output as JSON, else its last line."""
    text = output.strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return json.loads(text.splitlines()[-1])


def mismatches(expected: Any, got: Any, at: str) -> Iterator[str]:
    if expected == "…":
        return
    if isinstance(expected, str) and expected.endswith("…"):
        if not (isinstance(got, str) and got.startswith(expected[:-1])):
            yield f"{at}: {got!r} does not start with {expected[:-1]!r}"
    elif isinstance(expected, dict):
        if not isinstance(got, dict):
            yield f"{at}: {got!r} is not an object"
            return
        for key, value in expected.items():
            if key not in got:
                yield f"{at}: no {key!r}"
            else:
                yield from mismatches(value, got[key], f"{at}.{key}")
    elif isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            yield f"{at}: {got!r} is not a list of {len(expected)}"
            return
        for n, (one, other) in enumerate(zip(expected, got, strict=True)):
            yield from mismatches(one, other, f"{at}[{n}]")
    elif expected != got:
        yield f"{at}: {got!r}, not {expected!r}"


def test_the_readme_tour_comes_first_and_starts_from_nothing() -> None:
    """A newcomer's tour: the README's examples run first, and the first makes the key."""
    readme = [example for example in RUNNABLE if example.page == "README.md"]
    assert len(readme) >= 10, "the README's tour is about ten commands"
    assert RUNNABLE[: len(readme)] == readme
    assert "termsgate apikey create --name ops --scope admin" in readme[0].code
    assert "tests/" not in "\n".join(example.code for example in readme)


def test_few_examples_are_excluded_and_each_says_why() -> None:
    excluded = [example for example in EXAMPLES if example.skipped is not None]
    assert len(excluded) <= MOST_EXCLUDED, [example.id for example in excluded]
    assert all(len(str(example.skipped)) > 10 for example in excluded)


def test_curl_examples_fail_on_http_errors_unless_they_show_the_error() -> None:
    """curl runs with -f (or --fail-with-body), except where the answer shown is a problem."""
    for example in RUNNABLE:
        for command in re.findall(r"curl [^\n]*", example.code):
            if re.search(r"\s-\w*f\w*\s|--fail", f" {command} "):
                continue
            shown = (example.answer or "").replace(" ", "")
            assert '"status":4' in shown, f"{example.id}: `{command}` without -f shows no problem"


def test_the_configuration_page_names_every_setting() -> None:
    page = (DOCS / "configuration.md").read_text()
    missing = [
        f"TERMSGATE_{name.upper()}"
        for name in Settings.model_fields
        if f"`TERMSGATE_{name.upper()}`" not in page
    ]
    assert not missing


def test_every_operation_is_described() -> None:
    openapi = committed_document()
    text = "\n".join(path.read_text() for path in pages())
    missing = [
        f"{method.upper()} {path}"
        for path, operations in openapi["paths"].items()
        for method in operations
        if f"`{method.upper()} {path}" not in text
    ]
    assert not missing


def test_nothing_points_outside_the_repository() -> None:
    for path in pages():
        text = path.read_text()
        assert "../shared" not in text, path
        assert "CONTRACT" not in text, path
        for target in re.findall(r"\]\(([^)#]+)[^)]*\)", text):
            assert "://" not in target, f"{path}: {target}"
            assert (path.parent / target).resolve().is_relative_to(REPO), f"{path}: {target}"


def test_the_webhook_verification_example_is_the_same_in_readme_and_docs() -> None:
    def python_block(path: Path) -> str:
        found = re.search(r"```python\n(.*?)```", path.read_text(), re.DOTALL)
        assert found, path
        return found.group(1)

    assert python_block(REPO / "README.md") == python_block(
        DOCS / "api" / "segments-workflows-webhooks.md"
    )


def test_every_figures_marker_renders_a_table() -> None:
    spec = importlib.util.spec_from_file_location("docs_figures", DOCS / "hooks" / "figures.py")
    assert spec is not None
    assert spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    markers = 0
    for path in pages():
        text = path.read_text()
        markers += text.count("<!-- figures: ")
        rendered = hook.render(text)
        assert "<!-- figures: " not in rendered, path
    assert markers >= 17
    with pytest.raises(hook.FigureError):
        hook.render("<!-- figures: bench/99 -->")
