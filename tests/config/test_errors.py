import pytest
from django.test import RequestFactory

from config import errors


def test_500_page_renders_without_database_or_request_context():
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Sorry, there is a problem with the service" in content
    assert "Skip to main content" in content


@pytest.mark.django_db
def test_403_page_is_styled(client, area):
    client.force_login(area.commissioner)
    response = client.get("/officer/")
    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()


@pytest.mark.django_db
def test_404_page_is_styled(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
