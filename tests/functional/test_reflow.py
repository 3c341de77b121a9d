"""Every page reflows at 320 CSS px (WCAG 2.2 success criterion 1.4.10).

Every URL pattern with an access case (``tests/<app>/test_access.py``) is
visited by GET, by each role allowed to use it, in one Chromium window 320
px wide, on the access tests' data set (``tests.access.make_dataset``); the
public pages are visited signed out. On each HTML page the document must
be no wider than the window: a wide table scrolls inside its own
``.app-table-scroll`` container instead of pushing the page sideways.
Downloads (PDF, CSV, spreadsheets) and redirects are not pages and are
left out. At 1280 px the menu (GOV.UK service navigation) stays on one
line for every role.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.access import REGISTRY, ROLES
from tests.pages import FILE_SUFFIXES, page_data, session_cookie
from tests.test_access_coverage import load_access_modules

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

WIDTH = 320
# Sub-pixel rounding can make scrollWidth one more than the viewport.
TOLERANCE = 1

# Pages reached signed out.
PUBLIC_PAGES = (
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "accessibility",
)


def pages(data) -> list[tuple[str, str, str]]:
    """(role, url name, path) for every GET of every access case, by every
    allowed role, then the public pages as (``"anonymous"``, name, path)."""
    load_access_modules()
    found = []
    for name in sorted(REGISTRY):
        for case in REGISTRY[name]:
            path = case.url(data)
            if name.endswith(FILE_SUFFIXES):
                continue
            for role in sorted(case.allowed):
                found.append((role, name, path))
    found.extend(("anonymous", name, reverse(name)) for name in PUBLIC_PAGES)
    return list(dict.fromkeys(found))


# The first element sticking out past the window's right edge (outside any
# scroll container), to name in a failure.
CULPRIT = """() => {
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > window.innerWidth + 1 && !el.closest(".app-table-scroll")) {
      return `${el.tagName.toLowerCase()}.${el.className} (${Math.round(box.right)} px)`;
    }
  }
  return "no single element";
}"""


def open_page(page, path: str) -> str:
    """Go to ``path``: ``"page"`` when it answered 200 with HTML itself,
    ``"download"`` for a file, ``"other"`` for anything else (a redirect to
    another page, which is measured under its own name)."""
    from playwright.sync_api import Error

    try:
        response = page.goto(path, wait_until="domcontentloaded")
    except Error as error:
        if "Download is starting" in str(error):
            return "download"
        raise
    if response is None or response.request.redirected_from is not None:
        return "other"
    if response.status != 200:
        return "other"
    if not response.headers.get("content-type", "").startswith("text/html"):
        return "download"
    return "page"


def test_every_page_reflows_at_320_px_and_the_menu_fits_at_1280(browser, live_server):
    data = page_data()
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": WIDTH, "height": 640},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    not_pages: set[str] = set()  # url names that answered with a download
    too_wide, menu_wraps, visited, signed_in_as = [], [], 0, None
    try:
        for role, name, path in pages(data):
            if name in not_pages:
                continue
            if role != signed_in_as:
                context.clear_cookies()
                if role != "anonymous":
                    context.add_cookies([session_cookie(data.area.user(role), live_server.url)])
                signed_in_as = role
            kind = open_page(page, path)
            if kind == "download":
                not_pages.add(name)
            if kind != "page":
                continue
            visited += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH + TOLERANCE:
                culprit = page.evaluate(CULPRIT)
                too_wide.append(f"{role} {path} ({name}): {width} px, {culprit}")
        # The menu stays on one line at 1280 px, whoever is signed in.
        page.set_viewport_size({"width": 1280, "height": 800})
        for role in ROLES:
            context.clear_cookies()
            context.add_cookies([session_cookie(data.area.user(role), live_server.url)])
            page.goto("/", wait_until="domcontentloaded")
            tops = page.eval_on_selector_all(
                ".govuk-service-navigation__item",
                "items => items.map(item => item.getBoundingClientRect().top)",
            )
            assert len(tops) > 1, f"{role}: no menu"
            if len(set(tops)) > 1:
                menu_wraps.append(f"{role}: items at {sorted(set(tops))} px from the top")
    finally:
        context.close()
    print(f"{visited} pages measured")
    assert not menu_wraps, "the menu wraps at 1280 px:\n" + "\n".join(menu_wraps)
    assert visited > 100, f"only {visited} pages visited: the page list is wrong"
    assert not too_wide, "wider than 320 px:\n" + "\n".join(too_wide)
