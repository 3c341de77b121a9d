"""Every URL pattern of the portal has a four-way access test.

The test walks the URL resolver and fails, naming the pattern, for each view
that no :class:`tests.access.AccessCase` covers (anonymous, wrong role, right
role, other area), whose POST is not covered though the view takes one, or
that is protected without saying by which permission. Cases count only once
:func:`tests.access.access_tests` has turned them into a test, so a view
cannot be marked covered without being requested.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from accounts.permissions import ROLE_PERMISSIONS
from tests.access import REGISTRY, ROLE_VALUES
from tests.api.matrix import API_REGISTRY

TESTS = Path(__file__).resolve().parent

# Views anyone may use, signed in or not. Keep this short and say why.
PUBLIC = {
    "accounts:login": "signing in",
    "accounts:logout": "signing out (POST) works, harmlessly, for anyone",
    "accounts:password_reset": "asking for a reset link by email",
    "accounts:password_reset_done": "'check your email'",
    "accounts:password_reset_confirm": "the link from the email, checked by its token",
    "accounts:password_reset_complete": "'your password has been reset'",
    "healthz": "the load balancer's health check",
    "accessibility": "the accessibility statement",
    "api:schema": "the API's OpenAPI schema: describes the interface, holds no record",
    "api:docs": "the API's documentation (Swagger UI over the schema)",
}

# The API (docs/api.md) answers tokens, not sessions: its routes are covered by
# tests/api/test_access.py's matrix (tests/api/matrix.py), checked here the same way.
API_NAMESPACE = "api:"

# Views for any signed-in user, whatever their role, so with no permission
# to name: each still needs an AccessCase allowing every role.
SIGNED_IN = {
    "accounts:home": "sends each user on to their own home page",
    "accounts:preferences": "a user's own settings",
    "accounts:api_tokens": "a user's own API tokens",
    "accounts:password_change": "a user's own password",
    "accounts:password_change_done": "'your password has been changed'",
    "accounts:two_factor_enrol": "setting up one's own authenticator app",
    "accounts:two_factor_verify": "giving one's own code after the password",
    "accounts:two_factor_recovery_codes": "one's own recovery codes",
}

# URL prefixes not walked: Django's admin site, which checks staff status itself.
ADMIN_SITE = ("admin/",)


def url_patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(route, url name, view) for every pattern, through every include()."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith(ADMIN_SITE):
                continue
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield route, name, pattern.callback


def unwrapped(view):
    """The view and everything it wraps (decorators set ``__wrapped__``)."""
    while view is not None:
        yield view
        view = getattr(view, "__wrapped__", None)


def required_permission(view) -> str | None:
    for layer in unwrapped(view):
        if permission := getattr(layer, "required_permission", None):
            return permission
    return None


def takes_post(view) -> bool:
    """Whether the view handles POST: a class-based view with ``post``, or a
    function whose code reads ``request.POST`` or tests for ``"POST"``."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    for layer in unwrapped(view):
        try:
            source = inspect.getsource(layer)
        except (OSError, TypeError):
            continue
        if "request.POST" in source or '"POST"' in source:
            return True
    return False


def load_access_modules() -> None:
    """Import every tests/<app>/test_access.py, which registers its cases."""
    for path in sorted(TESTS.glob("*/test_access.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.test_access")
        tests = [
            value
            for name, value in vars(module).items()
            if name.startswith("test") and hasattr(value, "access_cases")
        ]
        assert tests, f"{path.relative_to(TESTS.parent)}: assign access_tests(...) to a test_ name"


def holders(permission: str) -> set[str]:
    """The roles (as tests.access names them) granted ``permission``."""
    return {name for name, value in ROLE_VALUES.items() if permission in ROLE_PERMISSIONS[value]}


def coverage_problems(resolver=None) -> list[str]:
    """What is wrong, one line per URL pattern, naming it."""
    load_access_modules()
    problems = []
    seen = set()
    for route, name, view in url_patterns(resolver):
        where = f"/{route} ({name or 'no name'})"
        if name is None:
            problems.append(f"{where}: give the URL pattern a name")
            continue
        seen.add(name)
        if name in PUBLIC:
            if name in REGISTRY:
                problems.append(f"{where}: listed as public but has access cases")
            continue
        if name.startswith(API_NAMESPACE):
            problems += api_problems(where, name, view)
            continue
        permission = required_permission(view)
        if permission is None and name not in SIGNED_IN:
            problems.append(
                f"{where}: protect it with core.decorators.permission_required "
                "(which sets required_permission), or list it as public"
            )
        cases = REGISTRY.get(name, [])
        if not cases:
            problems.append(f"{where}: no four-way access test (tests/<app>/test_access.py)")
            continue
        if takes_post(view) and not any("post" in case.methods for case in cases):
            problems.append(f"{where}: takes POST, but no access case POSTs to it")
        for case in cases:
            if permission is not None:
                extra = set(case.allowed) - holders(permission)
                if extra:
                    problems.append(
                        f"{where}: case {case.label()} allows {sorted(extra)}, "
                        f"who lack {permission}"
                    )
            elif case.allowed != set(ROLE_VALUES):
                problems.append(f"{where}: open to any signed-in user, so allow every role")
    for name in sorted((set(REGISTRY) | set(API_REGISTRY)) - seen):
        problems.append(f"{name}: access cases for a URL name that does not exist")
    for name in sorted((set(PUBLIC) | set(SIGNED_IN)) - seen):
        problems.append(f"{name}: listed here, but no such URL pattern")
    return problems


def api_permissions(view) -> dict[str, str]:
    """HTTP method -> the portal permission an API route requires
    (api.permissions.permission_for)."""
    view_class = getattr(view, "cls", None)
    actions = getattr(view, "actions", None) or {
        method: method for method in ("get", "post") if hasattr(view_class, method)
    }
    written = ("get", "post", "patch", "put", "delete")
    actions = {method: action for method, action in actions.items() if method in written}
    extra = getattr(view_class, "action_permissions", {})
    required = getattr(view_class, "required_permission", None)
    return {method: extra.get(action) or required for method, action in actions.items()}


def api_problems(where: str, name: str, view) -> list[str]:
    """What is wrong with an API route's cases in tests/api/test_access.py."""
    cases = API_REGISTRY.get(name, [])
    if not cases:
        return [f"{where}: no access matrix case (tests/api/test_access.py)"]
    problems = []
    permissions = api_permissions(view)
    for method, permission in permissions.items():
        if permission is None:
            problems.append(f"{where}: {method.upper()} names no required_permission")
        elif not any(method in case.methods for case in cases):
            problems.append(f"{where}: takes {method.upper()}, but no case asks it")
    for case in cases:
        permission = permissions.get(case.methods[0])
        if permission is not None:
            extra = set(case.allowed) - holders(permission)
            if extra:
                problems.append(f"{where}: allows {sorted(extra)}, who lack {permission}")
    return problems


def test_every_url_has_a_four_way_access_test():
    problems = coverage_problems()
    assert not problems, "\n".join(["URL patterns without a proper access test:", *problems])


def test_the_walker_finds_the_portals_urls():
    names = {name for _route, name, _view in url_patterns()}
    assert {"ehc:request_edit", "roles:add_cpd", "reports:annual_pdf", "healthz"} <= names
    assert not any(name and name.startswith("admin:") for name in names)


def _bare(request):  # pragma: no cover - never requested
    return None


def _form(request):  # pragma: no cover - never requested
    return request.POST


def test_the_walker_names_each_missing_test(monkeypatch):
    from django.urls import path

    from core.decorators import permission_required
    from tests.access import AccessCase

    resolver = URLResolver(
        get_resolver().pattern,
        [
            path("bare/", _bare, name="bare"),
            path("guarded/", permission_required("portal.view_ehc")(_bare), name="guarded"),
            path("form/", permission_required("portal.log_requests")(_form), name="form"),
        ],
    )
    # A case that only GETs, and allows a role without the permission.
    only_get = AccessCase("form", allowed=frozenset({"officer", "commissioner"}), other_area=404)
    monkeypatch.setitem(REGISTRY, "form", [only_get])
    problems = "\n".join(coverage_problems(resolver))
    assert "/bare/ (bare): protect it with core.decorators.permission_required" in problems
    assert "/guarded/ (guarded): no four-way access test" in problems
    assert "/form/ (form): takes POST, but no access case POSTs to it" in problems
    assert "allows ['commissioner'], who lack portal.log_requests" in problems


def test_post_is_detected_through_decorators():
    from ehc import child_views as ehc_views
    from ehc import list_views
    from reports.views import annual
    from roles import views as roles_views

    assert takes_post(ehc_views.child_edit)
    assert takes_post(annual.annual_pdf)
    assert takes_post(roles_views.add_cpd)
    assert not takes_post(list_views.request_list)
    assert required_permission(ehc_views.child_edit) == "portal.log_requests"
    assert required_permission(roles_views.add_cpd) == "portal.keep_post_record"
