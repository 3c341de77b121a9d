"""The OpenAPI schema (/api/v1/schema/) is valid OpenAPI 3, names every
route, and the documentation page loads under the strict CSP."""

from __future__ import annotations

import pytest
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi():
    response = Client().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["info"]["version"] == "1"
    assert {
        "/api/v1/requests/",
        "/api/v1/requests/{id}/",
        "/api/v1/children/",
        "/api/v1/contributions/{id}/return/",
        "/api/v1/advice/{id}/document/",
        "/api/v1/organisations/local-authorities/",
        "/api/v1/organisations/services/",
        "/api/v1/figures/",
    } <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    create = schema["paths"]["/api/v1/requests/"]["post"]
    assert {"201", "200"} <= set(create["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])


def test_the_documentation_uses_no_inline_script_or_style():
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    assert "<script>" not in html  # every script is a file: script-src 'self'
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    script = Client().get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "/api/v1/schema/" in script.content.decode()


def test_the_schema_is_generated_without_a_warning(tmp_path):
    from django.core.management import call_command

    # drf-spectacular warns of anything it had to guess (a field's type, a
    # parameter); --fail-on-warn makes that an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert (tmp_path / "s.yaml").read_text().startswith("openapi: 3")
