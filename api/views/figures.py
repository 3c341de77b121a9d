"""Report figures for a selection (docs/api.md, "Figures"): the headline
indicators of the dashboard, for the same selection parameters, with the
same suppression (reports.suppression): exact for a designated officer's
own areas and administrators, suppressed for everyone else, commissioners
among them. No child is named, so nothing is logged as an access."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.filtering import API_PARAMETERS
from reports import figures
from reports.filters import ReportFilter
from reports.presentation import Presenter
from reports.suppression import Figures

_shown = inline_serializer(
    "Shown",
    {
        "value": serializers.JSONField(help_text="A number, '*' when suppressed, or null"),
        "text": serializers.CharField(),
    },
)


def _figure(shown) -> dict:
    return {"value": shown.value, "text": shown.text}


class FiguresView(APIView):
    required_permission = "portal.view_aggregate_reports"

    @extend_schema(
        tags=["figures"],
        parameters=[
            OpenApiParameter(
                "period",
                str,
                description="A period slug as on the dashboard, for example 2026-27 or 2026-27-q1",
            ),
            OpenApiParameter("date_from", str, description="A custom range's first day"),
            OpenApiParameter("date_to", str, description="A custom range's last day"),
            OpenApiParameter("commissioning_body", int),
            OpenApiParameter("local_authority", int),
            OpenApiParameter("provider", int),
        ],
        responses=inline_serializer(
            "Figures",
            {
                "selection": inline_serializer(
                    "Selection",
                    {
                        "label": serializers.CharField(),
                        "period": serializers.CharField(),
                        "start": serializers.DateField(),
                        "end": serializers.DateField(),
                        "suppressed": serializers.BooleanField(),
                    },
                ),
                "indicators": inline_serializer(
                    "Indicator",
                    {
                        "key": serializers.CharField(),
                        "label": serializers.CharField(),
                        "current": _shown,
                        "previous": _shown,
                        "year_earlier": _shown,
                    },
                    many=True,
                ),
            },
        ),
    )
    def get(self, request):
        params = request.query_params.copy()
        for name in API_PARAMETERS:
            params.pop(name, None)
        today = timezone.localdate()
        selection_form = ReportFilter(params or None, user=request.user, today=today)
        if selection_form.is_bound and not selection_form.is_valid():
            raise ValidationError(
                {name: list(errors) for name, errors in selection_form.form.errors.items()}
            )
        selection = selection_form.selection()
        report = figures.compute(selection.scope, selection.period, today=today)
        presenter = Presenter(report, Figures(exact=selection.exact))
        return Response(
            {
                "selection": {
                    "label": selection.scope.label,
                    "period": selection.period.label,
                    "start": selection.period.start,
                    "end": selection.period.end,
                    "suppressed": not selection.exact,
                },
                "indicators": [
                    {
                        "key": tile.key,
                        "label": tile.label,
                        "current": _figure(tile.current),
                        "previous": _figure(tile.previous),
                        "year_earlier": _figure(tile.year_earlier),
                    }
                    for tile in presenter.tiles()
                ],
            }
        )
