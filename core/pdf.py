"""PDF rendering with WeasyPrint, shared by every printable document
(job descriptions, quarterly and annual reports).

Documents are Django templates with their own print CSS (block layout, no
GOV.UK Frontend: WeasyPrint is not a browser). They are rendered with PDF
tags on, so the PDF carries its structure for screen readers as far as
WeasyPrint allows, and the title, language and author come from the
template's ``<title>``, ``<html lang>`` and ``<meta name="author">``.

WeasyPrint never fetches from the network here: the url fetcher serves
only ``data:`` URLs, so a template cannot make the server call out.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify


def _local_only():
    """WeasyPrint's own fetcher, allowed ``data:`` URLs only: anything else
    (http, https, file) is refused and left out of the document with a
    warning in the log, never fetched."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_local_only()).write_pdf(pdf_tags=True)


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    return html_to_pdf(render_to_string(template_name, context, request=request))


def pdf_response(pdf: bytes, *, filename: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{slugify(filename)}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
