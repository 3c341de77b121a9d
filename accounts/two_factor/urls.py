"""The two-factor pages, included under ``accounts/two-factor/`` in the
``accounts`` namespace (accounts.urls)."""

from django.urls import path

from accounts.two_factor import views

urlpatterns = [
    path("set-up/", views.enrol, name="two_factor_enrol"),
    path("verify/", views.verify, name="two_factor_verify"),
    path("recovery-codes/", views.recovery_codes, name="two_factor_recovery_codes"),
]
