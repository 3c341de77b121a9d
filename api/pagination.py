"""Cursor pagination on the last change, then the id (docs/api.md,
"Lists"): a poller that follows ``next`` sees every row once, in the order
they last changed, even while rows are added."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class LastChangeCursor(CursorPagination):
    ordering = ("updated_at", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class NameCursor(CursorPagination):
    """For organisations, which have no last change: by name, then id."""

    ordering = ("name", "id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
