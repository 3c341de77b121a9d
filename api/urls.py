"""The API, version 1 (docs/api.md). Included under ``/api/v1/`` by config.urls."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from api.views import casework, docs, figures, organisations

app_name = "api"

router = SimpleRouter()
router.register("children", casework.ChildViewSet, basename="child")
router.register("requests", casework.RequestViewSet, basename="request")
router.register("contributions", casework.ContributionViewSet, basename="contribution")
router.register("advice", casework.AdviceViewSet, basename="advice")
router.register(
    "organisations/local-authorities",
    organisations.LocalAuthorityViewSet,
    basename="local-authority",
)
router.register("organisations/services", organisations.ServiceViewSet, basename="service")

urlpatterns = [
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("figures/", figures.FiguresView.as_view(), name="figures"),
    *router.urls,
]
