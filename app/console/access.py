"""The console's HTTP kit: the session cookie, who is signed in, forms and their CSRF token,
scope checks, and pages rendered from the templates (autoescaped).

The cookie is HttpOnly, SameSite=Strict, Path=/console, and Secure when the request came over
https: uvicorn takes the scheme from X-Forwarded-Proto when the proxy is one it trusts
(`--forwarded-allow-ips`, 127.0.0.1 by default), so behind a TLS proxy the request reads https.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final, TypeVar
from urllib.parse import parse_qsl

from fastapi import Depends, FastAPI
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.console import sessions
from app.console.sessions import SignedIn
from app.core.currencies import to_major_units, to_minor_units
from app.core.errors import StoreUnavailable, TermsGateError
from app.core.keys import (
    COLLECTIONS_WRITE,
    EXCEPTIONS_APPROVE,
    EXCEPTIONS_REQUEST,
    REPORTS_READ,
    SEGMENTS_WRITE,
)
from app.http.state import state_of

M = TypeVar("M", bound=BaseModel)
SESSION_COOKIE: Final = "termsgate_console"
SIGN_IN_COOKIE: Final = "termsgate_console_csrf"  # the sign-in form's CSRF token, pre-session
COOKIE_PATH: Final = "/console"
FORM_MEDIA: Final = "application/x-www-form-urlencoded"
MAX_FIELDS: Final = 200
# No script anywhere, styles inline, images only the inline SVG and the empty favicon, forms to
# the console itself, and no framing (clickjacking).
POLICY: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

# The pages, in the nav's order, with the scopes of which a key needs one to see each (as the
# API's reads of the same figures ask).
PAGES: Final = (
    ("approvals", "Approvals", (EXCEPTIONS_REQUEST, EXCEPTIONS_APPROVE, REPORTS_READ)),
    ("worklist", "Worklist", (COLLECTIONS_WRITE, EXCEPTIONS_APPROVE, REPORTS_READ)),
    ("customers", "Customers", (REPORTS_READ,)),
    ("segments", "Segments and policy", ()),
    ("runs", "Segmentation runs", (SEGMENTS_WRITE, REPORTS_READ)),
    ("receivables", "Receivables", (REPORTS_READ,)),
)

templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def major(value: Any, currency: str) -> str:
    """Minor units (an int, or a sum with .amount) in major units, grouped: 1,234.56."""
    amount = value if isinstance(value, int) else value.amount
    try:
        shown = to_major_units(amount, currency)
    except ValueError:
        return str(amount)
    whole, point, fraction = shown.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}{point}{fraction}"


templates.filters["major"] = major


class SignInRequired(Exception):
    """No live session: the browser is sent to the sign-in page."""


class Refused(Exception):
    """A console request refused: shown as a page with its status."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


@dataclass(frozen=True, slots=True)
class Posted:
    """A form posted within a session, its CSRF token checked."""

    who: SignedIn
    fields: dict[str, str]

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()


def may(who: SignedIn, *scopes: str) -> bool:
    """Whether the key holds one of `scopes` (none named: any key)."""
    return not scopes or any(who.principal.allows(scope) for scope in scopes)


def need(who: SignedIn, *scopes: str) -> None:
    if not may(who, *scopes):
        named = " or ".join(repr(scope) for scope in scopes)
        raise Refused(403, "Forbidden", f"Your key needs the scope {named} for this.")


@contextmanager
def refusals() -> Iterator[None]:
    """A service's refusal (four-eyes, a stale revision, a bad value) shown as a page."""
    try:
        yield
    except TermsGateError as error:
        raise Refused(error.status, error.title, error.detail) from error


def valid(model: type[M], fields: dict[str, Any]) -> M:
    """The form's fields as the API's input model, or a 422 page naming the first problem."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "form"
        raise Refused(422, "Invalid request", f"{where}: {first['msg']}") from error


def minor_units(major_amount: str, currency: str) -> int:
    """An amount typed in major units ("1234.56") in minor units, or a 422 page."""
    try:
        return to_minor_units(major_amount.strip(), currency)
    except ValueError as error:
        raise Refused(422, "Invalid request", str(error)) from error


def constant_time_equal(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


async def _signed_in(request: Request) -> SignedIn:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInRequired
    state = state_of(request)
    principals = state.terms.principals()
    if principals is None:
        raise StoreUnavailable("The keys have not loaded yet; try again in a moment.")
    store, now = state.opened_store(), state.clock.now()

    def find() -> SignedIn | None:
        with store.reading() as session:
            return sessions.find(session, token, principals, now=now)

    found = await run_in_threadpool(find)
    if found is None:
        raise SignInRequired
    return found


async def read_form(request: Request) -> dict[str, str]:
    """The fields of a urlencoded form; the first of a repeated name counts."""
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media != FORM_MEDIA:
        raise Refused(415, "Unsupported media type", "Forms are sent urlencoded.")
    body = (await request.body()).decode("utf-8", errors="replace")
    fields: dict[str, str] = {}
    try:
        pairs = parse_qsl(body, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError as error:
        raise Refused(400, "Malformed request", "Too many fields.") from error
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields


async def _posted(request: Request, who: Annotated[SignedIn, Depends(_signed_in)]) -> Posted:
    fields = await read_form(request)
    if not constant_time_equal(fields.get("csrf", ""), who.csrf_token):
        raise Refused(403, "Forbidden", "The form's CSRF token is missing or wrong: reload it.")
    return Posted(who, fields)


Viewer = Annotated[SignedIn, Depends(_signed_in)]
Form = Annotated[Posted, Depends(_posted)]


def render(
    request: Request, template: str, who: SignedIn | None, status: int = 200, **context: Any
) -> HTMLResponse:
    started = time.perf_counter()
    nav = [(slug, label) for slug, label, scopes in PAGES if who is not None and may(who, *scopes)]
    html = templates.get_template(template).render(
        who=who,
        me=who.principal if who else None,
        csrf=who.csrf_token if who else "",
        nav=nav,
        here=request.url.path,
        **context,
    )
    elapsed = (time.perf_counter() - started) * 1000
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = POLICY
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Server-Timing"] = f"render;dur={elapsed:.1f}"
    return response


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def clear_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        name,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def install(api: FastAPI) -> None:
    """What the console's refusals look like: the sign-in page, or a page with the status."""

    async def on_sign_in_required(request: Request, _error: Exception) -> Response:
        return see_other("/console/sign-in")

    async def on_refused(request: Request, error: Exception) -> Response:
        assert isinstance(error, Refused)
        return render(request, "refused.html", None, error.status, refusal=error)

    api.add_exception_handler(SignInRequired, on_sign_in_required)
    api.add_exception_handler(Refused, on_refused)
