"""gunicorn settings: ``gunicorn -c config/gunicorn_conf.py config.wsgi``
(the Dockerfile and docker-compose.yml pass it).

gunicorn writes ``Server: gunicorn`` on every response, ahead of the
application's own headers, and has no setting to leave it out. A banner
names the software to anyone probing for known weaknesses, so this file
removes the line from gunicorn's default headers before any worker starts
(docs/information-governance.md, "Response headers"). The test
tests/config/test_gunicorn_conf.py runs gunicorn with this file and checks
that no banner is sent, so an upgrade that changes gunicorn's internals
fails loudly rather than bringing the banner back unnoticed.
"""

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_server


def post_worker_init(worker):
    """Once a worker has imported the portal, move every object made so far
    (modules, models, URL patterns, settings: about all a worker will ever
    hold for good) out of the cycle collector's reach with ``gc.freeze()``.
    Python's full collections then walk only what requests made, not the
    whole heap again and again (about 1 ms of an officer's 20 ms page;
    docs/performance.md, "Scaling out", 6)."""
    import gc

    gc.freeze()
