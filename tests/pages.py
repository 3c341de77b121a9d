"""For the sweeps over every page (reflow at 320 px, error summary links,
the admin's axe check): the data set every page can be shown on, and a
browser session cookie for a user."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from tests.access import make_dataset

# URL names of downloads, by the project's naming, left out without asking
# for them (rendering a PDF takes seconds); any other download met is
# recognised by its answer and left out too.
FILE_SUFFIXES = ("_pdf", "_csv", "_xlsx", "_download", "_document")


def page_data():
    """The access tests' data set with the records the governance cases
    name (as ``tests/governance/test_access.py`` adds them)."""
    import datetime

    from django.utils import timezone

    from governance import services
    from governance.models import SubjectAccessExport
    from tests import factories as f

    data = make_dataset()
    la = data.area.local_authority
    data.hold_child = f.ChildFactory(local_authority=la)
    data.erase_child = f.ChildFactory(local_authority=la)
    data.batch = services.request_erasure(
        child=f.ChildFactory(local_authority=la), reason="Asked for", by=data.area.administrator
    )
    data.sar = SubjectAccessExport.objects.create(
        child=data.child,
        requested_by=data.area.officer,
        file="subject-access/reflow.zip",
        status=SubjectAccessExport.Status.READY,
        finished=timezone.now(),
    )
    # A review arranged for the plan's child: the reviews worklist and the
    # child's page show its steps (ehc/reviews/).
    data.review = f.ReviewInputFactory(
        child=data.child,
        meeting_on=timezone.localdate() + datetime.timedelta(days=10),
        professional_name="Dr Reflow",
        invited_on=timezone.localdate(),
    )
    # Every user has an API token with a long name, so the tokens page shows a row.
    from accounts import tokens

    for user in data.area.everyone():
        tokens.issue_token(
            user=user,
            name="Monthly figures script for the integrated care board's analysts",
            expires_on=timezone.localdate() + datetime.timedelta(days=30),
            by=None,
        )
    return data


def session_cookie(user, base_url: str) -> dict:
    """The session cookie of ``user`` signed in (as the test client does)."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }
