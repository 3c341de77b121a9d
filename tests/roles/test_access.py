"""Who may use the designated officer posts, the post-holder's record and
area resourcing: anonymous, wrong role, right role and other area, by GET
and (for the record forms) POST, for every URL (tests/access.py)."""

from __future__ import annotations

from roles.models import BoardKind
from tests.access import AccessCase, access_data, access_tests, date_data  # noqa: F401

# Who may see posts, job descriptions and resourcing (portal.view_posts).
VIEWERS = frozenset({"administrator", "officer", "commissioner"})
# Who may keep a post's record: its holder (area.officer) and administrators.
KEEPERS = frozenset({"administrator", "officer"})


def post_pk(d) -> dict:
    return {"pk": d.post.pk}


def post_title(d) -> str:
    return d.post.title


def record_form(name: str, post: dict) -> AccessCase:
    # A commissioner may read the post but not keep its record: the wrong role.
    return AccessCase(
        f"roles:{name}", allowed=KEEPERS, kwargs=post_pk, other_area=404, post=post, writes=True
    )


CASES = [
    AccessCase("roles:post_list", allowed=VIEWERS, hidden=post_title),
    AccessCase("roles:post_detail", allowed=VIEWERS, kwargs=post_pk, other_area=404),
    AccessCase("roles:job_description", allowed=VIEWERS, kwargs=post_pk, other_area=404),
    AccessCase("roles:job_description_pdf", allowed=VIEWERS, kwargs=post_pk, other_area=404),
    record_form(
        "add_membership",
        {"kind": BoardKind.PANEL, "name": "Access test panel", "role_on_board": "Member"},
    ),
    record_form(
        "add_training",
        {
            "title": "Access test training",
            "audience": "SENCOs",
            **date_data("delivered_on", "2025-06-03"),
            "attendees": "12",
        },
    ),
    record_form(
        "add_cpd",
        {
            "activity": "Access test reading",
            **date_data("completed_on", "2025-06-04"),
            "points": "1",
        },
    ),
    record_form("record_appraisal", date_data("last_appraisal_on", "2025-05-01")),
    record_form(
        "record_local_agreement",
        {
            **date_data("local_agreement_on", "2025-04-01"),
            "local_agreement_parties": "Access test ICB and Access test Trust",
            "local_agreement_pas": "3",
        },
    ),
    AccessCase("roles:resourcing", allowed=VIEWERS, hidden=lambda d: d.area.local_authority.name),
    AccessCase(
        "roles:resourcing_la",
        allowed=VIEWERS,
        kwargs=lambda d: {"gss_code": d.area.local_authority.gss_code},
        other_area=404,
    ),
    AccessCase(
        "roles:resourcing_body",
        allowed=VIEWERS,
        kwargs=lambda d: {"ods_code": d.area.body.ods_code},
        other_area=404,
    ),
    AccessCase(
        "roles:template_preview",
        allowed=VIEWERS,
        kwargs=lambda d: {"pk": d.template.pk},
        not_scoped="a published template holds nothing of any area or person",
    ),
]

test_access = access_tests(CASES)
