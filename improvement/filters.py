"""The filters of a plan's actions (docs/architecture.md, "One FilterSet per list")."""

from __future__ import annotations

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django.db.models import Q

from improvement import rag
from improvement.models import OPEN_STATUSES, ImprovementAction, PlanArea

SHOW_CHOICES = [
    ("all", "All actions"),
    ("open", "Open"),
    ("overdue", "Overdue"),
    ("closed", "Complete or superseded"),
]
RAG_CHOICES = [(value, rag.LABELS[value]) for value in (rag.RED, rag.AMBER, rag.GREEN, rag.BLUE)]


class ActionFilter(django_filters.FilterSet):
    """Which actions of a plan are listed: all (the default), open, overdue
    or closed; by RAG rating; by area of the plan; and a search over the
    number, the action and its owner (blank ignored). The queryset must
    carry ``rag`` (``ActionQuerySet.with_rag``)."""

    show = django_filters.ChoiceFilter(
        label="Show", choices=SHOW_CHOICES, method="filter_show", empty_label=None
    )
    rag = django_filters.ChoiceFilter(label="RAG rating", choices=RAG_CHOICES, empty_label="Any")
    plan_area = django_filters.ChoiceFilter(
        label="Area of the plan", choices=PlanArea.choices, empty_label="Any area"
    )
    q = django_filters.CharFilter(
        label="Search number, action or owner", method="search", max_length=200
    )

    class Meta:
        model = ImprovementAction
        fields = []

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
        form = self.form
        for name in ("show", "rag", "plan_area"):
            form.fields[name].error_messages["invalid_choice"] = "Choose an option from the list"
        form.helper = FormHelper()
        form.helper.form_tag = False
        form.helper.disable_csrf = True
        form.helper.layout = Layout(
            Field.select("show"),
            Field.select("rag"),
            Field.select("plan_area"),
            Field.text("q", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Apply filters"),
        )

    def filter_show(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "overdue":
            return queryset.filter(status__in=OPEN_STATUSES, due_on__lt=self.today)
        if value == "closed":
            return queryset.exclude(status__in=OPEN_STATUSES)
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(owner__icontains=value)
        )
