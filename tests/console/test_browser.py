"""The console in a real browser (Debian's Chromium, headless, through Playwright): sign in,
four-eyes approval, a touch with a promise from the worklist, a run previewed and applied, and
every page opened with no console error and no failed request. Each page is photographed; the
pictures land in docs/console/ for the docs only under `make screenshots`
(TERMSGATE_SCREENSHOTS names the folder), so a test run leaves the tree as it found it. One
server on the demo data, for the whole module."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser

from app.apikeys import service as apikeys
from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from tests.support.browser import chromium, sign_in, watched_page
from tests.support.days import today
from tests.support.harness import loopback
from tests.support.server import Server, termsgate

pytestmark = [pytest.mark.process, pytest.mark.xdist_group("browser")]

PAGE_BYTES = 100_000
KEYS = {
    "ada": ("admin",),
    "sam": ("exceptions:request", "exceptions:approve", "reports:read"),
    "fay": ("exceptions:approve", "reports:read"),
    "cole": ("collections:write", "reports:read"),
    "otto": ("segments:write", "reports:read"),
}


@dataclass(frozen=True)
class Console:
    base_url: str
    tokens: dict[str, str]

    def api(self, who: str) -> httpx.Client:
        return loopback(self.base_url, headers={"Authorization": f"Bearer {self.tokens[who]}"})


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """`termsgate serve` on the demo's 200 customers, with a key for each person."""
    work = tmp_path_factory.mktemp("console")
    env = {"TERMSGATE_DATABASE_URL": f"sqlite:///{work / 'termsgate.db'}"}
    done = termsgate("demo", "--customers", "200", "--seed", "7", env=env, timeout=120)
    assert done.returncode == 0, done.stderr  # the demo migrates a new store first
    store = Store(Settings(database_url=env["TERMSGATE_DATABASE_URL"]))
    with store.writing() as session:  # in-process: a `termsgate apikey` process each is slow
        tokens = {
            name: apikeys.create(
                session, name, scopes=list(scopes), owner=name, actor="test", clock=Clock()
            )
            for name, scopes in KEYS.items()
        }
    store.dispose()
    with Server(env["TERMSGATE_DATABASE_URL"], work / "serve.log") as server:
        yield Console(server.base_url, tokens)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


def asked(console: Console, customer_id: str, reason: str) -> str:
    with console.api("sam") as api:
        answer = api.post(
            "/v1/term-exceptions",
            json={"customer_id": customer_id, "segment": "net_30", "reason": reason},
        )
    assert answer.status_code == 201, answer.text
    exception_id: str = answer.json()["id"]
    return exception_id


def test_approval_takes_a_second_persons_key_and_the_requesters_own_is_refused(
    console: Console, browser: Browser
) -> None:
    exception_id = asked(console, "demo-00010", "Ordering for a new site; pays its group's bills.")
    asked(console, "demo-00011", "A framework contract is being signed.")  # left for the tour
    with watched_page(browser, console.base_url) as sam:
        sign_in(sam, console.tokens["sam"])
        sam.page.goto("/console/approvals")
        card = sam.page.locator("section.card", has_text="demo-00010")
        card.get_by_label("Note").fill("Mine, but let me try")
        card.get_by_role("button", name="Approve").click()
        assert sam.page.get_by_role("heading", level=1).inner_text() == "Forbidden"
        assert any("403" in problem for problem in sam.clean())
    with watched_page(browser, console.base_url) as fay:
        sign_in(fay, console.tokens["fay"])
        fay.page.goto("/console/approvals")
        card = fay.page.locator("section.card", has_text="demo-00010")
        card.get_by_label("Note").fill("Checked the group's record.")
        card.get_by_role("button", name="Approve").click()
        assert f"{exception_id} approved" in fay.page.get_by_role("status").inner_text()
        assert fay.clean() == []
    with console.api("fay") as api:
        decided = api.get(f"/v1/term-exceptions/{exception_id}").json()
    assert (decided["status"], decided["decided_by"]) == ("approved", "fay")


def test_a_touch_with_a_promise_is_recorded_from_the_worklist(
    console: Console, browser: Browser
) -> None:
    with watched_page(browser, console.base_url) as cole:
        sign_in(cole, console.tokens["cole"])
        cole.page.goto("/console/worklist")
        first = cole.page.locator("main section.card").first
        customer_id = first.get_by_role("heading", level=2).get_by_role("link").inner_text()
        first.get_by_text("Record a touch").click()
        first.get_by_label("Outcome").select_option("promise_to_pay")
        first.get_by_label("Amount").first.fill("10.00")
        pay_on = today() + timedelta(days=3)
        first.get_by_label("Pay on").fill(pay_on.isoformat())
        first.get_by_label("Note").fill("Will pay on Friday.")
        first.get_by_role("button", name="Record").click()
        assert "recorded" in cole.page.get_by_role("status").inner_text()
        assert cole.clean() == []
    with console.api("cole") as api:
        promises = api.get("/v1/promises", params={"customer_id": customer_id}).json()["items"]
    assert any(p["pay_on"] == pay_on.isoformat() and p["status"] == "open" for p in promises)


def test_a_run_is_previewed_then_applied_once_confirmed(console: Console, browser: Browser) -> None:
    with watched_page(browser, console.base_url) as otto:
        sign_in(otto, console.tokens["otto"])
        otto.page.goto("/console/runs")
        otto.page.get_by_role("button", name="Preview a dry run").click()
        assert otto.page.get_by_role("heading", level=1).inner_text().startswith("Dry run")
        assert otto.page.locator("h3", has_text="→").count() > 0
        otto.page.get_by_label("I have read the moves").check()
        otto.page.get_by_role("button", name="Apply").click()
        assert otto.page.get_by_role("heading", level=1).inner_text().startswith("Applied run")
        assert otto.clean() == []


PAGES = {
    "approvals": "/console/approvals",
    "worklist": "/console/worklist",
    "customers": "/console/customers",
    "customer": "/console/customers/demo-00002",
    "segments": "/console/segments",
    "segment": "/console/segments/net_30",
    "runs": "/console/runs",
    "receivables": "/console/receivables",
    "sign-in": "/console/sign-in",
}


def test_every_page_opens_small_and_clean_and_is_photographed(
    console: Console, browser: Browser, tmp_path: Path
) -> None:
    pictures = Path(os.environ.get("TERMSGATE_SCREENSHOTS") or tmp_path)
    pictures.mkdir(exist_ok=True)
    with watched_page(browser, console.base_url) as ada:
        ada.page.goto(PAGES["sign-in"])
        ada.page.screenshot(path=pictures / "sign-in.png")
        sign_in(ada, console.tokens["ada"])
        for name, path in PAGES.items():
            if name == "sign-in":
                continue
            started = time.perf_counter()
            answer = ada.page.goto(path)
            assert answer is not None
            assert answer.status == 200, name
            assert len(answer.body()) < PAGE_BYTES, name
            assert time.perf_counter() - started < 10, name  # a hang, not a measure
            ada.page.screenshot(path=pictures / f"{name}.png")
            assert ada.clean() == [], name
        csv = ada.page.request.get("/console/receivables/dso.csv")
        assert csv.status == 200
        assert csv.text().startswith("from,to,segment")
