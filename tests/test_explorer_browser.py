"""The explorer in a real browser: Debian's headless Chromium driven by Playwright, over the embedded data.

The app runs under uvicorn in a background thread on a free port. Skipped when Chromium or
Playwright is missing, unless REQUIRE_BROWSER=1 (as in CI), which makes that a failure.
``CHROMIUM`` overrides the browser's path (default /usr/bin/chromium).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bibtexparser
import pytest

from api.app import create_app
from api.store import Store
from tests.helpers import serving

ROOT = Path(__file__).resolve().parent.parent
STORE_DIR = ROOT / "var" / "test-store-data"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 20_000
PHONE = {"width": 390, "height": 844}


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    store = Store.open(ROOT, STORE_DIR)
    yield store
    store.close()


@pytest.fixture(scope="module")
def base_url(store: Store) -> Iterator[str]:
    with serving(lambda _: create_app(store), http="h11", log_level="warning") as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def new_page(browser: Any, base_url: str, **options: Any) -> Any:
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def test_find_qingdao_talent_clauses_open_one_and_cite_it(browser: Any, base_url: str, store: Store) -> None:
    version = store.latest.version
    started = time.monotonic()
    page = new_page(browser, base_url, permissions=["clipboard-read", "clipboard-write"])
    page.goto("/")
    page.fill("#q", "人才")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=*")
    all_hits = page.locator("article.hit").count()
    assert all_hits > 0

    page.click("section[data-filter=city] a[data-value=qingdao]")
    page.wait_for_url("**city=qingdao*")
    assert "q=%E4%BA%BA%E6%89%8D" in page.url  # the URL holds the whole view, to share it
    metas = page.locator("article.hit .meta").all_inner_texts()
    assert metas and all("Qingdao" in m for m in metas)
    assert page.locator("article.hit mark").first.inner_text() == "人才"

    page.click("section[data-filter=topic] a[data-value=talent]")
    page.wait_for_url("**topic=talent*")
    hits = page.locator("a.clause-link")
    assert 0 < hits.count() <= len(metas)

    page.click("a.clause-link >> nth=0")
    page.wait_for_url("**/clause/qingdao-2021.*")
    clause_id = page.locator("#clause-id").inner_text()
    assert clause_id.startswith("qingdao-2021.")
    assert page.locator(".outline a[aria-current=page]").count() == 1

    page.click("button.copy[data-copy='#citation']")
    page.wait_for_function("document.querySelector('.copy-status').textContent.includes('Copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert f"[{clause_id}]" in copied
    assert f"release {version}" in copied
    assert copied.endswith(f"/clause/{clause_id}?release={version}")
    assert copied == page.locator("#citation").inner_text().strip()
    # Every other format is one click away, copied as served by the cite endpoint.
    page.click(".cite-formats summary")
    page.click("button.copy[data-copy='#cite-bibtex']")
    page.wait_for_function("navigator.clipboard.readText().then(t => t.startsWith('@misc'))")
    bibtex = page.evaluate("navigator.clipboard.readText()")
    (entry,) = bibtexparser.parse_string(bibtex).entries
    assert entry.fields_dict["url"].value.endswith(f"/clause/{clause_id}?release={version}")

    with page.expect_navigation() as navigation:
        page.click("a.json-link")
    response = navigation.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["data"]["id"] == clause_id
    assert body["meta"]["release"] == version
    print(f"\nfind, open and cite a clause in the browser: {time.monotonic() - started:.2f}s")
    page.context.close()


def test_reading_works_without_javascript(browser: Any, base_url: str) -> None:
    page = new_page(browser, base_url, java_script_enabled=False)
    page.goto("/?q=人才&city=qingdao")
    assert page.locator("article.hit").count() > 0
    page.click("a.clause-link >> nth=0")
    page.wait_for_url("**/clause/*")
    citation = page.locator("#citation")
    assert citation.is_visible()
    assert "release" in citation.inner_text()
    copy_buttons = page.locator("button.copy")
    assert copy_buttons.count() == 6  # the citation, then one per format
    assert not any(b.is_visible() for b in copy_buttons.all())  # copying needs the script; the text is there
    assert page.locator(".clause-text").inner_text().strip()
    page.click(".facts a[href^='/document/']")
    page.wait_for_url("**/document/*")
    assert page.locator(".document-text li").count() > 3
    page.context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=人才&city=qingdao&topic=talent",
        "/clause/pboc-2019.1.1.p1",
        "/document/shanghai-2019",
        "/?city=atlantis",
    ],
)
def test_phone_viewport_has_no_horizontal_overflow(browser: Any, base_url: str, path: str) -> None:
    page = new_page(browser, base_url, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than the phone"
    assert page.locator("main").bounding_box()["width"] <= PHONE["width"]
    page.context.close()
