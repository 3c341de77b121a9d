"""Forms for a service's advice with its provision rows, the quality
review of advice, and the audit sample. They parse input; the rules are
in the models and :mod:`ehc.services`."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils import timezone

from core.forms import DateField, VersionedForm, dates, helper, model_values
from ehc import documents, quality
from ehc.checks import MAX_PROVISION_ROWS, PROVISION_FIELDS
from ehc.documents import validate_advice_document
from ehc.models import (
    Advice,
    HealthAdviceRequest,
    ProvisionItem,
    QualityReview,
)
from ehc.quality import QUALITY_CRITERIA

# --- Advice --------------------------------------------------------------------------------


class _StoredDocument:
    """What the file input shows of the document already attached: its file
    name, linking to the scoped, audited download (never the storage path,
    which the web server does not serve)."""

    def __init__(self, name: str, url: str):
        self.name, self.url = name, url

    def __str__(self) -> str:
        return self.name


class AdviceDocumentInput(forms.ClearableFileInput):
    """A file input whose "Currently" link is the protected download."""

    download_url = ""
    download_name = ""  # the name the file had when it was uploaded

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            shown = self.download_name or str(value.name).rsplit("/", 1)[-1]
            context["widget"]["value"] = _StoredDocument(shown, self.download_url)
        return context


class AdviceForm(VersionedForm):
    class Meta:
        model = Advice
        fields = [
            "written_on",
            "author_name",
            "author_profession",
            "needs",
            "outcomes",
            "child_views",
            "document",
        ]
        field_classes = dates("written_on")
        widgets = {"document": AdviceDocumentInput(attrs={"accept": ".pdf,.doc,.docx"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].label = "Advice document (optional)"
        # A long file name is shortened for the download, never refused.
        self.fields["document"].max_length = None
        if self.instance.pk:
            widget = self.fields["document"].widget
            widget.download_url = reverse("ehc:advice_document", args=[self.instance.pk])
            widget.download_name = self.instance.document_name
        self.fields["document"].help_text = f"PDF or Word, up to {documents.limit_mb()} MB."
        self.fields["written_on"].error_messages["required"] = "Enter the date of the advice"
        self.fields["author_name"].error_messages["required"] = "Enter the author's name"
        self.fields["author_profession"].error_messages["required"] = (
            "Enter the author's profession"
        )
        self.helper = helper(
            Field("written_on"),
            Field.text("author_name", field_width=20),
            Field.text("author_profession", field_width=20),
            Field.textarea("needs", rows=4),
            Field.textarea("outcomes", rows=4),
            Field.textarea("child_views", rows=3),
            Field("document"),
            button=None,
        )
        self.helper.disable_csrf = True

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if isinstance(upload, UploadedFile):  # not none, cleared, or the file stored
            validate_advice_document(upload)
        return upload


class ProvisionForm(forms.ModelForm):
    class Meta:
        model = ProvisionItem
        fields = list(PROVISION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = self.fields["section"].choices[1:]
        self.fields["section"].widget = forms.RadioSelect(choices=self.fields["section"].choices)
        for name, message in {
            "description": "Say what the provision is",
            "delivered_by": "Say who delivers it",
            "frequency": "Say how often",
            "duration": "Say for how long",
            "section": "Choose section F or G",
        }.items():
            self.fields[name].error_messages["required"] = message

    def has_changed(self):
        """A new row with nothing typed in it is a spare row, not a mistake,
        whatever its 'available' box says."""
        if self.instance.pk is None and not any(
            str(self.data.get(self.add_prefix(name), "")).strip()
            for name in ("description", "delivered_by", "frequency", "duration", "section")
        ):
            return False
        return super().has_changed()


def _row_helper(form, number) -> object:
    """The GOV.UK layout of one provision row, headed "Provision <number>"."""
    row_helper = helper(
        Fieldset(
            Field.text("description"),
            Field.text("delivered_by", field_width=20),
            Field.text("frequency", field_width=20),
            Field.text("duration", field_width=20),
            Field.radios("section", legend_size=Size.SMALL, inline=True),
            Field.checkbox("available", small=True),
            *([Field.checkbox("DELETE", small=True)] if form.instance.pk else []),
            legend=f"Provision {number}",
            legend_size=Size.MEDIUM,
        ),
        button=None,
    )
    row_helper.disable_csrf = True
    return row_helper


# What the add-a-row script (static/js/add-another.js) replaces in the
# empty row's markup with the new row's number, counting from 1.
ROW_NUMBER = "__number__"


class BaseProvisionFormSet(forms.BaseInlineFormSet):
    """The advice's provision rows. Each stored row can be removed; new
    rows left blank are ignored (:meth:`ProvisionForm.has_changed`).
    :attr:`empty_form` is the row the page's script copies to add one
    without a reload (its ids hold ``__prefix__``, its legend
    :data:`ROW_NUMBER`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, form in enumerate(self.forms, start=1):
            form.helper = _row_helper(form, index)
            if "DELETE" in form.fields:
                form.fields["DELETE"].label = "Remove this provision"

    @property
    def empty_form(self):
        form = super().empty_form
        form.helper = _row_helper(form, ROW_NUMBER)
        return form


ProvisionFormSet = inlineformset_factory(
    Advice,
    ProvisionItem,
    form=ProvisionForm,
    formset=BaseProvisionFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_PROVISION_ROWS,
    absolute_max=MAX_PROVISION_ROWS,
    validate_max=True,
)


class QualityReviewForm(VersionedForm):
    criteria = forms.MultipleChoiceField(
        label="Which of these does the advice do?",
        choices=[(name, label) for name, label, _ in QUALITY_CRITERIA],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick each criterion the advice meets (from the portal's quality checklist).",
    )

    class Meta:
        model = QualityReview
        fields = ["reviewed_on", "notes"]
        field_classes = dates("reviewed_on")

    def __init__(self, *args, suggested: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["criteria"].initial = quality.met_criteria(self.instance)
        else:
            self.initial["reviewed_on"] = timezone.localdate()
            self.fields["criteria"].initial = [n for n, ok in (suggested or {}).items() if ok]
        self.fields["reviewed_on"].error_messages["required"] = "Enter the date of the review"
        self.helper = helper(
            Field("reviewed_on"),
            Field.checkboxes("criteria", legend_size=Size.SMALL, small=True),
            Field.textarea("notes", rows=4),
            button="Save review",
        )


def suggested_criteria(advice: Advice, request: HealthAdviceRequest) -> dict[str, bool]:
    """What the portal can check for itself, to pre-tick the review form
    (:func:`ehc.quality.suggested_criteria` for this advice and request)."""
    return quality.suggested_criteria(
        written_on=advice.written_on,
        received_on=request.received_on,
        author_name=advice.author_name,
        needs=advice.needs,
        outcomes=advice.outcomes,
        child_views=advice.child_views,
        provision=advice.provision.all(),
    )


def provision_rows(formset) -> list[dict]:
    """A valid provision formset's rows as :func:`ehc.services.save_advice`
    takes them: changed or new rows with their values (and ``id`` when
    stored), removed stored rows as ``{"id": ..., "delete": True}``."""
    rows = []
    deleted = set(formset.deleted_forms) if formset.can_delete else set()
    for form in formset.forms:
        pk = form.instance.pk
        if form in deleted:
            if pk is not None:
                rows.append({"id": pk, "delete": True})
        elif form.has_changed():
            rows.append({"id": pk, **model_values(form)})
    return rows


class AuditSampleForm(forms.Form):
    start = DateField(label="From")
    end = DateField(label="To")
    size = forms.IntegerField(label="How many", min_value=1, max_value=200, initial=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["size"].error_messages.update(
            {
                "required": "Enter how many to sample",
                "invalid": "Enter a whole number",
                "min_value": "Sample at least 1",
                "max_value": "Sample at most 200",
            }
        )
        self.helper = helper(
            Field("start"), Field("end"), Field.text("size", field_width=3), button="Draw sample"
        )
        # A GET form: no CSRF token, which would end up in the address,
        # the browser's history and the server's logs.
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end date must be on or after the start date")
        return data
