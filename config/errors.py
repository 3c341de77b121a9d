"""Error pages in the portal's own style, and the API's error shape for
errors Django answers before the API's own handler can (an address under
``/api/`` that matches no route, a body past ``DATA_UPLOAD_MAX_MEMORY_SIZE``,
a server error): ``{"status", "code", "detail"}`` as docs/api.md, "Errors".

The 500 handler renders without the request context: when something has
gone wrong, the page must not depend on the database or the session.
"""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults

API_PREFIX = "/api/"


def _api_error(request, status: int, code: str, detail: str):
    """The API's error body for a request under ``/api/``; else None."""
    if not request.path.startswith(API_PREFIX):
        return None
    body = {"status": status, "code": code, "detail": detail}
    return JsonResponse(body, status=status, headers={"Cache-Control": "no-store"})


def bad_request(request, exception=None):
    answer = _api_error(
        request, 400, "bad_request", "The request could not be read: check its size and form."
    )
    return answer or defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    answer = _api_error(request, 403, "permission_denied", "You may not do this.")
    return answer or render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    answer = _api_error(request, 404, "not_found", "Not found: there is no such address.")
    return answer or render(request, "errors/404.html", status=404)


def server_error(request):
    answer = _api_error(
        request, 500, "server_error", "Something went wrong on the server. Try again later."
    )
    if answer:
        return answer
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({}))
