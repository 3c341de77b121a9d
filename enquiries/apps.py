from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    """The designated officer's enquiries log (SEND Code of Practice 3.45)."""

    name = "enquiries"
    verbose_name = "Enquiries"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models import Q

        from ehc import registry
        from enquiries import reminders
        from enquiries.models import OPEN_STATUSES, Enquiry

        # Every change is audited; who looked at an enquiry about a child is an
        # access event (the views call ehc.access_log.record_access).
        auditlog.register(Enquiry, exclude_fields=["version", "updated_at", "created_at"])
        # An enquiry about a child is a record about them: retention, erasure
        # and subject access reach it through the registry. The enquirer's
        # name and contact (often a parent's) and the free text identify.
        registry.register(
            Enquiry,
            child="child",
            identifying=("enquirer_name", "enquirer_contact", "question", "advice_given"),
            open_when=Q(status__in=OPEN_STATUSES),
            activity=("received_on", "updated_at"),
        )
        registry.register_child_link(
            "Log an enquiry about this child",
            "enquiries:enquiry_create_for_child",
            "portal.log_enquiries",
        )
        # Follow-ups due reach the daily digest (ehc/reminders/sources.py).
        reminders.register()
