"""`termsgate import-history` as a process: its output, its exit codes, its memory."""

from __future__ import annotations

import os
import pty
import re
import subprocess
from pathlib import Path

import pytest

from app.core.config import Settings
from app.core.store import Store
from tests.support.generated_history import write_history
from tests.support.harness import cli_env
from tests.support.history_files import counts, row, write_csv
from tests.support.server import TERMSGATE, termsgate

pytestmark = pytest.mark.process

# Rows in the large file: CI, and `pytest --long`. Into an empty store, a process with the app
# loaded peaks near 107 MiB importing 10,000 rows and 200,000 alike (measured); here the large
# file goes into the store the quarter filled, and peaked 15 MiB above it on SQLite. Rows held
# as parsed dicts would add about 0.85 KB each, some 50 MiB for the 60,000 the CI files differ by.
LARGE_ROWS = {False: 80_000, True: 200_000}
MAX_RSS_MB = 300
MAX_GROWTH_MB = 25


@pytest.fixture(scope="module")
def large_rows(pytestconfig: pytest.Config) -> int:
    return LARGE_ROWS[bool(pytestconfig.getoption("--long"))]


@pytest.fixture(scope="module")
def large_file(tmp_path_factory: pytest.TempPathFactory, large_rows: int) -> Path:
    path = tmp_path_factory.mktemp("large") / "large.csv"
    write_history(path, large_rows, customers=large_rows // 10)
    return path


@pytest.fixture(scope="module")
def quarter_file(tmp_path_factory: pytest.TempPathFactory, large_rows: int) -> Path:
    """A quarter of the large file's rows, under other ids."""
    path = tmp_path_factory.mktemp("quarter") / "quarter.csv"
    write_history(path, large_rows // 4, customers=large_rows // 40, seed=11)
    text = path.read_text().replace("inv-", "qinv-").replace("cust-", "qcust-")
    path.write_text(text)
    return path


def said(stderr: str) -> list[str]:
    """stderr's lines but the first, which names the store (every store command's)."""
    lines = stderr.splitlines()
    assert lines[0].startswith("termsgate: store "), stderr
    return lines[1:]


def store_counts(settings: Settings) -> dict[str, int]:
    store = Store(settings)
    try:
        return counts(store)
    finally:
        store.dispose()


def test_a_file_is_imported_once_and_a_second_load_adds_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "history.csv", [row("inv-1"), row("inv-2", paid_on="")])

    first = termsgate("import-history", str(path), env=cli_env(settings.database_url))
    again = termsgate("import-history", str(path), env=cli_env(settings.database_url))

    assert (first.returncode, said(first.stderr)) == (0, [])  # no progress bar off a terminal
    assert first.stdout.startswith("history.csv: 2 invoices and 1 payment added, 0 already")
    assert (again.returncode, said(again.stderr)) == (0, [])
    assert again.stdout.startswith("history.csv: 0 invoices added, 2 already present")
    written = store_counts(settings)
    assert (written["invoices"], written["payments"], written["history_imports"]) == (2, 1, 1)


def test_bad_lines_go_to_stderr_with_their_numbers_and_nothing_is_written(
    settings: Settings, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "history.csv",
        [row("inv-1"), row("inv-2", amount="1.999"), row("inv-3"), row("inv-1")],
    )
    before = store_counts(settings)

    done = termsgate("import-history", str(path), env=cli_env(settings.database_url))

    assert (done.returncode, done.stdout) == (1, "")
    assert said(done.stderr) == [
        "line 3: amount: invalid USD amount '1.999': USD allows at most 2 decimal places",
        "line 5: invoice_id 'inv-1' is also on line 2",
        "termsgate: history.csv: 2 bad lines; nothing was written",
    ]
    assert store_counts(settings) == before


def test_a_file_that_is_not_there_is_one_line_and_exit_1(
    settings: Settings, tmp_path: Path
) -> None:
    done = termsgate(
        "import-history", str(tmp_path / "gone.csv"), env=cli_env(settings.database_url)
    )
    assert done.returncode == 1
    assert said(done.stderr) == [
        f"termsgate: cannot read {tmp_path / 'gone.csv'}: No such file or directory"
    ]


def test_a_terminal_gets_a_progress_bar_for_each_pass(settings: Settings, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "history.csv", [row(f"inv-{n}") for n in range(100)])
    terminal, child_side = pty.openpty()
    process = subprocess.Popen(
        [TERMSGATE, "import-history", str(path)],
        env={**os.environ, **cli_env(settings.database_url)},
        stdout=subprocess.PIPE,
        stderr=child_side,
    )
    os.close(child_side)
    drawn = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    os.close(terminal)
    assert process.wait(timeout=60) == 0
    assert process.stdout is not None
    process.stdout.close()
    assert b"\rchecking [" in drawn
    assert b"\rwriting  [##############################] 100%  100 rows" in drawn


def rss_mb(settings: Settings, path: Path) -> float:
    """The peak resident memory of one `termsgate import-history`, in MiB, as it reports it.

    (Not wait4's ru_maxrss: that counts the peak of the process it was forked from, this
    test run, before exec.)"""
    done = termsgate("import-history", str(path), env=cli_env(settings.database_url), timeout=120)
    assert done.returncode == 0, done.stderr
    peak = re.search(r"^peak memory: (\d+) MiB$", done.stdout, re.MULTILINE)
    assert peak is not None, done.stdout
    return float(peak.group(1))


@pytest.mark.xdist_group("large-history")  # one worker, so the files are written once
def test_a_large_file_imports_in_bounded_memory(
    settings: Settings, large_file: Path, quarter_file: Path, large_rows: int
) -> None:
    """Four times the rows, about the same peak: the import streams, it does not hold rows."""
    quarter = rss_mb(settings, quarter_file)

    large = rss_mb(settings, large_file)

    assert store_counts(settings)["invoices"] == large_rows + large_rows // 4
    assert large < MAX_RSS_MB
    assert large - quarter < MAX_GROWTH_MB, (quarter, large)


def test_a_mapping_that_cannot_be_followed_is_exit_2_naming_its_flag_and_writes_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "history.csv", [row("inv-1")])
    before = store_counts(settings)
    for flags, said in [
        (["--column", "invoice=Invoice"], "termsgate: --column invoice=Invoice: invoice is not "
                                          "a column termsgate reads (it reads customer_id,"),
        (["--column", "invoice_id=Invoice"], "termsgate: --column invoice_id=Invoice: the file's "
                                             "header has no column 'Invoice' (it has"),
        (["--column", "currency=currency", "--set", "currency=USD"],
         "termsgate: --column currency=currency and --set currency=USD: currency is either read "
         "from a column or set, not both"),
        (["--date-format", "%d/%m"], "termsgate: --date-format %d/%m: not a date format with a "
                                     "year, month and day"),
    ]:  # fmt: skip
        done = termsgate("import-history", str(path), *flags, env=cli_env(settings.database_url))
        assert (done.returncode, done.stdout) == (2, ""), flags
        assert done.stderr.splitlines()[-1].startswith(said), done.stderr
    assert store_counts(settings) == before


def test_a_file_with_its_own_header_imports_through_the_flags(
    settings: Settings, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "export.csv",
        [["k-1", "F-1", "12.50", "2/3/2025", "3/5/2025", "3/1/2025", "ana", "No"]],
        header=["Client", "Invoice No", "Total", "Invoiced", "Due", "Settled", "Owner", "Disputed"],
    )
    flags = ["--column", "customer_id=Client", "--column", "invoice_id=Invoice No",
             "--column", "amount=Total", "--column", "issued_on=Invoiced", "--column", "due_on=Due",
             "--column", "paid_on=Settled", "--column", "sales_owner=Owner",
             "--set", "currency=EUR", "--date-format", "%m/%d/%Y"]  # fmt: skip

    done = termsgate("import-history", str(path), *flags, env=cli_env(settings.database_url))
    plain = termsgate("import-history", str(path), env=cli_env(settings.database_url))

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("export.csv: 1 invoice and 1 payment added, 0 already present")
    assert plain.returncode == 1  # without the flags the header is not termsgate's
    assert plain.stderr.splitlines()[-2:] == [
        "line 1: the header lacks the column(s) customer_id, invoice_id, currency, amount, "
        "issued_on, due_on, paid_on",
        "termsgate: export.csv: 1 bad line; nothing was written",
    ]
    assert store_counts(settings)["invoices"] == 1
