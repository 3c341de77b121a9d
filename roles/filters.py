"""The posts list's filter panel (django-filter)."""

from __future__ import annotations

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.db.models import Q

from accounts.roles import OfficerKind
from commissioning.models import CommissioningBody, LocalAuthority
from roles.models import Post

VACANCY_CHOICES = [("filled", "Filled"), ("vacant", "Vacant")]
# Which posts by their dates; the empty choice is the current ones.
PERIOD_CHOICES = [("planned", "Planned: starting after today")]


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Post title or holder", method="search")
    role = django_filters.ChoiceFilter(choices=OfficerKind.choices, empty_label="DCO or DMO")
    local_authority = django_filters.ModelChoiceFilter(
        label="Local authority",
        field_name="local_authorities",
        queryset=LocalAuthority.objects.none(),
        empty_label="Any",
        distinct=True,
    )
    commissioning_body = django_filters.ModelChoiceFilter(
        label="Commissioning body",
        field_name="commissioning_bodies",
        queryset=CommissioningBody.objects.none(),
        empty_label="Any",
        distinct=True,
    )
    vacancy = django_filters.ChoiceFilter(
        label="Filled or vacant",
        choices=VACANCY_CHOICES,
        method="filter_vacancy",
        empty_label="Either",
    )
    # Applied by the view, which knows today.
    period = django_filters.ChoiceFilter(
        label="Current or planned",
        choices=PERIOD_CHOICES,
        method="filter_nothing",
        empty_label="Current posts",
    )
    # Applied by the view: the PA policy is computed in Python.
    flagged = django_filters.BooleanFilter(
        label="Only posts flagged by the PA policy",
        method="filter_nothing",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Post
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["local_authority"].queryset = LocalAuthority.objects.visible_to(user)
        self.filters["commissioning_body"].queryset = CommissioningBody.objects.visible_to(user)
        form = self.form
        for name in ("local_authority", "commissioning_body", "role", "vacancy", "period"):
            form.fields[name].error_messages["invalid_choice"] = "Choose an option from the list"
        form.helper = FormHelper()
        form.helper.form_tag = False
        form.helper.layout = Layout(
            Field.text("q"),
            Field.select("role"),
            Field.select("local_authority"),
            Field.select("commissioning_body"),
            Field.select("vacancy"),
            Field.select("period"),
            Field.checkbox("flagged"),
            Button.secondary("apply", "Apply filters"),
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(holder__full_name__icontains=value))

    def filter_vacancy(self, queryset, name, value):
        if value == "vacant":
            return queryset.filter(holder__isnull=True)
        if value == "filled":
            return queryset.filter(holder__isnull=False)
        return queryset

    def filter_nothing(self, queryset, name, value):
        return queryset
