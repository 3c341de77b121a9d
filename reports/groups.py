"""Requests by group (preparing for adulthood, 18 to 25, looked after,
electively home educated, youth justice, continuing care) as every report
shows them: the dashboard, the quarterly report (web, PDF, CSV) and the
annual report's demand section (docs/reports.md, "Requests by group").

A request counts in each group its child is in (:func:`ehc.groups.groups_of`):
year 9 and 18 to 25 on the day health received the request, the flags as
recorded on the child now. So the groups overlap and do not add up to the
requests received.

Suppression as every breakdown (:class:`reports.suppression.Figures`): no
table when the selection's own total is suppressed; a column whose period
total (the requests received in it) is suppressed shows "*" in every cell,
zeros included, since a 0 beside a "*" would say which group the handful
are in.
"""

from __future__ import annotations

from ehc import groups
from reports.shown import Row, Shown, Table, show_count
from reports.suppression import SUPPRESSED

NOTE = (
    "A request counts in every group its child or young person is in, so the groups overlap "
    "and do not add up to the requests received. Year 9 and 18 to 25 are on the day health "
    "received the request; the other groups are as recorded on the child's record now."
)
HIDDEN = Shown(SUPPRESSED, SUPPRESSED)


def group_table(presenter, too_few: str) -> Table:
    """Requests by group for each of ``presenter``'s periods (a
    :class:`reports.presentation.Presenter`), every group shown even at 0.
    A flag group's count links to the worklist filtered by the group for
    officers (the flags are the child's now, as the filter's are); the
    age-based groups do not, since the worklist counts ages today."""
    head = ["Group", *presenter.head_periods]
    if presenter._too_few_to_break_down():
        return Table("by_group", "Requests by group", head, [], empty=too_few)
    figures = presenter.figures
    hidden = [presenter._column_hidden(m.requests) for m in presenter.periods]
    rows = []
    for key, label in groups.GROUPS.items():
        counts = [m.by_group.get(key, 0) for m in presenter.periods]
        cells = [
            HIDDEN if hide else show_count(figures, n)
            for n, hide in zip(counts, hidden, strict=True)
        ]
        link = presenter._link(group=key) if key in groups.FLAGS and counts[0] else None
        rows.append(Row(label, cells, link))
    return Table("by_group", "Requests by group", head, rows, NOTE)
