"""How a review's dates are shown (ehc/templatetags/review_tags.py)."""

from __future__ import annotations

import datetime

from ehc.reviews.selectors import Step
from ehc.templatetags.review_tags import review_due, review_step

D = datetime.date
TODAY = D(2026, 11, 30)


def test_a_due_date_with_its_clock():
    assert review_due(None, TODAY) == "Not known"
    late = review_due(D(2026, 11, 25), TODAY)
    assert "25 Nov 2026" in late and "govuk-tag--red" in late and "5 days overdue" in late
    soon = review_due(D(2026, 12, 3), TODAY)
    assert "3 days left" in soon and "govuk-tag--orange" in soon
    assert "govuk-tag" not in review_due(D(2026, 12, 3), TODAY, owed=False)


def test_a_step_done_or_owed():
    assert review_step(None, TODAY) == "–"
    done = review_step(Step(D(2026, 11, 16), D(2026, 11, 10)), TODAY)
    assert "Due 16 Nov 2026" in done and "Done" in done and "10 Nov 2026" in done
    owed = review_step(Step(D(2026, 11, 16), None), TODAY)
    assert "14 days overdue" in owed and "Done" not in owed
    assert "Due today" in review_step(Step(TODAY, None), TODAY)
