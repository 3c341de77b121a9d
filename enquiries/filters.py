"""The enquiries worklist's filters (docs/architecture.md, "One FilterSet per list")."""

from __future__ import annotations

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django.db.models import Q

from enquiries.models import OPEN_STATUSES, Enquiry, EnquirySource, EnquiryTopic

SHOW_CHOICES = [("open", "Open and waiting"), ("closed", "Closed"), ("all", "All")]


class EnquiryFilter(django_filters.FilterSet):
    """Which enquiries the worklist shows: open ones (the default), closed
    or all; from whom; about what; and a search over the organisation, the
    enquirer's name and the question (blank ignored)."""

    show = django_filters.ChoiceFilter(
        label="Show", choices=SHOW_CHOICES, method="filter_show", empty_label=None
    )
    source = django_filters.ChoiceFilter(
        label="From", choices=EnquirySource.choices, empty_label="Anyone"
    )
    topic = django_filters.ChoiceFilter(
        label="Topic", choices=EnquiryTopic.choices, empty_label="Any topic"
    )
    q = django_filters.CharFilter(
        label="Search organisation, name or question", method="search", max_length=200
    )

    class Meta:
        model = Enquiry
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form = self.form
        for name in ("show", "source", "topic"):
            form.fields[name].error_messages["invalid_choice"] = "Choose an option from the list"
        form.helper = FormHelper()
        form.helper.form_tag = False
        form.helper.disable_csrf = True
        form.helper.layout = Layout(
            Field.select("show"),
            Field.select("source"),
            Field.select("topic"),
            Field.text("q", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Apply filters"),
        )

    def filter_show(self, queryset, name, value):
        if value == "closed":
            return queryset.exclude(status__in=OPEN_STATUSES)
        if value == "all":
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(organisation__icontains=value)
            | Q(enquirer_name__icontains=value)
            | Q(question__icontains=value)
        )
