"""Moved to :mod:`core.decorators`; this name stays until every view imports from core."""

from core.decorators import permission_required

__all__ = ["permission_required"]
