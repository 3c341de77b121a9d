from django.urls import path

from enquiries import views

app_name = "enquiries"

urlpatterns = [
    path("", views.enquiry_list, name="enquiry_list"),
    path("new/", views.enquiry_create, name="enquiry_create"),
    path("children/<int:pk>/new/", views.enquiry_create_for_child, name="enquiry_create_for_child"),
    path("<int:pk>/", views.enquiry_detail, name="enquiry_detail"),
    path("<int:pk>/edit/", views.enquiry_edit, name="enquiry_edit"),
]
