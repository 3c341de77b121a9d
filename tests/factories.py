"""One factory per model (docs/architecture.md, "Factories, not fixture files")."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from accounts.models import User
from accounts.roles import OfficerKind, Role
from commissioning import models as org
from ehc import models as ehc
from enquiries import models as enquiries
from improvement import models as improvement
from roles import models as roles


class CommissioningBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = org.CommissioningBody

    ods_code = factory.Sequence(lambda n: f"Q{n:04d}")
    name = factory.Sequence(lambda n: f"NHS Test Area {n} Integrated Care Board")
    kind = org.CommissioningBodyKind.ICB
    active_from = datetime.date(2022, 7, 1)


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = org.LocalAuthority

    gss_code = factory.Sequence(lambda n: f"E06{n:06d}")
    name = factory.Sequence(lambda n: f"Test Borough {n} Council")


class CommissioningLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = org.CommissioningLink

    commissioning_body = factory.SubFactory(CommissioningBodyFactory)
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    valid_from = datetime.date(2022, 7, 1)


class ChildPopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = org.ChildPopulation

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    year = 2025
    aged_0_17 = 60_000
    aged_0_25 = 86_000


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = org.Provider

    ods_code = factory.Sequence(lambda n: f"R{n:04d}")
    name = factory.Sequence(lambda n: f"Test Community Trust {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = org.Service
        skip_postgeneration_save = True

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Community paediatrics {n}")
    service_type = org.ServiceType.COMMUNITY_PAEDIATRICS

    @factory.post_generation
    def local_authorities(self, create, extracted, **kwargs):
        if create and extracted:
            self.local_authorities.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    role = Role.LA_OFFICER
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def local_authorities(self, create, extracted, **kwargs):
        if create and extracted:
            self.local_authorities.set(extracted)

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)


class AdministratorFactory(UserFactory):
    role = Role.ADMINISTRATOR


class DesignatedOfficerFactory(UserFactory):
    role = Role.DESIGNATED_OFFICER
    officer_kind = OfficerKind.DCO


class CommissionerFactory(UserFactory):
    role = Role.COMMISSIONER
    commissioning_body = factory.SubFactory(CommissioningBodyFactory)


class PractitionerFactory(UserFactory):
    role = Role.HEALTH_PRACTITIONER
    provider = factory.SubFactory(ProviderFactory)


class LAOfficerFactory(UserFactory):
    role = Role.LA_OFFICER


# --- EHC casework ------------------------------------------------------------------


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ehc.Child

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    given_name = factory.Sequence(lambda n: f"Sam{n}")
    family_name = factory.Sequence(lambda n: f"Testchild{n}")
    date_of_birth = datetime.date(2016, 5, 14)
    primary_need = ehc.PrimaryNeed.ASD


class RefreshesWorklistKeys(factory.django.DjangoModelFactory):
    """A factory whose rows the worklist's stored keys depend on: after
    saving, the request's keys are recomputed as a service would
    (:func:`ehc.services.urgency.refresh_urgency`). A test that changes rows
    with ``QuerySet.update`` calls that function itself."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from ehc.services.urgency import refresh_urgency

        made = super()._create(model_class, *args, **kwargs)
        request_id = made.pk if isinstance(made, ehc.HealthAdviceRequest) else made.request_id
        refresh_urgency([request_id])
        return made


class HealthAdviceRequestFactory(RefreshesWorklistKeys):
    class Meta:
        model = ehc.HealthAdviceRequest

    child = factory.SubFactory(ChildFactory)
    local_authority = factory.SelfAttribute("child.local_authority")
    process = ehc.Process.NEEDS_ASSESSMENT
    sent_on = datetime.date(2026, 9, 1)
    received_on = datetime.date(2026, 9, 2)


class ContributionFactory(RefreshesWorklistKeys):
    class Meta:
        model = ehc.Contribution

    request = factory.SubFactory(HealthAdviceRequestFactory)
    service = factory.SubFactory(ServiceFactory)
    asked_on = factory.SelfAttribute("request.received_on")


class RefreshesSummary(factory.django.DjangoModelFactory):
    """A factory of advice records the reports' summary store counts: after
    saving, the request's bucket is recomputed as the advice services do
    (:func:`ehc.summary.refresh_summary`)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from ehc.summary import refresh_summary

        made = super()._create(model_class, *args, **kwargs)
        advice = made if isinstance(made, ehc.Advice) else made.advice  # a row or a review
        refresh_summary([advice.contribution.request_id])
        return made


class AdviceFactory(RefreshesSummary):
    class Meta:
        model = ehc.Advice

    contribution = factory.SubFactory(ContributionFactory)
    written_on = datetime.date(2026, 10, 1)
    author_name = "Dr A Example"
    author_profession = "Community paediatrician"
    needs = "Social communication needs."
    outcomes = "By the end of key stage 2, will ask an adult for help."


class ProvisionItemFactory(RefreshesSummary):
    class Meta:
        model = ehc.ProvisionItem

    advice = factory.SubFactory(AdviceFactory)
    description = "Speech and language therapy programme"
    delivered_by = "Teaching assistant trained by a therapist"
    frequency = "Three times a week"
    duration = "One year"
    section = ehc.ProvisionSection.F


class QualityReviewFactory(RefreshesSummary):
    class Meta:
        model = ehc.QualityReview

    advice = factory.SubFactory(AdviceFactory)
    reviewer = factory.SubFactory(DesignatedOfficerFactory)
    reviewed_on = factory.SelfAttribute("advice.written_on")


class EHCPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ehc.EHCPlan

    child = factory.SubFactory(ChildFactory)
    kind = ehc.PlanKind.FINAL
    issued_on = datetime.date(2026, 1, 12)
    la_reference = factory.Sequence(lambda n: f"EHCP-{n}")


class PlanProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ehc.PlanProvision

    plan = factory.SubFactory(EHCPlanFactory)
    description = "Epilepsy care plan reviewed by the specialist nurse each term"
    delivered_by = "Epilepsy specialist nurse"
    specific = True
    quantified = True
    checked_on = datetime.date(2026, 11, 2)


class ReviewInputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ehc.ReviewInput

    child = factory.SubFactory(ChildFactory)
    meeting_on = datetime.date(2026, 10, 6)


# --- Roles ----------------------------------------------------------------------------


class JobTemplateFactory(factory.django.DjangoModelFactory):
    """A draft template; use :func:`published_template` for one posts can use."""

    class Meta:
        model = roles.JobTemplate

    family = factory.Sequence(lambda n: f"test-template-{n}")
    version = 1
    kind = roles.TemplateKind.COMBINED
    name = factory.Sequence(lambda n: f"Test template {n}")
    source = "Written for the tests"
    status = roles.TemplateStatus.DRAFT


class TemplateSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = roles.TemplateSection

    template = factory.SubFactory(JobTemplateFactory)
    area = roles.SectionArea.ADVISORY
    order = factory.Sequence(lambda n: n * 10)


class DutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = roles.Duty

    section = factory.SubFactory(TemplateSectionFactory)
    text = factory.Sequence(lambda n: f"Duty number {n}")
    applies_to = roles.AppliesTo.BOTH
    order = factory.Sequence(lambda n: n * 10)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = roles.Criterion

    template = factory.SubFactory(JobTemplateFactory)
    category = roles.CriterionCategory.KNOWLEDGE
    text = factory.Sequence(lambda n: f"Criterion number {n}")
    applies_to = roles.AppliesTo.BOTH
    requirement = roles.Requirement.ESSENTIAL
    order = factory.Sequence(lambda n: n * 10)


def published_template(kind: str = roles.TemplateKind.COMBINED, **kwargs) -> roles.JobTemplate:
    """A published template with one section holding a DCO, a DMO and a
    shared duty, and a criterion for each."""
    from django.utils import timezone

    template = JobTemplateFactory(kind=kind, **kwargs)
    section = TemplateSectionFactory(template=template, area=roles.SectionArea.CLINICAL_EHC)
    DutyFactory(section=section, text="Shared duty for both roles", applies_to="both")
    DutyFactory(section=section, text="Duty only a DCO does", applies_to="dco")
    DutyFactory(section=section, text="Duty only a DMO does", applies_to="dmo")
    CriterionFactory(template=template, text="Registered with a professional body")
    CriterionFactory(
        template=template,
        category=roles.CriterionCategory.QUALIFICATIONS,
        text="Specialist paediatric qualification",
        applies_to="dmo",
    )
    CriterionFactory(
        template=template,
        category=roles.CriterionCategory.EXPERIENCE,
        text="Experience of leading a therapy team",
        applies_to="dco",
        requirement=roles.Requirement.DESIRABLE,
    )
    roles.JobTemplate.objects.filter(pk=template.pk).update(
        status=roles.TemplateStatus.PUBLISHED, published_at=timezone.now()
    )
    template.refresh_from_db()
    return template


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = roles.Post
        skip_postgeneration_save = True

    role = "dco"
    title = factory.Sequence(lambda n: f"Designated officer post {n}")
    employer = "Test ICB"
    accountable_to = "Chief Nurse"
    pas_per_week = 4
    template = factory.LazyFunction(published_template)

    @factory.post_generation
    def local_authorities(self, create, extracted, **kwargs):
        if create and extracted:
            self.local_authorities.set(extracted)

    @factory.post_generation
    def commissioning_bodies(self, create, extracted, **kwargs):
        if create and extracted:
            self.commissioning_bodies.set(extracted)


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = enquiries.Enquiry

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    received_on = datetime.date(2026, 1, 5)
    source = enquiries.EnquirySource.SCHOOL
    organisation = "Oak Primary School"
    topic = enquiries.EnquiryTopic.MEDICAL_CONDITIONS
    question = "Can the school nurse train staff to use an inhaler?"


class ServiceWaitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ehc.ServiceWait

    service = factory.SubFactory(ServiceFactory)
    financial_year = 2025
    quarter = 2
    waiting = 40
    median_weeks = Decimal("12.0")
    longest_weeks = Decimal("30.0")


class ImprovementPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = improvement.ImprovementPlan

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    title = factory.Sequence(lambda n: f"SEND improvement plan {n}")
    kind = improvement.PlanKind.IMPROVEMENT
    starts_on = datetime.date(2026, 1, 5)


class ImprovementActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = improvement.ImprovementAction

    plan = factory.SubFactory(ImprovementPlanFactory)
    plan_area = improvement.PlanArea.TIMELINESS
    title = "Agree a 6-week return standard with every provider"
    owner = "Designated Clinical Officer"
    due_on = datetime.date(2026, 6, 30)
