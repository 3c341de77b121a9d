"""The reviews worklist's filters (docs/architecture.md, "One FilterSet per
list"). The queryset filtered is :func:`ehc.reviews.selectors.worklist`'s,
already scoped to the user and annotated with each child's review clock."""

from __future__ import annotations

import datetime

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django import forms
from django.utils import timezone

from commissioning.models import LocalAuthority
from ehc.models import Child
from ehc.reviews import selectors
from ehc.selectors import search_children

WHEN_CHOICES = [
    ("overdue", "Overdue"),
    ("upcoming", "Due in the next 8 weeks"),
]


class ReviewFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Name, NHS number or LA reference", method="search", max_length=200
    )
    when = django_filters.ChoiceFilter(
        label="Due", choices=WHEN_CHOICES, method="filter_when", empty_label="Overdue or due soon"
    )
    local_authority = django_filters.ModelChoiceFilter(
        label="Local authority", queryset=LocalAuthority.objects.none(), empty_label="Any"
    )
    phase_transfer = django_filters.BooleanFilter(
        label="Phase transfer this school year",
        method="filter_phase_transfer",
        widget=forms.CheckboxInput,
    )
    preparing_for_adulthood = django_filters.BooleanFilter(
        label="Year 9 or above (preparing for adulthood)",
        method="filter_preparing_for_adulthood",
        widget=forms.CheckboxInput,
    )
    adult_years = django_filters.BooleanFilter(
        label="Aged 18 to 25", method="filter_adult_years", widget=forms.CheckboxInput
    )

    class Meta:
        model = Child
        fields = []

    def __init__(self, *args, user=None, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.filters["local_authority"].queryset = LocalAuthority.objects.visible_to(user)
        form = self.form
        form.fields["local_authority"].error_messages["invalid_choice"] = (
            "Choose an option from the list"
        )
        form.fields["when"].error_messages["invalid_choice"] = "Choose an option from the list"
        form.fields["q"].error_messages["max_length"] = "Enter 200 characters or fewer"
        form.helper = FormHelper()
        form.helper.form_tag = False
        form.helper.disable_csrf = True
        form.helper.layout = Layout(
            Field.text("q", field_width=Fluid.FULL),
            Field.select("when"),
            Field.select("local_authority"),
            Field.checkbox("phase_transfer", small=True),
            Field.checkbox("preparing_for_adulthood", small=True),
            Field.checkbox("adult_years", small=True),
            Button("submit", "Apply filters"),
        )
        for name in ("when", "local_authority"):
            form.fields[name].widget.attrs["class"] = "govuk-!-width-full"

    def search(self, queryset, name, value):
        return search_children(queryset, value)

    def filter_when(self, queryset, name, value):
        if value == "overdue":
            return queryset.filter(selectors.overdue(self.today))
        return queryset.exclude(selectors.overdue(self.today))

    def filter_phase_transfer(self, queryset, name, value):
        return queryset.filter(selectors.phase_transfer_owed()) if value else queryset

    def filter_preparing_for_adulthood(self, queryset, name, value):
        return queryset.filter(selectors.preparing_for_adulthood()) if value else queryset

    def filter_adult_years(self, queryset, name, value):
        return queryset.filter(selectors.adult_years(self.today)) if value else queryset
