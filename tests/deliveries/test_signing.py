"""Standard Webhooks signatures, and the README's verification example."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.deliveries.signing import sign, verify, webhook_headers
from app.workflows.service import new_secret

README = Path(__file__).resolve().parents[2] / "README.md"
BODY = b'{"id":"evt_1","type":"invoice.routed","created_at":"2026-11-02T10:00:00+00:00","data":{}}'
# From the Standard Webhooks specification's test vector.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_signature_matches_the_standard_webhooks_test_vector() -> None:
    assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE


def test_verify_accepts_the_signature_and_refuses_a_changed_body_id_or_secret() -> None:
    secret = new_secret()
    headers = webhook_headers([secret], "evt_1", int(time.time()), BODY)
    assert verify(secret, headers, BODY)
    assert verify(secret, {k.title(): v for k, v in headers.items()}, BODY.decode())
    assert not verify(secret, headers, BODY + b" ")
    assert not verify(secret, {**headers, "webhook-id": "evt_2"}, BODY)
    assert not verify(new_secret(), headers, BODY)
    assert not verify(secret, {}, BODY)


def test_verify_refuses_a_timestamp_outside_the_tolerance() -> None:
    secret = new_secret()
    old = webhook_headers([secret], "evt_1", int(time.time()) - 600, BODY)
    assert not verify(secret, old, BODY)
    assert verify(secret, old, BODY, tolerance=900)


def test_each_live_secret_signs_and_either_verifies() -> None:
    new, old = new_secret(), new_secret()
    headers = webhook_headers([new, old], "evt_1", int(time.time()), BODY)
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert verify(new, headers, BODY)
    assert verify(old, headers, BODY)
    assert not verify(new_secret(), headers, BODY)


def readme_verify() -> Callable[..., bool]:
    """The `verify` of the README's Webhooks example, run as a billing system would run it."""
    section = README.read_text().split("## Webhooks", 1)[1]
    code = re.search(r"```python\n(import base64\n.*?)```", section, re.DOTALL)
    assert code is not None, "the README's Webhooks section has a standard-library example"
    assert set(re.findall(r"^import (\w+)", code.group(1), re.MULTILINE)) <= {
        "base64", "hashlib", "hmac", "time",
    }  # fmt: skip
    scope: dict[str, Any] = {}
    exec(code.group(1), scope)
    function: Callable[..., bool] = scope["verify"]
    return function


def test_the_readme_example_verifies_what_termsgate_signs() -> None:
    verify_like_a_receiver = readme_verify()
    new, old = new_secret(), new_secret()
    headers = webhook_headers([new, old], "evt_1", int(time.time()), BODY)
    assert verify_like_a_receiver(new, headers, BODY)
    assert verify_like_a_receiver(old, headers, BODY)
    assert not verify_like_a_receiver(new_secret(), headers, BODY)
    assert not verify_like_a_receiver(new, headers, BODY + b" ")
    stale = webhook_headers([new], "evt_1", int(time.time()) - 600, BODY)
    assert not verify_like_a_receiver(new, stale, BODY)
