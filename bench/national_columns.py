"""The columns the national benchmark writes for each table, in COPY order
(``bench/national_casework.py`` writes the rows, ``bench/national_data.py``
loads them). Data, not logic.

Keep in step with the models: a NOT NULL column added without a database
default needs its value here and in the generator, or the COPY fails naming
the column (``tests/bench/test_national_casework.py`` says which first).
"""

from __future__ import annotations

from ehc.quality import CRITERIA_NAMES

TRACKED = ("id", "version", "created_at", "updated_at", "created_by_id")
COLUMNS: dict[str, tuple[str, ...]] = {
    "ehc_child": TRACKED
    + (
        "local_authority_id",
        "nhs_number",
        "la_reference",
        "given_name",
        "family_name",
        "date_of_birth",
        "primary_need",
        "looked_after",
        "electively_home_educated",
        "known_to_youth_justice",
        "year_group",
        "year_group_recorded_on",
        "date_of_death",
        "continuing_care",
    ),
    "ehc_reviewinput": TRACKED
    + (
        "local_authority_id",
        "child_id",
        "phase_transfer",
        "meeting_on",
        "professional_name",
        "invited_on",
        "attended",
        "advice_sent_on",
        "service_id",
        "decision_on",
    ),
    "ehc_healthadvicerequest": TRACKED
    + (
        "child_id",
        "local_authority_id",
        "la_reference",
        "process",
        "sent_on",
        "received_on",
        "due_on",
        "review_id",
        "owner_id",
        "status",
        "closed_on",
        "notes",
        # The worklist's stored keys: placeholders here, computed by
        # ehc.services.urgency.refresh_all once the rows are loaded.
        "working_due_on",
        "urgency",
        "has_lawful_exception",
    ),
    "ehc_contribution": TRACKED
    + (
        "request_id",
        "service_id",
        "asked_on",
        "received_on",
        "due_on",
        "return_by",
        "working_due_on",
        "left_outstanding",
        "returned_on",
        "outcome",
        "declined_reason",
        "late_reason",
        "late_note",
        "exception",
        "exception_evidence",
        "exception_on",
        "exception_recorded_by_id",
        "exception_recorded_at",
        "local_authority_id",  # the request's, copied (ehc migration 0017)
    ),
    "ehc_advice": TRACKED
    + (
        "contribution_id",
        "written_on",
        "author_name",
        "author_profession",
        "needs",
        "outcomes",
        "child_views",
        "document",
        "document_name",
    ),
    "ehc_provisionitem": (
        "id",
        "advice_id",
        "position",
        "description",
        "delivered_by",
        "frequency",
        "duration",
        "section",
        "available",
    ),
    "ehc_qualityreview": TRACKED
    + ("advice_id", "reviewer_id", "reviewed_on", *CRITERIA_NAMES, "score", "rating", "notes"),
    "ehc_section23notice": TRACKED
    + (
        "local_authority_id",
        "child_id",
        "provider_id",
        "commissioning_body_id",
        "professional_name",
        "professional_role",
        "parent_told_on",
        "discussion_offered",
        "la_notified_on",
        "voluntary_organisation",
    ),
    "ehc_mediationcase": TRACKED
    + (
        "local_authority_id",
        "child_id",
        "requested_on",
        "body_notified_on",
        "health_only",
        "arranged_on",
        "health_issues",
        "outcome",
    ),
    "ehc_tribunalcase": TRACKED
    + (
        "local_authority_id",
        "child_id",
        "registered_on",
        "decision_on",
        "health_issues",
        "recommendations",
        "recommendations_received_on",
        "response_sent_on",
    ),
    "ehc_personalhealthbudget": TRACKED
    + ("local_authority_id", "child_id", "considered_on", "continuing_care", "outcome", "notes"),
}
TABLES = tuple(COLUMNS)
