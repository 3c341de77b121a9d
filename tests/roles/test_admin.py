"""Django admin for job templates, posts and the PA policy (roles/admin/):
pages render for administrators only; published versions are read-only;
new version, copy, publish, retire, preview and compare go through
roles.services; model errors show as form errors, never as server errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roles import services
from roles.models import (
    CPDEntry,
    Criterion,
    Duty,
    JobTemplate,
    Membership,
    PAPolicySettings,
    Post,
    SectionArea,
    TemplateKind,
    TemplateSection,
    TemplateStatus,
    TrainingSession,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"admin:roles_{name}", args=args)


@pytest.fixture
def admin_client(area) -> Client:
    client = Client()
    client.force_login(area.administrator)
    return client


@pytest.fixture
def published():
    """A published combined template: one section of three duties, three criteria."""
    return f.published_template(name="National model DCO and DMO", family="national-model")


def draft_template(**kwargs) -> JobTemplate:
    template = f.JobTemplateFactory(**kwargs)
    section = f.TemplateSectionFactory(template=template, area=SectionArea.ADVISORY)
    f.DutyFactory(section=section, text="Advise the ICB on SEND")
    f.CriterionFactory(template=template, text="Knows the SEND Code of Practice")
    return template


def text_of(response) -> str:
    return response.content.decode()


def queries_for(client: Client, page: str) -> int:
    """How many queries a GET of ``page`` makes (it must succeed)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page)
    assert response.status_code == 200, page
    return len(captured.captured_queries)


def contents(template: JobTemplate) -> dict[str, set]:
    return {
        "sections": set(template.sections.values_list("key", "area", "order")),
        "duties": set(
            Duty.objects.filter(section__template=template).values_list(
                "key", "text", "applies_to", "section__key"
            )
        ),
        "criteria": set(template.criteria.values_list("key", "text", "category")),
    }


# --- Pages and access -----------------------------------------------------------------


def test_admin_pages_render_for_an_administrator(admin_client, published):
    draft = draft_template()
    post = f.PostFactory(template=published)
    section = draft.sections.get()
    pages = [
        url("jobtemplate_changelist"),
        url("jobtemplate_changelist") + "?q=national",
        url("jobtemplate_changelist") + "?status__exact=published&kind__exact=dco_dmo",
        url("jobtemplate_add"),
        url("jobtemplate_change", draft.pk),
        url("jobtemplate_change", published.pk),
        url("templatesection_change", section.pk),
        url("templatesection_change", published.sections.first().pk),
        url("post_changelist"),
        url("post_changelist") + "?q=" + post.title[:10],
        url("post_add"),
        url("post_change", post.pk),
        url("papolicysettings_add"),
    ]
    for page in pages:
        assert admin_client.get(page).status_code == 200, page


def test_template_list_shows_versions_and_post_counts(admin_client, published):
    f.PostFactory(template=published)
    f.PostFactory(template=published)
    response = admin_client.get(url("jobtemplate_changelist"))
    html = text_of(response)
    assert "National model DCO and DMO" in html
    assert '<td class="field-post_count">2</td>' in html


def test_template_list_query_count_does_not_grow_with_templates_or_posts(admin_client, published):
    f.PostFactory(template=published)
    page = url("jobtemplate_changelist")
    few = queries_for(admin_client, page)
    for n in range(6):
        template = f.published_template(name=f"Local template {n}", family=f"local-{n}")
        f.PostFactory(template=template)
        f.PostFactory(template=template)
    assert queries_for(admin_client, page) == few
    assert '<td class="field-post_count">2</td>' in text_of(admin_client.get(page))


def test_admin_index_lists_only_templates_posts_and_the_policy(admin_client):
    html = text_of(admin_client.get(reverse("admin:index")))
    assert url("jobtemplate_changelist") in html
    assert url("post_changelist") in html
    assert url("papolicysettings_changelist") in html
    assert "/admin/roles/templatesection/" not in html
    for model in (Membership, TrainingSession, CPDEntry, Duty, Criterion):
        assert model not in admin.site._registry


def test_people_who_are_not_staff_are_sent_to_the_admin_login(area, published):
    templates = JobTemplate.objects.count()
    login = reverse("admin:login")
    pages = [
        url("jobtemplate_changelist"),
        url("jobtemplate_change", published.pk),
        url("jobtemplate_preview", published.pk),
        url("jobtemplate_compare", published.pk),
        url("jobtemplate_copy", published.pk),
        url("post_changelist"),
        url("papolicysettings_changelist"),
    ]
    for user in (None, area.officer, area.commissioner, area.la_officer):
        client = Client()
        if user is not None:
            client.force_login(user)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 302, (user, page)
            assert response["Location"].startswith(login), (user, page)
        for action in ("new_version", "publish", "retire", "copy"):
            response = client.post(url(f"jobtemplate_{action}", published.pk), {"name": "X"})
            assert response.status_code == 302
            assert response["Location"].startswith(login)
    assert JobTemplate.objects.count() == templates
    published.refresh_from_db()
    assert published.status == TemplateStatus.PUBLISHED


def staff_client(*permissions: str) -> Client:
    """Signed in as staff holding only the given roles permissions: an
    administrator (only they are staff) taken out of the Administrators
    group, which holds every permission."""
    from django.contrib.auth.models import Permission

    user = f.AdministratorFactory()
    user.groups.clear()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="roles", codename__in=permissions)
    )
    client = Client()
    client.force_login(user)
    return client


def test_staff_without_template_permissions_are_refused_before_any_lookup(published):
    client = staff_client()
    templates = JobTemplate.objects.count()
    for pk in (published.pk, 999999):  # the same answer whether the template exists or not
        for action in ("preview", "compare", "copy"):
            assert client.get(url(f"jobtemplate_{action}", pk)).status_code == 403, (action, pk)
        for action in ("new_version", "publish", "retire", "copy"):
            response = client.post(url(f"jobtemplate_{action}", pk), {"name": "X"})
            assert response.status_code == 403, (action, pk)
    assert JobTemplate.objects.count() == templates
    published.refresh_from_db()
    assert published.status == TemplateStatus.PUBLISHED


def test_staff_who_may_only_view_templates_may_preview_and_compare_but_not_write(area, published):
    draft = services.start_new_version(template=published, by=area.administrator)
    client = staff_client("view_jobtemplate")
    assert client.get(url("jobtemplate_preview", published.pk)).status_code == 200
    assert client.get(url("jobtemplate_compare", draft.pk)).status_code == 200
    html = text_of(client.get(url("jobtemplate_change", draft.pk)))
    for action in ("copy", "publish", "new_version", "retire"):
        assert url(f"jobtemplate_{action}", draft.pk) not in html, action
    assert client.get(url("jobtemplate_copy", published.pk)).status_code == 403
    for action in ("new_version", "publish", "retire", "copy"):
        pk = draft.pk if action == "publish" else published.pk
        assert client.post(url(f"jobtemplate_{action}", pk), {"name": "X"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == TemplateStatus.DRAFT
    assert JobTemplate.objects.filter(family=published.family).count() == 2


def test_status_changes_must_be_posted(admin_client, published):
    templates = JobTemplate.objects.count()
    for action in ("new_version", "publish", "retire"):
        assert admin_client.get(url(f"jobtemplate_{action}", published.pk)).status_code == 405
    assert JobTemplate.objects.count() == templates


# --- Drafts and frozen versions -------------------------------------------------------


def test_a_published_version_is_read_only(admin_client, published):
    response = admin_client.get(url("jobtemplate_change", published.pk))
    html = text_of(response)
    assert response.status_code == 200
    for field in ("name", "kind", "source", "summary", "family", "version", "status"):
        assert f'name="{field}"' not in html, field
    for inline_field in ("sections-0-heading", "sections-0-area", "criteria-0-text"):
        assert f'name="{inline_field}"' not in html, inline_field
    assert 'name="_save"' not in html
    assert "Shared duty for both roles" not in html  # duties live on the section page
    assert "Registered with a professional body" in html  # shown, not editable
    assert 'value="Start a new version"' in html
    assert url("jobtemplate_new_version", published.pk) in html
    assert 'value="Publish this version"' not in html
    assert "View duties" in html


def test_posting_a_change_to_a_published_version_changes_nothing(admin_client, published):
    before = contents(published)
    response = admin_client.post(
        url("jobtemplate_change", published.pk),
        {
            "name": "Renamed",
            "kind": TemplateKind.DCO,
            "source": "Elsewhere",
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
            "criteria-TOTAL_FORMS": "0",
            "criteria-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.name == "National model DCO and DMO"
    assert published.kind == TemplateKind.COMBINED
    assert contents(published) == before


def test_a_published_section_is_read_only(admin_client, published):
    section = published.sections.get()
    page = url("templatesection_change", section.pk)
    html = text_of(admin_client.get(page))
    assert "Shared duty for both roles" in html
    assert 'name="heading"' not in html
    assert 'name="duties-0-text"' not in html
    assert url("jobtemplate_change", published.pk) in html  # back to its template
    response = admin_client.post(
        page,
        {
            "area": SectionArea.TRAINING,
            "heading": "Changed",
            "order": "1",
            "duties-TOTAL_FORMS": "0",
            "duties-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    section.refresh_from_db()
    assert section.area == SectionArea.CLINICAL_EHC
    assert admin_client.post(url("templatesection_delete", section.pk)).status_code == 403
    assert admin_client.post(url("jobtemplate_delete", published.pk)).status_code == 403
    assert TemplateSection.objects.filter(pk=section.pk).exists()


def test_a_draft_is_edited_with_its_sections_and_criteria(admin_client):
    draft = draft_template(name="Local draft")
    section = draft.sections.get()
    criterion = draft.criteria.get()
    page = url("jobtemplate_change", draft.pk)
    html = text_of(admin_client.get(page))
    assert 'name="name"' in html
    assert 'name="sections-0-heading"' in html
    assert "Edit duties" in html
    assert url("templatesection_change", section.pk) in html
    assert 'name="_publish" value="Save and publish this version" form="jobtemplate_form"' in html
    assert 'name="status"' not in html
    response = admin_client.post(
        page,
        {
            "name": "Local draft, renamed",
            "kind": TemplateKind.DCO,
            "source": "Testshire",
            "summary": "",
            "change_note": "Reordered",
            "sections-TOTAL_FORMS": "2",
            "sections-INITIAL_FORMS": "1",
            "sections-0-id": section.pk,
            "sections-0-template": draft.pk,
            "sections-0-area": SectionArea.ADVISORY,
            "sections-0-heading": "Advice",
            "sections-0-order": "20",
            "sections-1-template": draft.pk,
            "sections-1-area": SectionArea.TRAINING,
            "sections-1-heading": "",
            "sections-1-order": "10",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "1",
            "criteria-0-id": criterion.pk,
            "criteria-0-template": draft.pk,
            "criteria-0-category": "skills",
            "criteria-0-text": "Explains health needs clearly",
            "criteria-0-applies_to": "both",
            "criteria-0-requirement": "desirable",
            "criteria-0-order": "1",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    draft.refresh_from_db()
    assert (draft.name, draft.kind, draft.status) == (
        "Local draft, renamed",
        TemplateKind.DCO,
        TemplateStatus.DRAFT,
    )
    assert list(draft.sections.values_list("area", flat=True)) == [
        SectionArea.TRAINING,
        SectionArea.ADVISORY,
    ]
    criterion.refresh_from_db()
    assert criterion.text == "Explains health needs clearly"


def test_a_template_page_query_count_does_not_grow_with_sections(admin_client, published):
    draft = draft_template()
    pages = [url("jobtemplate_change", draft.pk), url("jobtemplate_change", published.pk)]
    few = [queries_for(admin_client, page) for page in pages]
    for order in range(1, 7):
        f.TemplateSectionFactory(template=draft, area=SectionArea.TRAINING, order=order)
        f.DutyFactory(section=draft.sections.get(order=order))
    assert [queries_for(admin_client, page) for page in pages] == few
    assert text_of(admin_client.get(pages[0])).count("Edit duties") == 7


def test_duties_are_edited_on_the_section_page(admin_client):
    draft = draft_template()
    section = draft.sections.get()
    duty = section.duties.get()
    page = url("templatesection_change", section.pk)
    response = admin_client.post(
        page,
        {
            "area": SectionArea.ADVISORY,
            "heading": "",
            "introduction": "What the officer advises on.",
            "order": "0",
            "duties-TOTAL_FORMS": "2",
            "duties-INITIAL_FORMS": "1",
            "duties-0-id": duty.pk,
            "duties-0-section": section.pk,
            "duties-0-text": "Advise the ICB and the LA on SEND",
            "duties-0-applies_to": "both",
            "duties-0-order": "2",
            "duties-1-section": section.pk,
            "duties-1-text": "Advise on medical needs",
            "duties-1-applies_to": "dmo",
            "duties-1-order": "1",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("jobtemplate_change", draft.pk)
    assert list(section.duties.values_list("text", flat=True)) == [
        "Advise on medical needs",
        "Advise the ICB and the LA on SEND",
    ]


def test_adding_a_template_makes_a_version_1_draft(admin_client):
    html = text_of(admin_client.get(url("jobtemplate_add")))
    assert 'name="version" value="1"' in html
    assert 'name="status"' not in html
    response = admin_client.post(
        url("jobtemplate_add"),
        {
            "family": "testshire-dco",
            "version": "1",
            "kind": TemplateKind.DCO,
            "name": "Testshire DCO",
            "source": "Testshire ICB, 2026",
            "summary": "",
            "change_note": "",
            "status": TemplateStatus.PUBLISHED,  # ignored: not a field of the form
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
            "criteria-TOTAL_FORMS": "0",
            "criteria-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    template = JobTemplate.objects.get(family="testshire-dco")
    assert (template.version, template.status) == (1, TemplateStatus.DRAFT)
    assert template.published_at is None


def test_adding_a_template_to_an_existing_family_is_refused(admin_client, published):
    templates = JobTemplate.objects.count()
    response = admin_client.post(
        url("jobtemplate_add"),
        {
            "family": published.family,
            "version": "2",
            "kind": TemplateKind.DCO,
            "name": "Sneaky version",
            "source": "Nowhere",
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
            "criteria-TOTAL_FORMS": "0",
            "criteria-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "start a new version" in text_of(response)
    assert JobTemplate.objects.count() == templates


# --- New version, copy, publish, retire -----------------------------------------------


def test_new_version_copies_the_contents_into_a_draft(admin_client, published):
    response = admin_client.post(url("jobtemplate_new_version", published.pk))
    draft = JobTemplate.objects.get(family=published.family, version=published.version + 1)
    assert response.status_code == 302
    assert response["Location"] == url("jobtemplate_change", draft.pk)
    assert draft.status == TemplateStatus.DRAFT
    assert draft.based_on == published
    assert contents(draft) == contents(published)
    assert len(contents(draft)["duties"]) == 3

    # The published page now points at the draft instead of offering another.
    html = text_of(admin_client.get(url("jobtemplate_change", published.pk)))
    assert 'value="Start a new version"' not in html
    assert url("jobtemplate_change", draft.pk) in html

    again = admin_client.post(url("jobtemplate_new_version", published.pk), follow=True)
    assert again.redirect_chain[-1][0] == url("jobtemplate_change", draft.pk)
    assert "already a draft" in text_of(again)
    assert JobTemplate.objects.filter(family=published.family).count() == 2


def test_a_double_click_on_new_version_lands_on_the_one_draft(
    admin_client, area, published, monkeypatch
):
    """Two requests at once: the second loses to the one-draft constraint."""
    from django.db import IntegrityError

    real = services.start_new_version

    def racing(*, template, by):
        real(template=template, by=by)  # the other request got there first
        raise IntegrityError("jobtemplate_one_draft_per_family")

    monkeypatch.setattr(services, "start_new_version", racing)
    response = admin_client.post(url("jobtemplate_new_version", published.pk))
    draft = JobTemplate.objects.get(family=published.family, status=TemplateStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == url("jobtemplate_change", draft.pk)


def test_copy_for_local_adaptation_starts_a_new_family(admin_client, published):
    page = url("jobtemplate_copy", published.pk)
    html = text_of(admin_client.get(page))
    assert 'name="name"' in html
    assert 'name="source"' in html

    response = admin_client.post(page, {"name": "Testshire DCO and DMO", "source": ""})
    copy = JobTemplate.objects.get(name="Testshire DCO and DMO")
    assert response.status_code == 302
    assert response["Location"] == url("jobtemplate_change", copy.pk)
    assert copy.family != published.family
    assert (copy.version, copy.status, copy.based_on) == (1, TemplateStatus.DRAFT, published)
    assert copy.source == "Adapted from National model DCO and DMO, version 1"
    assert contents(copy) == contents(published)


def test_copy_with_a_blank_name_shows_the_error_by_the_field(admin_client, published):
    templates = JobTemplate.objects.count()
    response = admin_client.post(
        url("jobtemplate_copy", published.pk), {"name": "   ", "source": "Testshire"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Enter a name for the local template."]
    html = text_of(response)
    assert "Enter a name for the local template." in html
    assert 'class="form-row errors field-name"' in html
    assert JobTemplate.objects.count() == templates


def test_an_empty_copy_form_shows_its_error(admin_client, published):
    templates = JobTemplate.objects.count()
    response = admin_client.post(url("jobtemplate_copy", published.pk), {})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Enter a name for the local template."]
    assert "Please correct the error below." in text_of(response)
    assert JobTemplate.objects.count() == templates


def test_copy_names_and_sources_longer_than_the_model_allows_are_form_errors(
    admin_client, published
):
    page = url("jobtemplate_copy", published.pk)
    templates = JobTemplate.objects.count()
    too_long = admin_client.post(page, {"name": "x" * 201, "source": ""})
    assert too_long.status_code == 200
    assert too_long.context["form"].errors["name"] == [
        "Ensure this value has at most 200 characters (it has 201)."
    ]
    long_source = admin_client.post(page, {"name": "Testshire", "source": "s" * 301})
    assert long_source.status_code == 200
    assert "source" in long_source.context["form"].errors
    assert JobTemplate.objects.count() == templates

    # The longest name allowed, twice: each copy gets a family that fits its field.
    for _ in range(2):
        assert admin_client.post(page, {"name": "x" * 200, "source": ""}).status_code == 302
    families = list(JobTemplate.objects.filter(name="x" * 200).values_list("family", flat=True))
    family_length = JobTemplate._meta.get_field("family").max_length
    assert len(set(families)) == 2
    assert all(len(family) <= family_length for family in families)


def test_a_copy_the_service_refuses_shows_its_error_by_the_field(
    admin_client, published, monkeypatch
):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError({"name": "That name is taken locally."})

    monkeypatch.setattr(services, "copy_for_local_adaptation", refuse)
    templates = JobTemplate.objects.count()
    response = admin_client.post(url("jobtemplate_copy", published.pk), {"name": "Testshire"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["That name is taken locally."]
    assert 'class="form-row errors field-name"' in text_of(response)
    assert JobTemplate.objects.count() == templates


def test_publish_freezes_a_draft(admin_client, area):
    draft = draft_template()
    response = admin_client.post(url("jobtemplate_publish", draft.pk), follow=True)
    draft.refresh_from_db()
    assert draft.status == TemplateStatus.PUBLISHED
    assert draft.published_at is not None
    assert draft.published_by == area.administrator
    assert "Published version 1" in text_of(response)


def test_save_and_publish_keeps_the_change_note_typed_on_the_draft(admin_client, area):
    draft = draft_template(name="Local draft")
    section, criterion = draft.sections.get(), draft.criteria.get()
    response = admin_client.post(
        url("jobtemplate_change", draft.pk),
        {
            "name": "Local draft",
            "kind": draft.kind,
            "source": draft.source,
            "summary": "",
            "change_note": "Adds the duty to advise on tribunals",
            "sections-TOTAL_FORMS": "1",
            "sections-INITIAL_FORMS": "1",
            "sections-0-id": section.pk,
            "sections-0-template": draft.pk,
            "sections-0-area": section.area,
            "sections-0-heading": section.heading,
            "sections-0-order": section.order,
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "1",
            "criteria-0-id": criterion.pk,
            "criteria-0-template": draft.pk,
            "criteria-0-category": criterion.category,
            "criteria-0-text": criterion.text,
            "criteria-0-applies_to": criterion.applies_to,
            "criteria-0-requirement": criterion.requirement,
            "criteria-0-order": criterion.order,
            "_publish": "Save and publish this version",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("jobtemplate_change", draft.pk)
    draft.refresh_from_db()
    assert draft.status == TemplateStatus.PUBLISHED
    assert draft.published_by == area.administrator
    assert draft.change_note == "Adds the duty to advise on tribunals"
    assert "Saved and published version 1" in text_of(response)


def test_save_and_publish_without_sections_saves_but_does_not_publish(admin_client):
    empty = f.JobTemplateFactory()
    response = admin_client.post(
        url("jobtemplate_change", empty.pk),
        {
            "name": empty.name,
            "kind": empty.kind,
            "source": empty.source,
            "summary": "",
            "change_note": "First go",
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
            "criteria-TOTAL_FORMS": "0",
            "criteria-INITIAL_FORMS": "0",
            "_publish": "Save and publish this version",
        },
        follow=True,
    )
    empty.refresh_from_db()
    assert (empty.status, empty.change_note) == (TemplateStatus.DRAFT, "First go")
    assert "Saved, not published: Add at least one section before publishing." in text_of(response)


def test_publishing_a_template_without_sections_is_refused_with_a_message(admin_client):
    empty = f.JobTemplateFactory()
    response = admin_client.post(url("jobtemplate_publish", empty.pk), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == url("jobtemplate_change", empty.pk)
    assert "Add at least one section before publishing." in text_of(response)
    empty.refresh_from_db()
    assert empty.status == TemplateStatus.DRAFT


def test_retire_and_the_errors_of_the_wrong_status(admin_client, published):
    response = admin_client.post(url("jobtemplate_retire", published.pk), follow=True)
    published.refresh_from_db()
    assert published.status == TemplateStatus.RETIRED
    html = text_of(response)
    assert "Retired version 1" in html
    assert 'value="Retire this version"' not in html
    assert 'value="Start a new version"' in html

    again = admin_client.post(url("jobtemplate_retire", published.pk), follow=True)
    assert "Only a published version can be retired." in text_of(again)
    publish = admin_client.post(url("jobtemplate_publish", published.pk), follow=True)
    assert "Only a draft can be published." in text_of(publish)
    published.refresh_from_db()
    assert published.status == TemplateStatus.RETIRED


def test_publish_and_retire_are_recorded_in_the_admin_history(admin_client):
    from django.contrib.admin.models import CHANGE, LogEntry

    draft = draft_template()
    admin_client.post(url("jobtemplate_publish", draft.pk))
    admin_client.post(url("jobtemplate_retire", draft.pk))
    entries = LogEntry.objects.filter(object_id=str(draft.pk)).order_by("pk")
    assert [(e.action_flag, e.get_change_message()) for e in entries] == [
        (CHANGE, "Published."),
        (CHANGE, "Retired."),
    ]


def test_sections_lead_back_to_their_template(admin_client):
    assert admin_client.get(url("templatesection_changelist"))["Location"] == url(
        "jobtemplate_changelist"
    )
    draft = draft_template()
    section = draft.sections.get()
    response = admin_client.post(url("templatesection_delete", section.pk), {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"] == url("jobtemplate_change", draft.pk)
    assert not draft.sections.exists()


def test_unknown_templates_are_not_found(admin_client):
    for action in ("preview", "compare", "copy"):
        assert admin_client.get(url(f"jobtemplate_{action}", 999999)).status_code == 404
    assert admin_client.post(url("jobtemplate_publish", 999999)).status_code == 404


# --- Preview and compare --------------------------------------------------------------


def test_preview_shows_the_duties_with_their_markings(admin_client, published):
    response = admin_client.get(url("jobtemplate_preview", published.pk))
    html = text_of(response)
    assert response.status_code == 200
    for text in (
        "Shared duty for both roles",
        "Duty only a DCO does",
        "Duty only a DMO does",
        "Specialist paediatric qualification",
        "DCO only",
        "DMO only",
    ):
        assert text in html
    assert "govuk-frontend.min.css" in html
    assert url("jobtemplate_change", published.pk) in html
    assert "<style" not in html  # the CSP allows no inline styles


def test_compare_shows_added_removed_and_changed_items(admin_client, area, published):
    draft = services.start_new_version(template=published, by=area.administrator)
    section = draft.sections.get()
    Duty.objects.get(section=section, text="Duty only a DCO does").delete()
    shared = Duty.objects.get(section=section, text="Shared duty for both roles")
    shared.text = "Shared duty, reworded"
    shared.save()
    f.DutyFactory(section=section, text="A brand new duty")

    # From the published version, choosing the draft: old is the lower version.
    response = admin_client.get(url("jobtemplate_compare", published.pk), {"with": draft.pk})
    assert response.status_code == 200
    changes = response.context["changes"]
    assert response.context["old"] == published
    assert response.context["new"] == draft
    kinds = {(c["label"], c["before"].split(" (")[0], c["after"].split(" (")[0]) for c in changes}
    assert ("Added", "", "A brand new duty") in kinds
    assert ("Removed", "Duty only a DCO does", "") in kinds
    assert ("Changed", "Shared duty for both roles", "Shared duty, reworded") in kinds
    html = text_of(response)
    assert '<tr class="change-added">' in html
    assert '<tr class="change-removed">' in html
    assert '<tr class="change-changed">' in html
    assert "No differences" not in html

    # From the draft with nothing chosen: compared with the version it came from.
    default = admin_client.get(url("jobtemplate_compare", draft.pk))
    assert default.context["old"] == published
    assert len(default.context["changes"]) == len(changes)


def test_compare_says_when_there_are_no_differences(admin_client, area, published):
    draft = services.start_new_version(template=published, by=area.administrator)
    response = admin_client.get(url("jobtemplate_compare", draft.pk), {"with": published.pk})
    assert response.context["changes"] == []
    assert "No differences." in text_of(response)


def test_compare_offers_every_other_template_and_rejects_nonsense(admin_client, published):
    other = draft_template(name="Someone else's template")
    response = admin_client.get(url("jobtemplate_compare", published.pk))
    html = text_of(response)
    assert "Someone else&#x27;s template" in html
    assert 'label="Other templates"' in html
    assert response.context["changes"] is None  # nothing to compare with by default
    for bad in ("abc", str(published.pk), "999999", "-1", "1.0", "9" * 30, "\x00"):
        response = admin_client.get(url("jobtemplate_compare", published.pk), {"with": bad})
        assert response.status_code == 200
        assert "Choose a template from the list." in text_of(response)
    blank = admin_client.get(url("jobtemplate_compare", published.pk), {"with": ""})
    assert blank.status_code == 200
    assert blank.context["form"].errors["with"] == ["This field is required."]
    assert blank.context["changes"] is None
    response = admin_client.get(url("jobtemplate_compare", published.pk), {"with": other.pk})
    assert response.status_code == 200
    assert response.context["changes"]


# --- Posts ----------------------------------------------------------------------------


def post_form(area, template, **overrides) -> dict:
    data = {
        "title": "DCO for Testshire",
        "role": "dco",
        "template": template.pk,
        "holder": "",
        "local_authorities": [area.local_authority.pk],
        "commissioning_bodies": [area.body.pk],
        "commissioning_model": "single_body",
        "employer": "Testshire ICB",
        "accountable_to": "Chief Nurse",
        "pas_per_week": "4",
        "start_date": "",
        "end_date": "",
        "last_appraisal_on": "",
        "clinical_supervision": "",
        "managerial_supervision": "",
        "administrative_support": "",
        "local_agreement_on": "",
        "local_agreement_parties": "",
        "local_agreement_pas": "",
    }
    for prefix in ("duty_changes", "memberships", "training_sessions", "cpd_entries"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(overrides)
    return data


def test_adding_a_post(admin_client, area):
    template = f.published_template(kind=TemplateKind.DCO)
    response = admin_client.post(
        url("post_add"),
        post_form(
            area,
            template,
            holder=area.officer.pk,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-kind": "panel",
                "memberships-0-name": "EHC panel",
            },
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    post = Post.objects.get(title="DCO for Testshire")
    assert post.template == template
    assert post.holder == area.officer
    assert list(post.local_authorities.all()) == [area.local_authority]
    assert post.memberships.get().name == "EHC panel"


def test_a_template_of_the_wrong_kind_is_a_form_error(admin_client, area):
    dmo_template = f.published_template(kind=TemplateKind.DMO)
    response = admin_client.post(url("post_add"), post_form(area, dmo_template, role="dco"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["template"] == [
        "Choose a template for this role or a combined DCO/DMO template."
    ]
    assert not Post.objects.exists()


def test_only_published_templates_are_offered_but_a_retired_one_stays_usable(
    admin_client, area, published
):
    draft = draft_template(name="Not yet published")
    html = text_of(admin_client.get(url("post_add")))
    assert published.name in html
    assert "Not yet published" not in html
    response = admin_client.post(url("post_add"), post_form(area, draft))
    assert response.status_code == 200
    assert "template" in response.context["adminform"].form.errors

    post = f.PostFactory(
        template=published,
        local_authorities=[area.local_authority],
        commissioning_bodies=[area.body],
    )
    services.retire(template=published, by=area.administrator)
    response = admin_client.post(
        url("post_change", post.pk),
        post_form(area, published, title="Renamed post", pas_per_week=str(post.pas_per_week)),
    )
    assert response.status_code == 302, response.context["errors"]
    post.refresh_from_db()
    assert post.title == "Renamed post"


def test_local_duty_changes_choose_from_the_posts_template(admin_client, area, published):
    other = f.published_template(name="Another template")
    post = f.PostFactory(
        template=published,
        local_authorities=[area.local_authority],
        commissioning_bodies=[area.body],
        pas_per_week=Decimal("4"),
    )
    duty = Duty.objects.get(section__template=published, text="Duty only a DMO does")
    foreign = Duty.objects.filter(section__template=other).first()
    html = text_of(admin_client.get(url("post_change", post.pk)))
    assert "Duty only a DMO does" in html
    assert f'value="{foreign.pk}"' not in html

    def change(duty_pk):
        return post_form(
            area,
            published,
            title=post.title,
            **{
                "duty_changes-TOTAL_FORMS": "1",
                "duty_changes-0-kind": "removed",
                "duty_changes-0-duty": duty_pk,
                "duty_changes-0-section_area": "",
                "duty_changes-0-text": "",
                "duty_changes-0-order": "0",
            },
        )

    response = admin_client.post(url("post_change", post.pk), change(foreign.pk))
    assert response.status_code == 200
    assert not post.duty_changes.exists()

    # A change that breaks the rule of its kind is a form error too.
    bad = change(duty.pk)
    bad["duty_changes-0-kind"] = "added"
    response = admin_client.post(url("post_change", post.pk), bad)
    assert response.status_code == 200
    assert "An added duty needs a section and its text" in text_of(response)

    response = admin_client.post(url("post_change", post.pk), change(duty.pk))
    assert response.status_code == 302, response.context["errors"]
    assert post.duty_changes.get().duty == duty


def test_post_page_query_count_does_not_grow_with_local_changes(admin_client, published):
    from roles.models import PostDutyChange

    post = f.PostFactory(template=published)
    page = url("post_change", post.pk)
    duties = list(Duty.objects.filter(section__template=published).order_by("pk"))
    PostDutyChange.objects.create(post=post, kind="removed", duty=duties[0])
    one = queries_for(admin_client, page)
    for duty in duties[1:]:
        PostDutyChange.objects.create(post=post, kind="reworded", duty=duty, text="Reworded")
    PostDutyChange.objects.create(
        post=post, kind="added", section_area=SectionArea.TRAINING, text="Train SENCOs"
    )
    assert queries_for(admin_client, page) == one
    # Each row's select still shows its own duty as chosen.
    html = text_of(admin_client.get(page))
    for duty in duties:
        assert f'<option value="{duty.pk}" selected>' in html


def test_post_list_query_count_does_not_grow_with_posts(
    admin_client, published, django_assert_max_num_queries
):
    for _ in range(15):
        f.PostFactory(template=published, holder=f.DesignatedOfficerFactory())
    with django_assert_max_num_queries(12):
        response = admin_client.get(url("post_changelist"))
    assert response.status_code == 200


def test_an_administrator_records_and_clears_a_local_agreement_on_time(admin_client, area):
    template = f.published_template(kind=TemplateKind.DMO)
    second = f.LocalAuthorityFactory()
    f.ChildPopulationFactory(local_authority=second)
    post = f.PostFactory(
        role="dmo",
        template=template,
        pas_per_week=Decimal("2"),
        local_authorities=[area.local_authority, second],
        commissioning_bodies=[area.body],
    )
    form = post_form(
        area,
        template,
        role="dmo",
        title=post.title,
        pas_per_week="2",
        local_authorities=[area.local_authority.pk, second.pk],
    )
    page = text_of(admin_client.get(url("post_change", post.pk)))
    assert "Local agreement on time" in page and "not necessarily pro" in page

    response = admin_client.post(
        url("post_change", post.pk),
        {**form, "local_agreement_on": "2025-05-01", "local_agreement_parties": "ICB and Trust"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "local_agreement_pas": ["Enter the PAs a week agreed"]
    }
    post.refresh_from_db()
    assert not post.has_local_agreement

    agreed = {
        "local_agreement_on": "2025-05-01",
        "local_agreement_parties": "ICB and Trust",
        "local_agreement_pas": "2.5",
    }
    response = admin_client.post(url("post_change", post.pk), {**form, **agreed})
    assert response.status_code == 302, response.context["errors"]
    post.refresh_from_db()
    assert post.local_agreement_pas == Decimal("2.5")
    content = text_of(admin_client.get(post.get_absolute_url()))
    assert "2.5 PAs (1.25 days) a week, agreed on 1 May 2025 by ICB and Trust" in content
    # Agreed 2.5, funded 2: the post is held to the agreement, not to pro rata.
    assert "Fewer PAs funded than the local agreement" in content
    assert "Covers more local authorities" not in content

    response = admin_client.post(url("post_change", post.pk), form)
    assert response.status_code == 302, response.context["errors"]
    post.refresh_from_db()
    assert not post.has_local_agreement


# --- PA policy ------------------------------------------------------------------------


def test_the_pa_policy_list_opens_its_one_row_or_the_form_to_add_it(admin_client):
    assert admin_client.get(url("papolicysettings_changelist"))["Location"] == url(
        "papolicysettings_add"
    )
    policy = PAPolicySettings.objects.create()
    response = admin_client.get(url("papolicysettings_changelist"))
    assert response.status_code == 302
    assert response["Location"] == url("papolicysettings_change", policy.pk)


def test_the_pa_policy_is_a_single_row(admin_client):
    response = admin_client.post(
        url("papolicysettings_add"),
        {
            "dmo_minimum_pas": "2",
            "dco_minimum_pas": "1",
            "baseline_children": "70000",
            "baseline_bodies": "1",
            "baseline_local_authorities": "1",
            "cpd_points_target": "4",
            "appraisal_interval_months": "12",
        },
    )
    assert response.status_code == 302
    policy = PAPolicySettings.objects.get()
    assert policy.dco_minimum_pas == Decimal("1")

    assert admin_client.get(url("papolicysettings_add")).status_code == 403
    assert admin_client.post(url("papolicysettings_add"), {}).status_code == 403
    assert url("papolicysettings_add") not in text_of(
        admin_client.get(url("papolicysettings_changelist"))
    )
    assert admin_client.post(url("papolicysettings_delete", policy.pk)).status_code == 403
    assert admin_client.get(url("papolicysettings_change", policy.pk)).status_code == 200
    assert PAPolicySettings.objects.count() == 1
