"""The report selection (django-filter): period, commissioning body, local
authority and provider, each limited to what the viewer may see, turned
into a :class:`reports.indicators.Scope` and a period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout
from django import forms
from django.utils import timezone

from accounts.roles import Role, role_of
from accounts.scoping import local_authority_ids_for
from commissioning.models import CommissioningBody, LocalAuthority, Provider
from core import periods
from ehc.models import HealthAdviceRequest
from reports.indicators import Scope


@dataclass(frozen=True)
class Selection:
    scope: Scope
    period: periods.Period
    exact: bool  # designated officers (own areas) and administrators
    body: CommissioningBody | None
    local_authority: LocalAuthority | None
    provider: Provider | None

    def query(self, **overrides) -> str:
        """The selection as query parameters, for links between reports."""
        from urllib.parse import urlencode

        params = {
            "period": self.period.slug if self.period.kind != periods.CUSTOM else "",
            "date_from": self.period.start.isoformat()
            if self.period.kind == periods.CUSTOM
            else "",
            "date_to": self.period.end.isoformat() if self.period.kind == periods.CUSTOM else "",
            "commissioning_body": self.body.pk if self.body else "",
            "local_authority": self.local_authority.pk if self.local_authority else "",
            "provider": self.provider.pk if self.provider else "",
            **overrides,
        }
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})


def default_period(today: datetime.date) -> periods.Period:
    """The last complete quarter: what a board paper reports on."""
    return periods.quarter_containing(today).previous()


COMMISSIONER_MIN_MONTHS = 3


# The figures start with the EHC system (September 2014; its financial year
# from April) and end a year ahead; a date outside is a mistyped year, and
# the period before it or a year earlier may not exist at all.
EARLIEST_REPORT_DATE = datetime.date(2014, 4, 1)


def _out_of_range(day: datetime.date | None) -> str:
    """Why ``day`` cannot start or end a report's range ("" when it can)."""
    if day is None:
        return ""
    latest = datetime.date(timezone.localdate().year + 1, 12, 31)
    if day < EARLIEST_REPORT_DATE:
        return "EHC plans began in September 2014: choose a date from 1 April 2014"
    if day > latest:
        return f"Choose a date up to {latest:%-d %B %Y}"
    return ""


def _whole_months_problems(
    start: datetime.date, end: datetime.date, *, minimum: int = COMMISSIONER_MIN_MONTHS
) -> dict[str, str]:
    """What stops ``start`` to ``end`` being a range of whole calendar
    months, at least ``minimum`` of them, as ``{"date_from"|"date_to":
    message}`` (empty when it is one). A range of whole months of some
    length cannot be narrowed to the day a child's request arrived, which
    is what commissioners' custom ranges must guarantee."""
    problems = {}
    if start.day != 1:
        problems["date_from"] = "Start on the first day of a month, for example 1 April"
    if (end + datetime.timedelta(days=1)).day != 1:
        problems["date_to"] = "End on the last day of a month, for example 30 June"
    if not problems:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months < minimum:
            problems["date_to"] = f"Choose at least {minimum} whole months"
    return problems


class ReportFilter(django_filters.FilterSet):
    """Only its form is used: the figures come from reports.metrics."""

    period = django_filters.ChoiceFilter(label="Period", method="keep", empty_label=None)
    date_from = django_filters.DateFilter(
        label="Or from (a custom range)", method="keep", help_text="For example, 2026-04-01"
    )
    date_to = django_filters.DateFilter(
        label="To", method="keep", help_text="For example, 2026-06-30"
    )
    commissioning_body = django_filters.ModelChoiceFilter(
        label="Commissioning body",
        queryset=CommissioningBody.objects.none(),
        method="keep",
        empty_label="All in your scope",
    )
    local_authority = django_filters.ModelChoiceFilter(
        label="Local authority",
        queryset=LocalAuthority.objects.none(),
        method="keep",
        empty_label="All in your scope",
    )
    provider = django_filters.ModelChoiceFilter(
        label="Provider",
        queryset=Provider.objects.none(),
        method="keep",
        empty_label="All providers",
    )

    class Meta:
        model = HealthAdviceRequest
        fields = []

    def __init__(self, *args, user, today: datetime.date, periods_only=None, **kwargs):
        super().__init__(*args, queryset=HealthAdviceRequest.objects.none(), **kwargs)
        self.user = user
        self.today = today
        self.role = role_of(user)
        choices = periods.PERIOD_CHOICES(today)
        if periods_only == periods.YEAR:
            choices = [(slug, label) for slug, label in choices if "q" not in slug]
        elif periods_only == periods.QUARTER:
            choices = [(slug, label) for slug, label in choices if "q" in slug]
        self.filters["period"].extra["choices"] = choices
        self.default_period = (
            periods.financial_year(periods.financial_year_of(today) - 1)
            if periods_only == periods.YEAR
            else default_period(today)
        )
        areas = LocalAuthority.objects.visible_to(user).order_by("name")
        self.filters["local_authority"].queryset = areas
        self.filters["commissioning_body"].queryset = CommissioningBody.objects.visible_to(
            user
        ).order_by("name")
        self.filters["provider"].queryset = (
            Provider.objects.filter(services__local_authorities__in=areas)
            .distinct()
            .order_by("name")
        )
        form = self.form
        form.fields["period"].initial = self.default_period.slug
        if not self.is_bound:
            form.initial["period"] = self.default_period.slug
        if periods_only:
            del form.fields["date_from"], form.fields["date_to"]
        for name in ("local_authority", "commissioning_body", "provider", "period"):
            form.fields[name].error_messages["invalid_choice"] = "Choose an option from the list"
            form.fields[name].widget.attrs["class"] = "govuk-!-width-full"
        for name in ("date_from", "date_to"):
            if name in form.fields:
                form.fields[name].error_messages["invalid"] = (
                    "Enter a real date, for example 2026-04-01"
                )
                form.fields[name].required = False
        if self.role == Role.COMMISSIONER:
            del form.fields["commissioning_body"]
        form.clean = self._clean
        form.helper = FormHelper()
        form.helper.form_tag = False
        form.helper.disable_csrf = True
        fields = [Field.select("period")]
        if "date_from" in form.fields:
            fields += [
                Field.text("date_from", field_width=10),
                Field.text("date_to", field_width=10),
            ]
        for name in ("commissioning_body", "local_authority", "provider"):
            if name in form.fields:
                fields.append(Field.select(name))
        form.helper.layout = Layout(Fieldset(*fields), Button("submit", "Show figures"))

    def keep(self, queryset, name, value):
        return queryset

    def _clean(self):
        form = self.form
        data = forms.Form.clean(form)
        start, end = data.get("date_from"), data.get("date_to")
        for name, day in (("date_from", start), ("date_to", end)):
            if problem := _out_of_range(day):
                form.add_error(name, problem)
                data.pop(name, None)
        start, end = data.get("date_from"), data.get("date_to")
        if form.errors.keys() & {"date_from", "date_to"}:
            return data
        if bool(start) != bool(end):
            form.add_error("date_to" if start else "date_from", "Enter both dates of the range")
        elif start and end:
            try:
                periods.custom(start, end)
            except ValueError as error:
                form.add_error("date_to", str(error))
            else:
                if self.role == Role.COMMISSIONER:
                    # Whole months, at least 3: no range a commissioner can
                    # choose narrows the figures to a few children.
                    for name, message in _whole_months_problems(start, end).items():
                        form.add_error(name, message)
        return data

    def selection(self) -> Selection:
        """The scope and period chosen (call after is_valid(), or unbound)."""
        data = self.form.cleaned_data if self.is_bound else {}
        if data.get("date_from") and data.get("date_to"):
            period = periods.custom(data["date_from"], data["date_to"])
        elif data.get("period"):
            period = periods.parse_period(data["period"])
        else:
            period = self.default_period
        body = data.get("commissioning_body")
        la = data.get("local_authority")
        provider = data.get("provider")
        user = self.user
        la_ids = None
        exact = True
        if self.role == Role.COMMISSIONER:
            body = user.commissioning_body
            exact = False
            if body is None:  # a commissioner without a body sees nothing
                la_ids = frozenset()
        elif self.role != Role.ADMINISTRATOR:
            la_ids = frozenset(
                LocalAuthority.objects.filter(pk__in=local_authority_ids_for(user)).values_list(
                    "pk", flat=True
                )
            )
        if la is not None:
            la_ids = frozenset({la.pk}) if la_ids is None else la_ids & {la.pk}
        label = " – ".join(str(x) for x in (body, la, provider) if x is not None) or (
            "All areas" if self.role == Role.ADMINISTRATOR else "Your areas"
        )
        scope = Scope(
            label=label,
            body_id=body.pk if body else None,
            la_ids=la_ids,
            provider_id=provider.pk if provider else None,
        )
        return Selection(scope, period, exact, body, la, provider)
