from django.urls import path

from roles import views

app_name = "roles"

urlpatterns = [
    path("posts/", views.post_list, name="post_list"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/job-description/", views.job_description, name="job_description"),
    path(
        "posts/<int:pk>/job-description.pdf",
        views.job_description_pdf,
        name="job_description_pdf",
    ),
    path("posts/<int:pk>/committees/add/", views.add_membership, name="add_membership"),
    path("posts/<int:pk>/training/add/", views.add_training, name="add_training"),
    path("posts/<int:pk>/cpd/add/", views.add_cpd, name="add_cpd"),
    path("posts/<int:pk>/appraisal/", views.record_appraisal, name="record_appraisal"),
    path(
        "posts/<int:pk>/time-agreement/",
        views.record_local_agreement,
        name="record_local_agreement",
    ),
    path("resourcing/", views.resourcing, name="resourcing"),
    path("resourcing/la/<str:gss_code>/", views.resourcing_la, name="resourcing_la"),
    path("resourcing/body/<str:ods_code>/", views.resourcing_body, name="resourcing_body"),
    path("templates/<int:pk>/", views.template_preview, name="template_preview"),
]
