"""What the API accepts (docs/api.md, "Writing"): types and shapes only.

The business rules (dates in order, the NHS number's checksum, the child
already recorded, services covering the area, the 6-week clock) are the
services' (ehc.services), so the API and the forms refuse the same input
with the same messages. The messages for a missing or mistyped value here
are the forms' own words where a form has the field.
"""

from __future__ import annotations

from rest_framework import serializers

from core.text import ControlCharacterValidator
from ehc.models import LateReason, Outcome, PrimaryNeed, Process, ProvisionSection

LARGEST_ID = 2**63 - 1
DATE_MESSAGES = {"invalid": "Enter a real date as YYYY-MM-DD, for example 2026-03-27"}


def text(**kwargs) -> serializers.CharField:
    """A text field refusing hidden control characters, as every form does
    (core.text)."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    return serializers.CharField(validators=[ControlCharacterValidator()], **kwargs)


def date(required: bool = False, missing: str = "", **kwargs) -> serializers.DateField:
    """A date as YYYY-MM-DD; ``missing`` is the message when a required one
    is left out or null."""
    messages = dict(DATE_MESSAGES)
    if missing:
        messages.update(required=missing, null=missing)
    return serializers.DateField(
        required=required, allow_null=not required, error_messages=messages, **kwargs
    )


def record_id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=LARGEST_ID, **kwargs)


class ChildInput(serializers.Serializer):
    """A child or young person, as the LA records them (ehc.services.create_child)."""

    given_name = text(
        required=True, allow_blank=False, max_length=100,
        error_messages={"required": "Enter the first name", "blank": "Enter the first name"},
    )  # fmt: skip
    family_name = text(
        required=True, allow_blank=False, max_length=100,
        error_messages={"required": "Enter the last name", "blank": "Enter the last name"},
    )  # fmt: skip
    date_of_birth = date(required=True, missing="Enter the date of birth")
    nhs_number = text(max_length=20, help_text="10 digits; spaces and hyphens are ignored.")
    la_reference = text(max_length=40)
    local_authority = record_id(
        required=False,
        help_text="Its id (organisations/local-authorities/). Left out: the caller's one "
        "local authority, when they have only one.",
    )
    primary_need = serializers.ChoiceField(
        choices=PrimaryNeed.choices, required=False, default=PrimaryNeed.NOT_KNOWN
    )
    looked_after = serializers.BooleanField(required=False, default=False)
    electively_home_educated = serializers.BooleanField(required=False, default=False)
    known_to_youth_justice = serializers.BooleanField(required=False, default=False)
    continuing_care = serializers.BooleanField(required=False, default=False)
    year_group = serializers.IntegerField(required=False, allow_null=True, default=None)
    other_area_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The same child is recorded in another area you cover: add them here too.",
    )


class RequestInput(serializers.Serializer):
    """A request for health advice from the LA (ehc.services.log_request),
    for a child already recorded (``child_id``) or given (``child``)."""

    child_id = record_id(required=False, help_text="A child you can see, by id.")
    child = ChildInput(
        required=False,
        help_text="The child, when not sent by id. A child you can see with the same NHS "
        "number, or LA reference, and date of birth in the same local authority is used "
        "instead of recording them twice.",
    )
    process = serializers.ChoiceField(
        choices=Process.choices,
        error_messages={
            "required": "Choose what the advice is for",
            "invalid_choice": "Choose what the advice is for",
        },
    )
    la_reference = text(
        max_length=40,
        help_text="The LA's case reference. A second request with the same reference and "
        "process in the same local authority returns the first, never a duplicate.",
    )
    sent_on = date(required=True, missing="Enter the date the LA sent the request")
    received_on = date(
        help_text="Designated officers only, to correct it: otherwise the day the portal "
        "receives this call."
    )
    services = serializers.ListField(
        child=record_id(), required=False, default=list, max_length=100,
        help_text="Ids of the services to ask (organisations/services/).",
    )  # fmt: skip
    meeting_on = date(help_text="For an annual or phase transfer review: the meeting's date.")
    return_by = date(help_text="An earlier internal date for the services to return by.")

    def validate(self, data):
        if ("child_id" in data) == ("child" in data):
            raise serializers.ValidationError(
                {"child": "Send the child, or the id of a child already recorded, not both"}
            )
        return data


class ReturnInput(serializers.Serializer):
    """A service's return (ehc.services.record_return)."""

    version = serializers.IntegerField(
        min_value=1, help_text="The contribution's version you read: a stale one is refused."
    )
    returned_on = date(required=True, missing="Enter the date the service returned its answer")
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        error_messages={"required": "Choose the outcome", "invalid_choice": "Choose the outcome"},
    )
    declined_reason = text(max_length=5000)
    late_reason = serializers.ChoiceField(
        choices=[("", "None"), *LateReason.choices], required=False, default=""
    )
    late_note = text(max_length=5000)


class ChildChange(serializers.Serializer):
    """A change to a child's details (ehc.services.update_child): only the
    fields sent change. ``date_of_death`` is a designated officer's (the
    service refuses anyone else)."""

    version = serializers.IntegerField(
        min_value=1, help_text="The child's version you read: a stale one is refused."
    )
    given_name = text(allow_blank=False, max_length=100)
    family_name = text(allow_blank=False, max_length=100)
    date_of_birth = date(missing="Enter the date of birth")
    nhs_number = text(max_length=20)
    la_reference = text(max_length=40)
    primary_need = serializers.ChoiceField(choices=PrimaryNeed.choices, required=False)
    looked_after = serializers.BooleanField(required=False)
    electively_home_educated = serializers.BooleanField(required=False)
    known_to_youth_justice = serializers.BooleanField(required=False)
    continuing_care = serializers.BooleanField(required=False)
    year_group = serializers.IntegerField(required=False, allow_null=True)
    date_of_death = date()

    def validate_date_of_birth(self, value):
        if value is None:
            raise serializers.ValidationError("Enter the date of birth")
        return value


class ProvisionInput(serializers.Serializer):
    """One row of provision (ehc.models.ProvisionItem)."""

    description = text(required=True, allow_blank=False, max_length=300)
    delivered_by = text(required=True, allow_blank=False, max_length=150)
    frequency = text(required=True, allow_blank=False, max_length=100)
    duration = text(required=True, allow_blank=False, max_length=100)
    section = serializers.ChoiceField(choices=ProvisionSection.choices)
    available = serializers.BooleanField(required=False, default=True)


class AdviceInput(serializers.Serializer):
    """A service's advice (ehc.services.save_advice). ``provision`` is the
    whole list: it replaces the rows held. The document is uploaded on the
    advice page; the API takes the advice as data."""

    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The advice's version you read, when changing advice already recorded.",
    )
    written_on = date(required=True, missing="Enter the date of the advice")
    author_name = text(required=True, allow_blank=False, max_length=150)
    author_profession = text(required=True, allow_blank=False, max_length=150)
    needs = text(max_length=20_000)
    outcomes = text(max_length=20_000)
    child_views = text(max_length=20_000)
    provision = ProvisionInput(many=True, required=False, default=list, max_length=100)
