"""The plans list's filters (docs/architecture.md, "One FilterSet per list";
docs/plans.md, "The plans list")."""

from __future__ import annotations

import re

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django import forms
from django.db.models import Exists, OuterRef, Q

from commissioning.models import LocalAuthority
from ehc.filters import DateInputFilter
from ehc.models import EHCPlan, PlanKind, PlanProvision, ProvisionStatus, Rating
from ehc.selectors import child_search

NOT_AUDITED = "none"
AUDIT_CHOICES = [(NOT_AUDITED, "Not audited yet"), *[(r, f"Rated {r}") for r in Rating.values]]
GAP_CHOICES = [
    ("any", "Waiting or not available"),
    (ProvisionStatus.WAITING, "Waiting"),
    (ProvisionStatus.NOT_AVAILABLE, "Not available"),
]


class PlanFilterForm(forms.Form):
    """The issued dates must be in order."""

    def clean(self):
        data = super().clean()
        start, end = data.get("issued_from"), data.get("issued_to")
        if start and end and end < start:
            self.add_error(
                "issued_to",
                f"Issued to must be the same as or after issued from ({start:%-d %B %Y})",
            )
        return data


class PlanFilter(django_filters.FilterSet):
    """Which plans the list shows: a search (the child's name, NHS number
    or LA reference, the plan's LA reference or its portal reference "P12"),
    the kind of plan, the audit's rating (or not audited yet), provision
    waited for or not available, the local authority and the dates issued."""

    q = django_filters.CharFilter(
        label="Name, NHS number or reference", method="search", max_length=200
    )
    kind = django_filters.ChoiceFilter(
        label="Kind of plan", choices=PlanKind.choices, empty_label="Final or amended"
    )
    audit = django_filters.ChoiceFilter(
        label="Audit", choices=AUDIT_CHOICES, method="filter_audit", empty_label="Any"
    )
    gaps = django_filters.ChoiceFilter(
        label="Section G provision", choices=GAP_CHOICES, method="filter_gaps", empty_label="Any"
    )
    local_authority = django_filters.ModelChoiceFilter(
        label="Local authority",
        field_name="child__local_authority",
        queryset=LocalAuthority.objects.none(),
        empty_label="Any",
    )
    issued_from = DateInputFilter(
        label="Issued from",
        field_name="issued_on",
        lookup_expr="gte",
        help_text="On or after this day, for example 1 4 2026",
    )
    issued_to = DateInputFilter(
        label="Issued to", field_name="issued_on", lookup_expr="lte", help_text="On or before"
    )

    class Meta:
        model = EHCPlan
        fields = []
        form = PlanFilterForm

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["local_authority"].queryset = LocalAuthority.objects.visible_to(user).order_by(
            "name"
        )
        form = self.form
        for name in ("kind", "audit", "gaps", "local_authority"):
            form.fields[name].error_messages["invalid_choice"] = "Choose an option from the list"
        form.helper = FormHelper()
        form.helper.form_tag = False
        form.helper.disable_csrf = True
        form.helper.layout = Layout(
            Field.text("q", field_width=Fluid.FULL),
            Field.select("kind"),
            Field.select("audit"),
            Field.select("gaps"),
            Field.select("local_authority"),
            Field("issued_from"),
            Field("issued_to"),
            Button("submit", "Apply filters"),
        )
        for name in ("kind", "audit", "gaps", "local_authority"):
            form.fields[name].widget.attrs["class"] = "govuk-!-width-full"

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = child_search(value, via="child__") | Q(la_reference__iexact=value)
        upper = value.upper()
        if upper.startswith("P") and re.fullmatch(r"[0-9]{1,18}", upper[1:]):
            condition |= Q(pk=int(upper[1:]))
        return queryset.filter(condition)

    def filter_audit(self, queryset, name, value):
        if value == NOT_AUDITED:
            return queryset.filter(audit__isnull=True)
        return queryset.filter(audit__rating=value)

    def filter_gaps(self, queryset, name, value):
        statuses = (
            [ProvisionStatus.WAITING, ProvisionStatus.NOT_AVAILABLE] if value == "any" else [value]
        )
        rows = PlanProvision.objects.filter(plan=OuterRef("pk"), status__in=statuses)
        return queryset.filter(Exists(rows))
