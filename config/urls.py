from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from config import health

admin.site.site_header = "SEND health portal administration"
admin.site.site_title = "SEND health portal admin"

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("portal.urls")),
    path("organisations/", include("commissioning.urls")),
    # Before ehc: governance's pages about one child live under /ehc/children/<id>/.
    path("", include("governance.urls")),
    path("ehc/", include("ehc.urls")),
    path("roles/", include("roles.urls")),
    path("enquiries/", include("enquiries.urls")),
    path("improvement/", include("improvement.urls")),
    path("reports/", include("reports.urls")),
    path("services/", include("portal.waits_urls")),
    path("api/v1/", include("api.urls")),
    path("healthz/", health.healthz, name="healthz"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
