"""Forms for every step of a request, in GOV.UK Design System markup.

Each form says what is wrong next to the field and saves nothing until all
of it is right. Forms only parse input (types, required, choices); the
business rules are in the models' ``clean()`` and :mod:`ehc.services`,
whose ValidationError the views show on the form. Dates use the GOV.UK
day/month/year pattern (:mod:`core.forms`). Forms that edit an existing
record carry the version the user opened.

By concern: :mod:`ehc.forms.casework` (child, request, contributions),
:mod:`ehc.forms.advice` (advice, provision, quality review, audit sample)
and :mod:`ehc.forms.records` (records about a child).
"""

from __future__ import annotations

from ehc.forms.advice import (
    AdviceForm,
    AuditSampleForm,
    BaseProvisionFormSet,
    ProvisionForm,
    ProvisionFormSet,
    QualityReviewForm,
    provision_rows,
    suggested_criteria,
)
from ehc.forms.casework import (
    AddContributionForm,
    AskingForm,
    ChildForm,
    ExceptionForm,
    RequestEditForm,
    RequestForm,
    ReturnForm,
)
from ehc.forms.records import (
    BudgetForm,
    MediationForm,
    ReviewInputForm,
    Section23Form,
    TribunalForm,
)

__all__ = [
    "AddContributionForm",
    "AskingForm",
    "AdviceForm",
    "AuditSampleForm",
    "BaseProvisionFormSet",
    "BudgetForm",
    "ChildForm",
    "ExceptionForm",
    "MediationForm",
    "ProvisionForm",
    "ProvisionFormSet",
    "QualityReviewForm",
    "RequestEditForm",
    "RequestForm",
    "ReturnForm",
    "ReviewInputForm",
    "Section23Form",
    "TribunalForm",
    "provision_rows",
    "suggested_criteria",
]
