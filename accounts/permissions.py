"""Who may do what: declared once, here.

(docs/architecture.md, "Permissions are data, declared once")

Role-level permissions are data: ``ROLE_PERMISSIONS`` maps each role to the
portal permissions it holds. They are registered with django-rules, so
``user.has_perm("portal.view_organisations")`` works everywhere (views,
templates, admin). Object-level scope ("a DCO sees their own areas") is a
predicate that asks the model's scoped queryset, so the rule for a single
object can never drift from the rule for a list.

Views check with :func:`core.decorators.permission_required` and load
objects through :func:`core.scoping.get_object_for_user`.
"""

from __future__ import annotations

import rules

from accounts.roles import Role, role_of

# Every portal permission, with what it allows.
PERMISSIONS: dict[str, str] = {
    "portal.view_organisations": "See the organisations directory for one's own scope.",
    "portal.view_officer_home": "Use the designated officer's home page.",
    "portal.view_practitioner_home": "Use the health practitioner's home page.",
    "portal.view_commissioner_home": "Use the commissioner's home page.",
    "portal.view_la_home": "Use the LA SEND officer's home page.",
    "portal.view_admin_home": "Use the administrator's home page.",
    "portal.view_identifiable_records": "See child-identifiable records within scope.",
    "portal.view_aggregate_reports": "See aggregate dashboards and reports within scope.",
    "portal.view_ehc": "See health advice requests and children within scope.",
    "portal.log_requests": "Record children and log the LA's requests for health advice.",
    "portal.record_advice": "Record a service's return and its health advice.",
    "portal.manage_caseload": "Follow requests: ask services, record exceptions, review "
    "the quality of advice, record notices, reviews, mediation, tribunals and budgets, "
    "record EHC plans and audit their health sections.",
    "portal.view_access_history": "See who has looked at a child's record (within scope).",
    "portal.view_posts": "See designated officer posts, job descriptions and area "
    "resourcing within scope.",
    "portal.keep_post_record": "Keep the record of a designated officer post they hold "
    "(committees, training delivered, CPD, appraisal, the local agreement on its time).",
    # Information governance (docs/information-governance.md).
    "portal.prepare_subject_access": "Prepare everything held about a child for a subject "
    "access request, within scope.",
    # The enquiries log (docs/enquiries.md).
    "portal.log_enquiries": "Log enquiries from local partners (LA, schools, parents, "
    "practitioners, GPs) and the advice given, within scope.",
    # Services' waiting times (docs/waits.md).
    "portal.view_service_waits": "See the quarterly waiting times of the services within "
    "scope (suppressed for commissioners).",
    "portal.record_service_waits": "Enter a service's quarterly waiting times, for the "
    "services within scope.",
    # The area's SEND improvement plan (docs/improvement.md).
    "portal.view_improvement_plans": "Read the improvement plans of the areas in scope, "
    "their actions, progress and evidence.",
    "portal.edit_improvement_plans": "Keep the improvement plans of one's own areas: plans, "
    "actions, progress notes and evidence links.",
    "portal.manage_retention": "Place and lift legal holds, prepare erasure lists, approve "
    "them and erase a child's records on request.",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(PERMISSIONS),
    Role.DESIGNATED_OFFICER: frozenset(
        {
            "portal.view_organisations",
            "portal.view_officer_home",
            "portal.view_identifiable_records",
            "portal.view_aggregate_reports",
            "portal.view_ehc",
            "portal.log_requests",
            "portal.record_advice",
            "portal.manage_caseload",
            "portal.view_access_history",
            "portal.view_posts",
            "portal.keep_post_record",
            "portal.prepare_subject_access",
            "portal.log_enquiries",
            "portal.view_service_waits",
            "portal.record_service_waits",
            "portal.view_improvement_plans",
            "portal.edit_improvement_plans",
        }
    ),
    Role.HEALTH_PRACTITIONER: frozenset(
        {
            "portal.view_organisations",
            "portal.view_practitioner_home",
            "portal.view_identifiable_records",
            "portal.view_ehc",
            "portal.record_advice",
            "portal.view_service_waits",
            "portal.record_service_waits",
        }
    ),
    Role.COMMISSIONER: frozenset(
        {
            "portal.view_organisations",
            "portal.view_commissioner_home",
            "portal.view_aggregate_reports",
            "portal.view_posts",
            "portal.view_service_waits",
            "portal.view_improvement_plans",
        }
    ),
    Role.LA_OFFICER: frozenset(
        {
            "portal.view_organisations",
            "portal.view_la_home",
            "portal.view_identifiable_records",
            "portal.view_ehc",
            "portal.log_requests",
        }
    ),
}

# Where each role lands after signing in.
ROLE_HOME: dict[str, str] = {
    Role.ADMINISTRATOR: "portal:admin_home",
    Role.DESIGNATED_OFFICER: "portal:officer_home",
    Role.HEALTH_PRACTITIONER: "portal:practitioner_home",
    Role.COMMISSIONER: "portal:commissioner_home",
    Role.LA_OFFICER: "portal:la_home",
}


def home_url_name(user) -> str:
    return ROLE_HOME.get(role_of(user), "accounts:login")


def _role_grants(permission: str):
    @rules.predicate(name=f"role grants {permission}")
    def predicate(user) -> bool:
        return permission in ROLE_PERMISSIONS.get(role_of(user), frozenset())

    return predicate


@rules.predicate
def object_in_scope(user, obj) -> bool:
    """True when ``obj`` is in the user's scope, as its model's queryset says."""
    if obj is None:
        return False
    manager = type(obj)._default_manager
    return manager.visible_to(user).filter(pk=obj.pk).exists()


for _name in PERMISSIONS:
    rules.add_perm(_name, _role_grants(_name))

# Object-level: seeing a particular organisation.
rules.add_perm(
    "commissioning.view_localauthority",
    _role_grants("portal.view_organisations") & object_in_scope,
)
rules.add_perm(
    "commissioning.view_commissioningbody",
    _role_grants("portal.view_organisations") & object_in_scope,
)

# Object-level: changing EHC records needs the role permission and the
# object in scope (a practitioner's scope is their own services).
for _perm, _role_perm in {
    "ehc.edit_child": "portal.log_requests",
    "ehc.edit_request": "portal.manage_caseload",
    "ehc.record_return": "portal.record_advice",
    "ehc.edit_contribution": "portal.manage_caseload",
    "ehc.edit_advice": "portal.record_advice",
    "ehc.review_advice": "portal.manage_caseload",
    "ehc.edit_childrecord": "portal.manage_caseload",
    "ehc.edit_plan": "portal.manage_caseload",
    "enquiries.edit_enquiry": "portal.log_enquiries",
    "ehc.record_service_waits": "portal.record_service_waits",
    "improvement.edit_plan": "portal.edit_improvement_plans",
    "improvement.edit_action": "portal.edit_improvement_plans",
}.items():
    rules.add_perm(_perm, _role_grants(_role_perm) & object_in_scope)


@rules.predicate
def holds_post(user, post) -> bool:
    """The post-holder keeps their own record; administrators keep anyone's."""
    if post is None:
        return False
    return role_of(user) == Role.ADMINISTRATOR or post.holder_id == user.pk


rules.add_perm(
    "roles.keep_post_record",
    _role_grants("portal.keep_post_record") & object_in_scope & holds_post,
)
