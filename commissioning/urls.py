from django.urls import path

from commissioning import views

app_name = "commissioning"

urlpatterns = [
    path("", views.la_list, name="la_list"),
    path("local-authorities/<str:gss_code>/", views.la_detail, name="la_detail"),
    path("commissioning-bodies/<str:ods_code>/", views.body_detail, name="body_detail"),
]
