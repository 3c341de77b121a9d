from django.urls import path

from portal import waits

app_name = "waits"

urlpatterns = [
    path("", waits.service_list, name="service_list"),
    path("<int:pk>/", waits.service_detail, name="service_detail"),
    path("<int:pk>/waiting-times/new/", waits.waits_create, name="waits_create"),
    path("waiting-times/<int:pk>/change/", waits.waits_edit, name="waits_edit"),
]
