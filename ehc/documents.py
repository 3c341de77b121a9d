"""The rules for an advice document a service uploads, in one place for the
advice form and :func:`ehc.services.save_advice`."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ehc.models import ADVICE_DOCUMENT_TYPES

# The first bytes of each accepted type: a file renamed to .pdf is refused.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}

# A .docx is a zip package: what it must hold, and how far it may expand
# (a small file that unpacks to hundreds of MB is refused).
DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")
DOCX_MAX_ENTRIES = 2000

NAME_LIMIT = 200  # characters kept of the name a document is downloaded under


def limit_mb() -> int:
    """The size limit in whole MB (``settings.ADVICE_DOCUMENT_MAX_BYTES``)."""
    return settings.ADVICE_DOCUMENT_MAX_BYTES // (1024 * 1024)


def validate_advice_document(upload) -> None:
    """Check a new advice document (a Django ``File`` with ``name``,
    ``size``, ``read`` and ``seek``): a PDF or Word document by its name
    (:data:`ehc.models.ADVICE_DOCUMENT_TYPES`), no larger than
    ``settings.ADVICE_DOCUMENT_MAX_BYTES`` bytes, really that type by its
    first bytes (:data:`SIGNATURES`), and readable as that type: a PDF that
    pypdf can open, with at least one page; a .docx that is a whole zip
    package with its main parts, expanding to no more than
    ``settings.ADVICE_DOCUMENT_MAX_UNPACKED_BYTES``. The name's length does
    not matter (it is shortened, :func:`download_name`). Leaves the file at
    its start. Raises ValidationError (one message, no field: the caller
    keys it)."""
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
    try:
        if ext == "pdf":
            _check_pdf(upload)
        elif ext == "docx":
            _check_docx(upload)
    finally:
        upload.seek(0)


def _check_pdf(upload) -> None:
    try:
        pages = len(PdfReader(upload).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError):
        pages = 0
    if pages < 1:
        raise ValidationError("The PDF cannot be read: save it again as a PDF and upload that")


def _check_docx(upload) -> None:
    broken = ValidationError("The Word document cannot be read: save it again and upload that")
    try:
        with zipfile.ZipFile(upload) as package:
            entries = package.infolist()
            names = {entry.filename for entry in entries}
            unpacked = sum(entry.file_size for entry in entries)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise broken from None
    if any(part not in names for part in DOCX_PARTS):
        raise broken
    limit = settings.ADVICE_DOCUMENT_MAX_UNPACKED_BYTES
    if len(entries) > DOCX_MAX_ENTRIES or unpacked > limit:
        raise ValidationError(
            f"The Word document unpacks to more than {limit // (1024 * 1024)} MB: "
            "save it as a PDF and upload that"
        )


def download_name(name: str) -> str:
    """``name`` (the uploaded file's, or one given) shortened to
    :data:`NAME_LIMIT` characters, keeping its extension: a long name is
    shortened, never refused."""
    name = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if len(name) <= NAME_LIMIT:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 10:
        return name[:NAME_LIMIT]
    return f"{stem[: NAME_LIMIT - len(ext) - 2]}….{ext}"
