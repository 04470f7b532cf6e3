"""Which segment decides a customer's terms, and why: the rule the snapshot and routing share."""

from __future__ import annotations

from datetime import date

SEGMENT, OVERRIDE, DEFAULT = "segment", "override", "default"


def placement(
    segment_key: str | None,
    override_key: str | None,
    override_expires_on: date | None,
    today: date,
) -> tuple[str, str] | None:
    """(segment key, source) for a customer's terms state; None when the policy default applies.

    An override is in force through its `expires_on` inclusive and lapses the day after.
    """
    if override_key is not None and (override_expires_on is None or override_expires_on >= today):
        return override_key, OVERRIDE
    if segment_key is not None:
        return segment_key, SEGMENT
    return None
