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
