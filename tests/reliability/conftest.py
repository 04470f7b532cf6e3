"""The reliability tests start real servers as the process tests do (tests/support/launch.py)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir


@pytest.fixture(autouse=True)
def hypothesis_home(tmp_path: Path) -> Iterator[None]:
    """Hypothesis (and schemathesis, on it) keeps its files in the test's own directory, never
    in a `.hypothesis` left in the checkout."""
    set_hypothesis_home_dir(tmp_path / "hypothesis")
    yield
    set_hypothesis_home_dir(None)
