"""IBM's accounts-receivable sample, imported as it is: the forecast against the due-date
baseline over the month-ends of March to November 2013 (the issue's accuracy target), and
`termsgate forecast backtest` printing the figures."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.store import Store
from app.forecasts import backtest
from app.history.importer import import_file
from tests.support import ibm
from tests.support.harness import cli_env
from tests.support.server import termsgate

TARGET = 0.30  # the forecast's WAPE at least 30% lower than the baseline's


@pytest.fixture
def replayed(store: Store) -> backtest.Backtest:
    import_file(store, ibm.SAMPLE, "cli:tester", reading=ibm.READING)
    with store.reading() as session:
        return backtest.run(session, backtest.month_ends(date(2013, 3, 1), date(2013, 11, 30)))


def test_the_forecast_beats_the_due_date_baseline_by_30_percent(
    replayed: backtest.Backtest,
) -> None:
    assert [replay.as_of.month for replay in replayed.replays] == list(range(3, 12))
    for weeks in (4, 13):
        forecast = replayed.mean_wape("USD", "forecast", weeks)
        baseline = replayed.mean_wape("USD", "baseline", weeks)
        assert forecast is not None
        assert baseline is not None
        assert forecast <= (1 - TARGET) * baseline, (weeks, forecast, baseline)


def test_the_backtest_is_what_the_sample_says_was_owed_and_paid(
    replayed: backtest.Backtest,
) -> None:
    """At each month-end, every method spreads what was owed; actual is what was paid on it."""
    june = next(replay for replay in replayed.replays if replay.as_of == date(2013, 6, 30))
    assert sum(june.actual) > 0
    assert sum(june.forecast) <= sum(june.baseline) + sum(june.actual) * 10
    assert len(june.forecast) == len(june.baseline) == len(june.actual) == 13


@pytest.mark.process
def test_the_command_prints_wape_for_the_forecast_and_the_baseline(
    database_url: str, store: Store
) -> None:
    import_file(store, ibm.SAMPLE, "cli:tester", reading=ibm.READING)
    env = cli_env(database_url)
    done = termsgate(
        "forecast", "backtest", "--from", "2013-03-01", "--to", "2013-11-30", "--month-ends",
        env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("cash forecast backtest: 9 as_of dates")
    assert lines[1].split() == ["USD", "WAPE_1", "WAPE_4", "WAPE_13"]
    forecast, baseline = lines[2].split(), lines[3].split()
    assert forecast[0] == "forecast"
    assert baseline[0] == "baseline"
    assert float(forecast[2]) <= 0.7 * float(baseline[2])
    weekly = termsgate(
        "forecast", "backtest", "--from", "2013-10-01", "--to", "2013-12-29", "--every", "7",
        env=env,
    )  # fmt: skip
    assert weekly.returncode == 0, weekly.stderr
    assert weekly.stdout.startswith("cash forecast backtest: 13 as_of dates")
    backwards = termsgate(
        "forecast", "backtest", "--from", "2013-02-01", "--to", "2013-01-01", env=env
    )
    assert backwards.returncode == 2
    assert "--from is after --to" in backwards.stderr
