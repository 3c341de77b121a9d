"""Children, requests, contributions and advice (docs/api.md, "Resources").

Each list starts from the user's scoped queryset (``visible_to``), is
filtered by the pages' FilterSet where the page has one and by ``since``
(the last change), and pages with a cursor on (last change, id). Every
response that shows a child's record writes one access event naming the
children shown and the token (:mod:`api.access_log`). Writes call the
services in :mod:`ehc.services` with plain values and the token's user as
``by``, so the audit log names the user.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api import inputs, intake, serializers
from api.access_log import api_shown
from api.filtering import API_PARAMETERS, apply_filterset, refuse_unknown, since_filter
from api.pagination import LastChangeCursor
from core.scoping import get_object_for_user
from ehc import services
from ehc.filters import ChildFilter, RequestFilter
from ehc.identifiers import normalise_nhs_number
from ehc.models import Advice, Child, Contribution, HealthAdviceRequest

SINCE = OpenApiParameter(
    "since",
    str,
    description="Only records changed on or after this moment (ISO 8601, for example "
    "2026-04-01T09:30:00Z): poll with the last change you saw.",
)


class ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only resource of records about a child, scoped to the user."""

    pagination_class = LastChangeCursor
    required_permission = "portal.view_ehc"
    lookup_value_regex = "[0-9]{1,18}"
    label = ""  # what the access event says, e.g. "requests"
    list_filter = None  # the page's FilterSet the list takes, if any (ehc.filters)

    def list_filter_kwargs(self) -> dict:
        """Keyword arguments of :attr:`list_filter` besides the data."""
        return {}

    def children_of(self, rows) -> list:
        raise NotImplementedError

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.base_queryset()

    def filter_queryset(self, queryset):
        if self.action == "list":
            if self.list_filter is not None:
                queryset = apply_filterset(
                    self.list_filter, self.request, queryset, **self.list_filter_kwargs()
                )
            else:
                refuse_unknown(self.request, API_PARAMETERS)
            queryset = since_filter(self.request, queryset)
        return queryset

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        api_shown(request, self.children_of(self._page), f"{self.label} list")
        return response

    def paginate_queryset(self, queryset):
        self._page = super().paginate_queryset(queryset) or []
        return self._page

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        api_shown(request, self.children_of([instance]), self.label)
        return Response(self.get_serializer(instance).data)

    def get_object(self):
        pk = self.kwargs["pk"]
        return get_object_for_user(self.get_queryset(), self.request.user, pk=pk)


@extend_schema(tags=["children"])
class ChildViewSet(mixins.CreateModelMixin, ScopedReadViewSet):
    """Children and young people you can see. Designated officers and LA
    officers record them (as on the 'Add a child' page)."""

    serializer_class = serializers.ChildSerializer
    action_permissions = {"create": "portal.log_requests", "partial_update": "portal.log_requests"}
    label = "children"
    list_filter = ChildFilter

    def base_queryset(self):
        return Child.objects.visible_to(self.request.user).select_related("local_authority")

    def children_of(self, rows):
        return rows

    @extend_schema(
        parameters=[
            SINCE,
            OpenApiParameter("q", str, description="Name, NHS number or LA reference"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=inputs.ChildInput, responses={201: serializers.ChildSerializer})
    def create(self, request, *args, **kwargs):
        data = inputs.ChildInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        area = intake.area_for(
            request.user, values.pop("local_authority", None), key="local_authority"
        )
        child = services.create_child(by=request.user, local_authority=area, **values)
        api_shown(request, [child], "children (created)")
        return Response(self.get_serializer(child).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=inputs.ChildChange, responses={200: serializers.ChildSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change the fields sent (as the child's edit page): ``version`` is
        the one read; a stale one is a 409."""
        child = get_object_for_user(
            self.base_queryset(), request.user, write_permission="ehc.edit_child", pk=kwargs["pk"]
        )
        data = inputs.ChildChange(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "version" not in values:
            raise ValidationError({"version": "Send the version of the child you read"})
        version = values.pop("version")
        if "nhs_number" in values:
            values["nhs_number"] = normalise_nhs_number(values["nhs_number"])
        child = services.update_child(
            child=child, values=values, by=request.user, expected_version=version
        )
        api_shown(request, [child], "children (changed)")
        return Response(self.get_serializer(child).data)


@extend_schema(tags=["requests"])
class RequestViewSet(mixins.CreateModelMixin, ScopedReadViewSet):
    """Requests for health advice you can see, with the services asked and
    their due dates."""

    serializer_class = serializers.RequestSerializer
    action_permissions = {"create": "portal.log_requests"}
    label = "requests"
    list_filter = RequestFilter

    def base_queryset(self):
        user = self.request.user
        return (
            HealthAdviceRequest.objects.visible_to(user)
            .select_related("child", "review")
            .prefetch_related(
                Prefetch(
                    "contributions",
                    queryset=Contribution.objects.visible_to(user)
                    .select_related("service__provider", "advice")
                    .order_by("pk"),
                )
            )
        )

    def list_filter_kwargs(self) -> dict:
        return {"user": self.request.user}

    def children_of(self, rows):
        return [row.child_id for row in rows]

    @extend_schema(
        parameters=[
            SINCE,
            OpenApiParameter(
                "status", str, description="open, awaiting, returned, closed or withdrawn"
            ),
            OpenApiParameter("process", str),
            OpenApiParameter("local_authority", int),
            OpenApiParameter("service", int),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("received_from", str, description="YYYY-MM-DD"),
            OpenApiParameter("received_to", str, description="YYYY-MM-DD"),
            OpenApiParameter("q", str, description="Reference, name or NHS number"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=inputs.RequestInput,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Any unique string (a UUID): a retry with the same key and body "
                "within 2 days answers with the request made first; the same key with "
                "another body is a 422.",
            )
        ],
        responses={
            201: serializers.RequestSerializer,
            200: OpenApiResponse(serializers.RequestSerializer, "A retry: the request made first"),
            422: OpenApiResponse(
                description="The Idempotency-Key was already used with another body"
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        data = inputs.RequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 200:
            raise ValidationError({"Idempotency-Key": "Send a key of 200 characters or fewer"})
        received = intake.receive_request(
            by=request.user, values=dict(data.validated_data), idempotency_key=key
        )
        advice_request = self.base_queryset().get(pk=received.request.pk)
        api_shown(request, [advice_request.child_id], "requests (sent)")
        return Response(
            self.get_serializer(advice_request).data,
            status=status.HTTP_201_CREATED if received.created else status.HTTP_200_OK,
        )


@extend_schema(tags=["contributions"])
class ContributionViewSet(ScopedReadViewSet):
    """Each service's part in a request. Practitioners record their
    service's return here (as on the 'Record the return' page)."""

    serializer_class = serializers.ContributionSerializer
    action_permissions = {
        "record_return": "portal.record_advice",
        "record_advice": "portal.record_advice",
    }
    label = "contributions"

    def base_queryset(self):
        return Contribution.objects.visible_to(self.request.user).select_related(
            "request", "service__provider", "advice"
        )

    def children_of(self, rows):
        return [row.request.child_id for row in rows]

    @extend_schema(parameters=[SINCE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=inputs.ReturnInput, responses={200: serializers.ContributionSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def record_return(self, request, pk=None):
        contribution = get_object_for_user(
            self.base_queryset(), request.user, write_permission="ehc.record_return", pk=pk
        )
        data = inputs.ReturnInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        services.record_return(
            contribution=contribution, by=request.user, expected_version=version, **values
        )
        contribution = self.base_queryset().get(pk=contribution.pk)
        api_shown(request, [contribution.request.child_id], "contributions (return)")
        return Response(self.get_serializer(contribution).data)

    @extend_schema(
        request=inputs.AdviceInput,
        responses={201: serializers.AdviceSerializer, 200: serializers.AdviceSerializer},
    )
    @action(detail=True, methods=["post"], url_path="advice")
    def record_advice(self, request, pk=None):
        """Record the service's advice (or change it, with its ``version``),
        as the advice page does; ``provision`` replaces the rows held.
        Advice for a contribution not yet returned records the return on the
        advice's date (ehc.services.save_advice)."""
        contribution = get_object_for_user(
            self.base_queryset(), request.user, write_permission="ehc.record_return", pk=pk
        )
        data = inputs.AdviceInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        rows = values.pop("provision")
        version = values.pop("version", None)
        held = getattr(contribution, "advice", None)
        if held is not None and version is None:
            raise ValidationError({"version": "Send the version of the advice you read"})
        gone = [{"id": item.pk, "delete": True} for item in held.provision.all()] if held else []
        advice = services.save_advice(
            contribution=contribution,
            values=values,
            provision=[*gone, *rows],
            by=request.user,
            expected_version=version,
        )
        advice = (
            Advice.objects.visible_to(request.user)
            .select_related("contribution__request", "contribution__service")
            .prefetch_related("provision")
            .get(pk=advice.pk)
        )
        api_shown(request, [contribution.request.child_id], "advice (recorded)")
        return Response(
            serializers.AdviceSerializer(advice, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK if held else status.HTTP_201_CREATED,
        )


@extend_schema(tags=["advice"])
class AdviceViewSet(ScopedReadViewSet):
    """Health advice returned, with its provision rows and a link to its
    document. Poll with ``since`` for advice newly returned."""

    serializer_class = serializers.AdviceSerializer
    label = "advice"

    def base_queryset(self):
        return (
            Advice.objects.visible_to(self.request.user)
            .select_related("contribution__request", "contribution__service")
            .prefetch_related("provision")
        )

    def children_of(self, rows):
        return [row.contribution.request.child_id for row in rows]

    @extend_schema(parameters=[SINCE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The document")}
    )
    @action(detail=True, methods=["get"])
    def document(self, request, pk=None):
        advice = self.get_object()
        if not advice.document:
            raise Http404
        try:
            handle = advice.document.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        api_shown(request, [advice.contribution.request.child_id], "advice document")
        name = advice.document_name or advice.document.name.rsplit("/", 1)[-1]
        return FileResponse(handle, as_attachment=True, filename=name)
