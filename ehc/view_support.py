"""What the caseload's views share: recording what a page shows, the one form
page, and handing a valid form's plain values to a service
(:mod:`ehc.views`, :mod:`ehc.child_views`)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError

from core.forms import VersionedForm, add_errors
from core.submissions import AlreadySent, OnceForm, create_once, earlier_result
from core.views import render_form_page
from ehc import services
from ehc.access_log import record_access

# Rows on a paged list of the caseload.
PAGE_SIZE = 50


def shown(request, children, page: str) -> None:
    """Record that this response shows ``children`` (instances or ids) to
    the signed-in user: one access event (:mod:`ehc.access_log`)."""
    record_access(request, children, page)


def form_page(request, form, *, heading: str, caption: str = "", back_url: str = "", extra=None):
    """The caseload's one form page (ehc/form.html) for ``form``, with its
    heading, caption and back link."""
    return render_form_page(
        request,
        form,
        heading=heading,
        caption=caption,
        back_url=back_url,
        template="ehc/form.html",
        extra=extra,
    )


def save_form(request, form, save, values: Callable[[dict], dict]):
    """Hand the plain values of a valid POSTed ``form`` to ``save`` (a
    service in :mod:`ehc.services`) with the acting user and, for a form
    that carries one, the version of the record the user opened.
    ``values`` makes the service's keyword arguments from the form's
    cleaned data.

    Returns what ``save`` returns, or None when nothing was saved: not a
    POST, the form is invalid, a business rule refused it, or someone else
    saved the record meanwhile (the form then says why).
    """
    if request.method != "POST":
        return None
    if isinstance(form, OnceForm) and request.POST.get("submission"):
        # Sent before and saved: the same record again, not a second one.
        earlier = earlier_result(request.user, request.POST["submission"])
        if earlier is not None:
            return earlier
    if not form.is_valid():
        return None
    kwargs = values(form.cleaned_data)
    if isinstance(form, VersionedForm) and form.instance.pk is not None:
        kwargs["expected_version"] = form.expected_version
    try:
        if isinstance(form, OnceForm):  # a creating form: sent twice, saved once
            token = form.cleaned_data.get("submission")
            saved, _ = create_once(request.user, token, lambda: save(by=request.user, **kwargs))
            return saved
        return save(by=request.user, **kwargs)
    except services.StaleEdit:
        form.add_error(None, services.StaleEdit.message)
    except AlreadySent:
        form.add_error(None, AlreadySent.message)
    except ValidationError as error:
        add_errors(form, error)
    return None


def document_args(form) -> dict:
    """The advice document's arguments for :func:`ehc.services.save_advice`:
    nothing when unchanged, False when cleared, else the upload and its name."""
    if "document" not in form.changed_data:
        return {}
    upload = form.cleaned_data.get("document")
    if not upload:
        return {"document": False}
    return {"document": upload, "document_name": getattr(upload, "name", "")}


# --- Requests (the worklist is in ehc/list_views.py) ----------------------------------------
