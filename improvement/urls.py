from django.urls import path

from improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/actions.<slug:file_format>", views.plan_download, name="plan_download"),
    path("<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/notes/new/", views.note_create, name="note_create"),
    path("actions/<int:pk>/evidence/new/", views.evidence_create, name="evidence_create"),
]
