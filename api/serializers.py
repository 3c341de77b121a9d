"""What the API shows of each record (docs/api.md, "Resources").

Read serializers only: writes go through the services in
:mod:`ehc.services` with plain values (:mod:`api.intake`,
:mod:`api.views`), so a rule is written once. A practitioner sees only
their own services' contributions and advice; nobody outside health sees
the quality review (it is health's own), as on the pages.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.models import LocalAuthority, Service
from ehc.checks import PROVISION_FIELDS
from ehc.models import Advice, Child, Contribution, HealthAdviceRequest, ProvisionItem


class LocalAuthoritySerializer(serializers.ModelSerializer):
    class Meta:
        model = LocalAuthority
        fields = ["id", "name", "gss_code"]


class ServiceSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.name", read_only=True)
    local_authorities = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Service
        fields = ["id", "name", "provider", "service_type", "is_active", "local_authorities"]


class ChildSerializer(serializers.ModelSerializer):
    local_authority = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Child
        fields = [
            "id",
            "given_name",
            "family_name",
            "date_of_birth",
            "nhs_number",
            "la_reference",
            "local_authority",
            "primary_need",
            "looked_after",
            "electively_home_educated",
            "known_to_youth_justice",
            "continuing_care",
            "year_group",
            "date_of_death",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class ChildBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Child
        fields = ["id", "given_name", "family_name", "date_of_birth", "nhs_number", "la_reference"]
        read_only_fields = fields


class ContributionSerializer(serializers.ModelSerializer):
    request = serializers.PrimaryKeyRelatedField(read_only=True)
    service = serializers.PrimaryKeyRelatedField(read_only=True)
    service_name = serializers.CharField(source="service.name", read_only=True)
    provider = serializers.CharField(source="service.provider.name", read_only=True)
    advice = serializers.SerializerMethodField()

    class Meta:
        model = Contribution
        fields = [
            "id",
            "request",
            "service",
            "service_name",
            "provider",
            "asked_on",
            "received_on",
            "due_on",
            "return_by",
            "returned_on",
            "outcome",
            "declined_reason",
            "late_reason",
            "late_note",
            "exception",
            "exception_on",
            "left_outstanding",
            "advice",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_advice(self, contribution) -> int | None:
        advice = getattr(contribution, "advice", None)
        return advice.pk if advice is not None else None


class RequestSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    child = ChildBriefSerializer(read_only=True)
    local_authority = serializers.PrimaryKeyRelatedField(read_only=True)
    meeting_on = serializers.DateField(source="review.meeting_on", read_only=True, default=None)
    contributions = ContributionSerializer(many=True, read_only=True)

    class Meta:
        model = HealthAdviceRequest
        fields = [
            "id",
            "reference",
            "child",
            "local_authority",
            "process",
            "la_reference",
            "sent_on",
            "received_on",
            "due_on",
            "meeting_on",
            "status",
            "closed_on",
            "contributions",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class ProvisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProvisionItem
        fields = list(PROVISION_FIELDS)  # those the advice page and services take
        read_only_fields = fields


class AdviceSerializer(serializers.ModelSerializer):
    contribution = serializers.PrimaryKeyRelatedField(read_only=True)
    request = serializers.IntegerField(source="contribution.request_id", read_only=True)
    child = serializers.IntegerField(source="contribution.request.child_id", read_only=True)
    service = serializers.CharField(source="contribution.service.name", read_only=True)
    provision = ProvisionSerializer(many=True, read_only=True)
    document = serializers.SerializerMethodField()

    class Meta:
        model = Advice
        fields = [
            "id",
            "contribution",
            "request",
            "child",
            "service",
            "written_on",
            "author_name",
            "author_profession",
            "needs",
            "outcomes",
            "child_views",
            "provision",
            "document",
            "document_name",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_document(self, advice) -> str | None:
        """The API's download link for the advice document (the same token works)."""
        if not advice.document:
            return None
        path = reverse("api:advice-document", kwargs={"pk": advice.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
