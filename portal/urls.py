from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("officer/", views.officer_home, name="officer_home"),
    path("practitioner/", views.practitioner_home, name="practitioner_home"),
    path("commissioner/", views.commissioner_home, name="commissioner_home"),
    path("local-authority/", views.la_home, name="la_home"),
    path("administration/", views.admin_home, name="admin_home"),
]
