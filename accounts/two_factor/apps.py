"""Django admin on the portal's own site class (:mod:`accounts.two_factor.site`).

Listed in ``INSTALLED_APPS`` in place of ``django.contrib.admin``. Kept apart
from the site itself: this module is imported while the app registry is
being filled, before any model can be.
"""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "accounts.two_factor.site.PortalAdminSite"
