"""Debian's Chromium driven headless by Playwright for Python (no browser download): pages that
record what went wrong in them (console errors, failed requests, answers of 400 and up)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Response, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class Watched:
    """A page, and what went wrong in it so far."""

    page: Page
    problems: list[str] = field(default_factory=list)

    def clean(self) -> list[str]:
        """The problems seen, forgetting them."""
        seen, self.problems[:] = list(self.problems), []
        return seen


@contextmanager
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: `make test` installs it (Debian package chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def watched_page(browser: Browser, base_url: str) -> Iterator[Watched]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watched = Watched(page)
    page.on(
        "console",
        lambda message: (
            watched.problems.append(f"console {message.type}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: watched.problems.append(f"page error: {error}"))
    page.on(
        "requestfailed",
        lambda request: watched.problems.append(f"failed: {request.method} {request.url}"),
    )

    def answered(response: Response) -> None:
        if response.status >= 400:
            watched.problems.append(f"{response.status}: {response.request.method} {response.url}")

    page.on("response", answered)
    try:
        yield watched
    finally:
        context.close()


def sign_in(watched: Watched, token: str) -> None:
    page = watched.page
    page.goto("/console/sign-in")
    page.get_by_label("API key").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/*")
    assert "/sign-in" not in page.url
