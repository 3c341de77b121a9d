"""The annual report's sections on designated officers: resourcing on the
report's last day (PAs a week, per 10,000 children, against the national
survey) and the post-holders' work in the year (roles.activity). Figures
about staff are shown exactly.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from commissioning.models import LocalAuthority
from core.periods import format_date
from reports.annual_sections import ROLE_LABELS, Section, plain
from reports.filters import Selection
from reports.shown import Row, Shown, Table
from roles import activity, pa_policy, selectors
from roles.models import BoardKind, PAPolicySettings


def officer_sections(
    selection: Selection, la_ids: list[int], on: datetime.date, *, during: str = "In the year"
) -> list[Section]:
    """Resourcing on ``on`` and the post-holders' work in the year (or the
    selection's period, named by ``during``: "In the period")."""
    policy = PAPolicySettings.current()
    ages = "0 to 25" if policy.population_includes_young_people else "0 to 17"
    resourcing = Section("resourcing", "Designated officer resourcing")
    resourcing.p(
        f"Designated clinical officer (DCO) and designated medical officer (DMO) time on "
        f"{format_date(on)}, against the number of children aged {ages}. A programmed activity "
        f"(PA) is 4 hours; 2 PAs are about a day. Posts covering several areas are shared "
        f"between them by child population."
    )
    if selection.body is not None and selection.local_authority is None:
        area, rows = selectors.body_resourcing(selection.body, on=on, settings=policy)
    else:
        las = LocalAuthority.objects.filter(pk__in=la_ids).order_by("name")
        rows = selectors.resourcing_table(las, on=on, settings=policy)
        area = rows[0][1] if len(rows) == 1 else None
    if area is not None:
        resourcing.facts(_area_facts(area, ages))
    resourcing.table(_by_area(rows))
    summaries = area.posts if area is not None else _unique_posts(rows)
    resourcing.table(_posts_table(summaries))
    return [resourcing, _officer_activity(selection, la_ids, on, during)]


def _survey(position) -> str:
    if position is None:
        return "No time recorded"
    return position.summary


def _area_facts(area: selectors.AreaResourcing, ages: str) -> list[tuple[str, str]]:
    def per_10000(value):
        return (
            "No population recorded"
            if value is None
            else f"{pa_policy.format_number(value)} PAs a week"
        )

    vacant = f" ({area.vacant_posts} vacant post{'s' if area.vacant_posts != 1 else ''})"
    return [
        ("Delivery model", area.delivery_model + (vacant if area.vacant_posts else "")),
        (f"Children aged {ages}", f"{area.children:,}" if area.children else "Not recorded"),
        ("DCO time", pa_policy.describe_time(area.dco_pas)),
        ("DCO time per 10,000 children", per_10000(area.dco_per_10000)),
        ("DCO time against the national survey", _survey(area.dco_survey)),
        ("DMO time", pa_policy.describe_time(area.dmo_pas)),
        ("DMO time per 10,000 children", per_10000(area.dmo_per_10000)),
        ("DMO time against the national survey", _survey(area.dmo_survey)),
    ]


def _by_area(rows) -> Table:
    out = []
    for la, area in rows:
        out.append(
            Row(
                la.name,
                [
                    plain(area.children),
                    Shown(area.delivery_model, area.delivery_model),
                    plain(area.dco_days),
                    plain(area.dco_per_10000),
                    plain(area.dmo_pas),
                    plain(area.dmo_per_10000),
                    plain(area.vacant_posts),
                ],
            )
        )
    return Table(
        "resourcing_by_area",
        "Designated officer time by local authority",
        [
            "Local authority",
            "Children",
            "Delivery model",
            "DCO days a week",
            "DCO PAs per 10,000",
            "DMO PAs a week",
            "DMO PAs per 10,000",
            "Vacant posts",
        ],
        out,
    )


def _unique_posts(rows) -> list:
    seen: dict[int, Any] = {}
    for _, area in rows:
        for summary in area.posts:
            seen.setdefault(summary.post.pk, summary)
    return sorted(seen.values(), key=lambda s: (s.post.title, s.post.pk))


def _posts_table(summaries) -> Table:
    return Table(
        "posts",
        "Designated officer posts",
        ["Post", "Role", "Time a week", "Children covered", "Filled"],
        [
            Row(
                s.post.title,
                [
                    Shown(s.post.role, ROLE_LABELS.get(s.post.role, s.post.role)),
                    Shown(s.post.pas_per_week, pa_policy.describe_time(s.post.pas_per_week)),
                    plain(s.children),
                    Shown(not s.post.is_vacant, "Vacant" if s.post.is_vacant else "Filled"),
                ],
            )
            for s in summaries
        ],
        note="Posts current on the date above. Post-holders are not named in this report.",
    )


def _officer_activity(
    selection: Selection, la_ids: list[int], on: datetime.date, during: str = "In the year"
) -> Section:
    """Training delivered, committees sat on and CPD recorded in the year by
    the posts covering the scope at any time in the year (roles.activity:
    four queries)."""
    year = selection.period
    whole_body = selection.body is not None and selection.local_authority is None
    done = activity.officer_activity(
        local_authority_ids=la_ids,
        commissioning_body_id=selection.body.pk if whole_body else None,
        start=year.start,
        end=min(year.end, on),
    )

    section = Section("officer-activity", "Designated officers' work in the year")
    rows = []
    totals = [0, 0, 0, Decimal(0)]
    for post in done.posts:
        figures = (post.sessions, post.people, post.boards, post.cpd_points)
        for i, value in enumerate(figures):
            totals[i] += value
        rows.append(
            Row(
                post.title,
                [
                    Shown(post.role, ROLE_LABELS.get(post.role, post.role)),
                    *(plain(value) for value in figures),
                ],
            )
        )
    if rows:
        rows.append(Row("All posts", [Shown("", ""), *(plain(v) for v in totals)]))
    sessions, people, memberships, points = totals
    section.p(
        f"{during} the posts covering the area delivered {sessions:,} training "
        f"session{'s' if sessions != 1 else ''} to {people:,} "
        f"{'person' if people == 1 else 'people'}, held {memberships:,} "
        f"place{'s' if memberships != 1 else ''} on committees and boards, and recorded "
        f"{pa_policy.format_number(points)} CPD points."
    )
    section.table(
        Table(
            "officer_activity",
            "Training, committees and CPD by post",
            [
                "Post",
                "Role",
                "Training sessions",
                "Attendees",
                "Committees and boards",
                "CPD points",
            ],
            rows,
            note="Counts from the post-holders' own records.",
        )
    )
    labels = dict(BoardKind.choices)
    section.table(
        Table(
            "boards",
            "Committees and boards sat on, by kind",
            ["Kind", "Memberships"],
            [
                Row(labels[kind], [plain(done.boards_by_kind[kind])])
                for kind in BoardKind.values
                if done.boards_by_kind.get(kind)
            ],
        )
    )
    return section
