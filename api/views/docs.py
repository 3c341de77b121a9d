"""The OpenAPI schema and its documentation, served by the portal itself
(docs/api.md, "Schema").

Both are public: they describe the interface, hold no record and no
figure, and an LA's developer reads them before they have a token. The
documentation is Swagger UI from drf-spectacular-sidecar's static files
(no CDN), its start-up script a file of its own (the split view), so the
strict CSP (script-src and style-src 'self') holds.
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class SchemaView(SpectacularAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []


class DocsView(SpectacularSwaggerSplitView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    template_name = "api/swagger_ui.html"
    title = "SEND health portal API"
