from __future__ import annotations

import iso4217
import pytest

from app.core.currencies import MINOR_UNITS, is_currency, to_major_units, to_minor_units

# ISO 4217 List One as the iso4217 package ships it (its version is the list's publication date).
ISO_LIST = {currency.code: currency.exponent for currency in iso4217.Currency}
PUBLISHED = iso4217.raw_xml.attrib["Pblshd"]
# What app/core/currencies.py leaves out on purpose: units that are not money for invoicing.
NOT_MONEY = frozenset(
    [
        "XAD",
        "XAG",
        "XAU",
        "XBA",
        "XBB",
        "XBC",
        "XBD",
        "XDR",
        "XPD",
        "XPT",
        "XSU",
        "XTS",
        "XUA",
        "XXX",
    ]
)


@pytest.mark.parametrize(
    ("major", "currency", "minor"),
    [
        ("55.94", "USD", 5594),
        ("55.9", "USD", 5590),
        ("55", "USD", 5500),
        ("0.01", "USD", 1),
        ("0", "USD", 0),
        ("1000", "JPY", 1000),
        ("1000.00", "JPY", 1000),
        ("1.234", "KWD", 1234),
        ("0.005", "KWD", 5),
        ("1.2345", "CLF", 12345),
        # 30 significant digits: beyond the default Decimal precision, still exact.
        ("12345678901234567890123456789.01", "USD", 1234567890123456789012345678901),
    ],
)
def test_to_minor_units(major: str, currency: str, minor: int) -> None:
    assert to_minor_units(major, currency) == minor


@pytest.mark.parametrize(
    ("minor", "currency", "major"),
    [
        (5594, "USD", "55.94"),
        (5, "USD", "0.05"),
        (0, "USD", "0.00"),
        (-5594, "USD", "-55.94"),
        (1000, "JPY", "1000"),
        (1234, "KWD", "1.234"),
        (5, "KWD", "0.005"),
        (12345, "CLF", "1.2345"),
    ],
)
def test_to_major_units(minor: int, currency: str, major: str) -> None:
    assert to_major_units(minor, currency) == major


@pytest.mark.parametrize("currency", sorted(MINOR_UNITS))
def test_round_trip_every_currency(currency: str) -> None:
    for amount in (0, 1, 99, 100, 123456789):
        assert to_minor_units(to_major_units(amount, currency), currency) == amount


@pytest.mark.parametrize(
    ("major", "currency", "message"),
    [
        ("1.234", "USD", "at most 2 decimal places"),
        ("1.5", "JPY", "no decimal places"),
        ("1.0001", "KWD", "at most 3 decimal places"),
        ("-1.00", "USD", "non-negative decimal number"),
        ("+1.00", "USD", "non-negative decimal number"),
        ("abc", "USD", "non-negative decimal number"),
        ("", "USD", "non-negative decimal number"),
        ("NaN", "USD", "non-negative decimal number"),
        ("Infinity", "USD", "non-negative decimal number"),
        ("inf", "USD", "non-negative decimal number"),
        ("1e3", "USD", "non-negative decimal number"),
        ("1,000.00", "USD", "non-negative decimal number"),
        (" 1.00", "USD", "non-negative decimal number"),
        ("1.00\n", "USD", "non-negative decimal number"),
        ("1.", "USD", "non-negative decimal number"),
        (".5", "USD", "non-negative decimal number"),
        ("\u0661\u0662", "USD", "non-negative decimal number"),  # Arabic-Indic "12"
        ("1.00", "usd", "unknown currency"),
        ("1.00", "XAU", "unknown currency"),
        ("1.00", "BGN", "unknown currency"),
    ],
)
def test_to_minor_units_rejects(major: str, currency: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        to_minor_units(major, currency)


def test_to_major_units_rejects_unknown_currency() -> None:
    with pytest.raises(ValueError, match="unknown currency"):
        to_major_units(100, "ABC")


def test_currency_table() -> None:
    assert [MINOR_UNITS[code] for code in ("USD", "JPY", "KWD", "CLF")] == [2, 0, 3, 4]
    for code in ("EUR", "GBP", "XAF", "XOF", "XPF", "XCD", "XCG", "ZWG"):
        assert is_currency(code)
    for code in ("usd", "US", "XAU", "XAG", "XPT", "XPD", "XTS", "XXX", "XDR", "ANG", "HRK"):
        assert not is_currency(code)
    assert 150 <= len(MINOR_UNITS) <= 180
    assert all(len(code) == 3 and code.isupper() for code in MINOR_UNITS)
    assert set(MINOR_UNITS.values()) == {0, 2, 3, 4}
    with pytest.raises(TypeError):
        MINOR_UNITS["ABC"] = 2  # type: ignore[index]


def test_the_table_is_the_iso_4217_list_less_the_units_that_are_not_money() -> None:
    """A code added to or withdrawn from the list, or an exponent changed, fails here: a new
    iso4217 release (the dev lock pins one) is how a change to the list reaches the table."""
    expected = {code: exponent for code, exponent in ISO_LIST.items() if code not in NOT_MONEY}
    added = sorted(set(expected) - set(MINOR_UNITS))
    withdrawn = sorted(set(MINOR_UNITS) - set(expected))
    changed = sorted(c for c in set(expected) & set(MINOR_UNITS) if expected[c] != MINOR_UNITS[c])
    assert (added, withdrawn, changed) == ([], [], []), f"ISO 4217 list of {PUBLISHED}"


def test_what_the_table_leaves_out_is_still_on_the_list() -> None:
    assert sorted(NOT_MONEY - set(ISO_LIST)) == []
