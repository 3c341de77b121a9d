"""A bounded Hypothesis fuzz of every form and every page's query string.

Every URL pattern with an :class:`tests.access.AccessCase` (the same rows
``tests/test_access_coverage.py`` checks cover every pattern), plus the
public sign-in and password reset forms, is requested many times with
generated input:

- GET: the query string, built from the names the page itself uses (its GET
  forms, the query strings of its links, the case's own query) and a few
  unknown ones;
- POST (where the view takes one): the body of the page's own forms, each
  field kept, left out, repeated, or replaced with a generated value, plus
  unknown keys.

Values mix what a user could pick (the options on the page, the records'
own ids, another area's ids) with hostile text: empty, 10,000 characters,
NUL and other control characters, right-to-left and combining marks, emoji,
SQL, HTML and spreadsheet formulas, numbers and dates at and past the edges.

Each request is made by a user the case allows, preferring one with an area
(administrators see every area), and must never be a server error (status
500 or more; the test client raises the view's exception, so the traceback
names the cause) nor show the other area's child to that user.

Each example runs in a transaction rolled back at its end, so examples never
pile up rows (the user signs in once per URL, and the session's cookie is put
back before each example). ``FUZZ_EXAMPLES`` sets the examples per URL and method (default
below, a few seconds in all); ``FUZZ_EXAMPLES=2000`` is a long run
(docs/testing.md). Generation is derandomised, so a run is repeatable and
the same on both databases.
"""

from __future__ import annotations

import copy
import datetime
import io
import os
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlparse

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access import REGISTRY, AccessCase, make_dataset
from tests.test_access_coverage import load_access_modules

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))

pytestmark = pytest.mark.fuzz

# Recognisable names for the other area's child: no response to this area's
# users may contain them, and no generated value does.
OTHER_GIVEN_NAME = "Ottoline"
OTHER_FAMILY_NAME = "Farawaychild"

# --- Values ----------------------------------------------------------------------------------

HOSTILE = (
    "",
    " ",
    "A" * 10_000,
    "\x00",
    "Sam\x00Smith",
    "\x00=cmd|' /C calc'!A0",
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A9)",
    "-1+1",
    '@HYPERLINK("http://example.com")',
    "\x01\x02\x08\x0b\x0c\x1b\x1f\x7f",
    "line one\r\nline two\ttabbed",
    "\u202eevil\u202c",
    "مرحبا بالعالم",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "e" + "\u0301" * 50,
    "\ufeff",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE ehc_child; --",
    "' OR '1'='1",
    "%00",
    "%",
    "_",
    "\\",
    "../../etc/passwd",
    "0",
    "-1",
    "1.5",
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    str(2**64),
    "1e308",
    "-1e308",
    "1e309",
    "NaN",
    "Infinity",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "31/02/2026",
    "2026-13-01",
    "2026-02-31",
    "2026-02-29",
    "0000-00-00",
    "None",
    "null",
    "true",
    "on",
    "[]",
    "{}",
)

NUMBERS = st.sampled_from([0, 1, -1, 12, 13, 31, 32, 2**31, 2**63, -(2**63) - 1]).map(str)
DATES = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(
    datetime.date.isoformat
)
TEXT = st.text(max_size=40)


def values(known: list[str]):
    """A strategy for one field's value: something the page offers (or a
    record's id), or hostile text, a number, a date or random text."""
    choices = [st.sampled_from(HOSTILE), NUMBERS, DATES, TEXT]
    if known:
        choices.insert(0, st.sampled_from(sorted(set(known))))
    return st.one_of(*choices)


KEEP, DROP = "keep", "drop"
UNKNOWN_KEYS = st.sampled_from(
    ["unknown", "id", "pk", "page", "sort", "o", "q", "format", "next", "_0", "csrfmiddlewaretoken"]
)


def body(fields: dict[str, list[str]], choices: dict[str, list[str]], known: list[str]):
    """A strategy for a whole form body or query string: a dict of name to
    list of values (a list of two or three is a repeated key)."""

    def one(name):
        offered = choices.get(name, []) + known
        return st.one_of(
            st.just(KEEP),
            st.just(DROP),
            values(offered).map(lambda value: [value]),
            st.lists(values(offered), min_size=2, max_size=3),
        )

    def build(parts):
        chosen, extra = parts
        out = {}
        for name, pick in chosen.items():
            if pick == KEEP:
                if fields.get(name):
                    out[name] = list(fields[name])
            elif pick != DROP:
                out[name] = pick
        for name, value in extra.items():
            out.setdefault(name, []).append(value)
        return out

    names = sorted(set(fields) | set(choices))
    return st.tuples(
        st.fixed_dictionaries({name: one(name) for name in names}),
        st.dictionaries(UNKNOWN_KEYS, values(known), max_size=2),
    ).map(build)


# --- What a page offers ----------------------------------------------------------------------


@dataclass
class Forms:
    """The fields of a page's forms: ``post`` those of the POST forms that
    send to the page itself, ``get`` those of its GET forms and the query
    strings of its links to itself, each with the values shown
    (``*_defaults``) and every value offered (``*_choices``)."""

    path: str
    post_defaults: dict = field(default_factory=dict)
    post_choices: dict = field(default_factory=dict)
    get_defaults: dict = field(default_factory=dict)
    get_choices: dict = field(default_factory=dict)


def read_forms(html: str, path: str) -> Forms:
    found = Forms(path)
    state = {"form": None, "select": None, "textarea": None}

    def targets_self(action: str | None) -> bool:
        return not action or urlparse(action).path in ("", path)

    def offer(kind, name, value, shown):
        defaults = getattr(found, f"{kind}_defaults")
        choices = getattr(found, f"{kind}_choices")
        defaults.setdefault(name, [])
        choices.setdefault(name, [])
        if value is not None and value not in choices[name]:
            choices[name].append(value)
        if shown and value is not None:
            defaults[name].append(value)

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            a = {key: value or "" for key, value in attrs}
            form = state["form"]
            if tag == "a" and "?" in a.get("href", ""):
                link = urlparse(a["href"])
                if link.path in ("", path):
                    for name, value in parse_qsl(link.query, keep_blank_values=True):
                        offer("get", name, value, False)
            elif tag == "form":
                method = a.get("method", "get").lower()
                logout = "logout" in a.get("action", "")
                ok = targets_self(a.get("action")) and not logout
                state["form"] = ("post" if method == "post" else "get") if ok else None
            elif form is None or not a.get("name"):
                if tag == "option" and form and state["select"]:
                    offer(form, state["select"], a.get("value", ""), "selected" in a)
                return
            elif tag == "input":
                kind = a.get("type", "text").lower()
                if kind in ("checkbox", "radio"):
                    offer(form, a["name"], a.get("value") or "on", "checked" in a)
                elif kind in ("submit", "image"):
                    offer(form, a["name"], a.get("value", ""), False)
                elif kind != "file":
                    offer(form, a["name"], a.get("value", ""), True)
            elif tag == "button":
                offer(form, a["name"], a.get("value", ""), False)
            elif tag == "select":
                state["select"] = a["name"]
                offer(form, a["name"], None, False)
            elif tag == "textarea":
                state["textarea"] = a["name"]
                offer(form, a["name"], None, False)

        def handle_endtag(self, tag):
            if tag == "form":
                state["form"] = None
            elif tag in ("select", "textarea"):
                state[tag] = None

        def handle_data(self, text):
            if state["form"] and state["textarea"]:
                defaults = getattr(found, f"{state['form']}_defaults")
                defaults[state["textarea"]] = [text.strip("\n")]

    Parser(convert_charrefs=True).feed(html)
    found.post_defaults.pop("csrfmiddlewaretoken", None)
    found.post_choices.pop("csrfmiddlewaretoken", None)
    return found


# --- The targets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One URL and method to fuzz, as ``role`` of the first area (None:
    anonymous)."""

    label: str
    method: str
    role: str | None
    url: object  # Dataset -> str
    post: object = None  # AccessCase.post: values a valid POST needs
    query: object = None  # Dataset -> "?..."


def _signed_in_role(case: AccessCase) -> str:
    # A role with an area, so the leak check means something.
    scoped = sorted(case.allowed - {"administrator"})
    return scoped[0] if scoped else "administrator"


def targets() -> list[Target]:
    load_access_modules()
    found = []
    for cases in REGISTRY.values():
        for case in cases:
            for method in case.methods:
                found.append(
                    Target(
                        label=case.label(),
                        method=method,
                        role=_signed_in_role(case),
                        url=lambda d, case=case: reverse(case.url_name, kwargs=case.kwargs(d)),
                        post=case.post,
                        query=case.query,
                    )
                )
    # The public forms, as anonymous.
    for name in ("accounts:login", "accounts:password_reset"):
        for method in ("get", "post"):
            found.append(Target(name, method, None, lambda d, name=name: reverse(name)))
    return found


TARGETS = targets()


# --- The data --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_data(django_db_setup, django_db_blocker):
    """The access tests' data set, with the records the governance cases
    name, and a child (with a request) in the other area whose name no
    response to this area's users may show. Rolled back at the module's end."""
    from ehc.models import Child
    from governance import services
    from governance.models import SubjectAccessExport
    from tests import factories as f

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        with fast:
            data = make_dataset()
            area, other = data.area, data.other_area
            la = area.local_authority
            data.hold_child = f.ChildFactory(local_authority=la)
            data.erase_child = f.ChildFactory(local_authority=la)
            data.batch = services.request_erasure(
                child=f.ChildFactory(local_authority=la), reason="Asked for", by=area.administrator
            )
            due = f.ChildFactory(local_authority=la, date_of_birth=datetime.date(1990, 1, 1))
            long_ago = timezone.make_aware(datetime.datetime(2010, 1, 1, 12))
            Child.objects.filter(pk=due.pk).update(updated_at=long_ago)
            data.sar = SubjectAccessExport.objects.create(
                child=data.child,
                requested_by=area.officer,
                file="subject-access/fuzz.zip",
                status=SubjectAccessExport.Status.READY,
                finished=timezone.now(),
            )
            data.other_child = f.ChildFactory(
                local_authority=other.local_authority,
                given_name=OTHER_GIVEN_NAME,
                family_name=OTHER_FAMILY_NAME,
            )
            other_request = f.HealthAdviceRequestFactory(child=data.other_child)
            f.ContributionFactory(request=other_request, service=other.service)
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def media(settings, tmp_path, fuzz_data):
    """Uploads in a folder of the test's own: the advice document and the
    prepared subject access ZIP the download pages serve."""
    from tests.ehc.helpers import pdf_bytes

    settings.MEDIA_ROOT = tmp_path
    advice = tmp_path / fuzz_data.advice.document.name
    advice.parent.mkdir(parents=True, exist_ok=True)
    advice.write_bytes(pdf_bytes("fuzz"))
    archive = tmp_path / fuzz_data.sar.file.name
    archive.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zipped:
        zipped.writestr("README.txt", "DRAFT")
    archive.write_bytes(out.getvalue())


def known_ids(data) -> list[str]:
    """The ids of records in both areas: valid-looking and out-of-scope picks."""
    records = [
        data.child,
        data.request,
        data.contribution,
        data.advice,
        data.post,
        data.other_child,
        data.area.local_authority,
        data.other_area.local_authority,
        data.area.body,
        data.other_area.body,
        data.area.service,
        data.other_area.service,
    ]
    return sorted({str(record.pk) for record in records})


def text_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def rolled_back():
    """A transaction for one example, always rolled back."""

    class RolledBack:
        def __enter__(self):
            self.atomic = transaction.atomic()
            self.atomic.__enter__()

        def __exit__(self, *exc):
            transaction.set_rollback(True)
            return self.atomic.__exit__(*exc)

    return RolledBack()


def client_for(target: Target, data) -> Client:
    client = Client()
    if target.role is not None:
        client.force_login(data.area.user(target.role))
    return client


def page_forms(target: Target, data) -> Forms:
    """The forms of the page as its user sees it (a GET with the case's query)."""
    url = target.url(data)
    query = target.query(data) if target.query else ""
    with rolled_back():
        page = client_for(target, data).get(url + query)
    found = Forms(url)
    if page.status_code < 300 and page.get("Content-Type", "").startswith("text/html"):
        found = read_forms(text_of(page), url)
    for name, value in parse_qsl(query.lstrip("?"), keep_blank_values=True):
        found.get_defaults.setdefault(name, []).append(value)
        found.get_choices.setdefault(name, []).append(value)
    return found


def post_defaults(target: Target, data, forms: Forms) -> dict:
    """The page's own POST fields with the case's valid values over them."""
    defaults = {name: list(shown) for name, shown in forms.post_defaults.items() if shown}
    overrides = target.post(data) if callable(target.post) else dict(target.post or {})
    for name, value in overrides.items():
        if value is None:
            defaults.pop(name, None)
        else:
            defaults[name] = value if isinstance(value, list) else [str(value)]
    return defaults


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: f"{t.label}-{t.method}")
def test_fuzz(target: Target, fuzz_data, media):
    data = fuzz_data
    forms = page_forms(target, data)
    url = forms.path
    known = known_ids(data)
    if target.method == "post":
        defaults = post_defaults(target, data, forms)
        choices = forms.post_choices
    else:
        defaults, choices = forms.get_defaults, forms.get_choices
    leaks = (OTHER_GIVEN_NAME, OTHER_FAMILY_NAME)
    check_leaks = target.role not in (None, "administrator")
    # Signed in once: each example's changes to the session (a rotated key,
    # a sign-out) are rolled back with it, and its cookie put back after.
    client = client_for(target, data)
    cookies = client.cookies

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(sent=body(defaults, choices, known))
    def fuzz(sent):
        client.cookies = copy.deepcopy(cookies)
        with rolled_back():
            response = getattr(client, target.method)(url, sent)
            status = response.status_code
            assert status < 500, f"{target.method.upper()} {url} {sent!r}: {status}"
            if check_leaks:
                shown = text_of(response)
                for name in leaks:
                    assert name not in shown, (
                        f"{target.role} {target.method.upper()} {url} {sent!r} shows the "
                        f"other area's child ({name})"
                    )

    fuzz()


@pytest.mark.django_db
def test_the_leak_check_would_see_the_other_areas_child(fuzz_data):
    """The other area's own officer does see the child the fuzz looks for."""
    client = Client()
    client.force_login(fuzz_data.other_area.officer)
    response = client.get(reverse("ehc:child_list"))
    assert OTHER_FAMILY_NAME in response.content.decode()


def test_every_access_case_and_the_public_forms_are_fuzzed():
    fuzzed = {target.label for target in TARGETS}
    cases = {case.label() for cases in REGISTRY.values() for case in cases}
    assert cases <= fuzzed
    assert {"accounts:login", "accounts:password_reset"} <= fuzzed
    posts = {t.label for t in TARGETS if t.method == "post"}
    assert {c.label() for cs in REGISTRY.values() for c in cs if c.post is not None} <= posts


def test_the_page_reader_finds_fields_choices_and_links():
    html = """
    <a href="/list/?page=2&sort=name">next</a><a href="/elsewhere/?x=1">no</a>
    <form method="get"><input name="q" value="sam"><select name="la">
      <option value="">Any</option><option value="7" selected>Leeds</option></select></form>
    <form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="name" value="Sam"><textarea name="note">
hello</textarea>
      <input type="radio" name="kind" value="a" checked><input type="radio" name="kind" value="b">
      <input type="file" name="doc"><button name="action" value="save">Save</button></form>
    <form method="post" action="/accounts/logout/"><input name="gone" value="1"></form>
    """
    forms = read_forms(html, "/list/")
    assert forms.get_choices == {"page": ["2"], "sort": ["name"], "q": ["sam"], "la": ["", "7"]}
    assert forms.get_defaults["la"] == ["7"]
    assert forms.post_defaults == {"name": ["Sam"], "note": ["hello"], "kind": ["a"], "action": []}
    assert forms.post_choices["kind"] == ["a", "b"]
    assert forms.post_choices["action"] == ["save"]
