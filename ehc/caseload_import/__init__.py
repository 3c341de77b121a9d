"""Bringing a designated officer's own tracker into the portal
(docs/caseload-import.md).

A tracker is a CSV or .xlsx file with one row per service asked about a
child's request. The import runs in four steps, one module each:

- :mod:`.headers`: which column is which (names matched ignoring case,
  spaces and punctuation, with aliases);
- :mod:`.parsing`: cell values (dates with two-digit years, Excel date
  cells, NHS numbers with spaces, the portal's codes by code or name);
- :mod:`.plan`: rows grouped into children, requests and services asked,
  matched with what the portal already holds, and the conflicts;
- :mod:`.apply`: the plan written through :mod:`ehc.services` in one
  transaction (all or nothing), audited with the acting user; a preview is
  the same run, rolled back.

:mod:`.reading` opens the file (CSV or .xlsx) and :mod:`.jobs` runs an
import as a stored job (in a worker for large files).
"""
