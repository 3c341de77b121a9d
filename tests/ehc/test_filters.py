"""ehc.filters: the worklist's filter panel (drawn by crispy-forms-gds, kept
a minute) and its choices (plain, from the user's scope, kept a minute)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ehc import filters
from ehc.filters import RequestFilter, worklist_choices
from ehc.models import HealthAdviceRequest
from tests import factories as f
from tests.ehc.helpers import case_in, login

pytestmark = pytest.mark.django_db


def _filter(user, data):
    return RequestFilter(data, queryset=HealthAdviceRequest.objects.visible_to(user), user=user)


def _panel(user, data):
    filters = _filter(user, data)
    filters.form.is_valid()
    return filters.panel


def test_the_panel_shows_the_choices_made_and_the_errors(area):
    la = area.local_authority
    data = {"status": "nope", "local_authority": str(la.pk)}
    panel = _panel(area.officer, data)
    chosen = f'<option value="{la.pk}" selected>{la.name}</option>'
    assert parse_html(chosen) in parse_html(panel)
    assert "govuk-form-group--error" in panel and "govuk-error-message" in panel


@pytest.fixture
def drawn(monkeypatch):
    """How many times crispy-forms-gds drew a panel."""
    calls = []
    real = filters.render_crispy_form

    def counting(form):
        calls.append(form)
        return real(form)

    monkeypatch.setattr(filters, "render_crispy_form", counting)
    cache.clear()
    return calls


def test_the_panel_is_drawn_once_a_minute_for_each_user_and_set_of_filters(area, other_area, drawn):
    data = {"status": "open", "overdue": "on"}
    first = _panel(area.officer, data)
    again = _panel(area.officer, {"overdue": "on", "status": "open"})  # any order
    assert again == first and len(drawn) == 1
    assert _panel(area.officer, {"status": "closed"}) != first  # other filters: drawn
    assert other_area.local_authority.name not in first
    theirs = _panel(other_area.officer, data)  # another user: their own panel
    assert other_area.local_authority.name in theirs and area.local_authority.name not in theirs
    assert len(drawn) == 3


def test_a_panel_holding_typed_words_is_drawn_every_time_never_kept(area, drawn):
    assert "Sam O&#x27;Neil" in _panel(area.officer, {"q": "Sam O'Neil"})
    assert "Sam O&#x27;Neil" in _panel(area.officer, {"q": "Sam O'Neil"})
    dates = {"received_from_0": "1", "received_from_1": "4", "received_from_2": "2026"}
    _panel(area.officer, dates)
    assert 'value="2026"' in _panel(area.officer, dates)
    assert len(drawn) == 4


def test_a_panel_drawn_blank_is_not_shown_for_dates_or_their_errors(area, drawn):
    """The date boxes' names are not the field's: a panel kept blank must not
    be shown for a date sent, valid or not."""
    _panel(area.officer, {"status": "open"})
    bad = {"status": "open", "received_from_0": "31", "received_from_1": "2"}
    bad |= {"received_from_2": "2026"}
    assert "govuk-error-message" in _panel(area.officer, bad)


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


def test_a_visit_with_the_panel_kept_builds_no_form(client, area, drawn):
    """The form (sixteen fields, each copied twice) is built to check the
    filters sent or to draw a panel not kept; a plain visit whose panel is
    in the cache needs neither, and the page is the same."""
    case_in(area)
    login(client, area.officer)
    first = client.get(reverse("ehc:request_list"))
    assert "_form" in vars(first.context["filter"]) and len(drawn) == 1
    again = client.get(reverse("ehc:request_list"))
    assert "_form" not in vars(again.context["filter"])
    assert _without_tokens(again) == _without_tokens(first) and len(drawn) == 1
    sent = client.get(reverse("ehc:request_list"), {"overdue": "on"})
    assert "_form" in vars(sent.context["filter"])  # checked, so built


def _without_tokens(response) -> str:
    """The page without its CSRF tokens (masked afresh on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
