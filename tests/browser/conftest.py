"""Browser tests: the system Chromium driven by Playwright's sync API against pytest-django's live server.

Every page made here records its console and page errors. A test fails if the browser reports a
Content-Security-Policy violation or an uncaught script error, even when all its own assertions
passed. A failed test leaves a full-page screenshot in test-artifacts/screenshots/.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright waits this long (ms) for an element or a navigation before failing: far below its
# 30 s default, because every page here is served locally.
DEFAULT_TIMEOUT_MS = 10_000
CSP_VIOLATION = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)

_reports_key = pytest.StashKey[dict]()
_browser_log_key = pytest.StashKey["BrowserLog"]()


@dataclass
class BrowserLog:
    """What the browser said while a test ran, over all the pages the test opened."""

    pages: list[Page] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def watch(self, page: Page, label: str) -> None:
        def on_console(message: ConsoleMessage) -> None:
            source = message.location.get("url") or page.url
            self.console.append(f"[{label}] {message.type}: {message.text} (at {source}, page {page.url})")

        def on_page_error(error: Error) -> None:
            self.page_errors.append(f"[{label}] {error.name}: {error.message} ({page.url})\n{error.stack or ''}")

        page.on("console", on_console)
        page.on("pageerror", on_page_error)
        self.pages.append(page)

    @property
    def csp_violations(self) -> list[str]:
        return [line for line in self.console if CSP_VIOLATION.search(line)]

    def problems(self) -> list[str]:
        found = []
        if self.csp_violations:
            found.append("Content-Security-Policy violations:\n  " + "\n  ".join(self.csp_violations))
        if self.page_errors:
            found.append("Uncaught errors in the page:\n  " + "\n  ".join(self.page_errors))
        return found


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixture teardown can tell whether the test failed."""
    report = yield
    item.stash.setdefault(_reports_key, {})[report.when] = report
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After the test body: fail it if the browser logged a CSP violation or a page error."""
    log = item.stash.get(_browser_log_key, None)
    try:
        result = yield
    finally:
        if log is not None and log.console:
            item.add_report_section("call", "browser console", "\n".join(log.console))
    if log is not None and log.problems():
        pytest.fail("The browser reported problems:\n" + "\n".join(log.problems()), pytrace=False)
    return result


@pytest.fixture(scope="session")
def browser() -> Browser:
    # Playwright's sync API keeps an asyncio event loop running in the main thread from here on,
    # so Django would refuse ORM calls from the test body (and pytest-django's own flush).
    # Set only while the loop runs, so tests that never open a browser keep Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, request):
    """Open a page in a fresh browser context (its own cookies: a separate person).

    Call it again for a second person. All the pages are watched, closed at the end of the test,
    and photographed first if the test failed."""
    log = BrowserLog()
    request.node.stash[_browser_log_key] = log
    contexts = []

    def open_page(**context_options) -> Page:
        context = browser.new_context(**context_options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        log.watch(page, label=f"page {len(log.pages) + 1}")
        return page

    yield open_page

    reports = request.node.stash.get(_reports_key, {})
    failed = any(report.failed for report in reports.values())
    if failed:
        _screenshot(request, log.pages)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


def _screenshot(request, pages: list[Page]) -> None:
    folder = Path(request.config.rootpath) / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    for number, page in enumerate(pages, start=1):
        path = folder / (f"{name}.png" if number == 1 else f"{name}-page{number}.png")
        try:
            page.screenshot(path=str(path), full_page=True)
        except Error as exc:  # a crashed or closed page must not hide the real failure
            print(f"Could not save a screenshot of {page.url}: {exc}")
        else:
            print(f"Screenshot of the failed test: {path}")
