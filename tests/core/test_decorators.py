"""core.decorators.permission_required: sign-in, 403, or the view."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from core.decorators import permission_required

pytestmark = pytest.mark.django_db


@permission_required("portal.view_ehc")
def _view(request):
    return HttpResponse("seen")


def _get(user):
    request = RequestFactory().get("/ehc/requests/?page=2")
    request.user = user
    return _view(request)


def test_anonymous_users_are_sent_to_sign_in_and_back():
    response = _get(AnonymousUser())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "page%3D2" in response["Location"]


def test_a_user_without_the_permission_is_refused(area):
    with pytest.raises(PermissionDenied):
        _get(area.commissioner)


def test_a_user_with_the_permission_sees_the_view(area):
    assert _get(area.officer).content == b"seen"


def test_the_permission_is_readable_by_the_access_walker():
    assert _view.required_permission == "portal.view_ehc"
