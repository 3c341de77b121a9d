"""ehc.filters: the worklist's filter panel (written by core.gds_fields) and
its choices (plain, from the user's scope, kept in the cache a minute)."""

import pytest
from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django.core.cache import cache
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ehc.filters import RequestFilter, worklist_choices
from ehc.models import HealthAdviceRequest
from tests import factories as f
from tests.ehc.helpers import case_in, login

pytestmark = pytest.mark.django_db


def _crispy_panel(form) -> str:
    """The panel as the worklist drew it through crispy-forms-gds before it
    was written in Python: the reference for its markup."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(
        Field.text("q", field_width=Fluid.FULL),
        Field.select("status"),
        Field.checkbox("overdue", small=True),
        Field.checkbox("lawful_exception", small=True),
        Field.text("due_within", field_width=3),
        Field.select("process"),
        Field.select("local_authority"),
        Field.select("provider"),
        Field.select("service"),
        Field.select("primary_need"),
        Field.select("age_group"),
        Field.select("group"),
        Field.select("owner"),
        Field("received_from"),
        Field("received_to"),
        Button("submit", "Apply filters"),
    )
    form.helper = helper
    return render_crispy_form(form)


def _filter(user, data):
    return RequestFilter(data, queryset=HealthAdviceRequest.objects.visible_to(user), user=user)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"overdue": "on", "status": "open", "q": "Sam <O'Neil>"},
        {"local_authority": "LA", "provider": "PROVIDER", "service": "SERVICE", "owner": "OWNER"},
        {"primary_need": "ASD", "age_group": "5_10", "group": "looked_after", "due_within": "7"},
        {"received_from": "2026-04-01", "received_to_0": "1", "received_to_1": "5"},
        # Errors: a choice not offered, not a number, dates out of order.
        {"local_authority": "999999", "owner": "x", "due_within": "soon", "status": "nope"},
        {"received_from_0": "2", "received_from_1": "5", "received_from_2": "2026"}
        | {"received_to_0": "1", "received_to_1": "5", "received_to_2": "2026"},
    ],
)
def test_the_panel_is_the_markup_crispy_forms_gds_wrote(area, data):
    f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])
    ids = {
        "LA": area.local_authority.pk,
        "PROVIDER": area.provider.pk,
        "SERVICE": area.service.pk,
        "OWNER": area.officer.pk,
    }
    data = data and {key: str(ids.get(value, value)) for key, value in data.items()}
    ours, theirs = _filter(area.officer, data), _filter(area.officer, data)
    ours.form.is_valid()
    theirs.form.is_valid()
    assert parse_html(ours.panel) == parse_html(_crispy_panel(theirs.form))


def test_the_choices_are_the_users_scope(area, other_area):
    second = f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])
    choices = worklist_choices(area.officer)
    assert choices["local_authority"] == [(area.local_authority.pk, area.local_authority.name)]
    assert choices["provider"] == [(area.provider.pk, area.provider.name)]
    assert sorted(choices["service"]) == sorted(
        (s.pk, f"{s.name} ({area.provider.name})") for s in (area.service, second)
    )
    assert choices["owner"] == [(area.officer.pk, area.officer.full_name)]
    # A practitioner is offered their own services only.
    assert worklist_choices(area.practitioner)["service"] == [
        (area.service.pk, f"{area.service.name} ({area.provider.name})")
    ]


def test_the_choices_are_kept_a_minute_for_each_user(area, other_area):
    first = worklist_choices(area.officer)
    f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])
    with CaptureQueriesContext(connection) as again:
        assert worklist_choices(area.officer) == first  # from the cache
    assert not any("commissioning_service" in q["sql"] for q in again.captured_queries)
    # Another user has their own.
    theirs = worklist_choices(other_area.officer)
    assert theirs["local_authority"] == [
        (other_area.local_authority.pk, other_area.local_authority.name)
    ]
    cache.clear()  # a minute later
    assert len(worklist_choices(area.officer)["service"]) == 2


def test_a_choice_still_offered_from_the_cache_shows_only_the_users_requests(
    client, area, other_area
):
    """A stale choice (an area no longer the user's) filters their scoped
    requests: nothing of the other area is shown."""
    case_in(other_area)
    key = f"ehc:worklist-choices:{area.officer.pk}:{area.officer.role}"
    stale = worklist_choices(area.officer)
    stale["local_authority"].append((other_area.local_authority.pk, "Not mine"))
    cache.set(key, stale, 60)
    login(client, area.officer)
    response = client.get(
        reverse("ehc:request_list"), {"local_authority": other_area.local_authority.pk}
    )
    assert response.status_code == 200
    assert list(response.context["requests"]) == []


def test_filters_by_area_provider_service_and_owner_take_plain_ids(client, area):
    _, mine, _ = case_in(area)
    mine.owner = area.officer
    mine.save()
    other_service = f.ServiceFactory(local_authorities=[area.local_authority])
    _, theirs, _ = case_in(area)
    f.ContributionFactory(request=theirs, service=other_service)
    theirs.contributions.filter(service=area.service).delete()
    login(client, area.officer)
    for query, expected in (
        ({"local_authority": area.local_authority.pk}, {mine, theirs}),
        ({"provider": area.provider.pk}, {mine}),
        ({"provider": other_service.provider.pk}, {theirs}),
        ({"service": other_service.pk}, {theirs}),
        ({"owner": area.officer.pk}, {mine}),
    ):
        response = client.get(reverse("ehc:request_list"), query)
        assert response.status_code == 200, query
        assert set(response.context["requests"]) == expected, query
