"""The list pages' filters (django-filter): the worklist's filter panel, the
children list's search and the search that starts "Log a new request"."""

from __future__ import annotations

import datetime
import functools
import hashlib
import re

import django_filters
from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User
from accounts.roles import Role
from commissioning.models import LocalAuthority, Service
from core.forms import DateField
from ehc import clock, groups, selectors
from ehc.clock import AGE_GROUP_RANGES
from ehc.identifiers import normalise_nhs_number
from ehc.models import (
    OPEN_STATUSES,
    Child,
    Contribution,
    HealthAdviceRequest,
    PrimaryNeed,
    Process,
    RequestStatus,
)
from ehc.selectors import child_search, search_children

GROUP_CHOICES = list(groups.GROUPS.items())
STATUS_CHOICES = [("open", "Open (awaiting or all returned)"), *RequestStatus.choices]
AGE_GROUPS = [(value, label) for value, (label, _, _) in AGE_GROUP_RANGES.items()]


def born_between_for_ages(
    youngest: int, oldest: int, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """Dates of birth of people aged ``youngest`` to ``oldest`` on ``today``."""
    latest = clock.add_months(today, -12 * youngest)
    earliest = clock.add_months(today, -12 * (oldest + 1)) + datetime.timedelta(days=1)
    return earliest, latest


class DateBoxesOrISO(DateInputWidget):
    """The GOV.UK day, month and year boxes. A link may also give the date
    as one ISO value (``?received_from=2026-04-01``), as the reports'
    drill-down links and older bookmarks do; it fills the boxes."""

    def value_from_datadict(self, data, files, name):
        if name in data and not any(f"{name}_{i}" in data for i in range(3)):
            text = str(data.get(name) or "").strip()
            try:
                day = datetime.date.fromisoformat(text)
            except ValueError:
                return [text, "", ""] if text else ["", "", ""]
            return [str(day.day), str(day.month), str(day.year)]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class FilterDateField(DateField):
    """A date to filter by, in the GOV.UK boxes of every form
    (:class:`core.forms.DateField`; any year 1900-2100, future included).
    Boxes filled in part are an error, never silently ignored."""

    widget = DateBoxesOrISO

    def __init__(self, **kwargs):
        super().__init__(not_future=False, **kwargs)

    def clean(self, value):
        parts = [str(part or "").strip() for part in (value or [])]
        if any(parts) and not all(parts[:3]) and len(parts) >= 3:
            raise ValidationError("Enter the day, month and year", code="incomplete")
        return super().clean(value)


class DateInputFilter(django_filters.Filter):
    """django-filter's date filter with the GOV.UK date input."""

    field_class = FilterDateField


class RequestFilterForm(forms.Form):
    """The worklist's filter form: the received dates must be in order."""

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            self.add_error(
                "received_to",
                f"Received to must be the same as or after received from ({start:%-d %B %Y})",
            )
        return data


class FindChildForm(forms.Form):
    """The find-a-child search: an NHS number that cannot be one is said
    so beside the field (no one would be found)."""

    def clean_nhs_number(self):
        value = self.cleaned_data.get("nhs_number", "")
        if value.strip() and not re.fullmatch(r"[0-9]{10}", normalise_nhs_number(value)):
            raise ValidationError("Enter the NHS number as 10 digits, for example 943 476 5919")
        return value


# How long a user's worklist choices are kept in the cache (seconds): an
# area, service or officer added or renamed shows in their filter panel
# within this time. The rows listed are always read from their scope.
WORKLIST_CHOICES_SECONDS = 60


def worklist_choices(user) -> dict[str, list[tuple[int, str]]]:
    """The worklist's choices drawn from ``user``'s scope, as plain
    ``(id, words)`` lists keyed by filter name, in the order shown:

    - ``local_authority``: the areas they see, by name;
    - ``service``: the services of those areas (a practitioner's own
      services), "Name (Provider)", by provider and name;
    - ``provider``: the providers of those services, by name;
    - ``owner``: the designated officers of those areas, by name.

    Kept in the cache for :data:`WORKLIST_CHOICES_SECONDS` per user and
    role (one cache read a page); read again after that in three queries
    (areas; services with their providers; officers). The choices only
    offer values: a stale one filters the user's scoped requests like any
    other and can show nothing outside their scope."""
    key = f"ehc:worklist-choices:{user.pk}:{user.role}"
    choices = cache.get(key)
    if choices is None:
        choices = _read_worklist_choices(user)
        cache.set(key, choices, WORKLIST_CHOICES_SECONDS)
    return choices


def _read_worklist_choices(user) -> dict[str, list[tuple[int, str]]]:
    areas = LocalAuthority.objects.visible_to(user)
    if user.role == Role.HEALTH_PRACTITIONER:
        services = user.services.all()
    else:
        services = Service.objects.filter(local_authorities__in=areas).distinct()
    service_rows = list(
        services.order_by("provider__name", "name", "pk").values_list(
            "pk", "name", "provider_id", "provider__name"
        )
    )
    providers = {provider: name for _, _, provider, name in service_rows}
    officers = (
        User.objects.filter(role=Role.DESIGNATED_OFFICER, local_authorities__in=areas)
        .distinct()
        .order_by("full_name", "pk")
    )
    return {
        "local_authority": list(areas.order_by("name", "pk").values_list("pk", "name")),
        "provider": sorted(providers.items(), key=lambda item: (item[1], item[0])),
        "service": [(pk, f"{name} ({provider})") for pk, name, _, provider in service_rows],
        "owner": list(officers.values_list("pk", "full_name")),
    }


def _offered(read, name: str) -> list[tuple[int, str]]:
    """The choices of filter ``name`` from ``read()`` (:func:`worklist_choices`)."""
    return read()[name]


# Query parameters typed rather than chosen (prefixes: the date boxes add
# _0, _1, _2), and those the panel does not show.
TYPED = ("q", "due_within", "received_from", "received_to")
NOT_IN_PANEL = frozenset({"sort", "page", "page_size"})


# The worklist's filters that test the requests table's own columns (and
# the keys stored on it): no join to the children, no subquery on the
# contributions (a practitioner's lawful exceptions aside: their lists are
# never area-scoped, below).
REQUEST_COLUMN_FILTERS = frozenset(
    {
        "status",
        "overdue",
        "lawful_exception",
        "due_within",
        "process",
        "local_authority",
        "owner",
        "received_from",
        "received_to",
    }
)


def reads_request_columns_only(user, cleaned: dict) -> bool:
    """Whether ``user``'s worklist, filtered as ``cleaned`` says (a
    RequestFilter form's cleaned data; a blank, None or False value is a
    filter not in use), is scoped by area and tested on the requests'
    own columns only (:data:`REQUEST_COLUMN_FILTERS`): then each status can
    be counted on its own without repeating a join or a subquery
    (:func:`ehc.selectors.status_counts`). A health practitioner's scope is
    a subquery on the contributions (``HealthAdviceRequestQuerySet``)."""
    if user.role == Role.HEALTH_PRACTITIONER:
        return False
    return all(
        name in REQUEST_COLUMN_FILTERS
        for name, value in cleaned.items()
        if not (value is None or value == "" or value is False)
    )


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
    # The next four offer the user's own areas, services and officers
    # (worklist_choices): plain (id, words) choices, read once a page.
    local_authority = django_filters.ChoiceFilter(
        label="Local authority", choices=(), empty_label="Any"
    )
    provider = django_filters.ChoiceFilter(
        label="Provider", choices=(), method="filter_provider", empty_label="Any"
    )
    service = django_filters.ChoiceFilter(
        label="Service", choices=(), method="filter_service", empty_label="Any"
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
    group = django_filters.ChoiceFilter(
        label="Group", choices=GROUP_CHOICES, method="filter_group", empty_label="Any group"
    )
    owner = django_filters.ChoiceFilter(label="Owner", choices=(), empty_label="Anyone")
    # Received between: how the reports link to the requests behind a figure.
    received_from = DateInputFilter(
        label="Received from",
        field_name="received_on",
        lookup_expr="gte",
        help_text="On or after this day, for example 1 4 2026",
    )
    received_to = DateInputFilter(
        label="Received to",
        field_name="received_on",
        lookup_expr="lte",
        help_text="On or before this day",
    )

    class Meta:
        model = HealthAdviceRequest
        fields = []
        form = RequestFilterForm

    def __init__(self, *args, user=None, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.user = user  # a practitioner's lawful exceptions are their own services'
        # Read when a choice is checked or the panel drawn, once (not for
        # the API's list, which draws no panel).
        read = functools.cache(functools.partial(worklist_choices, user))
        for name in ("local_authority", "provider", "service", "owner"):
            self.filters[name].extra["choices"] = functools.partial(_offered, read, name)

    @property
    def form(self):
        """The filter panel's form, built when first asked for: to check the
        filters sent, or to draw the panel when it is not in the cache. A
        first visit to the worklist (no filters) with its panel kept
        builds none (sixteen fields, each copied twice: a few
        milliseconds of every page; docs/performance.md, "The worklist's
        page in two plain reads")."""
        if not hasattr(self, "_form"):
            self._dress(super().form)
        return self._form

    @staticmethod
    def _dress(form) -> None:
        """The panel's layout (crispy-forms-gds), messages and widgets."""
        form.helper = FormHelper()
        form.helper.form_tag = False
        form.helper.disable_csrf = True
        form.helper.layout = Layout(
            Field.text("q", field_width=Fluid.FULL),
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
            Field.select("group"),
            Field.select("owner"),
            Field("received_from"),
            Field("received_to"),
            Button("submit", "Apply filters"),
        )
        for name in ("local_authority", "provider", "service", "owner", "group"):
            form.fields[name].error_messages["invalid_choice"] = "Choose an option from the list"
        # Typed as text (GOV.UK: no number input), checked as a number.
        form.fields["due_within"].widget = forms.TextInput(attrs={"inputmode": "numeric"})
        form.fields["due_within"].error_messages.update(
            {
                "invalid": "Enter a number of days",
                "min_value": "Enter 0 or more days",
                "max_value": "Enter 366 days or fewer",
            }
        )
        for name in (
            "status",
            "process",
            "local_authority",
            "provider",
            "service",
            "primary_need",
            "age_group",
            "group",
            "owner",
        ):
            form.fields[name].widget.attrs["class"] = "govuk-!-width-full"

    @property
    def panel(self) -> SafeString:
        """The filter panel's fields and its button, drawn by crispy-forms-gds
        (the template writes the ``<form>`` around it). Drawn once a minute
        (:data:`WORKLIST_CHOICES_SECONDS`) for each user and set of
        filters, and kept in the cache meanwhile: an officer going back and
        forth between the worklist and its requests sees the same panel, and
        drawing it costs more than the page's SQL. A panel holding typed
        search words (perhaps a child's name) is drawn every time, never
        kept."""
        data = QueryDict(mutable=True)
        data.update(self.data)  # the request's QueryDict, or a plain dict (as the form's)
        # Words typed into the panel (a search, a number of days, the date
        # boxes) may be anything, a child's name included: drawn, not kept.
        if any(
            value.strip() for key in data for value in data.getlist(key) if key.startswith(TYPED)
        ):
            return render_crispy_form(self.form)
        # Every value sent, by the names the widgets read (a date's three
        # boxes are received_from_0, _1 and _2, not the field's own name).
        filters = sorted(
            (name, value)
            for name, values in data.lists()
            for value in values
            if name not in NOT_IN_PANEL
        )
        digest = hashlib.sha256(repr(filters).encode()).hexdigest()
        key = f"ehc:worklist-panel:{self.user.pk}:{self.user.role}:{self.today}:{digest}"
        panel = cache.get(key)
        if panel is None:
            panel = render_crispy_form(self.form)
            cache.set(key, panel, WORKLIST_CHOICES_SECONDS)
        return mark_safe(panel)  # noqa: S308 (crispy-forms-gds's own escaped markup)

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
        # The first condition is implied by the second; it narrows the index range read.
        return queryset.filter(selectors.may_be_overdue(self.today), selectors.overdue(self.today))

    def filter_lawful_exception(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(selectors.lawful_exception(self.user))

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(selectors.due_within(self.today, int(value)))

    def filter_provider(self, queryset, name, value):
        asked = Contribution.objects.filter(service__provider_id=value)
        return queryset.filter(pk__in=asked.values("request_id"))

    def filter_service(self, queryset, name, value):
        asked = Contribution.objects.filter(service_id=value)
        return queryset.filter(pk__in=asked.values("request_id"))

    def filter_age(self, queryset, name, value):
        _, youngest, oldest = AGE_GROUP_RANGES[value]
        earliest, latest = born_between_for_ages(youngest, oldest, self.today)
        return queryset.filter(child__date_of_birth__gte=earliest, child__date_of_birth__lte=latest)

    def filter_group(self, queryset, name, value):
        """Requests whose child is in the group today (:func:`ehc.groups.condition`)."""
        return queryset.filter(groups.condition(value, self.today, via="child__"))


class ChildFilter(django_filters.FilterSet):
    """The children list's search: part of a name, the LA's reference or
    the NHS number (:func:`ehc.selectors.child_search`), and the group the
    child is in today (:mod:`ehc.groups`)."""

    q = django_filters.CharFilter(
        label="Search by name, NHS number or LA reference", method="search"
    )
    group = django_filters.ChoiceFilter(
        label="Group", choices=GROUP_CHOICES, method="filter_group", empty_label="Any group"
    )

    class Meta:
        model = Child
        fields = []

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.form.fields["group"].error_messages["invalid_choice"] = "Choose a group from the list"

    def search(self, queryset, name, value):
        return search_children(queryset, value)

    def filter_group(self, queryset, name, value):
        return queryset.filter(groups.condition(value, self.today))


class FindChildFilter(django_filters.FilterSet):
    """The search that starts "Log a new request": whichever of the NHS
    number, a name and the date of birth are given must all match. An NHS
    number is matched whole (spaces and hyphens as people type them are
    ignored); a name matches part of the first or last name, each word of
    it; the date of birth exactly."""

    nhs_number = django_filters.CharFilter(
        label="NHS number",
        method="filter_nhs_number",
        help_text="10 digits, for example 943 476 5919",
        max_length=20,
    )
    name = django_filters.CharFilter(
        label="Name",
        method="filter_name",
        help_text="First name, last name or both",
        max_length=200,
    )
    date_of_birth = DateInputFilter(label="Date of birth", field_name="date_of_birth")

    class Meta:
        model = Child
        fields = []
        form = FindChildForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form = self.form
        form.fields["nhs_number"].error_messages["max_length"] = "An NHS number has 10 digits"
        form.fields["name"].error_messages["max_length"] = "Enter 200 characters or fewer"
        form.helper = FormHelper()
        form.helper.form_tag = False
        form.helper.disable_csrf = True
        form.helper.layout = Layout(
            Field.text("nhs_number", field_width=10),
            Field.text("name", field_width=20),
            Field("date_of_birth"),
            Button("submit", "Search", css_class="govuk-button--secondary"),
        )

    def filter_nhs_number(self, queryset, name, value):
        digits = normalise_nhs_number(value)
        if not digits:
            return queryset
        return queryset.filter(nhs_number=digits)

    def filter_name(self, queryset, name, value):
        for word in value.split():
            either = Q(given_name__icontains=word) | Q(family_name__icontains=word)
            queryset = queryset.filter(either)
        return queryset
