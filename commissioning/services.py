"""Writes to the organisations directory (docs/architecture.md, "Services and forms").

Organisations are edited one at a time in Django admin, or in bulk from CSV
through :func:`import_organisations`, which the ``import_organisations``
command, and any later upload page or API, call alike.
"""

from __future__ import annotations

from django.db import transaction

from commissioning.importers import ImportResult, import_csv
from core.audit import service_write


@service_write
def import_organisations(*, kind: str, text: str, by=None, dry_run: bool = False) -> ImportResult:
    """Import one kind of organisation record from CSV text, all or nothing.

    ``kind`` is one of ``commissioning.importers.KINDS`` ("commissioning-bodies",
    "local-authorities", "links", "populations", "providers", "services");
    ``text`` is the file's contents with a header row (docs/organisations-import.md).
    ``by`` is the acting user, named on every audit log entry the import
    writes (None: the portal itself, as from the command line). With
    ``dry_run`` every row is checked and counted but nothing is kept.

    Returns an :class:`~commissioning.importers.ImportResult`: its ``errors``
    list each problem with its line number (line 1 is the header), and when
    there is any nothing is written. Raises KeyError for an unknown ``kind``.
    """
    result = import_csv(kind, text)
    if dry_run:
        transaction.set_rollback(True)
    return result
