"""Fixtures shared by every app's tests: compiled catalogues and a real browser."""

import os
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).parent / "test-artifacts"
CHROMIUM = os.environ.get("COMPACTS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_configure(config):
    # Playwright's sync API runs an event loop in the test thread; the ORM calls in the same test
    # are still synchronous, so Django's async-safety guard does not apply.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a request in another language activates it for the whole
    thread (LocaleMiddleware does not reset it), which would leak into the next test."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache. Pages and figures are cached under data versions
    (``compacts.core.changes``); factories write rows without announcing them, and SQLite reuses
    the ids of rolled-back rows, so an entry from an earlier test could match a later one's key."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    from compacts.core.i18n import compile_catalogues, project_app_dirs

    compile_catalogues(project_app_dirs())


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: .ci/run installs Debian's chromium.")
        pytest.skip(f"Browser tests need Debian's chromium at {CHROMIUM} (.ci/run installs it).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser page on the live test server; a screenshot is kept for every test."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    name = request.node.nodeid.replace("/", "_").replace("::", "__").replace(".py", "")
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def snap(request):
    """``snap(page, "label")`` keeps a screenshot of an intermediate state in test-artifacts/."""

    def take(tab, label: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{label}.png"), full_page=True)

    return take


@pytest.fixture
def sign_in(page, live_server):
    """``sign_in(username, password, next_url="/", language=None)`` signs in on the login page
    (cookies cleared first: a new visitor), lands on ``next_url`` and, with ``language``, sets
    the language cookie for the pages that follow. Signed-in pages get 60 s to load: the
    machine is shared, and no timing is asserted."""

    def enter(username: str, password: str, *, next_url: str = "/", language: str | None = None):
        page.set_default_timeout(60_000)
        page.context.clear_cookies()
        page.goto(f"/accounts/login/?next={next_url}")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        if language:
            page.context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )

    return enter


AXE_JS = Path(__file__).parent / "compacts/core/static/vendor/axe-core/axe.min.js"


def axe_violations(page) -> list[dict]:
    """Run the vendored axe-core on the page for WCAG 2.x A and AA (2.2 included)."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag', values:
        ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


@pytest.fixture
def axe():
    return axe_violations


def charts_settled(page) -> int:
    """Wait until every chart on the page is drawn or has failed (``core/figures.js`` marks each
    with ``data-figure-state``); returns how many failed."""
    page.wait_for_function(
        "[...document.querySelectorAll('[data-figure-chart]')].every("
        "n => ['drawn', 'failed'].includes(n.getAttribute('data-figure-state')))"
    )
    return page.locator("[data-figure-chart][data-figure-state=failed]").count()


@pytest.fixture
def charts():
    """``charts(page)``: wait for the page's charts; the number that failed to draw."""
    return charts_settled
