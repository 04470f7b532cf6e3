"""The console's routes: sign-in and sign-out here, each page in its own module. None is in
the OpenAPI document: the console is for people, the API for programs."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from app.console import approvals, customers, receivables, runs, segments, sessions, worklist
from app.console.access import (
    PAGES,
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    Form,
    Refused,
    Viewer,
    clear_cookie,
    constant_time_equal,
    may,
    read_form,
    render,
    see_other,
    set_cookie,
)
from app.http.state import state_of

router = APIRouter(prefix="/console", include_in_schema=False)
SIGN_IN_SECONDS = 3600  # how long a sign-in form stays good


@router.get("/")
def home(who: Viewer) -> Response:
    """The first page the key may see."""
    first = next((slug for slug, _label, scopes in PAGES if may(who, *scopes)), "segments")
    return see_other(f"/console/{first}")


@router.get("/sign-in")
def sign_in_page(request: Request) -> Response:
    return _sign_in_form(request)


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    """A live key's session: a new token in the cookie, its digest in the store."""
    fields = await read_form(request)
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not expected or not constant_time_equal(fields.get("csrf", ""), expected):
        raise Refused(403, "Forbidden", "The sign-in form's CSRF token is missing or wrong.")
    state = state_of(request)
    principals = state.terms.principals()
    if principals is None:
        raise Refused(503, "Not ready", "The keys have not loaded yet; try again in a moment.")
    store, settings, now = state.opened_store(), state.settings, state.clock.now()

    def open_session() -> str | None:
        with store.recording() as session:
            made = sessions.sign_in(
                session,
                fields.get("api_key", ""),
                principals,
                now=now,
                hours=settings.console_session_hours,
            )
        return None if made is None else made[0]

    token = await run_in_threadpool(open_session) if fields.get("api_key") else None
    if token is None:
        return _sign_in_form(request, "That key is unknown or revoked.", status=401)
    response = see_other("/console/")
    set_cookie(request, response, SESSION_COOKIE, token, int(settings.console_session_hours * 3600))
    clear_cookie(request, response, SIGN_IN_COOKIE)
    return response


@router.post("/sign-out")
def sign_out(request: Request, form: Form) -> Response:
    """End the session on the server, then forget the cookie."""
    state = state_of(request)
    with state.opened_store().recording() as session:
        sessions.sign_out(session, form.who.token_sha256, now=state.clock.now())
    response = see_other("/console/sign-in")
    clear_cookie(request, response, SESSION_COOKIE)
    return response


def _sign_in_form(request: Request, error: str | None = None, status: int = 200) -> Response:
    token = sessions.new_secret()
    response = render(
        request,
        "sign_in.html",
        None,
        status,
        sign_in_csrf=token,
        error=error,
        hours=f"{state_of(request).settings.console_session_hours:g}",
    )
    set_cookie(request, response, SIGN_IN_COOKIE, token, SIGN_IN_SECONDS)
    return response


for page in (approvals, worklist, customers, segments, runs, receivables):
    router.include_router(page.router)
