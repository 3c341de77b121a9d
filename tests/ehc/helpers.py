"""Helpers for the EHC screen tests: POST data and a ready-made case."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests import factories as f

D = datetime.date


def date_data(name: str, day: datetime.date | None) -> dict:
    """POST data for a GOV.UK date input."""
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def case_in(area, **request_fields):
    """A child in the area with a request asking the area's service."""
    child = f.ChildFactory(local_authority=area.local_authority)
    request = f.HealthAdviceRequestFactory(child=child, **request_fields)
    contribution = f.ContributionFactory(request=request, service=area.service)
    return child, request, contribution


def login(client, user):
    client.force_login(user)
    return client


def child_post(area, **overrides):
    data = {
        "given_name": "Alex",
        "family_name": "Example",
        "nhs_number": "943 476 5919",
        "la_reference": "LA-1",
        "local_authority": area.local_authority.pk,
        "primary_need": "SLCN",
        **date_data("date_of_birth", datetime.date(2018, 3, 4)),
    }
    data.update(overrides)
    return data


def advice_post(version=None, **overrides):
    data = {
        "version": version or "",
        "author_name": "Dr Jo Bloggs",
        "author_profession": "Speech and language therapist",
        "needs": "Needs help with expressive language.",
        "outcomes": "Will use three-word sentences by July.",
        "child_views": "Likes drawing.",
        **date_data("written_on", datetime.date(2026, 10, 1)),
        "provision-TOTAL_FORMS": "2",
        "provision-INITIAL_FORMS": "0",
        "provision-MIN_NUM_FORMS": "0",
        "provision-MAX_NUM_FORMS": "30",
        "provision-0-description": "Language group",
        "provision-0-delivered_by": "Speech and language therapist",
        "provision-0-frequency": "Weekly",
        "provision-0-duration": "Two terms",
        "provision-0-section": "F",
        "provision-0-available": "on",
    }
    data.update(overrides)
    return data


# --- Plain values for the service tests ------------------------------------------


def refused(call, field: str, text: str = "") -> None:
    """``call`` raises ValidationError with a message on ``field`` containing ``text``."""
    with pytest.raises(ValidationError) as exc:
        call()
    messages = exc.value.message_dict[field]
    assert any(text in message for message in messages), messages


def child_values(area, **overrides):
    values = {
        "local_authority": area.local_authority,
        "given_name": "Alex",
        "family_name": "Example",
        "date_of_birth": D(2018, 3, 4),
        "nhs_number": "9434765919",
    }
    return values | overrides


def request_values(child, **overrides):
    values = {
        "child": child,
        "process": "needs_assessment",
        "sent_on": D(2026, 9, 1),
        "received_on": D(2026, 9, 2),
    }
    return values | overrides


def edit_values(request, **overrides):
    values = {
        "process": request.process,
        "la_reference": request.la_reference,
        "sent_on": request.sent_on,
        "received_on": request.received_on,
        "owner": request.owner,
        "notes": request.notes,
    }
    return values | overrides


ADVICE = {
    "written_on": D(2026, 10, 1),
    "author_name": "Dr Jo Bloggs",
    "author_profession": "Speech and language therapist",
    "needs": "Expressive language.",
    "outcomes": "Three-word sentences by July.",
    "child_views": "Likes drawing.",
}


ROW = {
    "description": "Language group",
    "delivered_by": "Therapist",
    "frequency": "Weekly",
    "duration": "Two terms",
    "section": "F",
    "available": True,
}


def covering_service(area):
    """A further active service covering the area."""
    return f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])


def pdf_bytes(title: str = "Advice") -> bytes:
    """A real one-page PDF (different titles give different bytes)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(*, parts=("[Content_Types].xml", "word/document.xml"), padding: int = 0) -> bytes:
    """A small zip package shaped like a .docx: its main parts, and
    ``padding`` bytes of zeros in one more part (which compress to almost
    nothing, so the file stays small however far it unpacks)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for part in parts:
            package.writestr(part, "<xml/>")
        if padding:
            package.writestr("word/media/padding.bin", b"\0" * padding)
    return out.getvalue()
