"""Information governance's URLs. Included at the site root from
``config/urls.py`` before ``ehc``: the pages about one child sit under the
child's own address (``/ehc/children/<id>/subject-access/``), the rest under
``/governance/``."""

from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("ehc/children/<int:pk>/subject-access/", views.subject_access, name="subject_access"),
    path("ehc/children/<int:pk>/legal-hold/", views.legal_hold, name="legal_hold"),
    path("ehc/children/<int:pk>/erasure/", views.erase_child, name="erase_child"),
    path(
        "governance/subject-access/<int:pk>/",
        views.subject_access_export,
        name="subject_access_export",
    ),
    path(
        "governance/subject-access/<int:pk>/status/",
        views.subject_access_export_status,
        name="subject_access_export_status",
    ),
    path(
        "governance/subject-access/<int:pk>/download/",
        views.subject_access_download,
        name="subject_access_download",
    ),
    path("governance/erasure/", views.batch_list, name="batch_list"),
    path("governance/erasure/<int:pk>/", views.batch_detail, name="batch_detail"),
]
