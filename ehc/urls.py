from django.urls import path

from ehc import child_views, import_views, list_views, plan_views, views
from ehc.reviews import views as review_views

app_name = "ehc"

urlpatterns = [
    path("requests/", list_views.request_list, name="request_list"),
    path("requests/new/", list_views.request_start, name="request_start"),
    path(
        "requests/download.<slug:file_format>",
        list_views.request_download,
        name="request_download",
    ),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("requests/<int:pk>/services/new/", views.contribution_add, name="contribution_add"),
    path("contributions/<int:pk>/return/", views.contribution_return, name="contribution_return"),
    path("contributions/<int:pk>/asking/", views.contribution_asking, name="contribution_asking"),
    path(
        "contributions/<int:pk>/exception/",
        views.contribution_exception,
        name="contribution_exception",
    ),
    path("contributions/<int:pk>/advice/", views.advice_edit, name="advice_edit"),
    path("advice/<int:pk>/document/", views.advice_document, name="advice_document"),
    path("advice/<int:pk>/review/", views.review_edit, name="review_edit"),
    path("reviews/", review_views.review_list, name="review_list"),
    path(
        "reviews/download.<slug:file_format>",
        review_views.review_download,
        name="review_download",
    ),
    path("quality/sample/", views.audit_sample, name="audit_sample"),
    # Plan quality assurance (docs/plans.md)
    path("plans/", plan_views.plan_list, name="plan_list"),
    path("plans/download.<slug:file_format>", plan_views.plan_download, name="plan_download"),
    path("plans/sample/", plan_views.plan_sample, name="plan_sample"),
    path("plans/children/<int:child_pk>/new/", plan_views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plan_views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/audit/", plan_views.plan_audit, name="plan_audit"),
    path("plans/<int:pk>/provision/new/", plan_views.provision_create, name="provision_create"),
    path("plans/provision/<int:pk>/", plan_views.provision_edit, name="provision_edit"),
    path("plans/provision/<int:pk>/remove/", plan_views.provision_remove, name="provision_remove"),
    path("import/", import_views.upload, name="import"),
    path("import/<int:pk>/", import_views.job_detail, name="import_job"),
    path("import/<int:pk>/progress/", import_views.job_progress, name="import_progress"),
    path("import/<int:pk>/confirm/", import_views.job_confirm, name="import_confirm"),
    path("children/", list_views.child_list, name="child_list"),
    path("children/download.<slug:file_format>", list_views.child_download, name="child_download"),
    path("children/new/", list_views.child_create, name="child_create"),
    path("children/<int:pk>/", child_views.child_detail, name="child_detail"),
    path("children/<int:pk>/edit/", child_views.child_edit, name="child_edit"),
    path(
        "children/<int:pk>/access/", child_views.child_access_history, name="child_access_history"
    ),
    path("children/<int:child_pk>/requests/new/", views.request_create, name="request_create"),
    path(
        "children/<int:child_pk>/<slug:kind>/new/",
        child_views.child_record_edit,
        name="child_record_create",
    ),
    path(
        "children/<int:child_pk>/<slug:kind>/<int:record_pk>/",
        child_views.child_record_edit,
        name="child_record_edit",
    ),
]
