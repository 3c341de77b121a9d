"""What the roles admin pages share: a template and its parts are
read-only once the template is published or retired (the models refuse the
write anyway), POST-only action views and small text areas."""

from __future__ import annotations

from django import forms
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from roles.models import TemplateSection

post_only = method_decorator(require_POST)


def small_textarea(rows: int = 2, cols: int = 60) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": cols})


class FrozenTemplateMixin:
    """Admin for a template or one of its parts, read-only once the template
    is published or retired (the models refuse the write anyway)."""

    @staticmethod
    def _editable(obj) -> bool:
        # A template, a section (on its own page or as an inline's parent), or
        # None on an add page.
        template = obj.template if isinstance(obj, TemplateSection) else obj
        return template is None or template.is_editable

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class FrozenTemplateInlineMixin(FrozenTemplateMixin):
    """An inline on a template or section page: no rows added to a frozen one."""

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)
