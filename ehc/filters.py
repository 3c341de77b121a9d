"""The worklist's filter panel (django-filter)."""

from __future__ import annotations

import datetime
import re

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from commissioning.models import LocalAuthority, Provider, Service
from ehc import clock, selectors
from ehc.clock import AGE_GROUP_RANGES
from ehc.models import (
    OPEN_STATUSES,
    Contribution,
    HealthAdviceRequest,
    PrimaryNeed,
    Process,
    RequestStatus,
)
from ehc.selectors import child_search

STATUS_CHOICES = [("open", "Open (awaiting or all returned)"), *RequestStatus.choices]
AGE_GROUPS = [(value, label) for value, (label, _, _) in AGE_GROUP_RANGES.items()]


def born_between_for_ages(
    youngest: int, oldest: int, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """Dates of birth of people aged ``youngest`` to ``oldest`` on ``today``."""
    latest = clock.add_months(today, -12 * youngest)
    earliest = clock.add_months(today, -12 * (oldest + 1)) + datetime.timedelta(days=1)
    return earliest, latest


class RequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Reference, name or NHS number", method="search")
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", empty_label="Any status"
    )
    overdue = django_filters.BooleanFilter(
        label="Overdue only",
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    lawful_exception = django_filters.BooleanFilter(
        label="Lawful exception",
        method="filter_lawful_exception",
        widget=forms.CheckboxInput,
    )
    due_within = django_filters.NumberFilter(
        label="Due within (days)", method="filter_due_within", min_value=0, max_value=366
    )
    process = django_filters.ChoiceFilter(choices=Process.choices, empty_label="Any process")
    local_authority = django_filters.ModelChoiceFilter(
        label="Local authority", queryset=LocalAuthority.objects.none(), empty_label="Any"
    )
    provider = django_filters.ModelChoiceFilter(
        label="Provider",
        queryset=Provider.objects.none(),
        method="filter_provider",
        empty_label="Any",
    )
    service = django_filters.ModelChoiceFilter(
        label="Service", queryset=Service.objects.none(), method="filter_service", empty_label="Any"
    )
    primary_need = django_filters.ChoiceFilter(
        label="Primary need",
        field_name="child__primary_need",
        choices=PrimaryNeed.choices,
        empty_label="Any",
    )
    age_group = django_filters.ChoiceFilter(
        label="Age today", choices=AGE_GROUPS, method="filter_age", empty_label="Any age"
    )
    owner = django_filters.ModelChoiceFilter(
        label="Owner", queryset=User.objects.none(), empty_label="Anyone"
    )
    # Received between: how the reports link to the requests behind a figure.
    received_from = django_filters.DateFilter(
        label="Received on or after", field_name="received_on", lookup_expr="gte"
    )
    received_to = django_filters.DateFilter(
        label="Received on or before", field_name="received_on", lookup_expr="lte"
    )

    class Meta:
        model = HealthAdviceRequest
        fields = []

    def __init__(self, *args, user=None, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.user = user  # a practitioner's lawful exceptions are their own services'
        areas = LocalAuthority.objects.visible_to(user)
        self.filters["local_authority"].queryset = areas
        services = Service.objects.filter(local_authorities__in=areas).distinct()
        if user.role == Role.HEALTH_PRACTITIONER:
            services = user.services.all()
        self.filters["service"].queryset = services.select_related("provider").order_by(
            "provider__name", "name"
        )
        self.filters["provider"].queryset = Provider.objects.filter(
            services__in=services
        ).distinct()
        self.filters["owner"].queryset = (
            User.objects.filter(role=Role.DESIGNATED_OFFICER, local_authorities__in=areas)
            .distinct()
            .order_by("full_name")
        )
        self.filters["owner"].field.label_from_instance = lambda u: u.full_name
        form = self.form
        for name in ("local_authority", "provider", "service", "owner"):
            form.fields[name].error_messages["invalid_choice"] = "Choose an option from the list"
        for name in ("received_from", "received_to"):
            form.fields[name].error_messages["invalid"] = (
                "Enter a real date, for example 2026-04-01"
            )
            form.fields[name].help_text = "For example, 2026-04-01"
        form.fields["due_within"].error_messages.update(
            {
                "invalid": "Enter a number of days",
                "min_value": "Enter 0 or more days",
                "max_value": "Enter 366 days or fewer",
            }
        )
        form.helper = FormHelper()
        form.helper.form_tag = False
        form.helper.disable_csrf = True
        form.helper.layout = Layout(
            Field.text("q"),
            Field.select("status"),
            Field.checkbox("overdue", small=True),
            Field.checkbox("lawful_exception", small=True),
            Field.text("due_within", field_width=3),
            Field.select("process"),
            Field.select("local_authority"),
            Field.select("provider"),
            Field.select("service"),
            Field.select("primary_need"),
            Field.select("age_group"),
            Field.select("owner"),
            Field.text("received_from", field_width=10),
            Field.text("received_to", field_width=10),
            Button("submit", "Apply filters"),
        )
        for name in (
            "status",
            "process",
            "local_authority",
            "provider",
            "service",
            "primary_need",
            "age_group",
            "owner",
        ):
            form.fields[name].widget.attrs["class"] = "govuk-!-width-full"

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = child_search(value, via="child__") | Q(la_reference__iexact=value)
        upper = value.upper()
        if upper.startswith("HA-") and re.fullmatch(r"[0-9]{1,18}", upper[3:]):
            condition |= Q(pk=int(upper[3:]))
        return queryset.filter(condition)

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    # Overdue and due within: the same rules as the home pages' counts
    # (ehc.selectors.overdue, due_within).
    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(selectors.overdue(self.today))

    def filter_lawful_exception(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(selectors.lawful_exception(self.user))

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(selectors.due_within(self.today, int(value)))

    def filter_provider(self, queryset, name, value):
        asked = Contribution.objects.filter(service__provider=value)
        return queryset.filter(pk__in=asked.values("request_id"))

    def filter_service(self, queryset, name, value):
        asked = Contribution.objects.filter(service=value)
        return queryset.filter(pk__in=asked.values("request_id"))

    def filter_age(self, queryset, name, value):
        _, youngest, oldest = AGE_GROUP_RANGES[value]
        earliest, latest = born_between_for_ages(youngest, oldest, self.today)
        return queryset.filter(child__date_of_birth__gte=earliest, child__date_of_birth__lte=latest)
