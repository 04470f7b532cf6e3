"""ISO 4217 currencies and their minor-unit exponents.

Money is stored as integer minor units (cents, fils, ...); imports and clients speak major units
("55.94"), so conversions must know each currency's exponent and must never go through floats.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, Inexact, InvalidOperation, Rounded, localcontext
from types import MappingProxyType
from typing import Final

__all__ = ["MINOR_UNITS", "is_currency", "to_major_units", "to_minor_units"]

# Active codes of ISO 4217 List One (published 2026-01-01), alphabetic code -> minor units.
# Included: national currencies and the national fund codes that have a defined exponent
# (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW). Left out: units that are not money in an
# invoicing sense and mostly have no exponent (XAD, XDR, XSU, XUA, XBA-XBD, metals XAG, XAU,
# XPD, XPT, and XTS/XXX). Withdrawn codes (ANG -> XCG, BGN -> EUR, CUC, HRK, SLL, ZWL) are gone.
MINOR_UNITS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "AED": 2,
        "AFN": 2,
        "ALL": 2,
        "AMD": 2,
        "AOA": 2,
        "ARS": 2,
        "AUD": 2,
        "AWG": 2,
        "AZN": 2,
        "BAM": 2,
        "BBD": 2,
        "BDT": 2,
        "BHD": 3,
        "BIF": 0,
        "BMD": 2,
        "BND": 2,
        "BOB": 2,
        "BOV": 2,
        "BRL": 2,
        "BSD": 2,
        "BTN": 2,
        "BWP": 2,
        "BYN": 2,
        "BZD": 2,
        "CAD": 2,
        "CDF": 2,
        "CHE": 2,
        "CHF": 2,
        "CHW": 2,
        "CLF": 4,
        "CLP": 0,
        "CNY": 2,
        "COP": 2,
        "COU": 2,
        "CRC": 2,
        "CUP": 2,
        "CVE": 2,
        "CZK": 2,
        "DJF": 0,
        "DKK": 2,
        "DOP": 2,
        "DZD": 2,
        "EGP": 2,
        "ERN": 2,
        "ETB": 2,
        "EUR": 2,
        "FJD": 2,
        "FKP": 2,
        "GBP": 2,
        "GEL": 2,
        "GHS": 2,
        "GIP": 2,
        "GMD": 2,
        "GNF": 0,
        "GTQ": 2,
        "GYD": 2,
        "HKD": 2,
        "HNL": 2,
        "HTG": 2,
        "HUF": 2,
        "IDR": 2,
        "ILS": 2,
        "INR": 2,
        "IQD": 3,
        "IRR": 2,
        "ISK": 0,
        "JMD": 2,
        "JOD": 3,
        "JPY": 0,
        "KES": 2,
        "KGS": 2,
        "KHR": 2,
        "KMF": 0,
        "KPW": 2,
        "KRW": 0,
        "KWD": 3,
        "KYD": 2,
        "KZT": 2,
        "LAK": 2,
        "LBP": 2,
        "LKR": 2,
        "LRD": 2,
        "LSL": 2,
        "LYD": 3,
        "MAD": 2,
        "MDL": 2,
        "MGA": 2,
        "MKD": 2,
        "MMK": 2,
        "MNT": 2,
        "MOP": 2,
        "MRU": 2,
        "MUR": 2,
        "MVR": 2,
        "MWK": 2,
        "MXN": 2,
        "MXV": 2,
        "MYR": 2,
        "MZN": 2,
        "NAD": 2,
        "NGN": 2,
        "NIO": 2,
        "NOK": 2,
        "NPR": 2,
        "NZD": 2,
        "OMR": 3,
        "PAB": 2,
        "PEN": 2,
        "PGK": 2,
        "PHP": 2,
        "PKR": 2,
        "PLN": 2,
        "PYG": 0,
        "QAR": 2,
        "RON": 2,
        "RSD": 2,
        "RUB": 2,
        "RWF": 0,
        "SAR": 2,
        "SBD": 2,
        "SCR": 2,
        "SDG": 2,
        "SEK": 2,
        "SGD": 2,
        "SHP": 2,
        "SLE": 2,
        "SOS": 2,
        "SRD": 2,
        "SSP": 2,
        "STN": 2,
        "SVC": 2,
        "SYP": 2,
        "SZL": 2,
        "THB": 2,
        "TJS": 2,
        "TMT": 2,
        "TND": 3,
        "TOP": 2,
        "TRY": 2,
        "TTD": 2,
        "TWD": 2,
        "TZS": 2,
        "UAH": 2,
        "UGX": 0,
        "USD": 2,
        "USN": 2,
        "UYI": 0,
        "UYU": 2,
        "UYW": 4,
        "UZS": 2,
        "VED": 2,
        "VES": 2,
        "VND": 0,
        "VUV": 0,
        "WST": 2,
        "XAF": 0,
        "XCD": 2,
        "XCG": 2,
        "XOF": 0,
        "XPF": 0,
        "YER": 2,
        "ZAR": 2,
        "ZMW": 2,
        "ZWG": 2,
    }
)

# Plain decimal notation only: digits, optionally a point and more digits. No sign, exponent,
# grouping separators, surrounding whitespace, or the NaN/Infinity spellings Decimal accepts.
_MAJOR_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def is_currency(code: str) -> bool:
    """Whether ``code`` is an active ISO 4217 code we accept (exact, upper case)."""
    return code in MINOR_UNITS


def _exponent(currency: str) -> int:
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise ValueError(f"unknown currency {currency!r} (expected an ISO 4217 code)") from None


def to_minor_units(major: str, currency: str) -> int:
    """Exact conversion of a major-unit amount: ``to_minor_units("55.94", "USD") == 5594``.

    Raises ValueError for an unknown currency, anything that is not a plain non-negative
    decimal number, and more decimal places than the currency has ("1.234" USD, "1.5" JPY).
    Trailing zeros beyond the exponent are fine ("10.50" JPY is not, "10.00" JPY is).
    """
    exponent = _exponent(currency)
    if not _MAJOR_AMOUNT.fullmatch(major):
        raise ValueError(
            f"invalid {currency} amount {major!r}: expected a non-negative decimal number "
            'like "1234.56" (no sign, exponent, separators or spaces)'
        )
    # Enough precision for every digit of the input, and traps in case that is ever wrong:
    # an amount must never be rounded silently.
    with localcontext() as ctx:
        ctx.prec = len(major) + exponent + 2
        ctx.traps[Inexact] = ctx.traps[Rounded] = ctx.traps[InvalidOperation] = True
        minor = Decimal(major).scaleb(exponent)
        integral = minor.to_integral_value()
    if minor != integral:
        places = "no decimal places" if exponent == 0 else f"at most {exponent} decimal places"
        raise ValueError(f"invalid {currency} amount {major!r}: {currency} allows {places}")
    return int(integral)


def to_major_units(amount: int, currency: str) -> str:
    """Render minor units in major units with exactly the currency's decimal places.

    ``to_major_units(5594, "USD") == "55.94"``, ``to_major_units(-5, "KWD") == "-0.005"``.
    """
    exponent = _exponent(currency)
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"amount must be an int of minor units, not {type(amount).__name__}")
    sign = "-" if amount < 0 else ""
    digits = str(abs(amount))
    if exponent == 0:
        return sign + digits
    digits = digits.rjust(exponent + 1, "0")
    return f"{sign}{digits[:-exponent]}.{digits[-exponent:]}"
