"""The improvement plan records the access tests and the page sweeps name:
a plan of the data set's area with one action, a progress note and an
evidence link (tests/access.py, tests/pages.py)."""

from __future__ import annotations

import datetime

PLAN_MARKER = "Marker written statement of action"


def add_plan(data) -> None:
    """Add ``data.improvement_plan`` and ``data.action`` in ``data.area``."""
    from improvement.models import EvidenceLink, PlanKind, ProgressNote
    from tests import factories as f

    area = data.area
    data.improvement_plan = f.ImprovementPlanFactory(
        local_authority=area.local_authority,
        commissioning_body=area.body,
        title=PLAN_MARKER,
        kind=PlanKind.WRITTEN_STATEMENT,
        inspected_on=datetime.date(2025, 11, 14),
        created_by=area.officer,
    )
    data.action = f.ImprovementActionFactory(
        plan=data.improvement_plan, number="1.1", owner_user=area.officer, created_by=area.officer
    )
    ProgressNote.objects.create(
        action=data.action,
        written_on=datetime.date(2026, 2, 2),
        text="Providers agreed the standard.",
        created_by=area.officer,
    )
    EvidenceLink.objects.create(
        action=data.action,
        label="Quarterly report",
        path="/reports/quarterly/",
        created_by=area.officer,
    )
