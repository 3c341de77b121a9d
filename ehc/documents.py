"""The rules for an advice document a service uploads, in one place for the
advice form and :func:`ehc.services.save_advice`."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from ehc.models import ADVICE_DOCUMENT_TYPES

# The first bytes of each accepted type: a file renamed to .pdf is refused.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}


def limit_mb() -> int:
    """The size limit in whole MB (``settings.ADVICE_DOCUMENT_MAX_BYTES``)."""
    return settings.ADVICE_DOCUMENT_MAX_BYTES // (1024 * 1024)


def validate_advice_document(upload) -> None:
    """Check a new advice document (a Django ``File`` with ``name``,
    ``size``, ``read`` and ``seek``): a PDF or Word document by its name
    (:data:`ehc.models.ADVICE_DOCUMENT_TYPES`), no larger than
    ``settings.ADVICE_DOCUMENT_MAX_BYTES`` bytes, and really that type by its
    first bytes (:data:`SIGNATURES`). Leaves the file at its start. Raises
    ValidationError (one message, no field: the caller keys it)."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ADVICE_DOCUMENT_TYPES:
        raise ValidationError("The document must be a PDF or a Word document (.pdf, .doc or .docx)")
    if upload.size > settings.ADVICE_DOCUMENT_MAX_BYTES:
        raise ValidationError(f"The document must be smaller than {limit_mb()} MB")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES[ext]):
        raise ValidationError(f"The file is not a real .{ext} document")
