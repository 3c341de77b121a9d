"""Every error summary link lands on a field a person can type in or pick.

GOV.UK's error summary links each message to its field; a link to an id
that does not exist, or to the wrapper round a date's three boxes, moves
nothing and the user is lost. Every form of every page with an access case
(``tests/<app>/test_access.py``) is sent back, by the first role allowed to
use it, with every choice not offered, every date 31 February (not real,
so the message is about the whole date) and every number not a number.
Each link in the error summary must then name an element of the page that
is an input, select or textarea: for a date the day box, for radios and
checkboxes the first of them. Each POST is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client

from tests.access import REGISTRY
from tests.pages import FILE_SUFFIXES, page_data
from tests.test_access_coverage import load_access_modules

pytestmark = pytest.mark.django_db

NOT_A_CHOICE = "zz-not-offered"
CONTROLS = {"input", "select", "textarea"}


@dataclass
class Form:
    method: str
    action: str | None
    # name -> [(kind, value shown)], in page order
    fields: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class Element:
    tag: str
    kind: str  # input type, "select" or "textarea"
    name: str
    classes: str


class Page(HTMLParser):
    """The forms of a page, every element with an id, and the error
    summary's links."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.ids: dict[str, Element] = {}
        self.summary_links: list[tuple[str, str]] = []
        self._form: Form | None = None
        self._in_summary = 0
        self._link: str | None = None
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        classes = a.get("class", "")
        if tag == "div" and "govuk-error-summary" in classes.split():
            self._in_summary = 1
        elif tag == "div" and self._in_summary:
            self._in_summary += 1
        if tag == "a" and self._in_summary:
            self._link, self._text = a.get("href", ""), ""
        if tag == "form":
            action = a.get("action")
            self._form = None
            if "logout" not in (action or ""):
                self._form = Form((a.get("method") or "get").lower(), action)
                self.forms.append(self._form)
        kind = (a.get("type") or "text").lower() if tag == "input" else tag
        if "id" in a:
            self.ids[a["id"]] = Element(tag, kind, a.get("name", ""), classes)
        if tag in CONTROLS and self._form is not None and a.get("name"):
            value = a.get("value", "")
            if kind in ("checkbox", "radio") and "checked" not in a:
                value = None
            self._form.fields.setdefault(a["name"], []).append((kind, value, classes))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "a" and self._link is not None:
            self.summary_links.append((self._link, self._text.strip()))
            self._link = None
        if tag == "div" and self._in_summary:
            self._in_summary -= 1

    def handle_data(self, data):
        if self._link is not None:
            self._text += data


def wrong_values(form: Form) -> dict:
    """The form's fields with every choice, date and number wrong; text
    and hidden fields (tokens, versions) as shown."""
    data = {}
    for name, controls in form.fields.items():
        kind, value, classes = controls[0]
        if kind in ("radio", "checkbox", "select"):
            data[name] = NOT_A_CHOICE
        elif "govuk-date-input__input" in classes:
            # 31 February: each box is a number, the date is not real, so
            # the message is about the whole date.
            data[name] = {"0": "31", "1": "2", "2": "2020"}[name[-1]]
        elif kind == "number" or "inputmode" in classes:
            data[name] = "x"
        elif kind in ("submit", "button", "file"):
            continue
        else:
            data[name] = value or ""
    return data


def problems_with(page: Page, where: str) -> list[str]:
    found = []
    for href, text in page.summary_links:
        target = href.removeprefix("#")
        element = page.ids.get(target)
        if not href.startswith("#") or element is None:
            found.append(f"{where}: '{text}' links to {href}, which is not on the page")
        elif element.tag not in CONTROLS or element.kind == "hidden":
            found.append(f"{where}: '{text}' links to {href}, a {element.tag}, not a field")
        elif element.kind in ("radio", "checkbox"):
            first = next(
                (i for i, e in page.ids.items() if e.name == element.name and e.tag == "input"),
                None,
            )
            if first != target:
                found.append(f"{where}: '{text}' links to {href}, not the first choice {first}")
        elif "govuk-date-input__input" in element.classes and not target.endswith("_0"):
            found.append(f"{where}: '{text}' links to {href}, not the day box")
    return found


def forms_to_try(data) -> list[tuple[str, str]]:
    """(role, url) for every access case, signed in as its first allowed
    role with an area (administrators where only they may)."""
    load_access_modules()
    found = []
    for name, cases in REGISTRY.items():
        if name.endswith(FILE_SUFFIXES):
            continue
        for case in cases:
            scoped = sorted(case.allowed - {"administrator"})
            role = scoped[0] if scoped else "administrator"
            found.append((role, case.url(data)))
    return list(dict.fromkeys(found))


def test_every_error_summary_link_lands_on_its_field():
    data = page_data()
    clients: dict[str, Client] = {}
    problems, sent = [], 0
    # The forms whose summary linked to a date's day box, to a choice.
    dated, chosen = set(), set()
    for role, url in forms_to_try(data):
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(data.area.user(role))
        client = clients[role]
        shown = client.get(url)
        if shown.status_code != 200 or not shown["Content-Type"].startswith("text/html"):
            continue
        for form in Page(shown.content.decode()).forms:
            body = wrong_values(form)
            if not body:
                continue
            target = form.action or url.split("?")[0]
            with transaction.atomic():
                answer = getattr(client, form.method)(target, body)
                transaction.set_rollback(True)
            sent += 1
            if not answer["Content-Type"].startswith("text/html"):
                continue
            page = Page(answer.content.decode())
            where = f"{role} {form.method.upper()} {target}"
            problems += problems_with(page, where)
            for href, _text in page.summary_links:
                element = page.ids.get(href.removeprefix("#"))
                if element is None:
                    continue
                if "govuk-date-input__input" in element.classes:
                    dated.add(where)
                elif element.kind in ("radio", "checkbox"):
                    chosen.add(where)
    assert not problems, "\n".join(problems)
    # The sweep reaches the forms it is about.
    assert sent > 30, sent
    # 22 forms with dates and 6 with radios or checkboxes when written.
    assert len(dated) >= 20 and len(chosen) >= 6, (dated, chosen)
