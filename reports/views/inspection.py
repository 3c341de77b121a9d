"""The inspection evidence pack: a web page and a PDF (reports/inspection.py
builds the content). Both take the reports' selection form with one more
choice, the figures: "for sharing" (the default: small numbers hidden as
commissioners see them) or exact, offered only to those who may see exact
figures. A bad choice gets the web page with its messages (status 400),
whichever was asked for. The PDF is rendered on each request (a few
seconds at most; the pack is asked for rarely, not by a board each month).
"""

from __future__ import annotations

import django_filters
from crispy_forms_gds.layout import Field, Size
from django import forms
from django.shortcuts import render
from django.utils import timezone

from accounts.roles import Role
from core import periods
from core.decorators import permission_required
from core.pdf import pdf_response, render_pdf
from reports import inspection
from reports.filters import ReportFilter

PERMISSION = "portal.view_aggregate_reports"
SHARING, EXACT = "sharing", "exact"
FIGURES_CHOICES = [
    (SHARING, "For sharing: small numbers hidden, as commissioners see them"),
    (EXACT, "Exact: for the designated officers' own use, not to be shared"),
]


class InspectionFilter(ReportFilter):
    """The reports' selection, opening on the financial year to date, with
    the figures choice for those whose selection is exact."""

    figures = django_filters.ChoiceFilter(
        label="Figures", choices=FIGURES_CHOICES, method="keep", empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_period = periods.financial_year(periods.financial_year_of(self.today))
        form = self.form
        form.fields["period"].initial = self.default_period.slug
        if not self.is_bound:
            form.initial["period"] = self.default_period.slug
        field = form.fields["figures"]
        if not self.selection_is_exact():
            del form.fields["figures"]  # commissioners: always for sharing
            return
        field.widget = forms.RadioSelect()
        field.required = False
        field.initial = SHARING
        if not self.is_bound:
            form.initial["figures"] = SHARING
        field.error_messages["invalid_choice"] = "Choose an option from the list"
        fieldset = form.helper.layout.fields[0]
        fieldset.fields.append(Field.radios("figures", legend_size=Size.SMALL))

    def selection_is_exact(self) -> bool:
        return self.role != Role.COMMISSIONER

    def for_sharing(self) -> bool:
        """True unless an exact selection asked for exact figures."""
        data = self.form.cleaned_data if self.is_bound else {}
        return data.get("figures") != EXACT


def _prepare(request):
    today = timezone.localdate()
    filterset = InspectionFilter(request.GET or None, user=request.user, today=today)
    valid = not filterset.is_bound or filterset.is_valid()
    context = {"filter": filterset, "filters_valid": valid}
    if valid:
        selection = filterset.selection()
        pack = inspection.build(selection, for_sharing=filterset.for_sharing(), today=today)
        query = selection.query(figures=SHARING if pack.for_sharing else EXACT)
        context.update(selection=pack.selection, pack=pack, pdf_query=query)
    return context


def _page(request, context):
    status = 200 if context["filters_valid"] else 400
    return render(request, "reports/inspection.html", context, status=status)


@permission_required(PERMISSION)
def inspection_pack(request):
    return _page(request, _prepare(request))


@permission_required(PERMISSION)
def inspection_pdf(request):
    context = _prepare(request)
    if not context["filters_valid"]:
        return _page(request, context)
    pdf = render_pdf("pdf/inspection_pack.html", context, request=request)
    return pdf_response(pdf, filename=context["pack"].filename, inline=False)
