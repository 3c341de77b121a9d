"""Shared access checks: every protected view is tried as anonymous, wrong
role, right role and other area.

:func:`assert_access` checks one URL for view tests. Every URL pattern also
has an :class:`AccessCase` in ``tests/<app>/test_access.py``, run by GET
and (for views that take one) POST through :func:`access_tests`;
``tests/test_access_coverage.py`` walks the URL patterns and fails for any
view without one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client


@dataclass
class Area:
    """A self-contained local area with one user of every role in it."""

    body: object
    local_authority: object
    provider: object
    service: object
    administrator: object
    officer: object
    practitioner: object
    commissioner: object
    la_officer: object

    def user(self, role_name: str):
        return getattr(self, role_name)

    def everyone(self) -> list:
        """One user of each role."""
        return [
            self.administrator,
            self.officer,
            self.practitioner,
            self.commissioner,
            self.la_officer,
        ]

    def scoped_users(self) -> list:
        """Every role whose view depends on the area (all but administrators)."""
        return self.everyone()[1:]


def make_area() -> Area:
    from tests import factories as f

    body = f.CommissioningBodyFactory()
    la = f.LocalAuthorityFactory()
    f.CommissioningLinkFactory(commissioning_body=body, local_authority=la)
    f.ChildPopulationFactory(local_authority=la)
    provider = f.ProviderFactory()
    service = f.ServiceFactory(provider=provider, local_authorities=[la])
    return Area(
        body=body,
        local_authority=la,
        provider=provider,
        service=service,
        administrator=f.AdministratorFactory(),
        officer=f.DesignatedOfficerFactory(local_authorities=[la], commissioning_body=body),
        practitioner=f.PractitionerFactory(
            provider=provider, local_authorities=[la], services=[service]
        ),
        commissioner=f.CommissionerFactory(commissioning_body=body),
        la_officer=f.LAOfficerFactory(local_authorities=[la]),
    )


def get_as(user, url: str, method: str = "get", data=None):
    """The response to ``user`` (None: anonymous) asking for ``url``."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {})


def assert_anonymous_redirected(url: str, method: str = "get") -> None:
    response = get_as(None, url, method)
    assert response.status_code == 302, f"anonymous {method.upper()} {url}: {response.status_code}"
    login = resolve_url(settings.LOGIN_URL)
    assert urlparse(response["Location"]).path == login, response["Location"]


def assert_access(
    url: str,
    *,
    allowed: list,
    denied: list,
    other_area: list | None = None,
    method: str = "get",
    data=None,
    other_area_status: int = 404,
) -> None:
    """Check the four cases for one URL.

    ``allowed`` users get 200, ``denied`` users (wrong role) get 403,
    ``other_area`` users (right role, another area) get ``other_area_status``
    (404 for a record outside scope), anonymous users go to sign-in.
    """
    assert allowed, "name at least one user who may use the view"
    assert_anonymous_redirected(url, method)
    for user in allowed:
        response = get_as(user, url, method, data)
        assert response.status_code == 200, (
            f"{user.role} {method.upper()} {url}: expected 200, got {response.status_code}"
        )
    for user in denied:
        response = get_as(user, url, method, data)
        assert response.status_code == 403, (
            f"{user.role} {method.upper()} {url}: expected 403, got {response.status_code}"
        )
    for user in other_area or []:
        response = get_as(user, url, method, data)
        assert response.status_code == other_area_status, (
            f"other-area {user.role} {method.upper()} {url}: expected "
            f"{other_area_status}, got {response.status_code}"
        )


# --- Four-way access cases, walked over every URL --------------------------------------------
#
# Each app's ``tests/<app>/test_access.py`` lists its views as :class:`AccessCase`
# rows and turns them into tests with :func:`access_tests`. That function is the
# only way into :data:`REGISTRY`, which ``tests/test_access_coverage.py`` reads to
# check that every URL pattern has a case: a view counts as covered only by
# the same rows that drive the requests below.

ROLES = ("administrator", "officer", "practitioner", "commissioner", "la_officer")

# Role -> the Role value stored on its users, to check cases against
# accounts.permissions.ROLE_PERMISSIONS.
ROLE_VALUES = {
    "administrator": "administrator",
    "officer": "designated_officer",
    "practitioner": "health_practitioner",
    "commissioner": "commissioner",
    "la_officer": "la_officer",
}


@dataclass
class Dataset:
    """Two areas and a small record set in the first: what URL kwargs are
    built from. The second area's users try the first area's URLs."""

    area: Area
    other_area: Area
    child: object
    request: object
    contribution: object
    advice: object
    budget: object
    post: object
    template: object
    enquiry: object = None
    # An EHC plan of the child, first made 50 weeks ago (so the child is on
    # the reviews worklist), audited, with one provision row.
    plan: object = None
    plan_provision: object = None
    service_wait: object = None
    # An improvement plan of the area and one of its actions (tests/improvement/data.py).
    improvement_plan: object = None
    action: object = None


def make_dataset() -> Dataset:
    """One of each record the portal's URLs name, in ``area``; the post is
    held by ``area.officer``."""
    import datetime

    from django.utils import timezone

    from ehc.models import PersonalHealthBudget, PlanAudit
    from tests import factories as f

    area, other_area = make_area(), make_area()
    child = f.ChildFactory(local_authority=area.local_authority)
    request = f.HealthAdviceRequestFactory(child=child)
    contribution = f.ContributionFactory(request=request, service=area.service)
    # The document's file is written by the test that downloads it, under
    # its own MEDIA_ROOT.
    advice = f.AdviceFactory(
        contribution=contribution,
        document="advice/access-test.pdf",
        document_name="access-test.pdf",
    )
    budget = PersonalHealthBudget.objects.create(
        child=child, considered_on=datetime.date(2026, 1, 5)
    )
    post = f.PostFactory(
        holder=area.officer,
        local_authorities=[area.local_authority],
        commissioning_bodies=[area.body],
    )
    enquiry = f.EnquiryFactory(
        local_authority=area.local_authority,
        child=child,
        organisation="Oakfield Marker Primary",
        created_by=area.officer,
    )
    # The first plan, 50 weeks ago: the child is on the reviews worklist.
    plan = f.EHCPlanFactory(
        child=child,
        la_reference="EHCP-MARKER-1",
        issued_on=timezone.localdate() - datetime.timedelta(weeks=50),
    )
    plan.informed_by.add(request)
    PlanAudit.objects.create(
        plan=plan, auditor=area.officer, audited_on=plan.issued_on, needs_in_c="partly"
    )
    plan_provision = f.PlanProvisionFactory(plan=plan, service=area.service)
    data = Dataset(
        area=area,
        other_area=other_area,
        enquiry=enquiry,
        plan=plan,
        plan_provision=plan_provision,
        service_wait=f.ServiceWaitFactory(service=area.service),
        child=child,
        request=request,
        contribution=contribution,
        advice=advice,
        budget=budget,
        post=post,
        template=post.template,
    )
    from tests.improvement.data import add_plan

    add_plan(data)
    return data


def date_data(name: str, day: str) -> dict:
    """POST data for a GOV.UK date input, from ``YYYY-MM-DD``."""
    year, month, dd = day.split("-")
    return {f"{name}_0": str(int(dd)), f"{name}_1": str(int(month)), f"{name}_2": year}


def _no_kwargs(data: Dataset) -> dict:
    return {}


def _no_query(data: Dataset) -> str:
    return ""


@dataclass(frozen=True)
class AccessCase:
    """The four ways into one URL pattern.

    ``allowed`` names the roles (:data:`ROLES`) that may use the view in their
    own area; every other role is the wrong role and gets 403. Anonymous
    users go to sign-in. The allowed roles of the *other* area then ask for
    the same URL, and get one of:

    - ``other_area=404`` (or another status): the record is outside their
      scope (404), or the selection names an area not theirs (400);
    - ``hidden=lambda data: text``: a list or summary page, 200, which must
      not show ``text`` (while the allowed users of the area, administrators
      apart, do see it);
    - ``not_scoped="why"``: the page holds nothing of any area, so the other
      area's users get what the area's own users get.

    ``post`` (a dict, or a callable taking the :class:`Dataset`) makes the
    case POST as well as GET: the fields of the form the view shows (to an
    allowed user) are sent back with these values over them (None leaves a
    field out, as an unticked box is). ``writes``
    says an allowed user's POST saves something, which proves the data
    would have written had the access check let a wrong user through.
    """

    url_name: str
    allowed: frozenset
    kwargs: object = _no_kwargs
    query: object = _no_query
    other_area: int | None = None
    hidden: object = None
    not_scoped: str = ""
    post: object = None
    writes: bool = False
    allowed_status: int = 200
    id: str = ""

    def __post_init__(self):
        unknown = set(self.allowed) - set(ROLES)
        if self.hidden is not None:
            assert self.allowed - {"administrator"}, (
                f"{self.url_name}: hidden= needs a role with an area to see the text"
            )
        assert not unknown, f"{self.url_name}: unknown roles {unknown}"
        assert self.allowed, f"{self.url_name}: name at least one role that may use it"
        ways = [self.other_area is not None, self.hidden is not None, bool(self.not_scoped)]
        assert sum(ways) == 1, (
            f"{self.url_name}: say what another area's users get: exactly one of "
            "other_area=<status>, hidden=<text>, not_scoped=<why>"
        )

    @property
    def denied(self) -> tuple[str, ...]:
        return tuple(role for role in ROLES if role not in self.allowed)

    @property
    def methods(self) -> tuple[str, ...]:
        return ("get", "post") if self.post is not None else ("get",)

    def url(self, data: Dataset) -> str:
        from django.urls import reverse

        return reverse(self.url_name, kwargs=self.kwargs(data)) + self.query(data)

    def label(self) -> str:
        return self.id or self.url_name


# url name -> the cases that exercise it; filled only by access_tests().
REGISTRY: dict[str, list[AccessCase]] = {}


def database_state() -> dict:
    """Every row of the portal's own tables and the audit log, to compare
    before and after a request that must write nothing. A user's
    ``last_login`` is left out: signing in sets it."""
    from django.db import connection

    state = {}
    with connection.cursor() as cursor:
        for table, sql in _state_queries():
            cursor.execute(sql)
            state[table] = cursor.fetchall()
    return state


@functools.cache
def _state_queries() -> tuple[tuple[str, str], ...]:
    # Plain SQL: this runs around hundreds of requests, and the ORM's own
    # cost per query would be most of the access tests' time.
    from django.apps import apps
    from django.db import connection

    quote = connection.ops.quote_name
    queries = []
    for label in (
        "accounts",
        "commissioning",
        "ehc",
        "roles",
        "governance",
        "enquiries",
        "improvement",
        "reports",
        "auditlog",
    ):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            columns = ", ".join(
                quote(field.column)
                for field in model._meta.concrete_fields
                if field.attname != "last_login"
            )
            table = model._meta.db_table
            pk = quote(model._meta.pk.column)
            queries.append((table, f"SELECT {columns} FROM {quote(table)} ORDER BY {pk}"))
    return tuple(queries)


class _FormFields:
    """The fields of the largest POST form on a page, with the values shown."""

    def __init__(self, html: str):
        from html.parser import HTMLParser

        forms: list[dict] = []
        current: dict | None = None
        select: str | None = None
        textarea: str | None = None

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                nonlocal current, select, textarea
                a = dict(attrs)
                if tag == "form":
                    is_post = (a.get("method") or "").lower() == "post"
                    current = {} if is_post and "logout" not in (a.get("action") or "") else None
                    if current is not None:
                        forms.append(current)
                elif current is None or not a.get("name") and tag != "option":
                    return
                elif tag == "input":
                    kind = (a.get("type") or "text").lower()
                    if kind in ("checkbox", "radio"):
                        if "checked" in a:
                            current.setdefault(a["name"], []).append(a.get("value") or "on")
                    elif kind not in ("submit", "button", "file"):
                        current.setdefault(a["name"], []).append(a.get("value") or "")
                elif tag == "select":
                    select = a["name"]
                    current.setdefault(select, [])
                elif tag == "option" and select and "selected" in a:
                    current[select].append(a.get("value") or "")
                elif tag == "textarea":
                    textarea = a["name"]
                    current[textarea] = [""]

            def handle_endtag(self, tag):
                nonlocal current, select, textarea
                if tag == "form":
                    current = None
                elif tag == "select":
                    select = None
                elif tag == "textarea":
                    textarea = None

            def handle_data(self, text):
                if current is not None and textarea:
                    current[textarea][-1] += text

        Parser(convert_charrefs=True).feed(html)
        self.fields = max(forms, key=len) if forms else {}

    def data(self, overrides: dict) -> dict:
        data = {name: values for name, values in self.fields.items() if values}
        data.pop("csrfmiddlewaretoken", None)
        data.update(overrides)
        # None in the overrides unticks a box or leaves a field out.
        return {name: value for name, value in data.items() if value is not None}


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _post_data(case: AccessCase, data: Dataset, url: str) -> dict:
    overrides = case.post(data) if callable(case.post) else dict(case.post)
    page = _client(data.area.user(sorted(case.allowed)[0])).get(url)
    is_page = page.get("Content-Type", "").startswith("text/html") and not page.streaming
    shown = page.content.decode() if is_page and page.status_code < 300 else ""
    return _FormFields(shown).data(overrides)


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def check_access(case: AccessCase, data: Dataset, method: str) -> None:
    """Ask ``case``'s URL as anonymous, every wrong role, the allowed roles
    of the other area and the allowed roles of the area, in that order;
    none but the last may change anything."""
    url = case.url(data)
    body = _post_data(case, data, url) if method == "post" else {}
    where = f"{method.upper()} {url}"

    def ask(user, expect_unchanged: bool):
        client = _client(user)
        before = database_state() if expect_unchanged else None
        response = getattr(client, method)(url, body)
        if expect_unchanged:
            assert database_state() == before, f"{where} as {who(user)} wrote to the database"
        return response

    def who(user) -> str:
        return "anonymous" if user is None else f"{user.role} ({user.email})"

    response = ask(None, True)
    assert response.status_code == 302, f"anonymous {where}: {response.status_code}"
    login = resolve_url(settings.LOGIN_URL)
    assert urlparse(response["Location"]).path == login, response["Location"]

    for role in case.denied:
        response = ask(data.area.user(role), True)
        assert response.status_code == 403, f"wrong role {role} {where}: {response.status_code}"

    marker = case.hidden(data) if case.hidden is not None else None
    for role in sorted(case.allowed):
        if role == "administrator":
            continue  # administrators have no area: there is no "other" one
        # Where nothing is scoped, the other area's users are allowed users too.
        response = ask(data.other_area.user(role), not case.not_scoped)
        status = response.status_code
        if case.other_area is not None:
            expected = case.other_area
            assert status == expected, f"other-area {role} {where}: {status}, not {expected}"
        else:
            assert status not in (403, 404), f"other-area {role} {where}: {status}"
            if marker is not None and method == "get":
                assert marker not in _text(response), f"other-area {role} {where} sees {marker!r}"

    wrote = False
    for role in sorted(case.allowed):
        before = database_state() if case.writes else None
        response = ask(data.area.user(role), False)
        status = response.status_code
        assert status not in (401, 403, 404, 405), f"{role} {where}: {status}"
        if method == "get":
            assert status == case.allowed_status, f"{role} {where}: {status}"
            # Administrators see every area, but a page need not list them.
            if marker is not None and role != "administrator":
                assert marker in _text(response), (
                    f"{role} {where} does not see {marker!r}: the hidden check proves nothing"
                )
        elif case.writes and not wrote:
            wrote = database_state() != before
    if method == "post" and case.writes:
        assert wrote, f"no allowed user's {where} wrote anything: the POST data proves nothing"


def access_tests(cases: list[AccessCase]):
    """A test function running :func:`check_access` for every case and
    method; assign it to a ``test_`` name in the module. Registers the cases
    for ``tests/test_access_coverage.py``."""
    import pytest

    params = []
    for case in cases:
        REGISTRY.setdefault(case.url_name, []).append(case)
        for method in case.methods:
            params.append(pytest.param(case, method, id=f"{case.label()}-{method}"))

    @pytest.mark.django_db
    @pytest.mark.parametrize(("case", "method"), params)
    def test_four_way_access(case, method, access_data):
        check_access(case, access_data, method)

    test_four_way_access.access_cases = cases
    return test_four_way_access


def _access_data_fixture():
    import pytest

    @pytest.fixture(scope="module")
    def access_data(django_db_setup, django_db_blocker):
        """One :class:`Dataset` for a whole test module, rolled back at its end."""
        from django.db import transaction
        from django.test import override_settings

        fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            with fast:
                data = make_dataset()
        try:
            yield data
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    return access_data


# Import into each access test module: ``from tests.access import access_data``.
access_data = _access_data_fixture()
