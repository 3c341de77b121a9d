"""The clock tags of the EHC screens (ehc/templatetags/ehc_tags.py): which
colour and words a request or a service's part gets, by its dates."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from ehc.templatetags.ehc_tags import request_clock_label, working_clock_label, year_group_label

D = datetime.date
TODAY = D(2026, 11, 23)


@pytest.mark.parametrize(
    "working, due, expected",
    [
        # No return-by date: the statutory date alone.
        (D(2026, 12, 14), D(2026, 12, 14), ("blue", "21 days left")),
        (D(2026, 11, 23), D(2026, 11, 23), ("red", "Due today")),
        (D(2026, 11, 16), D(2026, 11, 16), ("red", "7 days overdue")),
        # Return by 4 December, due 14 December: the days count to 4 December.
        (D(2026, 12, 4), D(2026, 12, 14), ("yellow", "11 days left")),
        (D(2026, 11, 30), D(2026, 12, 14), ("orange", "7 days left")),
        (D(2026, 11, 23), D(2026, 12, 14), ("orange", "Return by today")),
        # Past the return-by date only: orange, never red or "overdue".
        (D(2026, 11, 22), D(2026, 12, 14), ("orange", "1 day past return-by")),
        (D(2026, 11, 20), D(2026, 11, 25), ("orange", "3 days past return-by")),
        # Past both: overdue, counted from the statutory date.
        (D(2026, 11, 10), D(2026, 11, 16), ("red", "7 days overdue")),
        (D(2026, 11, 16), D(2026, 11, 23), ("red", "Due today")),
    ],
)
def test_working_clock_reds_only_the_statutory_date(working, due, expected):
    assert working_clock_label(working, due, TODAY) == expected


def awaiting(**dates):
    return SimpleNamespace(
        status="awaiting",
        due_on=D(2026, 11, 16),
        get_status_display=lambda: "Awaiting advice",
        **dates,
    )


@pytest.mark.parametrize(
    "dates, expected",
    [
        # Not annotated (or nothing outstanding): the request's own due date.
        ({}, ("red", "7 days overdue")),
        ({"work_due_on": None}, ("red", "7 days overdue")),
        # One late without an exception: overdue, whatever else is excused.
        (
            {
                "work_due_on": D(2026, 11, 16),
                "owed_due_on": D(2026, 11, 16),
                "unexcepted_due_on": D(2026, 11, 16),
                "excepted_due_on": D(2026, 11, 10),
            },
            ("red", "7 days overdue"),
        ),
        # Only excused ones late: late, lawfully.
        (
            {
                "work_due_on": D(2026, 11, 16),
                "owed_due_on": D(2026, 11, 16),
                "unexcepted_due_on": D(2026, 11, 25),
                "excepted_due_on": D(2026, 11, 16),
            },
            ("purple", "Late: lawful exception"),
        ),
        # Nothing late: by the earliest working date.
        (
            {
                "work_due_on": D(2026, 12, 4),
                "owed_due_on": D(2026, 12, 14),
                "unexcepted_due_on": D(2026, 12, 14),
                "excepted_due_on": None,
            },
            ("yellow", "11 days left"),
        ),
    ],
    ids=["own date", "nothing outstanding", "overdue", "lawful", "working date"],
)
def test_request_clock(dates, expected):
    assert request_clock_label(awaiting(**dates), TODAY) == expected


@pytest.mark.parametrize(
    "group, label",
    [
        (-1, "Not yet in reception"),
        (0, "Reception"),
        (9, "Year 9"),
        (14, "Year 14"),
        (15, "Past year 14"),
        (None, "Not known"),
    ],
)
def test_year_group_label(group, label):
    assert year_group_label(group) == label


# The worklist's rows as the page's template loop wrote them before they were
# written in one pass: the reference for worklist_rows's markup.
_ROW_LOOP = """{% load ehc_tags %}{% for req in requests %}
<tr class="govuk-table__row">
  <th scope="row" class="govuk-table__header"><a class="govuk-link"
    href="{% url 'ehc:request_detail' req.pk %}">{{ req.reference }}</a></th>
  <td class="govuk-table__cell">{% request_clock req today %}</td>
  <td class="govuk-table__cell">{% request_due_compact req %}</td>
  <td class="govuk-table__cell">{{ req.child.full_name }}</td>
  <td class="govuk-table__cell">{{ req.get_process_display }}</td>
  <td class="govuk-table__cell">{{ req.local_authority.name }}</td>
  <td class="govuk-table__cell">{{ req.returned_count }} of {{ req.asked_count }}<span
    class="govuk-visually-hidden"> services</span></td>
</tr>{% endfor %}"""


@pytest.mark.django_db
def test_worklist_rows_are_the_rows_the_template_loop_wrote():
    from django.template import Context, Template
    from django.test.html import parse_html

    from ehc import selectors
    from ehc.models import HealthAdviceRequest, RequestStatus
    from ehc.services.urgency import refresh_urgency
    from ehc.templatetags.ehc_tags import worklist_rows
    from tests import factories as f
    from tests.access import make_area
    from tests.ehc.helpers import case_in

    area = make_area()
    _, late, _ = case_in(area, received_on=D(2026, 9, 1), sent_on=D(2026, 8, 31))
    _, closed, _ = case_in(area, status=RequestStatus.CLOSED)
    child, returned, contribution = case_in(area)
    child.given_name, child.family_name = "Sam <b>", "O'Neil & Co"
    child.save()
    contribution.returned_on, contribution.outcome = TODAY, "not_known"
    contribution.save()
    f.ContributionFactory(request=returned, service=f.ServiceFactory())
    refresh_urgency([returned.pk])
    ids = [late.pk, closed.pk, returned.pk]
    rows = selectors.worklist_page(HealthAdviceRequest.objects.all(), ids)
    written = worklist_rows(rows, TODAY)
    looped = Template(_ROW_LOOP).render(Context({"requests": rows, "today": TODAY}))
    assert parse_html(written) == parse_html(looped)
    assert "Sam &lt;b&gt; O&#x27;Neil &amp; Co" in written
    assert "1 of 2" in written
    assert worklist_rows([], TODAY) == ""
