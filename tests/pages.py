"""The data set that every page of the portal can be shown on, for the
sweeps over every page (reflow at 320 px, error summary links)."""

from __future__ import annotations

from tests.access import make_dataset


def page_data():
    """The access tests' data set with the records the governance cases
    name (as ``tests/governance/test_access.py`` adds them)."""
    from governance import services
    from governance.models import SubjectAccessRequest
    from tests import factories as f

    data = make_dataset()
    la = data.area.local_authority
    data.hold_child = f.ChildFactory(local_authority=la)
    data.erase_child = f.ChildFactory(local_authority=la)
    data.batch = services.request_erasure(
        child=f.ChildFactory(local_authority=la), reason="Asked for", by=data.area.administrator
    )
    data.sar = SubjectAccessRequest.objects.create(
        child=data.child, requested_by=data.area.officer, file="subject-access/reflow.zip"
    )
    return data
