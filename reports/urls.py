from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("quarterly/", views.quarterly, name="quarterly"),
    path("annual/", views.annual, name="annual"),
]
