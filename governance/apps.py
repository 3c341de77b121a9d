from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """Information governance: retention, legal holds, erasure, subject access."""

    name = "governance"
    verbose_name = "Information governance"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ehc import registry
        from governance import history
        from governance import models as m

        for model in (m.LegalHold, m.ErasureBatch, m.SubjectAccessExport):
            auditlog.register(model)

        # Records about a child that this app keeps: erased with the child,
        # but not part of what the family is sent (a hold may concern an
        # inquiry; an earlier request's ZIP would repeat the rest).
        registry.register(m.LegalHold, child="child", identifying=("reason",), subject_access=False)
        registry.register(
            m.SubjectAccessExport, child="child", files=("file",), subject_access=False
        )
        registry.exempt(
            m.ErasureCandidate,
            why="a row of an erasure list: its link to the child is emptied at erasure, "
            "and the pseudonym, area and rule stay as the record of what was done",
        )
        registry.register_history_source(history.auditlog_history)

        registry.register_child_link(
            "Prepare a subject access request",
            "governance:subject_access",
            "portal.prepare_subject_access",
        )
        registry.register_child_link(
            "Legal hold", "governance:legal_hold", "portal.manage_retention"
        )
        registry.register_child_link(
            "Erase these records on request", "governance:erase_child", "portal.manage_retention"
        )
