"""Organisations (docs/api.md, "Organisations"): the local authorities
you cover and the services a request can ask, with the ids the other
resources use. Nothing here is about a child, so nothing is logged as an
access to one."""

from __future__ import annotations

from django import forms
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from api import serializers
from api.pagination import NameCursor
from commissioning.models import LocalAuthority, Service


@extend_schema(tags=["organisations"])
class LocalAuthorityViewSet(viewsets.ReadOnlyModelViewSet):
    """The local authorities in your scope (a commissioner's: their body's)."""

    serializer_class = serializers.LocalAuthoritySerializer
    pagination_class = NameCursor
    lookup_value_regex = "[0-9]{1,18}"
    required_permission = "portal.view_organisations"

    def get_queryset(self):
        return LocalAuthority.objects.visible_to(self.request.user)


class ServiceFilterForm(forms.Form):
    local_authority = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={"invalid": "Enter the id of a local authority"},
    )


@extend_schema(tags=["organisations"])
class ServiceViewSet(viewsets.ReadOnlyModelViewSet):
    """Health services (a public directory); ``local_authority`` lists the
    ones covering that area, which a request there may ask."""

    serializer_class = serializers.ServiceSerializer
    pagination_class = NameCursor
    lookup_value_regex = "[0-9]{1,18}"
    required_permission = "portal.view_organisations"

    def get_queryset(self):
        return (
            Service.objects.visible_to(self.request.user)
            .select_related("provider")
            .prefetch_related("local_authorities")
        )

    @extend_schema(parameters=[OpenApiParameter("local_authority", int)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        form = ServiceFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        area = form.cleaned_data.get("local_authority")
        return queryset.filter(local_authorities=area) if area else queryset
