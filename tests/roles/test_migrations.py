"""The national job templates loaded by roles/migrations/0002_national_templates.py
(docs/domain.md, "The role"): present after migrating, published at version 1,
and holding every item of roles/template_content.py."""

import importlib
import re
from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import ProtectedError

from roles.models import (
    AppliesTo,
    Criterion,
    CriterionCategory,
    Duty,
    JobTemplate,
    Requirement,
    SectionArea,
    TemplateKind,
    TemplateSection,
    TemplateStatus,
)
from roles.template_content import BACCH, CDC, TEMPLATES
from tests import factories as f

pytestmark = pytest.mark.django_db

migration = importlib.import_module("roles.migrations.0002_national_templates")
SCHEMA_EDITOR = SimpleNamespace(connection=connection)
CONTENT = {data["family"]: data for data in TEMPLATES}


def national(family: str) -> JobTemplate:
    return JobTemplate.objects.get(family=family, version=1)


def duties_of(template: JobTemplate):
    return Duty.objects.filter(section__template=template).order_by("section__order", "order")


def as_loaded(template: JobTemplate) -> dict:
    """The template read back from the database in the shape of the content module."""
    return {
        "sections": [
            {
                "area": section.area,
                "heading": section.heading,
                "introduction": section.introduction,
                "duties": [(d.text, d.applies_to) for d in section.duties.order_by("order")],
            }
            for section in template.sections.order_by("order")
        ],
        "criteria": [
            (c.category, c.text, c.applies_to, c.requirement)
            for c in template.criteria.order_by("order")
        ],
    }


def as_written(family: str) -> dict:
    data = CONTENT[family]
    return {
        "sections": [
            {
                "area": s["area"],
                "heading": s.get("heading", ""),
                "introduction": s.get("introduction", ""),
                "duties": list(s["duties"]),
            }
            for s in data["sections"]
        ],
        "criteria": list(data["criteria"]),
    }


@pytest.mark.parametrize(
    "family,kind,year",
    [(BACCH, TemplateKind.DMO, 2014), (CDC, TemplateKind.COMBINED, 2019)],
)
def test_each_national_template_is_published_at_version_1(family, kind, year):
    template = national(family)
    assert template.kind == kind
    assert template.status == TemplateStatus.PUBLISHED
    assert template.published_at is not None and template.published_at.year == year
    assert not template.is_editable
    assert JobTemplate.objects.filter(family=family).count() == 1
    assert template in JobTemplate.objects.published()


@pytest.mark.parametrize("family", [BACCH, CDC])
def test_the_database_holds_every_item_of_the_content_module_in_order(family):
    template = national(family)
    data = CONTENT[family]
    assert template.sections.count() == len(data["sections"])
    assert duties_of(template).count() == sum(len(s["duties"]) for s in data["sections"])
    assert template.criteria.count() == len(data["criteria"])
    assert as_loaded(template) == as_written(family)


@pytest.mark.parametrize("family", [BACCH, CDC])
def test_orders_step_by_ten(family):
    template = national(family)
    assert list(template.sections.order_by("order").values_list("order", flat=True)) == [
        10 * n for n in range(1, template.sections.count() + 1)
    ]
    for section in template.sections.all():
        orders = list(section.duties.order_by("order").values_list("order", flat=True))
        assert orders == [10 * n for n in range(1, len(orders) + 1)]
    criteria = list(template.criteria.order_by("order").values_list("order", flat=True))
    assert criteria == [10 * n for n in range(1, len(criteria) + 1)]


@pytest.mark.parametrize("family", [BACCH, CDC])
def test_keys_are_twelve_characters_and_unique_within_the_template(family):
    template = national(family)
    for keys in (
        list(template.sections.values_list("key", flat=True)),
        list(duties_of(template).values_list("key", flat=True)),
        list(template.criteria.values_list("key", flat=True)),
    ):
        assert all(len(key) == 12 for key in keys)
        assert len(set(keys)) == len(keys)


def test_keys_are_the_same_in_every_database():
    first = national(BACCH).sections.order_by("order").first()
    assert first.key == migration.item_key(BACCH, "section", 1)


def test_every_section_area_is_a_valid_choice():
    used = set(
        TemplateSection.objects.filter(template__family__in=[BACCH, CDC]).values_list(
            "area", flat=True
        )
    )
    assert used <= set(SectionArea.values)


def test_the_cdc_template_marks_duties_for_the_dco_the_dmo_and_both():
    markings = Counter(duties_of(national(CDC)).values_list("applies_to", flat=True))
    assert set(markings) == {AppliesTo.DCO, AppliesTo.DMO, AppliesTo.BOTH}


def test_the_cdc_person_specification_covers_every_category_both_requirements_and_roles():
    criteria = Criterion.objects.filter(template=national(CDC))
    assert set(criteria.values_list("category", flat=True)) == set(CriterionCategory.values)
    assert set(criteria.values_list("requirement", flat=True)) == {
        Requirement.ESSENTIAL,
        Requirement.DESIRABLE,
    }
    assert set(criteria.values_list("applies_to", flat=True)) == {
        AppliesTo.DCO,
        AppliesTo.DMO,
        AppliesTo.BOTH,
    }


def test_the_cdc_paediatrician_and_therapist_or_nurse_rows_follow_the_tick_columns():
    criteria = Criterion.objects.filter(template=national(CDC), category="qualifications")
    assert criteria.get(text__icontains="paediatrician with").applies_to == AppliesTo.DMO
    assert criteria.get(text__icontains="registered nurse").applies_to == AppliesTo.DCO
    gp = criteria.get(text__icontains="general practitioner")
    assert (gp.applies_to, gp.requirement) == (AppliesTo.BOTH, Requirement.DESIRABLE)


def test_the_bacch_job_plan_keeps_the_sessional_commitment():
    section = national(BACCH).sections.get(area=SectionArea.JOB_PLAN)
    text = " ".join([section.introduction, *section.duties.values_list("text", flat=True)])
    assert re.search(r"\b2 PAs\b", text)
    assert "70,000" in text
    assert "one commissioning body" in text and "one local authority" in text
    assert "pro rata" in text
    assert set(section.duties.values_list("applies_to", flat=True)) == {AppliesTo.DMO}


def test_the_bacch_template_asks_for_4_cpd_points_a_year():
    section = national(BACCH).sections.get(area=SectionArea.PERSONAL_DEVELOPMENT)
    assert any("4 CPD points a year" in t for t in section.duties.values_list("text", flat=True))


def test_the_bacch_person_specification_is_for_the_dmo():
    criteria = national(BACCH).criteria.all()
    assert criteria.count() == 7
    assert set(criteria.values_list("applies_to", flat=True)) == {AppliesTo.DMO}


def test_no_template_text_still_names_ccgs():
    texts = list(
        Duty.objects.filter(section__template__family__in=[BACCH, CDC]).values_list(
            "text", flat=True
        )
    )
    texts += list(
        Criterion.objects.filter(template__family__in=[BACCH, CDC]).values_list("text", flat=True)
    )
    assert texts and not [t for t in texts if re.search(r"\bCCGs?\b", t)]


def test_published_national_templates_are_frozen():
    section = national(CDC).sections.first()
    section.heading = "Changed"
    with pytest.raises(ValidationError, match="start a new version"):
        section.save()


def historical_apps():
    """The models as the migration sees them (no custom save guards)."""
    loader = MigrationLoader(connection)
    return loader.project_state(("roles", "0002_national_templates")).apps


def test_unloading_and_loading_again_gives_the_same_templates():
    apps = historical_apps()
    before = {family: as_loaded(national(family)) for family in (BACCH, CDC)}
    migration.unload_templates(apps, SCHEMA_EDITOR)
    assert not JobTemplate.objects.filter(family__in=[BACCH, CDC]).exists()
    assert not Duty.objects.filter(section__template__family__in=[BACCH, CDC]).exists()
    migration.load_templates(apps, SCHEMA_EDITOR)
    assert {family: as_loaded(national(family)) for family in (BACCH, CDC)} == before


def test_loading_twice_does_not_duplicate():
    migration.load_templates(historical_apps(), SCHEMA_EDITOR)
    assert JobTemplate.objects.filter(family__in=[BACCH, CDC]).count() == 2


def test_unloading_refuses_while_a_post_uses_a_national_template():
    f.PostFactory(role="dmo", template=national(BACCH))
    with pytest.raises(ProtectedError):
        migration.unload_templates(historical_apps(), SCHEMA_EDITOR)
    assert national(BACCH)
