"""core.views.render_form_page: 200 for a first look, 400 when a posted form comes back."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from core.views import render_form_page


class _NameForm(forms.Form):
    name = forms.CharField()


@pytest.mark.parametrize("data, status", [(None, 200), ({"name": ""}, 400)])
def test_status_follows_whether_the_form_was_posted(data, status):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    form = _NameForm(data)
    form.is_valid()
    response = render_form_page(
        request, form, heading="Name the thing", back_url="/back/", extra={"back_label": "Back"}
    )
    assert response.status_code == status
    content = response.content.decode()
    assert "Name the thing" in content
    assert 'href="/back/"' in content
