"""The designated officer role: job templates, posts and the post-holder's record.

docs/domain.md, "The role": the DMO/DCO role is non-statutory and every local
area shapes it differently. Two national templates ship with the product
(loaded by a data migration from ``roles/template_content.py``); an area
copies one, adapts it, and bases its posts on a published version of it.

Versioning rules (enforced here, in ``roles/services.py`` and in admin):

- a template is a *family* of numbered versions; each version is draft,
  published or retired;
- only a draft can be changed; a published version is frozen, and "editing"
  it means :func:`roles.services.start_new_version`, which copies it to a new
  draft with the next version number;
- a post points at the exact version it adapts, so publishing a new version
  never changes a post's job description.

Every duty and person-specification criterion carries a ``key`` that copies
keep, so two versions can be compared item by item (added, removed, changed).

The models live by concern: :mod:`.templates` (templates and their parts),
:mod:`.policy` (the PA policy's parameters), :mod:`.posts` (posts and their
local changes to duties) and :mod:`.records` (the post-holder's record).
Every public name is re-exported here, so ``from roles.models import Post``
keeps working (the migrations name ``roles.models.new_key``).
"""

from roles.models.policy import PAPolicySettings
from roles.models.posts import (
    CommissioningModel,
    DutyChangeKind,
    Post,
    PostDutyChange,
    PostQuerySet,
)
from roles.models.records import BoardKind, CPDEntry, Membership, TrainingSession
from roles.models.templates import (
    AppliesTo,
    Criterion,
    CriterionCategory,
    Duty,
    FrozenWithTemplate,
    JobTemplate,
    JobTemplateQuerySet,
    Requirement,
    SectionArea,
    TemplateKind,
    TemplateSection,
    TemplateStatus,
    new_key,
)

__all__ = [
    "AppliesTo",
    "BoardKind",
    "CPDEntry",
    "CommissioningModel",
    "Criterion",
    "CriterionCategory",
    "Duty",
    "DutyChangeKind",
    "FrozenWithTemplate",
    "JobTemplate",
    "JobTemplateQuerySet",
    "Membership",
    "PAPolicySettings",
    "Post",
    "PostDutyChange",
    "PostQuerySet",
    "Requirement",
    "SectionArea",
    "TemplateKind",
    "TemplateSection",
    "TemplateStatus",
    "TrainingSession",
    "new_key",
]
