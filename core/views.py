"""View helpers that know nothing of the domain."""

from __future__ import annotations

from django.shortcuts import render


def render_form_page(
    request,
    form,
    *,
    heading: str,
    caption: str = "",
    back_url: str = "",
    template: str = "includes/form_page.html",
    extra: dict | None = None,
):
    """Render a page holding one form (``includes/form_page.html`` or a
    template extending it).

    The status is 400 when the form was posted (it is shown again only
    because something was wrong) and 200 otherwise.
    """
    context = {"form": form, "heading": heading, "caption": caption, "back_url": back_url}
    context.update(extra or {})
    return render(request, template, context, status=400 if form.is_bound else 200)
