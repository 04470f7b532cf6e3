"""MkDocs hook: figure tables built from the files the benchmarks and reliability tests write.

A page says where a table goes with a marker on a line of its own:

    <!-- figures: bench/6 -->          section 6 of docs/figures/bench.jsonl (make bench)
    <!-- figures: reliability/4 -->    item 4 of docs/figures/reliability.jsonl (make reliability)

and the marker is replaced by a Markdown table of those records, with the date they were
measured. A marker naming no file, or a section with no record, stops a strict build.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

FIGURES = Path(__file__).resolve().parents[1] / "figures"
MARKER = re.compile(r"^<!-- figures: (?P<source>[a-z]+)/(?P<part>[0-9]+) -->$", re.MULTILINE)


class FigureError(Exception):
    """A marker that cannot be filled."""


def records(source: str) -> list[dict[str, Any]]:
    path = FIGURES / f"{source}.jsonl"
    if not path.is_file():
        raise FigureError(f"no figures file {path.name} for '{source}'")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _dates(rows: list[dict[str, Any]]) -> str:
    dates = sorted({str(row["date"]) for row in rows if row.get("date")})
    return ", ".join(dates) if dates else "an unrecorded date"


def bench_table(part: str) -> str:
    rows = [r for r in records("bench") if str(r["section"]) == part]
    if not rows:
        raise FigureError(f"no figures for bench section {part}")
    figures = [r for r in rows if not r.get("setup")]
    setup = [r for r in rows if r.get("setup")]
    out = ["| what | measured | target |", "| --- | --- | --- |"]
    out += [f"| {_cell(r['what'])} | {_cell(r['value'])} | {_cell(r.get('target') or '')} |" for r in figures]
    if setup:
        out += ["", "| setup | measured |", "| --- | --- |"]
        out += [f"| {_cell(r['what'])} | {_cell(r['value'])} |" for r in setup]
    out += ["", f"*Measured by `make bench` on {_dates(rows)} (`docs/figures/bench.jsonl`).*"]
    return "\n".join(out)


def reliability_table(part: str) -> str:
    rows = [r for r in records("reliability") if str(r["item"]) == part]
    if not rows:
        raise FigureError(f"no figures for reliability item {part}")
    out = ["| figure | measured | test (`tests/...`) |", "| --- | --- | --- |"]
    for r in rows:
        test = str(r["test"]).removeprefix("tests/")
        out.append(f"| {_cell(r['name'])} | {_cell(r['value'])} | `{_cell(test)}` |")
    out += ["", f"*Measured by `make reliability` on {_dates(rows)} (`docs/figures/reliability.jsonl`).*"]
    return "\n".join(out)


TABLES = {"bench": bench_table, "reliability": reliability_table}


def render(markdown: str) -> str:
    """`markdown` with every figures marker replaced by its table."""

    def table(match: re.Match[str]) -> str:
        build = TABLES.get(match["source"])
        if build is None:
            raise FigureError(f"unknown figures source '{match['source']}'")
        return build(match["part"])

    return MARKER.sub(table, markdown)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    try:
        return render(markdown)
    except FigureError as error:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"{page.file.src_path}: {error}") from error
