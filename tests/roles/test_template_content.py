"""The shape of roles/template_content.py: the data the national templates
migration loads (docs/domain.md, "The role")."""

import re

import pytest

from roles.models import (
    AppliesTo,
    CriterionCategory,
    JobTemplate,
    Requirement,
    SectionArea,
    TemplateKind,
)
from roles.template_content import BACCH, CDC, TEMPLATES

MAX_TEXT = 600
BY_FAMILY = {data["family"]: data for data in TEMPLATES}


def all_duties(data):
    return [duty for section in data["sections"] for duty in section["duties"]]


def all_texts(data):
    texts = [data["name"], data["source"], data["summary"]]
    for section in data["sections"]:
        texts += [section["heading"], section["introduction"]]
        texts += [text for text, _ in section["duties"]]
    texts += [criterion[1] for criterion in data["criteria"]]
    return [t for t in texts if t]


def field_length(name: str) -> int:
    return JobTemplate._meta.get_field(name).max_length


def test_there_are_the_two_national_templates():
    assert [data["family"] for data in TEMPLATES] == [BACCH, CDC]
    assert BY_FAMILY[BACCH]["kind"] == TemplateKind.DMO
    assert BY_FAMILY[CDC]["kind"] == TemplateKind.COMBINED


@pytest.mark.parametrize("data", TEMPLATES, ids=lambda d: d["family"])
class TestEachTemplate:
    def test_template_fields_fit_the_model(self, data):
        assert re.fullmatch(r"[a-z0-9-]+", data["family"])
        assert len(data["family"]) <= field_length("family")
        assert data["kind"] in TemplateKind.values
        for name in ("name", "source"):
            assert data[name].strip() and len(data[name]) <= field_length(name)
        assert data["summary"].strip()
        assert isinstance(data["year"], int) and 2014 <= data["year"] <= 2019

    def test_sections_use_valid_areas_once_each(self, data):
        areas = [section["area"] for section in data["sections"]]
        assert set(areas) <= set(SectionArea.values)
        assert len(areas) == len(set(areas))

    def test_sections_follow_the_usual_order_of_areas(self, data):
        usual = list(SectionArea.values)
        positions = [usual.index(section["area"]) for section in data["sections"]]
        assert positions == sorted(positions)

    def test_every_section_has_duties_and_string_fields(self, data):
        for section in data["sections"]:
            assert section["duties"], section["area"]
            assert isinstance(section["heading"], str) and len(section["heading"]) <= 200
            assert isinstance(section["introduction"], str)
            if section["heading"]:
                assert section["heading"] != SectionArea(section["area"]).label

    def test_duties_are_valid(self, data):
        for text, applies_to in all_duties(data):
            assert applies_to in AppliesTo.values, text

    def test_criteria_are_valid(self, data):
        assert data["criteria"]
        for category, text, applies_to, requirement in data["criteria"]:
            assert category in CriterionCategory.values, text
            assert applies_to in AppliesTo.values, text
            assert requirement in Requirement.values, text

    def test_texts_are_tidy_sentences_of_reasonable_length(self, data):
        for text in all_texts(data):
            assert text == text.strip() and "  " not in text, text
            assert len(text) <= MAX_TEXT, text
        for text, _ in all_duties(data):
            assert text[0].isupper() and text.endswith("."), text
        for criterion in data["criteria"]:
            assert criterion[1][0].isupper() and criterion[1].endswith("."), criterion[1]

    def test_no_duty_or_criterion_is_repeated(self, data):
        duties = [text for text, _ in all_duties(data)]
        assert len(duties) == len(set(duties))
        criteria = [criterion[1] for criterion in data["criteria"]]
        assert len(criteria) == len(set(criteria))

    def test_ccgs_are_written_as_the_commissioning_body(self, data):
        for text in all_texts(data):
            assert not re.search(r"\bCCGs?\b|Clinical Commissioning Group", text), text

    def test_uk_spelling(self, data):
        for text in all_texts(data):
            assert not re.search(r"\b\w+iz(e|es|ed|ing|ation)\b|\bprogram\b", text), text


def test_the_bacch_template_is_for_the_dmo_only():
    data = BY_FAMILY[BACCH]
    assert {applies for _, applies in all_duties(data)} <= {AppliesTo.DMO, AppliesTo.BOTH}
    assert {criterion[2] for criterion in data["criteria"]} == {AppliesTo.DMO}
    assert len(data["criteria"]) == 7


def test_the_bacch_template_keeps_the_sessional_commitment_and_cpd_target():
    data = BY_FAMILY[BACCH]
    (job_plan,) = [s for s in data["sections"] if s["area"] == SectionArea.JOB_PLAN]
    text = " ".join([job_plan["introduction"], *(t for t, _ in job_plan["duties"])])
    assert "at least 2 PAs" in text
    assert "one commissioning body (ICB) and one local authority" in text
    assert "up to 70,000 children" in text
    assert "agree the extra time locally" in text and "need not be pro rata" in text
    (development,) = [s for s in data["sections"] if s["area"] == "personal_development"]
    assert "at least 4 CPD points a year" in development["duties"][0][0]


def test_the_cdc_template_marks_every_role_and_uses_every_category():
    data = BY_FAMILY[CDC]
    assert {applies for _, applies in all_duties(data)} == set(AppliesTo.values)
    assert {criterion[0] for criterion in data["criteria"]} == set(CriterionCategory.values)
    assert {criterion[3] for criterion in data["criteria"]} == set(Requirement.values)


def test_the_cdc_person_specification_has_every_row_of_the_handbook_table():
    """5 qualifications, 8 knowledge, 8 experience, 6 skills and 3 other rows;
    only "substantial clinical experience" is DCO-only outside the qualifications."""
    rows = BY_FAMILY[CDC]["criteria"]
    counts = {c: sum(1 for row in rows if row[0] == c) for c in CriterionCategory.values}
    assert counts == {
        "qualifications": 5,
        "knowledge": 8,
        "experience": 8,
        "skills": 6,
        "other": 3,
    }
    qualifications = [row[2] for row in rows if row[0] == "qualifications"]
    assert qualifications == ["dco", "both", "dmo", "dmo", "dco"]
    others = [row for row in rows if row[0] != "qualifications" and row[2] != "both"]
    assert [(row[0], row[2]) for row in others] == [("experience", "dco")]
