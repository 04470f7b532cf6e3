"""The domain errors and their RFC 9457 problem answers.

TermsGateError
 +-- Malformed             400  body is not JSON, or not an object
 +-- Unauthenticated       401  no key, malformed key, unknown or revoked key
 +-- Forbidden             403  the key lacks the scope, or may not do this
 +-- NotFound              404  unknown resource or route
 +-- MethodNotAllowed      405
 +-- Conflict              409  natural key reused with another body, transition refused
 +-- PreconditionFailed    412  If-Match does not match
 +-- PayloadTooLarge       413  body or batch too large
 +-- UnsupportedMediaType  415  a body sent as something other than JSON
 +-- Invalid               422  a field is invalid (optionally with per-field errors)
 +-- PreconditionRequired  428  If-Match missing on an update
 +-- RateLimited           429  the key's bucket for this scope is empty (with Retry-After)
 +-- StoreUnavailable      503  the store cannot be reached; nothing was written
      +-- CommitUncertain   503  the store was lost during the commit: done whole or not at all
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import orjson

PROBLEM_MEDIA_TYPE = "application/problem+json"


class TermsGateError(Exception):
    """A failure the caller can act on; rendered as problem+json."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal"
    title: ClassVar[str] = "Internal error"

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors) if errors is not None else None
        self.headers = headers or {}

    def problem(self, request_id: str | None = None) -> dict[str, Any]:
        return problem_body(
            self.status, self.slug, self.title, self.detail, self.errors, request_id=request_id
        )


class Malformed(TermsGateError):
    status, slug, title = 400, "malformed", "Malformed request"


class Unauthenticated(TermsGateError):
    status, slug, title = 401, "unauthenticated", "Unauthenticated"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(TermsGateError):
    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(TermsGateError):
    status, slug, title = 404, "not-found", "Not found"


class MethodNotAllowed(TermsGateError):
    status, slug, title = 405, "method-not-allowed", "Method not allowed"


class Conflict(TermsGateError):
    status, slug, title = 409, "conflict", "Conflict"


class ExceptionRequired(Conflict):
    """An override that would loosen terms: only a finance-approved exception may do that."""

    slug, title = "term-exception-required", "Term exception required"


class PreconditionFailed(TermsGateError):
    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PayloadTooLarge(TermsGateError):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(TermsGateError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class Invalid(TermsGateError):
    status, slug, title = 422, "invalid", "Invalid request"


class PreconditionRequired(TermsGateError):
    status, slug, title = 428, "precondition-required", "Precondition required"


class RateLimited(TermsGateError):
    status, slug, title = 429, "rate-limited", "Too many requests"

    def __init__(
        self, detail: str, retry_after: int, limit_headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after), **(limit_headers or {})})


class StoreUnavailable(TermsGateError):
    status, slug, title = 503, "store-unavailable", "Store unavailable"

    def __init__(self, detail: str = "The store cannot be reached; nothing was written.") -> None:
        super().__init__(detail, headers={"Retry-After": "2"})


class CommitUncertain(StoreUnavailable):
    """The connection was lost after COMMIT was sent: the write may have been made."""

    slug, title = "commit-uncertain", "Commit outcome unknown"

    def __init__(self) -> None:
        super().__init__(
            "The store was lost while this write was being committed: it was made whole or "
            "not at all, and which is not known. Retrying it under the same id (an invoice "
            "route, a payment) is safe and tells which; check before retrying any other write."
        )


def problem_body(
    status: int,
    slug: str,
    title: str,
    detail: str,
    errors: Sequence[dict[str, Any]] | None = None,
    *,
    request_id: str | None = None,
) -> dict[str, Any]:
    """The RFC 9457 body; `instance` names this occurrence by the request's X-Request-ID."""
    body: dict[str, Any] = {
        "type": f"urn:termsgate:problem:{slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if request_id is not None:
        body["instance"] = problem_instance(request_id)
    if errors is not None:
        body["errors"] = list(errors)
    return body


def problem_instance(request_id: str) -> str:
    """A problem's `instance`: a URI naming the request that met it."""
    return f"urn:termsgate:request:{request_id}"


def problem_bytes(error: TermsGateError, request_id: str | None = None) -> bytes:
    return orjson.dumps(error.problem(request_id))


def validation_problem(found: Sequence[Any], content_type: str | None) -> TermsGateError:
    """Pydantic's findings as `errors: [{loc, msg}]`; a body that is not a JSON object is a 400."""
    if any(item.get("type") == "json_invalid" for item in found):
        return Malformed("The request body is not valid JSON.")
    # A body that is not an object fails at ("body",); a rule across fields of an object
    # (a model validator's value_error) fails there too, and is a 422 like any other field.
    if any(tuple(i["loc"]) == ("body",) and i.get("type") != "value_error" for i in found):
        if "json" not in (content_type or "application/json"):
            return Malformed("Send the body as JSON, with Content-Type: application/json.")
        return Malformed("The request body must be a JSON object.")
    errors = [{"loc": list(item["loc"]), "msg": field_message(item)} for item in found]
    summary = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors[:3])
    return Invalid(f"The request has invalid fields ({summary}).", errors=errors)


def field_message(item: Any) -> str:
    """A pydantic finding in words a caller can act on."""
    message = str(item.get("msg", "invalid"))
    if item.get("type") == "extra_forbidden":
        return "unknown field: not accepted here"
    if item.get("type") == "missing":
        return "required"
    return message.removeprefix("Value error, ")
