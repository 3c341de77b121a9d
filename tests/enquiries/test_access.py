"""Who may use the enquiries log: anonymous, wrong role, right role and
other area, by GET and by POST, for every URL (tests/access.py). The log is
for designated officers (their own areas) and administrators."""

from __future__ import annotations

from enquiries.models import EnquirySource, EnquiryTopic
from tests.access import AccessCase, access_data, access_tests, date_data  # noqa: F401

LOG = frozenset({"administrator", "officer"})
MARKER = "Oakfield Marker Primary"  # the data set's enquiry (tests/access.py)


def new_enquiry(d) -> dict:
    return {
        "local_authority": str(d.area.local_authority.pk),
        **date_data("received_on", "2026-01-06"),
        "source": EnquirySource.PARENT,
        "topic": EnquiryTopic.EHC_PROCESS,
        "question": "When is the advice due?",
        "minutes_spent": "15",
        "status": "open",
    }


def about_child(d) -> dict:
    data = new_enquiry(d)
    del data["local_authority"]
    return data


CASES = [
    AccessCase("enquiries:enquiry_list", allowed=LOG, hidden=lambda d: MARKER),
    AccessCase(
        "enquiries:enquiry_create",
        allowed=LOG,
        # The form offers the user's own local authorities only.
        hidden=lambda d: d.area.local_authority.name,
        post=new_enquiry,
        writes=True,
    ),
    AccessCase(
        "enquiries:enquiry_create_for_child",
        allowed=LOG,
        kwargs=lambda d: {"pk": d.child.pk},
        other_area=404,
        post=about_child,
        writes=True,
    ),
    AccessCase(
        "enquiries:enquiry_detail",
        allowed=LOG,
        kwargs=lambda d: {"pk": d.enquiry.pk},
        other_area=404,
    ),
    AccessCase(
        "enquiries:enquiry_edit",
        allowed=LOG,
        kwargs=lambda d: {"pk": d.enquiry.pk},
        other_area=404,
        post={"advice_given": "Contact the school nursing team.", "minutes_spent": "30"},
        writes=True,
    ),
]

test_access = access_tests(CASES)
